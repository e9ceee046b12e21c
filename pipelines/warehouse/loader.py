"""Load one partition (a Paris day) of offers: stream pages in, apply them at once.

    with OffresLoader(engine, day) as loader:
        for page in pages:
            loader.add(page)
        result = loader.commit()

Pages go to the connection's staging tables as they arrive, in batches, so memory does
not grow with the day's volume and the warehouse tables stay untouched (and unlocked)
while the API is read. `commit` applies everything in one short transaction. Leaving the
block without `commit` changes nothing; re-running a day gives the same rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from pipelines.warehouse import schema
from pipelines.warehouse.apply import apply_staged
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.staged import DEFAULT_BATCH_SIZE, StagedLoad

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    """What a partition load did.

    ``inserted``, ``updated`` and ``unchanged`` count distinct offers received (an
    offer received twice counts once); ``rows_in_partition`` counts the rows of
    `offres` whose Paris creation day is ``day`` after the load, open or closed;
    ``drift`` lists the JSON paths seen that the warehouse does not know.
    """

    day: date
    inserted: int
    updated: int
    unchanged: int
    rows_in_partition: int
    drift: list[str] = field(default_factory=list)


class OffresLoader(StagedLoad):
    """Loads the offers of one partition (a Paris creation day) into `offres`.

    Args:
        engine: from `create_engine`, with the schema at the latest migration.
        day: the partition; `LoadResult.rows_in_partition` counts its rows. Offers of
            another day are stored too, in their own partition: an offer's partition
            always comes from its own ``dateCreation``.
        store_contacts: keep the contact person's name, phone, e-mail and postal lines
            (off by default: the offers licence and the GDPR).
        now: the time recorded as first/last seen; default the time of `commit`.
        batch_size: offers held in memory before they are written to staging.
    """

    def __init__(
        self,
        engine: sa.Engine,
        day: date,
        store_contacts: bool = False,
        now: datetime | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        super().__init__(
            engine, store_contacts=store_contacts, now=now, batch_size=batch_size
        )
        self.day = day

    def commit(self) -> LoadResult:
        """Apply every staged offer in one transaction and say what changed."""
        staging = self._flush()
        connection = staging.connection
        now = self._commit_time()

        with write_transaction(connection):
            counts = apply_staged(connection, now)
            rows_in_partition = connection.execute(
                sa.select(sa.func.count())
                .select_from(schema.offres)
                .where(schema.offres.c.jour_creation == self.day)
            ).scalar_one()
        self._committed = True

        result = LoadResult(
            day=self.day,
            inserted=counts.inserted,
            updated=counts.updated,
            unchanged=counts.unchanged,
            rows_in_partition=rows_in_partition,
            drift=sorted(self.drift),
        )
        logger.info(
            "loaded offres %s: %d staged, %d inserted, %d updated, %d unchanged, "
            "%d rows in partition",
            self.day.isoformat(),
            staging.offers_staged,
            result.inserted,
            result.updated,
            result.unchanged,
            result.rows_in_partition,
        )
        if result.drift:
            logger.warning(
                "schema drift in offres %s: unknown fields %s",
                self.day.isoformat(),
                ", ".join(result.drift),
            )
        return result
