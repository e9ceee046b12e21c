"""Partition loads: idempotent, atomic, deduplicated, with history and privacy."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipelines.warehouse import LoadResult, OffresLoader
from pipelines.warehouse import apply as apply_module
from pipelines.warehouse.schema import child_tables, offres, offres_history

from .corpus import instant, offer
from .snapshot import count, snapshot

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


def _load(engine, offers, day=DAY, now=NOW, **options) -> LoadResult:
    with OffresLoader(engine, day, now=now, **options) as loader:
        loader.add(offers)
        return loader.commit()


def test_reload_is_idempotent(engine, sample_page) -> None:
    first = _load(engine, sample_page, day=date(2024, 11, 27))
    before = snapshot(engine)

    second = _load(engine, sample_page, day=date(2024, 11, 27))

    assert (first.inserted, first.updated, first.unchanged) == (26, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 26)
    assert first.rows_in_partition == second.rows_in_partition == 6
    assert snapshot(engine) == before


def test_reload_later_only_moves_last_seen(engine, sample_page) -> None:
    _load(engine, sample_page, now=NOW)
    later = NOW + timedelta(days=1)

    _load(engine, sample_page, now=later)

    with engine.connect() as connection:
        seen = connection.execute(
            sa.select(
                offres.c.first_seen_at, offres.c.last_seen_at, offres.c.version
            ).distinct()
        ).all()
    assert seen == [(NOW, later, 1)]
    assert count(engine, "offres_history") == 0


def test_pages_are_streamed_in_batches(engine, sample_page) -> None:
    with OffresLoader(engine, date(2024, 11, 27), now=NOW, batch_size=4) as loader:
        for start in range(0, len(sample_page), 10):
            loader.add(sample_page[start : start + 10])
        staged_before_commit = loader.offers_staged
        result = loader.commit()

    assert staged_before_commit == 24
    assert result.inserted == 26
    assert count(engine, "offres") == 26


def test_an_offer_seen_twice_is_stored_once_with_its_last_copy(engine) -> None:
    early = offer("184AAAA", "2026-03-02T08:00:00", intitule="Premier titre")
    late = offer("184AAAA", "2026-03-02T08:00:00", intitule="Titre corrigé")
    other = offer("184BBBB", "2026-03-02T09:00:00")

    result = _load(engine, [early, other, late])

    assert (result.inserted, result.updated, result.unchanged) == (2, 0, 0)
    assert count(engine, "offres") == 2
    assert count(engine, "offres_competences") == 4
    with engine.connect() as connection:
        title = connection.execute(
            sa.select(offres.c.intitule).where(offres.c.id == "184AAAA")
        ).scalar_one()
    assert title == "Titre corrigé"


def test_failure_before_commit_changes_nothing(engine, sample_page) -> None:
    _load(engine, sample_page[:10])
    before = snapshot(engine)

    with (
        pytest.raises(RuntimeError, match="API went away"),
        OffresLoader(engine, date(2024, 11, 27), now=NOW, batch_size=5) as loader,
    ):
        loader.add(sample_page)
        raise RuntimeError("API went away")

    assert snapshot(engine) == before


def test_failure_inside_the_final_transaction_changes_nothing(
    engine, sample_page, monkeypatch
) -> None:
    _load(engine, sample_page[:10])
    before = snapshot(engine)
    changed = copy.deepcopy(sample_page)
    for item in changed[:5]:
        item["dateActualisation"] = "2024-12-01T10:00:00.000Z"

    def fail(connection) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    # The children are the last step: history, updates and inserts already ran.
    monkeypatch.setattr(apply_module, "_insert_children", fail)
    with (
        pytest.raises(sa.exc.OperationalError, match="disk full"),
        OffresLoader(engine, date(2024, 11, 27), now=NOW) as loader,
    ):
        loader.add(changed)
        loader.commit()

    assert snapshot(engine) == before


def test_changed_offer_keeps_its_previous_version(engine) -> None:
    first = offer("184AAAA", "2026-03-02T08:00:00")
    second = offer(
        "184AAAA",
        "2026-03-02T08:00:00",
        dateActualisation="2026-03-04T10:30:00.000Z",
        intitule="Data engineer senior (H/F)",
        competences=[{"code": "100001", "libelle": "Spark", "exigence": "E"}],
    )
    _load(engine, [first], now=NOW)
    later = NOW + timedelta(days=2)

    result = _load(engine, [second], now=later)

    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 0)
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(
                offres.c.intitule,
                offres.c.version,
                offres.c.date_actualisation,
                offres.c.first_seen_at,
                offres.c.last_seen_at,
            )
        ).one()
        history = connection.execute(sa.select(offres_history)).all()
        competences = (
            connection.execute(sa.select(child_tables["offres_competences"].c.libelle))
            .scalars()
            .all()
        )
    assert tuple(row) == (
        "Data engineer senior (H/F)",
        2,
        instant("2026-03-04T10:30:00"),
        NOW,
        later,
    )
    assert len(history) == 1
    offre_id, version, valid_from, valid_to, superseded_at, raw = history[0]
    assert (offre_id, version) == ("184AAAA", 1)
    assert valid_from == instant("2026-03-02T08:00:00")
    assert valid_to == instant("2026-03-04T10:30:00")
    assert superseded_at == later
    assert raw["intitule"] == "Data engineer (H/F)"
    assert competences == ["Spark"]


def test_child_rows_are_replaced_not_appended(engine) -> None:
    two_languages = offer(
        "184AAAA",
        "2026-03-02T08:00:00",
        langues=[
            {"libelle": "Anglais", "exigence": "E"},
            {"libelle": "Allemand", "exigence": "S"},
        ],
    )
    one_language = offer(
        "184AAAA",
        "2026-03-02T08:00:00",
        dateActualisation="2026-03-05T08:00:00.000Z",
        langues=[{"libelle": "Espagnol", "exigence": "S"}],
        competences=None,
    )
    _load(engine, [two_languages])

    _load(engine, [one_language])

    langues = child_tables["offres_langues"]
    with engine.connect() as connection:
        rows = connection.execute(sa.select(langues.c.rang, langues.c.libelle)).all()
    assert rows == [(1, "Espagnol")]
    assert count(engine, "offres_competences") == 0
    assert count(engine, "offres_salaire_complements") == 1


def test_contact_details_are_not_stored_by_default(engine) -> None:
    _load(engine, [offer("184AAAA", "2026-03-02T08:00:00")])

    with engine.connect() as connection:
        row = connection.execute(sa.select(offres)).one()._mapping
        raw_text = connection.execute(sa.text("SELECT CAST(raw AS TEXT) FROM offres"))
        raw_text = raw_text.scalar_one()
    assert [row[f"contact_{key}"] for key in ("nom", "telephone", "courriel")] == [
        None,
        None,
        None,
    ]
    assert row["contact_coordonnees1"] is None
    assert row["contact_coordonnees2"] is None
    assert row["contact_url_postulation"] == "https://example.org/postuler"
    assert row["raw"]["contact"] == {"urlPostulation": "https://example.org/postuler"}
    for secret in ("Jeanne", "01 23 45 67 89", "jeanne.martin", "1 rue de la Paix"):
        assert secret not in raw_text


def test_contact_details_are_stored_on_request(engine) -> None:
    _load(engine, [offer("184AAAA", "2026-03-02T08:00:00")], store_contacts=True)

    with engine.connect() as connection:
        row = connection.execute(sa.select(offres)).one()._mapping
    assert row["contact_nom"] == "ACME - Mme Jeanne Martin"
    assert row["contact_telephone"] == "01 23 45 67 89"
    assert row["contact_courriel"] == "jeanne.martin@example.org"
    assert row["contact_coordonnees2"] == "75002 PARIS"
    assert row["raw"]["contact"]["telephone"] == "01 23 45 67 89"


def test_new_fields_land_in_raw_and_are_reported(engine) -> None:
    drifted = offer(
        "184AAAA",
        "2026-03-02T08:00:00",
        teletravail={"jours": 2},
        entreprise={"nom": "ACME", "siret": "12345678900011"},
        competences=[{"code": "1", "libelle": "SQL", "exigence": "E", "niveau": 3}],
    )

    result = _load(engine, [drifted, offer("184BBBB", "2026-03-02T09:00:00")])

    assert result.drift == ["competences[].niveau", "entreprise.siret", "teletravail"]
    assert result.inserted == 2
    with engine.connect() as connection:
        raw = connection.execute(
            sa.select(offres.c.raw).where(offres.c.id == "184AAAA")
        ).scalar_one()
    assert raw["teletravail"] == {"jours": 2}
    assert raw["entreprise"]["siret"] == "12345678900011"


def test_offers_land_in_the_partition_of_their_paris_day(engine) -> None:
    offers = [
        # 23:30 UTC on 1 March is 00:30 on 2 March in Paris (UTC+1 in winter).
        offer("184AAAA", "2026-03-01T23:30:00"),
        offer("184BBBB", "2026-03-02T22:59:59"),
        # 23:00 UTC on 2 March is already 3 March in Paris.
        offer("184CCCC", "2026-03-02T23:00:00"),
    ]

    result = _load(engine, offers)

    assert result.inserted == 3
    assert result.rows_in_partition == 2
    with engine.connect() as connection:
        days = dict(
            connection.execute(sa.select(offres.c.id, offres.c.jour_creation)).all()
        )
    assert days == {
        "184AAAA": date(2026, 3, 2),
        "184BBBB": date(2026, 3, 2),
        "184CCCC": date(2026, 3, 3),
    }


def test_a_day_without_offers_loads_nothing(engine) -> None:
    result = _load(engine, [])

    assert result == LoadResult(DAY, 0, 0, 0, 0, [])
    assert count(engine, "offres") == 0


def test_loader_is_used_once_inside_its_block(engine) -> None:
    loader = OffresLoader(engine, DAY, now=NOW)
    with pytest.raises(RuntimeError, match="'with' block"):
        loader.add([offer("184AAAA", "2026-03-02T08:00:00")])

    with loader:
        loader.commit()
        with pytest.raises(RuntimeError, match="already committed"):
            loader.add([offer("184AAAA", "2026-03-02T08:00:00")])


def test_naive_now_is_refused(engine) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        OffresLoader(engine, DAY, now=datetime(2026, 3, 3, 5, 0))


def test_staging_tables_do_not_outlive_the_load(engine) -> None:
    _load(engine, [offer("184AAAA", "2026-03-02T08:00:00")])

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            left = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'"
            ).scalar_one()
        else:
            left = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"
            ).scalar_one()
    assert left == 0
