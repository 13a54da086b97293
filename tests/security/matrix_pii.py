"""Access-matrix rows of the area 'pii' (merged by tests/test_access_matrix.py). ROWS: url name
→ (object key, GET roles, POST roles).

"显示完整证件号" and the full-number exports (portal.core.privacy): the enterprise for its own
people, the district, city and provincial reviewers who see them (a roster once its plan is
submitted); the full certificate report for the provincial system is the enterprise's alone. GET
shows the form asking for the purpose; POST shows the number or sends the file
(tests/core/test_pii_reveal.py)."""

from tests.assessments.factories import PlanFactory, RosterEntryFactory

A_REVIEWERS = {"dora", "carl", "cora", "gina"}
A_AND_REVIEWERS = {"alice"} | A_REVIEWERS

ROWS: dict = {
    "roster_entry_id_number": ("pii_roster_entry", A_AND_REVIEWERS, A_AND_REVIEWERS),
    "roster_export_full": ("pii_plan", A_AND_REVIEWERS, A_AND_REVIEWERS),
    "roster_job_report_full": ("roster_job", {"alice"}, {"alice"}),
    "examiner_id_number": ("examiner", A_AND_REVIEWERS, A_AND_REVIEWERS),
    "certificate_id_number": ("certificate", A_AND_REVIEWERS, A_AND_REVIEWERS),
    "certificate_report_download_full": ("report", {"alice"}, {"alice"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    plan = PlanFactory(enterprise=enterprise, status="submitted")
    entry = RosterEntryFactory(plan=plan)
    return {
        "pii_plan": {"pk": plan.pk},
        "pii_roster_entry": {"pk": plan.pk, "entry_id": entry.pk},
    }
