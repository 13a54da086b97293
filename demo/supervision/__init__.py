"""The supervision part of `seed_demo`: a draw, an inspection with a finding, a complaint, an
annual report and evaluation, a sanction, reminders and the dashboards' data."""

from demo.supervision import annual, complaints, draws, inspections, reminders, stats

# In this order: inspections need the draw, reminders and statistics what came before.
AREAS = [draws, inspections, complaints, annual, reminders, stats]


def seed_supervision(*, enterprises: dict, users: dict, today) -> dict:
    ctx: dict = {}
    for area in AREAS:
        area.seed(enterprises=enterprises, users=users, today=today, ctx=ctx)
    return ctx


def demo_supervision_lines() -> list[str]:
    """What `seed_demo` prints so a newcomer can follow the demo complaint and draw."""
    from supervision.models import Complaint, ComplaintStatus, Draw

    lines = []
    draw = Draw.objects.filter(published_on__isnull=False).order_by("-pk").first()
    if draw:
        lines.append(f"demo random draw (public at /public/inspections/): {draw.title}")
    complaint = Complaint.objects.filter(status=ComplaintStatus.RECEIVED).order_by("-pk").first()
    if complaint:
        lines.append(
            f"demo complaint: {complaint.reference} (phone last 4: {complaint.contact_phone[-4:]})"
            " — follow it at /complaints/track/"
        )
    return lines
