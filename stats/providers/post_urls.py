"""A published post's address → its platform, the platform's post id and, where the address carries it, the handle.

Pure Python (no Django), like the rest of ``stats.providers``. Accepted shapes:

* Instagram: ``instagram.com/p/<shortcode>/``, ``/reel/<shortcode>/`` (also ``/reels/``, ``/tv/``), optionally
  behind the handle (``instagram.com/<handle>/p/<shortcode>/``). The shortcode is not the Graph API media id: the
  adapter finds the media by its permalink.
* TikTok: ``tiktok.com/@<handle>/video/<digits>`` (the handle is always there).
* YouTube: ``youtube.com/watch?v=<id>``, ``youtu.be/<id>``, ``youtube.com/shorts/<id>`` (also ``/live/<id>``);
  no handle, so ownership is checked through the API (the video's channel).

Short links that redirect (``vm.tiktok.com/…``) are refused: following them would fetch an outside page while the
creator waits, and the full address is one tap away in the app's share menu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

__all__ = ["NotAPostURL", "ParsedPost", "parse_post_url"]

_IG_HOSTS = {"instagram.com", "www.instagram.com", "m.instagram.com"}
_TT_HOSTS = {"tiktok.com", "www.tiktok.com", "m.tiktok.com"}
_TT_SHORT_HOSTS = {"vm.tiktok.com", "vt.tiktok.com"}
_YT_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YT_SHORT_HOSTS = {"youtu.be", "www.youtu.be"}

_SHORTCODE = re.compile(r"^[A-Za-z0-9_-]{5,64}$")
_IG_HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")
_TT_HANDLE = re.compile(r"^[A-Za-z0-9._]{1,64}$")
_TT_VIDEO = re.compile(r"^\d{5,25}$")
_YT_VIDEO = re.compile(r"^[A-Za-z0-9_-]{11}$")
_IG_KINDS = {"p": "post", "reel": "reel", "reels": "reel", "tv": "video"}


class NotAPostURL(ValueError):
    """The address is not one of the post addresses above; ``str()`` is a message fit to show the creator."""


@dataclass(frozen=True)
class ParsedPost:
    platform: str
    post_id: str  # Instagram: the shortcode; TikTok and YouTube: the video id
    kind: str  # "post", "reel", "video" or "short"
    handle: str = ""  # lower case, without "@"; "" when the address does not carry it


def parse_post_url(url: str) -> ParsedPost:
    text = (url or "").strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise NotAPostURL("Paste the web address of the post (https://…).")
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in _IG_HOSTS:
        return _instagram(segments)
    if host in _TT_HOSTS:
        return _tiktok(segments)
    if host in _TT_SHORT_HOSTS:
        raise NotAPostURL(
            "Paste the full TikTok address (tiktok.com/@handle/video/…): open the video in a browser and copy it."
        )
    if host in _YT_HOSTS or host in _YT_SHORT_HOSTS:
        return _youtube(host, segments, parts.query)
    raise NotAPostURL("This is not an Instagram, TikTok or YouTube post address.")


def _instagram(segments: list[str]) -> ParsedPost:
    handle = ""
    if len(segments) >= 3 and segments[1] in _IG_KINDS and _IG_HANDLE.match(segments[0]):
        handle, segments = segments[0].lower(), segments[1:]
    if len(segments) >= 2 and segments[0] in _IG_KINDS and _SHORTCODE.match(segments[1]):
        return ParsedPost("instagram", segments[1], _IG_KINDS[segments[0]], handle)
    raise NotAPostURL("Paste the address of the Instagram post itself (instagram.com/p/… or instagram.com/reel/…).")


def _tiktok(segments: list[str]) -> ParsedPost:
    if (
        len(segments) >= 3
        and segments[0].startswith("@")
        and _TT_HANDLE.match(segments[0][1:])
        and segments[1] == "video"
        and _TT_VIDEO.match(segments[2])
    ):
        return ParsedPost("tiktok", segments[2], "video", segments[0][1:].lower())
    raise NotAPostURL("Paste the address of the TikTok video itself (tiktok.com/@handle/video/…).")


def _youtube(host: str, segments: list[str], query: str) -> ParsedPost:
    video, kind = "", "video"
    if host in _YT_SHORT_HOSTS:
        video = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        video = (parse_qs(query).get("v") or [""])[0]
    elif len(segments) >= 2 and segments[0] in ("shorts", "live"):
        video, kind = segments[1], "short" if segments[0] == "shorts" else "video"
    if _YT_VIDEO.match(video):
        return ParsedPost("youtube", video, kind)
    raise NotAPostURL("Paste the address of the YouTube video itself (youtube.com/watch?v=…, youtu.be/… or /shorts/…).")
