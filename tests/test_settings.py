"""Settings come from the environment: defaults run the embedded demo, bad values stop start-up
with a message naming the variable (STYLE.md rule 6), and .env.example lists every variable."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

# Variables of the developer's or CI's shell that would change what the defaults are.
_PORTAL_VARIABLES = re.compile(
    r"^(DJANGO_|DATABASE_URL$|REDIS_URL$|SECRET_KEY$|ALLOWED_HOSTS$|CELERY_|UPLOAD_MAX_BYTES$|"
    r"PORTAL_VAR_DIR$|MEDIA_ROOT$|STATIC_ROOT$|ID_ENCRYPTION_KEYS$|ID_HASH_KEY$|"
    r"REQUIRE_TWO_FACTOR_FOR_STAFF$|PASSWORD_MAX_AGE_DAYS$|SESSION_IDLE_SECONDS$|CERT_)"
)

_SHOW = (
    "import json, django\n"
    "django.setup()\n"
    "from django.conf import settings as s\n"
    "db = s.DATABASES['default']\n"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'debug': s.DEBUG,\n"
    "    'broker': s.CELERY_BROKER_URL, 'broker_options': s.CELERY_BROKER_TRANSPORT_OPTIONS,\n"
    "    'acks_late': s.CELERY_TASK_ACKS_LATE, 'prefetch': s.CELERY_WORKER_PREFETCH_MULTIPLIER,\n"
    "    'upload_max_bytes': s.UPLOAD_MAX_BYTES, 'cache': s.CACHES['default']['BACKEND'],\n"
    "    'two_factor_required': s.REQUIRE_TWO_FACTOR_FOR_STAFF,\n"
    "    'password_max_age_days': s.PASSWORD_MAX_AGE_DAYS,\n"
    "    'session_idle_seconds': s.SESSION_IDLE_SECONDS}))\n"
)


def _start(**env: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with only these portal variables set."""
    clean = {key: value for key, value in os.environ.items() if not _PORTAL_VARIABLES.match(key)}
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return subprocess.run(
        [sys.executable, "-c", _SHOW],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings(**env: str) -> dict:
    done = _start(**env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_defaults_give_sqlite_in_var_and_the_filesystem_broker():
    shown = _settings()

    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(BASE_DIR / "var" / "portal.sqlite3")
    assert shown["debug"] is True
    assert shown["broker"] == "filesystem://localhost//"
    assert shown["broker_options"]["data_folder_in"] == str(BASE_DIR / "var" / "celery" / "queue")
    assert shown["cache"].endswith("LocMemCache")


def test_database_url_and_redis_url_give_postgresql_and_redis_with_timeouts():
    shown = _settings(
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/2",
    )

    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "portal"
    assert shown["broker"] == "redis://cache.internal:6379/2"
    assert shown["cache"].endswith("RedisCache")
    options = shown["broker_options"]
    assert options["socket_timeout"] == 5
    assert options["socket_connect_timeout"] == 5
    assert options["visibility_timeout"] == 3600
    assert shown["acks_late"] is True
    assert shown["prefetch"] == 1


def test_celery_knobs_move_the_broker():
    shown = _settings(
        CELERY_FILESYSTEM_DIR="/srv/portal-queue",
        CELERY_BROKER_SOCKET_TIMEOUT="9",
    )
    assert shown["broker_options"]["data_folder_out"] == "/srv/portal-queue/queue"

    shown = _settings(
        REDIS_URL="redis://cache.internal:6379/2",
        CELERY_BROKER_URL="redis://broker.internal:6379/5",
        CELERY_BROKER_SOCKET_TIMEOUT="9",
        CELERY_VISIBILITY_TIMEOUT="7200",
    )
    assert shown["broker"] == "redis://broker.internal:6379/5"
    assert shown["broker_options"]["socket_timeout"] == 9
    assert shown["broker_options"]["visibility_timeout"] == 7200


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be a boolean (true/false), got 'maybe'"),
        ("UPLOAD_MAX_BYTES", "10MB", "UPLOAD_MAX_BYTES must be an integer, got '10MB'"),
        ("UPLOAD_MAX_BYTES", "12", "UPLOAD_MAX_BYTES must be at least 1024, got 12"),
        ("DATABASE_URL", "oracle-ish://x", "DATABASE_URL is not a valid database URL"),
        ("CELERY_VISIBILITY_TIMEOUT", "1h", "CELERY_VISIBILITY_TIMEOUT must be an integer"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//", "CELERY_BROKER_URL must start with"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with"),
        ("PASSWORD_MAX_AGE_DAYS", "90d", "PASSWORD_MAX_AGE_DAYS must be an integer, got '90d'"),
        ("PASSWORD_MAX_AGE_DAYS", "0", "PASSWORD_MAX_AGE_DAYS must be at least 1, got 0"),
        ("REQUIRE_TWO_FACTOR_FOR_STAFF", "sometimes", "REQUIRE_TWO_FACTOR_FOR_STAFF must be a"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value, message):
    done = _start(**{variable: value})

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert message in done.stderr


def test_debug_off_without_secret_key_refuses_to_start():
    done = _start(DJANGO_DEBUG="false", ALLOWED_HOSTS="portal.example.cn")

    assert done.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is false" in done.stderr


# What production needs besides SECRET_KEY: its own ID keys and signing identity.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-" + "x7Q2" * 10,
    "ALLOWED_HOSTS": "portal.example.cn",
    "ID_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1pZC1lbmNyeXB0aW9uLWtleS0zMmI",
    "ID_HASH_KEY": "cHJvZHVjdGlvbi1pZC1sb29rdXAtaGFzaC1rZXktMzI",
    "CERT_SIGNING_PKCS12": "/etc/portal/signer.p12",
}


def test_debug_off_with_secret_key_starts():
    shown = _settings(**PRODUCTION)
    assert shown["debug"] is False


def test_the_demo_leaves_two_step_login_optional_and_production_requires_it_of_staff():
    production = PRODUCTION

    assert _settings()["two_factor_required"] is False
    assert _settings(**production)["two_factor_required"] is True
    assert (
        _settings(**production, REQUIRE_TWO_FACTOR_FOR_STAFF="false")["two_factor_required"]
        is False
    )


def test_staff_passwords_expire_after_90_days_and_sessions_after_30_idle_minutes_by_default():
    shown = _settings()

    assert shown["password_max_age_days"] == 90
    assert shown["session_idle_seconds"] <= 30 * 60
    assert _settings(PASSWORD_MAX_AGE_DAYS="60")["password_max_age_days"] == 60


def test_debug_off_with_the_demo_id_keys_refuses_to_start():
    done = _start(
        DJANGO_DEBUG="false",
        SECRET_KEY="a-long-random-production-key-" + "x7Q2" * 10,
        ALLOWED_HOSTS="portal.example.cn",
    )

    assert done.returncode != 0
    assert "ID_ENCRYPTION_KEYS and ID_HASH_KEY must be set" in done.stderr


def test_production_refuses_to_start_with_the_demo_signing_identity():
    without = {key: value for key, value in PRODUCTION.items() if key != "CERT_SIGNING_PKCS12"}
    demo = str(BASE_DIR / "var" / "signing-demo" / "signer.p12")

    for env in (without, {**without, "CERT_SIGNING_PKCS12": demo}):
        done = _start(**env)
        assert done.returncode != 0
        assert "CERT_SIGNING_PKCS12 must be set to a signing identity of your own" in done.stderr


def _variables_read(path: Path) -> set[str]:
    source = path.read_text()
    found = set(re.findall(r"\benv_(?:str|bool|int|list|choice)\(\s*\"([A-Z0-9_]+)\"", source))
    found |= set(re.findall(r"os\.environ(?:\.get)?[\[(]\s*\"([A-Z0-9_]+)\"", source))
    return found


def test_env_example_lists_every_variable_the_settings_read():
    read = _variables_read(BASE_DIR / "portal" / "settings.py")
    listed = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )

    assert "DJANGO_DEBUG" in read  # the scan itself works
    assert sorted(read - listed) == []


def test_a_management_command_prints_no_library_chatter():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "pikepdf" not in done.stdout + done.stderr
