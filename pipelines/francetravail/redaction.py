"""Server text in messages: secrets masked, one line, a few hundred characters at most.

Servers echo what they were sent. A token endpoint may quote the form it received, the
client secret included; an API may quote the ``Authorization`` header it refused; and
nothing bounds what either writes. Every piece of server text that goes into an error
message or a log line therefore passes through `quote` (or `Redactor.quote`, which
knows the client's secrets), which:

- masks every secret it is given: the client secret and every access token the client
  holds or has held, as sent and as they read once form-encoded;
- masks whatever follows ``client_secret=`` and whatever follows ``Bearer``, secrets
  this client never knew included;
- turns control characters into spaces, so a message stays one line;
- keeps at most `QUOTE_LIMIT` characters, ending in an ellipsis when it cuts.

Masking comes before cutting, so a cut never leaves the start of a secret in view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from urllib.parse import quote as percent_encode
from urllib.parse import quote_plus

# Enough for any error message France Travail writes; a flood is cut here.
QUOTE_LIMIT = 300
MASK = "***"

# The form field of the token request: the rest of the text is masked, whatever follows,
# because an echoed form may be cut or re-encoded in ways no pattern foresees.
_CLIENT_SECRET_FIELD = re.compile(r"(client_secret[\"']?\s*[=:]\s*).*", re.I | re.S)
# A credential after "Bearer", up to the next blank or delimiter.
_BEARER = re.compile(r"(\bbearer\s+)[^\s,;\"'}\]]+", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def quote(
    text: object, *, secrets: Iterable[str] = (), limit: int = QUOTE_LIMIT
) -> str:
    """``text`` made safe to put in a message: masked, on one line, bounded.

    Args:
        text: what the server sent (anything; it is turned into a string).
        secrets: values to mask wherever they appear.
        limit: the most characters returned, the ellipsis included.
    """
    value = str(text)
    for secret in sorted(_spellings(secrets), key=len, reverse=True):
        value = value.replace(secret, MASK)
    value = _CLIENT_SECRET_FIELD.sub(lambda match: match[1] + MASK, value)
    value = _BEARER.sub(lambda match: match[1] + MASK, value)
    value = _CONTROL.sub(" ", value).strip()
    if len(value) > limit:
        value = value[: max(0, limit - 1)].rstrip() + "…"
    return value


def _spellings(secrets: Iterable[str]) -> set[str]:
    """Each secret as sent, and as it reads in a form or a URL."""
    found = set()
    for secret in secrets:
        if secret:
            found.update(
                {
                    secret,
                    quote_plus(secret),
                    percent_encode(secret),
                    percent_encode(secret, safe=""),
                }
            )
    return found


class Redactor:
    """The secrets of one client, to mask them in every message built from server text.

    The client secret is known from the start; the token provider adds each access token
    as it arrives, and none is ever forgotten: an old token may be echoed long after it
    was replaced.
    """

    def __init__(self, *secrets: str) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset(s for s in secrets if s)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"

    def remember(self, secret: str) -> None:
        """Mask ``secret`` too, from now on."""
        if not secret:
            return
        with self._lock:
            self._secrets = self._secrets | {secret}

    def quote(self, text: object, *, limit: int = QUOTE_LIMIT) -> str:
        """``text`` masked of every known secret, on one line, bounded (see `quote`)."""
        return quote(text, secrets=self._secrets, limit=limit)
