"""Role × URL × method × expected status. Other tenants' objects answer 404, never 403 (STYLE.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C, Deliverable
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, CampaignFactory, UserFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "creator", "other_creator", "member", "other_member", "staff"]


@pytest.fixture
def world():
    member = BrandMemberFactory()
    other_member = BrandMemberFactory()
    creator, other_creator = make_creator(), make_creator()
    campaign = make_open_campaign(member, slots=2)
    draft = CampaignFactory(brand=member.brand)
    application = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Hi")
    # a second, accepted application with a deliverable, so deliverable URLs have a target
    hired_creator = make_creator()
    hired = services.application_submit(campaign=campaign, creator=hired_creator, actor=hired_creator.user, pitch="Yo")
    hired = services.application_accept(application=hired, actor=member.user)
    staff = UserFactory(role="", is_staff=True, is_superuser=True)
    return {
        "users": {
            "creator": creator.user,
            "other_creator": other_creator.user,
            "member": member.user,
            "other_member": other_member.user,
            "staff": staff,
            "hired": hired_creator.user,
        },
        "campaign": campaign,
        "draft": draft,
        "application": application,
        "hired": hired,
        "deliverable": hired.deliverables.get(),
    }


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


LOGIN = 302
PAGES = {
    # name: (url builder, {role: expected})
    "brand_list": (
        lambda w: reverse("campaigns:brand_list"),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=200, other_member=200, staff=404),
    ),
    "create": (
        lambda w: reverse("campaigns:create"),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=200, other_member=200, staff=404),
    ),
    "edit": (
        lambda w: reverse("campaigns:edit", args=[w["campaign"].pk]),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=200, other_member=404, staff=404),
    ),
    "detail_open": (
        lambda w: reverse("campaigns:detail", args=[w["campaign"].pk]),
        dict(anonymous=200, creator=200, other_creator=200, member=200, other_member=404, staff=200),
    ),
    "detail_draft": (
        lambda w: reverse("campaigns:detail", args=[w["draft"].pk]),
        dict(anonymous=404, creator=404, other_creator=404, member=200, other_member=404, staff=200),
    ),
    "applicants": (
        lambda w: reverse("campaigns:applicants", args=[w["campaign"].pk]),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=200, other_member=404, staff=404),
    ),
    "compare": (
        lambda w: reverse("campaigns:compare", args=[w["campaign"].pk]),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=200, other_member=404, staff=404),
    ),
    "browse": (
        lambda w: reverse("campaigns:browse"),
        # public (issue 14): the open campaigns, without eligibility, for everyone who is not a creator
        dict(anonymous=200, creator=200, other_creator=200, member=200, other_member=200, staff=200),
    ),
    # the creator who applied already is sent to their application
    "apply": (
        lambda w: reverse("campaigns:apply", args=[w["campaign"].pk]),
        dict(anonymous=LOGIN, creator=302, other_creator=200, member=404, other_member=404, staff=404),
    ),
    "apply_draft": (
        lambda w: reverse("campaigns:apply", args=[w["draft"].pk]),
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=404, other_member=404, staff=404),
    ),
    "application": (
        lambda w: reverse("campaigns:application", args=[w["application"].pk]),
        dict(anonymous=LOGIN, creator=200, other_creator=404, member=200, other_member=404, staff=404),
    ),
    "my_applications": (
        lambda w: reverse("campaigns:my_applications"),
        dict(anonymous=LOGIN, creator=200, other_creator=200, member=404, other_member=404, staff=404),
    ),
    "notifications": (
        lambda w: reverse("campaigns:notifications"),
        dict(anonymous=LOGIN, creator=200, other_creator=200, member=200, other_member=200, staff=200),
    ),
    # issue 14: the messages inbox, its live rows, a thread's live rows (204: nothing newer)
    "inbox": (
        lambda w: reverse("campaigns:inbox"),
        dict(anonymous=LOGIN, creator=200, other_creator=200, member=200, other_member=200, staff=404),
    ),
    "inbox_new": (
        lambda w: reverse("campaigns:inbox_new") + "?after=0",
        dict(anonymous=LOGIN, creator=204, other_creator=204, member=204, other_member=204, staff=404),
    ),
    "thread_new": (
        lambda w: reverse("campaigns:thread_new", args=[w["application"].pk]) + "?after=0",
        dict(anonymous=LOGIN, creator=204, other_creator=404, member=204, other_member=404, staff=404),
    ),
    "api_campaign": (
        lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/",
        dict(anonymous=401, creator=200, other_creator=200, member=200, other_member=404, staff=200),
    ),
    "api_draft": (
        lambda w: f"/api/v1/campaigns/{w['draft'].pk}/",
        dict(anonymous=401, creator=404, other_creator=404, member=200, other_member=404, staff=200),
    ),
    "api_application": (
        lambda w: f"/api/v1/applications/{w['application'].pk}/",
        dict(anonymous=401, creator=200, other_creator=404, member=200, other_member=404, staff=404),
    ),
}
GET_CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "role"), GET_CASES, ids=[f"GET-{p}-{r}" for p, r in GET_CASES])
def test_get(page, role, world, client):
    url_for, expected = PAGES[page]
    response = client_for(client, world, role).get(url_for(world))
    assert response.status_code == expected[role]
    if role == "anonymous" and expected[role] == LOGIN:
        assert "/accounts/login/" in response["Location"]
    elif response.status_code == 302:
        assert response["Location"] == reverse("campaigns:application", args=[world["application"].pk])


def _status(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


# name: (url builder, data, {role: expected}, object to watch, status it gets when the move is made, who may make it)
ACTIONS = {
    "cancel_campaign": (
        lambda w: reverse("campaigns:campaign_action", args=[w["campaign"].pk, "cancel"]),
        {},
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=302, other_member=404, staff=404),
        "campaign",
        C.CANCELLED,
        {"member"},
    ),
    "shortlist": (
        lambda w: reverse("campaigns:application_action", args=[w["application"].pk, "shortlist"]),
        {},
        dict(anonymous=LOGIN, creator=302, other_creator=404, member=302, other_member=404, staff=404),
        "application",
        A.SHORTLISTED,
        {"member"},
    ),
    "accept": (
        lambda w: reverse("campaigns:application_action", args=[w["application"].pk, "accept"]),
        {},
        dict(anonymous=LOGIN, creator=302, other_creator=404, member=302, other_member=404, staff=404),
        "application",
        A.ACCEPTED,
        {"member"},
    ),
    "decline": (
        lambda w: reverse("campaigns:application_action", args=[w["application"].pk, "decline"]),
        {"message": "no"},
        dict(anonymous=LOGIN, creator=302, other_creator=404, member=302, other_member=404, staff=404),
        "application",
        A.DECLINED,
        {"member"},
    ),
    "withdraw": (
        lambda w: reverse("campaigns:application_action", args=[w["application"].pk, "withdraw"]),
        {},
        dict(anonymous=LOGIN, creator=302, other_creator=404, member=302, other_member=404, staff=404),
        "application",
        A.WITHDRAWN,
        {"creator"},
    ),
    "submit_draft": (
        lambda w: reverse("campaigns:deliverable_action", args=[w["deliverable"].pk, "submit"]),
        lambda w: {f"d{w['deliverable'].pk}-link": "https://example.com/draft"},
        dict(anonymous=LOGIN, creator=404, other_creator=404, member=302, other_member=404, staff=404),
        "deliverable",
        "submitted",
        set(),
    ),
    "api_shortlist": (
        lambda w: f"/api/v1/applications/{w['application'].pk}/shortlist/",
        {},
        dict(anonymous=401, creator=403, other_creator=404, member=200, other_member=404, staff=404),
        "application",
        A.SHORTLISTED,
        {"member"},
    ),
    "api_withdraw": (
        lambda w: f"/api/v1/applications/{w['application'].pk}/withdraw/",
        {},
        dict(anonymous=401, creator=200, other_creator=404, member=403, other_member=404, staff=404),
        "application",
        A.WITHDRAWN,
        {"creator"},
    ),
    "api_cancel": (
        lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/cancel/",
        {},
        dict(anonymous=401, creator=404, other_creator=404, member=200, other_member=404, staff=404),
        "campaign",
        C.CANCELLED,
        {"member"},
    ),
}
POST_CASES = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role"), POST_CASES, ids=[f"POST-{a}-{r}" for a, r in POST_CASES])
def test_post(action, role, world, client):
    url_for, data, expected, watched, moved_to, movers = ACTIONS[action]
    before = _status(world[watched])
    response = client_for(client, world, role).post(url_for(world), data(world) if callable(data) else data)
    assert response.status_code == expected[role]
    after = _status(world[watched])
    assert (after == moved_to) == (role in movers), f"{role} {'could not' if role in movers else 'could'} {action}"
    if role not in movers:
        assert after == before


def test_the_hired_creator_submits_a_draft(world, client):
    client.force_login(world["users"]["hired"])
    url = reverse("campaigns:deliverable_action", args=[world["deliverable"].pk, "submit"])
    data = {f"d{world['deliverable'].pk}-link": "https://example.com/draft"}
    assert client.post(url, data).status_code == 302
    assert Deliverable.objects.get(pk=world["deliverable"].pk).status == "submitted"


def test_invite_is_for_the_brand_team_only(world, client):
    from creators.models import Creator

    target = make_creator()
    url = reverse("campaigns:invite", args=[world["campaign"].pk])
    for role in ("creator", "other_member", "staff"):
        client.force_login(world["users"][role])
        assert client.post(url, {"handle": target.handle}).status_code == 404
    client.force_login(world["users"]["member"])
    assert client.post(url, {"handle": target.handle}).status_code == 302
    assert Application.objects.get(creator=target).status == A.INVITED
    assert Creator.objects.count() >= 4


def test_password_login_reaches_the_pages(world, client):
    assert client.login(email=world["users"]["member"].email, password=PASSWORD)
    assert client.get(reverse("campaigns:brand_list")).status_code == 200
    assert Campaign.objects.filter(pk=world["campaign"].pk).exists()
