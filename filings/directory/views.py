"""The public directory of filed enterprises (R-M5), on a page and as a spreadsheet."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from filings.directory.forms import DirectorySearchForm
from filings.directory.selectors import directory_enterprises, directory_filings
from filings.directory.spreadsheets import directory_xlsx
from filings.levels import level_range_display
from filings.models import Filing, FilingScopeLine
from portal.core import extensions
from portal.core.models import Bureau, BureauLevel
from portal.core.xlsx import xlsx_response

DIRECTORY_PAGE_SIZE = 50


def _directory_districts(entries: QuerySet[Filing]) -> list[Bureau]:
    """Only districts that have entries in the directory are offered, and only their cities and
    provinces (one query)."""
    return list(
        Bureau.objects.filter(
            level=BureauLevel.DISTRICT,
            pk__in=entries.order_by().values("enterprise__district_id"),
        )
        .select_related("parent__parent")
        .order_by("parent__code", "code")
    )


def _search(entries: QuerySet[Filing], criteria: dict) -> QuerySet[Filing]:
    if criteria.get("name"):
        entries = entries.filter(enterprise__name__icontains=criteria["name"])
    if criteria.get("occupation"):
        term = criteria["occupation"]
        lines = FilingScopeLine.objects.filter(filing=OuterRef("pk")).filter(
            Q(occupation__code__icontains=term)
            | Q(occupation__name__icontains=term)
            | Q(work_type__name__icontains=term)
        )
        entries = entries.filter(Exists(lines))
    if criteria.get("province"):
        # A municipality (北京市) is its own province: its districts sit right under it.
        province = criteria["province"]
        entries = entries.filter(
            Q(enterprise__district__parent__parent=province)
            | Q(enterprise__district__parent=province)
        )
    if criteria.get("city"):
        entries = entries.filter(enterprise__district__parent=criteria["city"])
    if criteria.get("district"):
        entries = entries.filter(enterprise__district=criteria["district"])
    return entries


def query_site_of(form: DirectorySearchForm) -> tuple[str, str] | None:
    """The provincial query site of the place the directory is narrowed to, if any (the footer
    shows it beside the national ones); none for the whole country."""
    data = getattr(form, "cleaned_data", {})
    place = data.get("district") or data.get("city") or data.get("province")
    return place.query_site if place is not None else None


def _directory(request: HttpRequest) -> tuple[DirectorySearchForm, QuerySet[Filing]]:
    """The directory filtered by the GET criteria; fields that do not validate are ignored."""
    entries = directory_filings(today=timezone.localdate())
    form = DirectorySearchForm(request.GET or None, districts=_directory_districts(entries))
    criteria = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data then holds the fields that validated
        criteria = form.cleaned_data
    lines = FilingScopeLine.objects.select_related("occupation", "work_type").order_by("id")
    entries = _search(entries, criteria).prefetch_related(Prefetch("scope_lines", queryset=lines))
    return form, entries


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """R-M5: public, no login: name, address, contact, occupations and level ranges, one row
    per enterprise whatever the number of its filings."""
    form, entries = _directory(request)
    enterprises = directory_enterprises(entries)
    page = Paginator(enterprises, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    schemes = extensions.lines_by_pk(extensions.DIRECTORY_SCHEMES, page.object_list)
    for enterprise in page.object_list:
        enterprise.approved_schemes = schemes.get(enterprise.pk, [])
        for filing in enterprise.directory_filings:
            filing.directory_lines = [
                (line, level_range_display(line.levels)) for line in filing.scope_lines.all()
            ]
    return render(
        request,
        "filings/directory.html",
        {"form": form, "page": page, "query_site": query_site_of(form)},
    )


@require_GET
def directory_export(request: HttpRequest) -> HttpResponse:
    """The same filtered entries as the page, one row per filed occupation and work type."""
    _form, entries = _directory(request)
    entries = entries.select_related("enterprise__district__parent").order_by(
        "enterprise__name", "pk"
    )
    content = directory_xlsx(entries.iterator(chunk_size=500))
    filename = _("Directory of filed enterprises %(date)s.xlsx") % {
        "date": timezone.localdate().isoformat()
    }
    return xlsx_response(content, filename=filename)
