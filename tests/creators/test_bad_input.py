"""Whatever arrives in a URL or a form, the answer is a page or a JSON error, never a 500."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

NASTY = [
    {"followers_min": "99999999999999999999999999"},
    {"followers_min": "1e400"},
    {"followers_min": "NaN"},
    {"engagement_max": "-1"},
    {"price_min": "Infinity"},
    {"q": "x" * 500},
    {"q": "\x00"},
    {"q": "a & | ! ( ) : * ' \" \\"},
    {"sort": "; DROP TABLE creators_creator"},
    {"tier": ["micro", "giant"]},
    {"niche": "not-a-niche"},
    {"country": "Germany"},
    {"after": "MTB8eA"},  # base64 of "1|x"
    {"after": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5fDE"},  # a huge sort value
    {"sort": "newest", "after": "bm90LWEtZGF0ZXwx"},  # "not-a-date|1"
    {"sort": "engagement", "after": "YWJjfDE"},  # "abc|1"
]


@pytest.mark.parametrize("params", NASTY)
def test_directory_never_fails(client, brand_user, make_creator, params):
    make_creator({"instagram": 5_000})
    client.force_login(brand_user)
    response = client.get("/creators/", params)
    assert response.status_code == 200


@pytest.mark.parametrize("params", NASTY)
def test_api_list_never_fails(brand_user, make_creator, params):
    make_creator({"instagram": 5_000})
    api = APIClient()
    api.force_authenticate(brand_user)
    response = api.get("/api/v1/creators/", params)
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")
