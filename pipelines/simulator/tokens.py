"""OAuth2 client credentials: the token endpoint and the tokens it issues.

The endpoint answers as documented: a JSON token on success; on failure HTTP 400 with
``{"error", "error_description"}`` and ``Cache-Control: no-store``. Checks run in the
order an authorization server applies them: client authentication, then the redirect
URI, then the grant type, then the scopes.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from pipelines.simulator.catalogue import ALL_SCOPES, REALM
from pipelines.simulator.config import ClientAccount, SimulatorConfig
from pipelines.simulator.responses import json_response

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

INVALID_CLIENT = ("invalid_client", "Client authentication failed")
INVALID_GRANT = (
    "invalid_grant",
    "The provided access grant is invalid, expired, or revoked.",
)
REDIRECT_URI_MISMATCH = (
    "redirect_uri_mismatch",
    "The redirection URI provided does not match a pre-registered value.",
)
# Grant types of other OAuth2 flows: the simulator never issues their codes or refresh
# tokens, so any grant presented with them is invalid.
_GRANTS_NEVER_ISSUED = frozenset({"authorization_code", "refresh_token", "password"})


@dataclass
class TokenGrant:
    """What an access token stands for."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float
    revoked: bool = field(default=False)

    def valid_at(self, now: float) -> bool:
        return not self.revoked and now < self.expires_at


class TokenRegistry:
    """Issued tokens, looked up on every API request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: dict[str, TokenGrant] = {}

    def issue(self, client_id: str, scopes: frozenset[str], expires_at: float) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[token] = TokenGrant(client_id, scopes, expires_at)
        return token

    def lookup(self, token: str | None) -> TokenGrant | None:
        """The grant of a token, valid or not; None for an unknown token."""
        if not token:
            return None
        with self._lock:
            return self._grants.get(token)

    def expire_all(self) -> int:
        """Revoke every issued token; returns how many were still valid."""
        with self._lock:
            live = [grant for grant in self._grants.values() if not grant.revoked]
            for grant in live:
                grant.revoked = True
        return len(live)


def _error(error: tuple[str, str]) -> Response:
    code, description = error
    return json_response(
        {"error": code, "error_description": description}, 400, NO_STORE
    )


class TokenEndpoint:
    """``POST /connexion/oauth2/access_token?realm=/partenaire``."""

    def __init__(
        self,
        config: SimulatorConfig,
        registry: TokenRegistry,
        clock: Callable[[], float],
    ) -> None:
        self._accounts = {a.client_id: a for a in config.resolved_accounts}
        self._lifetime = config.token_lifetime_seconds
        self._registry = registry
        self._clock = clock

    async def handle(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        client_id = form.get("client_id")
        if client_id:
            # Lets the gateway log which client asked, whatever the outcome.
            request.state.client_id = client_id
        return self.respond(request.query_params.get("realm"), form)

    def respond(self, realm: str | None, form: dict[str, str]) -> Response:
        """The token endpoint's answer to a decoded form body."""
        account = self._accounts.get(form.get("client_id", ""))
        # The realm names the directory clients live in; elsewhere no client exists.
        if (
            realm != REALM
            or account is None
            or not secrets.compare_digest(
                form.get("client_secret", "").encode(), account.client_secret.encode()
            )
        ):
            return _error(INVALID_CLIENT)
        if "redirect_uri" in form:
            return _error(REDIRECT_URI_MISMATCH)

        grant_type = form.get("grant_type", "")
        if grant_type in _GRANTS_NEVER_ISSUED:
            return _error(INVALID_GRANT)
        if grant_type != "client_credentials":
            return _error(
                ("unsupported_grant_type", f"Grant type is not supported: {grant_type}")
            )

        requested = form.get("scope", "").split()
        refused = [s for s in requested if not self._scope_allowed(account, s)]
        if refused:
            listed = ", ".join(refused)
            return _error(("invalid_scope", f"Unknown/invalid scope(s): [{listed}]"))

        granted = frozenset(requested)
        expires_at = self._clock() + self._lifetime
        token = self._registry.issue(account.client_id, granted, expires_at)
        body = {
            "scope": " ".join(requested),
            "expires_in": self._lifetime,
            "token_type": "Bearer",
            "access_token": token,
        }
        return json_response(body, 200, NO_STORE)

    @staticmethod
    def _scope_allowed(account: ClientAccount, scope: str) -> bool:
        # Older integrations add "application_<client id>"; the portal still accepts it.
        if scope == f"application_{account.client_id}":
            return True
        return scope in ALL_SCOPES and scope in account.scopes
