"""Keep people's contact details out of the warehouse unless asked for.

An offer's ``contact`` object may name a person and give a phone number, an e-mail and
postal lines. The offers licence forbids keeping them in derived databases and the GDPR
asks for a purpose before storing them, so by default they are removed from the offer
before anything is stored: they reach neither the typed columns nor the raw JSON.

The documented shape (one ``contact`` object of plain values at the top of the offer)
is handled on the loader's hot path. Any other shape — a list of contacts, ``Contact``
or ``COURRIEL`` spelt otherwise, objects nested inside the contact, a ``contacts`` or
``contact`` key under another field — is caught from the offer's JSON text
(`has_other_contact`) and cleaned by a full walk (`strip_every_contact`), so that a
change of shape on the API's side cannot leak a person's details into the database.
The partner APIs' items are small and few: `strip_keys_everywhere` walks each of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from pipelines.warehouse.fields import PERSONAL_CONTACT_KEYS
from pipelines.warehouse.storable import storable_text, walk_json

_PERSONAL = frozenset(PERSONAL_CONTACT_KEYS)
# A key that starts with "contact", in the lower-cased compact JSON of an offer.
_CONTACT_KEY = re.compile(rb'"\s*contact[^"]{0,30}":')


def normal_key(key: Any) -> str:
    """A key as compared with the names of personal fields: trimmed, lower case."""
    return storable_text(str(key)).strip().lower()


def _is_contact_key(key: Any) -> bool:
    return normal_key(key).startswith("contact")


def _never(value: Any) -> bool:
    return False


def _strip(value: Any, keys: Collection[str], keep: Callable[[Any], bool]) -> Any:
    """A copy of ``value`` without the fields named in ``keys``, at any depth, but for
    those whose value ``keep`` accepts."""
    if isinstance(value, dict):
        return {
            key: _strip(item, keys, keep)
            for key, item in value.items()
            if normal_key(key) not in keys or keep(item)
        }
    if isinstance(value, list):
        return [_strip(item, keys, keep) for item in value]
    return value


def _without_personal(value: Any) -> Any:
    """A contact value without personal fields, at any depth inside it."""
    return _strip(value, _PERSONAL, _never)


def strip_personal_contact(offer: dict[str, Any]) -> dict[str, Any]:
    """The offer without the personal fields of its top-level ``contact``; the
    caller's dict is not modified.

    Offers whose contact holds none of those fields are returned as they are, so the
    common case (partner offers have no contact at all) costs one lookup.
    """
    contact = offer.get("contact")
    if isinstance(contact, dict):
        if not any(
            isinstance(value, dict | list) or normal_key(key) in _PERSONAL
            for key, value in contact.items()
        ):
            return offer
    elif not isinstance(contact, list):
        return offer
    return {**offer, "contact": _without_personal(contact)}


def has_other_contact(offer: dict[str, Any], raw: bytes) -> bool:
    """Whether the offer's compact JSON ``raw`` holds a key starting with contact (in
    any case) other than the top-level ``contact`` that `strip_personal_contact`
    cleans.

    A false alarm (such a key inside a text value) only costs a `strip_every_contact`.
    """
    expected = 1 if "contact" in offer else 0
    return len(_CONTACT_KEY.findall(raw.lower())) > expected


def strip_every_contact(value: Any) -> Any:
    """A copy of a JSON value in which everything under a key starting with contact,
    in any case and at any depth, has lost its personal fields."""
    if isinstance(value, dict):
        return {
            key: (
                _without_personal(item)
                if _is_contact_key(key)
                else strip_every_contact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [strip_every_contact(item) for item in value]
    return value


def strip_keys_everywhere(
    value: Any,
    keys: Collection[str],
    *,
    keep: Callable[[Any], bool] = _never,
) -> Any:
    """A copy of a JSON value without the fields named in ``keys`` (compared as
    `normal_key` does, lower case) at any depth, except those whose value ``keep``
    accepts.

    Raises:
        ValueError: the value is nested too deeply to walk (see `walk_json`).
    """
    return walk_json(lambda item: _strip(item, keys, keep), value)
