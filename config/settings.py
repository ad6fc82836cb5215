"""Settings, driven by the environment.

SQLite under var/ is the default; set DATABASE_URL for PostgreSQL. Outside demo/debug mode a
secret key is required and cookies are secure.
"""

import datetime as dt
import sys
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CORDON_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CORDON_DEBUG", False)
DEMO = env_bool("CORDON_DEMO", True)
_INSECURE_KEY = "cordon-demo-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("CORDON_SECRET_KEY", _INSECURE_KEY if (DEBUG or DEMO) else None, required=not (DEBUG or DEMO))
ALLOWED_HOSTS = env_list("CORDON_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CORDON_CSRF_TRUSTED_ORIGINS", [])

# Every cordon app, in dependency order. core.registry discovers each app's receivers and urls modules from this list.
CORDON_APPS = [
    "cordon.core",
    "cordon.accounts",
    "cordon.outbox",
    "cordon.regions",
    "cordon.people",
    "cordon.questionnaires",
    "cordon.venues",
    "cordon.spacetime",
    "cordon.cases",
    "cordon.contacts",
    "cordon.status",
    "cordon.surveillance",
    "cordon.quarantine",
    "cordon.zones",
    "cordon.keyworkers",
    "cordon.community",
    "cordon.checkpoints",
    "cordon.gatherings",
    "cordon.supplies",
    "cordon.workforce",
    "cordon.screening",
    "cordon.livelihood",
    "cordon.selfreport",
    "cordon.assist",
    "cordon.command",
    "cordon.reports",
    "cordon.bulletins",
    "cordon.documents",
    "cordon.sim",
    "cordon.api",
    "cordon.web",
    "cordon.bench",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "axes",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *CORDON_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cordon.core.middleware.RequestIdMiddleware",
    # Before anything reads the body: a request over CORDON_MAX_UPLOAD_MB is answered 413 at once.
    "cordon.core.middleware.RequestSizeLimitMiddleware",
    # Text with a NUL character is refused with a 400 (PostgreSQL cannot store it).
    "cordon.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a second factor verified in this session (django-otp)
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Unmasking, exporting and the admin need that second factor: sends the user to verify (or enrol) and back.
    "cordon.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a login lockout into the login page with a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cordon.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cordon.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CORDON_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000; "
        "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("CORDON_SQLITE_NO_PERSIST", False) else None
if test_name := env_str("CORDON_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Tests run background jobs at once (immediate backend); everything else uses the database worker.
TESTING = env_bool("CORDON_TESTING", "pytest" in sys.modules)
TASKS = {"default": {"BACKEND": env_str("CORDON_TASK_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
                                        if TESTING else "django_tasks_db.DatabaseBackend")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Test users are created by the hundred; the production hasher's cost is not what tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Login throttling is django-axes: failed logins of one user name FROM one address within the window lock that
# pair out (per combination, so a stranger cannot lock a known user out from elsewhere); the lockout lasts
# the window. Axes checks every authenticate() that has a request (web login, admin login).
CORDON_LOGIN_MAX_FAILURES = env_int("CORDON_LOGIN_MAX_FAILURES", 5)
CORDON_LOGIN_WINDOW_SECONDS = env_int("CORDON_LOGIN_WINDOW_SECONDS", 900)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = True  # in tests too (the throttle is tested); force_login bypasses it
AXES_FAILURE_LIMIT = CORDON_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(seconds=CORDON_LOGIN_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cordon.core.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "cordon.web.login.login_locked_out"
AXES_VERBOSE = False

# Strong sign-in (accounts/twofactor.py, docs/SIGNIN.md). Unmasking personal data, exporting and the admin site need a
# second factor (TOTP app, or a one-time recovery code) verified in the session; API tokens carry it when issued from a
# verified session. Wrong codes are throttled by django-otp (1, 2, 4, 8 ... seconds after each failure).
CORDON_REQUIRE_2FA = env_bool("CORDON_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env_str("CORDON_OTP_ISSUER", "cordon")
OTP_TOTP_THROTTLE_FACTOR = env_int("CORDON_OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("CORDON_OTP_THROTTLE_FACTOR", 1)
# OpenID Connect sign-in with the city's identity provider (mozilla-django-oidc): off unless the client id and the
# provider's endpoints are set. accounts.oidc maps the `cordon_posts` claim (or `cordon:<role>:<region>` groups) to posts.
OIDC_RP_CLIENT_ID = env_str("CORDON_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("CORDON_OIDC_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("CORDON_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("CORDON_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("CORDON_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("CORDON_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("CORDON_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("CORDON_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("CORDON_OIDC_SCOPES", "openid profile email")
OIDC_USE_PKCE = env_bool("CORDON_OIDC_USE_PKCE", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
CORDON_OIDC_PROVIDER_NAME = env_str("CORDON_OIDC_PROVIDER_NAME", "")
CORDON_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT
                           and OIDC_OP_USER_ENDPOINT)
if CORDON_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("cordon.accounts.oidc.PostsBackend")
if TESTING:
    # The OIDC tests run a real provider (django-oauth-toolkit) in the test process: its tables exist only in test databases.
    INSTALLED_APPS.append("oauth2_provider")

# Public look-ups by ID number and phone (test results, health code): per looked-up person and per client
# address, in a window. The address limit is loose because a district can sit behind one carrier NAT address.
CORDON_LOOKUP_PER_PERSON = env_int("CORDON_LOOKUP_PER_PERSON", 5)
CORDON_LOOKUP_PER_ADDRESS = env_int("CORDON_LOOKUP_PER_ADDRESS", 300)
CORDON_LOOKUP_WINDOW_SECONDS = env_int("CORDON_LOOKUP_WINDOW_SECONDS", 600)

# Request and upload size: a body (form, JSON or files) over CORDON_MAX_UPLOAD_MB is refused with a 413
# (core.middleware); Django keeps uploads up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and spools larger ones
# to disk. An import file holds at most CORDON_IMPORT_MAX_ROWS data rows (core.tabular.read_rows).
CORDON_MAX_UPLOAD_MB = env_int("CORDON_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = CORDON_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
CORDON_IMPORT_MAX_ROWS = env_int("CORDON_IMPORT_MAX_ROWS", 50_000)
# Lab results: a JSON file of extra supported codes (same shape as screening/lab/codes.json), merged over the defaults.
CORDON_LAB_CODES = env_str("CORDON_LAB_CODES", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "cordon" / "locale"]
TIME_ZONE = env_str("CORDON_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

SECURE = not (DEBUG or DEMO) and env_bool("CORDON_HTTPS", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("CORDON_HSTS_SECONDS", 3600)

from django.utils.csp import CSP  # noqa: E402

# No CDN anywhere: scripts, styles and images come from this server only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cordon"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CORDON_LOG_LEVEL", "WARNING")},
}

# Pluggable notifier: the outbox (queued, delivered by its channels with retries and rate limits) by default;
# "cordon.core.notify.LogNotifier" only writes to the log.
CORDON_NOTIFIER = env_str("CORDON_NOTIFIER", "cordon.outbox.notifier.OutboxNotifier")
# The address residents reach the platform at: personal links sent by SMS (self-report) start with it.
CORDON_PUBLIC_URL = env_str("CORDON_PUBLIC_URL", "http://127.0.0.1:8000")
# Personal data kept in registers outside the resident registry (village returnees, compound passes) is
# pseudonymised this many days after the person's measures or the pass ended (community.services.retention_run).
CORDON_RETENTION_DAYS = env_int("CORDON_RETENTION_DAYS", 180)
CORDON_EXPORT_MAX_ROWS = env_int("CORDON_EXPORT_MAX_ROWS", 100_000)  # rows one export may hold (core.exports)
CORDON_CITY_NAME = env_str("CORDON_CITY_NAME", "示范市")
