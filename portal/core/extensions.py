"""Where a page of a lower layer shows what a higher layer knows, without importing it upward:
the higher layer registers a provider for a slot in its AppConfig.ready(), and the page asks the
slot. A plan page shows supervision's R-C3 warnings; a certificate page its R-M2 warning.

Each provider takes the page's object and returns a list of sentences for the user.
"""

from collections import defaultdict
from collections.abc import Callable

PLAN_WARNINGS = "plan_warnings"
CERTIFICATE_WARNINGS = "certificate_warnings"

_providers: dict[str, list[Callable[[object], list[str]]]] = defaultdict(list)


def provide(slot: str, provider: Callable[[object], list[str]]) -> None:
    if provider not in _providers[slot]:
        _providers[slot].append(provider)


def warnings_for(slot: str, obj) -> list[str]:
    return [warning for provider in _providers[slot] for warning in provider(obj)]
