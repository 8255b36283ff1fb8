"""Issue 14, point 10: the directory of a nano/micro marketplace does not open on the biggest accounts, and an
engagement rate above 100 % (bought likes) is not a headline to rank by."""

import re
from decimal import Decimal


def _handles(body: str) -> list[str]:
    return re.findall(r'<div class="muted small">@([a-z0-9-]+)', body)


def test_the_directory_opens_on_highest_engagement(client, brand_user, make_creator):
    make_creator({"instagram": (900_000, {"engagement_rate": Decimal("0.8")})}, handle="mega-mia")
    make_creator({"instagram": (4_000, {"engagement_rate": Decimal("6.5")})}, handle="nano-nat")
    make_creator({"instagram": (40_000, {"engagement_rate": Decimal("3.1")})}, handle="micro-max")
    client.force_login(brand_user)
    body = client.get("/creators/").content.decode()
    order = [h for h in _handles(body) if h in ("mega-mia", "nano-nat", "micro-max")]
    assert order == ["nano-nat", "micro-max", "mega-mia"]
    assert re.search(r'name="sort"[^>]*>\s*<option value="engagement"', body)  # shown first, so shown chosen
    by_size = client.get("/creators/?sort=followers").content.decode()
    assert [h for h in _handles(by_size) if h in ("mega-mia", "nano-nat", "micro-max")] == [
        "mega-mia",
        "micro-max",
        "nano-nat",
    ]


def test_an_engagement_rate_over_100_percent_is_not_the_creators_headline(make_creator):
    bought = make_creator({"tiktok": (20_000, {"engagement_rate": Decimal("112.000")})}, handle="bought")
    viral = make_creator({"tiktok": (20_000, {"engagement_rate": Decimal("100.000")})}, handle="viral")
    assert bought.engagement_rate is None  # the account keeps its 112 % and its flag; the creator has no headline
    assert bought.accounts.get().engagement_rate == Decimal("112.000")
    assert viral.engagement_rate == Decimal("100.000")
