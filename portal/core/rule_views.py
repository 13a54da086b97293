"""The source of a rule, for the people who apply it: bureau reviewers, experts and quality
supervisors open it from the 依据 link next to a problem. Enterprises and the public get a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.core.models import Role
from portal.core.roles import membership_of
from portal.core.rule_sources import NOTICES, rule_source

REVIEWER_ROLES = {Role.DISTRICT, Role.CITY, Role.PROVINCE, Role.EXPERT, Role.SUPERVISOR}


def is_reviewer(user) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.role in REVIEWER_ROLES)


@login_required
@require_GET
def rule_source_page(request: HttpRequest, rule: str) -> HttpResponse:
    source = rule_source(rule)
    if source is None or not is_reviewer(request.user):
        raise Http404
    passages = [(NOTICES[passage.notice], passage) for passage in source.passages]
    return render(request, "core/rule_source.html", {"source": source, "passages": passages})
