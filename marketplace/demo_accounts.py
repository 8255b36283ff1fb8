"""The demo logins `make run` prints (no Django imports: the supervisor reads them before setup)."""

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = {
    "admin": "admin@example.com",
    "creator": "creator@example.com",
    "brand": "brand@example.com",
}
