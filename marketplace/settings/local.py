"""Development settings: embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set."""

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, SECRET_KEY, database, env, field_encryption_keys, redis_settings, with_replica

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
# Unset: a key derived from SECRET_KEY (development only; changing SECRET_KEY then loses stored tokens).
FIELD_ENCRYPTION_KEYS = field_encryption_keys(env.list("FIELD_ENCRYPTION_KEYS", default=[]), dev_secret_key=SECRET_KEY)

if not env("DATABASE_URL", default="") or not env("REDIS_URL", default=""):
    # `make run` starts both servers itself and exports the URLs; this branch is
    # for a bare `python manage.py ...`, which then reuses or starts them.
    from marketplace import embedded

    state_dir = BASE_DIR / ".local"
    if not env("DATABASE_URL", default=""):
        os.environ["DATABASE_URL"] = embedded.start_postgres(state_dir).url
        DATABASES = with_replica({"default": database(os.environ["DATABASE_URL"])})  # persistent connections
    if not env("REDIS_URL", default=""):
        os.environ["REDIS_URL"] = REDIS_URL = embedded.start_redis(state_dir).url
        globals().update(redis_settings(REDIS_URL))

# Mail lands in the console (EMAIL_URL overrides).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
