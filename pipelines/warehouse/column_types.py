"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# The raw offer: jsonb on PostgreSQL (compact, queryable, compared by value), JSON text
# on SQLite (queryable with json_extract).
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """An instant in UTC: timestamptz on PostgreSQL, UTC text on SQLite.

    SQLite has no time zone type and SQLAlchemy's SQLite DATETIME drops the offset, so
    every value is converted to UTC before it is stored and comes back timezone-aware
    in UTC on both databases. Naive datetimes are refused: their meaning is a guess.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give the time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def sqlite_datetime_text(value: datetime) -> str:
    """The text SQLAlchemy's SQLite DATETIME stores for an instant, in UTC.

    The loader writes staging rows with the driver directly (much faster than through
    the type machinery) and must produce exactly what `UtcDateTime` would.
    """
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )
