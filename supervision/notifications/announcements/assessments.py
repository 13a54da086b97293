"""Who hears of each step of an implementation plan and its roster (R-P1 … R-P5), its results
(R-R1, R-R2), the certificates (R-K1 … R-K3) and an entrusted evaluation agreement."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import AgreementStatus
from portal.core.models import Role
from supervision.notifications import recipients as who
from supervision.notifications.events import Notice, announces
from supervision.notifications.topics import Topic

PLAN = "assessments.implementationplan"
RESULTS = "assessments.resultbatch"
CERTIFICATE = "certificates.certificate"
AGREEMENT = "assessments.entrustedagreement"


def _d(day) -> str:
    return date_format(day, "Y-m-d") if day else ""


# Plans and rosters ---------------------------------------------------------------------------


def _plan_url(plan) -> str:
    return reverse("plan_detail", kwargs={"pk": plan.pk})


def _plan_named(plan) -> dict:
    return {"enterprise": plan.enterprise.name, "plan": plan.title}


@announces(PLAN, "plan_submit", topic=Topic.PLAN, url=_plan_url)
def plan_submitted(plan, event) -> list[Notice]:
    return [
        Notice(
            who.city_staff(plan.enterprise),
            _("%(enterprise)s submitted the implementation plan “%(plan)s”") % _plan_named(plan),
        )
    ]


@announces(PLAN, "plan_acknowledge", topic=Topic.PLAN, url=_plan_url)
def plan_acknowledged(plan, event) -> list[Notice]:
    return [
        Notice(
            who.operators(plan.enterprise),
            _("The city acknowledged your implementation plan “%(plan)s”") % _plan_named(plan),
            event.note,
        ),
        Notice(
            who.handling_district_staff(plan.enterprise),
            _("%(enterprise)s will hold the assessment “%(plan)s”") % _plan_named(plan),
        ),
    ]


@announces(PLAN, "plan_return", topic=Topic.PLAN, url=_plan_url)
def plan_returned(plan, event) -> list[Notice]:
    return [
        Notice(
            who.operators(plan.enterprise),
            _("Your implementation plan “%(plan)s” was returned for correction")
            % _plan_named(plan),
            event.note,
        )
    ]


def _roster_url(plan) -> str:
    return reverse("roster_detail", kwargs={"pk": plan.pk})


# A large roster is imported by the worker after its uploader left the page: they are told.
@announces(PLAN, "roster_import", topic=Topic.PLAN, url=_roster_url, tell_actor=True)
def roster_imported(plan, event) -> list[Notice]:
    uploader = who.users([event.actor_id]) if event.actor_id else []
    return [
        Notice(
            uploader,
            _("The roster of “%(plan)s” is imported") % _plan_named(plan),
            event.note,
        )
    ]


@announces(PLAN, "roster_expired", topic=Topic.PLAN, url=_plan_url)
def roster_expired(plan, event) -> list[Notice]:
    return [
        Notice(
            who.operators(plan.enterprise),
            _("The roster of “%(plan)s” was removed: its retention period is over")
            % _plan_named(plan),
        )
    ]


# Results -------------------------------------------------------------------------------------


def _results_url(batch) -> str:
    return reverse("result_batch", kwargs={"pk": batch.plan_id})


def _results_named(batch) -> dict:
    return {"enterprise": batch.plan.enterprise.name, "plan": batch.plan.title}


@announces(RESULTS, "result_publish", topic=Topic.RESULT, url=_results_url)
def results_publicised(batch, event) -> list[Notice]:
    enterprise = batch.plan.enterprise
    return [
        Notice(
            [*who.handling_district_staff(enterprise), *who.city_staff(enterprise)],
            _("%(enterprise)s publicised the results of “%(plan)s”") % _results_named(batch),
            _("Publicity ends on %(date)s.") % {"date": _d(batch.publicity_ends_on)},
        )
    ]


@announces(RESULTS, "objection_record", topic=Topic.RESULT, url=_results_url)
def objection_raised(batch, event) -> list[Notice]:
    """R-R1: the city that will decide the result filing hears of each objection at once (the
    objection's text stays on the results page)."""
    return [
        Notice(
            who.city_staff(batch.plan.enterprise),
            _("An objection was raised to the publicised results of “%(plan)s” of %(enterprise)s")
            % _results_named(batch),
        )
    ]


@announces(RESULTS, "result_submit", topic=Topic.RESULT, url=_results_url)
def results_submitted(batch, event) -> list[Notice]:
    body = (
        _("Decide by %(date)s.") % {"date": _d(batch.filing_due_on)} if batch.filing_due_on else ""
    )
    return [
        Notice(
            who.city_staff(batch.plan.enterprise),
            _("%(enterprise)s submitted the results of “%(plan)s” for result filing")
            % _results_named(batch),
            body,
        )
    ]


@announces(RESULTS, "result_city_approve", topic=Topic.RESULT, url=_results_url)
def results_to_province(batch, event) -> list[Notice]:
    enterprise = batch.plan.enterprise
    return [
        Notice(
            who.province_staff(enterprise),
            _("The results of “%(plan)s” of %(enterprise)s wait for the provincial review")
            % _results_named(batch),
            _("Decide by %(date)s.") % {"date": _d(batch.province_due_on)}
            if batch.province_due_on
            else "",
        ),
        Notice(
            who.operators(enterprise),
            _("The city approved the results of “%(plan)s”; the province reviews them next")
            % _results_named(batch),
            event.note,
        ),
    ]


@announces(RESULTS, "result_approve", topic=Topic.RESULT, url=_results_url)
def results_approved(batch, event) -> list[Notice]:
    return [
        Notice(
            who.operators(batch.plan.enterprise),
            _("The result filing of “%(plan)s” is approved: you may issue the certificates")
            % _results_named(batch),
            event.note,
        )
    ]


@announces(RESULTS, "result_province_approve", topic=Topic.RESULT, url=_results_url)
def results_province_approved(batch, event) -> list[Notice]:
    enterprise = batch.plan.enterprise
    return [
        Notice(
            who.operators(enterprise),
            _("The province approved the results of “%(plan)s”: you may issue the certificates")
            % _results_named(batch),
            event.note,
        ),
        Notice(
            who.city_staff(enterprise),
            _("The province approved the results of “%(plan)s” of %(enterprise)s")
            % _results_named(batch),
        ),
    ]


@announces(RESULTS, "result_return", topic=Topic.RESULT, url=_results_url)
def results_returned(batch, event) -> list[Notice]:
    return [
        Notice(
            who.operators(batch.plan.enterprise),
            _("The results of “%(plan)s” were returned for correction") % _results_named(batch),
            event.note,
        )
    ]


@announces(RESULTS, "result_province_return", topic=Topic.RESULT, url=_results_url)
def results_province_returned(batch, event) -> list[Notice]:
    enterprise = batch.plan.enterprise
    return [
        Notice(
            [*who.operators(enterprise), *who.city_staff(enterprise)],
            _("The province returned the results of “%(plan)s” of %(enterprise)s")
            % _results_named(batch),
            event.note,
        )
    ]


@announces(RESULTS, "certificates_issued", topic=Topic.CERTIFICATE, url=_results_url)
def certificates_issued(batch, event) -> list[Notice]:
    enterprise = batch.plan.enterprise
    return [
        Notice(
            [*who.operators(enterprise), *who.city_staff(enterprise)],
            _("%(enterprise)s issued the certificates of “%(plan)s”") % _results_named(batch),
            event.note,
        )
    ]


# Certificates --------------------------------------------------------------------------------


def _certificate_url(certificate) -> str:
    return reverse("certificate_detail", kwargs={"pk": certificate.pk})


@announces(
    CERTIFICATE,
    "certificate_revoked",
    "certificate_reissue",
    "certificate_correction",
    topic=Topic.CERTIFICATE,
    url=_certificate_url,
)
def certificate_changed(certificate, event) -> list[Notice]:
    named = {"number": certificate.number, "name": certificate.holder_name}
    if event.action == "certificate_revoked":
        title = _("Certificate %(number)s of %(name)s is revoked") % named
    else:
        title = _("Certificate %(number)s of %(name)s is replaced by a new one") % named
    enterprise = certificate.enterprise
    return [Notice([*who.operators(enterprise), *who.city_staff(enterprise)], title, event.note)]


# Entrusted evaluation agreements -------------------------------------------------------------


def _agreement_url(agreement) -> str:
    return reverse("agreement_detail", kwargs={"pk": agreement.pk})


def _parties(agreement) -> dict:
    return {"evaluator": agreement.evaluator.name, "client": agreement.client.name}


@announces(AGREEMENT, "submit", topic=Topic.AGREEMENT, url=_agreement_url)
def agreement_submitted(agreement, event) -> list[Notice]:
    return [
        Notice(
            who.operators(agreement.client),
            _("%(evaluator)s asks you to confirm an entrusted evaluation agreement")
            % _parties(agreement),
        )
    ]


@announces(AGREEMENT, "confirm", topic=Topic.AGREEMENT, url=_agreement_url)
def agreement_confirmed(agreement, event) -> list[Notice]:
    bureaus = {agreement.evaluator_bureau, agreement.client_bureau} - {None}
    officers = [
        user for bureau in bureaus for user in who.staff(bureau, [Role.CITY, Role.PROVINCE])
    ]
    return [
        Notice(
            who.operators(agreement.evaluator),
            _("%(client)s confirmed the entrusted evaluation agreement") % _parties(agreement),
        ),
        Notice(
            officers,
            _("The agreement between %(evaluator)s and %(client)s waits for your approval")
            % _parties(agreement),
        ),
    ]


@announces(AGREEMENT, "approve", topic=Topic.AGREEMENT, url=_agreement_url)
def agreement_approved(agreement, event) -> list[Notice]:
    return [
        Notice(
            [*who.operators(agreement.evaluator), *who.operators(agreement.client)],
            _("The entrusted evaluation agreement between %(evaluator)s and %(client)s is approved")
            % _parties(agreement),
        )
    ]


@announces(AGREEMENT, "return", topic=Topic.AGREEMENT, url=_agreement_url)
def agreement_returned(agreement, event) -> list[Notice]:
    told = who.operators(agreement.evaluator)
    # Returned by a bureau, the client who confirmed it hears of it too; returned by the client
    # itself (even after confirming an earlier version), its own operators are not told.
    if event.from_status == AgreementStatus.AWAITING_BUREAUS:
        told += who.operators(agreement.client)
    return [
        Notice(
            told,
            _("The agreement between %(evaluator)s and %(client)s was returned")
            % _parties(agreement),
            event.note,
        )
    ]


@announces(AGREEMENT, "withdraw", topic=Topic.AGREEMENT, url=_agreement_url)
def agreement_withdrawn(agreement, event) -> list[Notice]:
    return [
        Notice(
            who.operators(agreement.client),
            _("%(evaluator)s withdrew the entrusted evaluation agreement") % _parties(agreement),
        )
    ]
