"""settings.py imports `check_month_day` from here while it reads the environment; the rule lives
in supervision/annual/due.py. The lead moves the function into portal/env.py, then this goes."""

from supervision.annual.due import check_month_day

__all__ = ["check_month_day"]
