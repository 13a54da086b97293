"""`manage.py seed_scale` at a tiny size: the counts asked for, numbers valid in form (R-K2,
GB 11643, GB 32100), every filing status, a seeded certificate that verifies (R-K5), numbering
that continues after the seeded serials, the reviewers' lists showing the data, and a second run
that changes nothing. `make bench` loads the full size (bench/scale.py)."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from stdnum.cn import ric, uscc

from assessments.models import RosterEntry
from certificates.models import Certificate, NumberingPrefix
from certificates.numbering import numbers as numbering
from demo.scale.facts import CREDIT_BODY
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.counters import peek
from portal.core.crypto import id_digest
from portal.core.models import Bureau, Membership
from tests.support.factories import UserFactory

ENTERPRISES = 20
CERTIFICATES = 500


def seed(**sizes) -> str:
    out = io.StringIO()
    sizes = {"enterprises": ENTERPRISES, "certificates": CERTIFICATES, **sizes}
    call_command("seed_scale", stdout=out, **sizes)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "filings", "assessments", "certificates", "auth"}
    }


def reviewer(role: str, bureau_code: str):
    user = UserFactory(username=f"{role}-reviewer")
    Membership.objects.create(user=user, role=role, bureau=Bureau.objects.get(code=bureau_code))
    return user


def test_it_loads_the_sizes_asked_for_with_every_filing_status(seeded):
    assert "scale data loaded: 20 enterprises, 500 certificates" in seeded
    assert Enterprise.objects.filter(credit_code__startswith=CREDIT_BODY).count() == ENTERPRISES
    assert Certificate.objects.count() == CERTIFICATES
    statuses = set(Filing.objects.values_list("status", flat=True))
    # The scale city is Shenzhen: no second officer confirms its decisions (that is Beijing's
    # rule, seed 002 §六(三)), so no filing waits for a confirmation.
    assert statuses == set(FilingStatus.values) - {FilingStatus.CONFIRMATION}
    districts = Enterprise.objects.values("district").annotate(n=Count("pk"))
    assert len(districts) > 1
    # Written by COPY, not save(): each filing still carries its enterprise's district.
    assert not Filing.objects.exclude(district_id=F("enterprise__district_id")).exists()


def test_every_certificate_stands_on_an_issued_roster_entry(seeded):
    for certificate in Certificate.objects.select_related(
        "entry__plan__result_batch", "batch", "enterprise"
    ):
        entry = certificate.entry
        assert entry.result == "passed"
        assert (entry.name, entry.id_number) == (certificate.holder_name, certificate.id_number)
        assert entry.plan.status == "acknowledged"
        assert entry.plan.result_batch.status == "approved"
        assert certificate.batch.result_batch_id == entry.plan.result_batch.pk
        assert certificate.issuer_name == certificate.enterprise.name


def test_numbers_are_valid_in_form(seeded):
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert uscc.is_valid(code), code
    people = set()
    for entry in RosterEntry.objects.all():
        number = entry.id_number
        # GB 11643, as the roster import checks it (R-P5): check character, birth date, sex.
        assert len(number) == 18 and number[-1] == ric.calc_check_digit(number), number
        assert dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])) == (
            entry.birth_date
        )
        assert entry.sex == ("男" if int(number[16]) % 2 else "女")
        assert entry.id_hash == id_digest(number)
        people.add(number)
    assert len(people) == RosterEntry.objects.count()
    prefixes = dict(NumberingPrefix.objects.values_list("enterprise_id", "site_serial"))
    for certificate in Certificate.objects.all():
        parsed = numbering.parse(certificate.number)  # R-K2: 22 characters
        assert parsed is not None, certificate.number
        assert parsed.level == certificate.level
        assert parsed.year == certificate.issued_on.year % 100
        assert parsed.site_serial == prefixes[certificate.enterprise_id]
        assert certificate.id_hash == id_digest(certificate.id_number)


def test_a_seeded_certificate_verifies_and_a_replaced_one_names_its_replacement(seeded, client):
    valid = Certificate.objects.filter(status="valid", replaces__isnull=True).first()
    response = client.get(
        "/api/v1/certificates/verify", {"number": valid.number, "name": valid.holder_name}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["result"] == "valid"
    replaced = Certificate.objects.filter(status="replaced").first()
    if replaced is not None:  # about 1 in 500 certificates is replaced
        response = client.get(
            "/api/v1/certificates/verify",
            {"number": replaced.number, "name": replaced.holder_name},
        )
        assert json.loads(response.content)["replaced_by"] == replaced.replaced_by.number


def test_the_next_certificate_continues_the_seeded_numbering(seeded):
    last: dict[tuple, int] = {}
    for certificate in Certificate.objects.all():
        parsed = numbering.parse(certificate.number)
        key = (certificate.enterprise_id, 2000 + parsed.year, parsed.level)
        last[key] = max(last.get(key, 0), parsed.serial)
    assert last
    for (enterprise_id, year, level), serial in last.items():
        assert peek(numbering.counter_key(enterprise_id, year, level)) == serial


def test_reviewers_see_the_seeded_data_in_their_lists(seeded, client):
    enterprise = Enterprise.objects.filter(
        credit_code__startswith=CREDIT_BODY, filings__status=FilingStatus.DISTRICT_REVIEW
    ).first()
    client.force_login(reviewer("district", enterprise.district.code))
    response = client.get("/filings/", {"status": FilingStatus.DISTRICT_REVIEW})
    assert enterprise.name in response.content.decode()
    client.force_login(reviewer("city", "4403"))
    newest = Certificate.objects.order_by("-issued_on", "number").first()
    assert newest.number in client.get("/certificates/").content.decode()


def test_a_second_run_changes_nothing_and_another_size_is_refused(seeded):
    before = row_counts()
    assert "nothing changed" in seed()
    assert row_counts() == before
    with pytest.raises(CommandError, match="already holds scale data of 20 enterprises"):
        seed(enterprises=21)
    assert row_counts() == before
