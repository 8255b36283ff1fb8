"""Hooks for apps above campaigns (payments): campaigns calls them and never imports who listens.

A higher app registers from its ``AppConfig.ready()`` (docs/ARCHITECTURE.md, "When a lower app needs something
from a higher one"). Listeners run inside the caller's database transaction, so what they write commits or
rolls back with the move itself; anything slow they queue with ``transaction.on_commit``.

- ``application_accepted(application, actor)``: an application was accepted (hired).
- ``deliverable_approved(deliverable, actor)``: a deliverable was approved (the brand or the system).
- ``application_ended(application, actor)``: a hired application will not go on (its campaign was cancelled).
- ``campaign_updated(campaign, actor)``: the brand edited the brief (results forgets cached tracked-link addresses).
- ``money_status(application) -> MoneyStatus | None``: a short label about the application's money ("Funded")
  and the page that explains it, shown on the application page.
- ``campaign_money(campaign) -> CampaignMoney | None``: the money of the campaign's hires by stage (asked,
  held, released, paid out, refunded), for the budget tracker on the brand's campaign page (campaigns/budget.py).
  Without an answer the tracker shows what campaigns knows by itself: budget, committed, remaining.
- ``brand_scores(brand_ids) -> {brand_id: [reputation.Score]}``: more facts about how brands work with creators,
  appended to ``campaigns.reputation.brand_reputation`` (the brand page and the API's ``brand_reputation``);
  payments answers the median time from approval to payout. One query per provider for any number of brands.
- ``campaign_links(user, campaign) -> list[PageLink]``: more pages about a campaign for its brand's members
  (results: "Results", "Tracked links"), shown as buttons on the brand's campaign page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class MoneyStatus:
    label: str
    url: str


@dataclass(frozen=True)
class CampaignMoney:
    """Creators' fees of a campaign's hires by where their money is, in major units (platform fees not included)."""

    asked: Decimal = Decimal(0)  # the brand was asked to pay, has not yet
    held: Decimal = Decimal(0)  # paid in, held until the work is approved
    released: Decimal = Decimal(0)  # work approved, owed to the creator, not yet paid out
    paid_out: Decimal = Decimal(0)  # transferred to the creator
    refunded: Decimal = Decimal(0)  # given back to the brand

    @property
    def funded(self) -> Decimal:
        """Everything the brand paid in and was not refunded: held, released or paid out."""
        return self.held + self.released + self.paid_out


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str


EVENTS = ("application_accepted", "deliverable_approved", "application_ended", "campaign_updated")
_listeners: dict[str, list[Callable[..., Any]]] = {name: [] for name in EVENTS}
_status_providers: list[Callable[[Any], MoneyStatus | None]] = []
_campaign_money_providers: list[Callable[[Any], CampaignMoney | None]] = []
_brand_score_providers: list[Callable[[list[int]], dict[int, list[Any]]]] = []
_campaign_link_providers: list[Callable[[Any, Any], list[PageLink]]] = []


def register(event: str, listener: Callable[..., Any]) -> None:
    if event not in _listeners:
        raise ValueError(f"unknown campaigns hook {event!r}")
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def fire(event: str, **kwargs: Any) -> None:
    for listener in _listeners[event]:
        listener(**kwargs)


def register_money_status(provider: Callable[[Any], MoneyStatus | None]) -> None:
    if provider not in _status_providers:
        _status_providers.append(provider)


def money_status(application) -> MoneyStatus | None:
    for provider in _status_providers:
        status = provider(application)
        if status is not None:
            return status
    return None


def register_campaign_money(provider: Callable[[Any], CampaignMoney | None]) -> None:
    if provider not in _campaign_money_providers:
        _campaign_money_providers.append(provider)


def campaign_money(campaign) -> CampaignMoney | None:
    for provider in _campaign_money_providers:
        money = provider(campaign)
        if money is not None:
            return money
    return None


def register_brand_scores(provider: Callable[[list[int]], dict[int, list[Any]]]) -> None:
    if provider not in _brand_score_providers:
        _brand_score_providers.append(provider)


def brand_scores(brand_ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {pk: [] for pk in brand_ids}
    for provider in _brand_score_providers:
        for pk, scores in provider(list(brand_ids)).items():
            out.setdefault(pk, []).extend(scores)
    return out


def register_campaign_links(provider: Callable[[Any, Any], list[PageLink]]) -> None:
    if provider not in _campaign_link_providers:
        _campaign_link_providers.append(provider)


def campaign_links(user, campaign) -> list[PageLink]:
    return [link for provider in _campaign_link_providers for link in provider(user, campaign)]
