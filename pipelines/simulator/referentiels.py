"""The référentiels of the offers API: ``GET /referentiel/{name}`` lists.

Every code the corpus puts in an offer comes from these lists, so each joins to its
label: ``romeCode`` to ``metiers``, ``typeContrat`` to ``typesContrats``, ``codeNAF`` to
``nafs``, ``secteurActivite`` to ``secteursActivites``, ``lieuTravail.commune`` to
``communes`` (and through it to ``departements`` and ``regions``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pipelines.simulator import geography, nomenclature


def _pairs(mapping: dict[str, str]) -> list[dict]:
    return [{"code": code, "libelle": libelle} for code, libelle in mapping.items()]


@cache
def _builtin() -> dict[str, list[dict]]:
    regions = geography.regions_by_code()
    return {
        "appellations": [
            {"code": a.code, "libelle": a.libelle} for a in nomenclature.appellations()
        ],
        "communes": [
            {
                "code": commune.code,
                "libelle": geography.plain_upper(commune.name),
                "codePostal": commune.code_postal,
                "codeDepartement": commune.departement,
            }
            for commune in geography.communes()
        ],
        "continents": _pairs(nomenclature.CONTINENTS),
        "departements": [
            {
                "code": departement.code,
                "libelle": departement.libelle,
                "region": {
                    "code": departement.region_code,
                    "libelle": regions[departement.region_code].libelle,
                },
            }
            for departement in geography.departements()
        ],
        "domaines": _pairs(nomenclature.DOMAINES),
        "langues": _pairs(nomenclature.LANGUES),
        "metiers": [
            {"code": m.code, "libelle": m.libelle} for m in nomenclature.metiers()
        ],
        "nafs": [
            {"code": code, "libelle": libelle}
            for code, libelle, _ in nomenclature.nafs()
        ],
        "naturesContrats": _pairs(nomenclature.NATURES_CONTRATS),
        "niveauxFormations": _pairs(nomenclature.NIVEAUX_FORMATIONS),
        "pays": _pairs(nomenclature.PAYS),
        "permis": _pairs(nomenclature.PERMIS),
        "regions": [{"code": r.code, "libelle": r.libelle} for r in geography.REGIONS],
        "secteursActivites": _pairs(nomenclature.SECTEURS_ACTIVITE),
        "themes": _pairs(nomenclature.THEMES),
        "typesContrats": _pairs(nomenclature.TYPES_CONTRATS),
    }


NAMES: tuple[str, ...] = tuple(sorted(_builtin()))


def referentiel(name: str, captures_dir: Path | None = None) -> list[dict] | None:
    """The items of a référentiel, None for an unknown name.

    A captured ``referentiel_<name>.json`` in ``captures_dir`` replaces the built-in
    list (the captured countries list is complete where the built-in one is a sample).
    """
    if name not in _builtin():
        return None
    if captures_dir is not None:
        captured = captures_dir / f"referentiel_{name}.json"
        if captured.is_file():
            return json.loads(captured.read_text(encoding="utf-8"))
    return _builtin()[name]
