"""A jurisdiction's list of filing materials (R-F8): each item a kind of material, the name the
notice gives it and whether it is required (seed 004 附件2 lists ten, seed 002 §六(一) five).

The policy value `required_materials` holds the list. An item is {"kind", "name", "required"};
a bare kind (the value's older form, still in Policy rows and the portal's default) is an item
required under the kind's own name, so lists saved before items had names read the same.
"""

from dataclasses import dataclass
from typing import Any

from portal.core.models import MaterialKind

OPTIONAL, REQUIRED = "optional", "required"


@dataclass(frozen=True)
class MaterialItem:
    kind: str
    name: str
    required: bool

    def as_value(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "required": self.required}


def kind_label(kind: str) -> str:
    labels = dict(MaterialKind.choices)
    return str(labels.get(kind, kind))


def material_items(value: Any) -> list[MaterialItem]:
    """The items of a `required_materials` value, in its order, each kind once."""
    items: dict[str, MaterialItem] = {}
    for entry in value or []:
        if isinstance(entry, str):
            kind, name, required = entry, "", True
        elif isinstance(entry, dict) and entry.get("kind"):
            kind = str(entry["kind"])
            name = str(entry.get("name") or "").strip()
            required = bool(entry.get("required", True))
        else:
            continue
        if kind not in items:
            items[kind] = MaterialItem(kind, name or kind_label(kind), required)
    return list(items.values())


def item(kind: str, name: str = "", *, required: bool = True) -> dict[str, Any]:
    """An item as a preset writes it."""
    return {"kind": kind, "name": name or kind_label(kind), "required": required}


def items_shown(value: Any) -> str:
    """The list as the settings page reads it: 名称（必交）、名称（选交）."""
    from django.utils.translation import gettext as _

    return "、".join(
        f"{entry.name}（{_('required') if entry.required else _('optional')}）"
        for entry in material_items(value)
    )
