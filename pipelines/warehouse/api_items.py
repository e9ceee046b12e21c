"""Typed values read from the JSON items of the partner APIs.

The APIs promise little about types: a number may come as a string, a flag as
``"true"``, a field may be missing or null. Each reader here returns the value in the
column's type, or None when the field is missing or cannot be read as that type, so a
surprising item lands with an empty cell rather than failing a whole load.
"""

from __future__ import annotations

import math
from typing import Any

from pipelines.warehouse.storable import int32_or_none, storable_text

_TRUE = frozenset({"true", "yes", "oui", "o", "1"})
_FALSE = frozenset({"false", "no", "non", "n", "0"})


def value_at(item: Any, path: str) -> Any:
    """The value at a dotted path (``domaineProfessionnel.grandDomaine.code``)."""
    value = item
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text_at(item: Any, path: str) -> str | None:
    """A scalar as text; None for a missing field, an object or a list."""
    value = value_at(item, path)
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return storable_text(str(value))


def float_at(item: Any, path: str) -> float | None:
    """A number (or a numeric string) as a float; None otherwise."""
    value = value_at(item, path)
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def int_at(item: Any, path: str) -> int | None:
    """A whole number that an INTEGER column holds; None for anything else, fractions
    included."""
    number = float_at(item, path)
    if number is None or not number.is_integer():
        return None
    return int32_or_none(int(number))


def bool_at(item: Any, path: str) -> bool | None:
    """A flag: a JSON boolean, or ``true``/``false``, ``yes``/``no``, ``O``/``N``..."""
    value = value_at(item, path)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None


def list_at(item: Any, path: str) -> list[dict[str, Any]]:
    """The objects of a list field; an empty list when it is missing or not a list."""
    value = value_at(item, path)
    if not isinstance(value, list):
        return []
    return [element for element in value if isinstance(element, dict)]
