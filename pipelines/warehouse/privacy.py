"""Keep the contact person's personal data out of the warehouse unless asked for.

An offer's ``contact`` object may name a person and give a phone number, an e-mail and
postal lines. The offers licence forbids keeping them in derived databases and the GDPR
asks for a purpose before storing them, so by default they are removed from the offer
before anything is stored: they reach neither the typed columns nor the raw JSON.
"""

from __future__ import annotations

from typing import Any

from pipelines.warehouse.fields import PERSONAL_CONTACT_KEYS


def strip_personal_contact(offer: dict[str, Any]) -> dict[str, Any]:
    """The offer without the personal contact fields; the caller's dict is not modified.

    Offers that carry none of those fields are returned as they are, so the common case
    (partner offers have no contact at all) costs one lookup.
    """
    contact = offer.get("contact")
    if not isinstance(contact, dict) or not any(
        key in contact for key in PERSONAL_CONTACT_KEYS
    ):
        return offer

    kept = {k: v for k, v in contact.items() if k not in PERSONAL_CONTACT_KEYS}
    return {**offer, "contact": kept}
