"""Codes of the offers that their référentiel does not know."""

from __future__ import annotations

from datetime import date

from pipelines.warehouse import OffresLoader, load_referentiel
from pipelines.warehouse.quality import CODE_REFERENTIELS, unmatched_codes

from .corpus import offer, place


def test_unmatched_codes_per_column(engine) -> None:
    with OffresLoader(engine, date(2026, 3, 2)) as loader:
        loader.add(
            [
                offer("184AAAA", "2026-03-02T08:00:00"),
                offer("184BBBB", "2026-03-02T09:00:00", typeContrat="XYZ"),
                offer(
                    "184CCCC",
                    "2026-03-02T10:00:00",
                    lieuTravail=place("13 - MARSEILLE 07", "13207"),
                ),
            ]
        )
        loader.commit()
    load_referentiel(engine, "typesContrats", [{"code": "CDI", "libelle": "CDI"}])
    load_referentiel(engine, "metiers", [{"code": "M1811", "libelle": "Data"}])
    load_referentiel(engine, "departements", [{"code": "75", "libelle": "Paris"}])

    unmatched = unmatched_codes(engine)

    assert set(unmatched) == set(CODE_REFERENTIELS)
    assert unmatched["type_contrat"] == ["XYZ"]
    assert unmatched["rome_code"] == []
    assert unmatched["lieu_travail_departement"] == ["13"]
    assert unmatched["lieu_travail_commune"] == ["13207", "75108"]
    assert unmatched["code_naf"] == []
