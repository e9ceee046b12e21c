"""The salary text of the samples, and the other forms the site writes."""

from __future__ import annotations

import pytest

from pipelines.warehouse.salary import Salary, parse_salary


@pytest.mark.parametrize(
    ("libelle", "expected"),
    [
        # Every salary text of the real samples.
        (
            "Mensuel de 40000.0 Euros à 50000.0 Euros sur 12.0 mois",
            Salary(40000.0, 50000.0, "mensuel"),
        ),
        ("Annuel de 50000.0 Euros sur 12.0 mois", Salary(50000.0, 50000.0, "annuel")),
        (
            "Annuel de 36000.0 Euros à 45000.0 Euros sur 12.0 mois",
            Salary(36000.0, 45000.0, "annuel"),
        ),
        (
            "Mensuel de 28000.0 Euros à 40000.0 Euros sur 12.0 mois",
            Salary(28000.0, 40000.0, "mensuel"),
        ),
        (
            "Mensuel de 2500 Euros à 2800 Euros sur 12 mois",
            Salary(2500.0, 2800.0, "mensuel"),
        ),
        (
            "Annuel de 35000.0 Euros à 43000.0 Euros sur 13.0 mois",
            Salary(35000.0, 43000.0, "annuel"),
        ),
        ("Annuel de 35000.00 Euros sur 12 mois", Salary(35000.0, 35000.0, "annuel")),
        # Other forms of the same sentence.
        ("Horaire de 11.88 Euros sur 12 mois", Salary(11.88, 11.88, "horaire")),
        ("Mensuel de 1 766,92 Euros", Salary(1766.92, 1766.92, "mensuel")),
        ("Cachet de 150 Euros", Salary(150.0, 150.0, "cachet")),
        ("annuel de 45000 € à 40000 €", Salary(40000.0, 45000.0, "annuel")),
    ],
)
def test_parses_salary_text(libelle: str, expected: Salary) -> None:
    assert parse_salary(libelle) == expected


@pytest.mark.parametrize(
    "libelle",
    [None, "", "Autre", "Selon profil", "Hebdomadaire de 500 Euros", "A négocier"],
)
def test_unreadable_salary_is_none(libelle: str | None) -> None:
    assert parse_salary(libelle) is None
