"""The five skill levels as forms offer them and as a range of them reads (R-M5)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LEVEL_CHOICES = [
    (5, gettext_lazy("Level 5")),
    (4, gettext_lazy("Level 4")),
    (3, gettext_lazy("Level 3")),
    (2, gettext_lazy("Level 2")),
    (1, gettext_lazy("Level 1")),
]
SHORT_LEVEL_NAMES = dict(LEVEL_CHOICES)


def level_range_display(levels: list[int]) -> str:
    """R-M5 level range, from the entry level up: [3, 5, 4] → 五级至三级, [5, 3] → 五级、三级."""
    ordered = sorted({int(level) for level in levels}, reverse=True)
    if not ordered:
        return ""
    names = [str(SHORT_LEVEL_NAMES.get(level, level)) for level in ordered]
    contiguous = ordered[0] - ordered[-1] == len(ordered) - 1
    if len(ordered) > 2 and contiguous:
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    return "、".join(names)
