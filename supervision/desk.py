"""What each supervision area puts on a user's desk (the dashboard), merged into one context.

Each area's `desk.py` defines `desk(user, membership, today) -> dict`; its template partial is
templates/supervision/_desk_<area>.html.
"""

from supervision.annual import desk as annual_desk
from supervision.complaints import desk as complaint_desk
from supervision.draws import desk as draw_desk
from supervision.inspections import desk as inspection_desk
from supervision.notifications import desk as notification_desk
from supervision.stats import desk as stats_desk

AREA_DESKS = (
    draw_desk,
    inspection_desk,
    complaint_desk,
    annual_desk,
    notification_desk,
    stats_desk,
)


def supervision_desk(*, user, membership, today) -> dict:
    context: dict = {}
    for area in AREA_DESKS:
        context.update(area.desk(user=user, membership=membership, today=today))
    return context
