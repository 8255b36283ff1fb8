"""Test settings: real PostgreSQL and Redis (embedded unless DATABASE_URL/REDIS_URL are set)."""

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env, field_encryption_keys, redis_settings

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
FIELD_ENCRYPTION_KEYS = field_encryption_keys([], dev_secret_key=SECRET_KEY)
ALLOWED_HOSTS = ["*"]

# The embedded servers for tests live beside the development ones, so a test run
# never touches the demo data. tests/conftest.py stops whatever was started here.
TEST_STATE_DIR = BASE_DIR / ".local" / "test"
if not env("DATABASE_URL", default=""):
    from marketplace import embedded

    os.environ["DATABASE_URL"] = embedded.start_postgres(TEST_STATE_DIR).url
    os.environ["MARKETPLACE_EMBEDDED_POSTGRES"] = str(TEST_STATE_DIR)
DATABASES = {"default": env.db("DATABASE_URL")}
if not env("REDIS_URL", default=""):
    from marketplace import embedded

    os.environ["REDIS_URL"] = embedded.start_redis(TEST_STATE_DIR).url
    os.environ["MARKETPLACE_EMBEDDED_REDIS"] = str(TEST_STATE_DIR)
REDIS_URL = env("REDIS_URL")
globals().update(redis_settings(REDIS_URL))
# Keys of concurrent test runs against a shared external Redis must not collide.
CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
CACHES["ratelimit"]["KEY_PREFIX"] = "test-rl"  # noqa: F405

# A real PBKDF2 hash costs ~0.4 s here; tests make hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".local" / "test" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
}
CELERY_TASK_ALWAYS_EAGER = False

# Django's PostgreSQL backend with a flush that DELETEs instead of TRUNCATE after transactional tests (~0.2 s
# less for each of them; see tests/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "tests.postgresql"
