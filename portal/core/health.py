"""The smallest JSON answer the portal gives: the baseline of `make bench`'s `verify_rps`.

It passes through the same middleware as every page but touches neither the database nor the
cache, so the difference between its throughput and the verification API's is the cost of the
API's own work (rate limit, one query, masking, JSON).
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
