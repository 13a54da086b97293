"""Shandong (seed 004 §四(四)): "由各市报我厅移出自主评价目录，取消自主评价资格".

Where the policy has `removal_decided_by_province`, the city reports the enterprise and the
provincial centre decides: it imposes the sanction (the filing ends, the ban runs from its
decision day, the enterprise is told) or declines with its reason. The city cannot impose a
sanction itself.

The Shandong side is a local fixture: 山东省 (Shandong preset) → 泰安市 → 泰山区 and 济南市, with
the provincial reviewer `shen`, Tai'an's city reviewer `tai`, Jinan's `jin` and another
province's reviewer `zhe`.
"""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from filings.models import Filing
from portal.core.errors import ServiceError
from portal.core.models import AuditEvent
from portal.core.presets import apply_preset
from supervision.annual.evaluation import evaluation_decide
from supervision.models import Notification, ReportStatus, Sanction, SanctionReport
from supervision.sanctions.services import sanction_impose
from tests.support.factories import BureauFactory, EnterpriseFactory, approved_filing, make_member

REPORTED = dt.date(2026, 3, 2)
DECIDED = dt.date(2026, 3, 10)


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def shandong(db):
    province = BureauFactory(code="37", name="山东省", level="province")
    apply_preset(province, "shandong")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=province)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    jinan = BureauFactory(code="3701", name="济南市", level="city", parent=province)
    zhejiang = BureauFactory(code="33", name="浙江省", level="province")
    enterprise = EnterpriseFactory(name="泰安泰山钢铁有限公司", district=taishan)
    filing = approved_filing(enterprise, "370920240001", approved_on=dt.date(2024, 1, 10))
    return {
        "province": province,
        "enterprise": enterprise,
        "filing": filing,
        "owner": make_member("ta-operator", "enterprise", enterprise=enterprise),
        "tai": make_member("tai", "city", bureau=taian),
        "jin": make_member("jin", "city", bureau=jinan),
        "shen": make_member("shen", "province", bureau=province),
        "zhe": make_member("zhe", "province", bureau=zhejiang),
    }


REASON = "评价过程管理失序，拒不整改"


def report_on(client, shandong, kind="removed", reason=REASON) -> SanctionReport:
    client.force_login(shandong["tai"])
    with on(REPORTED):
        response = client.post(
            reverse("sanction_create"),
            {"enterprise": shandong["enterprise"].pk, "kind": kind, "reason": reason},
        )
    report = SanctionReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sanction_report_detail", args=[report.pk])
    return report


def decide(client, user, report, data: dict, day: dt.date = DECIDED):
    client.force_login(user)
    with on(day):
        return client.post(reverse("sanction_report_decide", args=[report.pk]), data)


def test_j_sd_taian_reports_removal_the_province_decides_ban_from_decision_day_seed_004_s4_4(
    client, shandong
):
    # The city's form says the report goes to the province and asks which sanction it proposes.
    client.force_login(shandong["tai"])
    form = client.get(reverse("sanction_create")).content.decode()
    assert 'name="kind"' in form
    report = report_on(client, shandong)
    # Reported: nothing changes for the enterprise yet.
    assert report.status == ReportStatus.PENDING and report.reported_on == REPORTED
    assert not Sanction.objects.exists()
    shandong["filing"].refresh_from_db()
    assert shandong["filing"].status == "approved"
    assert AuditEvent.objects.filter(action="sanction_report").count() == 1
    assert Notification.objects.filter(user=shandong["shen"], kind="sanction_report").exists()
    assert not Notification.objects.filter(user=shandong["owner"]).exists()
    # The province's desk and list show it; the decision form is the province's only.
    client.force_login(shandong["shen"])
    desk = client.get(reverse("dashboard")).context["sanction_reports"]
    assert desk["to_decide"] and [r.pk for r in desk["rows"]] == [report.pk]
    listing = client.get(reverse("sanction_report_list")).content.decode()
    assert shandong["enterprise"].name in listing
    assert (
        'name="decision"'
        in client.get(reverse("sanction_report_detail", args=[report.pk])).content.decode()
    )
    client.force_login(shandong["tai"])
    assert (
        'name="decision"'
        not in client.get(reverse("sanction_report_detail", args=[report.pk])).content.decode()
    )
    assert (
        client.post(
            reverse("sanction_report_decide", args=[report.pk]), {"decision": "impose"}
        ).status_code
        == 404
    )

    decide(client, shandong["shen"], report, {"decision": "impose"})
    report.refresh_from_db()
    sanction = report.sanction
    assert report.status == ReportStatus.IMPOSED and report.decided_on == DECIDED
    # The ban runs from the province's decision day, not the report's: 2 years for a removal.
    assert sanction.kind == "removed" and sanction.decided_on == DECIDED
    assert sanction.ban_until == dt.date(2028, 3, 10)
    assert sanction.decided_by == shandong["shen"]
    assert Filing.objects.get(pk=shandong["filing"].pk).status == "removed"
    assert AuditEvent.objects.filter(action="sanction_report_decide").count() == 1
    assert AuditEvent.objects.filter(action="sanction_impose").count() == 1
    # The enterprise and the reporting city are told.
    assert Notification.objects.filter(user=shandong["owner"], kind="sanction").exists()
    assert Notification.objects.filter(user=shandong["tai"], kind="sanction_report").exists()
    # Decided once: a second decision changes nothing.
    decide(client, shandong["shen"], report, {"decision": "decline", "note": "再议"})
    report.refresh_from_db()
    assert report.status == ReportStatus.IMPOSED


def test_j_sd_the_province_declines_with_its_reason_seed_004_s4_4(client, shandong):
    report = report_on(client, shandong, kind="cancelled", reason="疑似组织替考")
    decide(client, shandong["shen"], report, {"decision": "decline"})
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    decide(client, shandong["shen"], report, {"decision": "decline", "note": "核查未发现替考证据"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DECLINED
    assert report.decision_note == "核查未发现替考证据" and report.sanction is None
    assert not Sanction.objects.exists()
    shandong["filing"].refresh_from_db()
    assert shandong["filing"].status == "approved"
    told = Notification.objects.get(user=shandong["tai"], kind="sanction_report")
    assert told.body == "核查未发现替考证据"


def test_j_sd_a_city_cannot_impose_directly_seed_004_s4_4(client, shandong):
    with pytest.raises(ServiceError):
        sanction_impose(
            enterprise=shandong["enterprise"],
            kind="cancelled",
            reason="组织替考",
            actor=shandong["tai"],
            today=DECIDED,
        )
    assert not Sanction.objects.exists()


def test_j_sd_a_yearly_removal_is_reported_to_the_province_seed_004_s4_4(client, shandong):
    evaluation = evaluation_decide(
        enterprise=shandong["enterprise"],
        year=2025,
        outcome="remove",
        note="全年未组织评价",
        actor=shandong["tai"],
        today=REPORTED,
    )
    assert evaluation.sanction is None
    report = SanctionReport.objects.get(evaluation=evaluation)
    assert report.kind == "removed" and report.status == ReportStatus.PENDING
    client.force_login(shandong["tai"])
    page = client.get(
        reverse("evaluation_detail", args=[2025, shandong["enterprise"].pk])
    ).content.decode()
    assert reverse("sanction_report_detail", args=[report.pk]) in page
    decide(client, shandong["shen"], report, {"decision": "impose"})
    evaluation.refresh_from_db()
    assert evaluation.sanction is not None and evaluation.sanction.decided_on == DECIDED


def test_j_sd_reports_are_404_outside_their_province_and_city_seed_004_s4_4(client, shandong):
    report = report_on(client, shandong)
    for user in (shandong["zhe"], shandong["jin"], shandong["owner"]):
        client.force_login(user)
        assert client.get(reverse("sanction_report_detail", args=[report.pk])).status_code == 404
        response = client.post(
            reverse("sanction_report_decide", args=[report.pk]), {"decision": "impose"}
        )
        assert response.status_code == 404, user
    client.force_login(shandong["zhe"])
    assert (
        shandong["enterprise"].name
        not in client.get(reverse("sanction_report_list")).content.decode()
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_j_sz_shenzhen_city_still_cancels_directly(client, carl, ent_a):
    """No `removal_decided_by_province` in Guangdong: the city's form cancels, no report."""
    approved_filing(ent_a, "440320240009", approved_on=dt.date(2024, 1, 10))
    client.force_login(carl)
    assert 'name="kind"' not in client.get(reverse("sanction_create")).content.decode()
    assert client.get(reverse("sanction_report_list")).status_code == 404
    client.post(reverse("sanction_create"), {"enterprise": ent_a.pk, "reason": "组织替考"})
    assert Sanction.objects.get().kind == "cancelled"
    assert not SanctionReport.objects.exists()
