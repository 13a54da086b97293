"""Personal data on the way out (PIPL): no caching, masked logs, audited reveals.

ID numbers are shown masked (portal.core.masking.mask_id) on every page, export, e-mail and log
line. The full number is shown only

- on the holder's own certificate (the PDF prints it, R-K3);
- by the deliberate action "显示完整证件号": a form asking for the purpose, answered for one
  person with ``Cache-Control: no-store`` and written to the person's history (AuditEvent
  ``id_number_revealed``, actor and purpose);
- in a full-number export, a deliberate action of the same kind (``id_numbers_exported``).

Who may do either, decided here once (views call ``may_see_full_ids``):

- the enterprise operator, for its own examinees, examiners and certificates: it registers
  them and answers to them;
- the district and city reviewers who see the object: a roster once its plan is submitted
  (drafts stay with the enterprise, R-P2), the examiner register and the certificates of the
  enterprises of their district or city: they review the rosters and revoke examiners (R-C3)
  and certificates;
- the certificate report for the provincial system in full (R-K4): the enterprise, which
  uploads it.

Experts, quality supervisors and the public never see a full number.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_record, register_labels
from portal.core.masking import mask_id
from portal.core.models import Role
from portal.core.roles import membership_of

REVEAL_ROLES = (Role.ENTERPRISE, Role.DISTRICT, Role.CITY, Role.PROVINCE)

# Public pages (no login) that show or take personal data: the verification answers, the
# holder's download, the complaint form, its tracking and its e-mail confirmation, the
# registration form.
PUBLIC_PERSONAL_PAGES = frozenset(
    {
        "certificate_verify",
        "certificate_qr",
        "certificate_holder_download",
        "api_certificate_verify",
        "complaint_create",
        "complaint_received",
        "complaint_track",
        "complaint_confirm_email",
        "enterprise_register",
    }
)


# Cache-Control -----------------------------------------------------------------------------


def _shows_personal_data(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True  # every page of a logged-in user carries at least their own name
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name in PUBLIC_PERSONAL_PAGES


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in user and on the public pages
    with personal data: no browser, proxy or shared computer keeps a copy."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", "") and _shows_personal_data(request):
            add_never_cache_headers(response)
        return response


# The audited reveal and full-number exports ----------------------------------------------


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=gettext_lazy("purpose"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Why the full number is needed, e.g. “checking the roster against the ID card”. "
            "It is recorded with your name."
        ),
        error_messages={
            "required": gettext_lazy(
                "Purpose: say why the full ID number is needed; it is recorded (PIPL)."
            ),
            "max_length": gettext_lazy("Purpose: at most %(limit_value)d characters."),
        },
    )

    def clean_purpose(self) -> str:
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if len(purpose) < 2:
            raise forms.ValidationError(
                _("Purpose: say why the full ID number is needed; it is recorded (PIPL).")
            )
        return purpose


def may_see_full_ids(user) -> bool:
    """The roles that may ask for a full number at all; the object's own gate scopes it."""
    membership = membership_of(user)
    return membership is not None and membership.role in REVEAL_ROLES


def id_number_reveal(*, person, actor, purpose: str) -> str:
    """The full ID number of one person (a roster entry, an examiner, a certificate holder),
    written to the person's history with the actor and the purpose."""
    audit_record(obj=person, actor=actor, action="id_number_revealed", note=purpose)
    return person.id_number


def id_numbers_export_record(*, obj, actor, purpose: str, what: str) -> None:
    """A full-number export of `obj` (a plan's roster, a certificate report), recorded."""
    audit_record(
        obj=obj,
        actor=actor,
        action="id_numbers_exported",
        note=f"{what}: {purpose}",
    )


def no_store(response: HttpResponse) -> HttpResponse:
    if "no-store" not in response.get("Cache-Control", ""):
        add_never_cache_headers(response)
    return response


def reveal_page(
    request: HttpRequest, *, person, name: str, back_url: str, context: str = ""
) -> HttpResponse:
    """GET: the form asking for the purpose; POST: the full number, recorded. The caller has
    passed the object's access gate and ``may_see_full_ids``."""
    form = PurposeForm(request.POST or None)
    number = None
    if request.method == "POST" and form.is_valid():
        number = id_number_reveal(
            person=person, actor=request.user, purpose=form.cleaned_data["purpose"]
        )
        form = PurposeForm()
    response = render(
        request,
        "core/id_reveal.html",
        {
            "form": form,
            "name": name,
            "context": context,
            "masked": mask_id(person.id_number),
            "number": number,
            "back_url": back_url,
        },
    )
    return no_store(response)


def full_export_page(
    request: HttpRequest, *, obj, title: str, what: str, back_url: str, make_file
) -> HttpResponse:
    """GET: the form asking for the purpose of a full-number export; POST: the file, recorded.
    `make_file()` returns the HttpResponse carrying the file."""
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        id_numbers_export_record(
            obj=obj, actor=request.user, purpose=form.cleaned_data["purpose"], what=what
        )
        return no_store(make_file())
    response = render(
        request,
        "core/id_export.html",
        {"form": form, "title": title, "back_url": back_url},
    )
    return no_store(response)


def register_privacy_labels() -> None:
    register_labels(
        actions={
            "id_number_revealed": gettext_lazy("full ID number shown"),
            "id_numbers_exported": gettext_lazy("exported with full ID numbers"),
        }
    )


register_privacy_labels()
