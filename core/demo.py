"""Demo users for `make run`'s seed data: each app's ``demo`` module creates its people through here.

The orchestration (which apps seed, in which order) is the project's: marketplace/demo.py.
"""

from __future__ import annotations

from .demo_accounts import DEMO_ADMIN_TOTP_SECRET, DEMO_LOGINS, DEMO_PASSWORD
from .models import User

__all__ = ["DEMO_ADMIN_TOTP_SECRET", "DEMO_LOGINS", "DEMO_PASSWORD", "demo_user"]


def demo_user(email: str, *, role: str = "", staff: bool = False, full_name: str = "") -> User:
    """The user with ``email``, created (email verified, password DEMO_PASSWORD) if missing."""
    user = User.objects.filter(email=email).first()
    if user is None:
        if staff:
            user = User.objects.create_superuser(email=email, password=DEMO_PASSWORD, full_name=full_name)
        else:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, role=role, full_name=full_name)
        _verify_email(user)
    return user


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
