"""How a refused action reaches the user: the refusal, then each rule with its reason."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.core.errors import ServiceError


def report_refusal(request: HttpRequest, error: ServiceError, *, limit: int | None = None) -> None:
    messages.error(request, error.message)
    shown = error.problems if limit is None else error.problems[:limit]
    for problem in shown:
        messages.error(request, str(problem))
    if len(error.problems) > len(shown):
        messages.error(
            request,
            _("… and %(count)s more problems.") % {"count": len(error.problems) - len(shown)},
        )
