"""{% basis problem.rule %}: a small 依据 link to the source of a rule, shown only to the
people who apply the rules (bureau reviewers, experts, quality supervisors)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.core.rule_sources import rule_source
from portal.core.rule_views import is_reviewer

register = template.Library()


# What a page shows that a rule sets, named in templates by what it is (templates carry no rule
# ids): {% basis "review_clock" %}.
SUBJECTS = {
    "review_clock": "R-F6",
    "correction_clock": "R-F7",
    "plan_lead_time": "R-P2",
    "result_filing_due": "R-R1",
}


@register.simple_tag(takes_context=True)
def basis(context, rule: str) -> str:
    """`rule` is a rule id (from a problem's data) or one of SUBJECTS."""
    rule = SUBJECTS.get(rule, rule)
    request = context.get("request")
    if not rule or request is None or rule_source(rule) is None or not is_reviewer(request.user):
        return ""
    return format_html(
        ' <a class="basis" href="{}" title="{}">{}</a>',
        reverse("rule_source", args=[rule]),
        rule_source(rule).title,
        _("Basis"),
    )


@register.filter
def rule_title(value: str) -> str:
    """A rule id recorded as data (an inspection finding's rule) read as its plain title."""
    source = rule_source(str(value).strip()) if value else None
    return str(source.title) if source else value
