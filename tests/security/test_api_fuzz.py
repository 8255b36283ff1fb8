"""schemathesis over every API operation, for every role: no server error, every answer as documented.

The schema is the one the app serves (/api/schema/), loaded through the in-process WSGI app, so
the run exercises exactly what a client sees. Checks on every answer: no 5xx; status code,
content type, headers and JSON body conform to the schema (error answers included, see
marketplace/api/schema.py).

Every operation runs for every role (anonymous, a creator, a brand member, a staff user with a
second factor) with a few fuzzed examples. The operations where a role gets past the permission
check into the input handling (a brand member writing briefs, a creator editing the profile and
applying, anyone asking for a token) also run schemathesis' coverage phase: boundary and
wrong-type values for every parameter and field (ids like ``1.5``, NUL bytes, empty and over-long
strings, too many list items, wrong media types). Calls on a role's own object (a member's draft,
an application to the member's campaign) name it in the path, so they reach the validation
rather than a 404.

(schemathesis' lazy ``from_fixture`` loader does not run under pytest 9: it sets a removed
``_nodeid`` attribute. The schema is therefore loaded at import, which needs no database.)
"""

from __future__ import annotations

import pytest
import schemathesis
from allauth.mfa.totp.internal.auth import TOTP
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from campaigns import services
from payments import services as payment_services
from payments.models import Funding
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, CampaignFactory, UserFactory
from tests.factories.users import STAFF_TOTP_SECRET

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()
SCHEMA_PATH = "/api/schema/?format=json"
with_coverage = schemathesis.openapi.from_wsgi(SCHEMA_PATH, APP)
fuzz_only = schemathesis.openapi.from_wsgi(
    SCHEMA_PATH, APP, config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Per role, the operations whose input handling the role reaches: coverage phase as well.
DEEP = {
    "anonymous": ["POST /api/v1/auth/token/"],
    "creator": [
        "PATCH /api/v1/creators/me/",
        "POST /api/v1/applications/",
        "GET /api/v1/campaigns/",
        "POST /api/v1/social-accounts/",
        "POST /api/v1/disputes/",
    ],
    # PATCH/PUT campaigns/{id}/ take the body of POST campaigns/ (fuzzed, on the member's own draft).
    "member": [
        "POST /api/v1/campaigns/",
        "GET /api/v1/creators/",
        "GET /api/v1/applications/",
        "POST /api/v1/applications/{id}/decline/",
        "GET /api/v1/payments/entries/",
        "POST /api/v1/conversions/",
    ],
    "staff": ["GET /api/v1/campaigns/{id}/recommendations/"],
}
SETTINGS = {
    "deep": settings(
        max_examples=3, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    ),
    "light": settings(
        max_examples=3, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    ),
}


@pytest.fixture
def world(db, settings):
    """Per role: its Authorization header and the id its own objects have in ``{id}`` paths."""
    member = BrandMemberFactory()
    creator = make_creator()
    campaign = make_open_campaign(member)
    draft = CampaignFactory(brand=member.brand)
    application = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Hello")
    # A hire whose money is held (offline provider): the payments API has entries, a funding and a receipt to show.
    settings.PAYMENTS_PROVIDER = "offline"
    hired_creator = make_creator()
    hired = services.application_submit(
        campaign=campaign, creator=hired_creator, actor=hired_creator.user, pitch="Hi", proposed_rate=150
    )
    hired = services.application_accept(application=hired, actor=member.user)
    funding = Funding.objects.get(application=hired)
    payment_services.funding_mark_held(funding=funding, amount=funding.total, currency=funding.currency)
    staff = UserFactory(role="", is_staff=True, is_superuser=True)
    TOTP.activate(staff, STAFF_TOTP_SECRET)  # staff sign in with a second factor (marketplace/staff_mfa.py)

    def token(user) -> dict:
        return {"Authorization": f"Token {Token.objects.create(user=user).key}"}

    # The in-process WSGI calls share the test's database connection (and its transaction), as
    # Django's test client does: keep the request signals from closing it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "anonymous": ({}, {}),
        "creator": (token(creator.user), {}),
        "member": (
            token(member.user),
            {
                "/api/v1/campaigns/{id}/": draft.pk,
                "/api/v1/applications/{id}/decline/": application.pk,
                "/api/v1/applications/{id}/funding/": hired.pk,
            },
        ),
        "staff": (token(staff), {"/api/v1/campaigns/{id}/recommendations/": campaign.pk}),
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _api_test(role: str, schema, depth: str):
    @schema.parametrize()
    @SETTINGS[depth]
    def test(case, world):
        headers, own_ids = world[role]
        if case.operation.path in own_ids:
            case.path_parameters = {**(case.path_parameters or {}), "id": own_ids[case.operation.path]}
        case.call_and_validate(headers=headers, checks=CHECKS)

    return test


for _role, _deep in DEEP.items():
    globals()[f"test_api_as_{_role}_coverage"] = _api_test(_role, with_coverage.include(name=_deep), "deep")
    globals()[f"test_api_as_{_role}"] = _api_test(_role, fuzz_only.exclude(name=_deep), "light")
