"""Vetting of creators and brands (PRODUCT §3): the states, the one table of moves, and the one service.

A vetted model (``creators.Creator``, ``brands.Brand``) has ``status`` and ``status_reason`` and offers:

* ``vetting_name`` — how messages name it ("@rae-lens", "Acme");
* ``vetting_recipients()`` — the users told about a decision;
* ``vetting_email(status, reason)`` — (subject, body), built with gettext; called once per recipient inside
  ``translation.override(recipient's language)``.

Base layer: this module imports no domain app; it writes the one audit log (``audit.services.record``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from audit.models import Action
from audit.services import record

logger = logging.getLogger(__name__)


class VettingStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending review")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")
    SUSPENDED = "suspended", gettext_lazy("Suspended")


# Who may move where (PRODUCT §3), the same for creators and brands: one table, one rule.
VETTING_MOVES: dict[str, set[str]] = {
    VettingStatus.PENDING: {VettingStatus.APPROVED, VettingStatus.REJECTED, VettingStatus.SUSPENDED},
    VettingStatus.APPROVED: {VettingStatus.SUSPENDED, VettingStatus.REJECTED},
    VettingStatus.REJECTED: {VettingStatus.APPROVED},
    VettingStatus.SUSPENDED: {VettingStatus.APPROVED, VettingStatus.REJECTED},
}
# The account holder sees the reason, so these decisions need one.
REASON_REQUIRED = {VettingStatus.REJECTED, VettingStatus.SUSPENDED}


def vetting_move_allowed(current: str, to: str) -> bool:
    return to in VETTING_MOVES.get(current, set())


class VettingError(Exception):
    """A vetting decision refused, with a message the admin can act on; nothing was changed."""


def _check_decision(to: str, *, by, reason: str) -> None:
    if not getattr(by, "is_staff", False):
        raise VettingError(_("Only admins vet accounts."))
    if to not in VettingStatus.values or to == VettingStatus.PENDING:
        raise VettingError(_("Choose approve, reject or suspend."))
    if to in REASON_REQUIRED and not reason:
        raise VettingError(_("Give a reason: the account holder sees it."))


def vet_one(obj, to: str, *, by, reason: str = ""):
    """Move one creator or brand to ``to``: lock, check, save, record in the audit log, email after commit.

    Raises VettingError (nothing changed) for a non-staff actor, a move not in VETTING_MOVES, or a rejection or
    suspension without a reason. Returns the audit entry; ``obj`` gets the new status too.
    """
    reason = (reason or "").strip()
    _check_decision(to, by=by, reason=reason)
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        current = locked.status
        if not vetting_move_allowed(current, to):
            raise VettingError(
                _("%(name)s is %(from)s; it cannot be moved to %(to)s.")
                % {"name": locked.vetting_name, "from": VettingStatus(current).label, "to": VettingStatus(to).label}
            )
        locked.status = to
        locked.status_reason = reason if to in REASON_REQUIRED else ""
        fields = ["status", "status_reason"]
        if any(f.name == "updated_at" for f in model._meta.fields):
            fields.append("updated_at")
        locked.save(update_fields=fields)
        if hasattr(locked, "after_vetting"):  # e.g. a creator's match features follow the status (issue 13)
            locked.after_vetting()
        entry = record(locked, action=Action.VETTED, actor=by, from_state=current, to_state=to, note=reason)
        transaction.on_commit(lambda: _email_decision(locked, to, reason))
    obj.status, obj.status_reason = locked.status, locked.status_reason
    return entry


@dataclass
class VettingOutcome:
    done: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one message per object left as it was


def vet(objects: Iterable, to: str, *, by, reason: str = "") -> VettingOutcome:
    """The bulk form (admin actions): each object through ``vet_one``; one that cannot make the move is skipped
    with its message. A decision wrong for all (not staff, no reason, no such state) raises VettingError."""
    reason = (reason or "").strip()
    _check_decision(to, by=by, reason=reason)
    outcome = VettingOutcome()
    for obj in sorted(objects, key=lambda o: o.pk):  # one lock order for concurrent bulk actions
        try:
            vet_one(obj, to, by=by, reason=reason)
        except VettingError as exc:
            outcome.skipped.append(str(exc))
        else:
            outcome.done.append(obj)
    return outcome


def _email_decision(obj, status: str, reason: str) -> None:
    """One email per recipient, in the recipient's language. A mail outage is logged, never raised: the
    decision is committed."""
    for user in obj.vetting_recipients():
        if not user.email:
            continue
        try:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject, body = obj.vetting_email(status, reason)
                send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + str(subject), str(body), None, [user.email])
        except Exception:  # see the docstring: the decision is committed
            logger.exception("Could not email a vetting decision to %s", user.email)
