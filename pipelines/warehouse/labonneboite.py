"""Load La Bonne Boîte's establishments one département at a time.

A département's rows are replaced together, in one transaction, so loading the same
partition twice leaves the same rows and a failed load leaves the previous ones. The
ROME codes asked for are those of the département's open offers, read here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pipelines.warehouse.api_items import bool_at, float_at, int_at, text_at
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.partner_schema import labonneboite_entreprises
from pipelines.warehouse.privacy import strip_keys_everywhere
from pipelines.warehouse.schema import offres
from pipelines.warehouse.storable import storable_json

logger = logging.getLogger(__name__)

# An establishment's contact details. The v2 API serves ``email`` as "yes" or "no",
# never an address: that flag is no personal data and is kept. An address or a phone
# number (the v1 API served them) reaches the employer's contact and is stored only
# when a load is asked to store contacts. The keys are compared in lower case, wherever
# they sit in the item.
_CONTACT_KEYS = frozenset(
    {"email", "phone", "mail", "telephone", "courriel", "portable"}
)
_NOT_CONTACT_VALUES = frozenset({"yes", "no"})


@dataclass(frozen=True)
class RomeCodes:
    """The ROME codes to search for in one département.

    Attributes:
        codes: the most frequent codes among the open offers, most frequent first.
        total: how many distinct codes the open offers carry, ``codes`` included.
    """

    codes: list[str]
    total: int


@dataclass(frozen=True)
class LaBonneBoiteResult:
    """What replacing one département's establishments did."""

    departement: str
    rows: int
    previous_rows: int


def open_offer_rome_codes(engine: sa.Engine, departement: str, limit: int) -> RomeCodes:
    """The ``limit`` ROME codes most used by the open offers of a département.

    Ties are broken by code, so equal warehouses give equal searches.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    offers = sa.func.count().label("offers")
    query = (
        sa.select(offres.c.rome_code, offers)
        .where(
            offres.c.closed_at.is_(None),
            offres.c.lieu_travail_departement == departement,
            offres.c.rome_code.is_not(None),
        )
        .group_by(offres.c.rome_code)
        .order_by(offers.desc(), offres.c.rome_code)
    )
    with engine.connect() as connection:
        codes = [code for code, _ in connection.execute(query)]
    return RomeCodes(codes=codes[:limit], total=len(codes))


def load_labonneboite(
    engine: sa.Engine,
    departement: str,
    items: list[dict[str, Any]],
    *,
    store_contacts: bool = False,
    now: datetime | None = None,
) -> LaBonneBoiteResult:
    """Replace the establishments of ``departement`` with ``items``.

    Args:
        items: the search results, every page; an establishment found for several
            ROME codes is one row per code, and a (SIRET, ROME) pair found twice keeps
            its last item.
        store_contacts: keep e-mail addresses and phone numbers, in the columns and
            the raw JSON; by default they are dropped before anything is stored.
        now: the load's timestamp (``loaded_at``); the current time by default.
    """
    loaded_at = now or datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        siret, rome = text_at(item, "siret"), text_at(item, "rome")
        if siret is None or rome is None:
            continue
        if not store_contacts:
            item = strip_contacts(item)
        rows[siret, rome] = _row(departement, siret, rome, item, loaded_at)
    skipped = len(items) - len(rows)
    if skipped:
        logger.warning(
            "La Bonne Boîte %s: %d items without SIRET or ROME code, or repeated",
            departement,
            skipped,
        )

    table = labonneboite_entreprises
    in_departement = table.c.departement == departement
    with engine.connect() as connection, write_transaction(connection):
        previous = connection.execute(
            sa.select(sa.func.count()).select_from(table).where(in_departement)
        ).scalar_one()
        connection.execute(sa.delete(table).where(in_departement))
        if rows:
            connection.execute(sa.insert(table), list(rows.values()))
    logger.info(
        "loaded La Bonne Boîte %s: %d establishments (%d before)",
        departement,
        len(rows),
        previous,
    )
    return LaBonneBoiteResult(
        departement=departement, rows=len(rows), previous_rows=previous
    )


def strip_contacts(item: dict[str, Any]) -> dict[str, Any]:
    """The item without contact details, under any spelling and at any depth; the
    caller's dict is not modified."""
    return strip_keys_everywhere(
        item,
        _CONTACT_KEYS,
        keep=lambda value: str(value).strip().lower() in _NOT_CONTACT_VALUES,
    )


def _row(
    departement: str,
    siret: str,
    rome: str,
    item: dict[str, Any],
    loaded_at: datetime,
) -> dict[str, Any]:
    return {
        "departement": departement,
        "siret": siret,
        "rome": rome,
        "company_name": text_at(item, "company_name"),
        "office_name": text_at(item, "office_name"),
        "naf": text_at(item, "naf"),
        "naf_label": text_at(item, "naf_label"),
        "headcount_min": int_at(item, "headcount_min"),
        "headcount_max": int_at(item, "headcount_max"),
        "location_lat": float_at(item, "location.lat"),
        "location_lon": float_at(item, "location.lon"),
        "city": text_at(item, "city"),
        "citycode": text_at(item, "citycode"),
        "postcode": text_at(item, "postcode"),
        "department": text_at(item, "department"),
        "region": text_at(item, "region"),
        "hiring_potential": float_at(item, "hiring_potential"),
        "is_high_potential": bool_at(item, "is_high_potential"),
        "email": text_at(item, "email"),
        "raw": storable_json(item),
        "loaded_at": loaded_at,
    }
