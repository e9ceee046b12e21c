"""Small hand-made offers in the shape of the real ones, for exact expectations."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

_BASE: dict[str, Any] = {
    "intitule": "Data engineer (H/F)",
    "description": "Concevoir des pipelines de données.",
    "lieuTravail": {
        "libelle": "75 - PARIS 08",
        "latitude": 48.873635,
        "longitude": 2.3116,
        "codePostal": "75008",
        "commune": "75108",
    },
    "romeCode": "M1811",
    "romeLibelle": "Data engineer",
    "appellationlibelle": "Data engineer",
    "entreprise": {"nom": "ACME", "entrepriseAdaptee": False},
    "typeContrat": "CDI",
    "typeContratLibelle": "CDI",
    "natureContrat": "Contrat travail",
    "experienceExige": "D",
    "experienceLibelle": "Débutant accepté",
    "competences": [
        {"code": "300067", "libelle": "Analyser des données", "exigence": "S"},
        {"libelle": "Python", "exigence": "E"},
    ],
    "salaire": {
        "libelle": "Mensuel de 2500 Euros à 2800 Euros sur 12 mois",
        "complement1": "Chèque repas",
    },
    "alternance": False,
    "contact": {
        "nom": "ACME - Mme Jeanne Martin",
        "coordonnees1": "1 rue de la Paix",
        "coordonnees2": "75002 PARIS",
        "telephone": "01 23 45 67 89",
        "courriel": "jeanne.martin@example.org",
        "urlPostulation": "https://example.org/postuler",
    },
    "nombrePostes": 1,
    "accessibleTH": False,
    "origineOffre": {"origine": "1", "urlOrigine": "https://example.org/offre"},
}


def instant(text: str) -> datetime:
    """``2026-03-02T08:00:00`` read as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def offer(offer_id: str, created: str, **fields: Any) -> dict[str, Any]:
    """An offer created at ``created`` (UTC, ``2026-03-02T08:00:00``); ``fields``
    replace top-level keys; a value of None removes the key."""
    document = copy.deepcopy(_BASE)
    document["id"] = offer_id
    document["dateCreation"] = f"{created}.000Z"
    document["dateActualisation"] = f"{created}.000Z"
    for key, value in fields.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def place(libelle: str, commune: str | None = None) -> dict[str, Any]:
    """A lieuTravail: with a commune code, or only a label (département, région)."""
    if commune is None:
        return {"libelle": libelle}
    return {"libelle": libelle, "commune": commune}
