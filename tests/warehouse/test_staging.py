"""Staging: the canonical raw JSON, batches written in the background, set-based
apply."""

from __future__ import annotations

import copy
import json
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from pipelines.warehouse import OffresLoader
from pipelines.warehouse.flatten import canonical_json, dump_json
from pipelines.warehouse.staging import Staging

from .corpus import offer
from .snapshot import count, snapshot

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


def _offers(count: int, start: int = 0) -> list[dict]:
    return [
        offer(f"184{index:04d}", f"2026-03-02T{8 + index // 3600 % 12:02d}:00:00")
        for index in range(start, start + count)
    ]


def test_canonical_json_is_compact_sorted_utf8() -> None:
    document = {"b": [1, 2.5, None, True], "a": {"d": "é\n", "c": 2**70}}

    raw = canonical_json(document)

    expected = '{"a":{"c":1180591620717411303424,"d":"é\\n"},"b":[1,2.5,null,true]}'
    assert raw == expected.encode()
    assert dump_json(document) == raw.decode()


def test_canonical_json_matches_what_earlier_loads_stored(sample_page) -> None:
    # SQLite detects a change by comparing this text with the stored one, which
    # earlier loads wrote with the json module.
    for item in sample_page:
        expected = json.dumps(
            item, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
        assert dump_json(item) == expected


def test_an_offer_whose_keys_come_in_another_order_is_unchanged(engine) -> None:
    first = offer("184AAAA", "2026-03-02T08:00:00")
    reordered = dict(reversed(copy.deepcopy(first).items()))
    reordered["lieuTravail"] = dict(reversed(reordered["lieuTravail"].items()))
    with OffresLoader(engine, DAY, now=NOW) as loader:
        loader.add([first])
        loader.commit()

    with OffresLoader(engine, DAY, now=NOW) as loader:
        loader.add([reordered])
        result = loader.commit()

    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    assert count(engine, "offres_history") == 0


def test_postgres_batches_are_written_one_at_a_time_in_the_background(
    postgres_url, monkeypatch
) -> None:
    from pipelines.warehouse import create_engine, upgrade

    engine = create_engine(postgres_url)
    upgrade(engine)
    writes: list[tuple[str, int]] = []
    in_flight, most_in_flight = 0, 0
    lock = threading.Lock()
    original = Staging.write

    def write(self, batch) -> None:
        nonlocal in_flight, most_in_flight
        with lock:
            in_flight += 1
            most_in_flight = max(most_in_flight, in_flight)
        try:
            original(self, batch)
        finally:
            with lock:
                in_flight -= 1
                writes.append((threading.current_thread().name, len(batch)))

    monkeypatch.setattr(Staging, "write", write)
    with OffresLoader(engine, DAY, now=NOW, batch_size=4) as loader:
        for start in range(0, 18, 6):
            loader.add(_offers(6, start))
        result = loader.commit()
    engine.dispose()

    assert [size for _, size in writes] == [4, 4, 4, 4, 2]
    assert [name.startswith("staging-writer") for name, _ in writes] == [
        True,
        True,
        True,
        True,
        False,
    ]
    assert most_in_flight == 1
    assert result.inserted == 18


def test_a_batch_that_fails_to_be_written_ends_the_load(
    database_url, monkeypatch
) -> None:
    from pipelines.warehouse import create_engine, upgrade

    engine = create_engine(database_url)
    upgrade(engine)
    with OffresLoader(engine, DAY, now=NOW) as loader:
        loader.add(_offers(3))
        loader.commit()
    before = snapshot(engine)
    calls = 0
    original = Staging.write

    def write(self, batch) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sa.exc.OperationalError("COPY", {}, Exception("connection lost"))
        original(self, batch)

    monkeypatch.setattr(Staging, "write", write)
    with OffresLoader(engine, DAY, now=NOW, batch_size=2) as loader:
        with pytest.raises(sa.exc.OperationalError, match="connection lost"):
            for start in range(3, 13, 2):
                loader.add(_offers(2, start))
            loader.commit()
        with pytest.raises(RuntimeError, match="lost offers") as refused:
            loader.add(_offers(1, 20))

    assert isinstance(refused.value.__cause__, sa.exc.OperationalError)
    assert snapshot(engine) == before
    engine.dispose()


def _statements_of_commit(engine: sa.Engine, offers: list[dict]) -> int:
    statements = 0

    def counted(*_args) -> None:
        nonlocal statements
        statements += 1

    with OffresLoader(engine, DAY, now=NOW, batch_size=10_000) as loader:
        loader.add(offers)
        event.listen(engine, "before_cursor_execute", counted)
        try:
            loader.commit()
        finally:
            event.remove(engine, "before_cursor_execute", counted)
    return statements


def test_the_final_transaction_does_not_grow_with_the_volume(engine) -> None:
    few = _statements_of_commit(engine, _offers(3))
    many = _statements_of_commit(engine, _offers(300, start=100))
    changed = _offers(300, start=100)
    for item in changed:
        item["intitule"] = "Data engineer senior (H/F)"
    many_changed = _statements_of_commit(engine, changed)

    assert few == many
    assert many_changed > many
    assert count(engine, "offres") == 303
    assert count(engine, "offres_history") == 300
