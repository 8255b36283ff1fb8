"""The URL of a user file: ``media_url(fieldfile, user)`` (template tag ``{% media_url %}``) is the one place
that builds one (issue 8).

Files are served by the project's media view (marketplace/media.py: it maps a stored path to the object
that owns it and checks the pages' permission predicates). With MEDIA_URL on a separate host (a separate
media origin, recommended in production) the session cookie does not reach the media host, so a private
file's URL carries a short-lived signature, minted only for a user who may see that file.

Who may see which private file is the media view's knowledge, above every domain app; it registers its
answer here (``register_private_file_check``, from MarketplaceConfig.ready()), so this module and the
templates of every app can print file URLs without importing the apps that own the files. With no check
registered, no URL is signed: a private file is then served only to a session that passes the view's check.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing

_SIGNER_SALT = "marketplace.media"  # unchanged since the code lived in marketplace/media.py: URLs stay valid

# (fieldfile, user) -> True when the file is not public and ``user`` may see it.
PrivateFileCheck = Callable[[object, object], bool]
_private_file_check: PrivateFileCheck | None = None


def register_private_file_check(check: PrivateFileCheck | None) -> None:
    global _private_file_check
    _private_file_check = check


def media_route_prefix() -> str:
    """The path part of MEDIA_URL ("media/"), which the media view is routed at."""
    return urlsplit(settings.MEDIA_URL).path.lstrip("/")


def separate_origin() -> bool:
    """MEDIA_URL on another host: the session cookie does not go there."""
    return bool(urlsplit(settings.MEDIA_URL).netloc)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNER_SALT)


def sign(name: str) -> str:
    return _signer().sign(name)[len(name) + 1 :]


def signature_valid(name: str, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    try:
        _signer().unsign(f"{name}:{token}", max_age=settings.MEDIA_SIGNED_URL_MAX_AGE)
    except signing.BadSignature:
        return False
    return True


def media_url(fieldfile, user=None) -> str:
    """The URL of a user file, for templates and anything else that prints one. Empty for no file."""
    if not fieldfile:
        return ""
    name = fieldfile.name
    url = settings.MEDIA_URL + quote(name)
    if (
        separate_origin()
        and user is not None
        and _private_file_check is not None
        and _private_file_check(fieldfile, user)
    ):
        url += "?sig=" + quote(sign(name))
    return url
