"""Every upload point goes through the one upload policy (core/uploads.py), through the real pages."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from brands.models import Brand
from campaigns import services
from campaigns.models import DeliverableStatus, Submission
from creators.models import PortfolioItem
from tests.core.test_images import GPS_IFD
from tests.factories import CreatorFactory

from .files import HTML, POLYGLOT, jpeg_with_gps, minimal_mp4, minimal_pdf, minimal_webm, oversize_jpeg, png_bomb

SMALL_CAPS = {"image": 64 * 1024, "draft_image": 64 * 1024, "video": 64 * 1024, "pdf": 64 * 1024}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def files_in(root: Path) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names] if root.exists() else []


def hire(member, campaign, creator):
    app = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Pick me")
    app = services.application_accept(application=app, actor=member.user)
    return app.deliverables.get()


# --- Each upload point, driven through its page -----------------------------------------------------------------


class Points:
    """post(client, world, upload) -> response for each upload point; stored(world) -> stored file names."""

    @staticmethod
    def avatar(client, world, upload):
        client.force_login(world["pending"].user)
        data = {
            "display_name": "Mia Runs",
            "bio": "I typed this bio.",
            "country": "de",
            "languages": ["en"],
            "niches": [],
            "content_formats": ["short_video"],
            "avatar": upload,
        }
        return client.post(reverse("creators:edit"), data)

    @staticmethod
    def portfolio(client, world, upload):
        client.force_login(world["pending"].user)
        return client.post(reverse("creators:portfolio"), {"caption": "My typed caption", "image": upload})

    @staticmethod
    def logo(client, world, upload):
        client.force_login(world["member"].user)
        return client.post(
            reverse("brands:edit"),
            {
                "name": "Typed brand name",
                "website": "",
                "industry": "",
                "description": "Typed description",
                "logo_upload": upload,
            },
        )

    @staticmethod
    def reference(client, world, upload):
        client.force_login(world["member"].user)
        return client.post(
            reverse("campaigns:reference_image", args=[world["campaign"].pk]), {"image": upload}, follow=True
        )

    @staticmethod
    def draft(client, world, upload):
        client.force_login(world["creator"].user)
        d = world["deliverable"]
        return client.post(
            reverse("campaigns:deliverable_action", args=[d.pk, "submit"]),
            {f"d{d.pk}-file": upload, f"d{d.pk}-note": "My typed note for the brand", f"d{d.pk}-link": ""},
        )


TYPED = {
    "avatar": "I typed this bio.",
    "portfolio": "My typed caption",
    "logo": "Typed description",
    "reference": None,
    "draft": "My typed note for the brand",
}
NOT_IMAGE = "not a JPEG, PNG or WebP"
NOT_DRAFT = "This file is not an image (JPEG, PNG, WebP), a video (MP4, MOV, WebM) or a PDF."


@pytest.fixture
def world(member, campaign, creator):
    return {
        "pending": CreatorFactory(status="pending"),
        "member": member,
        "campaign": campaign,
        "creator": creator,
        "deliverable": hire(member, campaign, creator),
    }


BAD_FILES = {
    "polyglot": (POLYGLOT, "draft.mp4", "video/mp4"),
    "html": (HTML, "page.html", "text/html"),
    "oversize": (oversize_jpeg(100 * 1024), "big.jpg", "image/jpeg"),
    "bomb": (png_bomb(), "bomb.png", "image/png"),
}
EXPECTED = {
    "polyglot": (NOT_IMAGE, NOT_DRAFT),
    "html": (NOT_IMAGE, NOT_DRAFT),
    "oversize": (
        "This file is 100 KB; images can be at most 64 KB.",
        "This file is 100 KB; drafts can be at most 64 KB. Share a link to it instead.",
    ),
    "bomb": ("images can be at most 25 megapixels", "images can be at most 25 megapixels"),
}


@pytest.mark.parametrize("bad", list(BAD_FILES))
@pytest.mark.parametrize("point", ["avatar", "portfolio", "logo", "reference", "draft"])
def test_every_upload_point_refuses_hostile_files_and_leaves_nothing(client, world, settings, media_root, point, bad):
    settings.UPLOAD_MAX_BYTES = SMALL_CAPS
    content, name, content_type = BAD_FILES[bad]
    response = getattr(Points, point)(client, world, SimpleUploadedFile(name, content, content_type=content_type))
    body = response.content.decode()
    expected = EXPECTED[bad][1 if point == "draft" else 0]
    assert expected in body
    if TYPED[point]:
        assert TYPED[point] in body  # the form kept what was typed
    assert response.status_code in (200, 400)
    assert files_in(media_root) == []
    world["pending"].refresh_from_db()
    assert not world["pending"].avatar and not PortfolioItem.objects.exists()
    assert not Brand.objects.get(pk=world["member"].brand_id).logo
    assert not world["campaign"].reference_images.exists() and not Submission.objects.exists()


def test_a_refused_draft_keeps_the_note_and_the_link_and_the_deliverable_unchanged(client, world):
    d = world["deliverable"]
    client.force_login(world["creator"].user)
    response = client.post(
        reverse("campaigns:deliverable_action", args=[d.pk, "submit"]),
        {
            f"d{d.pk}-file": SimpleUploadedFile("x.html", HTML, content_type="text/html"),
            f"d{d.pk}-note": "Cut 2, 30 s",
            f"d{d.pk}-link": "https://drive.example/cut2",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cut 2, 30 s</textarea>" in body and 'value="https://drive.example/cut2"' in body
    assert NOT_DRAFT in body
    d.refresh_from_db()
    assert d.status == DeliverableStatus.PENDING


@pytest.mark.parametrize("point", ["avatar", "portfolio", "logo", "reference", "draft"])
def test_a_real_jpeg_named_html_is_stored_as_an_image(client, world, point):
    upload = SimpleUploadedFile("x.html", jpeg_with_gps((300, 200)), content_type="text/html")
    response = getattr(Points, point)(client, world, upload)
    assert response.status_code in (200, 302)
    stored = {
        "avatar": lambda: type(world["pending"]).objects.get(pk=world["pending"].pk).avatar,
        "portfolio": lambda: PortfolioItem.objects.get().image,
        "logo": lambda: Brand.objects.get(pk=world["member"].brand_id).logo,
        "reference": lambda: world["campaign"].reference_images.get().image,
        "draft": lambda: Submission.objects.get().file,
    }[point]()
    assert stored.name.rsplit(".", 1)[1] in ("webp", "jpg")
    assert "x" != stored.name.rsplit("/", 1)[1].split(".")[0] and len(stored.name.rsplit("/", 1)[1]) >= 36
    served = client.get(stored.url)
    assert served.status_code == 200
    assert served["Content-Type"] in ("image/webp", "image/jpeg")
    assert served["Content-Disposition"].startswith("inline")
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as img:
        assert img.format in ("WEBP", "JPEG")
        assert not img.getexif().get_ifd(GPS_IFD)


def test_a_draft_image_loses_its_gps_exif(world):
    upload = SimpleUploadedFile("IMG_0001.JPG", jpeg_with_gps((800, 600)), content_type="image/jpeg")
    submission = services.deliverable_submit(deliverable=world["deliverable"], actor=world["creator"].user, file=upload)
    assert submission.file.name.startswith(f"campaigns/drafts/d{world['deliverable'].pk}/")
    assert submission.file.name.endswith(".jpg")
    with submission.file.open("rb") as f, Image.open(io.BytesIO(f.read())) as img:
        assert img.size == (800, 600)
        exif = img.getexif()
        assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif  # no GPS, not even the camera make


@pytest.mark.parametrize(
    "content,ext,content_type",
    [
        (minimal_mp4(), "mp4", "video/mp4"),
        (minimal_webm(), "webm", "video/webm"),
        (minimal_pdf(), "pdf", "application/pdf"),
    ],
    ids=["mp4", "webm", "pdf"],
)
def test_real_videos_and_pdfs_are_accepted_with_their_own_extension(client, world, content, ext, content_type):
    upload = SimpleUploadedFile("clip.html", content, content_type="text/html")
    response = Points.draft(client, world, upload)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.file.name.endswith(f".{ext}")
    with submission.file.open("rb") as f:
        assert f.read() == content
    served = client.get(submission.file.url)
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x08mdat",  # an image brand, not video
        b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isommp41",  # no moov/mdat
        b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isommp41" + b"\x00\x00\x10\x00mdat" + b"\x00" * 8,  # truncated box
        b"\x1a\x45\xdf\xa3\x84\x42\x82\x81x" + b"\x18\x53\x80\x67\x80",  # EBML DocType "x"
        b"%PDF-1.4\nno trailer here",
    ],
    ids=["heic", "no-moov-or-mdat", "truncated", "ebml-other-doctype", "pdf-no-eof"],
)
def test_fake_containers_are_refused(world, content):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="This file is not an image"):
        services.deliverable_submit(
            deliverable=world["deliverable"],
            actor=world["creator"].user,
            file=SimpleUploadedFile("clip.mp4", content, content_type="video/mp4"),
        )
    assert not Submission.objects.exists()


def test_each_kind_has_its_own_cap(world, settings, media_root):
    from django.core.exceptions import ValidationError

    settings.UPLOAD_MAX_BYTES = {**SMALL_CAPS, "video": 100, "pdf": 10_000}
    assert len(minimal_mp4()) > 100
    with pytest.raises(ValidationError, match="videos can be at most"):
        services.deliverable_submit(
            deliverable=world["deliverable"],
            actor=world["creator"].user,
            file=SimpleUploadedFile("a.mp4", minimal_mp4(), content_type="video/mp4"),
        )
    submission = services.deliverable_submit(
        deliverable=world["deliverable"], actor=world["creator"].user, file=SimpleUploadedFile("a.pdf", minimal_pdf())
    )
    assert submission.file.name.endswith(".pdf") and len(files_in(media_root)) == 1


def test_a_write_refused_after_the_file_was_saved_leaves_no_file(world, media_root, monkeypatch):
    """A failure after the bytes reached storage (here: the state move) deletes them again."""
    from campaigns import services as campaign_services
    from campaigns.services import deliverables

    def boom(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(deliverables, "_transition", boom)  # where deliverable_submit looks it up
    with pytest.raises(RuntimeError):
        campaign_services.deliverable_submit(
            deliverable=world["deliverable"],
            actor=world["creator"].user,
            file=SimpleUploadedFile("a.mp4", minimal_mp4()),
        )
    assert files_in(media_root) == []
