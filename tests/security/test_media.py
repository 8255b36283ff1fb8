"""Serving user files: one view, the pages' own permission predicates, safe headers (marketplace/media.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from brands.services import brand_update
from campaigns import services
from campaigns.models import CampaignStatus, Submission
from creators.services import portfolio_add
from tests.factories import BrandMemberFactory, CampaignFactory, CreatorFactory, UserFactory

from .files import jpeg_with_gps, minimal_mp4, png

ROLES = ["anonymous", "other_creator", "other_brand", "owner", "brand_member", "staff"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def image(name="x.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps((120, 80)), content_type="image/jpeg")


@pytest.fixture
def files(member, creator):
    """One stored file of each kind, uploaded through the services (the upload policy)."""
    from creators.services import creator_update_profile

    pending = CreatorFactory(status="pending")
    creator_update_profile(
        creator=pending,
        actor=pending.user,
        display_name="P",
        bio="",
        country="GB",
        languages=["en"],
        niches=[],
        content_formats=[],
        avatar=image(),
    )
    pending_item = portfolio_add(creator=pending, actor=pending.user, caption="work", image=image())
    creator_update_profile(
        creator=creator,
        actor=creator.user,
        display_name="A",
        bio="",
        country="GB",
        languages=["en"],
        niches=[],
        content_formats=[],
        avatar=image(),
    )
    brand = brand_update(brand=member.brand, actor=member.user, logo=image())
    draft_campaign = CampaignFactory(brand=member.brand)
    assert draft_campaign.status == CampaignStatus.DRAFT
    draft_ref = services.reference_image_add(campaign=draft_campaign, actor=member.user, file=image())
    from tests.campaigns.world import make_open_campaign

    open_campaign = make_open_campaign(member)
    open_ref = services.reference_image_add(campaign=open_campaign, actor=member.user, file=image())
    app = services.application_submit(campaign=open_campaign, creator=creator, actor=creator.user, pitch="Me")
    app = services.application_accept(application=app, actor=member.user)
    draft = services.deliverable_submit(
        deliverable=app.deliverables.get(),
        actor=creator.user,
        file=SimpleUploadedFile("cut.mp4", minimal_mp4(), content_type="video/mp4"),
    )
    pending.refresh_from_db()
    creator.refresh_from_db()
    return {
        "pending_avatar": (pending.avatar, pending.user),
        "pending_thumb": (pending.avatar_thumb, pending.user),
        "pending_portfolio": (pending_item.image, pending.user),
        "approved_avatar": (creator.avatar, creator.user),
        "logo": (brand.logo, member.user),
        "draft_campaign_reference": (draft_ref.image, member.user),
        "open_campaign_reference": (open_ref.image, member.user),
        "draft": (draft.file, creator.user),
    }


def login_as(client, role, owner, member):
    users = {
        "anonymous": None,
        "other_creator": lambda: CreatorFactory().user,
        "other_brand": lambda: BrandMemberFactory().user,
        "owner": lambda: owner,
        "brand_member": lambda: BrandMemberFactory(brand=member.brand, role="member").user,
        "staff": lambda: UserFactory(is_staff=True),
    }
    if users[role] is not None:
        client.force_login(users[role]())


# Who gets the file (200); everyone else gets 404. "owner": the creator for creator media and drafts, the brand
# owner for logos and references.
VISIBLE = {
    "pending_avatar": {"owner", "staff"},
    "pending_thumb": {"owner", "staff"},
    "pending_portfolio": {"owner", "staff"},
    "approved_avatar": set(ROLES),
    "logo": set(ROLES),
    "draft_campaign_reference": {"owner", "brand_member", "staff"},
    "open_campaign_reference": {"other_creator", "owner", "brand_member", "staff"},
    "draft": {"owner", "brand_member", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(VISIBLE))
def test_media_access_matrix(client, member, files, kind, role):
    fieldfile, owner = files[kind]
    login_as(client, role, owner, member)
    response = client.get(fieldfile.url)
    expected = 200 if role in VISIBLE[kind] else 404
    assert response.status_code == expected, f"{kind} as {role}"
    if expected == 200:
        with fieldfile.open("rb") as f:
            assert b"".join(response.streaming_content) == f.read()


def test_approving_a_creator_makes_their_media_public(client, files):
    fieldfile, owner = files["pending_avatar"]
    assert client.get(fieldfile.url).status_code == 404
    owner.creator.status = "approved"
    owner.creator.save(update_fields=["status"])
    assert client.get(fieldfile.url).status_code == 200


@pytest.mark.parametrize(
    "kind,content_type,disposition",
    [
        ("approved_avatar", "image/webp", "inline"),
        ("logo", "image/webp", "inline"),
        ("draft", "video/mp4", "attachment"),
    ],
)
def test_every_user_file_has_safe_headers(client, member, files, kind, content_type, disposition):
    fieldfile, owner = files[kind]
    client.force_login(owner)
    response = client.get(fieldfile.url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'{disposition}; filename="{fieldfile.name.rsplit("/", 1)[1]}"'


def test_a_planted_html_file_is_an_attachment_in_a_sandbox(client, files, creator):
    """A file that reached storage some other way (old data, an operator) is still never served as a page."""
    draft = Submission.objects.get(file=files["draft"][0].name)
    name = draft.file.storage.save(
        f"campaigns/drafts/d{draft.deliverable_id}/evil.html", ContentFile(b"<script>alert(1)</script>")
    )
    Submission.objects.filter(pk=draft.pk).update(file=name)
    client.force_login(creator.user)
    response = client.get("/media/" + name)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="evil.html"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "creators/1/avatar/nothing.webp",
        "campaigns/drafts/../../etc/passwd",
        "brands/logos/%2e%2e/x",
        "campaigns/drafts/d1/orphan.jpg",
        "anything/else.png",
    ],
)
def test_unknown_or_odd_paths_are_404(client, files, path, media_root):
    (media_root / "campaigns" / "drafts" / "d1").mkdir(parents=True, exist_ok=True)
    (media_root / "campaigns" / "drafts" / "d1" / "orphan.jpg").write_bytes(png())  # on disk, owned by nothing
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/media/" + path).status_code == 404


def test_x_accel_redirect_hands_the_bytes_to_the_front_server(client, files, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_protected_media/"
    fieldfile, owner = files["draft"]
    client.force_login(owner)
    response = client.get(fieldfile.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_protected_media/" + fieldfile.name
    assert response["Content-Type"] == "video/mp4" and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    assert client.get(fieldfile.url).status_code == 404


class SignedUrlStorage:
    """Stands in for django-storages' S3Storage: no local path, url() is a short-lived signed URL."""

    def __init__(self, real):
        self.real = real
        self.calls = []

    def path(self, name):
        raise NotImplementedError

    def url(self, name, parameters=None, expire=None):
        self.calls.append((name, parameters, expire))
        return f"https://bucket.s3.example/{name}?X-Amz-Expires={expire}&X-Amz-Signature=abc"


def test_remote_storage_redirects_to_a_short_lived_signed_url(client, files, settings, monkeypatch):
    settings.MEDIA_SIGNED_URL_MAX_AGE = 120
    fieldfile, owner = files["draft"]
    storage = SignedUrlStorage(fieldfile.storage)
    monkeypatch.setattr(Submission._meta.get_field("file"), "storage", storage)
    client.force_login(owner)
    response = client.get("/media/" + fieldfile.name)
    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.s3.example/{fieldfile.name}?X-Amz-Expires=120&X-Amz-Signature=abc"
    assert storage.calls[0][1] == {
        "ResponseContentType": "video/mp4",
        "ResponseContentDisposition": f'attachment; filename="{fieldfile.name.rsplit("/", 1)[1]}"',
    }
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get("/media/" + fieldfile.name).status_code == 404
    assert len(storage.calls) == 1


def test_separate_media_origin_gets_signed_urls_for_private_files(client, files, settings, member):
    """MEDIA_URL on another host: the session cookie does not go there, so the page signs private URLs."""
    settings.MEDIA_URL = "https://media.example-usercontent.test/media/"
    fieldfile, creator_user = files["draft"]
    application = Submission.objects.get(file=fieldfile.name).deliverable.application
    client.force_login(member.user)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    prefix = f"https://media.example-usercontent.test/media/{fieldfile.name}?sig="
    assert prefix in page
    from urllib.parse import unquote

    signed = unquote(page.split(prefix, 1)[1].split('"', 1)[0])  # what the browser sends
    client.logout()  # the media host sees no session
    assert client.get(f"/media/{fieldfile.name}", {"sig": signed}).status_code == 200
    assert client.get(f"/media/{fieldfile.name}").status_code == 404
    assert client.get(f"/media/{fieldfile.name}", {"sig": signed[:-2] + "xx"}).status_code == 404
    other = files["pending_avatar"][0].name  # a signature is for one path only
    assert client.get(f"/media/{other}", {"sig": signed}).status_code == 404
    settings.MEDIA_SIGNED_URL_MAX_AGE = -1  # expired
    assert client.get(f"/media/{fieldfile.name}", {"sig": signed}).status_code == 404


def test_separate_media_origin_public_files_are_plain_urls(client, files, settings):
    settings.MEDIA_URL = "https://media.example-usercontent.test/media/"
    from core.media import media_url

    logo = files["logo"][0]
    assert media_url(logo, None) == f"https://media.example-usercontent.test/media/{logo.name}"
    assert "?sig=" not in media_url(files["draft"][0], UserFactory())  # not signed for someone who may not see it


def test_demo_seeded_avatars_and_logos_are_served(client, db):
    """`make run` seeds avatars and logos through the upload policy; the media view serves them."""
    from brands import demo as brands_demo
    from brands.models import Brand
    from creators import demo as creators_demo

    brands_demo.seed(log=lambda line: None)
    creator = CreatorFactory()
    creators_demo._attach_avatar(creator, "#2f6f4e")
    logo = Brand.objects.exclude(logo="").first().logo
    avatar = creator.avatar
    for fieldfile in (logo, avatar):
        assert fieldfile.name.endswith(".webp")
        response = client.get(fieldfile.url)
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
