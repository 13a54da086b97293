"""Public certificate pages (R-K5), no login: verification, the QR link, holder download, API.

Anyone may check a certificate by its number and the holder's name; what they learn is the
status and masked printed fields (certificates.verification). Every way in is rate limited per
client (portal.core.ratelimit) so the pages cannot be used to sweep the number space. Names are
sent by POST on the pages, so they stay out of URLs and access logs; the JSON API is GET for
machines, and stays cheap: no session, no template, one cache call when the answer is cached
(certificates.verification), else one query.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from certificates.models import Certificate, CertificateStatus, ReplacementKind
from certificates.printing.services import holder_pdf
from certificates.verification import openapi as openapi_document
from certificates.verification.file_check import verify_file
from certificates.verification.forms import (
    NAME_MAX_LENGTH,
    NUMBER_MAX_LENGTH,
    HolderDownloadForm,
    VerifyFileForm,
    VerifyForm,
    too_large_message,
)
from certificates.verification.lookup import (
    NOT_FOUND,
    Verification,
    holder_attempt,
    query_site_for,
    verify_counted,
    verify_json,
    verify_public_id,
)
from certificates.verification.tokens import public_id_from
from portal.core.ratelimit import Rate, hit

VERIFY_SCOPE = "verify"
VERIFY_FILE_SCOPE = "verify_file"
HOLDER_SCOPE = "holder"

# Rate limits -------------------------------------------------------------------------------


def _retry_after(request: HttpRequest, scope: str, rate: str) -> int:
    """Seconds the client must wait, or 0 when this request is within its limit."""
    verdict = hit(request, scope, Rate.parse(rate))
    return 0 if verdict.allowed else max(1, verdict.retry_after)


def _too_many_message(retry_after: int) -> str:
    return _(
        # R-K5
        "Too many queries from your network. Please try again in %(seconds)s seconds."
    ) % {"seconds": retry_after}


def _too_many(request: HttpRequest, template: str, context: dict, retry_after: int):
    context["notice"] = _too_many_message(retry_after)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# Pages --------------------------------------------------------------------------------------

VERIFY_TEMPLATE = "certificates/public_verify.html"
QR_TEMPLATE = "certificates/public_qr.html"
DOWNLOAD_TEMPLATE = "certificates/public_download.html"
VERIFY_FILE_TEMPLATE = "certificates/public_verify_file.html"


def _result_context(verification: Verification | None) -> dict:
    found = verification is not None and verification.result != NOT_FOUND
    return {
        "verification": verification,
        "query_url": settings.CERTIFICATE_QUERY_URL,
        "reissue": ReplacementKind.REISSUE.value,
        # The footer adds the issuer's provincial query site to the national ones.
        "query_site": query_site_for(verification.number) if found else None,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """R-K5: number and name in, status and masked printed fields out."""
    context = {"form": VerifyForm(), "query_url": settings.CERTIFICATE_QUERY_URL}
    if request.method != "POST":
        return render(request, VERIFY_TEMPLATE, context)
    context["form"] = form = VerifyForm(request.POST)
    if not form.is_valid():
        retry_after = _retry_after(request, VERIFY_SCOPE, settings.VERIFY_RATE_LIMIT)
        if retry_after:
            return _too_many(request, VERIFY_TEMPLATE, context, retry_after)
        return render(request, VERIFY_TEMPLATE, context)
    verdict, verification = verify_counted(
        request,
        form.cleaned_data["number"],
        form.cleaned_data["name"],
        scope=VERIFY_SCOPE,
        rate=Rate.parse(settings.VERIFY_RATE_LIMIT),
    )
    if verification is None:
        return _too_many(request, VERIFY_TEMPLATE, context, max(1, verdict.retry_after))
    context.update(_result_context(verification))
    return render(request, VERIFY_TEMPLATE, context)


@never_cache
@require_safe
def verify_qr(request: HttpRequest, token: str) -> HttpResponse:
    """R-K5: the link printed as a QR code; a forged or unknown token is one 404 answer."""
    retry_after = _retry_after(request, VERIFY_SCOPE, settings.VERIFY_RATE_LIMIT)
    if retry_after:
        return _too_many(request, QR_TEMPLATE, {}, retry_after)
    public_id = public_id_from(token)
    verification = verify_public_id(public_id) if public_id else None
    status = 404 if verification is None else 200
    return render(request, QR_TEMPLATE, _result_context(verification), status=status)


# Room for the multipart envelope around a file of the largest accepted size.
_MULTIPART_OVERHEAD = 64 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# csrf_exempt here, checked in _verify_file_checked: the CSRF check reads the request body, and
# a body over the limit is refused before anything reads it.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify_file_page(request: HttpRequest) -> HttpResponse:
    """Verify a file: an uploaded certificate PDF → intact or altered, who signed it, and the
    certificate's status in the register (certificates.verification.file_check)."""
    context = {"form": VerifyFileForm()}
    if request.method != "POST":
        return render(request, VERIFY_FILE_TEMPLATE, context)
    retry_after = _retry_after(request, VERIFY_FILE_SCOPE, settings.VERIFY_FILE_RATE_LIMIT)
    if retry_after:
        return _too_many(request, VERIFY_FILE_TEMPLATE, context, retry_after)
    if _content_length(request) > settings.VERIFY_FILE_MAX_BYTES + _MULTIPART_OVERHEAD:
        context["notice"] = too_large_message()
        return render(request, VERIFY_FILE_TEMPLATE, context, status=413)
    return _verify_file_checked(request, context)


@csrf_protect
def _verify_file_checked(request: HttpRequest, context: dict) -> HttpResponse:
    context["form"] = form = VerifyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, VERIFY_FILE_TEMPLATE, context)
    result = verify_file(form.cleaned_data["file"].read())
    context.update(_result_context(result.verification))
    context["result"] = result
    return render(request, VERIFY_FILE_TEMPLATE, context)


def _no_longer_valid(certificate: Certificate) -> str:
    if certificate.status == CertificateStatus.REVOKED:
        return _(
            "Certificate %(number)s was revoked on %(day)s (reason: %(reason)s). A revoked "
            "certificate cannot be downloaded."
        ) % {
            "number": certificate.number,
            "day": certificate.revoked_on.isoformat() if certificate.revoked_on else "",
            "reason": certificate.revoked_reason,
        }
    new = Certificate.objects.filter(replaces=certificate).only("number", "issued_on").first()
    values = {
        "number": certificate.number,
        "new": new.number if new else "",
        "day": new.issued_on.isoformat() if new else "",
    }
    if new and new.replacement_kind == ReplacementKind.REISSUE:
        message = _(
            "Certificate %(number)s was replaced on %(day)s by a reissued certificate numbered "
            "%(new)s. Download the new certificate with its number."
        )
    else:
        message = _(
            "Certificate %(number)s was replaced on %(day)s by a corrected certificate numbered "
            "%(new)s. Download the new certificate with its number and the corrected details."
        )
    return message % values


def _paused_message(number: str, seconds: int) -> str:
    values = {"number": number, "hours": -(-seconds // 3600), "minutes": -(-seconds // 60)}
    if seconds > 3600:
        wait = _("in %(hours)s hours") % values
    else:
        wait = _("in %(minutes)s minutes") % values
    return _(
        "Too many failed download attempts for certificate %(number)s. To protect the holder, "
        "its download is paused; please try again %(wait)s. Check the certificate number, the "
        "name and the ID number against the certificate; if it still fails, ask the issuing "
        "enterprise for the certificate."
    ) % {"number": number, "wait": wait}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def holder_download(request: HttpRequest) -> HttpResponse:
    """R-K5: the holder downloads their own certificate with number, name and full ID number;
    failures are limited per address and per certificate (certificates.verification.lookup)."""
    if request.method != "POST":
        return render(request, DOWNLOAD_TEMPLATE, {"form": HolderDownloadForm()})
    form = HolderDownloadForm(request.POST)
    retry_after = _retry_after(request, HOLDER_SCOPE, settings.HOLDER_DOWNLOAD_RATE_LIMIT)
    if retry_after:
        return _too_many(request, DOWNLOAD_TEMPLATE, {"form": form}, retry_after)
    if not form.is_valid():
        return render(request, DOWNLOAD_TEMPLATE, {"form": form})
    data = form.cleaned_data
    attempt = holder_attempt(number=data["number"], name=data["name"], id_number=data["id_number"])
    if attempt.paused_for:
        context = {"form": form, "notice": _paused_message(attempt.number, attempt.paused_for)}
        response = render(request, DOWNLOAD_TEMPLATE, context, status=429)
        response["Retry-After"] = str(attempt.paused_for)
        return response
    certificate = attempt.certificate
    if certificate is None:
        # One answer for every mismatch, so the form reveals nothing about whose number it is.
        notice = _(
            "The details do not match a certificate. Check the certificate number, the name "
            "and the ID number against the certificate."
        )
        return render(request, DOWNLOAD_TEMPLATE, {"form": form, "notice": notice})
    if certificate.status != CertificateStatus.VALID:
        notice = _no_longer_valid(certificate)
        return render(request, DOWNLOAD_TEMPLATE, {"form": form, "notice": notice})
    response = HttpResponse(holder_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.number}.pdf")
    response["Cache-Control"] = "no-store"
    return response


# JSON API -----------------------------------------------------------------------------------

_API_HEADERS = {"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}


def _json(data: dict, status: int = 200, **headers: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        content_type="application/json",
        status=status,
        headers={**_API_HEADERS, **headers},
    )


def _parameter_problem(number: str, name: str) -> tuple[str, str] | None:
    # PostgreSQL cannot compare text holding NUL: refused here, not as a server error.
    if "\x00" in number:
        return "number", _("Certificate number: contains a NUL character, which is not allowed.")
    if "\x00" in name:
        return "name", _("Holder's name: contains a NUL character, which is not allowed.")
    if not number:
        # R-K5
        return "number", _("Certificate number: give the number parameter.")
    if len(number) > NUMBER_MAX_LENGTH:
        # R-K5
        return "number", _("Certificate number: at most %(limit)d characters.") % {
            "limit": NUMBER_MAX_LENGTH
        }
    if not name:
        return "name", _(
            # R-K5
            "Holder's name: give the name parameter, the name as printed on the certificate."
        )
    if len(name) > NAME_MAX_LENGTH:
        # R-K5
        return "name", _("Holder's name: at most %(limit)d characters.") % {
            "limit": NAME_MAX_LENGTH
        }
    return None


# csrf_exempt: the API only reads and uses no session, so there is nothing to forge; a write
# method must answer 405 (the document says so), not CSRF's 403.
@csrf_exempt
def api_verify(request: HttpRequest) -> HttpResponse:
    """R-K5 for machines: GET number and name → the verification as JSON
    (certificates.verification.openapi).

    Kept lean on purpose: no session, no template; one Redis call for a cached answer.
    """
    if request.method != "GET":
        return _json({"error": _("Only GET is offered.")}, status=405, Allow="GET")
    number = request.GET.get("number", "").strip()
    name = request.GET.get("name", "").strip()
    problem = _parameter_problem(number, name)
    if problem:
        retry_after = _retry_after(request, VERIFY_SCOPE, settings.VERIFY_RATE_LIMIT)
        if retry_after:
            return _json_too_many(retry_after)
        field, message = problem
        return _json({"error": message, "field": field}, status=400)
    verdict, body = verify_json(
        request, number, name, scope=VERIFY_SCOPE, rate=Rate.parse(settings.VERIFY_RATE_LIMIT)
    )
    if body is None:
        return _json_too_many(max(1, verdict.retry_after))
    return HttpResponse(body, content_type="application/json", headers=_API_HEADERS)


def _json_too_many(retry_after: int) -> HttpResponse:
    body = {"error": _too_many_message(retry_after), "retry_after": retry_after}
    return _json(body, status=429, **{"Retry-After": str(retry_after)})


@csrf_exempt
@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of the JSON API."""
    document = openapi_document.document(server_url=settings.PORTAL_BASE_URL)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json",
        headers={"Access-Control-Allow-Origin": "*"},
    )


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API explained for people, with a curl example."""
    endpoint = settings.PORTAL_BASE_URL + reverse("api_certificate_verify")
    examples = openapi_document.response_examples()
    return render(
        request,
        "certificates/api_docs.html",
        {
            "endpoint": endpoint,
            "verify_url": reverse("certificate_verify"),
            "openapi_url": settings.PORTAL_BASE_URL + reverse("api_openapi"),
            "verify_rate": Rate.parse(settings.VERIFY_RATE_LIMIT),
            "examples": [
                (example["summary"], json.dumps(example["value"], ensure_ascii=False, indent=2))
                for example in examples.values()
            ],
        },
    )
