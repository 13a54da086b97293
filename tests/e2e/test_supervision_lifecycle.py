"""Supervision (双随机一公开) in a real browser, as the issue's "done when" walks it (R-M1, R-C2,
R-M5): the city draws and publishes, the drawn supervisor reports a finding, the reminder and
the notification reach the enterprise, it answers, the bureau closes the finding and the
inspection with a public result; an anonymous visitor files and follows a complaint."""

import datetime as dt
import re
import struct
import zlib

import pytest

from portal.core import workdays
from supervision.models import (
    Complaint,
    Finding,
    FindingStatus,
    Inspection,
    InspectionStatus,
    Notification,
)
from supervision.reminders.delivery import reminders_scan, reminders_send
from tests.e2e.conftest import click_nav, shoot
from tests.supervision.factories import supervisor_profile
from tests.support.factories import approved_filing, make_member

pytestmark = pytest.mark.django_db(transaction=True)

CHECKLIST_KEYS = ("site", "examiners", "identity", "records", "papers", "supervision", "fees")


def _png() -> bytes:
    """A 1×1 PNG: `filetype` recognises it by content (R-C2 evidence is checked like R-F8)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _nav_badge(page) -> int:
    """The unread count the navigation shows next to 通知 (0 when there is no badge)."""
    link = page.locator("nav.main-nav a[href='/notifications/']")
    badge = link.locator("span.badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_draw_inspect_remind_answer_close_publish_and_complain(
    open_page, live_server, calendar, world, ent_a, alice, dora, carl, sam
):
    today = calendar
    url = live_server.url
    # Enterprise A is filed (in the R-M1 population and the public directory); sam and sid are
    # in 深圳's supervisor pool.
    approved_filing(ent_a, f"4403{ent_a.pk:08d}", approved_on=dt.date(2025, 1, 6))
    sid = make_member("sid", "supervisor", bureau=world["city"])
    supervisor_profile(sam, city=world["city"])
    supervisor_profile(sid, city=world["city"])

    # 1. The city draws one target with one supervisor, checks the record and publishes it.
    city = open_page("carl")
    city.goto(f"{url}/supervision/draws/new/")
    assert "新建抽查" in city.content()
    assert "名录中有2名参加抽取的督导员" in city.content()
    city.fill("#id_target_count", "1")
    city.fill("#id_supervisors_per_target", "1")
    title = city.input_value("#id_title")
    assert title, "the form suggests a title"
    shoot(city, "sup-01-draw-form")
    city.click("button:text-is('抽取')")
    city.wait_for_url(re.compile(r"/supervision/draws/\d+/$"))
    city.wait_for_selector("text=抽取完成：共1个对象")
    inspection = Inspection.objects.select_related("draw").get(enterprise=ent_a)
    draw = inspection.draw
    page_text = city.content()
    assert draw.seed in page_text  # the seed is shown for anyone to replay
    assert city.locator("span.badge.approved", has_text="一致").count() == 1  # the check
    assert ent_a.name in page_text
    shoot(city, "sup-02-draw-detail")
    city.click("button:text-is('公布本批抽查')")
    city.wait_for_selector("text=本批抽查已在公开页面公布")
    assert city.locator("button:text-is('公布本批抽查')").count() == 0
    shoot(city, "sup-03-draw-published")

    public = open_page()
    public.goto(f"{url}/public/inspections/")
    public.click(f"a:text-is('{title}')")
    public.wait_for_url(f"{url}/public/inspections/{draw.pk}/")
    row = public.locator("tbody tr", has_text=ent_a.name)
    assert row.count() == 1
    assert "检查中" in row.inner_text()
    assert draw.seed in public.content()
    shoot(public, "sup-04-public-draw")

    # 2. The supervisor the draw assigned records a finding with evidence and reports.
    assigned = list(inspection.assignments.values_list("supervisor__username", flat=True))
    assert len(assigned) == 1 and assigned[0] in {"sam", "sid"}
    supervisor = open_page(assigned[0])
    click_nav(supervisor, "a:text-is('我的督导检查')")
    supervisor.wait_for_url(f"{url}/supervision/inspections/")
    assert title in supervisor.content()
    supervisor.click(f"a:text-is('{ent_a.name}')")
    supervisor.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    supervisor.click("a:text-is('记录问题')")
    supervisor.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/findings/add/")
    # Two working days away: the rectification reminder (3 working days before) is due today.
    rectify_by = workdays.add_working_days(today, 2)
    supervisor.fill("#id_description", "考核现场录像资料缺少第二考场部分。")
    supervisor.select_option("#id_severity", "minor")
    supervisor.fill("#id_rule", "r-c1")
    supervisor.fill("#id_rectification", "补齐第二考场的录像资料并建立存档登记。")
    supervisor.fill("#id_rectify_by", rectify_by.isoformat())
    supervisor.set_input_files(
        "#id_evidence", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": _png()}]
    )
    shoot(supervisor, "sup-05-finding-form")
    supervisor.click("button:text-is('保存问题')")
    supervisor.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/record/")
    supervisor.wait_for_selector("text=问题已记录。")
    for key in CHECKLIST_KEYS:
        result = "problem" if key == "records" else "ok"
        supervisor.check(f"input[name=result_{key}][value={result}]")
    supervisor.fill("#id_note_records", "第二考场录像缺失")
    supervisor.fill("#id_visited_on", today.isoformat())
    supervisor.select_option("#id_conclusion", "rectify")
    supervisor.fill("#id_summary", "现场检查总体规范，录像存档有缺漏。")
    shoot(supervisor, "sup-06-checklist")
    supervisor.click("button[name=report]")
    supervisor.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    supervisor.wait_for_selector("text=检查已报告；企业现在可以看到发现的问题。")
    assert "现场照片.png" in supervisor.content()
    shoot(supervisor, "sup-07-reported")
    finding = Finding.objects.get(inspection=inspection)
    assert finding.status == FindingStatus.OPEN and finding.rectify_by == rectify_by

    # 6 (before the answer). The reminder scan finds the deadline two working days away; the
    # sender delivers it to alice's inbox (R-M1 rectification reminder).
    assert reminders_scan(today=today) >= 1
    assert reminders_send(limit=100) >= 1
    reminder_title = f"请于{rectify_by.isoformat()}前完成督导检查问题整改"
    assert Notification.objects.filter(user=alice, title=reminder_title).count() == 1
    # A second scan the same day reminds nobody twice.
    reminders_scan(today=today)
    reminders_send(limit=100)
    assert Notification.objects.filter(user=alice, title=reminder_title).count() == 1

    # 3. alice sees the finding on her desk and in 通知 (with the unread badge), opens the
    # inspection and answers.
    enterprise = open_page("alice")
    desk = enterprise.content()
    assert "督导检查待整改问题" in desk
    assert "考核现场录像资料缺少第二考场部分" in desk
    unread = Notification.objects.filter(user=alice, read_at__isnull=True).count()
    assert unread >= 2  # the report's notice and the reminder
    assert _nav_badge(enterprise) == unread
    shoot(enterprise, "sup-08-enterprise-desk")
    click_nav(enterprise, "a[href='/notifications/']")
    enterprise.wait_for_url(f"{url}/notifications/")
    assert f"{unread}条未读" in enterprise.inner_text("h1")
    reminder_row = enterprise.locator("tr.unread", has_text=reminder_title)
    assert reminder_row.count() == 1
    assert enterprise.locator("tr.unread", has_text="督导检查发现问题待整改：1 项").count() == 1
    shoot(enterprise, "sup-09-inbox")
    reminder_row.locator("a").click()
    enterprise.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    assert _nav_badge(enterprise) == unread - 1  # opening it marked it read
    content = enterprise.content()
    assert "考核现场录像资料缺少第二考场部分" in content
    assert "现场照片.png" in content  # the supervisor's evidence
    assert "第二考场录像缺失" not in content  # the checklist notes stay internal
    enterprise.click("a:text-is('报送整改情况')")
    enterprise.wait_for_url(f"{url}/supervision/inspections/findings/{finding.pk}/answer/")
    enterprise.fill("#id_response", "已补齐第二考场录像并建立存档登记台账。")
    enterprise.set_input_files(
        "#id_files", files=[{"name": "整改台账.png", "mimeType": "image/png", "buffer": _png()}]
    )
    shoot(enterprise, "sup-10-answer")
    enterprise.click("button:text-is('报送主管部门')")
    enterprise.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    enterprise.wait_for_selector("text=整改情况已报送，主管部门将进行核查。")
    assert "整改台账.png" in enterprise.content()

    # 4. The district accepts the rectification; the city closes the inspection with a public
    # result, which the public page of the draw then shows.
    district = open_page("dora")
    district.goto(f"{url}/supervision/inspections/{inspection.pk}/")
    district.click("a:text-is('整改通过并销号')")
    district.wait_for_url(f"{url}/supervision/inspections/findings/{finding.pk}/close/")
    district.fill("#id_note", "经核查，整改到位。")
    district.click("button:text-is('整改通过并销号')")
    district.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    district.wait_for_selector("text=整改已通过，问题已销号。")
    shoot(district, "sup-11-finding-closed")

    city.goto(f"{url}/supervision/inspections/{inspection.pk}/")
    city.click("a:text-is('办结并公开结果')")
    city.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/close/")
    public_result = "发现录像存档不全1项，企业已按期整改到位。"
    city.fill("#id_public_result", public_result)
    city.click("button:text-is('办结并公开结果')")
    city.wait_for_url(f"{url}/supervision/inspections/{inspection.pk}/")
    city.wait_for_selector("text=检查已办结，结果已公开。")
    shoot(city, "sup-12-inspection-closed")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CLOSED

    public.goto(f"{url}/public/inspections/{draw.pk}/")
    row = public.locator("tbody tr", has_text=ent_a.name)
    assert public_result in row.inner_text()
    assert "发现问题需整改" in row.inner_text()  # the conclusion
    assert "检查中" not in row.inner_text()
    shoot(public, "sup-13-public-result")

    # 5. An anonymous visitor complains about enterprise A (R-M5): a bad phone is refused with
    # the field named and the input kept; then the reference opens the follow-up page.
    visitor = open_page()
    visitor.goto(f"{url}/complaints/new/")
    visitor.select_option("#id_institution", str(ent_a.pk))
    visitor.select_option("#id_category", "fees")
    visitor.fill("#id_subject", "考核收费未公示")
    visitor.fill("#id_body", "2026年11月在该企业参加评价，现场收取费用但未见收费公示。")
    visitor.fill("#id_contact_name", "陈先生")
    visitor.fill("#id_contact_phone", "12345")
    visitor.click("button:text-is('提交投诉')")
    visitor.wait_for_selector(".errorlist")
    assert "您的联系电话：请填写11位手机号码" in visitor.content()
    assert visitor.input_value("#id_subject") == "考核收费未公示"
    assert visitor.input_value("#id_contact_phone") == "12345"
    assert visitor.input_value("#id_institution") == str(ent_a.pk)
    assert Complaint.objects.count() == 0
    shoot(visitor, "sup-14-complaint-error")
    visitor.fill("#id_contact_phone", "138 1234 5678")
    visitor.click("button:text-is('提交投诉')")
    visitor.wait_for_url(f"{url}/complaints/received/")
    visitor.wait_for_selector("text=投诉已受理")
    reference = visitor.inner_text("main code").strip()
    complaint = Complaint.objects.get()
    assert reference == complaint.reference
    assert reference not in visitor.url  # the reference never travels in a URL
    shoot(visitor, "sup-15-complaint-received")
    visitor.click("a:text-is('投诉进度查询')")
    visitor.wait_for_url(f"{url}/complaints/track/")
    visitor.fill("#id_reference", reference)
    visitor.fill("#id_phone_last4", "5678")
    visitor.click("button:text-is('查询')")
    visitor.wait_for_selector(f"h2:has-text('{reference}')")
    result = visitor.inner_text("main .card")
    assert "考核收费未公示" in result
    assert ent_a.name in result
    assert "南山" in result  # handled by the enterprise's district
    shoot(visitor, "sup-16-complaint-track")
    assert open_page.errors == []
