"""allauth hooks: store the role chosen at sign-up, send each side to its next step, and the
product's one client-IP rule and staff MFA rule inside allauth's flows."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from marketplace.net import client_ip


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

    def get_client_ip(self, request):
        # allauth's rate limits (login_failed, signup, reset...) key on this.
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff cannot switch their authenticator app off: they could not open the admin after.
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)
