"""The domain errors every campaigns service raises; views turn them into messages, the API into 400/403/409."""

from __future__ import annotations


class CampaignError(Exception):
    """A write refused for a reason the user can act on (API: 400)."""

    status_code = 400


class NotPermitted(CampaignError):
    """The actor may not make this move (API: 403)."""

    status_code = 403


class InvalidTransition(CampaignError):
    """The move is not allowed from the current state (API: 409)."""

    status_code = 409


class SlotsFull(InvalidTransition):
    pass


class AlreadyApplied(InvalidTransition):
    pass


class AlreadyReviewed(InvalidTransition):
    """A side's second review, or a second reply (API: 409)."""
