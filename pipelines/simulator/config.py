"""Settings of one simulator instance: corpus volume, accounts, quotas and API variants.

Everything the simulator serves follows from a `SimulatorConfig`, so two servers built
from equal configurations answer the same requests with the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.simulator.catalogue import ALL_API_NAMES, ALL_SCOPES, DEFAULT_QUOTAS

DEFAULT_CLIENT_ID = "simulator-client"
DEFAULT_CLIENT_SECRET = "simulator-secret"
DEFAULT_SPAN_DAYS = 60
RETRY_AFTER_STYLES = ("seconds", "http-date", "fraction")


@dataclass(frozen=True)
class ClientAccount:
    """An application registered on the simulated portal.

    Args:
        client_id: the OAuth2 client id.
        client_secret: its secret (kept out of the repr).
        scopes: scopes the application subscribed to; asking for any other scope at the
            token endpoint answers ``invalid_scope``.
        apis: APIs France Travail granted the application (its habilitations). A token
            carrying the scopes of an API the account is not granted answers 403.
    """

    client_id: str
    client_secret: str = field(repr=False)
    scopes: frozenset[str] = ALL_SCOPES
    apis: frozenset[str] = ALL_API_NAMES

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", frozenset(self.scopes))
        object.__setattr__(self, "apis", frozenset(self.apis))
        unknown = self.apis - ALL_API_NAMES
        if unknown:
            raise ValueError(f"unknown API names in account: {sorted(unknown)}")


@dataclass(frozen=True)
class Spike:
    """Extra offers created inside one Paris hour (``hour`` 0-23) of ``day``."""

    day: date
    hour: int
    offers: int

    def __post_init__(self) -> None:
        if not 0 <= self.hour <= 23:
            raise ValueError(f"spike hour must be 0-23, not {self.hour}")
        if self.offers < 0:
            raise ValueError("spike offers must not be negative")


def _default_accounts() -> tuple[ClientAccount, ...]:
    return (ClientAccount(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),)


@dataclass(frozen=True)
class SimulatorConfig:
    """What one simulator serves and how it behaves.

    Args:
        seed: drives every generated value; equal seeds serve equal bytes.
        offers_per_day: offers created per Paris calendar day, unless overridden.
        day_volumes: per-day overrides of ``offers_per_day``.
        spikes: extra offers concentrated in one Paris hour.
        first_day, last_day: the Paris days that hold offers; by default the 60 days up
            to yesterday (Paris time, read from ``clock``).
        partner_share: share of partner offers (``origineOffre.origine == "2"``).
        accounts: registered applications; by default one with every scope and API.
        quotas: requests per second per client id, per API name; missing APIs keep their
            documented default.
        latency_seconds: delay added to every API response (not the token endpoint).
        token_lifetime_seconds: ``expires_in`` of issued tokens.
        range_max_start: the highest ``range`` start accepted (3000; older APIs 1000).
        final_page_status: status of the last page of a multi-page result (200 or 206).
        retry_after_style: how 429 responses write ``Retry-After``: whole ``seconds``,
            an ``http-date``, or a decimal ``fraction`` of seconds.
        quota_headers: send the ``X-Ratelimit-*`` headers (the real gateway does;
            False plays a gateway that keeps its quota to itself).
        replay_dir: a directory of captured responses to serve byte for byte.
        samples_dir: a directory of captured responses whose référentiels (pays) are
            served instead of the built-in ones; defaults to ``replay_dir``.
        clock: epoch seconds now; tests inject a fake one to drive quotas and expiry.
    """

    seed: int = 1
    offers_per_day: int = 300
    day_volumes: Mapping[date, int] = field(default_factory=dict)
    spikes: Sequence[Spike] = ()
    first_day: date | None = None
    last_day: date | None = None
    partner_share: float = 0.25
    accounts: Sequence[ClientAccount] | None = None
    quotas: Mapping[str, float] | None = None
    latency_seconds: float = 0.0
    token_lifetime_seconds: int = 1499
    range_max_start: int = 3000
    final_page_status: int = 206
    retry_after_style: str = "seconds"
    quota_headers: bool = True
    replay_dir: Path | None = None
    samples_dir: Path | None = None
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.offers_per_day < 0 or any(v < 0 for v in self.day_volumes.values()):
            raise ValueError("offer volumes must not be negative")
        if not 0.0 <= self.partner_share <= 1.0:
            raise ValueError("partner_share must be between 0 and 1")
        if self.final_page_status not in (200, 206):
            raise ValueError("final_page_status must be 200 or 206")
        if self.retry_after_style not in RETRY_AFTER_STYLES:
            raise ValueError(f"retry_after_style must be one of {RETRY_AFTER_STYLES}")
        if self.range_max_start < 0:
            raise ValueError("range_max_start must not be negative")
        if self.token_lifetime_seconds <= 0:
            raise ValueError("token_lifetime_seconds must be positive")
        if self.latency_seconds < 0:
            raise ValueError("latency_seconds must not be negative")
        unknown = set(self.quotas or {}) - ALL_API_NAMES
        if unknown:
            raise ValueError(f"quotas name unknown APIs: {sorted(unknown)}")
        if any(rate <= 0 for rate in (self.quotas or {}).values()):
            raise ValueError("quotas must be positive")
        if (
            self.first_day is not None
            and self.last_day is not None
            and self.last_day < self.first_day
        ):
            raise ValueError("last_day is before first_day")
        if self.replay_dir is not None:
            object.__setattr__(self, "replay_dir", Path(self.replay_dir))
        if self.samples_dir is not None:
            object.__setattr__(self, "samples_dir", Path(self.samples_dir))

    @property
    def resolved_accounts(self) -> tuple[ClientAccount, ...]:
        """The registered accounts, the default one when none were given."""
        if self.accounts is None:
            return _default_accounts()
        return tuple(self.accounts)

    def quota(self, api_name: str) -> float:
        """Requests per second per client id allowed on one API."""
        return (self.quotas or {}).get(api_name, DEFAULT_QUOTAS[api_name])

    @property
    def captures_dir(self) -> Path | None:
        """Where captured référentiels are read from, if anywhere."""
        return self.samples_dir or self.replay_dir
