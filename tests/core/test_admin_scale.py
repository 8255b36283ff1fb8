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
