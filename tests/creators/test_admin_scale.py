"""The creators' admin at a million rows (issue 13): full-text search over the search document, exact handle /
e-mail / account handle, no exact count, a query count that does not grow with the rows."""

from __future__ import annotations

import pytest

from creators.admin import CreatorAdmin
from creators.models import Creator
from creators.services import creator_refresh_search
from tests.factories import CreatorFactory, SocialAccountFactory, UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db

URL = "/admin/creators/creator/"


@pytest.fixture
def admin_client(client):
    login_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))
    return client


def shown(response) -> set[str]:
    return {c.handle for c in response.context["cl"].result_list}


def test_search_finds_by_words_handle_email_and_account_handle(admin_client):
    runner = CreatorFactory(display_name="Lena Runs", handle="lena-runs", bio="Marathon training and trail running.")
    baker = CreatorFactory(display_name="Omar Bakes", handle="omar-bakes", bio="Sourdough every Sunday.")
    baker.user.email = "omar@bakery.example"
    baker.user.save()
    SocialAccountFactory(creator=baker, platform="tiktok", handle="OmarOnTikTok")
    creator_refresh_search(creator_ids=[runner.pk, baker.pk])
    assert shown(admin_client.get(URL, {"q": "marath"})) == {"lena-runs"}  # a prefix of a bio word
    assert shown(admin_client.get(URL, {"q": "lena run"})) == {"lena-runs"}  # every word
    assert shown(admin_client.get(URL, {"q": "@omar-bakes"})) == {"omar-bakes"}
    assert shown(admin_client.get(URL, {"q": "OMAR@bakery.example"})) == {"omar-bakes"}
    assert shown(admin_client.get(URL, {"q": "omarontiktok"})) == {"omar-bakes"}
    assert shown(admin_client.get(URL, {"q": "zeppelin"})) == set()
    assert admin_client.get(URL, {"q": "'&|!:*()"}).status_code == 200  # punctuation cannot break the query


@pytest.mark.parametrize("rows", [1, 20])
def test_changelist_queries_do_not_grow(rows, admin_client, django_assert_num_queries):
    for _ in range(rows):
        CreatorFactory()
    # user (session: cached), MFA check, the country filter's choices, the page (users joined; no count: see below)
    with django_assert_num_queries(4):
        response = admin_client.get(URL)
    assert response.status_code == 200 and len(response.context["cl"].result_list) == rows


def test_country_filter_lists_each_country_once(admin_client):
    for country in ("DE", "GB", "DE", "", "US"):
        CreatorFactory(country=country)
    response = admin_client.get(URL)
    spec = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "country")
    assert [value for value, _label in spec.lookup_choices] == ["DE", "GB", "US"]


def words(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_short_list_is_counted_from_its_page(admin_client, django_assert_num_queries):
    for _ in range(3):
        CreatorFactory()
    admin_client.get(URL)  # the country choices are cached from here on
    # user (session: cached), MFA check, the page (one row more than it shows): no COUNT
    with django_assert_num_queries(3):
        response = admin_client.get(URL)
    assert response.context["cl"].result_count == 3
    assert "3 creators" in words(response)


def test_a_full_page_shows_the_planners_estimate(admin_client, monkeypatch):
    monkeypatch.setattr("core.admin_scale.planner_estimate", lambda queryset: 16_924)
    for _ in range(5):
        CreatorFactory()
    monkeypatch.setattr(CreatorAdmin, "list_per_page", 2)
    response = admin_client.get(URL)
    cl = response.context["cl"]
    assert cl.result_count == 17_000  # two significant digits
    assert len(cl.result_list) == 2
    assert "about 17,000 creators" in words(response)
    assert "Show counts" not in words(response)  # facets would count every filter choice over the table
    assert cl.paginator.num_pages == 100  # links stop at a hundred pages


def test_the_search_bar_says_about(admin_client, monkeypatch):
    monkeypatch.setattr("core.admin_scale.planner_estimate", lambda queryset: 16_924)
    monkeypatch.setattr(CreatorAdmin, "list_per_page", 2)
    for i in range(3):
        CreatorFactory(display_name=f"Lena {i}")
    creator_refresh_search(creator_ids=list(Creator.objects.values_list("pk", flat=True)))
    assert "about 17,000 results" in words(admin_client.get(URL, {"q": "lena"}))
    monkeypatch.setattr(CreatorAdmin, "list_per_page", 100)
    assert "3 results" in words(admin_client.get(URL, {"q": "lena"}))


def test_an_estimate_too_low_becomes_a_lower_bound(admin_client, monkeypatch):
    monkeypatch.setattr("core.admin_scale.planner_estimate", lambda queryset: 1)
    monkeypatch.setattr(CreatorAdmin, "list_per_page", 2)
    for _ in range(5):
        CreatorFactory()
    response = admin_client.get(URL)
    assert response.context["cl"].result_count == 2
    assert "2+ creators" in words(response)
    response = admin_client.get(URL, {"p": 3})  # the last page is short: exact
    assert [len(response.context["cl"].result_list), response.context["cl"].result_count] == [1, 5]
    assert "5 creators" in words(response)
    assert admin_client.get(URL, {"p": 9}).status_code == 302  # past the end: Django's "?e=1" redirect


def test_the_real_estimate_comes_from_postgresql(admin_client):
    from core.admin_scale import planner_estimate

    for _ in range(3):
        CreatorFactory()
    assert planner_estimate(Creator.objects.values("pk")) >= 1
    assert planner_estimate(Creator.objects.filter(handle="no-such-handle").values("pk")) <= 1


def test_row_checkbox_is_djangos_markup(admin_client):
    creator = CreatorFactory(display_name="Ana <b>", handle="ana-b")
    body = admin_client.get(URL).content.decode()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{creator.pk}" class="action-select" '
        'aria-label="Select this object for an action - Ana &lt;b&gt; (@ana-b)">'
    ) in body


def test_country_choices_are_cached_between_requests(admin_client, django_assert_num_queries):
    CreatorFactory(country="DE")
    admin_client.get(URL)  # fills the cache
    CreatorFactory(country="FR")
    # user (session: cached), MFA check, the page: the countries come from the cache
    with django_assert_num_queries(3):
        response = admin_client.get(URL)
    spec = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "country")
    assert [value for value, _label in spec.lookup_choices] == ["DE"]


def test_the_page_reads_only_the_listed_columns(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CreatorFactory(display_name="Ana", bio="A long bio nobody lists.")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(URL)
    page = next(q["sql"] for q in queries.captured_queries if 'FROM "creators_creator"' in q["sql"])
    assert '"creators_creator"."display_name"' in page
    assert '"creators_creator"."bio"' not in page and "search_vector" not in page and "marketplace_user" not in page
    assert "Ana" in words(response)


def test_the_estimate_is_asked_once_a_minute(admin_client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(CreatorAdmin, "list_per_page", 2)
    for _ in range(4):
        CreatorFactory()
    admin_client.get(URL)  # the countries and the estimate (an EXPLAIN) go to the cache
    # user (session: cached), MFA check, the page: the estimate comes from the cache
    with django_assert_num_queries(3):
        response = admin_client.get(URL)
    assert response.context["cl"].paginator.approximate or response.context["cl"].paginator.more


def test_row_links_keep_the_lists_filters(admin_client):
    creator = CreatorFactory(display_name="Lena Runs", handle="lena-runs", country="DE")
    creator_refresh_search(creator_ids=[creator.pk])
    body = admin_client.get(URL, {"q": "lena", "country": "DE"}).content.decode()
    assert f'href="/admin/creators/creator/{creator.pk}/change/?_changelist_filters=q%3Dlena%26country%3DDE"' in body
    body = admin_client.get(URL).content.decode()
    assert f'href="/admin/creators/creator/{creator.pk}/change/"' in body
