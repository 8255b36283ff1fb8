"""The demo logins `make run` prints (no Django imports: the supervisor reads them before setup)."""

import base64
import hashlib
import hmac
import struct
import time

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = {
    "admin": "admin@example.com",
    "creator": "creator@example.com",
    "brand": "brand@example.com",
}
# Staff must pass a second factor before the admin. The demo admin's authenticator app is this
# (published, demo-only) secret: add it to any authenticator app, or print the current code
# with `.venv/bin/python manage.py demo_totp`. Never seeded outside `make run`/seed_demo.
DEMO_ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPMKTDEMO2"


def demo_totp_code(secret: str = DEMO_ADMIN_TOTP_SECRET, at: float | None = None) -> str:
    """The current 6-digit TOTP code (RFC 6238, 30 s, SHA-1) for ``secret``."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
