"""Stock sweeps: updates, closing by absence or by proof, reopening, nothing deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipelines.warehouse import OffresLoader, StockSweep, SweepResult
from pipelines.warehouse.schema import offres

from .corpus import offer
from .snapshot import count, snapshot

LOADED = datetime(2026, 3, 5, 5, 0, tzinfo=UTC)
SWEPT = datetime(2026, 3, 6, 5, 0, tzinfo=UTC)
SINCE, UNTIL = date(2026, 3, 2), date(2026, 3, 4)

# Two offers a day on 2, 3 and 4 March, and one on 1 March, outside the span swept.
OFFERS = {
    "184AAAA": offer("184AAAA", "2026-03-02T08:00:00"),
    "184BBBB": offer("184BBBB", "2026-03-02T09:00:00"),
    "184CCCC": offer("184CCCC", "2026-03-03T08:00:00"),
    "184DDDD": offer("184DDDD", "2026-03-03T09:00:00"),
    "184EEEE": offer("184EEEE", "2026-03-04T08:00:00"),
    "184FFFF": offer("184FFFF", "2026-03-04T09:00:00"),
    "184ZZZZ": offer("184ZZZZ", "2026-03-01T08:00:00"),
}


@pytest.fixture
def stocked(engine) -> sa.Engine:
    with OffresLoader(engine, SINCE, now=LOADED) as loader:
        loader.add(OFFERS.values())
        loader.commit()
    return engine


def _sweep(engine, offers, now=SWEPT, **commit) -> SweepResult:
    with StockSweep(engine, SINCE, UNTIL, now=now) as sweep:
        sweep.add(offers)
        return sweep.commit(**commit)


def _closed(engine) -> dict[str, datetime]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(offres.c.id, offres.c.closed_at).where(
                offres.c.closed_at.is_not(None)
            )
        )
        return dict(rows.all())


def test_complete_sweep_closes_offers_no_longer_served(stocked) -> None:
    served = [OFFERS[i] for i in ("184AAAA", "184CCCC", "184DDDD", "184FFFF")]

    result = _sweep(stocked, served)

    assert result == SweepResult(
        updated=0, closed=2, reopened=0, still_open=4, inserted=0
    )
    assert _closed(stocked) == {"184BBBB": SWEPT, "184EEEE": SWEPT}
    assert count(stocked, "offres") == 7


def test_sweep_updates_changed_offers_and_refreshes_last_seen(stocked) -> None:
    updated = dict(
        OFFERS["184CCCC"],
        dateActualisation="2026-03-05T14:00:00.000Z",
        nombrePostes=3,
    )
    served = [*(OFFERS[i] for i in OFFERS if i not in ("184CCCC", "184ZZZZ")), updated]

    result = _sweep(stocked, served)

    assert result == SweepResult(
        updated=1, closed=0, reopened=0, still_open=6, inserted=0
    )
    with stocked.connect() as connection:
        rows = connection.execute(
            sa.select(offres.c.id, offres.c.version, offres.c.last_seen_at)
            .where(offres.c.id.in_(["184CCCC", "184AAAA", "184ZZZZ"]))
            .order_by(offres.c.id)
        ).all()
    assert rows == [
        ("184AAAA", 1, SWEPT),
        ("184CCCC", 2, SWEPT),
        ("184ZZZZ", 1, LOADED),
    ]
    assert count(stocked, "offres_history") == 1


def test_partial_sweep_closes_nothing_by_absence(stocked) -> None:
    before = _closed(stocked)

    result = _sweep(stocked, [OFFERS["184AAAA"]], complete=False)

    assert result == SweepResult(
        updated=0, closed=0, reopened=0, still_open=6, inserted=0
    )
    assert _closed(stocked) == before == {}


def test_gone_ids_are_closed_even_after_a_partial_read(stocked) -> None:
    result = _sweep(
        stocked, [], gone_ids={"184BBBB", "184ZZZZ", "UNKNOWN"}, complete=False
    )

    assert result == SweepResult(
        updated=0, closed=2, reopened=0, still_open=5, inserted=0
    )
    assert _closed(stocked) == {"184BBBB": SWEPT, "184ZZZZ": SWEPT}


def test_a_closed_offer_served_again_is_reopened(stocked) -> None:
    _sweep(stocked, [OFFERS[i] for i in ("184AAAA", "184CCCC")])
    later = SWEPT + timedelta(days=1)

    result = _sweep(
        stocked,
        [OFFERS[i] for i in ("184AAAA", "184BBBB", "184CCCC", "184DDDD")],
        now=later,
        gone_ids={"184DDDD"},
    )

    # 184BBBB comes back; 184DDDD is served by the search but proven gone since.
    assert result == SweepResult(
        updated=0, closed=1, reopened=1, still_open=3, inserted=0
    )
    assert _closed(stocked) == {
        "184DDDD": later,
        "184EEEE": SWEPT,
        "184FFFF": SWEPT,
    }


def test_offers_never_loaded_are_inserted(stocked) -> None:
    newcomer = offer("184GGGG", "2026-03-03T12:00:00")

    result = _sweep(stocked, [*(OFFERS[i] for i in OFFERS), newcomer])

    assert result == SweepResult(
        updated=0, closed=0, reopened=0, still_open=7, inserted=1
    )
    assert count(stocked, "offres") == 8


def test_failed_sweep_changes_nothing(stocked) -> None:
    before = snapshot(stocked)

    with (
        pytest.raises(RuntimeError, match="timeout"),
        StockSweep(stocked, SINCE, UNTIL, now=SWEPT) as sweep,
    ):
        sweep.add([OFFERS["184AAAA"]])
        raise RuntimeError("timeout")

    assert snapshot(stocked) == before


def test_empty_span_is_refused(engine) -> None:
    with pytest.raises(ValueError, match="empty span"):
        StockSweep(engine, UNTIL, SINCE)


def test_unseen_open_ids_are_the_offers_to_look_up(stocked) -> None:
    with StockSweep(stocked, SINCE, UNTIL, now=SWEPT) as sweep:
        sweep.add([OFFERS["184AAAA"], OFFERS["184DDDD"]])
        sweep.add([OFFERS["184EEEE"]])
        unseen = sweep.unseen_open_ids()
        result = sweep.commit(gone_ids={"184BBBB"}, complete=False)

    # 184ZZZZ is open too, but created before the span.
    assert unseen == ["184BBBB", "184CCCC", "184FFFF"]
    assert result == SweepResult(
        updated=0, closed=1, reopened=0, still_open=5, inserted=0
    )
