"""Each class of bad API input, literally: a 400/404 with a readable message, never a 500, nothing saved."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from campaigns import services
from campaigns.models import Application, Campaign, DeliverableSpec
from creators.models import Niche
from tests.campaigns.test_api import brief
from tests.factories import CampaignFactory, DeliverableSpecFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def raw(client: APIClient, method: str, url: str, body: bytes | str, content_type: str = "application/json"):
    return getattr(client, method)(url, body, content_type=content_type)


# --- ids in paths and bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["abc", ".5", "%00", "99999999999999999999", "-1", "1e3"])
def test_a_path_id_that_is_not_a_plain_number_is_a_json_404(suffix, member, campaign):
    # "<pk>.5" must not be read as <pk>: the campaign exists, the id does not.
    path_id = f"{campaign.pk}{suffix}" if suffix == ".5" else suffix
    for url in (
        f"/api/v1/campaigns/{path_id}/",
        f"/api/v1/applications/{path_id}/",
        f"/api/v1/creators/{path_id}/",
        f"/api/v1/campaigns/{path_id}/publish/",
    ):
        response = api(member.user).get(url) if not url.endswith("publish/") else api(member.user).post(url)
        assert response.status_code == 404, url
        assert response.json() == {"message": "Not found.", "errors": {}}


@pytest.mark.parametrize("value", [1.5, True, "1.5", 10**20, -3, [1], {"id": 1}])
def test_an_application_names_its_campaign_by_a_whole_number(value, creator, campaign):
    body = {"campaign": campaign.pk + 0.5 if value == 1.5 else value, "pitch": "Hello"}
    response = api(creator.user).post("/api/v1/applications/", body)
    assert response.status_code == 400 and "campaign" in response.json()["errors"]
    assert not Application.objects.filter(creator=creator).exists()


def test_an_id_that_exists_nowhere_is_a_400_on_apply(creator):
    response = api(creator.user).post("/api/v1/applications/", {"campaign": 999_999_999, "pitch": "Hello"})
    assert response.status_code == 400 and response.json()["message"] == "This campaign does not exist."


# --- query parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/applications/?status=%00", "status"),
        ("/api/v1/campaigns/?q=%00", "q"),
        ("/api/v1/campaigns/?status=open%00", "status"),
        ("/api/v1/creators/?niche=%00", "niche"),
        ("/api/v1/social-accounts/?x=%00", "x"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(url, param, member, creator):
    for user in (member.user, creator.user):
        response = api(user).get(url)
        assert response.status_code == 400
        assert response.json() == {
            "message": "Some query parameters are not valid.",
            "errors": {param: ["This parameter cannot contain NUL (%00) characters."]},
        }


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/applications/?status=nope", "status"),
        ("/api/v1/applications/?campaign=1.5", "campaign"),
        ("/api/v1/applications/?campaign=%C2%B2", "campaign"),  # "²" passes str.isdigit(), not int()
        ("/api/v1/applications/?campaign=99999999999999999999", "campaign"),
        ("/api/v1/campaigns/?fee_min=NaN", "fee_min"),
        ("/api/v1/campaigns/?deadline_before=2020-13-45", "deadline_before"),
        ("/api/v1/campaigns/?sort=random", "sort"),
        ("/api/v1/campaigns/?page_size=ten", "page_size"),
        ("/api/v1/campaigns/?q=" + "x" * 101, "q"),
    ],
)
def test_a_garbage_filter_value_is_a_400_naming_it(url, param, member):
    response = api(member.user).get(url)
    assert response.status_code == 400 and list(response.json()["errors"]) == [param]


def test_an_overlong_query_value_is_refused_before_any_view(member):
    response = api(member.user).get("/api/v1/creators/?q=" + "a" * 1001)
    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Use at most 1000 characters."]}


# --- bodies -------------------------------------------------------------------------------------------


NOT_AN_OBJECT = ["null", "[]", '"x"', "1", "true", '[{"display_name": "X"}]']


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_patch_me_with_a_body_that_is_not_an_object_is_a_400_and_changes_nothing(body, creator):
    before = creator.display_name
    response = raw(api(creator.user), "patch", "/api/v1/creators/me/", body)
    assert response.status_code == 400
    assert response.json() == {
        "message": 'The request body must be a JSON object, e.g. {"field": "value"}.',
        "errors": {},
    }
    creator.refresh_from_db()
    assert creator.display_name == before


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_every_write_refuses_a_body_that_is_not_an_object(body, member, creator, campaign, application):
    writes = [
        (member.user, "post", "/api/v1/campaigns/"),
        (member.user, "patch", f"/api/v1/campaigns/{campaign.pk}/"),
        (member.user, "put", f"/api/v1/campaigns/{campaign.pk}/"),
        (member.user, "post", f"/api/v1/applications/{application.pk}/decline/"),
        (creator.user, "post", "/api/v1/applications/"),
        (creator.user, "post", "/api/v1/social-accounts/"),
        (None, "post", "/api/v1/auth/token/"),
    ]
    for user, method, url in writes:
        response = raw(api(user), method, url, body)
        assert response.status_code == 400, (method, url)
        assert response.json()["message"] == 'The request body must be a JSON object, e.g. {"field": "value"}.'
    assert Campaign.objects.count() == 1 and application.status == Application.objects.get().status


@pytest.mark.parametrize("depth", [9, 100, 100_000])
def test_deeply_nested_json_is_a_400(depth, creator):
    body = '{"bio": ' + "[" * depth + "]" * depth + "}"
    response = raw(api(creator.user), "patch", "/api/v1/creators/me/", body)
    assert response.status_code == 400
    assert response.json()["message"] == "The JSON body is nested too deeply (at most 8 levels)."


def test_an_oversized_body_is_a_400(creator):
    body = json.dumps({"bio": "x" * (256 * 1024)})
    response = raw(api(creator.user), "patch", "/api/v1/creators/me/", body)
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is too large: at most 256 KB of JSON."


@pytest.mark.parametrize("body", ['{"display_name": "A\\u0000B"}', '{"display\\u0000name": "AB"}'])
def test_a_nul_character_in_a_body_is_a_400(body, creator):
    response = raw(api(creator.user), "patch", "/api/v1/creators/me/", body)
    assert response.status_code == 400
    assert response.json()["message"] == "Text in the request cannot contain NUL (\\u0000) characters."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{", "The request body is not valid JSON: "),
        ('{"bio": NaN}', "The request body is not valid JSON: "),
        (b'{"bio": "\xff"}', "The request body is not valid utf-8 text."),
    ],
)
def test_malformed_json_is_a_400(body, message, creator):
    response = raw(api(creator.user), "patch", "/api/v1/creators/me/", body)
    assert response.status_code == 400 and response.json()["message"].startswith(message)


def test_a_body_that_is_not_json_is_a_415(creator):
    response = raw(
        api(creator.user),
        "patch",
        "/api/v1/creators/me/",
        "display_name=X",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert response.json()["message"] == 'Unsupported media type "application/x-www-form-urlencoded" in request.'


# --- bounded lists and strings ----------------------------------------------------------------------------


ROW = {"platform": "instagram", "format": "reel", "quantity": 1}


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"deliverables": [ROW] * 21}, "deliverables"),
        ({"deliverables": [ROW | {"quantity": 11}]}, "deliverables"),
        ({"countries": ["GB"] * 31}, "countries"),
        ({"languages": ["en"] * 13}, "languages"),
        ({"platforms": ["instagram"] * 5}, "platforms"),
        ({"niches": [f"n{i}" for i in range(11)]}, "niches"),
        ({"title": "x" * 141}, "title"),
        ({"dos": "x" * 3001}, "dos"),
    ],
)
def test_a_brief_over_a_bound_is_a_400_naming_the_field(over, field, member):
    response = api(member.user).post("/api/v1/campaigns/", brief(**over))
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not Campaign.objects.exists()


def test_a_brief_at_the_bounds_is_accepted(member):
    response = api(member.user).post("/api/v1/campaigns/", brief(deliverables=[ROW | {"quantity": 10}] * 20))
    assert response.status_code == 201, response.json()
    assert DeliverableSpec.objects.filter(campaign_id=response.json()["id"], quantity=10).count() == 20


def test_the_deliverable_bounds_hold_in_the_service_for_every_caller(member):
    campaign = CampaignFactory(brand=member.brand)
    DeliverableSpecFactory(campaign=campaign)
    with pytest.raises(ValidationError) as rows:
        services.campaign_update(campaign=campaign, actor=member.user, data={}, specs=[ROW] * 21)
    assert rows.value.message_dict == {"deliverables": ["A brief can list at most 20 deliverable rows."]}
    with pytest.raises(ValidationError) as quantity:
        services.campaign_update(campaign=campaign, actor=member.user, data={}, specs=[ROW | {"quantity": 50}])
    assert quantity.value.message_dict == {"deliverables": ["Ask for between 1 and 10 of each deliverable."]}
    assert campaign.deliverable_specs.count() == 1  # the brief's row, untouched


def test_the_quantity_validator_matches_the_bound(member):
    spec = DeliverableSpec(
        campaign=CampaignFactory(brand=member.brand), platform="instagram", format="reel", quantity=11
    )
    with pytest.raises(ValidationError) as exc:
        spec.full_clean()
    assert "quantity" in exc.value.message_dict


def test_an_application_over_a_bound_is_a_400(creator, campaign):
    too_many = api(creator.user).post(
        "/api/v1/applications/",
        {"campaign": campaign.pk, "pitch": "Hello", "sample_links": [f"https://example.com/{i}" for i in range(6)]},
    )
    assert too_many.status_code == 400 and "sample_links" in too_many.json()["errors"]
    too_long = api(creator.user).post("/api/v1/applications/", {"campaign": campaign.pk, "pitch": "x" * 3001})
    assert too_long.status_code == 400 and "pitch" in too_long.json()["errors"]
    assert not Application.objects.exists()


def test_profile_lists_are_bounded_before_any_lookup(creator, django_assert_max_num_queries):
    for i in range(6):
        Niche.objects.get_or_create(slug=f"niche-{i}", defaults={"name": f"Niche {i}"})
    with django_assert_max_num_queries(4):
        response = api(creator.user).patch("/api/v1/creators/me/", {"niches": [f"niche-{i}" for i in range(2000)]})
    assert response.status_code == 400 and response.json()["errors"] == {"niches": ["Pick up to 5 niches."]}
    response = api(creator.user).patch("/api/v1/creators/me/", {"niches": {"food": 1}})
    assert response.status_code == 400 and "niches" in response.json()["errors"]
    response = api(creator.user).patch("/api/v1/creators/me/", {"content_formats": ["photo"] * 9})
    assert response.status_code == 400 and "content_formats" in response.json()["errors"]


# --- anonymous calls ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/campaigns/"),
        ("post", "/api/v1/campaigns/"),
        ("get", "/api/v1/campaigns/1/"),
        ("post", "/api/v1/campaigns/1/publish/"),
        ("get", "/api/v1/applications/"),
        ("post", "/api/v1/applications/"),
        ("get", "/api/v1/creators/"),
        ("get", "/api/v1/creators/me/"),
        ("patch", "/api/v1/creators/me/"),
        ("get", "/api/v1/social-accounts/"),
        ("delete", "/api/v1/social-accounts/1/"),
    ],
)
def test_an_anonymous_call_is_a_401_with_a_challenge(method, url):
    response = getattr(api(), method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"message": "Authentication credentials were not provided.", "errors": {}}


def test_a_wrong_token_is_a_401_too():
    response = api().get("/api/v1/campaigns/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


# --- the schema documents the errors ---------------------------------------------------------------------


def test_every_operation_documents_its_error_answers_with_their_shape():
    schema = APIClient().get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert sorted(error["required"]) == ["errors", "message"]
    assert set(error["properties"]) == {"message", "errors"}
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    # 27 + reviews (list, create) + disputes (list, create, read) + payments (entries, an application's funding)
    # + conversions (create) + a campaign report
    assert len(operations) == 36
    for path, method, op in operations:
        codes = set(op["responses"])
        expected = {"400", "403", "429"} if path == "/api/v1/auth/token/" else {"400", "401", "403", "404", "429"}
        if method in ("post", "put", "patch", "delete") and path != "/api/v1/auth/token/":
            expected.add("409")
        assert expected <= codes, (method, path, codes)
        for code in expected:
            assert op["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, (method, path, code)
