"""`ftpipe`, the command line outside Dagster: loads against the simulator, and one
clear sentence with exit status 2 for arguments it cannot use."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pipelines.cli import main

from .conftest import EMPTY_DAY, LOADED_DAY


@pytest.fixture
def environment(monkeypatch, simulator, sqlite_url) -> str:
    for name, value in {
        "FT_CLIENT_ID": "simulator-client",
        "FT_CLIENT_SECRET": "simulator-secret",
        "FT_TOKEN_URL": simulator.token_url,
        "FT_API_URL": simulator.api_url,
        "FT_RATELIMIT_URL": "memory://",
        "DATABASE_URL": sqlite_url,
    }.items():
        monkeypatch.setenv(name, value)
    return sqlite_url


def _offers(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM offres")).scalar_one()
    engine.dispose()
    return count


def _table(output: str) -> list[list[str]]:
    """The rows of the printed table, its header left out."""
    return [line.split() for line in output.strip().splitlines()[1:]]


def test_load_lands_the_days_offers_and_a_rerun_changes_nothing(
    environment, capsys
) -> None:
    assert main(["load", LOADED_DAY.isoformat()]) == 0
    first = _table(capsys.readouterr().out)
    assert main(["load", LOADED_DAY.isoformat()]) == 0
    second = _table(capsys.readouterr().out)

    assert _offers(environment) == 353
    # day, inserted, updated, unchanged
    assert [row[:4] for row in first] == [[LOADED_DAY.isoformat(), "353", "0", "0"]]
    assert [row[:4] for row in second] == [[LOADED_DAY.isoformat(), "0", "0", "353"]]


def test_load_takes_a_span_of_days_empty_ones_included(environment, capsys) -> None:
    first, last = LOADED_DAY.isoformat(), EMPTY_DAY.isoformat()

    assert main(["load", first, last]) == 0

    inserted = {row[0]: row[1] for row in _table(capsys.readouterr().out)}
    assert inserted == {
        "2026-11-18": "353",
        "2026-11-19": "200",
        "2026-11-20": "50",
        "2026-11-21": "50",
        "2026-11-22": "0",
    }
    assert _offers(environment) == 653


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sweep", "--days", "0"], "'0' is not a whole number of days >= 1"),
        (["sweep", "--days", "-5"], "'-5' is not a whole number of days >= 1"),
        (["load", "2026-13-01"], "'2026-13-01' is not a day written YYYY-MM-DD"),
        (
            ["load", "2026-11-20", "2026-11-18"],
            "the last day 2026-11-18 comes before the first, 2026-11-20",
        ),
        (["load", "2999-01-01"], "2999-01-01 is in the future"),
    ],
)
def test_arguments_it_cannot_use_exit_2_with_one_sentence(
    environment, capsys, argv, message
) -> None:
    with pytest.raises(SystemExit) as exited:
        code = main(argv)
        raise SystemExit(code)

    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err


def test_a_postgres_scheme_is_corrected_in_one_sentence(
    environment, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://etl@127.0.0.1:5432/warehouse")

    assert main(["upgrade"]) == 1

    assert "write postgresql:// instead" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("unset", "message"),
    [
        (["FT_CLIENT_ID"], "FT_CLIENT_ID is not set"),
        (["FT_CLIENT_SECRET"], "FT_CLIENT_SECRET is not set"),
        (["FT_CLIENT_ID", "FT_CLIENT_SECRET"], "FT_CLIENT_ID and FT_CLIENT_SECRET are"),
    ],
)
def test_missing_credentials_are_named(
    environment, monkeypatch, capsys, unset, message
) -> None:
    for name in unset:
        monkeypatch.setenv(name, "")

    assert main(["load", LOADED_DAY.isoformat()]) == 1

    assert message in capsys.readouterr().err
