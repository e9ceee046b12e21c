"""Make any JSON value storable on both databases without losing the rest of it.

PostgreSQL refuses two things the JSON of an API can carry: the NUL character (in
text and in jsonb) and lone UTF-16 surrogates (``"\\ud800"``, which no UTF-8 text can
hold). Neither means anything in an offer, so a NUL is dropped and a lone surrogate
becomes U+FFFD, the replacement character, in values and in keys alike. JSON has no
NaN or infinity either (Python's json module reads them all the same): they become
null. Numbers beyond the column types are the readers' business: they become NULL
there, and the raw JSON keeps them as they came.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# The integers a 32-bit INTEGER column holds, on PostgreSQL as on every other server.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def storable_text(text: str) -> str:
    """``text`` without NUL characters and with every lone surrogate replaced."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable_text(str(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def walk_json(walk: Callable[[Any], Any], value: Any) -> Any:
    """``walk(value)`` for a recursive walk of a JSON value, with one clear error for
    a value nested too deeply for Python's stack.

    Raises:
        ValueError: the value is nested too deeply to walk (several hundred levels).
    """
    try:
        return walk(value)
    except RecursionError:
        raise ValueError(
            "a JSON document nested several hundred levels deep cannot be stored"
        ) from None


def storable_json(value: Any) -> Any:
    """A copy of a JSON value with `storable_text` applied to every key and string,
    and null for NaN and the infinities (see `walk_json` for what it raises)."""
    return walk_json(_storable, value)


def int32_or_none(value: int | None) -> int | None:
    """``value`` if an INTEGER column can hold it, else None."""
    if value is None or INT32_MIN <= value <= INT32_MAX:
        return value
    return None
