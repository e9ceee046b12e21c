"""The simulator's ASGI application: every API mounted behind the gateway."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from pipelines.simulator import referentiel_agences, rome
from pipelines.simulator.admin import AdminApi
from pipelines.simulator.catalogue import APIS_BY_NAME, TOKEN_PATH
from pipelines.simulator.gateway import ADMIN_PREFIX, Gateway
from pipelines.simulator.labonneboite import LaBonneBoiteApi
from pipelines.simulator.marche_travail import MarcheTravailApi
from pipelines.simulator.offres import OffresApi
from pipelines.simulator.responses import ApiError
from pipelines.simulator.state import SimulatorState
from pipelines.simulator.tokens import TokenEndpoint


def _backends(state: SimulatorState) -> dict[str, list[BaseRoute]]:
    """The routes of each API, relative to its base path."""
    seed = state.config.seed
    return {
        "offresdemploi": OffresApi(state).routes(),
        "labonneboite": LaBonneBoiteApi(seed).routes(),
        "rome-metiers": rome.metiers_routes(),
        "rome-competences": rome.competences_routes(),
        "rome-fiches-metiers": rome.fiches_metiers_routes(),
        "rome-contextes-travail": rome.contextes_travail_routes(),
        "stats-offres-demandes-emploi": MarcheTravailApi(seed, state.clock).routes(),
        "referentielagences": referentiel_agences.routes(),
    }


@contextlib.asynccontextmanager
async def _one_worker_thread(app: Starlette) -> AsyncIterator[None]:
    """Run the endpoints' work in one thread at a time.

    Pages are built in a worker thread so the event loop stays free to stamp each
    request's arrival; with a single worker the loop competes with one thread, not
    dozens, for the interpreter lock, and the stamps stay within milliseconds.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = 1
    yield


def create_app(state: SimulatorState) -> Starlette:
    """The application serving one simulator state."""

    async def api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return error.response(state.clock())

    token_endpoint = TokenEndpoint(state.config, state.tokens, state.clock)
    routes: list[BaseRoute] = [
        Route(TOKEN_PATH, token_endpoint.handle, methods=["POST"]),
        Mount(ADMIN_PREFIX, routes=AdminApi(state).routes()),
    ]
    routes += [
        Mount(APIS_BY_NAME[name].prefix, routes=api_routes)
        for name, api_routes in _backends(state).items()
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(Gateway, state=state)],
        exception_handlers={ApiError: api_error},
        lifespan=_one_worker_thread,
    )
