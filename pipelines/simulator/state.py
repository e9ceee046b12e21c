"""Everything a running simulator remembers, shared by the server thread and the tests.

Tests in the same process drive it directly (``sim.state``); tests in another process
use the admin endpoints, which call the same methods.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from pipelines.calendar import paris_date
from pipelines.simulator.config import SimulatorConfig
from pipelines.simulator.corpus import Corpus
from pipelines.simulator.faults import FaultQueue
from pipelines.simulator.ratelimit import QuotaLimiter
from pipelines.simulator.tokens import TokenRegistry

# Status recorded for a request whose connection was closed without any response.
NO_RESPONSE = 0


@dataclass(frozen=True)
class RequestRecord:
    """One request as the simulator received it.

    ``at`` is the arrival time (epoch seconds, from the simulator's clock); ``query``
    maps each parameter to its value, or to the list of its values when repeated;
    ``status`` is what was answered (`NO_RESPONSE` when the connection was closed
    instead); ``api`` is the catalogue name, ``"token"`` for the token endpoint, None
    for unknown paths.
    """

    at: float
    method: str
    path: str
    query: dict
    status: int
    client_id: str | None
    api: str | None

    def to_json(self) -> dict:
        return asdict(self)


class SimulatorState:
    """Corpus, tokens, quotas, scripted faults and the request log of one simulator."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.clock = config.clock
        today = paris_date(datetime.fromtimestamp(self.clock(), UTC))
        self.corpus = Corpus(config, today)
        self.tokens = TokenRegistry()
        self.quotas = QuotaLimiter(config.quota)
        self.faults = FaultQueue()
        self.request_log: list[RequestRecord] = []
        self._log_lock = threading.Lock()

    def record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self.request_log.append(record)

    def requests_since(self, index: int = 0) -> list[RequestRecord]:
        """A copy of the log from position ``index`` on."""
        with self._log_lock:
            return self.request_log[index:]

    def clear_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()

    def expire_tokens(self) -> int:
        """Make every issued token answer 401; returns how many were still valid."""
        return self.tokens.expire_all()

    def withdraw(self, ids: Iterable[str]) -> int:
        """Stop serving offers (search skips them, ``GET /offres/{id}`` answers 204)."""
        return self.corpus.withdraw(ids)

    def update(self, ids: Iterable[str]) -> int:
        """Move the offers' ``dateActualisation`` to now and change ``nombrePostes``."""
        return self.corpus.update(ids, self.clock())

    def ids_created_on(self, day: date) -> list[str]:
        return self.corpus.ids_created_on(day)
