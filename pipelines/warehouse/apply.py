"""The final transaction of a load: staged offers become rows of the warehouse.

Each step is one set-based statement from the staging tables to the warehouse tables,
so the transaction stays short whatever the volume:

1. classify every staged offer (its latest staged version) as new, changed or
   unchanged, comparing the raw JSON with the stored one;
2. copy the stored version of each changed offer into `offres_history`;
3. delete the child rows of changed offers;
4. update changed offers (version + 1), then refresh `last_seen_at` of unchanged ones;
   either way a closed offer seen again is open again;
5. insert new offers, then the child rows of new and changed offers.

A step with no offer to act on is skipped. Staging already holds every value in its
final form (the raw JSON as jsonb on PostgreSQL), so the steps only move rows.

The caller runs these inside `write_transaction`, so a failure anywhere leaves every
table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipelines.warehouse import schema, staging
from pipelines.warehouse.column_types import UtcDateTime
from pipelines.warehouse.flatten import OFFER_PAYLOAD_COLUMNS

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True)
class AppliedCounts:
    """What the final transaction did with the staged offers."""

    inserted: int
    updated: int
    unchanged: int
    reopened: int


def _instant(now: datetime) -> sa.BindParameter:
    return sa.literal(now, UtcDateTime())


def _prepare_postgres(connection: sa.Connection) -> None:
    # The statements below move rows rather than compute: compiling them to machine
    # code (which the planner starts doing once it sees a table of a million offers)
    # costs more than it saves.
    connection.exec_driver_sql("SET LOCAL jit = off")


def _classify(connection: sa.Connection) -> None:
    """Fill `stage_actions`: one row per staged offer id, from its latest copy."""
    stage, actions, offres = staging.OFFRES, staging.ACTIONS, schema.offres
    copies = sa.select(
        stage.c.seq,
        stage.c.id,
        sa.func.row_number()
        .over(partition_by=stage.c.id, order_by=stage.c.seq.desc())
        .label("newest_first"),
    ).subquery("copies")
    # Read only for offers already stored, and only then: the documents stay out of
    # the sort above.
    staged_raw = (
        sa.select(stage.c.raw).where(stage.c.seq == copies.c.seq).scalar_subquery()
    )
    action = sa.case(
        (offres.c.id.is_(None), NEW),
        # jsonb on PostgreSQL compares by value; SQLite compares the canonical text
        # that every load writes.
        (offres.c.raw == staged_raw, UNCHANGED),
        else_=CHANGED,
    )
    was_closed = sa.case((offres.c.closed_at.is_(None), False), else_=True)
    select = (
        sa.select(copies.c.seq, copies.c.id, action, was_closed)
        .select_from(copies.outerjoin(offres, offres.c.id == copies.c.id))
        .where(copies.c.newest_first == 1)
        # In staging order, so that the steps reading staged rows by `seq` read
        # them in the order they were written.
        .order_by(copies.c.seq)
    )
    connection.execute(
        sa.insert(actions).from_select(["seq", "id", "action", "was_closed"], select)
    )
    if connection.dialect.name == "postgresql":
        # Temporary tables are never analyzed automatically; with the real counts of
        # new, changed and unchanged offers the planner joins the staging tables by
        # hashing instead of one index lookup per row, and reaches the large
        # warehouse tables through their indexes when few offers changed.
        connection.exec_driver_sql(f"ANALYZE {actions.name}")


def _ids_with(action: str) -> sa.Select:
    actions = staging.ACTIONS
    return sa.select(actions.c.id).where(actions.c.action == action)


def _record_history(connection: sa.Connection, now: datetime) -> None:
    offres, actions, stage = schema.offres, staging.ACTIONS, staging.OFFRES
    history = schema.offres_history
    select = (
        sa.select(
            offres.c.id,
            offres.c.version,
            sa.func.coalesce(offres.c.date_actualisation, offres.c.first_seen_at),
            sa.func.coalesce(stage.c.date_actualisation, _instant(now)),
            _instant(now),
            offres.c.raw,
        )
        .select_from(
            offres.join(actions, actions.c.id == offres.c.id).join(
                stage, stage.c.seq == actions.c.seq
            )
        )
        .where(actions.c.action == CHANGED)
    )
    columns = ["offre_id", "version", "valid_from", "valid_to", "superseded_at", "raw"]
    connection.execute(sa.insert(history).from_select(columns, select))


def _delete_children(connection: sa.Connection) -> None:
    changed = _ids_with(CHANGED)
    for table in schema.child_tables.values():
        connection.execute(sa.delete(table).where(table.c.offre_id.in_(changed)))


def _update_changed(connection: sa.Connection, now: datetime) -> None:
    offres, actions, stage = schema.offres, staging.ACTIONS, staging.OFFRES
    values = {name: stage.c[name] for name in OFFER_PAYLOAD_COLUMNS if name != "id"}
    statement = (
        sa.update(offres)
        .where(
            offres.c.id == actions.c.id,
            actions.c.seq == stage.c.seq,
            actions.c.action == CHANGED,
        )
        .values(
            **values,
            version=offres.c.version + 1,
            last_seen_at=_instant(now),
            closed_at=None,
        )
    )
    connection.execute(statement)


def _touch_unchanged(connection: sa.Connection, now: datetime) -> None:
    offres = schema.offres
    statement = (
        sa.update(offres)
        .where(offres.c.id.in_(_ids_with(UNCHANGED)))
        .values(last_seen_at=_instant(now), closed_at=None)
    )
    connection.execute(statement)


def _insert_new(connection: sa.Connection, now: datetime) -> None:
    offres, actions, stage = schema.offres, staging.ACTIONS, staging.OFFRES
    select = (
        sa.select(
            *(stage.c[name] for name in OFFER_PAYLOAD_COLUMNS),
            sa.literal(1),
            _instant(now),
            _instant(now),
        )
        .select_from(stage.join(actions, actions.c.seq == stage.c.seq))
        .where(actions.c.action == NEW)
    )
    columns = [*OFFER_PAYLOAD_COLUMNS, "version", "first_seen_at", "last_seen_at"]
    connection.execute(sa.insert(offres).from_select(columns, select))


def _insert_children(connection: sa.Connection) -> None:
    actions = staging.ACTIONS
    for name, table in schema.child_tables.items():
        stage = staging.CHILDREN[name]
        columns = table.c.keys()
        select = (
            sa.select(*(stage.c[column] for column in columns))
            .select_from(stage.join(actions, actions.c.seq == stage.c.seq))
            .where(actions.c.action.in_((NEW, CHANGED)))
        )
        connection.execute(sa.insert(table).from_select(columns, select))


def _count_reopened(connection: sa.Connection) -> int:
    """Closed offers seen again, except those a sweep has proven gone anyway."""
    actions, gone = staging.ACTIONS, staging.GONE
    select = (
        sa.select(sa.func.count())
        .select_from(actions)
        .where(
            actions.c.was_closed,
            actions.c.action != NEW,
            actions.c.id.not_in(sa.select(gone.c.id)),
        )
    )
    return connection.execute(select).scalar_one()


def _count_actions(connection: sa.Connection) -> dict[str, int]:
    actions = staging.ACTIONS
    select = sa.select(actions.c.action, sa.func.count()).group_by(actions.c.action)
    return {action: count for action, count in connection.execute(select)}


def apply_staged(connection: sa.Connection, now: datetime) -> AppliedCounts:
    """Apply the staged offers to the warehouse, inside the caller's transaction."""
    if connection.dialect.name == "postgresql":
        _prepare_postgres(connection)
    _classify(connection)
    counts = _count_actions(connection)
    reopened = _count_reopened(connection)

    if counts.get(CHANGED):
        _record_history(connection, now)
        _delete_children(connection)
        _update_changed(connection, now)
    if counts.get(UNCHANGED):
        _touch_unchanged(connection, now)
    if counts.get(NEW):
        _insert_new(connection, now)
    if counts.get(NEW) or counts.get(CHANGED):
        _insert_children(connection)

    return AppliedCounts(
        inserted=counts.get(NEW, 0),
        updated=counts.get(CHANGED, 0),
        unchanged=counts.get(UNCHANGED, 0),
        reopened=reopened,
    )
