"""Keep the contact person's personal data out of the warehouse unless asked for.

An offer's ``contact`` object may name a person and give a phone number, an e-mail and
postal lines. The offers licence forbids keeping them in derived databases and the GDPR
asks for a purpose before storing them, so by default they are removed from the offer
before anything is stored: they reach neither the typed columns nor the raw JSON.

The documented shape (one ``contact`` object at the top of the offer, lower-case keys)
is handled on the loader's hot path. Any other shape — a list of contacts, ``Contact``
or ``COURRIEL`` spelt otherwise, a ``contact`` object nested under another field — is
caught from the offer's JSON text (`has_other_contact`) and cleaned by a full walk
(`strip_every_contact`), so that a change of shape on the API's side cannot leak a
person's details into the database.
"""

from __future__ import annotations

from typing import Any

from pipelines.warehouse.fields import PERSONAL_CONTACT_KEYS

_PERSONAL = frozenset(PERSONAL_CONTACT_KEYS)
# How a key named contact, in any case, appears in compact JSON once lower-cased.
_CONTACT_KEY = b'"contact":'


def _without_personal(contact: Any) -> Any:
    """A contact object without its personal fields; a list of them, each cleaned."""
    if isinstance(contact, dict):
        return {
            key: value
            for key, value in contact.items()
            if str(key).lower() not in _PERSONAL
        }
    if isinstance(contact, list):
        return [_without_personal(item) for item in contact]
    return contact


def strip_personal_contact(offer: dict[str, Any]) -> dict[str, Any]:
    """The offer without the personal fields of its top-level ``contact``; the
    caller's dict is not modified.

    Offers that carry none of those fields are returned as they are, so the common case
    (partner offers have no contact at all) costs one lookup.
    """
    contact = offer.get("contact")
    if isinstance(contact, dict):
        if not any(str(key).lower() in _PERSONAL for key in contact):
            return offer
    elif not isinstance(contact, list):
        return offer
    return {**offer, "contact": _without_personal(contact)}


def has_other_contact(offer: dict[str, Any], raw: bytes) -> bool:
    """Whether the offer's compact JSON ``raw`` holds a key named contact (in any
    case) other than the top-level ``contact`` that `strip_personal_contact` cleans.

    A false alarm (such a key inside a text value) only costs a `strip_every_contact`.
    """
    expected = 1 if "contact" in offer else 0
    return raw.lower().count(_CONTACT_KEY) > expected


def strip_every_contact(value: Any) -> Any:
    """A copy of a JSON value in which every object under a key named contact, in any
    case and at any depth, has lost its personal fields."""
    if isinstance(value, dict):
        return {
            key: (
                strip_every_contact(_without_personal(item))
                if str(key).lower() == "contact"
                else strip_every_contact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [strip_every_contact(item) for item in value]
    return value
