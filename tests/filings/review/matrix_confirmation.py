"""Access-matrix rows and objects of the filing confirmation (seed 002 §四, §六(三); merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles)."""

import datetime as dt

from tests.support.factories import EnterpriseFactory, FilingFactory

ROWS: dict = {
    # Only the reviewing bureau's officers reach it (the proposer is refused by the service).
    "filing_confirm": ("confirmation_filing", None, {"carl", "cora"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    proposal = FilingFactory(
        enterprise=EnterpriseFactory(district=world["nanshan"]),
        status="confirmation",
        received_on=dt.date(2026, 11, 2),
        due_on=dt.date(2026, 11, 30),
        skip_onsite=True,
        proposed_decision="approve",
        proposal_note="经评估，同意备案。",
        proposed_by=people["carl"],
    )
    return {"confirmation_filing": {"pk": proposal.pk}}
