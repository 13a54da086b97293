"""`manage.py seed_demo`: the demo users with their roles, filings at every stage, and a second
run that changes nothing."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.management.commands.seed_demo import DEFAULT_PASSWORD
from filings.models import Enterprise, FilingStatus

User = get_user_model()
SEED_DAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_DAY):
        yield


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"core", "filings", "assessments", "certificates", "supervision", "auth", "guardian"}
    }


def test_seed_demo_runs_twice_without_duplicating_anything(db, tmp_path):
    out = seed()
    assert "demo data loaded" in out
    # Issue 16: every user the demo creates is listed, with the password to use.
    for username in get_user_model().objects.values_list("username", flat=True):
        assert f"\n  {username} " in out, username
    assert "Demo-2026-portal" in out
    first = row_counts()
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    # Eleven in Shenzhen's first districts, six in the other jurisdictions' (demo/jurisdictions.py)
    # and Foshan's social training evaluation organisation (demo/social_org.py).
    assert first["filings.Enterprise"] == 18
    assert first["filings.Filing"] > 0 and first["filings.FilingMaterial"] > 0

    assert "demo data already present; nothing changed" in seed()
    assert row_counts() == first
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == files


@pytest.mark.parametrize(
    ("username", "role", "anchor"),
    [
        ("enterprise1", "enterprise", "深圳市南山精密机械制造有限公司"),
        ("enterprise2", "enterprise", "深圳市福田电子科技股份有限公司"),
        ("district1", "district", "440305"),
        ("district2", "district", "440304"),
        ("city", "city", "4403"),
        ("expert", "expert", "4403"),
        ("supervisor", "supervisor", "4403"),
    ],
)
def test_seed_demo_creates_the_demo_users_with_their_roles(db, username, role, anchor):
    seed()
    user = User.objects.get(username=username)
    assert user.check_password(DEFAULT_PASSWORD)
    membership = user.membership
    assert membership.role == role
    if role == "enterprise":
        assert membership.enterprise.name == anchor
    else:
        assert membership.bureau.code == anchor
    assert membership.is_admin == (username == "city")


def test_seed_demo_creates_an_admin_for_the_django_admin(db):
    seed()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEFAULT_PASSWORD)


def test_demo_user_enterprise1_can_log_in(client, db):
    seed()
    response = client.post(
        "/accounts/login/",
        {"username": "enterprise1", "password": DEFAULT_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    page = response.content.decode()
    assert "深圳市南山精密机械制造有限公司" in page
    assert "企业经办人" in page


def test_demo_users_are_not_asked_to_change_the_password_the_seed_gave_them(client, db):
    """The seed sets the demo's own passwords: nobody is sent to the password change page."""
    seed()
    for username, landing in (("district1", "/dashboard/"), ("city", "/dashboard/")):
        answer = client.post(
            "/accounts/login/", {"username": username, "password": DEFAULT_PASSWORD}, follow=True
        )
        assert answer.redirect_chain[-1][0] == landing
        client.logout()
    client.login(username="admin", password=DEFAULT_PASSWORD)
    assert client.get("/django-admin/").status_code == 200


def test_the_demo_password_comes_from_the_environment(client, db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "Another-demo-2026")
    output = seed()
    assert "Another-demo-2026" not in output
    assert client.login(username="enterprise1", password="Another-demo-2026")
    assert not client.login(username="enterprise1", password=DEFAULT_PASSWORD)


def test_seed_demo_covers_every_stage_of_the_filing(db):
    seed()
    stages = {
        e.name: e.filings.values_list("status", flat=True).first() for e in Enterprise.objects.all()
    }
    assert stages["深圳市南山精密机械制造有限公司"] == FilingStatus.DRAFT
    assert stages["深圳市南山智能装备有限公司"] == FilingStatus.DISTRICT_REVIEW
    assert stages["深圳市福田医疗器械集团有限公司"] == FilingStatus.CITY_REVIEW
    assert stages["深圳市南山新能源汽车零部件有限公司"] == FilingStatus.EXPERT_REVIEW
    assert stages["深圳市福田中央厨房餐饮管理有限公司"] == FilingStatus.RETURNED
    assert stages["深圳市南山远航物流有限公司"] == FilingStatus.REJECTED
    assert stages["深圳市福田电子科技股份有限公司"] == FilingStatus.APPROVED
    pending = Enterprise.objects.get(name="深圳市南山启明职业培训咨询有限公司")
    assert pending.status == "pending"
    banned = Enterprise.objects.get(name="深圳市福田宏达建材有限公司")
    assert banned.sanctions.get().ban_until == dt.date(2030, 11, 27)


def test_the_demo_city_desk_shows_an_overdue_filing(client, db):
    seed()
    client.login(username="city", password=DEFAULT_PASSWORD)
    page = client.get("/dashboard/").content.decode()
    assert '<tr class="overdue">' in page
    assert "深圳市福田医疗器械集团有限公司" in page


def test_r_k5_seed_demo_prints_a_certificate_that_verifies(db):
    from certificates.verification.lookup import verify

    lines = [line for line in seed().splitlines() if line.startswith("demo certificate: ")]
    assert len(lines) == 1
    _label, number, name = lines[0].rsplit(" ", 2)
    answer = verify(number, name)
    assert answer.result == "valid"
    assert answer.issuer == "深圳市福田电子科技股份有限公司"
    # The line comes again on the next run, so `make run` always shows it.
    assert lines[0] in seed()


def test_seed003_s2_the_demo_has_a_filed_social_training_organisation_with_s_certificates(db):
    from certificates.verification.lookup import verify
    from filings.models import Enterprise, FilingStatus, InstitutionKind

    [line] = [line for line in seed().splitlines() if line.startswith("demo social training")]
    org = Enterprise.objects.get(kind=InstitutionKind.SOCIAL_TRAINING_ORG)
    assert org.filings.get().status == FilingStatus.APPROVED
    assert org.members.filter(user__username="fs-training").exists()
    _label, number, name = line.rsplit(" ", 2)
    assert number.startswith("S")
    assert verify(number, name).result == "valid"
    assert {entry.category for entry in org.schemes.get().plans.get().roster.all()} == {"public"}


def test_r_k5_the_demo_has_a_revoked_certificate_with_its_reason(db):
    from certificates.models import Certificate
    from certificates.verification.lookup import verify
    from demo.certificates import REVOKE_REASON

    seed()
    revoked = Certificate.objects.get(status="revoked")
    answer = verify(revoked.number, revoked.holder_name)
    assert answer.result == "revoked"
    assert answer.revoked_reason == REVOKE_REASON


def test_r_m1_r_m5_the_demo_has_a_published_draw_a_finding_a_complaint_a_ban_and_reminders(
    client, db
):
    """The issue's newcomer: the draw is public, supervisor has an inspection to record,
    enterprise1 a finding to answer, the printed complaint can be followed, a ban is listed and
    reminders wait on the desks."""
    from supervision.draws.algorithm import draw_matches_record
    from supervision.models import Complaint, Draw, Finding, Notification, Sanction

    out = seed()
    draw = Draw.objects.get(published_on__isnull=False)
    assert draw_matches_record(draw)
    assert draw.title in client.get("/public/inspections/").content.decode()
    finding = Finding.objects.get(
        inspection__enterprise__name="深圳市南山精密机械制造有限公司", status="open"
    )
    assert finding.inspection.assignments.filter(supervisor__username="supervisor").exists()
    assert Draw.objects.filter(inspections__status="planned").exists()
    line = next(x for x in out.splitlines() if x.startswith("demo complaint: "))
    reference = line.split()[2]
    complaint = Complaint.objects.get(reference=reference)
    answer = client.post(
        "/complaints/track/", {"reference": reference, "phone_last4": complaint.contact_phone[-4:]}
    )
    assert complaint.subject in answer.content.decode()
    assert Sanction.objects.filter(ban_until__gte=SEED_DAY).exists()
    assert "深圳市福田宏达建材有限公司" in client.get("/public/sanctions/").content.decode()
    assert Notification.objects.filter(user__username="enterprise1").exists()
    assert Notification.objects.filter(user__username="city", kind="review_clock").exists()


JURISDICTION_USERS = {
    "guangdong": ("province", "44"),
    "pingshan": ("district", "440310"),
    "foshan": ("city", "4406"),
    "beijing": ("city", "11"),
    "beijing2": ("city", "11"),
    "shandong": ("province", "37"),
    "taian": ("city", "3709"),
    "ps-enterprise": ("enterprise", "深圳市坪山新能源电池科技有限公司"),
    "fs-enterprise": ("enterprise", "佛山市顺德美达家用电器制造有限公司"),
    "bj-enterprise": ("enterprise", "北京城市轨道交通装备集团有限公司"),
    "sd-enterprise": ("enterprise", "山东重型机械装备集团有限公司"),
    "ta-enterprise": ("enterprise", "泰安泰山汽车零部件制造有限公司"),
}


def test_seed_demo_creates_a_user_of_each_jurisdiction(db):
    seed()
    for username, (role, anchor) in JURISDICTION_USERS.items():
        membership = User.objects.get(username=username).membership
        assert membership.role == role, username
        if role == "enterprise":
            assert membership.enterprise.name == anchor
        else:
            assert membership.bureau.code == anchor


def test_the_demo_certificates_holder_pdf_validates_against_the_demo_root(db):
    import warnings

    from certificates.models import Certificate
    from certificates.printing.services import holder_pdf
    from certificates.signing.identity import DEMO_SIGNER_NAME, ensure_demo_identity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyhanko.keys import load_certs_from_pemder
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    out = seed()
    number = out.split("demo certificate: ")[1].split()[0]
    assert f"certificate_pdf {number} --out" in out
    assert DEMO_SIGNER_NAME in out

    content = holder_pdf(Certificate.objects.get(number=number))

    roots = list(load_certs_from_pemder([str(ensure_demo_identity() / "root.pem")]))
    (signature,) = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    assert status.bottom_line
