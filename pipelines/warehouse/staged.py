"""The streaming half shared by partition loads and stock sweeps.

Both hold one connection for their whole life, stage offers as they arrive (flattened,
checked for drift, written by batches to the connection's TEMP tables), and end with
one write transaction of their own. This class does the first part; `OffresLoader` and
`StockSweep` each add their `commit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa

from pipelines.warehouse.drift import collect_unknown_paths
from pipelines.warehouse.flatten import FlatOffer, flatten_offer
from pipelines.warehouse.staging import Staging

# Offers flattened and held in memory before they are written to staging.
DEFAULT_BATCH_SIZE = 2000


class StagedLoad:
    """What loads and sweeps share: a connection with its staging tables, the batch of
    flattened offers not yet staged, and the drift seen so far."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        store_contacts: bool,
        now: datetime | None,
        batch_size: int,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.engine = engine
        self.store_contacts = store_contacts
        self.now = now
        self.batch_size = batch_size
        self.drift: set[str] = set()
        self._batch: list[FlatOffer] = []
        self._connection: sa.Connection | None = None
        self._staging: Staging | None = None
        self._committed = False

    def __enter__(self) -> Self:
        self._connection = self.engine.connect()
        try:
            self._staging = Staging(self._connection)
            self._staging.create()
        except BaseException:
            self._connection.close()
            self._connection = None
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if self._staging is not None:
                self._staging.drop()
        except sa.exc.DBAPIError:
            # A broken connection cannot drop its tables; discarding it drops them.
            connection.invalidate()
            if exc_type is None:
                raise
        finally:
            connection.close()

    @property
    def offers_staged(self) -> int:
        """Offers written to staging so far (the current batch not included)."""
        return self._staging.offers_staged if self._staging is not None else 0

    def _require_open(self) -> Staging:
        if self._staging is None or self._connection is None:
            raise RuntimeError(f"use {type(self).__name__} in a 'with' block")
        if self._committed:
            raise RuntimeError(f"this {type(self).__name__} is already committed")
        return self._staging

    def add(self, offers: Iterable[dict[str, Any]]) -> None:
        """Stage offers (a page, or any number); may be called any number of times."""
        staging = self._require_open()
        for offer in offers:
            collect_unknown_paths(offer, self.drift)
            self._batch.append(flatten_offer(offer, store_contacts=self.store_contacts))
            if len(self._batch) >= self.batch_size:
                staging.write(self._batch)
                self._batch = []

    def _flush(self) -> Staging:
        staging = self._require_open()
        staging.write(self._batch)
        self._batch = []
        return staging

    def _commit_time(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)
