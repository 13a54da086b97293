"""Where a page of a lower layer shows what a higher layer knows, without importing it upward:
the higher layer registers a provider for a slot in its AppConfig.ready(), and the page asks the
slot. A plan page shows supervision's R-C3 warnings; a certificate page its R-M2 warning.

Each provider takes the page's object and returns a list of sentences for the user.
"""

from collections import defaultdict
from collections.abc import Callable

PLAN_WARNINGS = "plan_warnings"
CERTIFICATE_WARNINGS = "certificate_warnings"
# Lines for many objects at once: the public directory lists each enterprise's occupations whose
# evaluation scheme is approved (seed 001 §六(二)).
DIRECTORY_SCHEMES = "directory_schemes"

_providers: dict[str, list[Callable[[object], list[str]]]] = defaultdict(list)
_batch_providers: dict[str, list[Callable[[list], dict[int, list[str]]]]] = defaultdict(list)


def provide(slot: str, provider: Callable[[object], list[str]]) -> None:
    if provider not in _providers[slot]:
        _providers[slot].append(provider)


def warnings_for(slot: str, obj) -> list[str]:
    return [warning for provider in _providers[slot] for warning in provider(obj)]


def provide_batch(slot: str, provider: Callable[[list], dict[int, list[str]]]) -> None:
    """A provider that takes a page's objects and returns {object pk: sentences}."""
    if provider not in _batch_providers[slot]:
        _batch_providers[slot].append(provider)


def lines_by_pk(slot: str, objects) -> dict[int, list[str]]:
    objects = list(objects)
    found: dict[int, list[str]] = defaultdict(list)
    for provider in _batch_providers[slot]:
        for pk, lines in provider(objects).items():
            found[pk].extend(lines)
    return dict(found)
