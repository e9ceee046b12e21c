"""Sweep the active stock: keep `offres` true as offers are updated and withdrawn.

The API filters searches on creation dates only, so the nightly load of yesterday never
sees an offer that changes or closes later. A sweep reads every offer still served over
a span of creation days and then, in one transaction:

- updates the offers whose content changed (the previous version goes to
  `offres_history`), and refreshes ``last_seen_at`` of every offer seen;
- reopens a closed offer that is served again, and inserts an offer never stored;
- when the read was complete (every window of the span fetched in full), closes each
  open offer of the span that was not seen: absent from a complete search means no
  longer served;
- closes the ids proven gone one by one (``GET /offres/{id}`` answering 204), whether
  or not the read was complete.

Rows are never deleted: closing sets ``closed_at``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from pipelines.warehouse import schema, staging
from pipelines.warehouse.apply import apply_staged
from pipelines.warehouse.column_types import UtcDateTime
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.staged import DEFAULT_BATCH_SIZE, StagedLoad

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    """What a sweep changed.

    ``updated``: offers whose content changed; ``closed``: open offers closed (absent
    from a complete read, or proven gone); ``reopened``: closed offers served again;
    ``still_open``: open offers of the span after the sweep; ``inserted``: offers seen
    for the first time.
    """

    updated: int
    closed: int
    reopened: int
    still_open: int
    inserted: int = 0


class StockSweep(StagedLoad):
    """Reconciles `offres` with the offers still served, over creation days
    ``since``..``until`` (Paris days, both included).

    Args:
        engine: from `create_engine`, with the schema at the latest migration.
        since, until: the span of creation days the sweep read.
        now: the time recorded as last seen / closed; default the time of `commit`.
        store_contacts: as for `OffresLoader`: off by default.
        batch_size: offers held in memory before they are written to staging.
    """

    def __init__(
        self,
        engine: sa.Engine,
        since: date,
        until: date,
        now: datetime | None = None,
        *,
        store_contacts: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if since > until:
            raise ValueError(f"empty span: since {since} is after until {until}")
        super().__init__(
            engine, store_contacts=store_contacts, now=now, batch_size=batch_size
        )
        self.since = since
        self.until = until

    def _in_span(self) -> sa.ColumnElement[bool]:
        return schema.offres.c.jour_creation.between(self.since, self.until)

    def unseen_open_ids(self) -> list[str]:
        """Open offers of the span not among the offers added so far, in id order.

        After a partial read these are the offers whose fate is unknown: the caller
        can ask the API about each one (``GET /offres/{id}`` answers 204 for an offer
        gone) and pass the gone ones to `commit`. Reading them takes no write lock.
        """
        staging_tables = self._flush()
        connection = staging_tables.connection
        offres, staged = schema.offres, staging.OFFRES.c.id
        if connection.dialect.name == "sqlite":
            # SQLite builds a temporary index for NOT IN, but would scan the staging
            # table once per offer for a correlated NOT EXISTS.
            not_staged = offres.c.id.not_in(sa.select(staged))
        else:
            not_staged = ~sa.select(staged).where(staged == offres.c.id).exists()
        select = (
            sa.select(offres.c.id)
            .where(offres.c.closed_at.is_(None), self._in_span(), not_staged)
            .order_by(offres.c.id)
        )
        with connection.begin():
            return list(connection.execute(select).scalars())

    def commit(
        self, gone_ids: Iterable[str] = frozenset(), complete: bool = True
    ) -> SweepResult:
        """Apply the sweep in one transaction.

        Args:
            gone_ids: ids proven no longer served; closed whatever ``complete`` says.
            complete: the offers added are every offer served in the span. Only then
                can an absent offer be closed; pass False after a partial read.
        """
        staging_tables = self._flush()
        staging_tables.write_gone(list(gone_ids))
        connection = staging_tables.connection
        now = self._commit_time()
        offres = schema.offres
        closed_now = {"closed_at": sa.literal(now, UtcDateTime())}

        with write_transaction(connection):
            counts = apply_staged(connection, now)
            closed = 0
            if complete:
                seen = sa.select(staging.ACTIONS.c.id).where(
                    staging.ACTIONS.c.id == offres.c.id
                )
                closed += connection.execute(
                    sa.update(offres)
                    .where(
                        offres.c.closed_at.is_(None), self._in_span(), ~seen.exists()
                    )
                    .values(closed_now)
                ).rowcount
            closed += connection.execute(
                sa.update(offres)
                .where(
                    offres.c.closed_at.is_(None),
                    offres.c.id.in_(sa.select(staging.GONE.c.id)),
                )
                .values(closed_now)
            ).rowcount
            still_open = connection.execute(
                sa.select(sa.func.count())
                .select_from(offres)
                .where(offres.c.closed_at.is_(None), self._in_span())
            ).scalar_one()
        self._committed = True

        result = SweepResult(
            updated=counts.updated,
            closed=closed,
            reopened=counts.reopened,
            still_open=still_open,
            inserted=counts.inserted,
        )
        logger.info(
            "swept offres created %s..%s (%s read): %d updated, %d closed, "
            "%d reopened, %d inserted, %d still open",
            self.since.isoformat(),
            self.until.isoformat(),
            "complete" if complete else "partial",
            result.updated,
            result.closed,
            result.reopened,
            result.inserted,
            result.still_open,
        )
        if self.drift:
            logger.warning(
                "schema drift in the offers swept: unknown fields %s",
                ", ".join(sorted(self.drift)),
            )
        return result
