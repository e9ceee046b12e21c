"""``GET /offres/{id}`` and the référentiels of the offers API."""

from __future__ import annotations

import pytest

from pipelines.simulator import geography

from .helpers import FIRST_DAY

DETAIL = "/offresdemploi/v2/offres/{}"


def test_offer_is_served_as_the_corpus_holds_it(sim, offers):
    offer_id = sim.state.corpus.ids_created_on(FIRST_DAY)[3]

    response = offers.get(DETAIL.format(offer_id))

    assert response.status_code == 200
    assert response.json() == sim.state.corpus.offer(offer_id)
    assert response.json()["id"] == offer_id


@pytest.mark.parametrize(
    "offer_id", ["999ZZZZ", "0000001"], ids=["ft-format", "partner-format"]
)
def test_unknown_offer_is_204(offers, offer_id):
    response = offers.get(DETAIL.format(offer_id))

    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.parametrize("offer_id", ["184trjb", "18TRJB", "184TRJBX", "184-RJB"])
def test_malformed_id_is_400(offers, offer_id):
    response = offers.get(DETAIL.format(offer_id))

    assert response.status_code == 400
    assert response.json()["message"] == (
        "Le format de l'id de l'offre recherchée est incorrect."
    )


def test_withdrawn_offer_is_204_and_updated_offer_changes(sim, offers):
    withdrawn_id, updated_id = sim.state.corpus.ids_created_on(FIRST_DAY)[:2]
    before = offers.get(DETAIL.format(updated_id)).json()

    sim.state.withdraw([withdrawn_id])
    sim.state.update([updated_id])
    gone = offers.get(DETAIL.format(withdrawn_id))
    after = offers.get(DETAIL.format(updated_id)).json()

    assert gone.status_code == 204
    assert after["dateActualisation"] != before["dateActualisation"]
    assert after["nombrePostes"] == before["nombrePostes"] + 1
    assert after["dateCreation"] == before["dateCreation"]


def test_every_documented_referentiel_is_served(offers):
    names = [
        "appellations", "nafs", "communes", "continents", "departements", "domaines",
        "langues", "metiers", "naturesContrats", "niveauxFormations", "pays", "permis",
        "regions", "secteursActivites", "themes", "typesContrats",
    ]  # fmt: skip

    responses = {
        name: offers.get(f"/offresdemploi/v2/referentiel/{name}") for name in names
    }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(
        names, 200
    )
    for name, response in responses.items():
        items = response.json()
        assert response.headers["content-range"] == f"{name} */{len(items)}"
        assert all({"code", "libelle"} <= item.keys() for item in items)


def test_referentiel_extras_for_communes_and_departements(offers):
    communes = offers.get("/offresdemploi/v2/referentiel/communes").json()
    departements = offers.get("/offresdemploi/v2/referentiel/departements").json()
    regions = offers.get("/offresdemploi/v2/referentiel/regions").json()

    villejuif = next(c for c in communes if c["code"] == "94076")
    corse_du_sud = next(d for d in departements if d["code"] == "2A")
    assert villejuif == {
        "code": "94076",
        "libelle": "VILLEJUIF",
        "codePostal": "94800",
        "codeDepartement": "94",
    }
    assert corse_du_sud == {
        "code": "2A",
        "libelle": "Corse-du-Sud",
        "region": {"code": "94", "libelle": "Corse"},
    }
    assert len(departements) == 101
    assert len(regions) == 18
    assert len(communes) == len(geography.communes())
    assert len(communes) >= 200


def test_unknown_referentiel_is_404(offers):
    response = offers.get("/offresdemploi/v2/referentiel/planetes")

    assert response.status_code == 404
    assert response.json()["codeHttp"] == 404
