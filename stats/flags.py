"""Authenticity flags after they are raised (the refresh raises them: stats.refresh / stats.engagement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import StatsError
from .models import AuthenticityFlag
from .permissions import can_manage_stats


def flags_resolve(*, flag_ids: Sequence[int], actor: Any) -> int:
    """Mark open flags resolved by ``actor`` (staff); the next refresh may raise them again."""
    if not can_manage_stats(actor):
        raise StatsError(_("Only staff can resolve flags."))
    return AuthenticityFlag.objects.filter(id__in=flag_ids, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
