"""The onboarding steps of each role, in one place, and where a person stands in them (issue 14.4).

A step is done by a fact about the account (a profile exists, an account is linked, a price is set),
never by a flag that could drift; the pages show "Step N of M" with the list, and the next step's
link, while any step is left. The facts come from the apps that own them (creators, brands,
campaigns), which pass them in: this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


CREATOR_STEPS: tuple[Step, ...] = (
    Step("profile", _("Start your profile"), "creators:onboarding"),
    Step("accounts", _("Link your social accounts"), "creators:accounts"),
    Step("rates", _("Set your rates"), "creators:rates"),
)
BRAND_STEPS: tuple[Step, ...] = (
    Step("brand", _("Create your brand"), "brands:create"),
    Step("campaign", _("Draft your first campaign"), "campaigns:create"),
)


@dataclass(frozen=True)
class StepState:
    number: int
    step: Step
    done: bool
    current: bool


@dataclass(frozen=True)
class Progress:
    """Where a person stands: ``number`` of ``total`` is the step being shown."""

    steps: tuple[StepState, ...]
    current: StepState
    next: StepState | None  # the first step after the current one that is not done
    complete: bool

    @property
    def number(self) -> int:
        return self.current.number

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)


def progress(steps: tuple[Step, ...], *, done: Iterable[str], current: str) -> Progress:
    """The progress through ``steps`` with the keys in ``done`` finished, shown on step ``current``."""
    finished = set(done)
    states = tuple(StepState(i, s, s.key in finished, s.key == current) for i, s in enumerate(steps, start=1))
    here = next(s for s in states if s.current)
    after = next((s for s in states if s.number > here.number and not s.done), None)
    return Progress(states, here, after, complete=all(s.done for s in states))


def creator_progress(*, has_profile: bool, accounts: int, rates: int, current: str) -> Progress:
    done = {"profile"} if has_profile else set()
    if accounts:
        done.add("accounts")
    if rates:
        done.add("rates")
    return progress(CREATOR_STEPS, done=done, current=current)


def brand_progress(*, has_brand: bool, campaigns: int, current: str) -> Progress:
    done = {"brand"} if has_brand else set()
    if campaigns:
        done.add("campaign")
    return progress(BRAND_STEPS, done=done, current=current)
