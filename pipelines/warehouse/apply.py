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

The caller runs these inside `write_transaction`, so a failure anywhere leaves every
table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

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


def staged_document(connection: sa.Connection) -> sa.ColumnElement:
    """The staged raw JSON as a document comparable with `offres.raw`.

    Staging keeps it as text; on PostgreSQL it becomes jsonb here, parsed once, and
    two documents then compare by value whatever their key order. SQLite stores JSON
    as text, which loads write in one canonical form, so text compares as well.
    """
    raw = staging.OFFRES.c.raw
    if connection.dialect.name == "postgresql":
        return sa.cast(raw, postgresql.JSONB())
    return raw


def _classify(connection: sa.Connection) -> None:
    """Fill `stage_actions`: one row per staged offer id, from its latest copy."""
    stage, actions, offres = staging.OFFRES, staging.ACTIONS, schema.offres
    latest = sa.select(sa.func.max(stage.c.seq)).group_by(stage.c.id)
    action = sa.case(
        (offres.c.id.is_(None), NEW),
        (offres.c.raw == staged_document(connection), UNCHANGED),
        else_=CHANGED,
    )
    was_closed = sa.case((offres.c.closed_at.is_(None), False), else_=True)
    select = (
        sa.select(stage.c.seq, stage.c.id, action, was_closed)
        .select_from(stage.outerjoin(offres, offres.c.id == stage.c.id))
        .where(stage.c.seq.in_(latest))
    )
    connection.execute(
        sa.insert(actions).from_select(["seq", "id", "action", "was_closed"], select)
    )


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
    values["raw"] = staged_document(connection)
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
            *(
                staged_document(connection) if name == "raw" else stage.c[name]
                for name in OFFER_PAYLOAD_COLUMNS
            ),
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
    _classify(connection)
    counts = _count_actions(connection)
    reopened = _count_reopened(connection)

    _record_history(connection, now)
    _delete_children(connection)
    _update_changed(connection, now)
    _touch_unchanged(connection, now)
    _insert_new(connection, now)
    _insert_children(connection)

    return AppliedCounts(
        inserted=counts.get(NEW, 0),
        updated=counts.get(CHANGED, 0),
        unchanged=counts.get(UNCHANGED, 0),
        reopened=reopened,
    )
