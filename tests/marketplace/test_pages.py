import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/accounts/signup/", "/accounts/login/", "/admin/login/", "/accounts/password/reset/"]
)
def test_public_pages_answer(client, url):
    # /admin/login/ is the site's login (tests/security/test_signin.py): it answers after one redirect.
    assert client.get(url, follow=True).status_code == 200


def test_landing_page_speaks_to_both_sides(client):
    body = client.get("/").content.decode()
    assert "For creators" in body and "For brands" in body
    assert "?role=creator" in body and "?role=brand" in body


def test_unknown_url_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_csp_forbids_inline_script_without_the_nonce(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_static_assets_are_local(client):
    body = client.get("/").content.decode()
    assert "/static/css/app.css" in body and "/static/vendor/htmx.min.js" in body
    assert "//cdn" not in body and "https://" not in re.sub(r'href="https://[^"]*example[^"]*"', "", body)


def test_api_token_with_email_and_password(client, django_user_model):
    django_user_model.objects.create_user(email="api@example.com", password="long-enough-pass", role="brand")
    ok = client.post(
        reverse("api-token"),
        {"email": "API@example.com", "password": "long-enough-pass"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    bad = client.post(reverse("api-token"), {"email": "api@example.com"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"]["password"]
    wrong = client.post(
        reverse("api-token"), {"email": "api@example.com", "password": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["message"] == "Email or password is not correct."


def test_openapi_schema_and_docs(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "/static/drf_spectacular_sidecar/" in docs.content.decode()
    assert "<script>" not in docs.content.decode()  # the init script is a separate request (CSP)
    assert client.get("/api/docs/?script=").status_code == 200
