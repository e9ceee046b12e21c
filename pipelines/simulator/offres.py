"""Offres d'emploi v2: ``/offres/search``, ``/offres/{id}`` and ``/referentiel/{name}``.

Status codes and headers follow the documentation: searches answer 200, 206 or 204 with
``Content-Range: offres p-d/total`` (total not capped) and ``Accept-Range: 150``; a
single offer answers 200, or 204 once it is no longer served; référentiels answer 200
with ``Content-Range: <name> */<size>``.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.simulator import referentiels
from pipelines.simulator.replay import Captures, load_captures
from pipelines.simulator.responses import (
    JSON_MEDIA_TYPE,
    ApiError,
    dumps,
    empty_response,
    json_response,
)
from pipelines.simulator.search import (
    PAGE_LIMIT,
    SearchIndex,
    page,
    parse_filters,
    parse_range,
)
from pipelines.simulator.state import SimulatorState

OFFER_ID_FORMAT = re.compile(r"^[0-9A-Z]{7}$")
OFFER_ID_MESSAGE = "Le format de l'id de l'offre recherchée est incorrect."


class OffresApi:
    """The endpoints of the offers API over one simulator state.

    The endpoints are plain functions, which Starlette runs in its thread pool: building
    a page takes milliseconds, and the event loop must stay free to stamp the arrival of
    every other request on time (the request log is the referee of the quota).
    """

    def __init__(self, state: SimulatorState) -> None:
        self._state = state
        self._config = state.config
        self._index = SearchIndex(state.corpus)
        self._captures: Captures | None = None
        if state.config.replay_dir is not None:
            self._captures = load_captures(state.config.replay_dir)

    def routes(self) -> list[Route]:
        return [
            Route("/offres/search", self.search, methods=["GET"]),
            Route("/offres/{offer_id}", self.offer, methods=["GET"]),
            Route("/referentiel/{name}", self.referentiel, methods=["GET"]),
        ]

    def search(self, request: Request) -> Response:
        filters = parse_filters(request.query_params, self._state.clock())
        first, last = parse_range(
            request.query_params.get("range"), self._config.range_max_start
        )
        if self._captures is not None and self._captures.search_body is not None:
            return self._replayed_search(first, last)

        result = self._index.result(filters)
        cut = page(result.offers, first, last, self._config.final_page_status)
        headers = {"Content-Range": cut.content_range, "Accept-Range": str(PAGE_LIMIT)}
        if cut.status == 204:
            return empty_response(204, headers)

        body = {
            "resultats": [self._state.corpus.document(offer) for offer in cut.items],
            "filtresPossibles": result.filtres_possibles,
        }
        return Response(dumps(body), cut.status, headers, media_type=JSON_MEDIA_TYPE)

    def _replayed_search(self, first: int, last: int) -> Response:
        """The captured answer, whatever the filters; its own bytes when the range
        covers all of it, its offers re-encoded for any other page."""
        captures = self._captures
        assert captures is not None and captures.search_body is not None
        offers = captures.search.get("resultats", [])
        cut = page(offers, first, last, self._config.final_page_status)
        headers = {"Content-Range": cut.content_range, "Accept-Range": str(PAGE_LIMIT)}
        if cut.status == 204:
            return empty_response(204, headers)

        if len(cut.items) == len(offers):
            body = captures.search_body
        else:
            filtres = captures.search.get("filtresPossibles", [])
            body = dumps({"resultats": cut.items, "filtresPossibles": filtres})
        return Response(body, cut.status, headers, media_type=JSON_MEDIA_TYPE)

    def offer(self, request: Request) -> Response:
        offer_id = request.path_params["offer_id"]
        if not OFFER_ID_FORMAT.match(offer_id):
            raise ApiError(400, OFFER_ID_MESSAGE)

        if self._captures is not None and self._captures.offers:
            body = self._captures.offers.get(offer_id)
            if body is None:
                return empty_response(204)
            return Response(body, 200, media_type=JSON_MEDIA_TYPE)

        document = self._state.corpus.offer(offer_id)
        if document is None:
            return empty_response(204)
        return json_response(document)

    def referentiel(self, request: Request) -> Response:
        name = request.path_params["name"]
        if self._captures is not None and name in self._captures.referentiels:
            size = self._captures.referentiel_size(name)
            headers = {"Content-Range": f"{name} */{size}"}
            body = self._captures.referentiels[name]
            return Response(body, 200, headers, media_type=JSON_MEDIA_TYPE)

        items = referentiels.referentiel(name, self._config.captures_dir)
        if items is None:
            raise ApiError(404, f"Le référentiel « {name} » n'existe pas.")
        return json_response(items, 200, {"Content-Range": f"{name} */{len(items)}"})
