"""The one source of the site's name and absolute address, for emails and every absolute link.

``SITE_URL`` (a setting, from the environment) wins. Unset, the address is derived from the
``HOST``/``PORT`` the development server listens on (``PORT=8001 make run`` links to :8001),
so a notification email never points at a port nothing listens on. The django.contrib.sites
row that allauth names in its emails ("Hello from …!") is kept in step with these settings
after every ``migrate`` (``sync_site_row``, connected in ``MarketplaceConfig.ready``).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
# A server bound to every interface is reached through the loopback name in a link.
_WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}  # compared, never bound


def devserver_url(environ: dict[str, str] | None = None) -> str:
    """``http://HOST:PORT`` as ``make run`` (marketplace/devserver.py) listens, from the environment."""
    env = os.environ if environ is None else environ
    host = env.get("HOST", DEFAULT_HOST).strip()
    port = env.get("PORT", DEFAULT_PORT).strip() or DEFAULT_PORT
    if host in _WILDCARD_HOSTS:
        host = DEFAULT_HOST
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def site_url() -> str:
    """The site's absolute root, without a trailing slash: the SITE_URL setting, else the devserver's address."""
    return (getattr(settings, "SITE_URL", "") or devserver_url()).rstrip("/")


def absolute_url(path: str = "") -> str:
    """``path`` (from ``reverse()``) as an absolute link; an already absolute URL is returned as it is."""
    if not path:
        return site_url() + "/"
    if urlsplit(path).scheme:
        return path
    return site_url() + ("" if path.startswith("/") else "/") + path


def site_name() -> str:
    return settings.SITE_NAME


def site_domain() -> str:
    """host[:port] of ``site_url()``: what django.contrib.sites calls the domain."""
    return urlsplit(site_url()).netloc


def sync_site_row(**_kwargs) -> None:
    """Set the Site row (SITE_ID) to this site's name and domain; a post_migrate receiver, idempotent."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain()[:100], "name": site_name()[:50]}
    )
    Site.objects.clear_cache()
