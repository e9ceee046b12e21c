"""Eight partitions loading at once into one SQLite file never hit "database is locked".

Each process upgrades the schema, streams its day into staging, then all of them commit
at the same moment: the final transactions queue on SQLite's write lock (WAL and the
busy timeout) instead of failing.
"""

from __future__ import annotations

import multiprocessing
import traceback
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from pipelines.warehouse import OffresLoader, create_engine, upgrade

from .corpus import offer

WORKERS = 8
OFFERS_PER_DAY = 1500
PAGE = 150
FIRST_DAY = date(2026, 3, 2)


def _day_offers(day: date) -> list[dict]:
    # Noon UTC is the afternoon in Paris, the same calendar day.
    start = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
    return [
        offer(
            f"{day:%m%d}{index:05d}",
            (start + timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%S"),
        )
        for index in range(OFFERS_PER_DAY)
    ]


def load_one_day(url: str, day: date, barrier, results) -> None:
    """One Dagster-like run: upgrade, stage the day page by page, commit."""
    try:
        engine = create_engine(url)
        upgrade(engine)
        offers = _day_offers(day)
        with OffresLoader(engine, day, batch_size=PAGE) as loader:
            for start in range(0, len(offers), PAGE):
                loader.add(offers[start : start + PAGE])
            barrier.wait(timeout=120)
            result = loader.commit()
        results.put((day.isoformat(), result.inserted, result.rows_in_partition))
        engine.dispose()
    except BaseException:
        results.put((day.isoformat(), "error", traceback.format_exc()))


def test_eight_parallel_writers_on_one_sqlite_file(sqlite_url) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    days = [FIRST_DAY + timedelta(days=i) for i in range(WORKERS)]
    processes = [
        context.Process(target=load_one_day, args=(sqlite_url, day, barrier, results))
        for day in days
    ]

    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=240) for _ in processes)
    for process in processes:
        process.join(timeout=60)

    errors = [outcome[2] for outcome in outcomes if outcome[1] == "error"]
    assert errors == []
    assert outcomes == [(day.isoformat(), 1500, 1500) for day in days]
    assert [process.exitcode for process in processes] == [0] * WORKERS
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        per_day = connection.execute(
            sa.text("SELECT jour_creation, count(*) FROM offres GROUP BY jour_creation")
        ).all()
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    engine.dispose()
    assert per_day == [(day.isoformat(), 1500) for day in days]
    assert journal_mode == "wal"
