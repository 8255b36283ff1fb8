"""How complete a profile is, and what is missing before brands will see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Creator


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    url: str


@dataclass(frozen=True)
class Completeness:
    checks: list[Check]

    @property
    def percent(self) -> int:
        return round(100 * sum(c.done for c in self.checks) / len(self.checks))

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.done]

    @property
    def complete(self) -> bool:
        return not self.missing


def profile_completeness(creator: Creator, *, accounts: int, rates: int, portfolio: int) -> Completeness:
    """The checklist; counts are passed in so the caller decides how (and how often) to query."""
    edit, acc = reverse("creators:edit"), reverse("creators:accounts")
    return Completeness(
        [
            Check(_("A profile photo"), bool(creator.avatar), edit),
            Check(_("A bio of at least 80 characters"), len(creator.bio.strip()) >= 80, edit),
            Check(_("Your country and languages"), bool(creator.country and creator.languages), edit),
            Check(_("At least one niche"), bool(creator.niches.all()), edit),
            Check(_("The content formats you make"), bool(creator.content_formats), edit),
            Check(_("A linked social account"), accounts > 0, acc),
            Check(_("A rate card entry"), rates > 0, reverse("creators:rates")),
            Check(_("A portfolio item"), portfolio > 0, reverse("creators:portfolio")),
        ]
    )
