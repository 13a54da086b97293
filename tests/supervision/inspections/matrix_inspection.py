"""Access-matrix rows and objects of the supervision area 'inspection' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles).

An inspection is seen by its assigned supervisor (sam, not sid), the city (carl, cora) and the
enterprise's district (dora); the enterprise (alice) only once it is reported (R-M1, R-C2)."""

import datetime as dt

from tests.supervision.factories import FindingAttachmentFactory, FindingFactory, inspection_of
from tests.supervision.personas import A_READERS, BUREAU_OF_A

SEES_ANY = {
    "alice", "bob", "dora", "fred", "carl", "cora", "olga", "otto", "sam", "sid", "gina", "shan",
}  # fmt: skip

ROWS: dict = {
    "inspection_list": (None, SEES_ANY, None),
    "inspection_detail": ("inspection_reported", A_READERS | {"sam", "alice"}, None),
    "inspection_record": ("inspection_planned", {"sam"}, {"sam"}),
    "finding_add": ("inspection_planned", {"sam"}, {"sam"}),
    "inspection_close": ("inspection_reported", BUREAU_OF_A, BUREAU_OF_A),
    "finding_answer": ("finding_open", {"alice"}, {"alice"}),
    "finding_close": ("finding_answered", BUREAU_OF_A, BUREAU_OF_A),
    "finding_return": ("finding_answered", BUREAU_OF_A, BUREAU_OF_A),
    "finding_attachment": ("finding_evidence", A_READERS | {"sam", "alice"}, None),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    sam, carl = people["sam"], people["carl"]
    planned = inspection_of(enterprise, supervisors=[sam], actor=carl)
    reported = inspection_of(enterprise, supervisors=[sam], actor=carl, draw=planned.draw)
    reported.status = "reported"
    reported.conclusion = "rectify"
    reported.visited_on = dt.date(2026, 10, 20)
    reported.save()
    open_finding = FindingFactory(inspection=reported, created_by=sam)
    answered = FindingFactory(
        inspection=reported, status="answered", response="已扩容存储", created_by=sam
    )
    evidence = FindingAttachmentFactory(finding=open_finding, uploaded_by=sam)
    return {
        "inspection_planned": {"pk": planned.pk},
        "inspection_reported": {"pk": reported.pk},
        "finding_open": {"pk": open_finding.pk},
        "finding_answered": {"pk": answered.pk},
        "finding_evidence": {"pk": evidence.pk},
    }
