"""The one upload policy: every file a user uploads goes through here (issue 8, PRODUCT §10).

What a file *is* is decided from its content by a parser, never from its name
or the browser's declared type:

* images (JPEG, PNG, WebP) through the image pipeline (core/images.py):
  checked header-first (no decompression bombs), then re-encoded from raw
  pixels, so EXIF, GPS and anything appended to the file are gone;
* video by walking the container: ISO base media (MP4/MOV: top-level boxes
  from ``ftyp`` with a known video brand to the end of the file, with a
  ``moov`` or ``mdat`` box) or Matroska/WebM (an EBML header whose DocType is
  ``webm`` or ``matroska``, followed by a Segment);
* PDF (drafts only): a ``%PDF-`` header and an ``%%EOF`` trailer; always
  served as an attachment.

The stored name is ``<uuid4>.<ext>`` with the extension of the detected type;
the user's file name is never used. Each kind has a size cap
(``settings.UPLOAD_MAX_BYTES``), checked before a byte is read. Callers check
first and write afterwards, inside ``discard_on_error()`` so that a write that
fails half-way leaves no file behind.

Public API:
    accept_image(file, purpose=..., sizes=..., crop=..., fmt=...) -> dict[str, ContentFile]
    check_draft(file) -> Detected              (what a form calls: detection only)
    accept_draft(file) -> ContentFile | File  (what the service stores)
    discard_on_error()                         (context manager: writes, undone on error)
    content_type_for(name) -> (content type, is_image)
"""

from __future__ import annotations

import contextlib
import struct
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from core import images

MB = 1024 * 1024
DEFAULT_MAX_BYTES = {
    "image": 5 * MB,  # avatars, portfolio items, brand logos, campaign reference images
    "draft_image": 20 * MB,
    "video": 200 * MB,
    "pdf": 25 * MB,
}

# Stored extension -> (Content-Type, shown inline as an image?). Serving reads this, not mimetypes.
CONTENT_TYPES: dict[str, tuple[str, bool]] = {
    "webp": ("image/webp", True),
    "jpg": ("image/jpeg", True),
    "jpeg": ("image/jpeg", True),
    "png": ("image/png", True),
    "mp4": ("video/mp4", False),
    "mov": ("video/quicktime", False),
    "webm": ("video/webm", False),
    "mkv": ("video/x-matroska", False),
    "pdf": ("application/pdf", False),
}
SAFE_EXTENSIONS = frozenset(CONTENT_TYPES)

# ISO base media major brands of video files (MP4, MOV, M4V, 3GP). Image brands such as
# heic/mif1/avif are not video and are refused.
_QUICKTIME_BRANDS = {b"qt  "}
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"iso8",
    b"mp41",
    b"mp42",
    b"mp71",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"MSNV",
    b"XAVC",
    b"dash",
    b"f4v ",
    b"mmp4",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3gp7",
    b"3gp8",
    b"3gp9",
    b"3g2a",
    b"3g2b",
    b"3g2c",
    b"kddi",
    b"NDAS",
}
_MAX_BOXES = 100_000


@dataclass(frozen=True)
class Detected:
    kind: str  # "image", "video" or "pdf"
    ext: str


def max_bytes(kind: str) -> int:
    limits = {**DEFAULT_MAX_BYTES, **getattr(settings, "UPLOAD_MAX_BYTES", {})}
    return int(limits[kind])


def human_bytes(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n // 1024} KB"


def new_name(ext: str) -> str:
    """An unguessable stored name with our own extension."""
    if ext not in SAFE_EXTENSIONS:
        raise ValueError(f"not an extension the policy produces: {ext!r}")
    return f"{uuid.uuid4().hex}.{ext}"


def content_type_for(name: str) -> tuple[str, bool]:
    """(Content-Type, is an image shown inline) for a stored name; unknown -> octet-stream, attachment."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return CONTENT_TYPES.get(ext, ("application/octet-stream", False))


def _size(file) -> int:
    size = images._file_size(file)
    return 0 if size is None else size


def _too_large(size: int, limit: int, what: str) -> ValidationError:
    return ValidationError(
        _("This file is %(size)s; %(what)s can be at most %(max)s.")
        % {"size": human_bytes(size), "what": what, "max": human_bytes(limit)},
        code="file_too_large",
    )


# --- Images (every image upload point) ---------------------------------------------------------------------


def accept_image(
    file,
    *,
    sizes: Mapping[str, tuple[int, int]],
    crop: bool = True,
    fmt: str = "WEBP",
    limit_kind: str = "image",
) -> dict[str, ContentFile]:
    """Check ``file`` is a real image within the cap, re-encode it per size, and name each result ``<uuid>.<ext>``.

    Raises ValidationError (a message for the user); nothing is written anywhere.
    """
    images.validate_image(file, max_bytes=max_bytes(limit_kind))
    processed = images.process_image(file, sizes=sizes, crop=crop, fmt=fmt)
    for content in processed.values():
        content.name = new_name(content.name.rsplit(".", 1)[-1])
    return processed


# --- Video ---------------------------------------------------------------------------------------------------


def _read_exact(file, n: int) -> bytes:
    data = file.read(n)
    return data if data and len(data) == n else b""


def _iso_bmff_ext(file, size: int) -> str | None:
    """'mp4' or 'mov' if ``file`` is a well-formed ISO base media file with a video brand, else None."""
    file.seek(0)
    offset, boxes, seen = 0, 0, set()
    while offset < size:
        boxes += 1
        if boxes > _MAX_BOXES:
            return None
        file.seek(offset)
        header = _read_exact(file, 8)
        if not header:
            return None
        box_size, box_type = struct.unpack(">I4s", header)
        header_len = 8
        if box_size == 1:
            large = _read_exact(file, 8)
            if not large:
                return None
            box_size, header_len = struct.unpack(">Q", large)[0], 16
        elif box_size == 0:  # "to the end of the file": only the last box may say so
            box_size = size - offset
        if box_size < header_len or offset + box_size > size:
            return None
        if not all(32 <= c < 127 or c == 0xA9 for c in box_type):
            return None
        if boxes == 1:
            # ftyp: major brand, minor version, then whole compatible brands.
            if box_type != b"ftyp" or not 16 <= box_size <= 4096 or (box_size - header_len) % 4:
                return None
            major = file.read(4)
            if major in _QUICKTIME_BRANDS:
                ext = "mov"
            elif major in _MP4_BRANDS:
                ext = "mp4"
            else:
                return None
        seen.add(box_type)
        offset += box_size
    if offset != size or not ({b"moov", b"mdat"} & seen):
        return None
    return ext


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int] | None:
    """An EBML variable-length integer at ``pos``: (value, next position) or None."""
    if pos >= len(data):
        return None
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        return None
    value = first if keep_marker else first & (mask - 1)
    for b in data[pos + 1 : pos + length]:
        value = (value << 8) | b
    return value, pos + length


def _ebml_ext(file, size: int) -> str | None:
    """'webm' or 'mkv' if ``file`` starts with a valid EBML header (DocType webm/matroska) and a Segment."""
    file.seek(0)
    head = file.read(4096)
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    parsed = _vint(head, 4, keep_marker=False)
    if parsed is None:
        return None
    header_size, pos = parsed
    end = pos + header_size
    if header_size < 3 or end > len(head):
        return None
    doctype = None
    while pos < end:
        element = _vint(head, pos, keep_marker=True)
        if element is None:
            return None
        element_id, pos = element
        length = _vint(head, pos, keep_marker=False)
        if length is None:
            return None
        element_size, pos = length
        if pos + element_size > end:
            return None
        if element_id == 0x4282:  # DocType
            doctype = head[pos : pos + element_size].rstrip(b"\x00")
        pos += element_size
    if pos != end:
        return None
    segment = _vint(head, end, keep_marker=True)
    if segment is None or segment[0] != 0x18538067:
        return None
    return {b"webm": "webm", b"matroska": "mkv"}.get(doctype)


# --- Drafts: image, video or PDF -------------------------------------------------------------------------------


def _pdf(file, size: int) -> bool:
    file.seek(0)
    head = file.read(8)
    if not head.startswith((b"%PDF-1.", b"%PDF-2.")):
        return False
    file.seek(max(0, size - 1024))
    return b"%%EOF" in file.read(1024)


def _not_allowed() -> ValidationError:
    return ValidationError(
        _(
            "This file is not an image (JPEG, PNG, WebP), a video (MP4, MOV, WebM) or a PDF. "
            "Its content was checked, not its name."
        ),
        code="unsupported_type",
    )


def check_draft(file) -> Detected:
    """What the draft ``file`` is (image, video or PDF), or ValidationError. Reads, never writes."""
    size = _size(file)
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    largest = max(max_bytes("draft_image"), max_bytes("video"), max_bytes("pdf"))
    if size > largest:
        raise ValidationError(
            _("This file is %(size)s; drafts can be at most %(max)s. Share a link to it instead.")
            % {"size": human_bytes(size), "max": human_bytes(largest)},
            code="file_too_large",
        )
    try:
        file.seek(0)
        head = file.read(16)
        if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
            images.validate_image(file, max_bytes=max_bytes("draft_image"))
            return Detected("image", "jpg")
        ext = _iso_bmff_ext(file, size) if head[4:8] == b"ftyp" else _ebml_ext(file, size)
        if ext is not None:
            if size > max_bytes("video"):
                raise _too_large(size, max_bytes("video"), _("videos"))
            return Detected("video", ext)
        if _pdf(file, size):
            if size > max_bytes("pdf"):
                raise _too_large(size, max_bytes("pdf"), _("PDFs"))
            return Detected("pdf", "pdf")
    finally:
        images._rewind(file)
    raise _not_allowed()


def accept_draft(file) -> File:
    """Check the draft and return what to store: a re-encoded image (no metadata) or the checked bytes, named by us."""
    detected = check_draft(file)
    if detected.kind == "image":
        clean = images.process_image(file, sizes={"draft": (4096, 4096)}, crop=False, fmt="JPEG", quality=90)["draft"]
        clean.name = new_name("jpg")
        return clean
    images._rewind(file)
    return File(file, name=new_name(detected.ext))


# --- Writing ----------------------------------------------------------------------------------------------------


class StoredFiles:
    """Saves files into model fields and remembers what it wrote (see ``discard_on_error``)."""

    def __init__(self) -> None:
        self.written: list[tuple[object, str]] = []

    def save(self, fieldfile, content) -> None:
        fieldfile.save(content.name, content, save=False)
        self.written.append((fieldfile.storage, fieldfile.name))


@contextlib.contextmanager
def discard_on_error() -> Iterator[StoredFiles]:
    """``with discard_on_error() as files: files.save(obj.field, content)``.

    If the block raises (a state check, a constraint, anything after the write), every file saved
    through ``files`` is deleted again: a refused upload leaves nothing behind in storage.
    """
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        for storage, name in files.written:
            with contextlib.suppress(Exception):
                storage.delete(name)
        raise
