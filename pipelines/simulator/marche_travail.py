"""Marché du travail: offer and job-seeker indicators by territory, job and period.

``POST /indicateur/stat-offres`` and ``POST /indicateur/stat-demandeurs`` take a JSON
body ``{codeTypeTerritoire, codeTerritoire, codeTypeActivite, codeActivite,
codeTypePeriode, codeTypeNomenclature, dernierePeriode}`` and answer XML unless the
request sends ``Accept: application/json``, as the real API does. Territories are
``NAT`` (``FR``), ``REG`` and ``DEP`` codes of `geography`; activities are ``ROME``
codes of `nomenclature` or ``CUMUL`` (all); periods are quarters (``TRIMESTRE``,
``2025T3``) or years (``ANNEE``). The latest period is the last complete one before the
simulator's today. Values are drawn from the seed, so they are stable across runs.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from datetime import UTC, date, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.simulator import geography, nomenclature
from pipelines.simulator.responses import ApiError, json_response

REQUIRED_FIELDS = (
    "codeTypeTerritoire",
    "codeTerritoire",
    "codeTypeActivite",
    "codeActivite",
    "codeTypePeriode",
    "codeTypeNomenclature",
)
HISTORY_PERIODS = 8

# Breakdown of each indicator: (characteristic type, [(code, libellé, share)]).
_BREAKDOWNS = {
    "stat-offres": (
        "TYPE_CONTRAT",
        [("CDI", "Contrat à durée indéterminée", 0.48), ("CDD", "CDD de 6 mois ou plus",
         0.22), ("CDDC", "CDD de moins de 6 mois", 0.18), ("MIS", "Mission d'intérim",
         0.12)],
    ),
    "stat-demandeurs": (
        "CATCAND",
        [("A", "Catégorie A", 0.56), ("B", "Catégorie B", 0.17), ("C", "Catégorie C",
         0.27)],
    ),
}  # fmt: skip
_TERRITORY_SCALE = {"NAT": 60_000, "REG": 6_000, "DEP": 900}


def _territory_label(kind: str, code: str) -> str | None:
    if kind == "NAT":
        return "France entière" if code == "FR" else None
    if kind == "REG":
        region = geography.regions_by_code().get(code)
        return region.libelle if region else None
    if kind == "DEP":
        departement = geography.departements_by_code().get(code)
        return departement.libelle if departement else None
    return None


def _activity_label(kind: str, code: str) -> str | None:
    if kind == "CUMUL":
        return "Tous métiers" if code == "CUMUL" else None
    if kind == "ROME":
        metier = nomenclature.metiers_by_code().get(code)
        return metier.libelle if metier else None
    return None


def _periods(kind: str, today: date, count: int) -> list[tuple[str, str]]:
    """The ``count`` latest complete periods, newest first: (code, libellé)."""
    periods = []
    if kind == "ANNEE":
        for year in range(today.year - 1, today.year - 1 - count, -1):
            periods.append((str(year), f"Année {year}"))
        return periods
    year, quarter = today.year, (today.month - 1) // 3
    for _ in range(count):
        if quarter == 0:
            year, quarter = year - 1, 4
        ordinal = "1er" if quarter == 1 else f"{quarter}e"
        periods.append((f"{year}T{quarter}", f"{ordinal} trimestre {year}"))
        quarter -= 1
    return periods


def _to_xml(tag: str, value: object) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_to_xml(key, item))
    elif isinstance(value, list):
        # XML needs a name per item; the singular of "listeX" is "x".
        child = tag.removeprefix("liste")
        child = child[0].lower() + child[1:] if child else "element"
        for item in value:
            element.append(_to_xml(child, item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
    return element


class MarcheTravailApi:
    def __init__(self, seed: int, clock: Callable[[], float]) -> None:
        self._seed = seed
        self._clock = clock

    def routes(self) -> list[Route]:
        return [
            Route(f"/indicateur/{name}", self._endpoint(name), methods=["POST"])
            for name in _BREAKDOWNS
        ]

    def _endpoint(self, indicator: str) -> Callable:
        async def endpoint(request: Request) -> Response:
            try:
                query = json.loads(await request.body())
            except ValueError:
                raise ApiError(400, "Le corps de la requête est mal formé.") from None
            document = self.indicator(indicator, query)
            if "application/json" in request.headers.get("accept", ""):
                return json_response(document)
            root = _to_xml("resultat", document)
            body = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)
            return Response(body, media_type="application/xml;charset=UTF-8")

        return endpoint

    def indicator(self, indicator: str, query: object) -> dict:
        """The values of one indicator for a validated query."""
        if not isinstance(query, dict):
            raise ApiError(400, "Le corps de la requête est mal formé.")
        for name in REQUIRED_FIELDS:
            if not query.get(name):
                raise ApiError(400, f"Le paramètre « {name} » est obligatoire.")
        territory_kind, territory = query["codeTypeTerritoire"], query["codeTerritoire"]
        activity_kind, activity = query["codeTypeActivite"], query["codeActivite"]
        period_kind = query["codeTypePeriode"]
        territory_label = _territory_label(territory_kind, territory)
        if territory_label is None:
            raise ApiError(400, "Valeur du paramètre « codeTerritoire » incorrecte.")
        activity_label = _activity_label(activity_kind, activity)
        if activity_label is None:
            raise ApiError(400, "Valeur du paramètre « codeActivite » incorrecte.")
        if period_kind not in ("TRIMESTRE", "ANNEE"):
            raise ApiError(400, "Valeur du paramètre « codeTypePeriode » incorrecte.")

        today = datetime.fromtimestamp(self._clock(), UTC).date()
        count = 1 if query.get("dernierePeriode") else HISTORY_PERIODS
        characteristic, shares = _BREAKDOWNS[indicator]
        values = []
        for code, label in _periods(period_kind, today, count):
            rng = random.Random(
                f"{self._seed}:{indicator}:{territory_kind}:{territory}:{activity}:{code}"
            )
            scale = _TERRITORY_SCALE[territory_kind]
            if activity_kind == "ROME":
                scale = max(scale // 40, 5)
            if period_kind == "ANNEE":
                scale *= 4
            total = rng.randrange(scale // 2, scale * 2)
            values.append(
                {
                    "codeTypeTerritoire": territory_kind,
                    "codeTerritoire": territory,
                    "libTerritoire": territory_label,
                    "codeTypeActivite": activity_kind,
                    "codeActivite": activity,
                    "libActivite": activity_label,
                    "codeNomenclature": query["codeTypeNomenclature"],
                    "codeTypePeriode": period_kind,
                    "codePeriode": code,
                    "libPeriode": label,
                    "valeurPrincipaleNombre": total,
                    "listeValeurParCaract": [
                        {
                            "codeTypeCaract": characteristic,
                            "codeCaract": caract,
                            "libCaract": caract_label,
                            "nombre": round(total * share),
                            "pourcentage": round(share * 100, 1),
                        }
                        for caract, caract_label, share in shares
                    ],
                }
            )
        return {"listeValeursParPeriode": values}
