"""Load the France Travail agencies and the communes each one serves.

The list is small and read whole, so a load replaces both tables in one transaction.
An agency's phone number and e-mail address are its contact details: like an offer's
contact, they are dropped before anything is stored unless the load is asked to keep
them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pipelines.warehouse.api_items import bool_at, float_at, list_at, text_at
from pipelines.warehouse.partner_schema import agences, agences_zones_competence
from pipelines.warehouse.privacy import strip_keys_everywhere
from pipelines.warehouse.replace import keyed_by, replace_tables
from pipelines.warehouse.storable import storable_json

logger = logging.getLogger(__name__)

# The agency's contact fields (in its ``contact`` object), compared in lower case
# wherever they sit in the item.
_CONTACT_KEYS = frozenset(
    {"telephonepublic", "telephone", "email", "courriel", "mail", "phone", "fax"}
)


@dataclass(frozen=True)
class AgencesResult:
    """Rows now in `agences` and `agences_zones_competence`."""

    agences: int
    communes_servies: int


def load_agences(
    engine: sa.Engine, items: list[dict[str, Any]], *, store_contacts: bool = False
) -> AgencesResult:
    """Replace the agencies with ``items`` (``GET /agences``).

    Args:
        items: the agencies; ``zoneCompetence`` (asked with ``zonecompetence=true``)
            fills `agences_zones_competence`.
        store_contacts: keep the phone number and e-mail address, in the columns and
            the raw JSON.
    """
    by_code, dropped = keyed_by(items, "code")
    if dropped:
        logger.warning(
            "agences: %d items without a code or with a repeated code", dropped
        )

    rows, served = [], {}
    for code, item in by_code.items():
        if not store_contacts:
            item = strip_contacts(item)
        rows.append(_row(code, item))
        for zone in list_at(item, "zoneCompetence"):
            commune = text_at(zone, "communeInsee")
            if commune is not None:
                served[code, commune] = {"agence_code": code, "commune": commune}

    counts = replace_tables(
        engine, {agences: rows, agences_zones_competence: list(served.values())}
    )
    logger.info("loaded agences: %d, serving %d communes", len(rows), len(served))
    return AgencesResult(
        agences=counts[agences.name],
        communes_servies=counts[agences_zones_competence.name],
    )


def strip_contacts(item: dict[str, Any]) -> dict[str, Any]:
    """The agency without its phone numbers and e-mail addresses, under any spelling
    and at any depth; the caller's dict is kept."""
    return strip_keys_everywhere(item, _CONTACT_KEYS)


def departement_of_commune(commune: str | None) -> str | None:
    """The département of an INSEE commune code: 2 characters, 3 overseas (97x)."""
    if not commune or len(commune) != 5:
        return None
    return commune[:3] if commune.startswith("97") else commune[:2]


def _row(code: str, item: dict[str, Any]) -> dict[str, Any]:
    commune = text_at(item, "adressePrincipale.communeImplantation")
    return {
        "code": code,
        "code_safir": text_at(item, "codeSafir"),
        "libelle": text_at(item, "libelle"),
        "libelle_etendu": text_at(item, "libelleEtendu"),
        "type": text_at(item, "type"),
        "type_accueil": text_at(item, "typeAccueil"),
        "code_region_insee": text_at(item, "codeRegionINSEE"),
        "dispositif_adeda": bool_at(item, "dispositifADEDA"),
        "siret": text_at(item, "siret"),
        "adresse_principale_ligne4": text_at(item, "adressePrincipale.ligne4"),
        "adresse_principale_ligne5": text_at(item, "adressePrincipale.ligne5"),
        "adresse_principale_ligne6": text_at(item, "adressePrincipale.ligne6"),
        "adresse_principale_gps_lat": float_at(item, "adressePrincipale.gpsLat"),
        "adresse_principale_gps_lon": float_at(item, "adressePrincipale.gpsLon"),
        "adresse_principale_commune_implantation": commune,
        "adresse_principale_bureau_distributeur": text_at(
            item, "adressePrincipale.bureauDistributeur"
        ),
        "departement": departement_of_commune(commune),
        "contact_telephone_public": text_at(item, "contact.telephonePublic"),
        "contact_email": text_at(item, "contact.email"),
        "raw": storable_json(item),
    }
