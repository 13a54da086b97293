"""R-K2: the 22-character number, its parts, and gap-free serials (also across a rollback)."""

import datetime as dt

import pytest
from django.db import transaction

from certificates.issuance import services
from certificates.models import Certificate
from certificates.numbering import numbers as numbering
from portal.core.counters import peek
from portal.core.errors import ServiceError
from tests.certificates.factories import approved_batch, issued_batch, prefix_for


def test_r_k2_the_example_number_of_the_rule_parses_into_its_parts():
    parsed = numbering.parse("Y000044012345224000001")
    assert parsed == numbering.ParsedNumber("Y", "0000", "44", "012345", 22, 4, 1)
    assert numbering.format_number("Y000044012345", 2022, 4, 1) == "Y000044012345224000001"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Y000044012345224000001", numbering.OURS),
        (" y0000 4401 2345 2240 00001 ", numbering.OURS),
        # Typed with a Chinese input method: full-width letters and digits.
        ("".join(chr(ord(c) + 0xFEE0) for c in "Y000044012345224000001"), numbering.OURS),
        ("1234567890123456", numbering.LEGACY),
        ("Y000044012345226000001", numbering.INVALID),  # level 6 does not exist
        ("X000044012345224000001", numbering.INVALID),
        ("123", numbering.INVALID),
    ],
)
def test_r_k2_numbers_people_type_are_recognised(typed, kind):
    assert numbering.kind_of(numbering.normalise(typed)) == kind


@pytest.mark.django_db
def test_r_k2_levels_and_years_have_their_own_serials(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed", "passed")
    plan = approved_batch(ent_a, "passed", "passed", "passed")
    entries = list(plan.plan.roster.order_by("seq"))
    entries[1].level = 5
    entries[1].save()
    second = services.issue_certificates(
        result_batch=plan, actor=alice, issued_on=dt.date(2026, 11, 21)
    )
    numbers = sorted(c.number[-7:] for c in second.certificates.all())
    assert numbers == ["4000003", "4000004", "5000001"]
    assert [c.number[-7:] for c in batch.certificates.order_by("position")] == [
        "4000001",
        "4000002",
    ]


@pytest.mark.django_db
def test_r_k2_other_enterprises_count_from_one(ent_a, ent_b, alice, bob):
    issued_batch(ent_a, alice, "passed", "passed")
    other = issued_batch(ent_b, bob, "passed", site_serial="099999")
    assert other.certificates.get().number == "Y000044099999264000001"


@pytest.mark.django_db
def test_r_k2_a_failed_issue_gives_its_serials_back(ent_a, alice, monkeypatch):
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed", "passed")

    def broken_audit(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        services.issue_certificates(
            result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )
    assert not Certificate.objects.exists()
    assert peek(numbering.counter_key(ent_a.pk, 2026, 4)) == 0
    monkeypatch.undo()
    issued = services.issue_certificates(
        result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
    )
    assert [c.number[-6:] for c in issued.certificates.order_by("position")] == [
        "000001",
        "000002",
    ]


@pytest.mark.django_db
def test_r_k2_serials_stop_at_999999_with_a_message(ent_a, alice):
    from portal.core.models import Counter

    prefix_for(ent_a)
    Counter.objects.create(key=numbering.counter_key(ent_a.pk, 2026, 4), value=999_999)
    batch = approved_batch(ent_a, "passed")
    with pytest.raises(ServiceError) as refusal, transaction.atomic():
        services.issue_certificates(
            result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )
    assert "999999" in refusal.value.message


# R-M7, seed 003 §二: a social training evaluation organisation's numbers start with S -------


@pytest.mark.django_db
def test_seed003_s2_certificates_of_a_social_training_organisation_start_with_s(world, client):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from certificates.models import NumberingPrefix
    from certificates.numbering.services import new_numbers, prefix_set
    from filings.models import InstitutionKind
    from tests.support.factories import EnterpriseFactory, approved_filing, make_member

    org = EnterpriseFactory(district=world["nanshan"], kind=InstitutionKind.SOCIAL_TRAINING_ORG)
    approved_filing(org, "440320260009", approved_on=dt.date(2026, 1, 5))
    carl = make_member("carl", "city", bureau=world["city"], is_admin=True)
    client.force_login(carl)
    url = reverse("numbering_prefix_edit", args=[org.pk])
    assert client.get(url).context["form"].initial["category"] == "S"
    digits = {"institution_code": "0000", "province_code": "44", "site_serial": "060001"}
    response = client.post(url, {"category": "Y", **digits, "version": ""})
    assert response.status_code == 200
    expected = _(
        "The institution is registered as %(kind)s: its letter is %(letter)s, not %(value)s."
    ) % {"kind": InstitutionKind.SOCIAL_TRAINING_ORG.label, "letter": "S", "value": "Y"}
    assert expected in response.text
    assert client.post(url, {"category": "S", **digits, "version": ""}).status_code == 302
    prefix = NumberingPrefix.objects.get(enterprise=org)
    assert prefix.prefix == "S000044060001"
    with pytest.raises(ServiceError):
        prefix_set(enterprise=org, actor=carl, category="Y", **digits)
    with transaction.atomic():
        [number] = new_numbers(prefix, org.pk, dt.date(2026, 12, 1), [4])
    assert number == "S000044060001264000001"
