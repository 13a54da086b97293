"""{{ entry.level|level_label }}: a skill level as the roster file and the certificate write it
(五级/初级工 … 一级/高级技师, R-S4), not as its digit."""

from django import template

from assessments.rosters.reader.format import LEVEL_LABELS, level_text
from filings.levels import level_range_display

register = template.Library()


@register.filter
def level_label(level) -> str:
    return LEVEL_LABELS.get(level, level)


@register.filter
def entry_level(record) -> str:
    """A roster entry's or certificate's level, the enterprise's own title beside it (R-S4)."""
    return level_text(record.level, getattr(record, "enterprise_level", ""))


@register.filter
def level_range(levels) -> str:
    """A plan's or scheme's levels in words, from the entry level up: 五级至三级, 五级、三级."""
    return level_range_display(list(levels or [])) or "—"
