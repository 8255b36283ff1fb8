"""Demo data for `make run`: three logins and whatever each app's ``demo`` module adds.

Idempotent: every step looks up before it creates, so running it again adds
no duplicates. Apps contribute through ``<app>/demo.py`` with a ``seed(log)``
function, called in dependency order (bottom layer first). The people come from ``core.demo.demo_user``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.db import transaction

from core.demo import DEMO_ADMIN_TOTP_SECRET, DEMO_LOGINS, DEMO_PASSWORD, demo_user
from core.models import Role, User

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "demo_user", "seed"]
APPS_IN_ORDER = ["creators", "brands", "campaigns", "payments", "results"]


def _demo_totp(user: User) -> None:
    """Staff need TOTP before the admin: the demo admin's app is DEMO_ADMIN_TOTP_SECRET."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_ADMIN_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@transaction.atomic
def seed(log: Callable[[str], None] = print) -> None:
    _demo_totp(demo_user(DEMO_LOGINS["admin"], staff=True, full_name="Ada Admin"))
    demo_user(DEMO_LOGINS["creator"], role=Role.CREATOR, full_name="Casey Creator")
    demo_user(DEMO_LOGINS["brand"], role=Role.BRAND, full_name="Blake Brand")
    for app in APPS_IN_ORDER:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.seed(log)
    log("Demo data is in place.")
