"""The public side of the random draws (R-M1 一公开), no login: the published draws, their
targets and, once an inspection is closed, its result; every recorded input of a draw as JSON,
so anyone can run the published algorithm again and check the list. Unpublished draws are 404.

Nothing personal is shown: supervisors' names are masked and their accounts appear only as
opaque numbers in the inputs.
"""

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from assessments.models import AssessmentSession
from filings.models import Enterprise
from portal.core.masking import mask_name
from supervision.draws import selectors
from supervision.draws.algorithm import UNINSPECTED_BOOST
from supervision.models import Draw, DrawKind, InspectionStatus

PAGE_SIZE = 30

# The whole algorithm of supervision/draws/algorithm.py (draw_run), for anyone to run on the
# published inputs (Python 3, standard library only). Kept in step with draw_run by a test.
REPLAY_SCRIPT = """\
import hashlib, json, random, sys

inputs = json.load(open(sys.argv[1], encoding="utf-8"))
seed = int.from_bytes(hashlib.sha256(inputs["seed"].encode()).digest(), "big")
rng = random.Random(seed)
keyed = [(rng.random() ** (1.0 / float(w)), t) for t, w in inputs["candidates"]]
order = [t for _k, t in sorted(keyed, key=lambda k: (-k[0], k[1]))]
load = {u: 0 for u in inputs["pool"]}
picks, skipped = [], []
for target in order:
    if len(picks) == inputs["target_count"]:
        break
    barred = set(inputs["conflicts"].get(str(target), []))
    free = [u for u in inputs["pool"] if u not in barred]
    tie = {u: rng.random() for u in free}
    free.sort(key=lambda u: (load[u], tie[u]))
    if len(free) < inputs["supervisors_per_target"]:
        skipped.append(target)
        continue
    chosen = sorted(free[: inputs["supervisors_per_target"]])
    for u in chosen:
        load[u] += 1
    picks.append([target, chosen])
print(json.dumps({"result": picks, "skipped": skipped}))
"""


@require_safe
def public_draw_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_draws(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/public_draw_list.html", {"page": page})


@require_safe
def public_draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.published_draw(pk)
    inspections = selectors.draw_inspections(draw)
    for inspection in inspections:
        inspection.masked_names = [
            mask_name(_person(a.supervisor)) for a in inspection.assignments.all()
        ]
        inspection.is_closed = inspection.status == InspectionStatus.CLOSED
    return render(
        request,
        "supervision/public_draw_detail.html",
        {
            "draw": draw,
            "inspections": inspections,
            "script": REPLAY_SCRIPT,
            "boost_factor": UNINSPECTED_BOOST,
            "max_weight": 1 + UNINSPECTED_BOOST,
        },
    )


@require_safe
def draw_public_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.published_draw(pk)
    body = json.dumps(public_inputs(draw), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"draw-{draw.pk}-inputs.json"
    )
    return response


def public_inputs(draw: Draw) -> dict:
    """Every recorded input of the draw and its published result, as the replay script reads
    them; candidates are named so anyone can check who could have been drawn."""
    inspections = selectors.draw_inspections(draw)
    sessions = draw.kind == DrawKind.SESSIONS
    return {
        "title": draw.title,
        "city": draw.city.area_name,
        "district": draw.district.area_name if draw.district_id else None,
        "published_on": draw.published_on.isoformat(),
        "algorithm": draw.algorithm,
        "kind": draw.kind,
        "seed": draw.seed,
        "candidates": draw.candidates,
        "candidate_names": _candidate_names(draw),
        "pool": draw.pool,
        "conflicts": draw.conflicts,
        "target_count": draw.target_count,
        "supervisors_per_target": draw.supervisors_per_target,
        "result": [
            [
                inspection.session_id if sessions else inspection.enterprise_id,
                sorted(a.supervisor_id for a in inspection.assignments.all()),
            ]
            for inspection in inspections
        ],
        "skipped": draw.skipped,
    }


def _candidate_names(draw: Draw) -> dict[str, str]:
    ids = [int(target_id) for target_id, _weight in draw.candidates]
    if draw.kind == DrawKind.SESSIONS:
        sessions = AssessmentSession.objects.filter(pk__in=ids).select_related("plan__enterprise")
        return {str(s.pk): f"{s.plan.enterprise.name} {s.date:%Y-%m-%d}" for s in sessions}
    names = Enterprise.objects.filter(pk__in=ids).values_list("pk", "name")
    return {str(pk): name for pk, name in names}


def _person(user) -> str:
    membership = getattr(user, "membership", None)
    return (membership.full_name if membership else "") or user.get_username()
