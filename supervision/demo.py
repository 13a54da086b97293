"""The supervision part of `seed_demo`: a draw, an inspection with a finding, a complaint, an
annual report and evaluation, a sanction, reminders and the dashboards' data."""

import importlib

AREAS = ["draw", "inspection", "complaint", "annual", "reminder", "stats"]


def seed_supervision(*, enterprises: dict, users: dict, today) -> dict:
    ctx: dict = {}
    for area in AREAS:
        module = importlib.import_module(f"supervision.{area}_demo")
        module.seed(enterprises=enterprises, users=users, today=today, ctx=ctx)
    return ctx
