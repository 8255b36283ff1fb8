"""Tiny real and hostile files, built from bytes (no fixtures on disk)."""

from __future__ import annotations

import io
import struct

from PIL import Image

from tests.core.test_images import jpeg_with_gps, png_bomb  # noqa: F401  (re-exported)

POLYGLOT = b"<!--ftypisom--><html><body><script>alert(document.domain)</script></body></html>\n" * 4
HTML = b"<!doctype html><html><body><script>alert('xss')</script></body></html>\n"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def minimal_mp4() -> bytes:
    """ftyp (isom) + moov/mvhd + mdat: a well-formed ISO base media file."""
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
    mvhd = box(
        b"mvhd",
        b"\x00\x00\x00\x00"
        + struct.pack(">IIII", 0, 0, 1000, 0)
        + struct.pack(">I", 0x00010000)
        + struct.pack(">H", 0x0100)
        + b"\x00" * 10
        + struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)
        + b"\x00" * 24
        + struct.pack(">I", 2),
    )
    return ftyp + box(b"moov", mvhd) + box(b"mdat", b"\x00" * 16)


def _ebml(element_id: bytes, payload: bytes) -> bytes:
    size = len(payload)
    assert size < 127
    return element_id + bytes([0x80 | size]) + payload


def minimal_webm() -> bytes:
    """An EBML header (DocType webm) followed by a Segment with an Info element."""
    header = b"".join(
        [
            _ebml(b"\x42\x86", b"\x01"),
            _ebml(b"\x42\xf7", b"\x01"),
            _ebml(b"\x42\xf2", b"\x04"),
            _ebml(b"\x42\xf3", b"\x08"),
            _ebml(b"\x42\x82", b"webm"),
            _ebml(b"\x42\x87", b"\x02"),
            _ebml(b"\x42\x85", b"\x02"),
        ]
    )
    info = _ebml(b"\x15\x49\xa9\x66", _ebml(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))
    return _ebml(b"\x1a\x45\xdf\xa3", header) + _ebml(b"\x18\x53\x80\x67", info)


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png(size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "teal").save(buf, format="PNG")
    return buf.getvalue()


def oversize_jpeg(n: int) -> bytes:
    return b"\xff\xd8\xff" + b"\x00" * n
