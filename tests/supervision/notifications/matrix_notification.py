"""Access-matrix rows and objects of the supervision area 'reminder' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles).

Everyone logged in has an inbox; a notification is its owner's only (alice's here)."""

from supervision.notifications.services import notify
from tests.supervision.personas import LOGGED_IN

ROWS: dict = {
    "notification_list": (None, LOGGED_IN, None),
    "notification_read_all": (None, None, LOGGED_IN),
    "notification_settings": (None, LOGGED_IN, LOGGED_IN),
    "notification_open": ("alice_notification", {"alice"}, {"alice"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    note = notify(user=people["alice"], kind="test", title="请于2026-11-05前更正备案申请", url="/")
    return {"alice_notification": {"notification_id": note.pk}}
