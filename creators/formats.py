"""Which content formats exist on which platform: the one table (issue 14, point 5).

Used by the rate-card form and service (creators), and by a brief's deliverable rows: the page form,
the API serializer and the briefs service (campaigns). Both vocabularies share these keys: the rate card's
``creators.models.Deliverable`` and the brief's ``campaigns.models.ContentFormat`` (which has no "ugc").
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# platform -> the formats it has. "ugc" is a video for the brand's own ads, filmed in the platform's style.
PLATFORM_FORMATS: dict[str, tuple[str, ...]] = {
    "instagram": ("post", "reel", "story", "live", "ugc"),
    "tiktok": ("short", "story", "live", "ugc"),
    "youtube": ("video", "short", "live", "ugc"),
    "linkedin": ("post", "article", "video", "live"),
}


def format_fits(platform: str, fmt: str) -> bool:
    return fmt in PLATFORM_FORMATS.get(platform, ())


def format_problem(platform: str, fmt: str, *, labels: dict[str, str] | None = None) -> str | None:
    """A sentence saying the pair does not exist, naming the formats the platform has; None when it fits.
    ``labels`` maps format keys to the caller's display labels (each vocabulary has its own)."""
    if not platform or not fmt or format_fits(platform, fmt):
        return None
    from .models import Platform

    labels = labels or {}
    names = ", ".join(str(labels.get(f, f)) for f in PLATFORM_FORMATS.get(platform, ()) if not labels or f in labels)
    return _("%(platform)s has no “%(format)s”. Pick one of: %(names)s.") % {
        "platform": Platform(platform).label,
        "format": labels.get(fmt, fmt),
        "names": names,
    }
