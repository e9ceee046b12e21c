"""The compact record the corpus keeps per offer, and the updates applied to offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# Where lieuTravail points: a commune with coordinates, a département, a région, or
# only "France" (the last three without coordinates, postal code or INSEE code).
PLACE_COMMUNE = 0
PLACE_DEPARTEMENT = 1
PLACE_REGION = 2
PLACE_FRANCE = 3


class CompactOffer(NamedTuple):
    """What the search needs to know of an offer; its document is built on demand.

    ``commune`` and ``rome`` index `geography.communes()` and `nomenclature.metiers()`;
    ``experience`` and ``qualification`` are the buckets of ``filtresPossibles``.
    """

    id: str
    created_ms: int
    partner: bool
    commune: int
    place: int
    rome: int
    type_contrat: str
    nature: str
    experience: str
    qualification: str
    departement: str | None
    region: str | None

    @property
    def origine(self) -> str:
        return "2" if self.partner else "1"


@dataclass(frozen=True)
class Revision:
    """The latest update of an offer: how many so far, and when the last one was."""

    count: int
    actualised_ms: int
