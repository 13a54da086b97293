"""No ID number in a URL, and Cache-Control: no-store on every response with personal data
(PIPL). URLs end up in access logs, browser history and Referer headers; a cached page
stays on a shared computer or in a proxy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.assessments.factories import PlanFactory, RosterEntryFactory, id_number
from tests.certificates.factories import issued_batch

pytestmark = pytest.mark.django_db

# Names a form field holding (part of) an ID number goes by in this portal.
ID_FIELDS = re.compile(r"id_?(number|no|tail|card)|idcard|identity|证件", re.IGNORECASE)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
# A list page's fields stand in its `filters` block, inside the GET form of core/list_page.html.
FILTERS = re.compile(r"{% block filters %}(.*?){% endblock %}", re.DOTALL)


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _forms(html: str) -> list[tuple[str, list[str]]]:
    """(method, field names) of every form of a page or template."""
    found = []
    for attributes, body in FORM.findall(html):
        method = re.search(r"method=\"(\w+)\"", attributes, re.IGNORECASE)
        found.append(((method.group(1) if method else "get").lower(), FIELD_NAME.findall(body)))
    found.extend(("get", FIELD_NAME.findall(body)) for body in FILTERS.findall(html))
    return found


def test_no_url_pattern_takes_an_id_number():
    routes = [route for route, _pattern in _patterns(get_resolver().url_patterns)]
    assert len(routes) > 100
    for route in routes:
        for parameter in re.findall(r"<(?:\w+:)?(\w+)>", route):
            assert not ID_FIELDS.search(parameter), route


def test_no_get_form_in_any_template_takes_an_id_number():
    templates = list((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
    get_forms = 0
    for path in templates:
        for method, names in _forms(path.read_text()):
            if method != "post":
                get_forms += 1
                with_id = [name for name in names if ID_FIELDS.search(name)]
                assert not with_id, f"{path}: a GET form takes {with_id}"
    assert get_forms >= 10  # the lists' search forms


def test_no_rendered_get_form_takes_an_id_number(client, alice, carl, ent_a):
    plan = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(plan=plan)
    issued_batch(ent_a, alice, "passed")
    pages = [
        route.replace("^", "")
        for route, pattern in _patterns(get_resolver().url_patterns)
        if "<" not in route and not route.startswith(("admin", "api/")) and pattern.name
    ]
    seen_get_forms = post_forms_with_id = 0
    for user in (None, alice, carl):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for page in pages:
            response = client.get("/" + page)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for method, names in _forms(response.content.decode()):
                with_id = [name for name in names if ID_FIELDS.search(name)]
                if method == "get":
                    seen_get_forms += 1
                    assert not with_id, (page, names)
                else:
                    post_forms_with_id += bool(with_id)
    assert seen_get_forms >= 5  # the lists' search forms were looked at
    # The holder's download takes the ID's last characters, by POST: the scan sees such fields.
    assert post_forms_with_id >= 1


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_response_to_a_logged_in_user_is_no_store(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a)
    entry = RosterEntryFactory(plan=plan, id_number=id_number(7))
    client.force_login(alice)
    checked = 0
    for route, _pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("admin"):
            continue
        # Every parameter given an object of alice's where one fits; others are not found.
        url = "/" + re.sub(
            r"<(?:(\w+):)?(\w+)>",
            lambda m: str(
                entry.pk
                if m.group(2) == "entry_id"
                else plan.pk
                if m.group(1) == "int"
                else 2026
                if m.group(2) == "year"
                else "x"
            ),
            route,
        ).replace("^", "").replace("$", "")
        response = client.get(url)
        assert _no_store(response), (url, response.status_code, response.get("Cache-Control"))
        checked += 1
    assert checked > 100


def test_public_pages_with_personal_data_are_no_store_and_others_may_be_cached(
    client, alice, ent_a
):
    issued_batch(ent_a, alice, "passed")
    for name in (
        "/verify/",
        "/verify/download/",
        "/verify/file/",
        "/complaints/track/",
        "/complaints/new/",
    ):
        assert _no_store(client.get(name)), name
        assert _no_store(client.post(name, {})), name
    assert _no_store(client.get("/api/v1/certificates/verify?number=x&name=y"))
    # A public page without personal data is left to the usual caching.
    assert not _no_store(client.get("/directory/"))
