"""The plan of a dense directory page: a look at the window of the sort index fills the page."""

import pytest

from creators import selectors

pytestmark = pytest.mark.django_db


def test_window_plan_fills_a_page_in_one_look(client, brand_user, make_creator, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)  # 30 matches count as "many"
    for i in range(30):
        make_creator({"instagram": 5_000 + i})
    client.force_login(brand_user)
    client.get("/creators/")
    # user (session: cached), the page (one statement: capped count, window ids, cards), niche choices, the brand's
    # memberships and open campaigns (the header's unread counts come from the cache the first request filled;
    # 12 before issue 13: count, window, cards, three prefetches)
    with django_assert_num_queries(5):
        response = client.get("/creators/", {"platform": "instagram"})
    page = response.context["page"]
    assert [c.followers for c in page.creators] == [5_000 + i for i in range(29, 5, -1)] and page.next_cursor
    rest = client.get("/creators/", {"platform": "instagram", "after": page.next_cursor}).context["page"]
    assert [c.followers for c in rest.creators] == [5_000 + i for i in range(5, -1, -1)]


def test_window_follows_the_tier_range(make_creator, monkeypatch):
    """Sorting by followers with a tier filter, the window starts where the tier starts."""
    from django.http import QueryDict

    from creators.filters import CreatorFilter

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    monkeypatch.setattr(selectors, "WINDOW", 3)
    for i in range(5):
        make_creator({"instagram": 2_000_000 + i})  # mega: would fill a window from the top
    for i in range(4):
        make_creator({"instagram": 20_000 + i}, handle=f"micro-{i}")
    f = CreatorFilter(QueryDict("tier=micro"), queryset=selectors.listed_creators())
    assert f.is_valid()
    page = selectors.directory_page(
        f.qs, page_size=2, window_base=f.window_base("followers", selectors.listed_creators())
    )
    assert [c.handle for c in page.creators] == ["micro-3", "micro-2"]


def test_window_follows_the_engagement_range(make_creator, monkeypatch):
    """Sorting by engagement with an engagement range, the window starts where the range starts: the creators
    above it (who would fill a window from the top) are skipped by the sort index itself."""
    from decimal import Decimal

    from django.http import QueryDict

    from creators.filters import CreatorFilter

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    monkeypatch.setattr(selectors, "WINDOW", 3)
    for i in range(5):
        make_creator({"instagram": (5_000, {"engagement_rate": Decimal(20 + i)})}, handle=f"high-{i}")
    for i in range(4):
        make_creator({"instagram": (5_000, {"engagement_rate": Decimal("3.5") + i})}, handle=f"mid-{i}")
    f = CreatorFilter(
        QueryDict("engagement_min=2&engagement_max=7&sort=engagement"), queryset=selectors.listed_creators()
    )
    assert f.is_valid()
    base = f.window_base("engagement", selectors.listed_creators())
    assert sorted(c.handle for c in base) == ["mid-0", "mid-1", "mid-2", "mid-3"]
    page = selectors.directory_page(f.qs, sort="engagement", page_size=2, window_base=base)
    assert [c.handle for c in page.creators] == ["mid-3", "mid-2"] and page.count_capped
    rest = selectors.directory_page(f.qs, sort="engagement", page_size=2, window_base=base, cursor=page.next_cursor)
    assert [c.handle for c in rest.creators] == ["mid-1", "mid-0"] and rest.next_cursor is None
