import pytest
from django.urls import reverse

from brands.models import Brand, BrandMember
from core.models import Role
from creators.models import Creator
from tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creator_starts_a_profile(client):
    user = UserFactory(role=Role.CREATOR)
    client.force_login(user)
    response = client.post(
        reverse("creators:onboarding"), {"display_name": "Mia Runs", "handle": "Mia-Runs", "country": "de", "bio": ""}
    )
    assert response.status_code == 302
    creator = Creator.objects.get(user=user)
    assert creator.handle == "mia-runs" and creator.country == "DE" and creator.status == "pending"


def test_taken_handle_keeps_what_was_typed(client):
    CreatorFactory(handle="taken")
    client.force_login(UserFactory(role=Role.CREATOR))
    response = client.post(
        reverse("creators:onboarding"), {"display_name": "Mia Runs", "handle": "TAKEN", "bio": "hello there"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "That handle is taken" in body and 'value="Mia Runs"' in body and "hello there" in body


def test_brand_user_creates_a_brand_and_owns_it(client):
    user = UserFactory(role=Role.BRAND)
    client.force_login(user)
    response = client.post(
        reverse("brands:create"),
        {"name": "Oat & Co", "website": "https://oat.example", "industry": "Food", "description": ""},
    )
    assert response.status_code == 302
    brand = Brand.objects.get()
    assert brand.slug == "oat-co" and brand.status == "pending"
    assert BrandMember.objects.get(brand=brand).user == user


def test_bad_website_is_explained(client):
    client.force_login(UserFactory(role=Role.BRAND))
    response = client.post(reverse("brands:create"), {"name": "Oat & Co", "website": "not a url"})
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert 'value="Oat &amp; Co"' in response.content.decode()


@pytest.mark.parametrize(("role", "url"), [(Role.BRAND, "creators:onboarding"), (Role.CREATOR, "brands:create")])
def test_the_other_sides_onboarding_is_not_found(client, role, url):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(url)).status_code == 404


def test_anonymous_onboarding_asks_to_log_in(client):
    response = client.get(reverse("creators:onboarding"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
