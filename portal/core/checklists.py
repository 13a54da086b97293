"""The expert evaluation checklist a jurisdiction sets as policy (seed 002 §六(二), seed 001
§六(一)2, seed 003 §一): named items, each worth a number of points that together make 100, and
the pass mark of the total. An expert scores each item from 0 to its points; the total is the
sum, so each item weighs what it is worth.

The policy value is {"items": [{"name", "weight", "description"}], "pass_mark": n}; no items
means no checklist (the expert gives a single score). The settings page edits the items as text,
one line per item: "name | points" or "name | points | description".
"""

from typing import Any

from django.utils.translation import gettext as _

SEPARATOR = "|"
NAME_MAX = 60
DESCRIPTION_MAX = 200


def no_checklist() -> dict[str, Any]:
    return {"items": [], "pass_mark": 0}


def items_of(checklist: dict | None) -> list[dict]:
    return list((checklist or {}).get("items") or [])


def has_items(checklist: dict | None) -> bool:
    return bool(items_of(checklist))


def as_text(checklist: dict | None) -> str:
    """The items as the settings page's text, one line per item."""
    lines = []
    for item in items_of(checklist):
        parts = [item["name"], str(item["weight"])]
        if item.get("description"):
            parts.append(item["description"])
        lines.append(f" {SEPARATOR} ".join(parts))
    return "\n".join(lines)


def summary(checklist: dict | None) -> str:
    """The checklist as a page or an audit note reads it."""
    items = items_of(checklist)
    if not items:
        return _("No checklist: the expert gives a single score")
    listed = "、".join(
        _("%(name)s %(points)s points") % {"name": item["name"], "points": item["weight"]}
        for item in items
    )
    return _("%(items)s; pass mark %(pass_mark)s") % {
        "items": listed,
        "pass_mark": (checklist or {}).get("pass_mark", 0),
    }


def parse(text: str, pass_mark: int | None, *, field: str) -> tuple[dict | None, list[str]]:
    """The checklist the settings text describes, or the problems that stop it, each naming the
    line and what is wrong. `field` is the value's label, for the messages."""
    items: list[dict] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.replace("｜", SEPARATOR).split(SEPARATOR)]
        name = parts[0]
        where = {"field": field, "line": number, "name": name}
        if not name:
            problems.append(_("“%(field)s” line %(line)s: the item has no name.") % where)
            continue
        if len(name) > NAME_MAX:
            problems.append(
                _(
                    "“%(field)s” line %(line)s: the name “%(name)s” is longer than %(max)s "
                    "characters."
                )
                % {**where, "max": NAME_MAX}
            )
            continue
        if len(parts) < 2 or not parts[1]:
            problems.append(
                _(
                    "“%(field)s” line %(line)s: “%(name)s” has no points; write each line as "
                    "“name | points”, e.g. “企业基本情况 | 20”."
                )
                % where
            )
            continue
        if not parts[1].isdigit() or not 1 <= int(parts[1]) <= 100:
            problems.append(
                _(
                    "“%(field)s” line %(line)s: the points of “%(name)s” must be a whole number "
                    "from 1 to 100, not “%(points)s”."
                )
                % {**where, "points": parts[1]}
            )
            continue
        if name in seen:
            problems.append(
                _(
                    "“%(field)s” line %(line)s: the item “%(name)s” is listed twice; names must "
                    "differ."
                )
                % where
            )
            continue
        seen.add(name)
        description = f" {SEPARATOR} ".join(part for part in parts[2:] if part)
        if len(description) > DESCRIPTION_MAX:
            problems.append(
                _(
                    "“%(field)s” line %(line)s: the description of “%(name)s” is longer than "
                    "%(max)s characters."
                )
                % {**where, "max": DESCRIPTION_MAX}
            )
            continue
        items.append({"name": name, "weight": int(parts[1]), "description": description})
    if problems:
        return None, problems
    if not items:
        return no_checklist(), []
    total = sum(item["weight"] for item in items)
    if total != 100:
        problems.append(
            _("“%(field)s”: the points of the items must add up to 100; they add up to %(total)s.")
            % {"field": field, "total": total}
        )
    if pass_mark is None:
        problems.append(
            _("“%(field)s”: enter the pass mark of the total (0–100).") % {"field": field}
        )
    if problems:
        return None, problems
    return {"items": items, "pass_mark": pass_mark}, []


def total_of(scores: list[dict]) -> int:
    """The total of an expert's item scores: each item is worth its points, so the sum."""
    return sum(int(entry["score"]) for entry in scores)


def scored(checklist: dict, scores: list[dict]) -> dict:
    """The checklist snapshot with the expert's score and note on each item."""
    items = [
        {**item, "score": entry["score"], "note": entry.get("note", "")}
        for item, entry in zip(items_of(checklist), scores, strict=True)
    ]
    return {**checklist, "items": items, "total": total_of(scores)}


def check_scores(checklist: dict, scores: list[dict]) -> dict[int, str]:
    """What is wrong with the scores an expert gives: item index → message naming the item.
    The scores must come one per item, in the checklist's order."""
    problems = {}
    for index, (item, entry) in enumerate(zip(items_of(checklist), scores, strict=True)):
        score = entry.get("score")
        where = {"name": item["name"], "max": item["weight"]}
        if score is None or score == "":
            problems[index] = _("Enter the score of “%(name)s” (0–%(max)s).") % where
        elif not isinstance(score, int) or score < 0:
            problems[index] = (
                _("The score of “%(name)s” must be a whole number from 0 to %(max)s.") % where
            )
        elif score > item["weight"]:
            problems[index] = (
                _("The score of “%(name)s” is above its maximum of %(max)s points.") % where
            )
    return problems
