"""Charts as inline SVG, drawn on the server: data in, markup out (no JavaScript, no CDN).

Each chart is an accessible image (role="img", <title> and <desc> named by aria-labelledby),
every bar carries its number as text, and each bar's full label is in its own <title>, so a
long occupation name can be cut with an ellipsis without losing it. Everything taken from the
data is escaped. The page shows a table of the same numbers under each chart.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 60
BAR_HEIGHT = 24
BAR_GAP = 8
PAD = 8
FONT_SIZE = 16  # the portal's smallest text (issue 16)
# Width of a label in "units": a CJK character is 1, a narrow Latin character about half.
LABEL_UNITS = 13.0
COLUMN_AREA = 180


def _units(char: str) -> float:
    return 0.55 if ord(char) < 0x2E80 else 1.0


def truncate_label(text: str, max_units: float = LABEL_UNITS) -> str:
    """The label cut to fit `max_units`, ending in "…" when something was cut."""
    text = str(text)
    if sum(_units(c) for c in text) <= max_units:
        return text
    kept, used = [], 0.0
    for char in text:
        if used + _units(char) > max_units - 1:
            break
        kept.append(char)
        used += _units(char)
    return "".join(kept) + "…"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-size="{FONT_SIZE}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float | int | None]],
    maximum: float | None = None,
    suffix: str = "",
) -> SafeString:
    """Horizontal bars: one per (label, value); `maximum` fixes the scale (e.g. 100 for %)."""
    values = [v or 0 for _label, v in items]
    top = maximum or max(values, default=0) or 1
    bar_room = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PAD
    height = PAD * 2 + max(len(items), 1) * (BAR_HEIGHT + BAR_GAP)
    parts = _open(chart_id, title, desc, WIDTH, height)
    if not items:
        parts.append(f'<text x="{PAD}" y="{PAD + BAR_HEIGHT - 6}" class="chart-empty">—</text>')
    for index, (label, value) in enumerate(items):
        y = PAD + index * (BAR_HEIGHT + BAR_GAP)
        length = round(bar_room * (value or 0) / top, 1)
        full = escape(label)
        shown = f"{_number(value)}{suffix if value is not None else ''}"
        parts.append(
            f'<g class="bar"><title>{full}：{escape(shown)}</title>'
            f'<text x="{LABEL_WIDTH - PAD}" y="{y + BAR_HEIGHT - 6}" text-anchor="end">'
            f"{escape(truncate_label(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'rx="2" fill="#3f7fbf"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR_HEIGHT - 6}" class="value">'
            f"{escape(shown)}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of data above is escaped


def column_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, int | float]],
) -> SafeString:
    """Vertical columns, one per (label, value), e.g. the twelve months of a year."""
    count = max(len(items), 1)
    slot = (WIDTH - 2 * PAD) / count
    top = max((v or 0 for _label, v in items), default=0) or 1
    base = PAD + 20 + COLUMN_AREA
    height = base + 26
    parts = _open(chart_id, title, desc, WIDTH, height)
    parts.append(
        f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" class="axis" stroke="#888"/>'
    )
    for index, (label, value) in enumerate(items):
        x = PAD + index * slot
        column = round(COLUMN_AREA * (value or 0) / top, 1)
        width = round(slot * 0.6, 1)
        left = round(x + (slot - width) / 2, 1)
        middle = round(x + slot / 2, 1)
        parts.append(
            f'<g class="bar"><title>{escape(label)}：{escape(_number(value))}</title>'
            f'<rect x="{left}" y="{round(base - column, 1)}" width="{width}" '
            f'height="{column}" rx="2" fill="#3f7fbf"/>'
            f'<text x="{middle}" y="{round(base - column - 4, 1)}" text-anchor="middle" '
            f'class="value">{escape(_number(value))}</text>'
            f'<text x="{middle}" y="{base + 18}" text-anchor="middle">'
            f"{escape(truncate_label(label, 3))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of data above is escaped
