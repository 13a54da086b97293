"""The rows of the certificate list, built in Python as Django's admin builds its change list
(format_html escapes every value), so that a page of twenty rows costs about what a page of
ten does (filings.filings.list_rows does the same for filings). The columns are
certificates/certificate_list.html's header; a row reads only CERTIFICATE_LIST_FIELDS."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments.rosters.reader.format import level_text
from certificates.models import CertificateStatus
from certificates.records.labels import STATUS_LABELS
from portal.core.masking import mask_id

# What a row reads, with select_related("enterprise").
CERTIFICATE_LIST_FIELDS = (
    "number",
    "enterprise_id",
    "holder_name",
    "id_number",
    "occupation_name",
    "work_type_name",
    "level",
    "enterprise_level",
    "issued_on",
    "status",
    "enterprise__name",
)


def certificate_rows(certificates, *, with_enterprise: bool) -> list[SafeString]:
    rows = []
    for c in certificates:
        occupation = c.occupation_name
        if c.work_type_name:
            occupation = format_html("{}（{}）", occupation, c.work_type_name)
        rows.append(
            format_html(
                '<tr><td><a href="{}"><code>{}</code></a></td><td>{}</td><td>{}</td><td>{}</td>'
                '<td>{}</td><td>{}</td>{}<td><span class="badge {}">{}</span></td></tr>',
                reverse("certificate_detail", args=[c.pk]),
                c.number,
                c.holder_name,
                mask_id(c.id_number),
                occupation,
                level_text(c.level, c.enterprise_level),
                f"{c.issued_on:%Y-%m-%d}",
                format_html("<td>{}</td>", c.enterprise.name) if with_enterprise else "",
                "approved" if c.status == CertificateStatus.VALID else "rejected",
                STATUS_LABELS.get(c.status, c.status),
            )
        )
    return rows
