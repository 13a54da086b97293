"""Login input that axes or the database cannot store is refused by the form, with a message
naming the field, before any password is checked or any failure is counted (issue 18, F3)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

LONG_NAME = "a" * 256


def _login(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": "wrong-Guess-1"})


def test_an_over_long_user_name_is_refused_with_a_message_naming_the_field(client, db):
    answer = _login(client, LONG_NAME)

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "用户名：最多 150 个字符" in page
    # The input is kept, so the user sees what they typed.
    assert LONG_NAME in page
    assert SESSION_KEY not in client.session


def test_an_over_long_user_name_is_never_counted_as_a_failure(client, db):
    """axes stores the user name in a 255-character column: a longer one must not reach it."""
    for _ in range(6):
        _login(client, LONG_NAME)

    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


@pytest.mark.parametrize("length", [150, 151, 255])
def test_user_names_up_to_the_limit_are_checked_and_longer_ones_refused(client, db, length):
    answer = _login(client, "a" * length)

    page = answer.content.decode()
    assert answer.status_code == 200
    refused_for_length = "用户名：最多 150 个字符" in page
    assert refused_for_length == (length > 150)
    assert AccessAttempt.objects.exists() == (length <= 150)


@pytest.mark.parametrize("username", ["dora\x00", "a" * 256])
def test_a_user_name_no_account_can_have_never_reaches_the_lockout_tables(
    client, db, username, django_assert_max_num_queries
):
    """PostgreSQL refuses NUL in a query: such a name must not reach the lockout tables (SQLite
    would not tell)."""
    with django_assert_max_num_queries(10) as queries:
        answer = _login(client, username)

    assert answer.status_code == 200
    assert not [query["sql"] for query in queries.captured_queries if "axes_" in query["sql"]]
