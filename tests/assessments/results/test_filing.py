"""R-R1: results are publicised inside the enterprise for 5 working days after the day of
publication, objections are recorded and resolved, then the results are filed with the city
within 15 working days after the publicity (late filing accepted and flagged). R-R2: the city
approves the batch or returns it for correction."""

import datetime as dt
import itertools
from unittest import mock

import pytest
from django.urls import reverse

from assessments.models import ImplementationPlan, Objection, ResultBatch
from assessments.results import services as result_services
from portal.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from tests.assessments.factories import PlanFactory, approved_scheme
from tests.assessments.results.factories import (
    acknowledged_plan,
    objection,
    publicised_batch,
    with_results,
)
from tests.support.factories import make_member

MONDAY = dt.date(2026, 11, 2)


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def plan(ent_a):
    plan = acknowledged_plan(ent_a)
    with_results(plan, "passed", "passed", "failed")
    return plan


def post(client, name: str, plan, data=None, **kwargs):
    return client.post(reverse(name, args=[plan.pk, *kwargs.values()]), data or {}, follow=True)


def submit_on(client, plan, day: dt.date) -> str:
    """The page after filing the results of `plan` on `day`."""
    with on(day):
        return post(client, "result_submit", plan).content.decode()


def page_of(client, plan) -> str:
    return client.get(reverse("result_batch", args=[plan.pk])).content.decode()


# Publicity (R-R1) -----------------------------------------------------------------------------


def test_r_r1_publishing_starts_5_working_days_of_publicity_then_15_for_filing(client, alice, plan):
    client.force_login(alice)
    with on(MONDAY):
        text = post(client, "result_publish", plan).content.decode()
    assert "认定结果已公示，公示期至2026-11-09；2026-11-10起可报送结果备案。" in text
    batch = ResultBatch.objects.get(plan=plan)
    assert batch.status == "publicised"
    assert batch.published_on == MONDAY
    # The 5 working days after Monday the 2nd end on Monday the 9th; 15 more end on the 30th.
    assert batch.publicity_ends_on == dt.date(2026, 11, 9)
    assert batch.filing_due_on == dt.date(2026, 11, 30)
    assert "公示中" in text and "2026-11-30" in text
    assert "合格2人，不合格1人；公示至2026-11-09。" in text  # the history


def test_r_r1_publicity_counts_working_days_across_national_day(client, alice, plan):
    # From 2026-09-30: 10-01…10-07 are off; 10-08, 10-09, the make-up Saturday 10-10, 10-12 and
    # 10-13 are the five; then 15 working days after 10-13 end on 11-03.
    client.force_login(alice)
    with on(dt.date(2026, 9, 30)):
        post(client, "result_publish", plan)
    batch = ResultBatch.objects.get(plan=plan)
    assert batch.publicity_ends_on == dt.date(2026, 10, 13)
    assert batch.filing_due_on == dt.date(2026, 11, 3)


def test_r_r1_no_publicity_while_a_result_is_pending(client, alice, ent_a):
    plan = acknowledged_plan(ent_a)
    entries = with_results(plan, "passed", "pending")
    client.force_login(alice)
    with on(MONDAY):
        page = page_of(client, plan)
        text = post(client, "result_publish", plan).content.decode()
    assert f"有1名考生尚无认定结果（{entries[1].name}）" in page
    assert "认定结果暂不能公示。" in text
    assert f"有1名考生尚无认定结果（{entries[1].name}）" in text
    assert not ResultBatch.objects.filter(plan=plan, status="publicised").exists()


def test_r_r1_no_publicity_without_examinees(client, alice, ent_a):
    plan = acknowledged_plan(ent_a)
    client.force_login(alice)
    with on(MONDAY):
        text = post(client, "result_publish", plan).content.decode()
    assert "本实施计划没有考生：请先导入人员名册。" in text
    assert not ResultBatch.objects.filter(plan=plan, status="publicised").exists()


def test_r_r1_results_of_a_plan_not_acknowledged_have_no_page(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a, status="submitted")
    client.force_login(alice)
    assert client.get(reverse("result_batch", args=[plan.pk])).status_code == 404
    assert client.post(reverse("result_publish", args=[plan.pk])).status_code == 404


def test_r_r1_a_date_in_a_year_without_calendar_is_not_guessed(client, alice, plan):
    # Published on 2026-12-28, the publicity reaches into 2027, which has no calendar yet.
    client.force_login(alice)
    with on(dt.date(2026, 12, 28)):
        text = post(client, "result_publish", plan).content.decode()
        batch = ResultBatch.objects.get(plan=plan)
        assert batch.status == "publicised"
        assert batch.publicity_ends_on is None and batch.filing_due_on is None
        assert "认定结果已公示。" in text and "尚无2027年工作日历" in text
        assert "日历缺失" in text
        text = post(client, "result_submit", plan).content.decode()
    assert "认定结果暂不能报送备案。" in text and "尚无2027年工作日历" in text
    batch.refresh_from_db()
    assert batch.status == "publicised"

    # Once 2027 is entered, the dates are counted: on the recount, or when filing.
    CalendarYear.objects.create(year=2027, source="admin")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert result_services.result_deadlines_recount() == 1
    batch.refresh_from_db()
    # 29, 30, 31 December, then 1 January is a holiday: 4 and 5 January.
    assert batch.publicity_ends_on == dt.date(2027, 1, 5)
    assert batch.filing_due_on == dt.date(2027, 1, 26)


def test_r_r1_a_filing_due_in_a_missing_year_is_counted_when_filing(client, alice, plan):
    batch = publicised_batch(
        plan,
        published_on=dt.date(2026, 12, 28),
        publicity_ends_on=None,
        filing_due_on=None,
    )
    CalendarYear.objects.create(year=2027, source="admin")
    client.force_login(alice)
    text = submit_on(client, plan, dt.date(2027, 1, 6))
    assert "认定结果已报送市级备案。" in text
    batch.refresh_from_db()
    assert batch.status == "submitted"
    assert batch.publicity_ends_on == dt.date(2027, 1, 4)
    assert batch.filing_due_on == dt.date(2027, 1, 25)


# Objections (R-R1) ----------------------------------------------------------------------------


def test_r_r1_objections_are_recorded_during_the_publicity(client, alice, plan):
    batch = publicised_batch(plan)
    entry = plan.roster.order_by("seq").last()
    client.force_login(alice)
    with on(dt.date(2026, 11, 5)):
        text = post(
            client,
            "objection_add",
            plan,
            {"raised_by": "质检部 王工", "content": "实操评分漏记一项。", "entry": entry.pk},
        ).content.decode()
    assert "异议已登记；请在报送结果备案前处理。" in text
    recorded = Objection.objects.get(batch=batch)
    assert recorded.entry == entry
    assert recorded.raised_on == dt.date(2026, 11, 5)
    assert "质检部 王工" in text and "实操评分漏记一项。" in text and "未处理" in text


def test_r_r1_no_objection_is_recorded_after_the_publicity(client, alice, plan):
    batch = publicised_batch(plan)
    client.force_login(alice)
    with on(dt.date(2026, 11, 10)):
        text = post(
            client, "objection_add", plan, {"raised_by": "王工", "content": "晚到的异议"}
        ).content.decode()
    assert "公示期已于2026-11-09结束：只能登记公示期内提出的异议。" in text
    assert not batch.objections.exists()


def test_r_r1_an_objection_is_resolved_once_with_its_resolution(client, alice, plan):
    batch = publicised_batch(plan)
    raised = objection(batch)
    client.force_login(alice)
    url = reverse("objection_resolve", args=[plan.pk, raised.pk])
    with on(dt.date(2026, 11, 6)):
        assert "理论成绩登记有误" in client.get(url).content.decode()
        text = client.post(url, {"resolution": "复核无误"}, follow=True).content.decode()
        assert "处理结果已登记。" in text
        again = client.post(url, {"resolution": "再处理"}, follow=True).content.decode()
    assert "该异议已于2026-11-06处理。" in again
    raised.refresh_from_db()
    assert raised.resolution == "复核无误"
    assert raised.resolved_on == dt.date(2026, 11, 6)
    assert raised.resolved_by == alice


def test_r_r1_an_objection_of_another_batch_is_not_found(client, alice, ent_a, plan):
    publicised_batch(plan)
    other = acknowledged_plan(ent_a)
    foreign = objection(publicised_batch(other))
    client.force_login(alice)
    url = reverse("objection_resolve", args=[plan.pk, foreign.pk])
    assert client.get(url).status_code == 404


# Result filing (R-R1) -------------------------------------------------------------------------


def test_r_r1_filing_opens_the_day_after_the_publicity(client, alice, plan):
    batch = publicised_batch(plan)
    client.force_login(alice)
    text = submit_on(client, plan, dt.date(2026, 11, 9))
    assert "公示期至2026-11-09：公示期满次日即2026-11-10起方可报送结果备案。" in text
    batch.refresh_from_db()
    assert batch.status == "publicised" and batch.submitted_on is None
    text = submit_on(client, plan, dt.date(2026, 11, 10))
    assert "认定结果已报送市级备案。" in text
    batch.refresh_from_db()
    assert batch.status == "submitted" and batch.submitted_on == dt.date(2026, 11, 10)


def test_r_r1_every_objection_is_resolved_before_filing(client, alice, plan):
    batch = publicised_batch(plan)
    open_one = objection(batch, raised_by="车间二班 李工")
    objection(batch, raised_by="质检部 王工", resolved=True)
    client.force_login(alice)
    with on(dt.date(2026, 11, 10)):
        text = post(client, "result_submit", plan).content.decode()
        assert "还有1条异议未处理（异议人：车间二班 李工）" in text
        batch.refresh_from_db()
        assert batch.status == "publicised"
        result_services.objection_resolve(objection=open_one, actor=alice, resolution="已复核")
        post(client, "result_submit", plan)
    batch.refresh_from_db()
    assert batch.status == "submitted"


def test_r_r1_late_filing_is_accepted_and_flagged_to_both_sides(client, alice, carl, plan):
    batch = publicised_batch(plan)
    client.force_login(alice)
    with on(dt.date(2026, 12, 1)):
        page = page_of(client, plan)
        assert "已超期1个工作日" in page
        text = post(client, "result_submit", plan).content.decode()
    assert "认定结果已报送市级，但已逾期：结果备案应于2026-11-30前完成。" in text
    assert "逾期报送：结果备案应于2026-11-30前完成。" in text  # the history
    batch.refresh_from_db()
    assert batch.status == "submitted" and batch.submitted_on == dt.date(2026, 12, 1)
    client.force_login(carl)
    with on(dt.date(2026, 12, 1)):
        page = page_of(client, plan)
        listing = client.get(reverse("result_filing_list")).content.decode()
    assert "逾期报送：截止日期为2026-11-30" in page
    assert "逾期报送：截止日期为2026-11-30" in listing


def test_r_r1_the_clock_is_shown_to_the_enterprise_and_the_bureaus(client, alice, dora, plan):
    publicised_batch(plan)
    for user in (alice, dora):
        client.force_login(user)
        with on(dt.date(2026, 11, 10)):
            page = page_of(client, plan)
        # Filing opens on the 10th, its first working day; the 11th to the 30th are 14 more.
        assert "剩余14个工作日" in page, user
        assert "2026-11-10" in page  # filing opens


def test_r_r1_a_stale_form_does_not_file(client, alice, plan):
    batch = publicised_batch(plan)
    client.force_login(alice)
    with on(dt.date(2026, 11, 10)):
        text = client.post(
            reverse("result_submit", args=[plan.pk]), {"version": batch.version - 1}, follow=True
        ).content.decode()
    assert "您打开表单后，他人已修改了该记录。" in text
    batch.refresh_from_db()
    assert batch.status == "publicised"


# The city's decision (R-R2) -------------------------------------------------------------------


def test_r_r2_the_city_approves_the_result_filing(client, alice, carl, plan):
    batch = publicised_batch(plan, status="submitted", submitted_on=dt.date(2026, 11, 12))
    client.force_login(carl)
    with on(dt.date(2026, 11, 16)):
        page = page_of(client, plan)
        assert "市级结果备案意见" in page and "R-R2" not in page
        text = post(client, "result_decide", plan, {"decision": "approve"}).content.decode()
    assert "已准予结果备案。" in text
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_on == dt.date(2026, 11, 16)
    client.force_login(alice)
    assert "已准予结果备案" in page_of(client, plan)


def test_r_r2_a_return_needs_its_reason_and_the_enterprise_files_again(client, alice, carl, plan):
    batch = publicised_batch(plan, status="submitted", submitted_on=dt.date(2026, 11, 12))
    client.force_login(carl)
    with on(dt.date(2026, 11, 16)):
        text = post(client, "result_decide", plan, {"decision": "return"}).content.decode()
        assert "请写明需要修改的内容" in text
        batch.refresh_from_db()
        assert batch.status == "submitted"
        post(client, "result_decide", plan, {"decision": "return", "note": "第3名考生成绩有误"})
    batch.refresh_from_db()
    assert batch.status == "returned" and batch.decision_note == "第3名考生成绩有误"
    assert result_services.results_editable(plan)

    client.force_login(alice)
    with on(dt.date(2026, 11, 18)):
        assert "第3名考生成绩有误" in page_of(client, plan)
        text = post(client, "result_submit", plan).content.decode()
    assert "认定结果已报送市级备案。" in text
    batch.refresh_from_db()
    assert batch.status == "submitted" and batch.submitted_on == dt.date(2026, 11, 18)


def test_r_r2_only_the_city_of_the_enterprise_decides(client, world, dora, plan):
    batch = publicised_batch(plan, status="submitted", submitted_on=dt.date(2026, 11, 12))
    olga = make_member("olga", "city", bureau=world["other_city"])
    for user in (dora, olga):
        client.force_login(user)
        response = client.post(reverse("result_decide", args=[plan.pk]), {"decision": "approve"})
        assert response.status_code == 404, user
    batch.refresh_from_db()
    assert batch.status == "submitted"


def test_r_r1_r_r2_results_are_editable_before_publicity_and_after_a_return(plan):
    assert result_services.results_editable(plan)
    batch = publicised_batch(plan)
    assert not result_services.results_editable(plan)
    ResultBatch.objects.filter(pk=batch.pk).update(status="submitted")
    assert not result_services.results_editable(plan)
    ResultBatch.objects.filter(pk=batch.pk).update(status="returned")
    assert result_services.results_editable(plan)


def test_every_step_bumps_the_version_and_writes_the_history(client, alice, carl, plan):
    with on(MONDAY):
        batch = result_services.result_publish(plan=plan, actor=alice)
    versions = [batch.version]
    with on(dt.date(2026, 11, 4)):
        raised = result_services.objection_record(
            batch=batch, actor=alice, raised_by="李工", content="请复核"
        )
        versions.append(ResultBatch.objects.get(pk=batch.pk).version)
        result_services.objection_resolve(objection=raised, actor=alice, resolution="无误")
        versions.append(ResultBatch.objects.get(pk=batch.pk).version)
    with on(dt.date(2026, 11, 10)):
        batch = result_services.result_submit(batch=batch, actor=alice)
        versions.append(batch.version)
        batch = result_services.result_approve(batch=batch, actor=carl, note="同意备案")
        versions.append(batch.version)
    assert versions == sorted(set(versions)) and len(versions) == 5
    actions = list(
        AuditEvent.objects.filter(object_id=batch.pk)
        .order_by("pk")
        .values_list("action", "to_status")
    )
    assert actions == [
        ("result_publish", "publicised"),
        ("objection_record", ""),
        ("objection_resolve", ""),
        ("result_submit", "submitted"),
        ("result_approve", "approved"),
    ]
    client.force_login(carl)
    page = page_of(client, plan)
    for label in ("公示认定结果", "登记异议", "处理异议", "报送结果备案", "准予结果备案"):
        assert label in page


# The list of result filings -------------------------------------------------------------------


def table_rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return body.split("<tr")[1:]


def test_r_r1_the_list_puts_the_earliest_due_first_and_marks_the_overdue(
    client, alice, bob, carl, ent_a, ent_b
):
    late = acknowledged_plan(ent_a, title="逾期批次")
    publicised_batch(late, filing_due_on=dt.date(2026, 11, 30))
    soon = acknowledged_plan(ent_a, title="临近批次")
    publicised_batch(soon, published_on=dt.date(2026, 11, 20), filing_due_on=dt.date(2026, 12, 18))
    draft = acknowledged_plan(ent_a, title="整理中批次")
    ResultBatch.objects.create(plan=draft)
    done = acknowledged_plan(ent_a, title="已备案批次")
    publicised_batch(done, status="approved", filing_due_on=dt.date(2026, 10, 1))
    client.force_login(carl)
    with on(dt.date(2026, 12, 2)):
        page = client.get(reverse("result_filing_list")).content.decode()
        everything = client.get(reverse("result_filing_list") + "?status=all").content.decode()
    rows = table_rows(page)
    assert [("逾期批次" in r, "临近批次" in r) for r in rows] == [(True, False), (False, True)]
    assert 'class="overdue"' in rows[0] and "已超期2个工作日" in rows[0]
    assert 'class="overdue"' not in rows[1] and "剩余12个工作日" in rows[1]
    assert "整理中批次" not in everything  # the bureaus see a batch once it is publicised
    assert "已备案批次" in table_rows(everything)[0]

    client.force_login(alice)
    with on(dt.date(2026, 12, 2)):
        own = client.get(reverse("result_filing_list")).content.decode()
    assert "整理中批次" in own and "逾期批次" in own
    client.force_login(bob)
    with on(dt.date(2026, 12, 2)):
        other = client.get(reverse("result_filing_list")).content.decode()
    assert "逾期批次" not in other and "没有符合条件的结果备案。" in other


_serial = itertools.count(1)
# One bound for 1 row and for 200 rows (no N+1).
# Includes the unread-notification count of the navigation bar.
RESULT_LIST_QUERIES = 8


@pytest.mark.parametrize("rows", [1, 200])
@pytest.mark.parametrize("who", ["carl", "alice"])
def test_the_result_filing_list_is_bounded(
    client, world, ent_a, who, rows, django_assert_max_num_queries
):
    user = {
        "carl": lambda: make_member("carl", "city", bureau=world["city"], is_admin=True),
        "alice": lambda: make_member("alice", "enterprise", enterprise=ent_a),
    }[who]()
    scheme = approved_scheme(ent_a)
    plans = ImplementationPlan.objects.bulk_create(
        ImplementationPlan(
            enterprise=ent_a, scheme=scheme, title=f"批次{n}", levels=[4], status="acknowledged"
        )
        for n in range(rows)
    )
    ResultBatch.objects.bulk_create(
        ResultBatch(
            plan=p,
            status="publicised",
            published_on=dt.date(2026, 11, 2),
            publicity_ends_on=dt.date(2026, 11, 9),
            filing_due_on=dt.date(2026, 11, 2) + dt.timedelta(days=n % 40),
        )
        for n, p in enumerate(plans)
    )
    client.force_login(user)
    with on(dt.date(2026, 11, 20)), django_assert_max_num_queries(RESULT_LIST_QUERIES):
        page = client.get(reverse("result_filing_list")).content.decode()
    assert len(table_rows(page)) == min(rows, 50)
    assert "个工作日" in page
