"""Audience demographics (issue 11): the creator's own figures (validated, marked self-reported), and the bars on
the media kit page and its PDF with the numbers written out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from creators.demographics import bars, shares_from_counts, validate
from creators.models import AudienceDemographics
from creators.services import account_demographics_set
from tests.factories import CreatorFactory, SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_validation_rules():
    assert validate({"US": 40, "GB": 20.5}, {"18-24": 30, "25-34": 70}, {"female": 55, "male": 45}) == {}
    assert validate({"XX": 10, "US": 101}, {"12-17": 5, "18-24": -1}, {"female": 60, "male": 50}) == {
        "countries": ["“XX” is not a known country code.", "Each percentage is between 0 and 100."],
        "ages": ["“12-17” is not a known age bracket.", "Each percentage is between 0 and 100."],
        "genders": ["The percentages add up to 110 %: at most 100 %."],
    }
    six = dict.fromkeys(("US", "GB", "DE", "FR", "ES", "IT"), 1)
    assert validate(six, {}, {}) == {"countries": ["At most 5 countries."]}


def test_platform_counts_become_shares_that_never_add_up_past_100():
    assert shares_from_counts({"US": 2, "GB": 1, "DE": 0}) == {"US": 66.6, "GB": 33.3}
    assert shares_from_counts({"US": 50, "GB": 30, "FR": 15, "DE": 5}, top=2) == {"US": 50.0, "GB": 30.0}


def test_bars_in_reading_order():
    groups = bars({"GB": 12, "US": 41.5}, {"25-34": 40, "18-24": 35}, {"male": 45, "female": 55})
    assert [(g, [(b.label, b.shown) for b in rows]) for g, _title, rows in groups] == [
        ("countries", [("United States", "41.5 %"), ("United Kingdom", "12 %")]),
        ("ages", [("18-24", "35 %"), ("25-34", "40 %")]),
        ("genders", [("Women", "55 %"), ("Men", "45 %")]),
    ]


def _form(**over) -> dict:
    data = {f"country_{i}": "" for i in range(1, 6)} | {f"country_{i}_share": "" for i in range(1, 6)}
    data |= {f"age_{i}": "" for i in range(7)} | {"gender_female": "", "gender_male": "", "gender_other": ""}
    return data | over


def test_creator_enters_figures_and_the_media_kit_shows_them_marked_self_reported(client):
    creator = CreatorFactory(handle="dana")
    account = SocialAccountFactory(creator=creator, platform="instagram", handle="dana.cooks", followers=18_400)
    client.force_login(creator.user)
    url = f"/creator/profile/accounts/{account.pk}/audience/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _form(
            country_1="US",
            country_1_share="41.5",
            country_2="GB",
            country_2_share="12",
            age_1="35",
            age_2="40",
            gender_female="55",
            gender_male="43",
            gender_other="2",
        ),
    )
    assert response.status_code == 302
    saved = AudienceDemographics.objects.get(account=account)
    assert (saved.source, saved.countries, saved.ages, saved.genders) == (
        "self_reported",
        {"US": 41.5, "GB": 12.0},
        {"18-24": 35.0, "25-34": 40.0},
        {"female": 55.0, "male": 43.0, "other": 2.0},
    )
    page = client.get("/c/dana/").content.decode()
    assert '<span class="badge badge-warn">self-reported</span>' in page
    assert '<caption>Top countries <span class="sr-only">(self-reported)</span></caption>' in page
    assert '<th scope="row">United States</th>' in page and '<td class="bar-value">41.5 %</td>' in page
    assert '<rect width="41.5" height="8" fill="#5b3cc4"/>' in page
    assert '<th scope="row">25-34</th>' in page and '<td class="bar-value">40 %</td>' in page
    assert '<th scope="row">Women</th>' in page and '<td class="bar-value">55 %</td>' in page


def test_bad_figures_are_refused_with_what_was_typed_kept(client):
    creator = CreatorFactory()
    account = SocialAccountFactory(creator=creator, platform="youtube")
    client.force_login(creator.user)
    url = f"/creator/profile/accounts/{account.pk}/audience/"
    response = client.post(
        url,
        _form(
            country_1="US",
            country_1_share="70",
            country_2="US",
            country_2_share="10",
            country_3="",
            country_3_share="5",
            age_0="101",
            gender_female="60",
            gender_male="50",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This country is listed already." in page
    assert "Choose the country this share belongs to." in page
    assert "Ensure this value is less than or equal to 100." in page
    assert "Gender split: The percentages add up to 110 %: at most 100 %." in page
    assert 'name="country_1_share" value="70"' in page and 'name="gender_male" value="50"' in page
    assert not AudienceDemographics.objects.exists()


def test_another_creators_account_is_404(client):
    account = SocialAccountFactory(platform="instagram")
    client.force_login(CreatorFactory().user)
    assert client.get(f"/creator/profile/accounts/{account.pk}/audience/").status_code == 404
    assert client.post(f"/creator/profile/accounts/{account.pk}/audience/", _form()).status_code == 404


def test_service_refuses_someone_else_and_bad_values():
    from creators.services import CreatorError

    account = SocialAccountFactory(platform="instagram")
    with pytest.raises(CreatorError):
        account_demographics_set(
            account=account, countries={}, ages={}, genders={}, source="self_reported", actor=UserFactory()
        )
    with pytest.raises(ValidationError) as caught:
        account_demographics_set(account=account, countries={"ZZ": 5}, ages={}, genders={}, source="platform")
    assert caught.value.message_dict == {"countries": ["“ZZ” is not a known country code."]}


def test_platform_figures_are_marked_as_the_platforms_and_shown_in_the_pdf(client, monkeypatch):
    creator = CreatorFactory(handle="kit")
    account = SocialAccountFactory(creator=creator, platform="youtube", handle="kitcooks", followers=5_000)
    account_demographics_set(
        account=account, countries={"DE": 30}, ages={"65+": 5}, genders={"female": 50}, source="platform"
    )
    page = client.get("/c/kit/").content.decode()
    assert '<span class="badge badge-ok">from YouTube</span>' in page and "self-reported" not in page
    seen = {}

    import creators.pdf

    monkeypatch.setattr(creators.pdf, "render_pdf", lambda html: seen.setdefault("html", html) and b"%PDF")
    assert client.get("/c/kit/media-kit.pdf").status_code == 200
    assert '<th scope="row">Germany</th>' in seen["html"] and '<td class="bar-value">30 %</td>' in seen["html"]


def test_the_real_pdf_renders_with_the_bars(client):
    creator = CreatorFactory(handle="pdfkit")
    account = SocialAccountFactory(creator=creator, platform="tiktok", followers=9_000)
    account_demographics_set(
        account=account, countries={"GB": 41.5, "US": 18}, ages={"18-24": 39}, genders={"female": 61}, source="demo"
    )
    response = client.get("/c/pdfkit/media-kit.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
