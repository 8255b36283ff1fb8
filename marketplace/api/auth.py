"""POST /api/v1/auth/token/ with email and password returns a token (PRODUCT §8).

It is a sign-in like the login page and shares its limiter: allauth's adapter ``authenticate``
consumes the ``login_failed`` rate (settings.ACCOUNT_RATE_LIMITS) per client IP
(core.net.client_ip) and per account, so failures here count towards a lockout on the
login page and the admin login, and the other way round. Answers:

- 200 ``{"token": ...}``;
- 400 wrong email or password (one message for both), or a missing/wrong ``code`` when the
  account has two-factor authentication;
- 403 ``email_unverified`` when ``ACCOUNT_EMAIL_VERIFICATION`` is ``mandatory`` and the
  address is not confirmed (the password was right; the account is not usable yet);
- 429 with ``Retry-After`` (seconds) while the account or the client IP is locked out.
"""

from __future__ import annotations

import math
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

LOCKED_OUT_CODE = "too_many_login_attempts"


class TokenSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A code from the authenticator app, or a recovery code; required when the "
        "account has two-factor authentication.",
    )


def _retry_after(request, key: str) -> int:
    """Seconds until the first ``login_failed`` window that is full frees a slot."""
    now = time.time()
    wait = 0.0
    for rate in allauth_ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = allauth_ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        live = sorted((ts for ts in cache.get(cache_key, []) if ts > now - rate.duration), reverse=True)
        if len(live) >= rate.amount:
            wait = max(wait, live[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait)) if wait else 60


def _locked_out(request, key: str) -> exceptions.Throttled:
    return exceptions.Throttled(
        wait=_retry_after(request, key),
        detail=_("Too many failed sign-in attempts. Try again later."),
        code=LOCKED_OUT_CODE,
    )


def sign_in_for_token(request, email: str, password: str, code: str | None):
    """The user for these credentials, through the same limiter as every other sign-in."""
    adapter = get_adapter(request)
    email = email.lower()
    try:
        user = adapter.authenticate(request, email=email, password=password)
    except DjangoValidationError as exc:
        if exc.code == LOCKED_OUT_CODE:
            raise _locked_out(request, adapter._get_login_attempts_cache_key(request, email=email)) from exc
        raise
    if user is None or not user.is_active:
        raise exceptions.ValidationError({"non_field_errors": [_("Email or password is not correct.")]})
    if (
        account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY
        and not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    ):
        raise exceptions.PermissionDenied(
            _(
                "Confirm your email address before using the API: follow the link we emailed you, "
                "or sign in on the website to get a new one."
            ),
            code="email_unverified",
        )
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        _check_second_factor(request, user, code)
    return user


def _check_second_factor(request, user, code: str | None) -> None:
    if not code:
        raise exceptions.ValidationError(
            {"code": [_("This account has two-factor authentication: send a code from the authenticator app.")]}
        )
    # allauth's own check: TOTP or an unused recovery code (used up here), with its own rate
    # limit per account ("login_failed", key mfa-auth-user-<id>), as on the website.
    form = BaseAuthenticateForm(user=user, data={"code": code})
    if not form.is_valid():
        errors = form.errors.as_data().get("code", [])
        if any(error.code == LOCKED_OUT_CODE for error in errors):
            raise _locked_out(request, f"mfa-auth-user-{user.pk}")
        raise exceptions.ValidationError({"code": [str(m) for e in errors for m in e.messages]})
    form.authenticator.record_usage()


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                description="Email or password is not correct, or the second-factor code is missing or wrong."
            ),
            403: OpenApiResponse(description="The email address is not confirmed yet (mandatory verification)."),
            429: OpenApiResponse(description="Too many failed sign-ins for this account or client; see Retry-After."),
        },
    )
    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = sign_in_for_token(request._request, data["email"], data["password"], data.get("code"))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
