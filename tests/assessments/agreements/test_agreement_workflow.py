"""Entrusted evaluation agreements through their pages (seed 004 §一(二)): the evaluating
enterprise drafts and submits, the client confirms, both parties' bureaus approve (one approval
where they are the same bureau; the province where the policy says so); the client or a bureau
may return it with a reason."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from assessments.models import AgreementStatus, EntrustedAgreement
from portal.core.errors import StaleEdit
from portal.core.models import AuditEvent, Membership, Policy, Role
from tests.assessments.agreements.factories import add_document, agreement_for
from tests.assessments.factories import approved_scheme
from tests.support.factories import MINIMAL_PDF, EnterpriseFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(ent_a):
    return approved_scheme(ent_a, levels=(5, 4, 3))


@pytest.fixture
def foshan_client(world):
    """A client enterprise of 顺德 (佛山): its agreements go to 佛山's centre as well."""
    enterprise = EnterpriseFactory(name="顺德家电制造有限公司", district=world["shunde"])
    make_member("paul", Role.ENTERPRISE, enterprise=enterprise)
    return enterprise


def _terms(client_enterprise, scheme, **overrides) -> dict:
    data = {
        "client": client_enterprise.credit_code,
        "schemes": [scheme.pk],
        "levels": ["5", "4"],
        "valid_from": "2026-01-01",
        "valid_until": "2028-12-31",
        "note": "",
    }
    data.update(overrides)
    return data


def _login(client, user):
    client.force_login(user)
    return client


def _post(client, name, agreement, **data):
    agreement.refresh_from_db()
    return client.post(
        reverse(name, args=[agreement.pk]), {"version": agreement.version, **data}, follow=True
    )


def _page(client, agreement) -> str:
    return client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()


def test_seed004_s1_2_agreement_drafted_confirmed_and_approved_by_both_bureaus(
    client, alice, carl, olga, scheme, foshan_client
):
    _login(client, alice)
    response = client.post(reverse("agreement_create"), _terms(foshan_client, scheme))
    agreement = EntrustedAgreement.objects.get()
    assert response.status_code == 302
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.client == foshan_client
    assert list(agreement.schemes.all()) == [scheme]

    # No document yet: submission refused, naming what is missing.
    page = _post(client, "agreement_submit", agreement).content.decode()
    assert _("Upload the signed agreement before submitting it.") in page
    upload = SimpleUploadedFile("委托评价协议.pdf", MINIMAL_PDF, content_type="application/pdf")
    client.post(reverse("agreement_document_upload", args=[agreement.pk]), {"file": upload})
    assert "委托评价协议.pdf" in _page(client, agreement)
    _post(client, "agreement_submit", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_CLIENT

    paul = Membership.objects.get(enterprise=foshan_client).user
    _login(client, paul)
    assert escape(str(AgreementStatus.AWAITING_CLIENT.label)) in _page(client, agreement)
    _post(client, "agreement_confirm", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_BUREAUS
    assert {b.name for b in agreement.bureaus} == {"深圳市", "佛山市"}

    _login(client, carl)
    _post(client, "agreement_approve", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_BUREAUS
    assert agreement.pending_bureau_ids() == {agreement.client_bureau_id}
    # 深圳 has given its approval: a second one is not offered (404).
    response = _post(client, "agreement_approve", agreement)
    assert response.status_code == 404

    _login(client, olga)
    _post(client, "agreement_approve", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    assert agreement.approved_on is not None

    actions = list(
        AuditEvent.objects.filter(object_id=agreement.pk)
        .filter(content_type__model="entrustedagreement")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "document_add", "submit", "confirm", "approve_part", "approve"]
    # Every party reads the status.
    for user in (alice, paul, carl, olga):
        _login(client, user)
        assert escape(str(AgreementStatus.APPROVED.label)) in _page(client, agreement)


def test_seed004_s1_2_where_both_enterprises_answer_to_one_bureau_one_approval_suffices(
    client, alice, bob, carl, scheme, ent_b
):
    ent_a = alice.membership.enterprise
    agreement = agreement_for(ent_a, ent_b, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    _login(client, bob)
    _post(client, "agreement_confirm", agreement)
    agreement.refresh_from_db()
    assert agreement.bureaus == [ent_a.routed_bureau]
    _login(client, carl)
    _post(client, "agreement_approve", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED


def test_seed004_s1_2_the_province_approves_where_its_policy_says_so(
    client, alice, carl, gina, world, scheme, foshan_client
):
    Policy.objects.update_or_create(
        bureau=world["province"], defaults={"entrusted_agreement_approved_by_province": True}
    )
    agreement = agreement_for(alice.membership.enterprise, foshan_client, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    _login(client, Membership.objects.get(enterprise=foshan_client).user)
    _post(client, "agreement_confirm", agreement)
    agreement.refresh_from_db()
    assert [b.name for b in agreement.bureaus] == ["广东省"]
    # The city no longer decides it.
    _login(client, carl)
    assert _post(client, "agreement_approve", agreement).status_code == 404
    _login(client, gina)
    _post(client, "agreement_approve", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED


def test_seed004_s1_2_a_bureau_returns_the_agreement_with_its_reason(
    client, alice, carl, scheme, ent_b
):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme, status="draft")
    add_document(agreement, alice)
    agreement.status = AgreementStatus.AWAITING_BUREAUS
    agreement.evaluator_bureau = agreement.client_bureau = ent_b.routed_bureau
    agreement.save()
    _login(client, carl)
    page = _post(client, "agreement_return", agreement, reason="").content.decode()
    assert _("Give the reason for returning the agreement.") in page
    _post(client, "agreement_return", agreement, reason="协议未加盖委托方公章")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.RETURNED
    _login(client, alice)
    page = _page(client, agreement)
    assert "协议未加盖委托方公章" in page
    # The evaluating enterprise corrects and sends it again to the client.
    response = client.get(reverse("agreement_edit", args=[agreement.pk]))
    assert response.status_code == 200
    _post(client, "agreement_submit", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_CLIENT


def test_seed004_s1_2_client_must_be_a_registered_enterprise_named_by_its_credit_code(
    client, alice, scheme
):
    _login(client, alice)
    data = _terms(alice.membership.enterprise, scheme, client="91440300MA5XXXXX0X")
    response = client.post(reverse("agreement_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "91440300MA5XXXXX0X" in page  # the form keeps what was typed
    assert (
        _(
            "No enterprise with the unified social credit code “%(code)s” is registered "
            "on the portal; the client enterprise must register first."
        )
        % {"code": "91440300MA5XXXXX0X"}
        in page
    )
    own = _terms(alice.membership.enterprise, scheme)
    page = client.post(reverse("agreement_create"), own).content.decode()
    assert _("The client must be another enterprise than your own.") in page
    assert not EntrustedAgreement.objects.exists()


def test_seed004_s1_2_levels_outside_the_schemes_are_refused(client, alice, scheme, ent_b):
    _login(client, alice)
    page = client.post(
        reverse("agreement_create"), _terms(ent_b, scheme, levels=["4", "1"])
    ).content.decode()
    assert (
        _("Level %(levels)s is not offered by the chosen evaluation schemes.") % {"levels": "一级"}
        in page
    )


def test_r_m7_a_social_training_organisation_cannot_evaluate_under_an_agreement(
    client, alice, scheme, ent_b
):
    """R-M7 with seed 004 §一(二): the organisation's rosters admit no entrusted examinees."""
    enterprise = alice.membership.enterprise
    enterprise.kind = "S"
    enterprise.save(update_fields=["kind"])
    _login(client, alice)
    page = client.post(reverse("agreement_create"), _terms(ent_b, scheme)).content.decode()
    assert "社会培训评价组织面向社会人员开展评价，不承接委托评价" in page
    assert not EntrustedAgreement.objects.exists()


def test_seed004_s1_2_a_stale_confirmation_is_refused(client, alice, bob, scheme, ent_b):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    _login(client, bob)
    response = client.post(
        reverse("agreement_confirm", args=[agreement.pk]),
        {"version": agreement.version - 1},
        follow=True,
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_CLIENT
    assert escape(str(StaleEdit().message)) in response.content.decode()


def test_seed004_s1_2_an_approved_agreement_past_its_end_reads_expired(
    client, alice, scheme, ent_b
):
    agreement = agreement_for(
        alice.membership.enterprise,
        ent_b,
        scheme=scheme,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 12, 31),
    )
    _login(client, alice)
    assert _("Expired") in _page(client, agreement)
    listing = client.get(reverse("agreement_list")).content.decode()
    assert _("Expired") in listing


def test_seed004_s1_2_drafts_stay_with_the_evaluator_and_others_get_404(
    client, alice, bob, dora, fred, scheme, ent_b
):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme, status="draft")
    for user in (bob, dora, fred):
        _login(client, user)
        assert client.get(reverse("agreement_detail", args=[agreement.pk])).status_code == 404
    stranger = EnterpriseFactory(district=ent_b.district)
    _login(client, make_member("stan", Role.ENTERPRISE, enterprise=stranger))
    agreement.status = AgreementStatus.APPROVED
    agreement.save()
    assert client.get(reverse("agreement_detail", args=[agreement.pk])).status_code == 404
    _login(client, bob)
    assert client.get(reverse("agreement_detail", args=[agreement.pk])).status_code == 200
    assert client.post(reverse("agreement_withdraw", args=[agreement.pk])).status_code == 404


def test_seed004_s1_2_the_desk_lists_what_waits_for_each_party(
    client, alice, bob, carl, scheme, ent_b
):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    link = reverse("agreement_detail", args=[agreement.pk])
    _login(client, bob)
    assert link in client.get(reverse("dashboard")).content.decode()
    _post(client, "agreement_confirm", agreement)
    _login(client, carl)
    assert link in client.get(reverse("dashboard")).content.decode()
    assert reverse("agreement_list") in client.get(reverse("dashboard")).content.decode()


def test_seed004_s1_2_the_province_sets_who_approves_agreements_on_its_policy_page(
    client, world, alice, scheme, ent_b
):
    from portal.core.policy import effective_policy
    from portal.core.policy_forms import PolicyForm

    admin = make_member("gwen", Role.PROVINCE, bureau=world["province"], is_admin=True)
    row = Policy.objects.get_or_create(bureau=world["province"])[0]
    form = PolicyForm(bureau=world["province"], policy=effective_policy(world["province"]), row=row)
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data["entrusted_agreement_approved_by_province"] = "yes"
    client.force_login(admin)
    page = client.get(reverse("city_policy_edit")).content.decode()
    assert 'name="entrusted_agreement_approved_by_province"' in page
    client.post(reverse("city_policy_edit"), data)
    assert Policy.objects.get(bureau=world["province"]).entrusted_agreement_approved_by_province
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    _login(client, make_member("bert", Role.ENTERPRISE, enterprise=ent_b))
    _post(client, "agreement_confirm", agreement)
    agreement.refresh_from_db()
    assert agreement.bureaus == [world["province"]]


def test_seed004_s1_2_the_shandong_preset_files_agreements_with_each_partys_centre():
    from portal.core.presets import PRESETS

    shandong = PRESETS["shandong"]
    assert shandong.values["entrusted_agreement_approved_by_province"] is False
    assert shandong.sources["entrusted_agreement_approved_by_province"] == "seed 004 §一(二)"


def test_seed004_s1_2_the_evaluator_withdraws_an_approved_agreement_and_rosters_lose_it(
    client, alice, scheme, ent_b
):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme)
    _login(client, alice)
    _post(client, "agreement_withdraw", agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.WITHDRAWN
    from assessments.rosters.checks import entrusted_covers

    assert entrusted_covers(alice.membership.enterprise.pk) == ()


def test_seed004_s1_2_the_client_returns_an_agreement_it_did_not_sign(
    client, alice, bob, scheme, ent_b
):
    agreement = agreement_for(alice.membership.enterprise, ent_b, scheme=scheme)
    agreement.status = AgreementStatus.AWAITING_CLIENT
    agreement.save()
    _login(client, bob)
    _post(client, "agreement_return", agreement, reason="协议期限与我司签署文本不一致")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.RETURNED
    assert agreement.bureaus == []
    _login(client, alice)
    assert "协议期限与我司签署文本不一致" in _page(client, agreement)
