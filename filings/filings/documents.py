"""The filing application form (企业技能人才自主评价备案申请表, seed 004 附件1): data in, PDF
bytes out, laid out as the attachment: the cover, the basic information, the three described
sections, the applicant's pledge, and the occupations and levels applied for (附件2 附表)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import EnterpriseNature, Filing
from portal.core.pdf import render_pdf

# Seed 004 附件1, 申请单位承诺.
PLEDGE_TEXT = gettext_lazy(
    "The legal representative of the applicant answers for the truth and validity of what is "
    "filled in and of the materials provided."
)


def application_form_pdf(filing: Filing) -> bytes:
    enterprise = filing.enterprise
    lines = filing.scope_lines.select_related("occupation", "work_type").order_by("id")
    natures = [(label, value == enterprise.nature) for value, label in EnterpriseNature.choices]
    context = {
        "filing": filing,
        "enterprise": enterprise,
        "natures": natures,
        "lines": list(lines),
        "filled_on": timezone.localtime(filing.submitted_at).date()
        if filing.submitted_at
        else None,
        "pledge_text": PLEDGE_TEXT,
        "pledged_on": timezone.localtime(filing.pledged_at).date() if filing.pledged_at else None,
    }
    return render_pdf("pdf/filing_application.html", context)


def application_form_filename(filing: Filing) -> str:
    return _("Filing application form %(name)s.pdf") % {"name": filing.enterprise.name}
