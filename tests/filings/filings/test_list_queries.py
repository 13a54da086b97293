"""List pages run the same bounded number of queries whether they show 1 row or 200 (no N+1):
the filing list for the city and for an enterprise, the district's enterprise list, the city's desk.
"""

import datetime as dt
import itertools
from unittest import mock

import pytest

from filings.filings.views import FILING_PAGE_SIZE
from filings.models import Enterprise, Filing, FilingStatus
from tests.support.factories import valid_credit_code
from tests.support.pages import table_rows

TODAY = dt.date(2026, 6, 1)
# One bound per page, the same for 1 and for 200 rows; each includes the unread-notification
# count of the navigation bar (1).
CITY_FILING_LIST_QUERIES = 8
ENTERPRISE_FILING_LIST_QUERIES = 8
# A district's pages also ask whether its city delegates random draws to it, for the
# navigation's "random draws" entry (1, seed 000 §五).
DISTRICT_ENTERPRISE_LIST_QUERIES = 7
# Filings (8), the assessment to-do lists (schemes, plans, result batches: 3), the filed
# enterprises without a certificate number prefix (1), the supervision desk (28 aggregate
# queries: coverage, findings, complaints, annual duties, notifications, flags, overdue items;
# one more to list what is overdue when something is; none per row), the unread count (1), the
# sanctions waiting at the province (1) and, for the annual reports, the due day of each district
# in force (its bureaus and their policies: 2) — with filed enterprises, the yearly duties read
# them (4 more, still none per row).
CITY_DASHBOARD_QUERIES = 48

_serial = itertools.count(500000)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def enterprises(district, n: int, **fields) -> list[Enterprise]:
    rows = []
    for _ in range(n):
        serial = next(_serial)
        rows.append(
            Enterprise(
                name=f"批量制造有限公司{serial}",
                credit_code=valid_credit_code(serial),
                district=district,
                address="深圳市南山区科技园",
                legal_representative="王建国",
                contact_name="李四",
                contact_phone="13800138000",
                status=fields.get("status", "active"),
            )
        )
    return Enterprise.objects.bulk_create(rows)


CYCLE = [
    FilingStatus.CITY_REVIEW,
    FilingStatus.EXPERT_REVIEW,
    FilingStatus.APPROVED,
    FilingStatus.RETURNED,
    FilingStatus.DISTRICT_REVIEW,
    FilingStatus.REJECTED,
]


def filing(enterprise, status: str, n: int) -> Filing:
    fields = {
        "enterprise": enterprise,
        "district_id": enterprise.district_id,  # bulk_create does not call save()
        "reviewing_bureau_id": enterprise.district.parent_id,  # R-F5: its city reviews
        "status": status,
        "insured_employees": 500,
    }
    if status != FilingStatus.DRAFT:
        fields["submitted_at"] = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    if status in (FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW):
        fields["received_on"] = dt.date(2026, 5, 6)
        fields["due_on"] = dt.date(2026, 5, 6) + dt.timedelta(days=n % 50)
    if status == FilingStatus.RETURNED:
        fields["correction_deadline"] = dt.date(2026, 6, 12)
    if status == FilingStatus.APPROVED:
        fields.update(
            number=f"4403202{n:05d}",
            approved_on=dt.date(2025, 1, 6),
            valid_until=dt.date(2028, 1, 5),
        )
    return Filing(**fields)


def city_filings(world, rows: int) -> None:
    """`rows` filings across both districts, one per enterprise, in every status."""
    half = enterprises(world["nanshan"], (rows + 1) // 2) + enterprises(world["futian"], rows // 2)
    Filing.objects.bulk_create(filing(e, CYCLE[n % len(CYCLE)], n) for n, e in enumerate(half))


@pytest.mark.parametrize("rows", [1, 200])
def test_filing_list_for_the_city_is_bounded(page_within, world, carl, rows):
    city_filings(world, rows)
    page = page_within(carl, "/filings/", CITY_FILING_LIST_QUERIES)
    assert table_rows(page) == min(rows, FILING_PAGE_SIZE)
    assert "个工作日" in page  # the review clock is computed for the rows


@pytest.mark.parametrize("rows", [1, 200])
def test_filing_list_for_an_enterprise_is_bounded(page_within, ent_a, alice, rows):
    # One open filing at most, the newest, so its correction clock is on the first page too.
    statuses = [(FilingStatus.APPROVED, FilingStatus.REJECTED)[n % 2] for n in range(rows - 1)]
    statuses.append(FilingStatus.RETURNED)
    Filing.objects.bulk_create(filing(ent_a, s, n) for n, s in enumerate(statuses))
    page = page_within(alice, "/filings/", ENTERPRISE_FILING_LIST_QUERIES)
    assert table_rows(page) == min(rows, FILING_PAGE_SIZE)
    assert "个工作日" in page


@pytest.mark.parametrize("rows", [1, 200])
def test_enterprise_list_for_the_district_is_bounded(page_within, world, dora, rows):
    mine = enterprises(world["nanshan"], rows)
    Filing.objects.bulk_create(filing(e, CYCLE[n % len(CYCLE)], n) for n, e in enumerate(mine))
    enterprises(world["futian"], 3)
    page = page_within(dora, "/enterprises/", DISTRICT_ENTERPRISE_LIST_QUERIES)
    assert table_rows(page) == min(rows, 50)
    assert "福田" not in page.split("<tbody>")[1]


@pytest.mark.parametrize("rows", [1, 200])
def test_dashboard_for_the_city_is_bounded(page_within, world, carl, rows):
    city_filings(world, rows)
    enterprises(world["nanshan"], rows, status="pending")
    page = page_within(carl, "/dashboard/", CITY_DASHBOARD_QUERIES)
    assert "待激活企业" in page
    assert "个工作日" in page
