"""Pages: what they show, how they refuse, and a constant number of queries whatever the row count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C, Notification
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def _rows(kind: str, n: int, member, creator):
    """n rows of the kind each page lists."""
    for i in range(n):
        if kind == "campaigns":
            make_open_campaign(member, specs=2)
        elif kind == "applicants":
            applicant = make_creator()
            app = services.application_submit(
                campaign=_rows.campaign, creator=applicant, actor=applicant.user, pitch="x"
            )
            services.application_shortlist(application=app, actor=member.user)
        elif kind == "applications":
            campaign = make_open_campaign(member)
            app = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="x")
            if i % 2:
                services.application_accept(application=app, actor=member.user)
        elif kind == "messages":
            services.message_post(application=_rows.application, actor=creator.user, body=f"Message {i}")
            Notification.objects.create(user=creator.user, verb=f"Note {i}", target_url="/")


PAGES = [
    # (name, kind of rows, who looks, url, queries); the session comes from the cache (cached_db sessions)
    ("brand_list", "campaigns", "member", lambda: reverse("campaigns:brand_list"), 6),
    ("brand_dashboard", "campaigns", "member", lambda: reverse("dashboard"), 6),
    # +1: "Campaigns for you"; -2: the cards' specs and niche names are arrays on the campaigns' row (issue 13)
    ("browse", "campaigns", "creator", lambda: reverse("campaigns:browse"), 8),
    # +3: the applicants' reputation (ratings, deliverables, hires), once for the whole list
    ("applicants", "applicants", "member", lambda: reverse("campaigns:applicants", args=[_rows.campaign.pk]), 13),
    ("compare", "applicants", "member", lambda: reverse("campaigns:compare", args=[_rows.campaign.pk]), 10),
    ("my_applications", "applications", "creator", lambda: reverse("campaigns:my_applications"), 3),
    ("creator_dashboard", "applications", "creator", lambda: reverse("dashboard"), 5),  # +1: payouts (payments)
    (
        "application",
        "messages",
        "creator",
        lambda: reverse("campaigns:application", args=[_rows.application.pk]),
        10,
    ),  # +1: reviews, +1: funding status (payments, through campaigns.hooks), +1: the thread's read marker
    ("notifications", "messages", "creator", lambda: reverse("campaigns:notifications"), 3),
]


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize(("name", "kind", "who", "url", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(
    name, kind, who, url, queries, rows, member, creator, client, django_assert_num_queries
):
    _rows.campaign = make_open_campaign(member, slots=50)
    _rows.application = services.application_submit(
        campaign=_rows.campaign, creator=creator, actor=creator.user, pitch="x"
    )
    _rows(kind, rows, member, creator)
    client.force_login(member.user if who == "member" else creator.user)
    target = url()
    with django_assert_num_queries(queries):
        response = client.get(target)
    assert response.status_code == 200


# --- The brief form -----------------------------------------------------------------------------------------


def _form_data(**over):
    today = timezone.localdate()
    data = {
        "title": "Hydration mix",
        "product_description": "Electrolytes without sugar.",
        "goal": "awareness",
        "platforms": ["instagram"],
        "min_followers": "0",
        "compensation_type": "fee",
        "fee_per_creator": "100",
        "slots": "3",
        "total_budget": "300",
        "application_deadline": str(today + dt.timedelta(days=5)),
        "content_due_date": str(today + dt.timedelta(days=15)),
        "usage_rights": "organic",
        "specs-TOTAL_FORMS": "2",
        "specs-INITIAL_FORMS": "0",
        "specs-MIN_NUM_FORMS": "1",
        "specs-MAX_NUM_FORMS": "20",
        "specs-0-platform": "instagram",
        "specs-0-format": "reel",
        "specs-0-quantity": "1",
        "specs-1-platform": "instagram",
        "specs-1-format": "story",
        "specs-1-quantity": "3",
    }
    data.update(over)
    return data


def test_brief_form_saves_a_draft_then_publishes(member, client):
    client.force_login(member.user)
    response = client.post(reverse("campaigns:create"), _form_data(save="1"))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.status == C.DRAFT
    assert [str(s) for s in campaign.deliverable_specs.all()] == ["1 × Instagram Reel", "3 × Instagram Story"]
    preview = client.get(response["Location"]).content.decode()
    assert "Preview: this is how creators will see your brief." in preview and "Publish" in preview
    client.post(reverse("campaigns:campaign_action", args=[campaign.pk, "publish"]))
    assert Campaign.objects.get().status == C.OPEN


def test_brief_form_explains_mistakes_and_keeps_what_was_typed(member, client):
    client.force_login(member.user)
    past = str(timezone.localdate() - dt.timedelta(days=1))
    response = client.post(
        reverse("campaigns:create"),
        _form_data(title="Keep me", application_deadline=past, content_due_date=past, total_budget="100"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The application deadline cannot be in the past." in body
    assert "Content must be due after the application deadline" in body
    assert "does not cover 3 slots × 100.00 = 300.00" in body
    assert 'value="Keep me"' in body and "specs-1-format" in body
    assert not Campaign.objects.exists()


def test_pending_brand_saves_and_is_told_why_it_cannot_publish(client):
    member = BrandMemberFactory(brand__status="pending")
    client.force_login(member.user)
    response = client.post(reverse("campaigns:create"), _form_data(publish="1"), follow=True)
    assert Campaign.objects.get().status == C.DRAFT
    assert "waiting for an admin" in response.content.decode()


def test_add_row_returns_the_next_formset_row(member, client):
    client.force_login(member.user)
    body = client.get(reverse("campaigns:spec_row"), {"index": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="specs-3-platform"' in body and 'name="specs-3-quantity"' in body


def test_no_edit_after_close(member, client):
    campaign = make_open_campaign(member)
    services.campaign_close(campaign=campaign, actor=member.user)
    client.force_login(member.user)
    response = client.get(reverse("campaigns:edit", args=[campaign.pk]), follow=True)
    assert "can no longer be edited" in response.content.decode()


# --- Creators ----------------------------------------------------------------------------------------------------


def test_browse_shows_eligibility_and_filters(member, creator, client):
    make_open_campaign(member, title="Everyone welcome", fee_per_creator=50, total_budget=150)
    make_open_campaign(member, title="Macro only", target_tiers=["macro"], fee_per_creator=500, total_budget=1500)
    client.force_login(creator.user)
    body = client.get(reverse("campaigns:browse")).content.decode()
    assert "Everyone welcome" in body and "Macro only" in body
    assert "Tier: this campaign wants Macro creators." in body
    cheap = client.get(reverse("campaigns:browse"), {"fee_max": "100"}).content.decode()
    assert "Everyone welcome" in cheap and "Macro only" not in cheap
    nonsense = client.get(reverse("campaigns:browse"), {"fee_max": "lots", "deadline_before": "soon"})
    assert nonsense.status_code == 200


def test_apply_page_and_duplicate_is_explained(member, campaign, creator, client):
    client.force_login(creator.user)
    url = reverse("campaigns:apply", args=[campaign.pk])
    response = client.post(
        url, {"pitch": "Trail runner", "proposed_rate": "120", "sample_links": "https://example.com/a"}
    )
    app = Application.objects.get()
    assert response["Location"] == reverse("campaigns:application", args=[app.pk])
    again = client.post(url, {"pitch": "Again", "proposed_rate": "1"}, follow=True)
    assert "You have already applied to this campaign." in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("campaigns:application", args=[app.pk])
    other = make_open_campaign(member)
    bad = client.post(
        reverse("campaigns:apply", args=[other.pk]), {"pitch": "", "proposed_rate": "-3", "sample_links": "not a link"}
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "This field is required." in text and "Enter a valid URL." in text
    assert Application.objects.count() == 1


# --- Applicant review -------------------------------------------------------------------------------------------


def test_one_click_shortlist_with_htmx_returns_the_row(member, application, client):
    client.force_login(member.user)
    url = reverse("campaigns:application_action", args=[application.pk, "shortlist"])
    response = client.post(url, {"from": "applicants"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(f'<tr id="app-{application.pk}"')
    assert "Shortlisted" in body and ">Accept<" in body
    assert Application.objects.get().status == A.SHORTLISTED
    again = client.post(url, {"from": "applicants"}, HTTP_HX_REQUEST="true").content.decode()
    assert "This application is shortlisted, so it cannot become shortlisted." in again


def test_applicants_filter_and_sort(member, campaign, client):
    small, big = make_creator(followers=2_000), make_creator(followers=50_000)
    for c in (small, big):
        services.application_submit(campaign=campaign, creator=c, actor=c.user, pitch="x")
    client.force_login(member.user)
    url = reverse("campaigns:applicants", args=[campaign.pk])
    body = client.get(url, {"sort": "followers"}).content.decode()
    assert body.index(big.display_name) < body.index(small.display_name)
    nano = client.get(url, {"tier": "nano"}).content.decode()
    assert small.display_name in nano and big.display_name not in nano


def test_decline_message_reaches_the_creator(member, application, client):
    client.force_login(member.user)
    client.post(reverse("campaigns:application_action", args=[application.pk, "decline"]), {"message": "Next time"})
    app = Application.objects.get()
    assert (app.status, app.decline_message) == (A.DECLINED, "Next time")


def test_deliverable_flow_in_pages(member, application, creator, client):
    services.application_accept(application=application, actor=member.user)
    d = application.deliverables.get()
    client.force_login(creator.user)
    client.post(
        reverse("campaigns:deliverable_action", args=[d.pk, "submit"]), {f"d{d.pk}-link": "https://example.com/v1"}
    )
    client.force_login(member.user)
    client.post(reverse("campaigns:deliverable_action", args=[d.pk, "revise"]), {"comment": ""})
    d.refresh_from_db()
    assert d.status == "submitted"  # a revision needs a comment
    client.post(reverse("campaigns:deliverable_action", args=[d.pk, "approve"]), {"comment": "Great"})
    client.force_login(creator.user)
    client.post(
        reverse("campaigns:deliverable_action", args=[d.pk, "live"]),
        {f"d{d.pk}-live_url": "https://www.instagram.com/p/C0000000001/"},
    )
    d.refresh_from_db()
    assert (d.status, d.live_url) == ("live", "https://www.instagram.com/p/C0000000001/")
    client.force_login(member.user)
    client.post(reverse("campaigns:application_action", args=[application.pk, "complete"]))
    assert Application.objects.get().status == A.COMPLETED


def test_unread_count_in_the_header_and_reading(
    member, application, creator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_shortlist(application=application, actor=member.user)
    client.force_login(creator.user)
    body = client.get(reverse("campaigns:browse")).content.decode()
    assert '<span class="bell-count">1</span>' in body
    note = Notification.objects.get(user=creator.user)
    response = client.get(reverse("campaigns:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("campaigns:application", args=[application.pk])
    assert '<span class="bell-count">' not in client.get(reverse("campaigns:browse")).content.decode()
    other = Notification.objects.create(user=member.user, verb="x", target_url="/")
    assert client.get(reverse("campaigns:notification_open", args=[other.pk])).status_code == 404


def test_messages_thread(member, application, creator, client):
    client.force_login(creator.user)
    client.post(reverse("campaigns:message", args=[application.pk]), {"body": "Hello brand"})
    client.force_login(member.user)
    body = client.get(reverse("campaigns:application", args=[application.pk])).content.decode()
    assert "Hello brand" in body
    empty = client.post(reverse("campaigns:message", args=[application.pk]), {"body": "  "}, follow=True)
    assert "Write a message first" in empty.content.decode()


def test_draft_campaign_is_not_browsable(member, creator, client):
    draft = CampaignFactory(brand=member.brand, title="Secret launch")
    client.force_login(creator.user)
    assert "Secret launch" not in client.get(reverse("campaigns:browse")).content.decode()
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404


def test_reference_images_are_checked_and_re_encoded(member, client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    campaign = make_open_campaign(member)
    client.force_login(member.user)
    url = reverse("campaigns:reference_image", args=[campaign.pk])
    buf = io.BytesIO()
    Image.new("RGB", (2400, 1200), "teal").save(buf, format="JPEG")
    client.post(url, {"image": SimpleUploadedFile("ref.jpg", buf.getvalue(), content_type="image/jpeg")})
    ref = campaign.reference_images.get()
    with Image.open(ref.image.path) as img:
        assert img.format == "WEBP" and img.size == (1600, 800)
    bad = client.post(
        url, {"image": SimpleUploadedFile("ref.jpg", b"GIF89a not really", content_type="image/jpeg")}, follow=True
    )
    assert "not a JPEG, PNG or WebP" in bad.content.decode() or "This is not" in bad.content.decode()
    assert campaign.reference_images.count() == 1
    client.post(url, {"remove": str(ref.pk)})
    assert not campaign.reference_images.exists()
    other = BrandMemberFactory()
    client.force_login(other.user)
    assert client.post(url, {"remove": "1"}).status_code == 404


def test_invite_control_for_creator_cards(member, creator, client, rf, django_assert_num_queries):
    from django.template import Context, Template

    campaign = make_open_campaign(member, title="Summer box")
    from core.models import User

    request = rf.get("/creators/")
    request.user = User.objects.get(pk=member.user.pk)  # fresh: nothing cached yet
    template = Template("{% load campaign_tags %}{% for c in creators %}{% invite_to_campaign c %}{% endfor %}")
    others = [make_creator() for _ in range(5)]
    with django_assert_num_queries(2):  # brand membership + open campaigns, once for all cards
        html = template.render(Context({"request": request, "creators": [creator, *others], "csrf_token": "t"}))
    assert html.count('name="campaign"') == 6 and "Summer box" in html
    client.force_login(member.user)
    response = client.post(
        reverse("campaigns:invite_any"), {"campaign": campaign.pk, "handle": creator.handle, "next": "/creators/"}
    )
    assert response["Location"] == "/creators/"
    assert Application.objects.get(creator=creator).status == A.INVITED
    evil = client.post(
        reverse("campaigns:invite_any"),
        {"campaign": campaign.pk, "handle": others[0].handle, "next": "https://evil.example/"},
    )
    assert evil["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    stranger = BrandMemberFactory()
    client.force_login(stranger.user)
    assert (
        client.post(reverse("campaigns:invite_any"), {"campaign": campaign.pk, "handle": others[1].handle}).status_code
        == 404
    )
    creator_view = rf.get("/creators/")
    creator_view.user = creator.user
    assert "campaign" not in template.render(Context({"request": creator_view, "creators": [creator]}))


def test_compensation_shows_only_what_the_brief_offers(member, creator, client):
    from decimal import Decimal

    commission = make_open_campaign(
        member,
        compensation_type="commission",
        fee_per_creator=None,
        total_budget=None,
        commission_percent=Decimal("15.00"),
    )
    mix = make_open_campaign(
        member,
        compensation_type="mix",
        fee_per_creator=Decimal("150"),
        total_budget=450,
        gifted_product="Summer <b>box</b>",
        gifted_value=Decimal("45"),
    )
    client.force_login(creator.user)
    assert (
        "<strong>15% commission</strong>"
        in client.get(reverse("campaigns:detail", args=[commission.pk])).content.decode()
    )
    body = client.get(reverse("campaigns:detail", args=[mix.pk])).content.decode()
    assert "<strong>$150 per creator + Summer &lt;b&gt;box&lt;/b&gt; ($45)</strong>" in body


def test_invited_creator_can_apply_or_decline_from_the_application_page(member, campaign, creator, client):
    app = services.application_invite(campaign=campaign, creator=creator, actor=member.user)
    client.force_login(creator.user)
    body = client.get(reverse("campaigns:application", args=[app.pk])).content.decode()
    assert "Decline invitation" in body and reverse("campaigns:apply", args=[campaign.pk]) in body
    assert "Withdraw application" not in body
    client.post(reverse("campaigns:application_action", args=[app.pk, "decline"]))
    app.refresh_from_db()
    assert app.status == A.DECLINED and app.audit_entries.last().actor == creator.user


def test_admin_moderation_goes_through_the_services(
    member, campaign, creator, client, django_capture_on_commit_callbacks
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    from tests.factories import UserFactory
    from tests.factories.users import login_with_mfa

    services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="x")
    draft = CampaignFactory(brand=member.brand)
    admin = UserFactory(role="", is_staff=True, is_superuser=True)
    login_with_mfa(client, admin)
    url = reverse("admin:campaigns_campaign_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "close_campaigns", ACTION_CHECKBOX_NAME: [campaign.pk, draft.pk]})
    campaign.refresh_from_db()
    draft.refresh_from_db()
    assert (campaign.status, draft.status) == (C.CLOSED, C.DRAFT)  # a draft cannot be closed: refused, unchanged
    event = campaign.audit_entries.last()
    assert (event.actor, event.note) == (admin, "Closed by an admin")
    assert creator.user.notifications.filter(verb__contains="no longer takes applications").exists()
    client.post(url, {"action": "cancel_campaigns", ACTION_CHECKBOX_NAME: [campaign.pk]})
    assert Campaign.objects.get(pk=campaign.pk).status == C.CANCELLED
    assert client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("admin:campaigns_application_changelist")).status_code == 200


def test_directory_cards_offer_the_invite_control(member, creator, client):
    make_open_campaign(member, title="Summer box")
    client.force_login(member.user)
    body = client.get(reverse("creators:directory")).content.decode()
    assert reverse("campaigns:invite_any") in body and f'name="handle" value="{creator.handle}"' in body
    assert "Summer box" in body


def test_directory_cards_carry_the_invite_control_campaigns_registers(member, creator, client):
    """creators never imports campaigns: the directory's cards show what campaigns registers (creators/cards.py)."""
    client.force_login(member.user)
    assert 'name="campaign"' not in client.get("/creators/").content.decode()  # no open campaign: no control
    campaign = make_open_campaign(member, title="Autumn trail kit")
    page = client.get("/creators/").content.decode()
    assert page.count('action="/brand/invite/"') == 1
    assert f'<option value="{campaign.pk}">Autumn trail kit</option>' in page
    assert f'name="handle" value="{creator.handle}"' in page


# --- One "can apply" rule (services.apply_blocker) ----------------------------------------------------------------


def test_no_apply_after_the_deadline_even_before_the_closing_task_runs(member, campaign, creator, client):
    """The deadline passed but the scheduled close has not run yet: the campaign is still "open"."""
    Campaign.objects.filter(pk=campaign.pk).update(application_deadline=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(creator.user)
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:apply", args=[campaign.pk]) not in detail
    assert "This campaign is not taking applications." in detail
    page = client.get(reverse("campaigns:apply", args=[campaign.pk])).content.decode()
    assert "This campaign is not taking applications." in page
    refused = client.post(reverse("campaigns:apply", args=[campaign.pk]), {"pitch": "Trail runner"})
    assert refused.status_code == 200 and "This campaign is not taking applications." in refused.content.decode()
    assert "Trail runner" in refused.content.decode()  # what was typed is kept
    assert not Application.objects.exists()


def test_a_pending_brand_is_told_why_it_cannot_publish_and_sees_no_publish_button(client):
    member = BrandMemberFactory(brand__status="pending")
    draft = CampaignFactory(brand=member.brand)
    client.force_login(member.user)
    body = client.get(reverse("campaigns:detail", args=[draft.pk])).content.decode()
    assert "Your brand is waiting for an admin&#x27;s approval" in body
    assert reverse("campaigns:campaign_action", args=[draft.pk, "publish"]) not in body
    assert reverse("campaigns:campaign_action", args=[draft.pk, "cancel"]) in body


# --- History cards read the one audit log, in constant queries ----------------------------------------------------


@pytest.mark.parametrize("rows", [1, 20])
def test_campaign_history_queries_do_not_grow(rows, member, campaign, client, django_assert_num_queries):
    from audit.services import record

    for i in range(rows):  # a different person each time: an actor per row would show as N+1
        record(
            campaign,
            action="moved",
            actor=BrandMemberFactory(brand=member.brand).user,
            from_state="open",
            to_state="open",
            note=f"Note {i}",
        )
    client.force_login(member.user)
    with django_assert_num_queries(10):  # +2: the budget tracker (committed fees, fundings by stage)
        response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and f"Note {rows - 1}" in body
