"""Staff need a second factor before any admin page; the admin login is the site's login.

One rule, :func:`passed_mfa`: the current session recorded an allauth MFA authentication
(TOTP or recovery code at login, at re-authentication, or when the authenticator app was
set up, which checks a code from it too). :class:`StaffMFAMiddleware` applies it to every
URL under the admin: a staff user without an authenticator app is sent to set one up, one
whose session has not passed it is asked for a code. :func:`admin_login` replaces the admin's
own password form, so signing in to the admin goes through allauth's throttled login flow.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

# Where a staff user sent to set up or pass MFA was going (shown as "Continue" afterwards).
NEXT_SESSION_KEY = "staff_mfa_next"


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def passed_mfa(request: HttpRequest) -> bool:
    """Did this session pass a second factor for the signed-in user?"""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def admin_login(request: HttpRequest, extra_context=None):
    """``admin.site.login``: the admin has no password form of its own."""
    admin_index = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(_safe_next(request, admin_index))
        raise PermissionDenied
    query = urlencode({REDIRECT_FIELD_NAME: _safe_next(request, admin_index)})
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.is_staff and self._is_admin_page(request):
            if not has_totp(user):
                return self._redirect(
                    request,
                    "mfa_activate_totp",
                    _(
                        "Staff accounts need two-factor authentication. Set up an authenticator app "
                        "to continue to the admin."
                    ),
                )
            if not passed_mfa(request):
                return self._redirect(
                    request,
                    "mfa_reauthenticate",
                    _("Enter a code from your authenticator app to continue to the admin."),
                    with_next=True,
                )
            request.session.pop(NEXT_SESSION_KEY, None)
        if request.method == "POST" and request.path == reverse("mfa_activate_totp"):
            return self._activating_totp(request, user)
        return self.get_response(request)

    def _activating_totp(self, request: HttpRequest, user):
        """Setting up the app checks a code from it: that session has passed the second factor.

        Recorded here, not on allauth's ``authenticator_added`` signal: that one is sent on
        commit, which may come after the session was saved.
        """
        had_totp = has_totp(user)
        response = self.get_response(request)
        if not had_totp and response.status_code == 302:
            totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
            if totp is not None:
                record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
        return response

    @staticmethod
    def _is_admin_page(request: HttpRequest) -> bool:
        admin_index = reverse("admin:index")
        return request.path.startswith(admin_index) and request.path not in (
            reverse("admin:login"),
            reverse("admin:logout"),
        )

    @staticmethod
    def _redirect(request: HttpRequest, urlname: str, message: str, with_next: bool = False):
        target = request.get_full_path() if request.method == "GET" else reverse("admin:index")
        request.session[NEXT_SESSION_KEY] = target
        messages.info(request, message)
        url = reverse(urlname)
        if with_next:
            url += "?" + urlencode({REDIRECT_FIELD_NAME: target})
        return HttpResponseRedirect(url)
