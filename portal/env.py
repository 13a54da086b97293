"""Typed readers for configuration from the environment.

A bad value stops start-up with a message naming the variable (STYLE.md rule 6).
"""

import datetime as dt
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def check_month_day(name: str, value: str) -> tuple[int, int]:
    """(month, day) of a "MM-DD" value that exists in every year (so not 02-29)."""
    match = _MONTH_DAY.match(value or "")
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            # 2023 is not a leap year: a day valid there is valid in every year.
            dt.date(2023, month, day)
        except ValueError:
            pass
        else:
            return month, day
    raise ImproperlyConfigured(
        f"{name} must be a month and day that exists every year, as MM-DD (e.g. 03-31), "
        f"got {value!r}"
    )
