"""Bounds on every list and free-text input of a campaign brief and an application.

One place for the numbers, shared by the page forms, the API serializers and the services
(``spec_problems`` and ``list_problems`` are the services' checks): a brief cannot grow into
thousands of deliverables on one accept, and every refusal says which limit was hit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from creators.formats import format_problem
from creators.models import Platform
from creators.tiers import Tier

# Deliverables: rows of (platform, format, quantity) per brief; an accept creates rows × quantity deliverables.
MAX_DELIVERABLE_ROWS = 20
MAX_DELIVERABLE_QUANTITY = 10
# Who the brief is looking for.
MAX_BRIEF_NICHES = 10
MAX_BRIEF_COUNTRIES = 30
MAX_BRIEF_LANGUAGES = 12
MAX_BRIEF_PLATFORMS = len(Platform.choices)
MAX_BRIEF_TIERS = len(Tier.choices)
# An application.
MAX_SAMPLE_LINKS = 5
MAX_LINK_LENGTH = 500
MAX_PITCH_LENGTH = 3000
MAX_DECLINE_MESSAGE_LENGTH = 2000
# The API's list filters.
MAX_SEARCH_LENGTH = 100

_LIST_BOUNDS = {
    "niches": (MAX_BRIEF_NICHES, "Pick at most %(n)s niches."),
    "platforms": (MAX_BRIEF_PLATFORMS, "Pick at most %(n)s platforms."),
    "target_tiers": (MAX_BRIEF_TIERS, "Pick at most %(n)s tiers."),
    "countries": (MAX_BRIEF_COUNTRIES, "List at most %(n)s countries."),
    "languages": (MAX_BRIEF_LANGUAGES, "List at most %(n)s languages."),
}


def list_problems(data: dict) -> dict[str, str]:
    """The brief's list fields that hold more items than allowed, by field."""
    problems = {}
    for field, (limit, message) in _LIST_BOUNDS.items():
        value = data.get(field)
        if value is not None and len(value) > limit:
            problems[field] = _(message) % {"n": limit}
    return problems


def spec_problems(specs: Iterable[dict]) -> dict[str, str]:
    """What is wrong with a brief's deliverable rows (count and quantities), in words a brand understands."""
    specs = list(specs)
    if len(specs) > MAX_DELIVERABLE_ROWS:
        return {"deliverables": _("A brief can list at most %(n)s deliverable rows.") % {"n": MAX_DELIVERABLE_ROWS}}
    for spec in specs:
        quantity = spec.get("quantity") or 1
        if not 1 <= quantity <= MAX_DELIVERABLE_QUANTITY:
            return {
                "deliverables": _("Ask for between 1 and %(n)s of each deliverable.") % {"n": MAX_DELIVERABLE_QUANTITY}
            }
        problem = spec_format_problem(spec.get("platform", ""), spec.get("format", ""))
        if problem:
            return {"deliverables": problem}
    return {}


def spec_format_problem(platform: str, fmt: str) -> str | None:
    """A brief's row whose format the platform does not have ("YouTube Feed post"): creators.formats decides."""
    from .models import ContentFormat

    return format_problem(platform, fmt, labels=dict(ContentFormat.choices))
