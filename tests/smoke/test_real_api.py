"""Opt-in: one small read of the real API with real credentials, landed in SQLite.

Nothing here runs unless asked for, since it needs credentials and the internet:

    FT_SMOKE_TEST=1 FT_CLIENT_ID=... FT_CLIENT_SECRET=... .venv/bin/pytest tests/smoke

It reads the offers created in one hour of yesterday afternoon (Paris time), about ten
requests, through the same client and loader as the nightly job, into a temporary
SQLite file. ``FT_TOKEN_URL`` and ``FT_API_URL`` point it elsewhere, as everywhere.
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from assets.resources import FranceTravailResource
from pipelines import settings
from pipelines.calendar import PARIS, TimeWindow, paris_date
from pipelines.francetravail import OffresApi
from pipelines.warehouse import OffresLoader, create_engine, upgrade
from pipelines.warehouse.schema import offres

pytestmark = pytest.mark.skipif(
    os.environ.get("FT_SMOKE_TEST") != "1",
    reason="opt-in: set FT_SMOKE_TEST=1, FT_CLIENT_ID and FT_CLIENT_SECRET to read "
    "the real API",
)


def test_one_hour_of_yesterday_is_read_whole_and_lands_once(tmp_path) -> None:
    config = settings.Settings.from_env()
    resource = FranceTravailResource(
        client_id=config.client_id,
        client_secret=config.client_secret,
        token_url=config.token_url,
        api_url=config.api_url,
        ratelimit_url="memory://",
        range_cap=config.range_cap,
    )
    yesterday = datetime.now(PARIS).date() - timedelta(days=1)
    start = datetime.combine(yesterday, time(14), tzinfo=PARIS)
    window = TimeWindow(start, start + timedelta(hours=1))
    engine = create_engine(f"sqlite:///{tmp_path / 'smoke.db'}")
    upgrade(engine)

    with resource.open_client() as client:
        api = OffresApi(client, range_cap=config.range_cap)
        announced = api.count(window)
        with OffresLoader(engine, yesterday) as loader:
            ids = []
            for page in api.fetch_window(window):
                ids += [offer["id"] for offer in page]
                loader.add(page)
            loader.commit()

    with engine.connect() as connection:
        stored = connection.execute(sa.select(offres.c.date_creation)).scalars()
        days = {paris_date(instant) for instant in stored}
    engine.dispose()

    assert announced > 0, "no offer created in that hour: is the account subscribed?"
    assert len(ids) == len(set(ids))
    # Offers come and go while the hour is read: a few per cent either way.
    assert abs(len(ids) - announced) <= max(3, announced // 50)
    assert days == {yesterday}
