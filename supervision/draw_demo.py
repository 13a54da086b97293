"""Demo data of the supervision area 'draw' (called by supervision/demo.py in order)."""


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    """Add this area's demo rows; `ctx` carries what earlier areas made (e.g. ctx["draw"])."""
