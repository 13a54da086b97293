"""What each supervision area puts on a user's desk (the dashboard), merged into one context.

Each area module `supervision/<area>_desk.py` may define `desk(user, membership, today) -> dict`;
its template partial is templates/supervision/_desk_<area>.html.
"""

import importlib

AREAS = ["draw", "inspection", "complaint", "annual", "reminder", "stats"]


def supervision_desk(*, user, membership, today) -> dict:
    context: dict = {}
    for area in AREAS:
        try:
            module = importlib.import_module(f"supervision.{area}_desk")
        except ModuleNotFoundError as error:
            if error.name != f"supervision.{area}_desk":
                raise
            continue
        context.update(module.desk(user=user, membership=membership, today=today))
    return context
