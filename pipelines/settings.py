"""Configuration from environment variables and an optional ``.env`` file.

This is the one module that reads the environment. Every variable is documented in the
README; the defaults point at the real France Travail API and at a SQLite file under
``data/``, so that only the credentials are needed to run against production.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_TOKEN_URL = (
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token"
    "?realm=%2Fpartenaire"
)
DEFAULT_API_URL = "https://api.francetravail.io/partenaire"
DEFAULT_DATABASE_URL = "sqlite:///data/francetravail.db"
# Every process of this host that uses the same client id shares this request budget.
DEFAULT_RATELIMIT_URL = Path(tempfile.gettempdir(), "francetravail-ratelimit").as_uri()
DEFAULT_RANGE_CAP = 3150

# Names of the variables, so that Dagster resources can refer to them with EnvVar and
# show the name in the UI, never the value.
CLIENT_ID = "FT_CLIENT_ID"
CLIENT_SECRET = "FT_CLIENT_SECRET"
TOKEN_URL = "FT_TOKEN_URL"
API_URL = "FT_API_URL"
DATABASE_URL = "DATABASE_URL"
RATELIMIT_URL = "FT_RATELIMIT_URL"
RANGE_CAP = "FT_RANGE_CAP"
STORE_CONTACTS = "FT_STORE_CONTACTS"
PARTITIONS_START = "FT_PARTITIONS_START"

DEFAULT_PARTITIONS_START = "2025-01-01"


def load_environment(env_file: str | os.PathLike[str] = ".env") -> None:
    """Read ``.env`` from the working directory; variables already set win."""
    load_dotenv(env_file, override=False)


def read_flag(value: str | None) -> bool:
    """Read a boolean variable the way shells write them (1/0, true/false, yes/no)."""
    if value is None or value.strip() == "":
        return False
    normalized = value.strip().lower()
    if normalized in {"1", "true", "yes", "on"}:
        return True
    if normalized in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected a boolean such as true or false, got {value!r}")


@dataclass(frozen=True)
class Settings:
    """Every setting of the pipeline, read once from the environment.

    The secret is kept out of the dataclass repr, so printing settings is always safe.
    """

    client_id: str | None
    client_secret: str | None
    token_url: str
    api_url: str
    database_url: str
    ratelimit_url: str
    range_cap: int
    store_contacts: bool

    def __repr__(self) -> str:
        secret = "set" if self.client_secret else "unset"
        return (
            f"Settings(client_id={self.client_id!r}, client_secret=<{secret}>, "
            f"token_url={self.token_url!r}, api_url={self.api_url!r}, "
            f"ratelimit_url={self.ratelimit_url!r}, range_cap={self.range_cap}, "
            f"store_contacts={self.store_contacts})"
        )

    @classmethod
    def from_env(
        cls, environ: os._Environ[str] | dict[str, str] | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            client_id=env.get(CLIENT_ID) or None,
            client_secret=env.get(CLIENT_SECRET) or None,
            token_url=env.get(TOKEN_URL) or DEFAULT_TOKEN_URL,
            api_url=env.get(API_URL) or DEFAULT_API_URL,
            database_url=env.get(DATABASE_URL) or DEFAULT_DATABASE_URL,
            ratelimit_url=env.get(RATELIMIT_URL) or DEFAULT_RATELIMIT_URL,
            range_cap=int(env.get(RANGE_CAP) or DEFAULT_RANGE_CAP),
            store_contacts=read_flag(env.get(STORE_CONTACTS)),
        )
