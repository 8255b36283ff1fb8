"""Uploaded images: checked for what they really are, then re-encoded clean (PRODUCT §10).

Two steps; the upload policy (core/uploads.py) calls them for every image
upload point (avatars, portfolio items, brand logos, reference images, drafts):

* ``validate_image(file)`` refuses anything that is not a real JPEG, PNG or
  WebP, is larger than ``max_bytes``, or declares more than ``max_pixels``.
  The size is checked before a byte is read, the format by opening the file
  with Pillow (never by its name or content type), and the pixel count from
  the image header *before* any pixel is decoded: a 600 KB PNG can declare
  14,000 x 14,000 pixels and take ~800 MB of memory to decode (a
  "decompression bomb").
* ``process_image(file, sizes=...)`` applies the EXIF orientation, drops all
  metadata (EXIF can hold the GPS position of someone's home), converts to
  RGB and writes one re-encoded file per requested size.

``ValidatedImageField`` is a form field doing the first step; forms call the
second in their save path.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_BYTES = 5 * 1024 * 1024  # the default of settings.UPLOAD_MAX_BYTES["image"]
MAX_PIXELS = 25_000_000

# Pillow's own guard: above this it warns, above twice this it raises. Our own
# check (below) is stricter and runs first; this is a second line of defence
# for any other code path that opens images.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _file_size(file) -> int | None:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    try:
        pos = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(pos)
        return size
    except (AttributeError, OSError):
        return None


def _rewind(file) -> None:
    try:
        file.seek(0)
    except (AttributeError, OSError):
        pass


def _human_bytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _default_max_bytes() -> int:
    from core.uploads import max_bytes

    return max_bytes("image")


def validate_image(file, *, max_bytes: int | None = None, max_pixels: int = MAX_PIXELS) -> None:
    """Refuse ``file`` unless it is a real JPEG/PNG/WebP within the size and pixel limits.

    Raises django.core.exceptions.ValidationError with a message for the user.
    Never decodes pixel data: ``Image.open`` parses the header only, and
    ``verify()`` checks the structure (chunk CRCs for PNG) without decoding.
    """
    if max_bytes is None:
        max_bytes = _default_max_bytes()
    size = _file_size(file)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; images can be at most %(max)s.")
            % {"size": _human_bytes(size), "max": _human_bytes(max_bytes)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    not_an_image = ValidationError(
        _("This is not a JPEG, PNG or WebP image (the file's content was checked, not its name)."),
        code="invalid_image",
    )
    _rewind(file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as img:
                fmt = img.format
                width, height = img.size
                if fmt not in ALLOWED_FORMATS:
                    raise not_an_image
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                if width < 1 or height < 1:
                    raise not_an_image
            _rewind(file)
            # verify() leaves the image unusable, so it runs on a fresh handle.
            with Image.open(file) as img:
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("This image has too many pixels; images can be at most %(max)s megapixels.")
            % {"max": max_pixels // 1_000_000},
            code="too_many_pixels",
        ) from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError):
        raise not_an_image from None
    finally:
        _rewind(file)


def _too_many_pixels(width: int, height: int, max_pixels: int) -> ValidationError:
    return ValidationError(
        _("This image is %(w)s × %(h)s pixels; images can be at most %(max)s megapixels.")
        % {"w": width, "h": height, "max": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def process_image(
    file,
    *,
    sizes: Mapping[str, tuple[int, int]],
    crop: bool = True,
    fmt: str = "WEBP",
    quality: int = 85,
) -> dict[str, ContentFile]:
    """Re-encode ``file`` once per entry of ``sizes`` ({"avatar": (400, 400), "thumb": (96, 96)}).

    Applies the EXIF orientation, then drops every piece of metadata (EXIF,
    GPS, XMP, ICC comments) by writing only the pixels. ``crop=True`` fills
    the box exactly (centre crop); ``crop=False`` fits inside it, never
    enlarging. Call ``validate_image`` first; this decodes the pixels.
    Returns ContentFiles named ``<key>.<ext>``.
    """
    fmt = fmt.upper()
    ext = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}[fmt]
    _rewind(file)
    with Image.open(file) as img:
        img.load()
        oriented = ImageOps.exif_transpose(img)
    if oriented.mode in ("RGBA", "LA") or (oriented.mode == "P" and "transparency" in oriented.info):
        rgba = oriented.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        base = background
    else:
        base = oriented.convert("RGB")
    # A fresh image from raw pixels carries no info dict at all: nothing to leak.
    clean = Image.frombytes("RGB", base.size, base.tobytes())
    out: dict[str, ContentFile] = {}
    for key, box in sizes.items():
        if crop:
            resized = ImageOps.fit(clean, box, method=Image.Resampling.LANCZOS)
        else:
            resized = clean.copy()
            resized.thumbnail(box, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        save_kwargs = {"quality": quality}
        if fmt == "JPEG":
            save_kwargs["optimize"] = True
        resized.save(buffer, format=fmt, **save_kwargs)
        out[key] = ContentFile(buffer.getvalue(), name=f"{key}.{ext}")
    _rewind(file)
    return out


class ImageValidator:
    """A field validator: ``validators=[ImageValidator(max_bytes=...)]``."""

    def __init__(self, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    def __call__(self, file) -> None:
        validate_image(file, max_bytes=self.max_bytes, max_pixels=self.max_pixels)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, ImageValidator)
            and self.max_bytes == other.max_bytes
            and self.max_pixels == other.max_pixels
        )

    def deconstruct(self):
        return (
            "core.images.ImageValidator",
            (),
            {"max_bytes": self.max_bytes, "max_pixels": self.max_pixels},
        )


class ValidatedImageField(forms.FileField):
    """A form file field that accepts only real JPEG/PNG/WebP within the limits.

    Unlike forms.ImageField it never trusts the name or the browser's content
    type and refuses decompression bombs before decoding. The cleaned value is
    the uploaded file, rewound, ready for ``process_image``.
    """

    default_error_messages = {
        "invalid_image": _("This is not a JPEG, PNG or WebP image."),
    }

    def __init__(self, *, max_bytes: int | None = None, max_pixels: int = MAX_PIXELS, **kwargs):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG or WebP, up to %(max)s.") % {"max": _human_bytes(max_bytes or _default_max_bytes())},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def to_python(self, data):
        f = super().to_python(data)
        if f is None:
            return None
        validate_image(f, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        return f
