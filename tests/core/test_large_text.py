"""The large-text mode (大字模式, portal.core.display): a header button any visitor presses, kept
in a cookie across sessions and logins; every page then carries <html class="large-text">."""

import re

from django.urls import reverse

from portal.core.display import TEXT_SIZE_COOKIE

PASSWORD = "pass-Word-123"


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def _switch(client, size: str, next_url: str = "/directory/"):
    return client.post(reverse("text_size"), {"size": size, "next": next_url})


def test_it_offers_the_switch_in_the_header_of_every_page(client, world):
    page = client.get(reverse("home")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert f'action="{reverse("text_size")}"' in header
    assert 'name="size" value="large" aria-pressed="false"' in header
    assert 'class="large-text"' not in _html_tag(page)


def test_it_enlarges_the_text_of_an_anonymous_visitor_and_returns_to_the_page(client, world):
    response = _switch(client, "large", "/directory/")
    assert response.status_code == 302 and response["Location"] == "/directory/"
    page = client.get("/directory/").content.decode()
    assert 'class="large-text"' in _html_tag(page)
    assert 'name="size" value="normal" aria-pressed="true"' in page


def test_it_keeps_the_choice_across_sessions_for_years(client, world):
    response = _switch(client, "large")
    cookie = response.cookies[TEXT_SIZE_COOKIE]
    assert cookie.value == "large"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600  # not a session cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_it_keeps_large_text_through_a_login_and_a_logout(client, alice):
    _switch(client, "large")
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert 'class="large-text"' in _html_tag(client.get(reverse("dashboard")).content.decode())
    client.post(reverse("logout"))
    assert 'class="large-text"' in _html_tag(client.get(reverse("home")).content.decode())


def test_it_switches_back_to_standard_text(client, world):
    _switch(client, "large")
    response = _switch(client, "normal")
    assert response.cookies[TEXT_SIZE_COOKIE].value == ""  # deleted
    assert 'class="large-text"' not in _html_tag(client.get("/directory/").content.decode())


def test_it_never_sends_the_visitor_to_another_site(client, world):
    response = _switch(client, "large", "https://evil.example/")
    assert response["Location"] == "/"


def test_it_is_a_form_post_with_a_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("text_size")).status_code == 405
    assert _switch(client, "large").status_code == 403


def test_it_names_the_switch_in_words(client, world, settings):
    assert ">大字模式</button>" in client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Large text</button>" in client.get(reverse("home")).content.decode()
