"""Helpers of the routing and confirmation tests; their world (山东省 → 泰安市 → 泰山区, 北京市 →
朝阳区) is in conftest.py."""

from filings.filings import services as filing_services
from filings.models import Filing
from tests.support.factories import EnterpriseFactory, complete_filing, make_member


def enterprise_draft(district, level: str = "district", **enterprise_fields):
    """A complete draft of a new enterprise of `district` administered at `level`, and its
    operator."""
    enterprise = EnterpriseFactory(
        district=district, administration_level=level, **enterprise_fields
    )
    operator = make_member(f"op-{enterprise.pk}", "enterprise", enterprise=enterprise)
    return complete_filing(enterprise, uploaded_by=operator), operator


def submitted(district, level: str = "district", **enterprise_fields) -> Filing:
    draft, operator = enterprise_draft(district, level, **enterprise_fields)
    filing_services.filing_submit(filing=draft, actor=operator)
    return Filing.objects.get(pk=draft.pk)


def fresh(filing: Filing) -> Filing:
    return Filing.objects.get(pk=filing.pk)
