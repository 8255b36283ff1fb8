"""Every admin list of a table that grows with the creators pages without counting (core.admin_scale)."""

from __future__ import annotations

import pytest
from django.contrib import admin

from core.admin_scale import LargeListAdmin, PageFirstChangeList
from tests.factories import UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db

# Tables with a row (or several) per creator, user, account or hire: millions at 1M creators.
LARGE = [
    "marketplace.user",
    "creators.creator",
    "creators.socialaccount",
    "creators.ratecardentry",
    "creators.portfolioitem",
    "campaigns.application",
    "campaigns.review",
    "campaigns.notification",
    "stats.authenticityflag",
    "audit.auditentry",
]


def test_every_large_table_admin_pages_without_counting():
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    missing = [label for label in LARGE if not isinstance(registered[label], LargeListAdmin)]
    assert missing == []
    assert all(registered[label].get_changelist(None) is PageFirstChangeList for label in LARGE)


def test_users_list_pages_without_counting(client, django_assert_num_queries):
    login_with_mfa(client, UserFactory(is_staff=True, is_superuser=True, email="staff@example.com"))
    for i in range(4):
        UserFactory(email=f"user{i}@example.com")
    # user (session: cached), MFA check, the page (one row more than it shows): no COUNT, no "N total" COUNT
    with django_assert_num_queries(3):
        response = client.get("/admin/marketplace/user/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    assert "5 users" in " ".join(response.content.decode().split())
    response = client.get("/admin/marketplace/user/", {"q": "user3@"})
    assert [u.email for u in response.context["cl"].result_list] == ["user3@example.com"]


def test_searches_across_a_relation_ask_the_related_table_first(client):
    """The applications' and reviews' lists find rows by the creator's handle, the campaign's title or the brand's
    name as Django's search does (every word in some field, "contains", any case), without joining the tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Application, Review
    from tests.factories import CampaignFactory, CreatorFactory

    def ApplicationFactory(**kwargs):  # noqa: N802 (reads like the factories)
        return Application.objects.create(status="submitted", **kwargs)

    login_with_mfa(client, UserFactory(is_staff=True, is_superuser=True, email="staff@example.com"))
    lena = CreatorFactory(handle="lena-bakes")
    tom = CreatorFactory(handle="tom-runs")
    spring = CampaignFactory(title="Spring Granola Launch", brand__name="Oatly Lenape")
    autumn = CampaignFactory(title="Autumn boots", brand__name="Boots & Co")
    a_lena = ApplicationFactory(creator=lena, campaign=autumn)
    a_tom = ApplicationFactory(creator=tom, campaign=spring)
    ApplicationFactory(creator=tom, campaign=autumn)

    def found(url, q, *, by):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": q})
        assert response.status_code == 200
        # the page's statement filters its own foreign keys by the related table's matches (no DISTINCT)
        page = [x["sql"] for x in queries if "LIMIT 101" in x["sql"]]
        assert len(page) == 1 and "DISTINCT" not in page[0], page
        where = page[0].split(" WHERE ", 1)[1]
        assert all(f'"{column}" = ANY(ARRAY(SELECT' in where for column in by), where
        return {obj.pk for obj in response.context["cl"].result_list}

    applications, keys = "/admin/campaigns/application/", ["creator_id", "campaign_id"]
    assert found(applications, "LENA", by=keys) == {a_lena.pk}  # the handle, any case
    assert found(applications, "granola", by=keys) == {a_tom.pk}  # the campaign's title
    assert found(applications, "tom boots", by=keys) == {Application.objects.get(creator=tom, campaign=autumn).pk}
    assert found(applications, '"spring granola"', by=keys) == {a_tom.pk}  # a quoted phrase is one word
    assert found(applications, "nobody", by=keys) == set()
    everything = client.get(applications, {"q": "   "})  # only spaces: no search, every row
    assert len(everything.context["cl"].result_list) == 3

    rated = Review.objects.create(
        application=a_tom,
        side="brand",
        overall=4,
        communication=4,
        quality=4,
        timeliness=4,
        text="Punctual and careful.",
        window_closes_at=a_tom.created_at,
    )
    reviews, keys = "/admin/campaigns/review/", ["application_id"]
    assert found(reviews, "careful", by=keys) == {rated.pk}  # the review's own text
    assert found(reviews, "tom-runs", by=keys) == {rated.pk}  # two hops: the application's creator
    assert found(reviews, "lenape", by=keys) == {rated.pk}  # the campaign's brand
    assert found(reviews, "lena-bakes", by=keys) == set()
