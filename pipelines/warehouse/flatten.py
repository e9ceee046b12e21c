"""Turn one offer dict into the rows the warehouse stores: `offres` and child tables.

Every value is read defensively: the API marks no field as required, and a field whose
type changes must not fail a night's load (the raw JSON keeps the value as it came).
The row is built in the order of `OFFER_PAYLOAD_COLUMNS`, which is also the column order
of the staging table, so rows go to the database as plain tuples.

This runs once per offer on the loader's hot path, so each step reads the offer once:
the fields under one parent object are fetched together, and a value is converted only
when it does not already have its column's Python type.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson

from pipelines.calendar import paris_date, parse_api_datetime
from pipelines.warehouse.fields import (
    CHILD_TABLES,
    SALARY_COMPLEMENTS_TABLE,
    SCALAR_FIELDS,
    Kind,
)
from pipelines.warehouse.privacy import (
    has_other_contact,
    strip_every_contact,
    strip_personal_contact,
)
from pipelines.warehouse.salary import Salary, parse_salary
from pipelines.warehouse.storable import int32_or_none, storable_json

# Columns computed from the offer rather than read from one JSON field.
DERIVED_COLUMNS: tuple[str, ...] = (
    "jour_creation",
    "lieu_travail_departement",
    "salaire_min",
    "salaire_max",
    "salaire_periode",
)

# The columns of `offres` that a load writes, in the order of a flattened row.
OFFER_PAYLOAD_COLUMNS: tuple[str, ...] = (
    *(field.column for field in SCALAR_FIELDS),
    *DERIVED_COLUMNS,
    "raw",
)

# Where the values that derived columns are computed from sit in a row.
_COLUMN_INDEX = {name: index for index, name in enumerate(OFFER_PAYLOAD_COLUMNS)}
_DATE_CREATION = _COLUMN_INDEX["date_creation"]
_SALAIRE_LIBELLE = _COLUMN_INDEX["salaire_libelle"]
_LIEU_LIBELLE = _COLUMN_INDEX["lieu_travail_libelle"]
_LIEU_COMMUNE = _COLUMN_INDEX["lieu_travail_commune"]

# Child tables, in the order of `FlatOffer.children`.
CHILD_TABLE_NAMES: tuple[str, ...] = (
    *(child.table for child in CHILD_TABLES),
    SALARY_COMPLEMENTS_TABLE,
)

# "75 - PARIS 08", "2A - AJACCIO", "971 - LES ABYMES": the département comes first.
_DEPARTEMENT_PREFIX = re.compile(r"^(\d{2,3}|2[AB]) - ")

# PostgreSQL accepts no NUL character in text or jsonb; in JSON it is always escaped.
_ESCAPED_NUL = b"\\u0000"


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


def _float(value: Any) -> float | None:
    """A finite number; NaN and the infinities, which no analyst wants to average,
    are None (the raw JSON keeps them)."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, float | int):
            number = float(value)
        elif isinstance(value, str):
            number = float(value.replace(",", "."))
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _int(value: Any) -> int | None:
    """A whole number that an INTEGER column holds; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    elif not isinstance(value, int):
        return None
    return int32_or_none(value)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_api_datetime(value)
    except ValueError:
        return None


_READERS: dict[Kind, Callable[[Any], Any]] = {
    "text": _text,
    "float": _float,
    "int": _int,
    "bool": _bool,
    "datetime": _datetime,
}

# Python types that pass through as they are; anything else goes through the reader.
# Timestamps always need parsing, and numbers a range check, hence no pass-through type.
_PASS_THROUGH: dict[Kind, type | None] = {
    "text": str,
    "float": None,
    "int": None,
    "bool": bool,
    "datetime": None,
}


def _dig(value: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _scalar_plan() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Consecutive fields under the same parent object, so each parent is looked up once
    per offer: ``((parent keys, (key, ...)), ...)`` in column order."""
    runs: list[tuple[tuple[str, ...], list[str]]] = []
    for field in SCALAR_FIELDS:
        parent, key = field.keys[:-1], field.keys[-1]
        if runs and runs[-1][0] == parent:
            runs[-1][1].append(key)
        else:
            runs.append((parent, [key]))
    return tuple((parent, tuple(keys)) for parent, keys in runs)


_SCALAR_PLAN = _scalar_plan()
# Per scalar column: the type that passes as it is, and the reader for any other value.
_SCALAR_CHECKS: tuple[tuple[int, type | None, Callable[[Any], Any]], ...] = tuple(
    (index, _PASS_THROUGH[field.kind], _READERS[field.kind])
    for index, field in enumerate(SCALAR_FIELDS)
)
# Child fields are all text in the API; each table's plan is its item keys.
_CHILD_PLAN = tuple(
    (child.keys, tuple(field.path for field in child.fields)) for child in CHILD_TABLES
)


@dataclass(slots=True)
class FlatOffer:
    """One offer as rows: the `offres` row and, per child table, its item rows.

    ``row`` follows `OFFER_PAYLOAD_COLUMNS`, its last value (``raw``) being the offer
    as canonical JSON in UTF-8 bytes (see `canonical_json`); ``children`` follows
    `CHILD_TABLE_NAMES`, each child row being ``(offre_id, rang, *item fields)``.
    """

    id: str
    row: tuple[Any, ...]
    children: tuple[list[tuple[Any, ...]], ...]


def _orjson(offer: dict[str, Any]) -> bytes | None:
    """The offer as compact JSON with sorted keys; None for what orjson refuses:
    integers beyond 64 bits, lone surrogates, nesting past 255 levels."""
    try:
        raw = orjson.dumps(offer, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None
    # orjson hands over its output buffer with its spare capacity (some 14 KiB for a
    # 2.5 KiB offer); a copy of the exact size is what a batch of offers should hold.
    return bytes(memoryview(raw))


def canonical_json(offer: dict[str, Any]) -> bytes:
    """The raw JSON as stored, in UTF-8: compact, keys sorted, so that equal offers
    give equal bytes (SQLite compares the stored text to detect a change).

    Raises:
        UnicodeEncodeError: a string holds a lone surrogate (see `storable_json`).
    """
    raw = _orjson(offer)
    if raw is None:
        # The json module writes what orjson refuses; the output is otherwise the same.
        text = json.dumps(
            offer, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
        return text.encode()
    return raw


def dump_json(offer: dict[str, Any]) -> str:
    """`canonical_json` as text."""
    return canonical_json(offer).decode()


def _clean_json(offer: dict[str, Any]) -> bytes | None:
    """The canonical JSON of an offer that holds nothing PostgreSQL refuses; None for
    one that needs `storable_json` (or holds what orjson refuses)."""
    raw = _orjson(offer)
    if raw is None or _ESCAPED_NUL in raw:
        return None
    return raw


def _stored_form(
    offer: dict[str, Any], store_contacts: bool
) -> tuple[dict[str, Any], bytes]:
    """The offer as it is stored, and its canonical JSON: free of what PostgreSQL
    refuses and, unless contacts are to be stored, of personal contact details.

    Nearly every offer takes the first two lines; the rest is for odd shapes.
    """
    stored = offer if store_contacts else strip_personal_contact(offer)
    raw = _clean_json(stored)
    if raw is None:
        # Cleaned first, stripped then: a key such as "nom\x00" names a person too.
        offer = storable_json(offer)
        stored = offer if store_contacts else strip_personal_contact(offer)
        raw = canonical_json(stored)
    if not store_contacts and has_other_contact(stored, raw):
        stored = strip_every_contact(stored)
        raw = canonical_json(stored)
    return stored, raw


def departement_of(libelle: str | None, commune: str | None) -> str | None:
    """The département code of a workplace, from its label or else its INSEE code."""
    if libelle:
        match = _DEPARTEMENT_PREFIX.match(libelle)
        if match:
            return match.group(1)
    if commune and len(commune) == 5:
        return commune[:3] if commune.startswith("97") else commune[:2]
    return None


# Offers repeat a few thousand salary texts; parsing each once is enough.
_parse_salary = lru_cache(maxsize=4096)(parse_salary)


def _scalar_values(offer: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    for parent_keys, keys in _SCALAR_PLAN:
        parent = _dig(offer, parent_keys) if parent_keys else offer
        if isinstance(parent, dict):
            values += map(parent.get, keys)
        else:
            values += (None,) * len(keys)

    for index, exact_type, read in _SCALAR_CHECKS:
        value = values[index]
        if value is not None and type(value) is not exact_type:
            values[index] = read(value)
    return values


def _item_rows(
    items: Any, offre_id: str, item_keys: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    if not isinstance(items, list):
        return rows
    for rang, item in enumerate(items, start=1):
        if isinstance(item, dict):
            values = [
                value if value is None or type(value) is str else _text(value)
                for value in map(item.get, item_keys)
            ]
            rows.append((offre_id, rang, *values))
    return rows


def _salary_complements(offer: dict[str, Any], offre_id: str) -> list[tuple[Any, ...]]:
    salaire = offer.get("salaire")
    if not isinstance(salaire, dict):
        return []
    complements: list[tuple[Any, ...]] = []
    listed = salaire.get("listeComplements")
    if isinstance(listed, list):
        for item in listed:
            if isinstance(item, dict):
                code, libelle = _text(item.get("code")), _text(item.get("libelle"))
                complements.append(("listeComplements", code, libelle))
    for key in ("complement1", "complement2"):
        libelle = _text(salaire.get(key))
        if libelle is not None:
            complements.append((key, None, libelle))
    return [(offre_id, rang, *item) for rang, item in enumerate(complements, start=1)]


def _children(
    offer: dict[str, Any], offre_id: str
) -> tuple[list[tuple[Any, ...]], ...]:
    return (
        *(
            _item_rows(_dig(offer, keys), offre_id, item_keys)
            for keys, item_keys in _CHILD_PLAN
        ),
        _salary_complements(offer, offre_id),
    )


def _offer_id(offer: Any) -> str:
    if not isinstance(offer, dict):
        raise ValueError(
            f"an offer must be a JSON object, not {type(offer).__name__}: "
            f"{str(offer)[:80]!r}"
        )
    offre_id = offer.get("id")
    if isinstance(offre_id, int) and not isinstance(offre_id, bool):
        offre_id = str(offre_id)
    if not isinstance(offre_id, str) or not offre_id.strip():
        raise ValueError(
            "an offer without an 'id' (a non-empty string) cannot be stored: "
            f"got {offre_id!r}"
        )
    return offre_id


def flatten_offer(offer: dict[str, Any], *, store_contacts: bool = False) -> FlatOffer:
    """Flatten one offer of the API into its rows.

    Odd values never fail the load: a value that its column cannot hold is NULL there
    and kept in the raw JSON, and what PostgreSQL refuses in text is cleaned away.

    Raises:
        ValueError: the offer is not a JSON object, or has no usable ``id``: nothing
            could ever identify its row.
    """
    received_id = _offer_id(offer)
    try:
        offer, raw = _stored_form(offer, store_contacts)
    except (RecursionError, ValueError):  # ValueError: from storable_json, the same
        raise ValueError(
            f"offer {received_id!r} is nested several hundred levels deep and cannot "
            "be stored"
        ) from None
    offre_id = _offer_id(offer)  # once more: cleaning may have changed it

    values = _scalar_values(offer)
    created: datetime | None = values[_DATE_CREATION]
    jour: date | None = paris_date(created) if created is not None else None
    salary: Salary | None = _parse_salary(values[_SALAIRE_LIBELLE])
    if salary and not math.isfinite(salary.maximum):
        salary = None
    values += (
        jour,
        departement_of(values[_LIEU_LIBELLE], values[_LIEU_COMMUNE]),
        salary.minimum if salary else None,
        salary.maximum if salary else None,
        salary.period if salary else None,
        raw,
    )
    return FlatOffer(offre_id, tuple(values), _children(offer, offre_id))
