"""allauth hooks: store the role chosen at sign-up, send each side to its next step, and the
product's one client-IP rule and staff MFA rule inside allauth's flows."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from core.net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = form.cleaned_data.get("role", "")
        user.full_name = form.cleaned_data.get("full_name", "")
        if commit:
            user.save()
        return user

    def get_signup_redirect_url(self, request):
        return reverse("dashboard")

    def get_login_redirect_url(self, request):
        return reverse("dashboard")

    def is_reauthentication_required(self, *, app, **kwargs):
        # A sign-in (password, or its second factor) in the last ACCOUNT_REAUTHENTICATION_TIMEOUT
        # seconds is as recent as a re-authentication: staff sent to set up TOTP straight after
        # signing in are not asked for their password again.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            record.get("method") in ("password", "mfa") and record.get("at", 0) > since
            for record in get_authentication_records(request, request.user)
        )

    def get_client_ip(self, request):
        # allauth's rate limits (login_failed, signup, reset...) key on this.
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff cannot switch their authenticator app off: they could not open the admin after.
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)
