"""Entrusted examinees on a roster (seed 004 §一(二), R-P3): a row of 委托评价人员 names a client
enterprise (所在单位, or the optional column 委托企业统一社会信用代码) whose approved agreement
with the plan's enterprise covers the row's occupation, level and the assessment date; else the
row is refused naming the missing agreement. The client reads its staff's results."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from assessments.models import AssessmentSession, ExamineeCategory, ResultBatch
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS
from assessments.rosters.reader.entrusted import CLIENT_CODE_HEADER
from portal.core.models import Role
from tests.assessments.agreements.factories import admit_entrusted, agreement_for
from tests.assessments.factories import PlanFactory, roster_xlsx, row_values
from tests.support.factories import EnterpriseFactory, make_member

pytestmark = pytest.mark.django_db

SESSION_DAY = dt.date(2027, 1, 15)


@pytest.fixture
def plan(ent_a, world):
    admit_entrusted(world["city"])
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    AssessmentSession.objects.create(
        plan=plan, date=SESSION_DAY, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
    )
    return plan


@pytest.fixture
def client_enterprise(world):
    return EnterpriseFactory(name="福田齿轮有限公司", district=world["futian"])


def entrusted_row(n: int, employer: str, **overrides) -> dict:
    return row_values(
        n, 是否本企业职工="否", 所在单位=employer, **{CATEGORY_HEADER: "委托评价人员"}, **overrides
    )


def run(plan, tmp_path, content: bytes, *extra) -> tuple[str, bool]:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(content)
    out = io.StringIO()
    try:
        call_command("import_roster", "--plan", str(plan.pk), str(path), *extra, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def refusal(client: str, *, occupation: str = "", level: str = "", date: str = "") -> str:
    if not occupation:
        return _(
            "Entrusted examinees must come from an enterprise that has an approved entrusted "
            "evaluation agreement with this enterprise; “%(client)s” has none."
        ) % {"client": client}
    return _(
        "Entrusted examinees must come from an enterprise that has an approved entrusted "
        "evaluation agreement with this enterprise; “%(client)s” has no approved agreement "
        "covering %(occupation)s %(level)s on %(date)s."
    ) % {"client": client, "occupation": occupation, "level": level, "date": date}


def test_seed004_s1_2_entrusted_row_without_approved_agreement_is_refused_naming_it(
    plan, tmp_path, client_enterprise
):
    output, ok = run(
        plan,
        tmp_path,
        roster_xlsx([row_values(1), entrusted_row(2, "福田齿轮有限公司")]),
        "--dry-run",
    )
    assert not ok
    assert f"row 4: 所在单位: {refusal('福田齿轮有限公司')}" in output.splitlines()
    # An agreement not yet approved does not count either.
    agreement_for(plan.enterprise, client_enterprise, scheme=plan.scheme, status="awaiting_bureaus")
    output, ok = run(plan, tmp_path, roster_xlsx([entrusted_row(1, "福田齿轮有限公司")]))
    assert not ok
    assert refusal("福田齿轮有限公司") in output
    assert plan.roster.count() == 0


def test_seed004_s1_2_agreement_not_covering_the_level_or_date_is_refused_naming_them(
    plan, tmp_path, client_enterprise
):
    agreement = agreement_for(plan.enterprise, client_enterprise, scheme=plan.scheme, levels=(5,))
    output, ok = run(
        plan, tmp_path, roster_xlsx([entrusted_row(1, "福田齿轮有限公司")]), "--dry-run"
    )
    assert not ok
    expected = refusal("福田齿轮有限公司", occupation="车工", level="四级", date="2027-01-15")
    assert f"row 3: 所在单位: {expected}" in output.splitlines()

    # Level 4 covered, but the agreement ends before the session.
    agreement.levels = [5, 4]
    agreement.valid_until = dt.date(2026, 12, 31)
    agreement.save()
    output, ok = run(plan, tmp_path, roster_xlsx([entrusted_row(1, "福田齿轮有限公司")]))
    assert not ok
    assert expected in output


def test_seed004_s1_2_covered_entrusted_row_is_imported_and_the_client_reads_its_result(
    client, plan, tmp_path, client_enterprise, bob, carl
):
    agreement_for(plan.enterprise, client_enterprise, scheme=plan.scheme)
    output, ok = run(
        plan, tmp_path, roster_xlsx([row_values(1), entrusted_row(2, "福田齿轮有限公司")])
    )
    assert ok, output
    entry = plan.roster.get(category=ExamineeCategory.ENTRUSTED)
    assert entry.entrusted_client == client_enterprise
    assert plan.roster.get(category=ExamineeCategory.EMPLOYEE).entrusted_client is None
    entry.result = "passed"
    entry.certificate_number = "Y000044012345274000001"
    entry.save()

    owner = make_member("cindy", Role.ENTERPRISE, enterprise=client_enterprise)
    client.force_login(owner)
    page = client.get(reverse("entrusted_results")).content.decode()
    assert entry.name in page
    assert "Y000044012345274000001" in page
    assert plan.enterprise.name in page
    assert "四级/中级工" in page or "五级/初级工" in page  # the level in words
    # R-R1: the client reads the result no earlier than the public, once it is publicised.
    assert "尚未公示" in page and "合格" not in page
    ResultBatch.objects.create(plan=plan, status="publicised", published_on=dt.date(2026, 12, 1))
    page = client.get(reverse("entrusted_results")).content.decode()
    assert "合格" in page and "尚未公示" not in page
    # Another enterprise (bob's 福田电子) has no such staff; a bureau has no such page.
    client.force_login(bob)
    assert entry.name not in client.get(reverse("entrusted_results")).content.decode()
    client.force_login(carl)
    assert client.get(reverse("entrusted_results")).status_code == 404


def test_seed004_s1_2_the_optional_credit_code_column_names_the_client(
    plan, tmp_path, client_enterprise
):
    agreement_for(plan.enterprise, client_enterprise, scheme=plan.scheme)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADERS, CATEGORY_HEADER, CLIENT_CODE_HEADER])
    for n, code in ((1, client_enterprise.credit_code), (2, "91440300000000000X")):
        values = entrusted_row(n, "福田齿轮")  # a short name: the code decides
        sheet.append([*(values[h] for h in HEADERS), values[CATEGORY_HEADER], code])
    buffer = io.BytesIO()
    workbook.save(buffer)
    output, ok = run(plan, tmp_path, buffer.getvalue(), "--dry-run")
    assert not ok
    lines = output.splitlines()
    assert f"row 3: {CLIENT_CODE_HEADER}: {refusal('91440300000000000X')}" in lines
    assert not any(line.startswith("row 2:") for line in lines)


def test_seed004_s1_2_the_error_report_keeps_the_client_code_column_to_upload_again(
    client, alice, plan, client_enterprise
):
    from assessments.models import RosterImport

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADERS, CATEGORY_HEADER, CLIENT_CODE_HEADER])
    values = entrusted_row(1, "福田齿轮")
    sheet.append([*(values[h] for h in HEADERS), values[CATEGORY_HEADER], "91440300000000000X"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(alice)
    client.post(
        reverse("roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("名册.xlsx", buffer.getvalue())},
    )
    job = RosterImport.objects.get(plan=plan)
    report = client.get(reverse("roster_job_report", args=[plan.pk, job.pk]))
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[1][-2:]) == [CLIENT_CODE_HEADER, "原因"]
    assert rows[2][-2] == "91440300000000000X"


def test_seed004_s1_2_entrusted_row_needs_the_client_named(plan, tmp_path):
    output, ok = run(plan, tmp_path, roster_xlsx([entrusted_row(1, "")]), "--dry-run")
    assert not ok
    assert "所在单位" in output


def test_seed004_s1_2_the_upload_preview_names_the_missing_agreement(
    client, alice, plan, client_enterprise
):
    client.force_login(alice)
    response = client.post(
        reverse("roster_upload", args=[plan.pk]),
        {
            "file": SimpleUploadedFile(
                "名册.xlsx", roster_xlsx([entrusted_row(1, "福田齿轮有限公司")])
            )
        },
        follow=True,
    )
    text = response.content.decode()
    assert escape(refusal("福田齿轮有限公司")) in text
    assert "张1" in text
    assert plan.roster.count() == 0


def test_seed004_s1_2_the_blank_template_documents_the_optional_client_column(client, alice, plan):
    client.force_login(alice)
    content = client.get(reverse("roster_template", args=[plan.pk])).content
    workbook = load_workbook(io.BytesIO(content))
    header = [cell for cell in next(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))]
    assert header[: len(HEADERS)] == HEADERS  # the 21 official columns stay first
    notes = " ".join(str(row[0]) for row in workbook.worksheets[1].iter_rows(values_only=True))
    assert CLIENT_CODE_HEADER in notes
