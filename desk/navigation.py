"""The navigation, one table: each entry names its label, URL, group and who sees it. Pages ask
this table (through the `navigation` context processor), never the role.

A group a user sees one entry of is shown as that entry; a group of several is a menu that opens
without JavaScript (<details>). The page the user is on, and its group, are marked
`aria-current`. Public links (no login needed) are kept apart from work links.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.models import Membership, Role
from portal.core.window_services import may_keep_windows
from supervision.draws.selectors import district_draws

ENTERPRISE, DISTRICT, CITY, PROVINCE = Role.ENTERPRISE, Role.DISTRICT, Role.CITY, Role.PROVINCE
EXPERT, SUPERVISOR = Role.EXPERT, Role.SUPERVISOR
# The provincial centre reads the lists of its cities (READING_ROLES, AREA_ROLES).
OFFICES = frozenset({ENTERPRISE, DISTRICT, CITY, PROVINCE})
BUREAUS = frozenset({DISTRICT, CITY, PROVINCE})


def _city_admin(membership: Membership) -> bool:
    return membership.is_city_admin


def _policy_admin(membership: Membership) -> bool:
    return membership.is_policy_admin


def _window_keeper(membership: Membership) -> bool:
    # A province or city administrator keeps windows; a district one only where delegated.
    if not membership.is_policy_admin:
        return False
    return not membership.is_district or may_keep_windows(membership.bureau)


def _draws_here(membership: Membership) -> bool:
    """The city's staff; a district's where the city delegates draws to it (seed 000 §五)."""
    if membership.role == CITY:
        return True
    return membership.role == DISTRICT and bool(district_draws(membership.bureau_id))


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    group: str
    roles: frozenset = frozenset()
    # A further condition on the membership (e.g. the city's administrators only).
    also: Callable[[Membership], bool] | None = None

    def shown_to(self, membership: Membership | None) -> bool:
        if membership is None or membership.role not in self.roles:
            return False
        return self.also is None or self.also(membership)


FILINGS = _("Filing review")
ASSESSMENT = _("Evaluation and recognition")
CERTIFICATES = _("Certificates")
SUPERVISION = _("Supervision")
SETTINGS = _("Settings")
PUBLIC = _("Public services")

GROUPS = [FILINGS, ASSESSMENT, CERTIFICATES, SUPERVISION, SETTINGS]

WORK = [
    Entry(_("Filings"), "filing_list", FILINGS, OFFICES | {EXPERT}),
    Entry(_("Enterprises"), "enterprise_list", FILINGS, BUREAUS),
    Entry(_("Evaluation schemes"), "scheme_list", ASSESSMENT, OFFICES | {EXPERT}),
    Entry(_("Examiners"), "examiner_list", ASSESSMENT, OFFICES),
    Entry(_("Implementation plans"), "plan_list", ASSESSMENT, OFFICES),
    Entry(_("Result filing"), "result_filing_list", ASSESSMENT, OFFICES | {PROVINCE}),
    Entry(_("Entrusted evaluation agreements"), "agreement_list", ASSESSMENT, OFFICES),
    Entry(
        _("Results of our staff evaluated by other enterprises"),
        "entrusted_results",
        ASSESSMENT,
        frozenset({ENTERPRISE}),
    ),
    Entry(_("Certificates"), "certificate_list", CERTIFICATES, OFFICES),
    Entry(_("Certificate numbering"), "numbering_prefix_list", CERTIFICATES, frozenset({CITY})),
    Entry(_("My inspections"), "inspection_list", SUPERVISION, frozenset({SUPERVISOR})),
    Entry(_("Inspections"), "inspection_list", SUPERVISION, OFFICES),
    Entry(_("Random draws"), "draw_list", SUPERVISION, BUREAUS, also=_draws_here),
    Entry(_("Supervisor pool"), "supervisor_pool", SUPERVISION, frozenset({CITY})),
    Entry(_("Inspection coverage"), "coverage_report", SUPERVISION, BUREAUS),
    Entry(_("Complaints"), "complaint_list", SUPERVISION, BUREAUS),
    Entry(_("Annual report"), "annual_report_mine", SUPERVISION, frozenset({ENTERPRISE})),
    Entry(_("Annual reports"), "annual_report_list", SUPERVISION, BUREAUS),
    Entry(_("Yearly evaluation"), "evaluation_list", SUPERVISION, frozenset({CITY})),
    Entry(_("Sanctions"), "sanction_list", SUPERVISION, BUREAUS | {PROVINCE}),
    Entry(
        _("Sanctions reported to the province"),
        "sanction_report_list",
        SUPERVISION,
        frozenset({PROVINCE}),
    ),
    Entry(_("Supervision statistics"), "stats_dashboard", SUPERVISION, BUREAUS),
    Entry(
        _("Policy settings"),
        "city_settings",
        SETTINGS,
        frozenset({DISTRICT, CITY, Role.PROVINCE}),
        also=_policy_admin,
    ),
    Entry(
        _("Application windows"),
        "window_list",
        SETTINGS,
        frozenset({Role.PROVINCE, CITY, DISTRICT}),
        also=_window_keeper,
    ),
    Entry(_("Audit trail"), "audit_trail", SETTINGS, frozenset({CITY}), also=_city_admin),
    Entry(
        _("Two-step login of the staff"),
        "staff_two_factor",
        SETTINGS,
        frozenset({CITY}),
        also=_city_admin,
    ),
]

PUBLIC_LINKS = [
    (_("Directory of filed enterprises"), "directory"),
    (_("Verify a certificate"), "certificate_verify"),
    (_("Random inspections"), "public_draw_list"),
    (_("Sanctioned institutions"), "public_sanction_list"),
    (_("File a complaint"), "complaint_create"),
]


@dataclass
class Link:
    label: str
    url: str
    current: bool = False
    badge: int = 0


@dataclass
class Group:
    label: str
    links: list[Link] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def entries_for(membership: Membership | None) -> list[Entry]:
    return [entry for entry in WORK if entry.shown_to(membership)]


def _mark_current(links: list[Link], path: str) -> None:
    """The link whose URL is the longest prefix of the current path is the current page."""
    best = max(
        (link for link in links if path.startswith(link.url)),
        key=lambda link: len(link.url),
        default=None,
    )
    if best is not None:
        best.current = True


def navigation_for(*, user, membership: Membership | None, path: str, unread: int = 0) -> dict:
    """What base.html shows: `desk` links (desk, inbox), work `groups`, `public` links."""
    desk: list[Link] = []
    groups: list[Group] = []
    if getattr(user, "is_authenticated", False):
        desk = [
            Link(_("My desk"), reverse("dashboard")),
            Link(_("Notifications"), reverse("notification_list"), badge=unread),
        ]
        by_group: dict[str, Group] = {}
        for entry in entries_for(membership):
            group = by_group.setdefault(str(entry.group), Group(entry.group))
            group.links.append(Link(entry.label, reverse(entry.url_name)))
        groups = [by_group[str(label)] for label in GROUPS if str(label) in by_group]
    public = Group(PUBLIC, [Link(label, reverse(name)) for label, name in PUBLIC_LINKS])
    everything = desk + [link for group in groups for link in group.links] + public.links
    _mark_current(everything, path)
    return {"desk": desk, "groups": groups, "public": public}
