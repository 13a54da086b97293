"""Reading the portal's pages as a user sees them (tests/conftest.py makes the fixture available
everywhere)."""

import pytest


def table_body(page: str) -> str:
    """The body of the page's (first) table."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


def table_rows(page: str) -> int:
    """How many rows the body of the page's table shows."""
    return table_body(page).count("<tr")


@pytest.fixture
def page_within(client, django_assert_max_num_queries):
    """page_within(user, url, queries): the page at `url` as `user` sees it, asked in at most
    `queries` database queries (a list page must not ask more for 200 rows than for 1)."""

    def ask(user, url: str, queries: int) -> str:
        client.force_login(user)
        with django_assert_max_num_queries(queries):
            return client.get(url).content.decode()

    return ask
