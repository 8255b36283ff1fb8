"""Reading the audit log: the history of one or more objects in one query (actor and type joined)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from .models import AuditEntry


def history(targets: Iterable[models.Model]) -> list[AuditEntry]:
    """The entries of ``targets`` (rows of any models), oldest first, in one query whatever their number.

    Content types are matched by app label and model name in the same query (no lookup of their ids), so the
    count does not depend on what the content-type cache holds.
    """
    ids: dict[tuple[str, str], list[int]] = {}
    for obj in targets:
        ids.setdefault((obj._meta.app_label, obj._meta.model_name), []).append(obj.pk)
    if not ids:
        return []
    where = Q()
    for (app_label, model), pks in ids.items():
        where |= Q(target_type__app_label=app_label, target_type__model=model, target_id__in=pks)
    # actor__creator: pages print ``actor.display_name``, which reads a creator's profile name (a join, not a
    # query per line; the relation is named by string, so this base app imports nothing from creators).
    entries = AuditEntry.objects.filter(where).select_related("actor__creator", "target_type")
    return list(entries.order_by("at", "id"))
