"""La Bonne Boîte v2: ``GET /recherche``, companies likely to hire, by ROME and place.

Behaviour observed on the live API: ``rome`` is repeatable (``rome=M1805&rome=M1855``; a
comma-joined value is one unknown code and finds nothing), a location is mandatory
(``citycode``, ``latitude`` + ``longitude``, ``department_number``, ``postcode``,
``city`` or ``region``) and its absence answers 422, ``distance`` (km) is at most 200,
``page`` starts at 1 and ``page_size`` is at most 100 (default 10). Validation errors
use the ``{"detail": [{"loc", "msg", "type"}]}`` body of the API's framework.

Companies are generated per département from the seed: at least one establishment per
ROME code, each in a commune of `geography`, so results join to the offers' ROME codes,
départements and communes.
"""

from __future__ import annotations

import math
import random
import threading

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.simulator import geography, nomenclature
from pipelines.simulator.geography import Commune
from pipelines.simulator.names import COMPANY_WORDS, SURNAMES
from pipelines.simulator.responses import json_response

MAX_DISTANCE_KM = 200
DEFAULT_DISTANCE_KM = 30
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10

_HEADCOUNTS = (
    (1, 2),
    (3, 5),
    (6, 9),
    (10, 19),
    (20, 49),
    (50, 99),
    (100, 199),
    (200, 499),
)


def _unprocessable(field: str, message: str, kind: str = "value_error") -> Response:
    detail = [{"loc": ["query", field], "msg": message, "type": kind}]
    return json_response({"detail": detail}, 422)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class LaBonneBoiteApi:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._companies: dict[str, tuple[dict, ...]] = {}
        self._lock = threading.Lock()

    def routes(self) -> list[Route]:
        return [Route("/recherche", self.recherche, methods=["GET"])]

    def companies(self, departement: str) -> tuple[dict, ...]:
        """Every establishment of a département, across all ROME codes."""
        with self._lock:
            if departement not in self._companies:
                self._companies[departement] = self._generate(departement)
            return self._companies[departement]

    def _generate(self, departement: str) -> tuple[dict, ...]:
        rng = random.Random(f"{self._seed}:labonneboite:{departement}")
        communes = geography.communes_by_departement()[departement]
        region = geography.region_of_departement(departement)
        departement_name = geography.departements_by_code()[departement].libelle
        items = []
        for metier in nomenclature.metiers():
            nafs = nomenclature.nafs_for_grand_domaine(metier.grand_domaine)
            # At least one establishment per ROME code, more where there are more towns.
            for _ in range(rng.randint(1, 1 + len(communes))):
                commune = rng.choice(communes)
                naf, naf_label = rng.choice(nafs)
                surname = rng.choice(SURNAMES)
                name = f"{rng.choice(COMPANY_WORDS[metier.grand_domaine])} {surname}"
                siren = rng.randrange(300_000_000, 999_999_999)
                siret = f"{siren}{rng.randrange(10, 99999):05d}"
                low, high = rng.choice(_HEADCOUNTS)
                potential = round(rng.random() * 4.5 + 0.5, 2)
                items.append(
                    {
                        "siret": siret,
                        "company_name": name,
                        "office_name": f"{name} {geography.plain_upper(commune.name)}",
                        "naf": naf.replace(".", ""),
                        "naf_label": naf_label,
                        "headcount_min": low,
                        "headcount_max": high,
                        "location": {"lat": commune.latitude, "lon": commune.longitude},
                        "city": commune.name,
                        "citycode": commune.code,
                        "postcode": commune.code_postal,
                        "department": departement_name,
                        "department_number": departement,
                        "region": region.libelle,
                        "hiring_potential": potential,
                        "is_high_potential": potential >= 4.0,
                        "rome": metier.code,
                        "id": f"{siret}-{metier.code}",
                        "email": rng.choice(("yes", "no")),
                    }
                )
        return tuple(items)

    def recherche(self, request: Request) -> Response:
        params = request.query_params
        romes = params.getlist("rome")

        try:
            page = int(params.get("page", "1"))
            page_size = int(params.get("page_size", str(DEFAULT_PAGE_SIZE)))
            distance = float(params.get("distance", str(DEFAULT_DISTANCE_KM)))
        except ValueError:
            return _unprocessable(
                "page", "Input should be a valid number", "int_parsing"
            )
        if page < 1:
            return _unprocessable("page", "Input should be greater than or equal to 1")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return _unprocessable(
                "page_size", f"Input should be less than or equal to {MAX_PAGE_SIZE}"
            )
        if not 0 <= distance <= MAX_DISTANCE_KM:
            return _unprocessable(
                "distance", f"Input should be less than or equal to {MAX_DISTANCE_KM}"
            )

        located = self._locate(params, distance)
        if isinstance(located, Response):
            return located
        candidates, resolved = located

        wanted = set(romes) if romes else None
        naf = params.get("naf")
        hits = [
            item
            for item in candidates
            if (wanted is None or item["rome"] in wanted)
            and (naf is None or item["naf"] == naf.replace(".", ""))
        ]
        hits.sort(
            key=lambda item: (-item["hiring_potential"], item["siret"], item["rome"])
        )
        start = (page - 1) * page_size
        body = {
            "hits": len(hits),
            "items": hits[start : start + page_size],
            "params": {
                **{name: params.get(name) for name in params if name != "rome"},
                "rome": romes,
                "page": page,
                "page_size": page_size,
            },
            "resolved_params": {**resolved, "distance": distance},
        }
        return json_response(body)

    def _locate(self, params, distance: float) -> Response | tuple[list[dict], dict]:
        """Candidate companies for the request's location, and the resolved location."""
        by_code = geography.communes_by_code()
        point: Commune | None = None
        if "citycode" in params:
            point = by_code.get(params["citycode"])
            if point is None:
                return _unprocessable("citycode", "Unknown city code")
        elif "postcode" in params:
            point = next(
                (
                    c
                    for c in geography.communes()
                    if c.code_postal == params["postcode"]
                ),
                None,
            )
            if point is None:
                return _unprocessable("postcode", "Unknown postcode")
        elif "city" in params:
            wanted = geography.plain_upper(params["city"])
            point = next(
                (
                    c
                    for c in geography.communes()
                    if geography.plain_upper(c.name) == wanted
                ),
                None,
            )
            if point is None:
                return _unprocessable("city", "Unknown city")
        elif "latitude" in params and "longitude" in params:
            try:
                latitude, longitude = (
                    float(params["latitude"]),
                    float(params["longitude"]),
                )
            except ValueError:
                return _unprocessable("latitude", "Input should be a valid number")
            return self._around(latitude, longitude, distance), {
                "latitude": latitude,
                "longitude": longitude,
            }
        elif "department_number" in params:
            code = params["department_number"]
            if code not in geography.departements_by_code():
                return _unprocessable("department_number", "Unknown department")
            return list(self.companies(code)), {"department_number": code}
        elif "region" in params:
            region = params["region"]
            codes = [
                d.code
                for d in geography.departements()
                if region
                in (d.region_code, geography.regions_by_code()[d.region_code].libelle)
            ]
            if not codes:
                return _unprocessable("region", "Unknown region")
            items = [item for code in codes for item in self.companies(code)]
            return items, {"region": region}
        else:
            return _unprocessable(
                "location",
                "A location is required: citycode, latitude and longitude, "
                "department_number, postcode, city or region",
                "missing",
            )

        resolved = {
            "citycode": point.code,
            "city": point.name,
            "latitude": point.latitude,
            "longitude": point.longitude,
        }
        return self._around(point.latitude, point.longitude, distance), resolved

    def _around(self, latitude: float, longitude: float, distance: float) -> list[dict]:
        near = {
            commune.departement
            for commune in geography.communes()
            if _distance_km(latitude, longitude, commune.latitude, commune.longitude)
            <= distance
        }
        return [
            item
            for code in sorted(near)
            for item in self.companies(code)
            if _distance_km(
                latitude, longitude, item["location"]["lat"], item["location"]["lon"]
            )
            <= distance
        ]
