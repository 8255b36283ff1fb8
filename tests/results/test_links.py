"""Tracked links (issue 11): a link per hire, its redirect with UTM parameters, clicks counted in Redis without a
database write, known bots left out, unique per visitor per day, flushed to ClickDay in one statement."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services as campaign_services
from results import clicks, services
from results.models import ClickDay, TrackedLink
from tests.factories import BrandMemberFactory
from tests.results.conftest import UA_DESKTOP, UA_GOOGLEBOT, UA_PHONE, hire

pytestmark = pytest.mark.django_db

DAY_1 = dt.date(2026, 3, 2)
DAY_2 = dt.date(2026, 3, 3)


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: dt.date):
        monkeypatch.setattr(clicks, "today", lambda: day)

    set_day(DAY_1)
    return set_day


def click(client, code: str, *, ua: str = UA_PHONE, ip: str = "203.0.113.7", **extra):
    return client.get(f"/r/{code}", HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **extra)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)]


def test_each_hire_gets_one_unguessable_link(trail, oat):
    rae = hire(trail, oat, handle="rae-lens")
    link = TrackedLink.objects.get(application=rae)
    assert re.fullmatch(r"[A-Za-z0-9]{10}", link.code)
    assert link.campaign_id == trail.pk
    assert services.link_for_application(application=rae) == link  # asking again makes no second link
    sam = hire(trail, oat, handle="sam-trails")
    assert TrackedLink.objects.get(application=sam).code != link.code


def test_the_link_redirects_to_the_landing_page_with_utm_parameters(client, trail, oat, on_day):
    rae = hire(trail, oat, handle="rae-lens")
    code = rae.tracked_link.code
    response = click(client, code)
    assert response.status_code == 302
    assert response["Location"] == (
        "https://oat.example/bars?ref=spring&utm_source=instagram&utm_medium=influencer"
        f"&utm_campaign=trail-mix-reels-{trail.pk}&utm_content=rae-lens"
    )
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_without_a_landing_page_the_link_goes_to_the_brand_website(client, oat, on_day):
    from tests.campaigns.world import make_open_campaign

    campaign = make_open_campaign(oat, title="Plain", landing_url="")
    rae = hire(campaign, oat, handle="rae-lens")
    response = click(client, rae.tracked_link.code)
    assert response["Location"] == (
        f"https://oat.example?utm_source=instagram&utm_medium=influencer&utm_campaign=plain-{campaign.pk}"
        "&utm_content=rae-lens"
    )


def test_an_unknown_code_is_a_404_and_is_remembered(client, db):
    assert click(client, "nosuchcode").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert click(client, "nosuchcode").status_code == 404
    assert len(queries) == 0  # the answer "no such code" is cached too


def test_a_click_writes_nothing_to_the_database(client, trail, oat, on_day):
    code = hire(trail, oat, handle="rae-lens").tracked_link.code
    with CaptureQueriesContext(connection) as first:
        click(client, code)
    assert writes(first.captured_queries) == []
    assert len(first.captured_queries) == 1  # the one lookup, then cached
    with CaptureQueriesContext(connection) as later:
        for ip in ("203.0.113.8", "203.0.113.9", "198.51.100.1"):
            click(client, code, ip=ip)
    assert later.captured_queries == []
    assert ClickDay.objects.count() == 0
    assert clicks.pending(TrackedLink.objects.get(code=code).pk, DAY_1) == (4, 4)


def test_clicks_are_counted_unique_per_visitor_per_day_and_bots_are_left_out(client, trail, oat, on_day):
    link = hire(trail, oat, handle="rae-lens").tracked_link
    for _ in range(3):
        click(client, link.code)  # the same phone three times: 3 clicks, 1 visitor
    click(client, link.code, ua=UA_DESKTOP)  # same address, another browser: another visitor
    click(client, link.code, ip="198.51.100.20")  # another address: another visitor
    click(client, link.code, ua=UA_GOOGLEBOT)
    click(client, link.code, ua="facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")
    click(client, link.code, ua="")
    click(client, link.code, HTTP_SEC_PURPOSE="prefetch")
    assert click(client, link.code, ua=UA_GOOGLEBOT).status_code == 302  # bots still get where they go
    assert clicks.pending(link.pk, DAY_1) == (5, 3)

    on_day(DAY_2)  # a new day, a new salt: the same phone counts as a visitor again
    click(client, link.code)
    click(client, link.code)
    assert clicks.pending(link.pk, DAY_2) == (2, 1)
    assert clicks.pending(link.pk, DAY_1) == (5, 3)


def test_x_forwarded_for_is_not_trusted_without_a_proxy(client, trail, oat, on_day, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    link = hire(trail, oat, handle="rae-lens").tracked_link
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        click(client, link.code, HTTP_X_FORWARDED_FOR=forged)
    assert clicks.pending(link.pk, DAY_1) == (3, 1)


def test_behind_one_trusted_proxy_the_client_address_it_saw_counts(client, trail, oat, on_day, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    link = hire(trail, oat, handle="rae-lens").tracked_link
    click(client, link.code, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50")
    click(client, link.code, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.50")  # forged left part
    click(client, link.code, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert clicks.pending(link.pk, DAY_1) == (3, 2)


def test_the_flush_writes_every_link_and_day_in_one_statement(client, trail, oat, on_day):
    rae = hire(trail, oat, handle="rae-lens").tracked_link
    sam = hire(trail, oat, handle="sam-trails").tracked_link
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.2"):
        click(client, rae.code, ip=ip)
    click(client, sam.code)
    on_day(DAY_2)
    click(client, rae.code)

    with CaptureQueriesContext(connection) as queries:
        assert clicks.flush() == 3
    assert len(writes(queries.captured_queries)) == 1
    assert "ON CONFLICT" in writes(queries.captured_queries)[0]
    rows = {(r.link_id, r.day): (r.clicks, r.unique_clicks) for r in ClickDay.objects.all()}
    assert rows == {(rae.pk, DAY_1): (3, 2), (sam.pk, DAY_1): (1, 1), (rae.pk, DAY_2): (1, 1)}

    assert clicks.flush() == 0  # nothing clicked since: nothing to write
    click(client, rae.code, ip="198.51.100.9")
    click(client, rae.code, ip="198.51.100.9")
    assert clicks.flush() == 1
    assert ClickDay.objects.get(link=rae, day=DAY_2).clicks == 3
    assert ClickDay.objects.get(link=rae, day=DAY_2).unique_clicks == 2
    assert ClickDay.objects.get(link=rae, day=DAY_1).clicks == 3  # untouched


def test_the_flush_task_runs_the_flush(client, trail, oat, on_day):
    from results.tasks import flush_clicks

    link = hire(trail, oat, handle="rae-lens").tracked_link
    click(client, link.code)
    assert flush_clicks.apply().get() == 1
    assert ClickDay.objects.get(link=link).clicks == 1


def test_promo_codes_are_normalised_and_unique_per_campaign(trail, oat):
    rae = hire(trail, oat, handle="rae-lens").tracked_link
    sam = hire(trail, oat, handle="sam-trails").tracked_link
    services.link_set_promo_code(link=rae, promo_code=" rae 10 ", actor=oat.user)
    assert TrackedLink.objects.get(pk=rae.pk).promo_code == "RAE10"
    with pytest.raises(services.ResultsError, match="RAE10 is already another creator's code in this campaign."):
        services.link_set_promo_code(link=sam, promo_code="rae10", actor=oat.user)
    with pytest.raises(services.ResultsError, match="letters, digits"):
        services.link_set_promo_code(link=sam, promo_code="50%OFF", actor=oat.user)
    from tests.campaigns.world import make_open_campaign

    other = make_open_campaign(oat, title="Autumn")
    tom = hire(other, oat, handle="tom-hikes").tracked_link
    services.link_set_promo_code(link=tom, promo_code="RAE10", actor=oat.user)  # another campaign: fine
    assert TrackedLink.objects.get(pk=tom.pk).promo_code == "RAE10"


def test_the_links_page_sets_a_code_and_keeps_what_was_typed_on_error(client, trail, oat):
    rae = hire(trail, oat, handle="rae-lens").tracked_link
    sam = hire(trail, oat, handle="sam-trails").tracked_link
    services.link_set_promo_code(link=rae, promo_code="RAE10", actor=oat.user)
    client.force_login(oat.user)
    page = client.get(f"/brand/campaigns/{trail.pk}/links/")
    assert page.status_code == 200
    assert f"/r/{rae.code}".encode() in page.content
    refused = client.post(f"/brand/campaigns/{trail.pk}/links/", {"link": sam.pk, f"l{sam.pk}-promo_code": "rae10"})
    assert refused.status_code == 400
    assert b"RAE10 is already another creator&#x27;s code in this campaign." in refused.content
    assert b'value="rae10"' in refused.content
    saved = client.post(f"/brand/campaigns/{trail.pk}/links/", {"link": sam.pk, f"l{sam.pk}-promo_code": "sam5"})
    assert saved.status_code == 302
    assert TrackedLink.objects.get(pk=sam.pk).promo_code == "SAM5"


def test_another_brand_cannot_see_or_change_the_links(client, trail, oat):
    rae = hire(trail, oat, handle="rae-lens").tracked_link
    client.force_login(BrandMemberFactory().user)
    assert client.get(f"/brand/campaigns/{trail.pk}/links/").status_code == 404
    response = client.post(f"/brand/campaigns/{trail.pk}/links/", {"link": rae.pk, f"l{rae.pk}-promo_code": "X"})
    assert response.status_code == 404
    assert TrackedLink.objects.get(pk=rae.pk).promo_code == ""


def test_hires_from_before_links_existed_get_theirs_on_the_links_page(client, trail, oat):
    rae = hire(trail, oat, handle="rae-lens")
    TrackedLink.objects.filter(application=rae).delete()
    client.force_login(oat.user)
    assert client.get(f"/brand/campaigns/{trail.pk}/links/").status_code == 200
    assert TrackedLink.objects.filter(application=rae).count() == 1


def test_the_landing_page_must_be_http_or_https(oat, trail):
    for bad in ("ftp://oat.example/file", "javascript:alert(1)", "oat.example"):
        with pytest.raises(ValidationError) as error:
            campaign_services.campaign_update(
                campaign=trail, actor=oat.user, data={"landing_url": bad}, niches=[], specs=None
            )
        assert "landing_url" in error.value.message_dict
    campaign_services.campaign_update(
        campaign=trail, actor=oat.user, data={"landing_url": "http://oat.example/x"}, niches=[], specs=None
    )
    trail.refresh_from_db()
    assert trail.landing_url == "http://oat.example/x"


def test_the_brand_page_links_to_results_and_tracked_links(client, trail, oat):
    client.force_login(oat.user)
    page = client.get(f"/campaigns/{trail.pk}/").content.decode()
    assert f'href="/brand/campaigns/{trail.pk}/report/">Results</a>' in page
    assert f'href="/brand/campaigns/{trail.pk}/links/">Tracked links</a>' in page


def test_a_code_of_another_shape_is_a_404_without_a_lookup(client, db):
    with CaptureQueriesContext(connection) as queries:
        for code in ("a" * 17, "abc%20def", "ab.cd", "%00"):
            assert client.get(f"/r/{code}").status_code == 404
    assert len(queries) == 0


def test_a_new_landing_page_applies_at_once_not_after_the_cache(
    client, trail, oat, on_day, django_capture_on_commit_callbacks
):
    code = hire(trail, oat, handle="rae-lens").tracked_link.code
    assert click(client, code)["Location"].startswith("https://oat.example/bars?ref=spring&")  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.campaign_update(
            campaign=trail, actor=oat.user, data={"landing_url": "https://oat.example/new"}, niches=None, specs=None
        )
    assert click(client, code)["Location"] == (
        "https://oat.example/new?utm_source=instagram&utm_medium=influencer"
        f"&utm_campaign=trail-mix-reels-{trail.pk}&utm_content=rae-lens"
    )
