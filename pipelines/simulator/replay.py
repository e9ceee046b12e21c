"""Captured API responses, served byte for byte in replay mode.

A capture directory holds files named as in the shared samples: ``offres_search_*.json``
(one search answer), ``offre_<...>.json`` (single offers, served at their ``id``) and
``referentiel_<name>.json``. The search answer is served for every search, whatever its
filters, so a load runs on real API bytes; its ``Content-Range`` counts its offers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Captures:
    """The captured bodies of one directory, raw bytes and the parsed search."""

    search_body: bytes | None = None
    search: dict = field(default_factory=dict)
    offers: dict[str, bytes] = field(default_factory=dict)
    referentiels: dict[str, bytes] = field(default_factory=dict)

    @property
    def search_total(self) -> int:
        return len(self.search.get("resultats", []))

    def referentiel_size(self, name: str) -> int:
        return len(json.loads(self.referentiels[name]))


def load_captures(directory: Path) -> Captures:
    """Read a capture directory; a missing directory is a configuration error."""
    if not directory.is_dir():
        raise FileNotFoundError(f"replay directory {directory} does not exist")
    captures = Captures()
    searches = sorted(directory.glob("offres_search_*.json"))
    if searches:
        captures.search_body = searches[0].read_bytes()
        captures.search = json.loads(captures.search_body)
    for path in sorted(directory.glob("offre_*.json")):
        body = path.read_bytes()
        captures.offers[json.loads(body)["id"]] = body
    for path in sorted(directory.glob("referentiel_*.json")):
        captures.referentiels[path.stem.removeprefix("referentiel_")] = (
            path.read_bytes()
        )
    return captures
