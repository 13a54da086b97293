"""Settings, read only from the environment (see .env.example).

With nothing set the portal runs the embedded demo: SQLite in var/, Celery on kombu's
filesystem transport in var/celery/, a real worker and beat started by `make run`.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import check_month_day, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
_INSECURE_DEFAULT_KEY = "django-insecure-embedded-demo-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEFAULT_KEY)
if not DEBUG and SECRET_KEY == _INSECURE_DEFAULT_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is false")
# Personal data at rest (portal.core.crypto): ID numbers are AES-256-GCM encrypted with the first
# of ID_ENCRYPTION_KEYS (every key listed decrypts: rotation) and looked up by an HMAC keyed with
# ID_HASH_KEY. Each is 32 random bytes, base64url; `python manage.py new_id_key` prints one.
# The embedded demo has fixed keys; production refuses to start without its own.
_DEMO_ID_KEY = "ZGVtby1vbmx5LWlkLWVuY3J5cHRpb24ta2V5LTMyYnk"
_DEMO_HASH_KEY = "ZGVtby1vbmx5LWlkLWxvb2t1cC1oYXNoLWtleS0zMmI"
ID_ENCRYPTION_KEYS = env_list("ID_ENCRYPTION_KEYS", [_DEMO_ID_KEY])
ID_HASH_KEY = env_str("ID_HASH_KEY", _DEMO_HASH_KEY)
# aes (AES-256-GCM, HMAC-SHA256) or sm4 (国密: SM4-GCM, HMAC-SM3, GB/T 39786); switching asks
# for `python manage.py reencrypt_ids`.
ID_CIPHER = env_choice("ID_CIPHER", "aes", ("aes", "sm4"))
if not DEBUG and (_DEMO_ID_KEY in ID_ENCRYPTION_KEYS or ID_HASH_KEY == _DEMO_HASH_KEY):
    raise ImproperlyConfigured(
        "ID_ENCRYPTION_KEYS and ID_HASH_KEY must be set to keys of your own when DJANGO_DEBUG is "
        "false (python manage.py new_id_key prints one)"
    )
# The audit trail (portal.core.audit_chain) is chained by HMAC-SHA256 under AUDIT_CHAIN_KEY
# (base64url, 32 bytes); unset, a key derived from ID_HASH_KEY, which is kept apart from the
# database for the same reason. Rows are kept AUDIT_RETENTION_DAYS at least (MLPS: 180).
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "")
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    # Login lockout per username and client address; TOTP second factor for bureau staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal.core",
    "filings",
    "assessments",
    "certificates",
    "supervision",
    "desk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the CSP and frame headers too.
    "portal.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit rows written while serving a request carry its address; refusals (403) are audited.
    "portal.core.audit.AuditAddressMiddleware",
    # Cache-Control: no-store for logged-in users and public pages with personal data (PIPL).
    "portal.core.privacy.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.core.sessions.SessionGuardMiddleware",
    # A password to change or a second factor to set up comes before any other page.
    "portal.core.account_guard.AccountGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so its error page has the user's navigation; before any view.
    "portal.core.middleware.NulQueryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
                "desk.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so that a real worker process can share the test database.
            # Per process, so that concurrent test runs do not share one file.
            "TEST": {"NAME": VAR_DIR / f"test-portal-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# GB/T 22239-2019 level 3 (8.1.4.1): 8 characters of 3 classes, none of the last 5
# (portal.core.passwords, which also keeps the history).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.core.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Bureau reviewers and administrators change a password older than this many days.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# locale/ holds the catalog; locale/parts/<area>/ hold catalogs of work not yet merged into it.
LOCALE_PATHS = [BASE_DIR / "locale"] + sorted(
    path for path in (BASE_DIR / "locale" / "parts").glob("*") if path.is_dir()
)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: materials are checked by content in filings.uploads; this caps the request.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Workbooks are ZIPs: checked from their directory before any parser runs (portal.core.uploads).
# A workbook has a dozen parts; a 20,000-row roster unpacks to about 30 MB; deflate on real
# sheets stays under 30:1, a ZIP bomb reaches 1000:1 (the ratio bounds entries above 1 MB).
UPLOAD_ZIP_MAX_ENTRIES = env_int("UPLOAD_ZIP_MAX_ENTRIES", 500, minimum=10)
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = env_int(
    "UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", 150 * 1024 * 1024, minimum=1024 * 1024
)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 100, minimum=10)
# Examinee rows below a roster's header; a sheet with more is refused on upload, before any
# row is parsed (the rows are counted while the ZIP checks stream the sheet).
ROSTER_MAX_ROWS = env_int("ROSTER_MAX_ROWS", 20_000, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Django writes every uploaded file to disk before a form sees it: a request larger than the
# largest field limit (a 200 MB session video or photo ZIP) is stopped first, with a 400.
UPLOAD_REQUEST_MAX_BYTES = env_int("UPLOAD_REQUEST_MAX_BYTES", 210 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_HANDLERS = [
    "portal.core.uploads.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. The broker is CELERY_BROKER_URL if set, else REDIS_URL, else kombu's filesystem
# transport in CELERY_FILESYSTEM_DIR (the embedded demo: no server to run).
_celery_broker_source = "CELERY_BROKER_URL" if env_str("CELERY_BROKER_URL", "") else "REDIS_URL"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or REDIS_URL or "filesystem://localhost//"
_celery_dir = Path(env_str("CELERY_FILESYSTEM_DIR", str(VAR_DIR / "celery")))
# A message not acknowledged within CELERY_VISIBILITY_TIMEOUT seconds is handed to another
# worker (Redis). With acks_late that is how the task of a worker lost mid-run is redone, and
# also why it must exceed the longest task and the longest countdown/ETA: a longer one runs
# twice. Our tasks take seconds and are idempotent; one hour leaves a wide margin.
_celery_visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
# Seconds a Redis command may wait for an answer, and the budget for (re)connecting when
# publishing: a Redis that accepts connections but never answers makes a publish fail after
# about this (5.0 s measured with 5), instead of hanging a request; the outbox keeps the work.
_celery_socket_timeout = env_int("CELERY_BROKER_SOCKET_TIMEOUT", 5, minimum=1)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "control_folder": str(_celery_dir / "control"),
        "processed_folder": str(_celery_dir / "processed"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.split("://", 1)[0] in {"redis", "rediss"}:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _celery_visibility_timeout,
        "socket_timeout": _celery_socket_timeout,
        "socket_connect_timeout": _celery_socket_timeout,
        "socket_keepalive": True,
        "retry_on_timeout": False,
    }
else:
    raise ImproperlyConfigured(
        f"{_celery_broker_source} must start with redis://, rediss:// or filesystem:// "
        f"to be a Celery broker, got {CELERY_BROKER_URL!r}"
    )
# Bounded retries when publishing, so a dead broker surfaces as an error within seconds.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge after the task ran, one message at a time per worker process: a worker that dies
# mid-task leaves the message to be redelivered, and no worker hoards messages it is not running.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On a lost broker connection, stop late-acked tasks (they are redelivered): Celery 6's default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = _celery_socket_timeout
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SCAN_SECONDS = env_int("REMINDER_SCAN_SECONDS", 300, minimum=10)
# An e-mail reminder claimed by a worker that died before marking it sent is sent again after
# this many seconds; a reminder that failed this many times is given up (status failed).
REMINDER_SENDING_TIMEOUT_SECONDS = env_int("REMINDER_SENDING_TIMEOUT_SECONDS", 900, minimum=60)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5, minimum=1)
# Seconds between two runs of the outbox relay; also how long a process stops publishing at
# commit time after a broker fault (the rows wait in the outbox meanwhile).
OUTBOX_RELAY_SECONDS = env_int("OUTBOX_RELAY_SECONDS", 30, minimum=5)
# A web process hides its long-lived objects from the garbage collector after this many requests
# (portal/wsgi.py: full collections then take ~15 ms instead of ~120 ms); 0 = never.
GC_FREEZE_AFTER_REQUESTS = env_int("GC_FREEZE_AFTER_REQUESTS", 20, minimum=0)
# Supervision flags (supervision.flags.cache): a scope whose flags take FLAGS_SLOW_MS or more to
# find keeps them FLAGS_CACHE_SECONDS (0: never kept); beat finds them again every
# FLAGS_REFRESH_SECONDS, which must be shorter for reviewers never to wait for a search.
FLAGS_SLOW_MS = env_int("FLAGS_SLOW_MS", 500, minimum=0)
FLAGS_CACHE_SECONDS = env_int("FLAGS_CACHE_SECONDS", 900, minimum=0)
FLAGS_REFRESH_SECONDS = env_int("FLAGS_REFRESH_SECONDS", 600, minimum=60)
# Retention of personal data in days (portal.core.retention; PIPL): uploaded rosters never
# imported, rosters of plans left unsubmitted, complaint contacts after the answer, assessment
# evidence (never under 730: R-C1 keeps it 2 years).
RETENTION_ROSTER_UPLOAD_DAYS = env_int("RETENTION_ROSTER_UPLOAD_DAYS", 7, minimum=1)
RETENTION_UNUSED_ROSTER_DAYS = env_int("RETENTION_UNUSED_ROSTER_DAYS", 365, minimum=30)
RETENTION_COMPLAINT_CONTACT_DAYS = env_int("RETENTION_COMPLAINT_CONTACT_DAYS", 3 * 365, minimum=30)
RETENTION_EVIDENCE_DAYS = env_int("RETENTION_EVIDENCE_DAYS", 3 * 365, minimum=730)
# Periodic scans of the database; no task waits in the broker longer than a few minutes.
CELERY_BEAT_SCHEDULE = {
    # Personal data past its retention period is anonymised or deleted (portal.core.retention).
    "apply-retention": {"task": "portal.core.tasks.apply_retention", "schedule": 24 * 3600},
    # Roster imports whose check or import no worker finished are dispatched again.
    "resume-roster-imports": {"task": "assessments.tasks.resume_roster_imports", "schedule": 60},
    # Certificate batches whose printing was lost with a worker are dispatched again.
    "resume-certificate-batches": {"task": "certificates.tasks.resume_batches", "schedule": 60},
    # Reminders are found by scanning the database for what falls due; each is delivered once
    # per recipient and channel whatever runs twice (supervision.reminders).
    "scan-reminders": {
        "task": "supervision.tasks.scan_reminders",
        "schedule": REMINDER_SCAN_SECONDS,
    },
    # Background work is written to the outbox with the change that calls for it and sent after
    # the commit; what the broker did not take then is sent by this relay (portal.core.outbox).
    "relay-outbox": {"task": "portal.core.tasks.relay_outbox", "schedule": OUTBOX_RELAY_SECONDS},
    # Audit rows a crash left unsealed join the chain (portal.core.audit_chain).
    "seal-audit-chain": {"task": "portal.core.tasks.seal_audit_chain", "schedule": 60},
    # The flags of large scopes, found before a reviewer asks (supervision.flags.cache).
    "refresh-flags": {
        "task": "supervision.tasks.refresh_flags",
        "schedule": FLAGS_REFRESH_SECONDS,
        # A refresh that waited longer than its interval is superseded by the next one.
        "options": {"expires": FLAGS_REFRESH_SECONDS},
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: where mails are written.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# The portal's public address, printed on receipts and certificates.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# R-K3: the national query systems printed on every certificate (seed 004 §三(三)).
# A certificate batch part claimed by a task for longer than this is presumed lost with its
# worker and rendered again (a part of 250 pages takes about 4 s).
CERTIFICATE_PART_CLAIM_SECONDS = env_int("CERTIFICATE_PART_CLAIM_SECONDS", 60, minimum=1)
# Public verification and holder downloads: requests per client per window ("30/60" = 30 a
# minute; "0/60" switches the limit off). Behind reverse proxies, TRUSTED_PROXY_COUNT says how
# many, so the client's address is read from X-Forwarded-For (portal.core.ratelimit).
VERIFY_RATE_LIMIT = env_str("VERIFY_RATE_LIMIT", "30/60")
HOLDER_DOWNLOAD_RATE_LIMIT = env_str("HOLDER_DOWNLOAD_RATE_LIMIT", "10/600")
# Failed holder downloads per certificate, from any address ("5/86400": after 5 failures the
# certificate's download is paused until 24 hours after the first; "0/60" switches it off).
HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = env_str("HOLDER_DOWNLOAD_CERTIFICATE_FAILURES", "5/86400")
# Seconds a verification answer (masked fields, a keyed hash of the name) stays in the cache;
# revocation and replacement drop it at once. 0 switches the cache off.
VERIFY_CACHE_SECONDS = env_int("VERIFY_CACHE_SECONDS", 300, minimum=0)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Verify a file: uploaded certificate PDFs checked per client per window, and the largest
# accepted (refused before it is parsed).
VERIFY_FILE_RATE_LIMIT = env_str("VERIFY_FILE_RATE_LIMIT", "10/60")
VERIFY_FILE_MAX_BYTES = env_int("VERIFY_FILE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Public complaints (R-M5): submissions and follow-up look-ups per client per window.
COMPLAINT_RATE_LIMIT = env_str("COMPLAINT_RATE_LIMIT", "5/3600")
COMPLAINT_TRACK_RATE_LIMIT = env_str("COMPLAINT_TRACK_RATE_LIMIT", "20/600")
# The complainant's e-mail address is confirmed by a link before anything is mailed to it: links
# sent per address per window, whoever asks ("3/86400"), and the days a link stays valid.
COMPLAINT_EMAIL_CONFIRMATIONS = env_str("COMPLAINT_EMAIL_CONFIRMATIONS", "3/86400")
COMPLAINT_EMAIL_CONFIRM_DAYS = env_int("COMPLAINT_EMAIL_CONFIRM_DAYS", 7, minimum=1)
# Working days a bureau has to answer a complaint.
COMPLAINT_ANSWER_WORKING_DAYS = env_int("COMPLAINT_ANSWER_WORKING_DAYS", 15, minimum=1)
# R-M4: the year-start summary and plan are due by this month-day of the year.
ANNUAL_REPORT_DUE = env_str("ANNUAL_REPORT_DUE", "03-31")
check_month_day("ANNUAL_REPORT_DUE", ANNUAL_REPORT_DUE)
CERTIFICATE_QUERY_URL = env_str("CERTIFICATE_QUERY_URL", "http://jndj.osta.org.cn")
INSTITUTION_QUERY_URL = env_str("INSTITUTION_QUERY_URL", "http://pjjg.osta.org.cn")
# Holder PDFs are signed (PAdES) by the identity in CERT_SIGNING_PKCS12 (a PKCS#12 file: key,
# certificate and its chain), opened with CERT_SIGNING_PKCS12_PASSWORD; "verify a file" trusts
# the roots in CERT_TRUST_ROOTS (PEM files, comma-separated; unset: the roots of the signing
# identity's chain). Unset in the embedded demo: a demo CA made under VAR_DIR/signing-demo/
# (certificates.signing.identity), which production refuses, as it refuses the demo ID keys.
CERT_SIGNING_PKCS12 = env_str("CERT_SIGNING_PKCS12", "")
CERT_SIGNING_PKCS12_PASSWORD = env_str("CERT_SIGNING_PKCS12_PASSWORD", "")
CERT_TRUST_ROOTS = env_list("CERT_TRUST_ROOTS", [])
# Named in the signature as where it was made.
CERT_SIGNING_LOCATION = env_str("CERT_SIGNING_LOCATION", "")
# Whether the demo CA may sign: only in the embedded demo (read once here, as the test runner
# turns DEBUG off at run time).
CERT_SIGNING_DEMO_ALLOWED = DEBUG
_DEMO_SIGNING_DIR = (VAR_DIR / "signing-demo").resolve()
if not CERT_SIGNING_DEMO_ALLOWED and (
    not CERT_SIGNING_PKCS12
    or any(
        Path(path).resolve().is_relative_to(_DEMO_SIGNING_DIR)
        for path in [CERT_SIGNING_PKCS12, *CERT_TRUST_ROOTS]
    )
):
    raise ImproperlyConfigured(
        "CERT_SIGNING_PKCS12 must be set to a signing identity of your own (not the demo's) when "
        "DJANGO_DEBUG is false"
    )
# Font for PDFs: WenQuanYi Micro Hei subsets in ~0.1 s where Noto CJK takes ~12 s.
PDF_FONT_PATH = env_str("PDF_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# A logged-in session left this many seconds without a request is logged out
# (portal.core.sessions); the login page says why.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Login lockout (django-axes, portal.core.lockout): AXES_FAILURE_LIMIT failed passwords or
# second-factor codes for one username from one client address lock that pair for
# AXES_COOLOFF_MINUTES. Per pair, so that neither an attacker can lock a user out for everyone
# nor one client behind a shared proxy lock out all the others; the address is read as the rate
# limits read it (TRUSTED_PROXY_COUNT).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.core.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Guesses at one user name from every address (portal.core.lockout): past
# LOGIN_USERNAME_FAILURE_LIMIT within AXES_COOLOFF_MINUTES (at most AXES_FAILURE_LIMIT counted
# per address) the user name is locked for addresses it has not logged in from within
# LOGIN_KNOWN_ADDRESS_DAYS, and ADMINS and the city's administrators are e-mailed.
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20, minimum=1)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 90, minimum=1)
# The portal's own operators, as e-mail addresses: ADMIN_EMAILS=ops@example.org,sec@example.org
ADMINS = [(address, address) for address in env_list("ADMIN_EMAILS", [])]
AXES_VERBOSE = False
# Second factor (TOTP, django-otp) for bureau staff who switch it on (portal.core.two_factor).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "技能等级认定")
# Bureau staff and administrators without a second factor must set one up before any other
# page: on in production, off in the embedded demo (whose accounts have no authenticator app).
REQUIRE_TWO_FACTOR_FOR_STAFF = env_bool("REQUIRE_TWO_FACTOR_FOR_STAFF", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy and Permissions-Policy: portal.core.security_headers (no inline
# script or style anywhere: page behaviour is in portal/static/portal/portal.js).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record passes the root handler: anything looking like an ID number is masked (PIPL).
    "filters": {"mask_id_numbers": {"()": "portal.core.masking.MaskIDNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_id_numbers"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers would print twice: through their handler and through root's.
        "django": {"handlers": [], "propagate": True},
        # Libraries that announce themselves at INFO (pikepdf: on every command) speak up only
        # when something is wrong.
        **{
            name: {"level": "WARNING"}
            for name in ("weasyprint", "fontTools", "PIL", "faker", "pikepdf")
        },
        # pyHanko warns, with a traceback, of every signature that fails validation: on "verify
        # a file" that is an uploader's forged or foreign file, an answer, not a fault.
        "pyhanko": {"level": "ERROR"},
    },
}
