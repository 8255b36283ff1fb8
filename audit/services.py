"""The one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    target: models.Model,
    *,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry about ``target`` (a saved row), in the caller's transaction.

    ``actor`` None means the system (a scheduled task). ``data`` holds anything else worth keeping, as JSON.
    """
    return AuditEntry.objects.create(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        actor=actor,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
        data=data or {},
    )
