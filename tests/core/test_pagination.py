"""Long lists at scale: a list counts its rows only up to a bound, says "more than N"
past it and offers the pages up to it; the certificate list's year filter is read at both ends
of the list, not by grouping every certificate."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from certificates.issuance import services
from certificates.models import Certificate
from filings.models import Occupation
from portal.core import pagination
from portal.core.pagination import BoundedPaginator
from tests.certificates.factories import approved_batch, prefix_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 22)):
        yield


def issued(enterprise, actor, count: int):
    prefix_for(enterprise)
    batch = approved_batch(enterprise, *["passed"] * count)
    return services.issue_certificates(
        result_batch=batch, actor=actor, issued_on=dt.date(2026, 11, 20)
    )


def test_a_paginator_counts_only_the_rows_of_the_pages_it_offers():
    for n in range(7):
        Occupation.objects.create(code=f"6-99-00-0{n}", name=f"职业{n}")
    rows = Occupation.objects.filter(code__startswith="6-99").order_by("code")
    long = BoundedPaginator(rows, 2, pages=3)
    assert (long.count, long.more, long.num_pages) == (6, True, 3)
    assert long.get_page(9).number == 3  # past the pages offered: the last one
    short = BoundedPaginator(rows, 2, pages=4)
    assert (short.count, short.more, short.num_pages) == (7, False, 4)


def test_a_later_page_reads_its_keys_then_only_its_rows(django_assert_num_queries):
    for n in range(7):
        Occupation.objects.create(code=f"6-99-00-0{n}", name=f"职业{n}")
    rows = Occupation.objects.filter(code__startswith="6-99").order_by("-code")
    paginator = BoundedPaginator(rows.defer("name"), 2)
    paginator.count  # noqa: B018 - counted once, as a list page does before its rows
    with django_assert_num_queries(2):  # the page's keys, then its rows
        later = list(paginator.get_page(3).object_list)
    assert [o.code for o in later] == [o.code for o in rows[4:6]]
    assert all("name" in o.get_deferred_fields() for o in later)  # the queryset's own shape
    with django_assert_num_queries(1):  # the first page: its rows at once
        assert [o.code for o in paginator.get_page(1).object_list] == ["6-99-00-06", "6-99-00-05"]
    assert [o.code for o in paginator.get_page(4).object_list] == ["6-99-00-00"]


def test_a_certificate_list_past_the_bound_says_more_than_n(client, alice, ent_a, monkeypatch):
    issued(ent_a, alice, 4)
    client.force_login(alice)
    monkeypatch.setattr(pagination, "PAGES", 2)
    monkeypatch.setattr("certificates.records.views.CERTIFICATE_PAGE_SIZE", 1)
    response = client.get(reverse("certificate_list"), {"page": 5})
    text = response.content.decode()
    assert "超过2张证书" in text
    assert "仅显示前若干页" in text
    assert response.context["page"].number == 2  # the last page offered
    monkeypatch.setattr(pagination, "PAGES", 4)
    text = client.get(reverse("certificate_list")).content.decode()
    assert "超过" not in text
    assert "仅显示前若干页" not in text


def test_the_year_filter_runs_from_the_first_certificate_to_the_last(client, alice, ent_a):
    batch = issued(ent_a, alice, 2)
    first, second = batch.certificates.order_by("position")
    Certificate.objects.filter(pk=first.pk).update(issued_on=dt.date(2023, 5, 4))
    client.force_login(alice)
    response = client.get(reverse("certificate_list"))
    assert response.context["years"] == [2026, 2025, 2024, 2023]
    assert {c.number for c in response.context["page"].object_list} == {
        first.number,
        second.number,
    }
