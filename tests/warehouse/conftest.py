"""Fixtures of the warehouse tests: upgraded engines and the real API samples."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipelines.warehouse import create_engine, upgrade

# The captured responses live outside the repository, next to it.
SAMPLES_DIR = Path(
    os.environ.get(
        "FT_SAMPLES_DIR", Path(__file__).resolve().parents[3] / "shared" / "samples"
    )
)


def read_sample(name: str) -> Any:
    path = SAMPLES_DIR / name
    if not path.exists():
        pytest.skip(f"sample {path} is not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on a fresh database of each kind, with the schema at head."""
    engine = create_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sample_offer() -> dict[str, Any]:
    """The real offer 184TRJB (one item of a search's resultats)."""
    return read_sample("offre_184TRJB_2024-11-28.json")


@pytest.fixture
def sample_page() -> list[dict[str, Any]]:
    """A real search page: 26 offers, France Travail and partner ones."""
    return read_sample("offres_search_206_appellation404278_2024-11-27_trimmed.json")[
        "resultats"
    ]


@pytest.fixture
def sample_offers_2025() -> list[dict[str, Any]]:
    """Four real offers of January 2025, some skills without a code."""
    return read_sample("offres_resultats_appellation404278_2025-01-13.json")
