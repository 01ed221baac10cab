"""Settings, all taken from the environment (SPEC §5).

``DATABASE_URL`` selects the database; unset, an SQLite file under ``var/`` in WAL mode.
``ZHAOSHANG_ENV=production`` turns on the production settings, which then require
``ZHAOSHANG_SECRET_KEY``, ``ZHAOSHANG_ALLOWED_HOSTS`` and ``ZHAOSHANG_FIELD_KEY``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (src/zhaoshang/ → ../..): var/ and node_modules/ live there.
BASE_DIR = Path(os.environ.get("ZHAOSHANG_HOME", PACKAGE_DIR.parents[1])).resolve()
VAR_DIR = Path(os.environ.get("ZHAOSHANG_VAR", BASE_DIR / "var"))

PRODUCTION = os.environ.get("ZHAOSHANG_ENV") == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when ZHAOSHANG_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("ZHAOSHANG_SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("ZHAOSHANG_ALLOWED_HOSTS").split(",") if h.strip()]
    FIELD_KEY = _required("ZHAOSHANG_FIELD_KEY")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get(
        "ZHAOSHANG_SECRET_KEY", "dev-only-not-secret-zhaoshang-0000000000000000000000"
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]
    FIELD_KEY = os.environ.get("ZHAOSHANG_FIELD_KEY", "dev-only-field-key")
    DEBUG = os.environ.get("ZHAOSHANG_DEBUG", "1") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.organisation",
    "zhaoshang.audit",
    "zhaoshang.enterprises",
    "zhaoshang.leads",
    "zhaoshang.activities",
    "zhaoshang.projects",
    "zhaoshang.targets",
    "zhaoshang.metrics",
    "zhaoshang.assessment",
    "zhaoshang.exchange",
    "zhaoshang.reports",
    "zhaoshang.supervision",
    "zhaoshang.cycle",
    "zhaoshang.security",
    "zhaoshang.dashboard",
    "zhaoshang.search",
    "zhaoshang.demo",
    "zhaoshang.api",
    "zhaoshang.upward",
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
    "django_htmx.middleware.HtmxMiddleware",
    "zhaoshang.audit.middleware.AuditContextMiddleware",
    "zhaoshang.security.middleware.AccountPolicyMiddleware",
    "zhaoshang.security.headers.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.context_processors.zhaoshang",
            ],
        },
    },
]

_default_sqlite = VAR_DIR / "zhaoshang.sqlite3"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{_default_sqlite}",
        conn_max_age=0 if not PRODUCTION else 60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; writes take the lock at BEGIN
    # ("immediate") so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, not shared-cache memory: concurrency then behaves as in production (WAL,
    # writers queue on the busy timeout) instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ZHAOSHANG_TEST_DB") or str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 等保 2.0 level 3: Argon2 hashing; at least 8 characters of 3 of the 4 classes, not containing the
# username, none of the last five (zhaoshang.security.validators).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhaoshang.security.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zhaoshang.security.validators.CharacterClassesValidator"},
    {"NAME": "zhaoshang.security.validators.NotContainingUsernameValidator"},
    {"NAME": "zhaoshang.security.validators.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese first: the interface is zh-hans whatever the browser asks for. All text goes through
# gettext, so an English locale can be added here (with its catalogue) when one is wanted.
LANGUAGES = [("zh-hans", "简体中文")]
FORMAT_MODULE_PATH = ["zhaoshang.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # Outside production WhiteNoise serves straight from the finders (no collectstatic needed).
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries come from the npm registry at set-up (package-lock.json pins them) and are
# served by the app itself: no CDN, bureaus' intranets are offline. Only the files the pages load
# (core.staticfinders.VendorFinder); ZHAOSHANG_ASSETS points at another node_modules (the bundle's).
_NODE = Path(os.environ.get("ZHAOSHANG_ASSETS") or BASE_DIR / "node_modules")
ZHAOSHANG_VENDOR = [
    (
        "vendor/bootstrap",
        _NODE / "bootstrap" / "dist",
        [
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ],
    ),
    (
        "vendor/bootstrap-icons",
        _NODE / "bootstrap-icons" / "font",
        ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff", "fonts/bootstrap-icons.woff2"],
    ),
    ("vendor/htmx", _NODE / "htmx.org" / "dist", ["htmx.min.js"]),
    ("vendor/echarts", _NODE / "echarts" / "dist", ["echarts.min.js"]),
]
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "zhaoshang.core.staticfinders.VendorFinder",
]
MEDIA_ROOT = VAR_DIR / "media"  # outside the web root: attachments are served through a view
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "zhaoshang.core.views.csrf_failure"  # Django's own page is English
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("ZHAOSHANG_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind nginx (deploy/nginx/): nginx terminates HTTPS and always sets X-Forwarded-Proto, so
    # Django may trust it. Set ZHAOSHANG_BEHIND_PROXY=0 only when clients reach gunicorn directly.
    if os.environ.get("ZHAOSHANG_BEHIND_PROXY", "1") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# The cache carries what one process tells another outside any transaction: an import's progress,
# written by the worker while its transaction holds SQLite's write lock, read by the page's polls.
# Files under ZHAOSHANG_VAR/cache work across the processes of one host and, on a shared
# ZHAOSHANG_VAR (NFS, scale-out guide), across hosts; no cache server to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ZHAOSHANG_CACHE_DIR") or str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

# Background jobs (zhaoshang.core.jobs): django-tasks with its database backend (django-tasks-db),
# so the queue lives in the application's own database — SQLite on one machine, PostgreSQL at
# province scale — and no broker server is needed. `zhaoshang db_worker` runs them
# (deploy/systemd/zhaoshang-worker.service). ZHAOSHANG_TASKS=immediate runs every job in the
# process that enqueues it (the test suite's default; also a fallback without a worker).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("ZHAOSHANG_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Whole-month figures read from the monthly summary table (metrics.rollup); 0 counts every figure from
# the records (slower at scale, same numbers).
ZHAOSHANG_ROLLUP = os.environ.get("ZHAOSHANG_ROLLUP", "1") != "0"

# Deployment settings (SPEC §3): the deployment's home region and how many decimals shares carry.
ZHAOSHANG = {
    "HOME_REGION_CODE": os.environ.get("ZHAOSHANG_HOME_REGION", ""),
    "SHARE_DECIMALS": int(os.environ.get("ZHAOSHANG_SHARE_DECIMALS", "1")),
    "PRODUCTION": PRODUCTION,
    # A project may be marked signed only after a passing pre-review verdict (预审).
    "PREREVIEW_REQUIRED": os.environ.get("ZHAOSHANG_PREREVIEW_REQUIRED") == "1",
    # Days a unit has to answer a supervision ticket (督办单).
    "TICKET_DAYS": int(os.environ.get("ZHAOSHANG_TICKET_DAYS", "7")),
    # Each month's reporting deadline: the Nth working day of the next month (SPEC §4, 调休 counted).
    "DEADLINE_WORKDAY": int(os.environ.get("ZHAOSHANG_DEADLINE_WORKDAY", "5")),
    "DEPLOYMENT_NAME": os.environ.get("ZHAOSHANG_DEPLOYMENT_NAME", "招商引资工作平台"),
    # Production always enforces the first-login password change and the administrators' second
    # factor; outside production the demo accounts may skip them (SPEC §5).
    "ENFORCE_ACCOUNT_POLICY": PRODUCTION or os.environ.get("ZHAOSHANG_ENFORCE_ACCOUNT_POLICY") == "1",
}

# Nightly verified backups (core.jobs, `backup` at 02:30) and how many are kept.
ZHAOSHANG_BACKUP_DIR = os.environ.get("ZHAOSHANG_BACKUP_DIR") or str(VAR_DIR / "backups")
ZHAOSHANG_BACKUP_KEEP = int(os.environ.get("ZHAOSHANG_BACKUP_KEEP", "14"))

# `zhaoshang health` (core.health): how long the worker may go without a heartbeat (or a job wait),
# the newest backup's greatest age, the least free disk space under ZHAOSHANG_VAR and the backups.
ZHAOSHANG_HEALTH_WORKER_MINUTES = int(os.environ.get("ZHAOSHANG_HEALTH_WORKER_MINUTES", "20"))
ZHAOSHANG_HEALTH_BACKUP_HOURS = int(os.environ.get("ZHAOSHANG_HEALTH_BACKUP_HOURS", "26"))
ZHAOSHANG_HEALTH_MIN_FREE_MB = int(os.environ.get("ZHAOSHANG_HEALTH_MIN_FREE_MB", "1024"))

# Optional e-mail channel for notifications (the in-app inbox always works).
ZHAOSHANG_EMAIL_NOTIFICATIONS = os.environ.get("ZHAOSHANG_EMAIL_NOTIFICATIONS") == "1"


# --- open API (zhaoshang.api) -----------------------------------------------------------------------
# Token per user (or the signed-in session, for the browsable schema); page size bounded; writes
# throttled per user (ZHAOSHANG_API_WRITE_RATE, e.g. "60/min").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhaoshang.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "zhaoshang.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["zhaoshang.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"write": os.environ.get("ZHAOSHANG_API_WRITE_RATE", "60/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhaoshang.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "招商 开放接口",
    "DESCRIPTION": "招商项目、到位资金、招商信息、招商活动、目标任务、单位、区划与指标。"
    "以 `Authorization: Token <令牌>` 调用;权限与令牌所属账号在网页上的权限相同。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "ProjectKindEnum": "zhaoshang.projects.choices.ProjectKind",
        "ActivityKindEnum": "zhaoshang.activities.choices.ActivityKind",
        "UnitKindEnum": "zhaoshang.organisation.choices.UnitKind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
}
