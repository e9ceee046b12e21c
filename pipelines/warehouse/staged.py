"""The streaming half shared by partition loads and stock sweeps.

Both hold one connection for their whole life, stage offers as they arrive (flattened,
checked for drift, written by batches to the connection's TEMP tables), and end with
one write transaction of their own. This class does the first part; `OffresLoader` and
`StockSweep` each add their `commit`.

On PostgreSQL a full batch is written by a background thread while the next one is
flattened: the server parses and stores one batch in its own process while Python
prepares the next, instead of each waiting for the other. At most one batch is being
written and one filled, so memory stays flat, and the connection is used by one thread
at a time: the next batch, the final transaction and the clean-up all wait for the
write in flight. SQLite does its work inside this process, holding the interpreter
(and its connections belong to the thread that opened them), so there batches are
written in line.

A batch that fails to be written ends the load: its offers are missing from staging,
so the loader refuses to go on rather than commit an incomplete day.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa

from pipelines.warehouse.drift import collect_unknown_paths
from pipelines.warehouse.flatten import flatten_offer
from pipelines.warehouse.staging import Batch, Staging

# Offers flattened and held in memory before they are written to staging.
DEFAULT_BATCH_SIZE = 8000


class StagedLoad:
    """What loads and sweeps share: a connection with its staging tables, the batch of
    flattened offers not yet staged, the batch being written, and the drift seen so
    far."""

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
        self._batch = Batch()
        self._connection: sa.Connection | None = None
        self._staging: Staging | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._writing: Future[None] | None = None
        self._write_error: BaseException | None = None
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
            self._stop_writer(raise_error=exc_type is None)
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
        """Offers written to staging so far (the batch still being filled not
        included); waits for the batch being written."""
        if self._staging is None:
            return 0
        self._wait_for_writer()
        return self._staging.offers_staged

    def _require_open(self) -> Staging:
        name = type(self).__name__
        if self._staging is None or self._connection is None:
            raise RuntimeError(f"use {name} in a 'with' block")
        if self._committed:
            raise RuntimeError(f"this {name} is already committed")
        if self._write_error is not None:
            raise RuntimeError(
                f"this {name} lost offers: writing them to staging failed"
            ) from self._write_error
        return self._staging

    def add(self, offers: Iterable[dict[str, Any]]) -> None:
        """Stage offers (a page, or any number); may be called any number of times."""
        staging = self._require_open()
        for offer in offers:
            flat = flatten_offer(offer, store_contacts=self.store_contacts)
            collect_unknown_paths(offer, self.drift)
            self._batch.add(flat)
            if len(self._batch) >= self.batch_size:
                full, self._batch = self._batch, Batch(self._batch.next_seq)
                self._hand_over(staging, full)

    def _hand_over(self, staging: Staging, batch: Batch) -> None:
        """Write a full batch: in the background on PostgreSQL, once the previous one
        is written; in line on SQLite."""
        self._wait_for_writer()
        if staging.dialect != "postgresql":
            self._write(staging, batch)
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="staging-writer")
        self._writing = self._writer.submit(staging.write, batch)

    def _write(self, staging: Staging, batch: Batch) -> None:
        try:
            staging.write(batch)
        except BaseException as error:
            self._write_error = error
            raise

    def _wait_for_writer(self) -> None:
        """Wait for the batch being written; its error, if any, is raised here."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        try:
            writing.result()
        except BaseException as error:
            self._write_error = error
            raise

    def _stop_writer(self, *, raise_error: bool) -> None:
        writer, self._writer = self._writer, None
        try:
            self._wait_for_writer()
        except Exception:
            if raise_error:
                raise
        finally:
            if writer is not None:
                writer.shutdown()

    def _flush(self) -> Staging:
        """Write every offer added so far; the connection is then the caller's."""
        staging = self._require_open()
        self._wait_for_writer()
        self._write(staging, self._batch)
        self._batch = Batch(self._batch.next_seq)
        return staging

    def _commit_time(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)
