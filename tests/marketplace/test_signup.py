import pytest
from django.core import mail
from django.urls import reverse

from core.models import Role, User
from tests.factories import BrandMemberFactory, CreatorFactory, UserFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {"email": "new@example.com", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}


def signup(client, **data):
    return client.post(reverse("account_signup"), data, follow=False)


@pytest.mark.parametrize(("role", "next_url"), [("creator", "creators:onboarding"), ("brand", "brands:create")])
def test_signup_sends_each_side_to_its_next_step(client, role, next_url):
    response = signup(client, **GOOD, role=role, full_name="Sam Doe")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.role == role and user.full_name == "Sam Doe"
    followed = client.get(response["Location"])
    assert followed.status_code == 302 and followed["Location"] == reverse(next_url)
    assert client.get(followed["Location"]).status_code == 200
    # allauth sends the verification email
    assert any("new@example.com" in m.to for m in mail.outbox)


def test_missing_role_is_explained_and_typed_values_kept(client):
    response = signup(client, **GOOD, full_name="Sam Doe")
    assert response.status_code == 200
    assert "Choose whether you are a creator or a brand." in response.content.decode()
    assert 'value="new@example.com"' in response.content.decode()
    assert 'value="Sam Doe"' in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_taken_email_is_explained(client):
    UserFactory(email="taken@example.com")
    response = signup(client, **{**GOOD, "email": "Taken@Example.com"}, role="creator")
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_weak_password_is_explained_and_email_kept(client):
    response = signup(client, email="weak@example.com", password1="password", password2="password", role="brand")
    assert response.status_code == 200
    body = response.content.decode()
    assert "too common" in body or "too short" in body
    assert 'value="weak@example.com"' in body
    assert 'value="brand"' in body and "checked" in body


def test_role_is_preselected_from_the_landing_page(client):
    body = client.get(reverse("account_signup") + "?role=brand").content.decode()
    assert 'value="brand" id="id_role_1" checked' in body or ('value="brand"' in body and "checked" in body)


def test_login_with_email_and_logout(client):
    user = UserFactory(email="me@example.com", role=Role.CREATOR)
    CreatorFactory(user=user)
    response = client.post(reverse("account_login"), {"login": "ME@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="me@example.com")
    response = client.post(reverse("account_login"), {"login": "me@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_sends_a_link(client):
    UserFactory(email="forgot@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert response.status_code == 302
    assert any("forgot@example.com" in m.to and "/accounts/password/reset/key/" in m.body for m in mail.outbox)


def test_login_failures_are_throttled(client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong-guess-123"})
    response = client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong-guess-123"})
    assert response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def test_dashboard_shows_the_brand_once_created(client):
    member = BrandMemberFactory()
    client.force_login(member.user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert member.brand.name in response.content.decode()


def test_staff_dashboard_goes_to_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("admin:index")
