# ruff: noqa: F405  (these settings extend the names base.py defines, through its star import)
"""Production: everything from the environment, no defaults for secrets, strict security."""

from .base import *  # noqa: F401,F403
from .base import database, env, field_encryption_keys, redis_settings, with_replica

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: refuse to start without one
# Platform tokens are encrypted with these (core/encryption.py); no default, never derived.
FIELD_ENCRYPTION_KEYS = field_encryption_keys(env.list("FIELD_ENCRYPTION_KEYS"))
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in emails: SITE_URL, else the first allowed host over HTTPS (never the development address).
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
DATABASES = with_replica({"default": database(env("DATABASE_URL"))})
REDIS_URL = env("REDIS_URL")
globals().update(redis_settings(REDIS_URL))

ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"

# S3-style media through django-storages when configured (past one machine). The media view still checks
# every request, then redirects to the storage's short-lived signed URL (querystring auth, never public).
if env("MEDIA_STORAGE_BACKEND", default=""):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": env("MEDIA_STORAGE_BACKEND"),
        "OPTIONS": {
            "querystring_auth": True,
            "querystring_expire": MEDIA_SIGNED_URL_MAX_AGE,  # noqa: F405
            "default_acl": "private",
            "file_overwrite": False,
        },
    }

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Media: always through marketplace/media.py (permission checks). On one machine gunicorn streams the file
# unless MEDIA_ACCEL_REDIRECT_PREFIX hands it to nginx; past one machine set MEDIA_STORAGE_BACKEND (S3).
# Production should set MEDIA_URL to a separate media host (see README "Security").
if "://" in MEDIA_URL:  # noqa: F405  a separate media origin: pages may show its images (and nothing else from it)
    from urllib.parse import urlsplit as _urlsplit

    _media = _urlsplit(MEDIA_URL)  # noqa: F405
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [  # noqa: F405
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
        f"{_media.scheme}://{_media.netloc}",
    ]  # noqa: F405
