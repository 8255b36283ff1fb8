"""What a draft upload really is, read from its first bytes (never from its name or declared type)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DRAFT_BYTES = 200 * 1024 * 1024


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    if head.startswith(b"\xff\xd8\xff"):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp":  # MP4, MOV, HEIC/HEIF and other ISO base media files
        return "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # WebM / Matroska
        return "video"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def check_draft_file(file) -> str:
    """Return the kind of ``file`` (image, video, pdf) or raise ValidationError with a clear message."""
    if file.size > MAX_DRAFT_BYTES:
        raise ValidationError(_("The file is larger than 200 MB. Share a link to it instead."))
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = _kind(head)
    if kind is None:
        raise ValidationError(_("This file is not an image (JPEG, PNG, WebP), a video (MP4, MOV, WebM) or a PDF."))
    if kind == "image":
        from marketplace.images import validate_image

        validate_image(file, max_bytes=MAX_DRAFT_BYTES)  # real JPEG/PNG/WebP, no decompression bomb
        file.seek(0)
    return kind
