"""Completed applications, as the past collaborations of a creator's media kit (creators/collaborations.py)."""

from __future__ import annotations

from creators.collaborations import Collaboration
from creators.models import Creator

from .models import Application, ApplicationStatus

MAX_SHOWN = 12


def completed_collaborations(creator: Creator) -> list[Collaboration]:
    """One query: the creator's completed work, newest first (brand names are public, briefs' details are not)."""
    rows = (
        Application.objects.filter(creator=creator, status=ApplicationStatus.COMPLETED)
        .select_related("campaign__brand")
        .only("updated_at", "campaign__title", "campaign__brand__name")
        .order_by("-updated_at")[:MAX_SHOWN]
    )
    return [
        Collaboration(brand=a.campaign.brand.name, title=a.campaign.title, completed_on=a.updated_at.date())
        for a in rows
    ]
