"""Local fake platform servers (real HTTP on 127.0.0.1) for the provider tests and the benchmark."""

from .data import REFERENCE_TIME, FakeAccount, FakePost, generated_account
from .instagram import FakeInstagram
from .server import MODES, FakePlatform, Reply, Request
from .stripe_api import FakeStripe
from .tiktok import FakeTikTok
from .youtube import FakeYouTube

__all__ = [
    "MODES",
    "REFERENCE_TIME",
    "FakeAccount",
    "FakeInstagram",
    "FakePlatform",
    "FakePost",
    "FakeStripe",
    "FakeTikTok",
    "FakeYouTube",
    "Reply",
    "Request",
    "generated_account",
]
