"""The France Travail agencies: one per commune of `geography`, fixed for every seed.

Offers managed by an agency name it in ``contact`` (``Agence France Travail <commune>``)
and the agencies API lists the same agencies, so the two join on the name and commune.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipelines.simulator import geography

# Three-letter prefixes of agency codes per région (as in "OCC0043").
_REGION_PREFIXES = {
    "01": "GUA", "02": "MAR", "03": "GUY", "04": "REU", "06": "MAY", "11": "IDF",
    "24": "CVL", "27": "BFC", "28": "NOR", "32": "HDF", "44": "GES", "52": "PDL",
    "53": "BRE", "75": "NAQ", "76": "OCC", "84": "ARA", "93": "PAC", "94": "COR",
}  # fmt: skip

_STREETS = (
    "RUE DE LA REPUBLIQUE", "AVENUE JEAN JAURES", "RUE VICTOR HUGO",
    "BOULEVARD GAMBETTA", "RUE DU GENERAL DE GAULLE", "AVENUE DE LA GARE",
    "RUE PASTEUR", "PLACE DE L EUROPE", "RUE DES ECOLES", "AVENUE DU PRESIDENT WILSON",
    "RUE JULES FERRY", "BOULEVARD DE STRASBOURG", "RUE NATIONALE", "ALLEE DES TILLEULS",
)  # fmt: skip


@dataclass(frozen=True)
class Agency:
    code: str
    code_safir: str
    commune: geography.Commune
    region_code: str
    street: str

    @property
    def libelle(self) -> str:
        return f"Agence France Travail {self.commune.name}"

    @property
    def town_line(self) -> str:
        """Postal code and town, as on an envelope: ``92220 BAGNEUX``."""
        return f"{self.commune.code_postal} {geography.plain_upper(self.commune.name)}"

    @property
    def email(self) -> str:
        return f"ape.{self.code.lower()}@francetravail.example"


@cache
def agencies() -> tuple[Agency, ...]:
    """Every agency, ordered by code."""
    counters: dict[str, int] = {}
    listed = []
    for index, commune in enumerate(geography.communes()):
        region = geography.region_of_departement(commune.departement).code
        prefix = _REGION_PREFIXES[region]
        counters[prefix] = counters.get(prefix, 0) + 1
        number = 1 + (index * 7) % 180
        street = f"{number} {_STREETS[index % len(_STREETS)]}"
        listed.append(
            Agency(
                code=f"{prefix}{counters[prefix]:04d}",
                code_safir=str(20001 + index * 3),
                commune=commune,
                region_code=region,
                street=street,
            )
        )
    return tuple(sorted(listed, key=lambda agency: agency.code))


@cache
def agency_for_commune(code: str) -> Agency:
    """The agency located in a commune."""
    for agency in agencies():
        if agency.commune.code == code:
            return agency
    raise KeyError(code)
