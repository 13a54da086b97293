"""How long each kind of personal data is kept (PIPL Art. 19: no longer than the purpose needs).

Each app registers the kinds it holds, with the setting that names their period in days and the
floor a rule of the notices sets (R-C1: assessment evidence is kept 2 years, so no setting can
make it shorter). Beat's `apply-retention` runs every kind daily: rows past their period are
anonymised or deleted by the app's own function, one audit row per record it touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    label: str
    setting: str
    # Given the moment before which data has expired, anonymise or delete it; returns how many.
    expire: Callable[[dt.datetime], int]
    minimum_days: int = 0

    @property
    def days(self) -> int:
        return max(getattr(settings, self.setting), self.minimum_days)


RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    RULES[rule.kind] = rule


def apply_retention(*, kinds: Iterable[str] | None = None, now=None) -> dict[str, int]:
    """Apply the rules of `kinds` (every kind when None); returns the records touched per kind."""
    now = now or timezone.now()
    chosen = RULES.values() if kinds is None else [RULES[kind] for kind in kinds]
    return {rule.kind: rule.expire(now - dt.timedelta(days=rule.days)) for rule in chosen}
