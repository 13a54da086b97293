"""Access-matrix rows of a scheme's application conditions (seed 004 §三(一)(二); merged by
tests/test_access_matrix.py): the enterprise edits them while its scheme is a draft."""

from assessments.models import ApplicationRoute
from tests.assessments.schemes.factories import complete_scheme

ROWS: dict = {
    "scheme_route_add": ("draft_scheme_with_route", {"alice"}, {"alice"}),
    "scheme_route_edit": ("draft_scheme_route", {"alice"}, {"alice"}),
    "scheme_route_delete": ("draft_scheme_route", {"alice"}, {"alice"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    draft = complete_scheme(enterprise)
    route = ApplicationRoute.objects.create(scheme=draft, level=4, min_years_in_occupation=6)
    return {
        "draft_scheme_with_route": {"pk": draft.pk},
        "draft_scheme_route": {"pk": draft.pk, "route_id": route.pk},
    }
