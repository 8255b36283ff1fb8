"""Uploaded images are checked for what they really are and re-encoded without metadata."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from core.images import ValidatedImageField, process_image, validate_image

GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480), orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, (200, 80, 40))
    for x in range(0, size[0], 8):  # some structure so the encoder has work to do
        img.putpixel((x, x % size[1]), (0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 14_000, height: int = 14_000) -> bytes:
    """A valid 1-bit greyscale PNG of width × height, all black: a few KB on disk, ~196 MB once decoded as L."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel data is decoded."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(Image.Image, "load", refuse)


def test_real_jpeg_passes_and_loses_exif_gps():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as img:
        assert img.getexif().get_ifd(GPS_IFD), "the fixture must carry GPS data"

    file = upload(original)
    validate_image(file)
    outputs = process_image(file, sizes={"avatar": (400, 400), "thumb": (96, 96)})

    assert set(outputs) == {"avatar", "thumb"}
    for key, box in {"avatar": (400, 400), "thumb": (96, 96)}.items():
        data = outputs[key].read()
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "WEBP"
            assert img.size == box
            exif = img.getexif()
            assert not exif.get_ifd(GPS_IFD)
            assert 0x010F not in exif
            assert "exif" not in img.info
        assert b"PhoneMaker" not in data


def test_exif_orientation_is_applied_before_stripping():
    # Orientation 6: the camera was turned; the stored 640x480 shows as 480x640.
    file = upload(jpeg_with_gps(orientation=6))
    outputs = process_image(file, sizes={"full": (2000, 2000)}, crop=False, fmt="JPEG")
    with Image.open(io.BytesIO(outputs["full"].read())) as img:
        assert img.size == (480, 640)
        assert 0x0112 not in img.getexif()


def test_png_with_transparency_becomes_rgb():
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, format="PNG")
    file = upload(buffer.getvalue(), name="logo.png", content_type="image/png")
    validate_image(file)
    out = process_image(file, sizes={"logo": (32, 32)}, fmt="PNG")
    with Image.open(io.BytesIO(out["logo"].read())) as img:
        assert img.mode == "RGB" and img.getpixel((5, 5)) == (255, 255, 255)


def test_text_file_named_jpg_is_refused():
    file = upload(b"Just some notes, definitely not a picture.\n" * 20, name="holiday.jpg")
    with pytest.raises(ValidationError) as exc:
        validate_image(file)
    assert exc.value.code == "invalid_image"
    assert "not a JPEG, PNG or WebP" in exc.value.messages[0]


def test_gif_is_refused_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as exc:
        validate_image(upload(buffer.getvalue(), name="a.png", content_type="image/png"))
    assert exc.value.code == "invalid_image"


def test_truncated_png_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    data[40] ^= 0xFF  # corrupt the IDAT data: its CRC no longer matches
    with pytest.raises(ValidationError):
        validate_image(upload(bytes(data), name="x.png", content_type="image/png"))


def test_decompression_bomb_is_refused_from_its_header_without_decoding(no_decoding):
    data = png_bomb()
    assert len(data) < 100_000  # small on disk...
    with pytest.raises(ValidationError) as exc:
        validate_image(upload(data, name="bomb.png", content_type="image/png"))  # ...but 196 megapixels
    assert exc.value.code == "too_many_pixels"
    assert "megapixels" in exc.value.messages[0]


def test_pixel_limit_is_our_own_not_only_pillows(no_decoding):
    # 3,000 × 3,000 is below Pillow's bomb threshold; our stricter limit refuses it from the header.
    data = png_bomb(3_000, 3_000)
    with pytest.raises(ValidationError) as exc:
        validate_image(upload(data, name="big.png", content_type="image/png"), max_pixels=4_000_000)
    assert exc.value.code == "too_many_pixels"
    assert "3000 × 3000" in exc.value.messages[0]


def test_oversize_file_is_refused_before_it_is_read(monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("the file was opened although it is too large")

    monkeypatch.setattr(Image, "open", must_not_open)
    file = upload(b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        validate_image(file)
    assert exc.value.code == "file_too_large"
    assert "at most 5 MB" in exc.value.messages[0]


class ProfileForm(forms.Form):
    name = forms.CharField()
    bio = forms.CharField(required=False)
    picture = ValidatedImageField(required=False)


@pytest.mark.parametrize(
    "content,name",
    [
        (b"not an image at all", "me.jpg"),
        (png_bomb(), "me.png"),
        (b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024), "big.jpg"),
    ],
    ids=["text-named-jpg", "decompression-bomb", "over-size"],
)
def test_form_refuses_the_image_and_keeps_the_other_fields(content, name):
    form = ProfileForm(data={"name": "Mia Runs", "bio": "Trail runner"}, files={"picture": upload(content, name=name)})
    assert not form.is_valid()
    assert set(form.errors) == {"picture"}
    html = form.as_div()
    assert 'value="Mia Runs"' in html and "Trail runner" in html


def test_form_accepts_a_real_image():
    form = ProfileForm(data={"name": "Mia"}, files={"picture": upload(jpeg_with_gps(), name="no-extension")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["picture"].read(2) == b"\xff\xd8"  # rewound, ready for process_image
