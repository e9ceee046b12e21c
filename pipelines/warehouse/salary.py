"""Read the salary text of an offer into a minimum, a maximum and a period.

The API gives the salary only as a sentence built by France Travail's site from the
employer's input, such as ``Mensuel de 2500 Euros à 2800 Euros sur 12 mois`` or
``Annuel de 50000.0 Euros sur 12.0 mois``. The period is the word the sentence starts
with, as the employer declared it: some employers type a yearly amount under
``Mensuel``, and the parser keeps what was declared rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The period words the site writes, and the name the warehouse stores for each.
PERIODS = {
    "horaire": "horaire",
    "mensuel": "mensuel",
    "annuel": "annuel",
    "cachet": "cachet",
}

_AMOUNT = r"\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?"
_SALARY = re.compile(
    rf"^\s*(?P<period>[A-Za-z]+)\s+de\s+(?P<low>{_AMOUNT})\s*(?:euros?|€)"
    rf"(?:\s+à\s+(?P<high>{_AMOUNT})\s*(?:euros?|€))?",
    re.IGNORECASE,
)


# The site writes sentences of some 60 characters; a longer text is no such sentence,
# and the pattern's time grows with the square of a long run of spaces.
_LONGEST = 200


@dataclass(frozen=True)
class Salary:
    """A parsed salary. A single amount ('de 50000 Euros') gives minimum = maximum."""

    minimum: float
    maximum: float
    period: str


def _amount(text: str) -> float:
    digits = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    return float(digits)


def parse_salary(libelle: str | None) -> Salary | None:
    """Parse ``salaire.libelle``; None when it is absent or not in a known form."""
    if not libelle or len(libelle) > _LONGEST:
        return None
    match = _SALARY.match(libelle)
    if match is None:
        return None
    period = PERIODS.get(match["period"].lower())
    if period is None:
        return None

    low = _amount(match["low"])
    high = _amount(match["high"]) if match["high"] else low
    if high < low:
        low, high = high, low
    return Salary(minimum=low, maximum=high, period=period)
