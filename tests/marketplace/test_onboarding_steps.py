"""Issue 14.4: onboarding is real steps with progress, its next steps are links, the handle help reads right."""

import re

import pytest
from django.urls import reverse

from core.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def steps_of(html: str) -> list[str]:
    nav = html[html.index('data-testid="onboarding"') :]
    nav = nav[: nav.index("</nav>")]
    return [re.sub(r"<[^>]+>|✓|\(done\)", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", nav)]


def test_a_new_creator_walks_three_real_steps(client):
    client.force_login(UserFactory(role=Role.CREATOR))
    start = client.get(reverse("creators:onboarding")).content.decode()
    assert "Step 1 of 3" in start
    assert steps_of(start) == ["Start your profile", "Link your social accounts", "Set your rates"]
    assert "/c/your-handle/" in start and "/c//" not in start

    response = client.post(
        reverse("creators:onboarding"), {"display_name": "Mia Runs", "handle": "mia-runs"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("creators:accounts")
    html = response.content.decode()
    assert "Step 2 of 3" in html
    assert f'Next: <a href="{reverse("creators:accounts")}">link your social accounts</a>' in html
    assert f'<a class="btn btn-sm" href="{reverse("creators:rates")}">Next: Set your rates →</a>' in html

    client.post(reverse("creators:accounts"), {"platform": "instagram", "handle": "mia.runs"})
    rates = client.get(reverse("creators:rates")).content.decode()
    assert "Step 3 of 3" in rates and "Finish: go to your dashboard" in rates
    client.post(
        reverse("creators:rates"),
        {"platform": "instagram", "deliverable": "reel", "price": "80", "currency": "USD", "note": ""},
    )
    done = client.get(reverse("creators:rates")).content.decode()
    assert 'data-testid="onboarding"' not in done  # every step done: no more progress bar


def test_no_linked_accounts_yet_links_to_linking_them(client):
    client.force_login(UserFactory(role=Role.CREATOR))
    client.post(reverse("creators:onboarding"), {"display_name": "Mia Runs", "handle": "mia-runs"})
    status = client.get(reverse("stats:refresh_status")).content.decode()
    assert re.search(
        r'No linked accounts yet\.\s*<a href="/creator/profile/accounts/">Link your social accounts</a>', status
    )
    kit = client.get(reverse("creators:media_kit", args=["mia-runs"])).content.decode()
    assert 'No linked accounts yet. <a href="/creator/profile/accounts/">' in kit


def test_a_new_brand_walks_two_real_steps(client):
    client.force_login(UserFactory(role=Role.BRAND))
    start = client.get(reverse("brands:create")).content.decode()
    assert "Step 1 of 2" in start and steps_of(start) == ["Create your brand", "Draft your first campaign"]
    response = client.post(
        reverse("brands:create"),
        {"name": "Oat & Co", "website": "https://oat.example", "industry": "Food", "description": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("campaigns:create")
    html = response.content.decode()
    assert "Step 2 of 2" in html and "New campaign brief" in html
