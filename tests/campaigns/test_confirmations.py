"""Issue 14.6 and issue 10: accepting and inviting ask for a confirmation when there is something to warn about
(a rate above the brief's fee or what is left of the budget, a creator who misses the brief's requirements), name
each warning with its numbers, keep the person's choice and go through only on an explicit confirm. With nothing
to warn about, accepting and inviting stay one click."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A, Deliverable, Notification
from creators.models import Niche
from tests.campaigns.test_api import api
from tests.campaigns.world import make_creator, make_open_campaign

pytestmark = pytest.mark.django_db


def _apply(campaign, creator, rate):
    return services.application_submit(
        campaign=campaign,
        creator=creator,
        actor=creator.user,
        pitch="Hi",
        proposed_rate=None if rate is None else Decimal(rate),
    )


@pytest.fixture
def oats(member):
    """Fee $100 per creator, $300 for three slots."""
    return make_open_campaign(
        member, title="Oat bars", fee_per_creator=Decimal(100), total_budget=Decimal(300), slots=3
    )


@pytest.fixture
def ana():
    return make_creator(display_name="Ana Lens", handle="ana-lens")


def _accept_url(application) -> str:
    return reverse("campaigns:application_action", args=[application.pk, "accept"])


def _warnings(member, application, body=None):
    """The API's answer to an accept without confirm: (status, errors.confirm)."""
    response = api(member.user).post(f"/api/v1/applications/{application.pk}/accept/", body or {}, format="json")
    return response.status_code, response.json()["errors"].get("confirm")


# --- each warning, with its numbers ---------------------------------------------------------------------------


def test_a_rate_above_the_fee_per_creator_is_named_with_its_numbers(member, oats, ana):
    app = _apply(oats, ana, "180")
    assert _warnings(member, app) == (400, ["Ana Lens asks $180, $80 above the brief's fee per creator ($100)."])
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED


def test_a_rate_above_what_is_left_of_the_budget_is_named_with_its_numbers(member, oats, ana):
    # Two hired: one at the fee, one at $150 → $250 of $300 committed, $50 left.
    for rate in ("100", "150"):
        services.application_accept(application=_apply(oats, make_creator(), rate), actor=member.user)
    app = _apply(oats, ana, "90")
    assert _warnings(member, app) == (
        400,
        ["Budget: $90 for Ana Lens is more than what is left, $50 of $300 ($250 is committed to 2 hired creators)."],
    )


def test_without_a_proposed_rate_the_brief_s_fee_is_what_counts_against_the_budget(member, oats, ana):
    services.application_accept(application=_apply(oats, make_creator(), "250"), actor=member.user)
    app = _apply(oats, ana, None)
    assert _warnings(member, app) == (
        400,
        ["Budget: $100 for Ana Lens is more than what is left, $50 of $300 ($250 is committed to 1 hired creator)."],
    )


def test_a_creator_who_no_longer_meets_the_brief_is_named(member, ana):
    dach = make_open_campaign(
        member,
        title="Alpine kit",
        countries=["DE", "AT", "CH"],
        fee_per_creator=Decimal(100),
        total_budget=Decimal(300),
        slots=3,
    )
    ana.country = "AT"
    ana.save(update_fields=["country"])
    app = _apply(dach, ana, "100")
    ana.country = "PL"  # moved after applying
    ana.save(update_fields=["country"])
    assert _warnings(member, app) == (
        400,
        ["Ana Lens no longer meets the brief. Country: open to creators in DE, AT, CH."],
    )


def test_every_warning_at_once(member, ana):
    tight = make_open_campaign(
        member, title="Tight", fee_per_creator=Decimal(100), total_budget=Decimal(100), slots=1, min_followers=50_000
    )
    ana.accounts.update(followers=60_000)
    from creators.services import creator_recompute_audience

    creator_recompute_audience(creator_ids=[ana.pk])
    app = _apply(tight, ana, "120.50")
    ana.accounts.update(followers=40_000)
    creator_recompute_audience(creator_ids=[ana.pk])
    assert _warnings(member, app) == (
        400,
        [
            "Ana Lens asks $120.50, $20.50 above the brief's fee per creator ($100).",
            "Budget: $120.50 for Ana Lens is more than what is left, $100 of $100 "
            "($0 is committed to 0 hired creators).",
            "Ana Lens no longer meets the brief. Followers: at least 50,000 needed.",
        ],
    )


# --- the page: a confirmation step only when there is a warning -----------------------------------------------


def test_nothing_to_warn_about_accepts_in_one_click(member, oats, ana, client):
    app = _apply(oats, ana, "100")  # the fee exactly, $300 left
    client.force_login(member.user)
    response = client.post(_accept_url(app), {"next": "applicants"})
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:applicants", args=[oats.pk])
    assert Application.objects.get(pk=app.pk).status == A.ACCEPTED


def test_accepting_is_a_post_only(member, oats, ana, client):
    app = _apply(oats, ana, "100")
    client.force_login(member.user)
    assert client.get(_accept_url(app)).status_code == 405
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED


def test_the_confirmation_step_names_the_warning_keeps_the_choice_and_changes_nothing(member, oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(member.user)
    response = client.post(_accept_url(app), {"next": "applicants"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Accept Ana Lens for “Oat bars”? They are hired, their deliverables are created and they are told." in body
    assert "<li>Ana Lens asks $180, $80 above the brief&#x27;s fee per creator ($100).</li>" in body
    assert f'<form method="post" action="{_accept_url(app)}">' in body
    assert '<input type="hidden" name="next" value="applicants">' in body
    assert '<input type="hidden" name="confirm" value="true">' in body
    assert '<button type="submit" class="btn">Accept anyway</button>' in body
    assert f'<a class="btn btn-ghost" href="{reverse("campaigns:applicants", args=[oats.pk])}">Cancel</a>' in body
    # Nothing happened: not hired, no deliverables, nobody told.
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED
    assert not Deliverable.objects.filter(application=app).exists()
    assert not Notification.objects.filter(user=ana.user, verb__contains="hired").exists()
    assert not [m for m in mail.outbox if "hired" in m.subject]


def test_from_the_application_page_cancel_goes_back_there(member, oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(member.user)
    body = client.post(_accept_url(app)).content.decode()
    assert f'href="{reverse("campaigns:application", args=[app.pk])}">Cancel</a>' in body
    assert 'name="next"' not in body


def test_confirming_goes_through(member, oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(member.user)
    response = client.post(_accept_url(app), {"next": "applicants", "confirm": "true"}, follow=True)
    assert response.redirect_chain == [(reverse("campaigns:applicants", args=[oats.pk]), 302)]
    assert "Accepted: the creator is hired." in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == A.ACCEPTED
    assert Deliverable.objects.filter(application=app).count() == 1


@pytest.mark.parametrize("value", ["", "false", "no", "0", "maybe"])
def test_anything_but_an_explicit_confirm_shows_the_step_again(value, member, oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(member.user)
    response = client.post(_accept_url(app), {"confirm": value})
    assert response.status_code == 200 and "Accept anyway" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED


def test_the_confirmation_step_has_a_fixed_query_budget(member, oats, ana, client, django_assert_num_queries):
    for _i in range(2):
        services.application_accept(application=_apply(oats, make_creator(), "100"), actor=member.user)
    app = _apply(oats, ana, "180")
    client.force_login(member.user)
    # Session, user, brand membership, the application (with its campaign and creator), the budget sum, the
    # creator's accounts (requirements) and the bell's unread count: the same with 2 hired creators as with 20.
    with django_assert_num_queries(6):
        response = client.post(_accept_url(app))
    assert response.status_code == 200


def test_other_tenants_get_a_404_and_learn_no_warning(other_member, oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(other_member.user)
    for data in ({}, {"confirm": "true"}):
        response = client.post(_accept_url(app), data)
        assert response.status_code == 404
        assert "$180" not in response.content.decode()
    assert (
        api(other_member.user)
        .post(f"/api/v1/applications/{app.pk}/accept/", {"confirm": True}, format="json")
        .status_code
        == 404
    )
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED


def test_the_creator_cannot_accept_and_is_not_shown_the_brand_s_budget(oats, ana, client):
    app = _apply(oats, ana, "180")
    client.force_login(ana.user)
    response = client.post(_accept_url(app), {"confirm": "true"}, follow=True)
    body = response.content.decode()
    assert "Only the brand&#x27;s team can make this application accepted." in body
    assert "above the brief" not in body and "Budget:" not in body
    refused = api(ana.user).post(f"/api/v1/applications/{app.pk}/accept/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"] == {}
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED


# --- the API ---------------------------------------------------------------------------------------------------


def test_api_accept_needs_confirm_true_when_warned(member, oats, ana):
    app = _apply(oats, ana, "180")
    client = api(member.user)
    url = f"/api/v1/applications/{app.pk}/accept/"
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "Accept Ana Lens for “Oat bars”? They are hired, their deliverables are created and they are told. "
        'Send "confirm": true to go ahead: Ana Lens asks $180, $80 above the brief\'s fee per creator '
        "($100).",
        "errors": {"confirm": ["Ana Lens asks $180, $80 above the brief's fee per creator ($100)."]},
    }
    assert client.post(url, {"confirm": False}, format="json").status_code == 400
    bad = client.post(url, {"confirm": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == {"confirm": ["Must be a valid boolean."]}
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED
    done = client.post(url, {"confirm": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == A.ACCEPTED


def test_api_accept_without_a_warning_needs_no_body(member, oats, ana):
    app = _apply(oats, ana, "100")
    done = api(member.user).post(f"/api/v1/applications/{app.pk}/accept/")
    assert done.status_code == 200 and done.json()["status"] == A.ACCEPTED


def test_the_schema_documents_confirm(member):
    schema = api(member.user).get("/api/schema/?format=json").json()
    accept = schema["paths"]["/api/v1/applications/{id}/accept/"]["post"]
    body = accept["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    confirm = schema["components"]["schemas"][body]["properties"]["confirm"]
    assert confirm["type"] == "boolean" and confirm["default"] is False
    assert "errors.confirm" in accept["responses"]["400"]["description"]


# --- inviting from the directory --------------------------------------------------------------------------------


@pytest.fixture
def alpine(member, niche_taxonomy):
    campaign = make_open_campaign(
        member, title="Alpine kit", countries=["DE", "AT", "CH"], languages=["de"], target_tiers=["nano", "micro"]
    )
    food, _c = Niche.objects.get_or_create(slug="food", defaults={"name": "Food"})
    campaign.niches.set([food])
    return campaign


@pytest.fixture
def polish_mega():
    return make_creator(
        followers=2_000_000,
        platform="tiktok",
        country="PL",
        languages=["pl"],
        display_name="Mega Marta",
        handle="mega-marta",
    )


def test_inviting_from_the_directory_a_creator_who_misses_the_brief_shows_the_misses(
    member, alpine, polish_mega, client, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    mail.outbox.clear()
    response = client.post(
        reverse("campaigns:invite_any"),
        {"campaign": alpine.pk, "handle": "mega-marta", "next": "/creators/?country=PL"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and Notification.objects.count() == 0
    assert "Mega Marta does not fit everything “Alpine kit” asks for. Invite anyway?" in body
    assert (
        '<ul class="missed"><li>Tier: this campaign wants Nano, Micro creators.</li>'
        "<li>Platform: link an account on Instagram.</li>"
        "<li>Country: open to creators in DE, AT, CH.</li>"
        "<li>Language: content in de.</li>"
        "<li>Niche: this campaign is about Food &amp; drink.</li></ul>"
    ) in body
    assert f'<form method="post" action="{reverse("campaigns:invite_any")}">' in body
    for hidden in (
        'name="handle" value="mega-marta"',
        f'name="campaign" value="{alpine.pk}"',
        'name="next" value="/creators/?country=PL"',
        'name="confirm" value="true"',
    ):
        assert f'<input type="hidden" {hidden}>' in body
    assert '<a class="btn btn-ghost" href="/creators/?country=PL">Cancel</a>' in body
    assert '<button type="submit" class="btn">Invite anyway</button>' in body
    assert not Application.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("campaigns:invite_any"),
            {"campaign": alpine.pk, "handle": "mega-marta", "next": "/creators/?country=PL", "confirm": "true"},
        )
    assert confirmed.status_code == 302 and confirmed["Location"] == "/creators/?country=PL"
    invited = Application.objects.get()
    assert (invited.creator, invited.status) == (polish_mega, A.INVITED)
    # The invitation itself is unchanged: the same bell and email as without a warning.
    assert [m.subject for m in mail.outbox] == [
        f"[Creator Marketplace] {member.brand.name} invited you to “Alpine kit”."
    ]
    assert (
        Notification.objects.filter(
            user=polish_mega.user, verb=f"{member.brand.name} invited you to “Alpine kit”."
        ).count()
        == 1
    )


def test_inviting_a_creator_who_fits_needs_no_confirmation(member, alpine, client):
    fits = make_creator(followers=12_000, country="AT", languages=["de", "en"], handle="fits")
    fits.niches.set(alpine.niches.all())
    client.force_login(member.user)
    response = client.post(reverse("campaigns:invite", args=[alpine.pk]), {"handle": "fits"})
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:detail", args=[alpine.pk])
    assert Application.objects.get().creator == fits


def test_the_invite_confirmation_does_not_keep_an_outside_next(member, alpine, polish_mega, client):
    client.force_login(member.user)
    body = client.post(
        reverse("campaigns:invite_any"),
        {"campaign": alpine.pk, "handle": "mega-marta", "next": "https://evil.example/"},
    ).content.decode()
    assert "evil.example" not in body
    assert f'href="{reverse("campaigns:detail", args=[alpine.pk])}">Cancel</a>' in body


def test_another_brand_cannot_invite_to_the_campaign_nor_see_the_misses(other_member, alpine, polish_mega, client):
    client.force_login(other_member.user)
    for data in ({}, {"confirm": "true"}):
        response = client.post(reverse("campaigns:invite_any"), {"campaign": alpine.pk, "handle": "mega-marta", **data})
        assert response.status_code == 404 and "Country" not in response.content.decode()
    assert not Application.objects.exists()


def test_niches_are_said_before_an_invitation_but_never_stop_an_application(member, alpine):
    # A creator in Austria, German-speaking, micro, on Instagram, but with no Food niche: eligible to apply.
    outsider = make_creator(followers=12_000, country="AT", languages=["de"])
    app = _apply(alpine, outsider, None)
    assert app.status == A.SUBMITTED


def test_the_invite_confirmation_has_a_fixed_query_budget(
    member, alpine, polish_mega, client, django_assert_num_queries
):
    client.force_login(member.user)
    # Session, user, brand membership, the campaign with its prefetched niches, lines and reference images, the
    # creator by handle, their accounts (platform), their niches and the bell's unread count.
    with django_assert_num_queries(10):
        response = client.post(reverse("campaigns:invite_any"), {"campaign": alpine.pk, "handle": "mega-marta"})
    assert response.status_code == 200
