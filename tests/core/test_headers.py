"""Deployment headers on every response: every URL pattern as an anonymous visitor and as carl
(city reviewer and admin), pages, 404s, 500s, redirects, static files, PDFs, the JSON API; HSTS
under production settings; `manage.py check --deploy` clean; no inline script or style left in
the templates (the Content-Security-Policy would block it)."""

import base64
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from tests.support.factories import approved_filing

BASE_DIR = Path(django_settings.BASE_DIR)
EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _missing(response) -> dict:
    """The expected headers the response lacks or sends with another value."""
    wrong = {
        name: response.headers.get(name)
        for name, value in EXPECTED.items()
        if response.headers.get(name) != value
    }
    policy = response.headers.get("Permissions-Policy", "")
    if "camera=()" not in policy or "geolocation=()" not in policy:
        wrong["Permissions-Policy"] = policy
    return wrong


def _sample(converter) -> object:
    name = type(converter).__name__
    if name == "IntConverter":
        return 1
    if name == "UUIDConverter":
        return uuid.UUID(int=1)
    return "x"


def _every_url() -> list[str]:
    """One URL for each named pattern (objects that do not exist: the 404 path is checked as
    much as the page), the Django admin's login included."""
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = getattr(pattern.pattern, "converters", {})
                kwargs = {key: _sample(value) for key, value in converters.items()}
                try:
                    urls.append(reverse(pattern.name, kwargs=kwargs or None))
                except Exception:  # a namespaced admin view: reached through the admin's index
                    continue

    walk(get_resolver().url_patterns)
    urls.append("/django-admin/")
    return sorted(set(urls))


@pytest.mark.parametrize("persona", ["anon", "carl"])
def test_every_url_pattern_answers_with_the_security_headers(persona, request, settings, world):
    settings.VERIFY_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    client = Client()
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    urls = _every_url()
    assert len(urls) > 100

    lacking = {}
    for url in urls:
        for method in ("get", "post"):
            if persona != "anon" and method == "post" and url == reverse("logout"):
                continue  # the rest of the walk is carl's
            response = getattr(client, method)(url)
            if wrong := _missing(response):
                lacking[f"{method.upper()} {url} ({response.status_code})"] = wrong
    assert lacking == {}
    still_logged_in = client.get(reverse("dashboard")).status_code == 200
    assert still_logged_in == (persona != "anon")


def test_pages_files_and_answers_of_every_kind_carry_them(client, alice, ent_a, settings):
    """A page, a redirect, a 404, a 405, a JSON answer, the verification API's 400 and a PDF."""
    filing = approved_filing(ent_a)
    anonymous = Client()
    client.force_login(alice)
    answers = {
        "page": client.get(reverse("dashboard")),
        "redirect": anonymous.get(reverse("dashboard")),
        "404": client.get("/no/such/page/"),
        "405": client.get(reverse("logout")),
        "json": anonymous.get(reverse("hello")),
        "api 400": anonymous.get(reverse("api_certificate_verify")),
        "pdf": client.get(reverse("filing_receipt", kwargs={"pk": filing.pk})),
    }

    assert {kind: r.status_code for kind, r in answers.items()} == {
        "page": 200,
        "redirect": 302,
        "404": 404,
        "405": 405,
        "json": 200,
        "api 400": 400,
        "pdf": 200,
    }
    assert answers["pdf"]["Content-Type"] == "application/pdf"
    assert {kind: _missing(r) for kind, r in answers.items() if _missing(r)} == {}


def test_static_files_served_by_whitenoise_carry_them(client):
    response = client.get(django_settings.STATIC_URL + "portal/portal.js")

    assert response.status_code == 200
    assert b"data-autosubmit" in b"".join(response.streaming_content)
    assert _missing(response) == {}


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *get_resolver("portal.urls").url_patterns]


@pytest.mark.urls(__name__)
def test_a_server_error_carries_them(db):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert _missing(response) == {}


def test_hsts_is_sent_over_https_with_the_production_values(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(reverse("home"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert _missing(response) == {}


def _production_env() -> dict:
    def key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")

    clean = {
        name: value
        for name, value in os.environ.items()
        if not re.match(r"^(DJANGO_|SECRET_KEY$|ALLOWED_HOSTS$|ID_|SECURE_|CERT_)", name)
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.cn",
        "ID_ENCRYPTION_KEYS": key(),
        "ID_HASH_KEY": key(),
        "CERT_SIGNING_PKCS12": "/etc/portal/signer.p12",
    }


def test_production_settings_turn_on_hsts_and_secure_cookies():
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
            " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[-6:] == ["31536000", "True", "True", "True", "True", "True"]


def test_check_deploy_is_clean_with_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


# Printed documents (WeasyPrint) and e-mails are not shown under the page's policy.
_NOT_PAGES = ("pdf", "emails")
_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I
)


def test_no_template_has_inline_script_or_style():
    found = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        if template.relative_to(BASE_DIR / "templates").parts[0] in _NOT_PAGES:
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if _INLINE.search(line):
                found.append(f"{template.relative_to(BASE_DIR)}:{number}: {line.strip()[:80]}")
    assert found == []
