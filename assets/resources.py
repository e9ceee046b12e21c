"""Dagster resources: the API client and the warehouse, set from the environment.

`pipelines.definitions` binds every field to an environment variable with `EnvVar`,
so the Dagster UI shows variable names, never a secret.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource
from sqlalchemy import make_url
from sqlalchemy.engine import Engine

from assets.outcomes import api_outcomes
from pipelines import settings
from pipelines.francetravail import (
    Credentials,
    FranceTravailClient,
    RetryPolicy,
    Secret,
    bucket_store_from_url,
    errors,
)
from pipelines.warehouse import create_engine, upgrade
from pipelines.warehouse.errors import (
    check_connection,
    check_supported,
    describe_url,
)


class FranceTravailResource(ConfigurableResource):
    """Opens a France Travail client for the duration of one step."""

    client_id: str | None = None
    client_secret: str | None = None
    token_url: str = settings.DEFAULT_TOKEN_URL
    api_url: str = settings.DEFAULT_API_URL
    ratelimit_url: str = settings.DEFAULT_RATELIMIT_URL
    range_cap: int = settings.DEFAULT_RANGE_CAP
    max_concurrency: int = 8
    max_retry_after_seconds: float = 120.0

    @contextmanager
    def open_client(self) -> Iterator[FranceTravailClient]:
        """A client for one step; its request budget is shared with every process."""
        missing = [
            name
            for name, value in (
                (settings.CLIENT_ID, self.client_id),
                (settings.CLIENT_SECRET, self.client_secret),
            )
            if not value
        ]
        if missing:
            raise errors.AuthenticationError(
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                "not set: "
                "export the credentials of your francetravail.io application, or "
                f"put them in {Path('.env').resolve()}, before loading from the API."
            )
        client = FranceTravailClient(
            credentials=Credentials(
                client_id=self.client_id, client_secret=Secret(self.client_secret)
            ),
            token_url=self.token_url,
            api_url=self.api_url,
            bucket_store=bucket_store_from_url(self.ratelimit_url),
            retry=RetryPolicy(max_retry_after=self.max_retry_after_seconds),
            max_concurrency=self.max_concurrency,
        )
        try:
            yield client
        finally:
            client.close()


class WarehouseResource(ConfigurableResource):
    """The SQL database the assets land in; its schema is upgraded before use."""

    database_url: str = settings.DEFAULT_DATABASE_URL
    store_contacts: bool = False

    @contextmanager
    def open_engine(self) -> Iterator[Engine]:
        """An engine on an upgraded schema, disposed of when the block ends.

        Raises:
            WarehouseError: the database is unsupported, missing or unreachable.
        """
        check_supported(make_url(self.database_url))
        engine = create_engine(self.database_url)
        try:
            check_connection(engine)
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()

    def redacted_url(self) -> str:
        """The database URL for metadata and logs: no password, no query (drivers
        accept secrets there too), SQLite paths absolute."""
        return describe_url(make_url(self.database_url))


@contextmanager
def client_and_engine(
    francetravail: FranceTravailResource, warehouse: WarehouseResource
) -> Iterator[tuple[FranceTravailClient, Engine]]:
    """A client and an engine for one step; what goes wrong inside the block becomes a
    Dagster outcome (see `api_outcomes`)."""
    with (
        api_outcomes(),
        francetravail.open_client() as client,
        warehouse.open_engine() as engine,
    ):
        yield client, engine
