"""Référentiel des agences: ``GET /agences``, every France Travail agency in one array.

``commune=<INSEE code>`` keeps the agencies located in that commune; ``horaire=true``
adds opening hours and ``zonecompetence=true`` the communes each agency serves. The
agencies are those offers name in their contact (see `agencies`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.simulator import geography
from pipelines.simulator.agencies import Agency, agencies
from pipelines.simulator.responses import json_response

_HOURS = [
    {
        "jour": day,
        "horaireFerme": "N",
        "ouvertureMatin": "08:30",
        "fermetureMatin": "12:30",
        "ouvertureApresMidi": "13:30",
        "fermetureApresMidi": "16:30",
    }
    for day in range(1, 6)
]


def _item(agency: Agency, hours: bool, zone: bool) -> dict:
    commune = agency.commune
    item: dict = {
        "code": agency.code,
        "codeSafir": agency.code_safir,
        "libelle": geography.plain_upper(commune.name),
        "libelleEtendu": agency.libelle,
        "type": "APE",
        "typeAccueil": "3",
        "codeRegionINSEE": agency.region_code,
        "dispositifADEDA": agency.code_safir.endswith(("1", "4")),
        "contact": {"telephonePublic": "39 49", "email": agency.email},
        "siret": f"130005481{int(agency.code_safir) % 100_000:05d}",
        "adressePrincipale": {
            "ligne4": agency.street,
            "ligne6": agency.town_line,
            "gpsLon": commune.longitude,
            "gpsLat": commune.latitude,
            "communeImplantation": commune.code,
            "bureauDistributeur": commune.code_postal,
        },
    }
    if hours:
        item["horaires"] = _HOURS
    if zone:
        item["zoneCompetence"] = [{"communeInsee": commune.code}]
    return item


def agences(request: Request) -> Response:
    params = request.query_params
    commune = params.get("commune")
    hours = params.get("horaire") == "true"
    zone = params.get("zonecompetence") == "true"
    items = [
        _item(agency, hours, zone)
        for agency in agencies()
        if commune is None or agency.commune.code == commune
    ]
    return json_response(items)


def routes() -> list[Route]:
    return [Route("/agences", agences, methods=["GET"])]
