"""Seed 001 §六(二): the public directory publishes, per enterprise, the occupations and levels
whose evaluation scheme is approved; it lists an enterprise once, whatever its filings, and
shows the kind of institution (R-M7)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import InstitutionKind
from tests.assessments.factories import approved_scheme
from tests.support.factories import EnterpriseFactory

URL = "/directory/"


def cell(page: str, label: str) -> list[str]:
    """The texts of the directory cells labelled `label`, in row order."""
    marker = f'data-label="{label}">'
    return [part.split("</td>", 1)[0] for part in page.split(marker)[1:]]


def test_seed001_s6_2_the_directory_lists_the_occupations_with_an_approved_scheme(
    client, ent_a, ent_b
):
    approved_scheme(ent_a, levels=(5, 4, 3))
    # A second filing of A, for 电工: its scheme is still under review.
    draft = approved_scheme(ent_a, code="6-31-01-03", name="电工", levels=(4,))
    draft.status = "submitted"
    draft.save(update_fields=["status"])
    page = client.get(URL).text
    label = _("Approved evaluation schemes")
    schemes = cell(page, label)
    assert len(schemes) == 1  # A once, with both filings; B has no valid filing
    assert "6-18-01-01 车工：五级至三级" in schemes[0]
    assert "电工" not in schemes[0]
    filed = cell(page, _("Occupations, work types and levels"))[0]
    assert "6-18-01-01 车工" in filed and "6-31-01-03 电工" in filed


def test_seed001_s6_2_a_scheme_on_an_expired_filing_is_not_published(client, ent_a):
    scheme = approved_scheme(ent_a)
    approved_scheme(ent_a, code="6-31-01-03", name="电工", levels=(5, 4))
    filing = scheme.scope_line.filing
    filing.valid_until = timezone.localdate() - dt.timedelta(days=1)
    filing.save(update_fields=["valid_until"])
    [schemes] = cell(client.get(URL).text, _("Approved evaluation schemes"))
    assert "6-31-01-03 电工：五级、四级" in schemes and "车工" not in schemes


def test_seed003_s2_the_directory_shows_the_kind_of_institution(client, world, ent_a):
    org = EnterpriseFactory(
        name="佛山市顺德区智能制造职业培训学校",
        district=world["shunde"],
        kind=InstitutionKind.SOCIAL_TRAINING_ORG,
    )
    approved_scheme(org, code="6-31-01-03", name="电工")
    approved_scheme(ent_a)
    names = cell(client.get(URL).text, _("Enterprise"))
    assert len(names) == 2
    org_cell = next(name for name in names if org.name in name)
    assert str(InstitutionKind.SOCIAL_TRAINING_ORG.label) in org_cell
    other = next(name for name in names if ent_a.name in name)
    assert str(InstitutionKind.ENTERPRISE.label) in other
