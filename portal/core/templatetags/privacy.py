"""{% load privacy %}: {{ entry.id_number|mask_id }} shows an ID number as every page must."""

from django import template

from portal.core import masking

register = template.Library()


@register.filter
def mask_id(value) -> str:
    return masking.mask_id(str(value or ""))


@register.filter
def may_reveal_ids(user) -> bool:
    """Whether the user's role may ask for a full ID number (the object's gate still scopes)."""
    from portal.core.privacy import may_see_full_ids

    return bool(getattr(user, "is_authenticated", False)) and may_see_full_ids(user)


@register.filter
def mask_ids(value) -> str:
    """Free text (a file name, a message) with every ID-like number in it masked."""
    return masking.mask_id_numbers(str(value or ""))
