"""Access-matrix rows of the entrusted evaluation agreements (seed 004 §一(二)), merged by
tests/test_access_matrix.py. ROWS: url name → (object key, GET roles, POST roles).

Each side's enterprise evaluates under a draft and under an agreement awaiting its city's
approval, both with a client of its district that has no persona; and it is the client of an
agreement another enterprise of its district sent it for confirmation. Drafts stay with the
evaluating enterprise; the rest is read by both parties and the bureaus above them, and decided
by the city they are filed with (深圳 for A: carl and cora; the province reads, never decides).
"""

from assessments.models import AgreementStatus
from tests.assessments.agreements.factories import add_document, agreement_for
from tests.assessments.factories import approved_scheme
from tests.support.factories import EnterpriseFactory

ROLES = [
    "alice", "bob", "dora", "fred", "carl", "cora", "olga", "otto",
    "erin", "xena", "sam", "sid", "gina", "shan", "sina",
]  # fmt: skip
OFFICES = set(ROLES) - {"erin", "xena", "sam", "sid"}
READERS = {"alice", "dora", "carl", "cora", "gina"}
DECIDERS = {"carl", "cora"}

ROWS: dict = {
    "agreement_list": (None, OFFICES, None),
    "agreement_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "entrusted_results": (None, {"alice", "bob"}, None),
    "agreement_detail": ("bureau_agreement", READERS, None),
    "agreement_edit": ("draft_agreement", {"alice"}, {"alice"}),
    "agreement_document_upload": ("draft_agreement", {"alice"}, {"alice"}),
    "agreement_document_download": ("bureau_agreement_document", READERS, None),
    "agreement_submit": ("draft_agreement", None, {"alice"}),
    "agreement_withdraw": ("draft_agreement", {"alice"}, {"alice"}),
    "agreement_confirm": ("client_agreement", None, {"alice"}),
    "agreement_approve": ("bureau_agreement", None, DECIDERS),
    "agreement_return": ("bureau_agreement", None, DECIDERS),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    scheme = approved_scheme(enterprise)
    neighbour = EnterpriseFactory(district=enterprise.district)
    draft = agreement_for(
        enterprise,
        neighbour,
        scheme=scheme,
        status=AgreementStatus.DRAFT,
        uploaded_by=people["alice"],
    )
    bureau = agreement_for(
        enterprise, neighbour, scheme=scheme, status=AgreementStatus.AWAITING_BUREAUS
    )
    bureau.evaluator_bureau = bureau.client_bureau = enterprise.routed_bureau
    bureau.save()
    document = add_document(bureau, people["alice"])
    sender = EnterpriseFactory(district=enterprise.district)
    client_side = agreement_for(
        sender, enterprise, scheme=approved_scheme(sender), status=AgreementStatus.AWAITING_CLIENT
    )
    return {
        "draft_agreement": {"pk": draft.pk},
        "bureau_agreement": {"pk": bureau.pk},
        "bureau_agreement_document": {"pk": bureau.pk, "document_id": document.pk},
        "client_agreement": {"pk": client_side.pk},
    }
