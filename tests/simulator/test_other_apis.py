"""ROME 4.0, La Bonne Boîte, Marché du travail and the agencies.

Their documented paging, errors and quotas, and data that joins to the offers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import httpx
import pytest

from pipelines.simulator import nomenclature
from pipelines.simulator.catalogue import ALL_API_NAMES

from .helpers import FIRST_DAY, api_client, fetch_token

ROME_APIS = (
    "rome-metiers",
    "rome-competences",
    "rome-fiches-metiers",
    "rome-contextes-travail",
)
LBB = "/labonneboite/v2/recherche"
STAT_OFFRES = "/stats-offres-demandes-emploi/v1/indicateur/stat-offres"
STATS_QUERY = {
    "codeTypeTerritoire": "DEP",
    "codeTerritoire": "75",
    "codeTypeActivite": "ROME",
    "codeActivite": "M1805",
    "codeTypePeriode": "TRIMESTRE",
    "codeTypeNomenclature": "TYPE_CONTRAT",
    "dernierePeriode": True,
}


@pytest.fixture
def client(sim):
    with api_client(sim, *sorted(ALL_API_NAMES)) as client:
        yield client


@pytest.fixture
def day_offers(sim):
    corpus = sim.state.corpus
    return [corpus.offer(i) for i in corpus.ids_created_on(FIRST_DAY)]


def test_rome_metiers_join_the_offers(client, day_offers):
    metiers = client.get("/rome-metiers/v1/metiers/metier").json()
    appellations = client.get("/rome-metiers/v1/metiers/appellation").json()

    codes = {m["code"] for m in metiers}
    assert len(metiers) == 64
    assert len(appellations) == 121
    assert {o["romeCode"] for o in day_offers} <= codes
    assert {a["metier"]["code"] for a in appellations} == codes
    assert {o["appellationlibelle"] for o in day_offers} <= {
        a["libelle"] for a in appellations
    }


def test_rome_metier_detail_and_404(client):
    detail = client.get("/rome-metiers/v1/metiers/metier/M1811")
    missing = client.get("/rome-metiers/v1/metiers/metier/Z9999")

    body = detail.json()
    assert detail.status_code == 200
    assert body["libelle"] == "Data engineer"
    assert body["domaineProfessionnel"]["code"] == "M18"
    assert body["domaineProfessionnel"]["grandDomaine"] == {
        "code": "M",
        "libelle": "Support à l'entreprise",
    }
    assert [a["libelle"] for a in body["appellations"]] == [
        "Data engineer",
        "Ingénieur / Ingénieure big data",
    ]
    assert missing.status_code == 404


def test_rome_competences_cover_every_coded_skill_of_the_offers(client, day_offers):
    listed = client.get("/rome-competences/v1/competences/competence").json()

    by_rome: dict[str, set[str]] = {}
    for offer in day_offers:
        for competence in offer.get("competences", []):
            if "code" in competence:
                by_rome.setdefault(offer["romeCode"], set()).add(competence["code"])
    rome, offer_codes = sorted(by_rome.items())[0]
    mobilised = client.get(f"/rome-competences/v1/competences/metier/{rome}").json()

    assert len(listed) == len(nomenclature.competences())
    assert set().union(*by_rome.values()) <= {c["code"] for c in listed}
    assert offer_codes <= {c["code"] for c in mobilised["competencesMobilisees"]}


def test_rome_fiches_and_contextes(client):
    fiches = client.get("/rome-fiches-metiers/v1/fiches-rome/fiche-metier").json()
    fiche = client.get("/rome-fiches-metiers/v1/fiches-rome/fiche-metier/K2204").json()
    contextes = client.get(
        "/rome-contextes-travail/v1/situations-travail/contexte-travail"
    )
    contexte = client.get(
        "/rome-contextes-travail/v1/situations-travail/contexte-travail/400004"
    )

    assert len(fiches) == 64
    assert fiche["metier"] == {"code": "K2204", "libelle": "Nettoyage de locaux"}
    assert [g["enjeu"]["code"] for g in fiche["groupesCompetencesMobilisees"]] == [
        "100001",
        "100002",
        "100003",
    ]
    assert len(contextes.json()) == 12
    assert contexte.json() == {
        "code": "400004",
        "libelle": "Travail en équipe",
        "categorie": "CONDITIONS_TRAVAIL",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rome": "M1805"}, "location"),
        ({"rome": "M1805", "department_number": "75", "page_size": "101"}, "page_size"),
        ({"rome": "M1805", "citycode": "75108", "distance": "201"}, "distance"),
        ({"rome": "M1805", "department_number": "75", "page": "0"}, "page"),
    ],
    ids=["no-location", "page-size-101", "distance-201", "page-0"],
)
def test_labonneboite_validation_is_422(client, params, field):
    response = client.get(LBB, params=params)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_labonneboite_rome_is_repeatable_not_comma_joined(client):
    where = {"department_number": "75", "page_size": "100"}

    first = client.get(LBB, params={**where, "rome": "M1805"}).json()
    second = client.get(LBB, params={**where, "rome": "K2204"}).json()
    both = client.get(
        LBB, params=[*where.items(), ("rome", "M1805"), ("rome", "K2204")]
    ).json()
    joined = client.get(LBB, params={**where, "rome": "M1805,K2204"}).json()

    assert first["hits"] > 0 and second["hits"] > 0
    assert both["hits"] == first["hits"] + second["hits"]
    assert joined["hits"] == 0
    assert {i["department_number"] for i in both["items"]} == {"75"}
    assert {i["rome"] for i in both["items"]} == {"M1805", "K2204"}


def test_labonneboite_pages_cover_every_hit_once(client):
    where = {"region": "11", "rome": "K2204"}
    total = client.get(LBB, params={**where, "page_size": "1"}).json()["hits"]

    ids = []
    for page in range(1, total // 7 + 2):
        body = client.get(
            LBB, params={**where, "page": str(page), "page_size": "7"}
        ).json()
        ids += [item["id"] for item in body["items"]]

    assert total > 7
    assert len(ids) == total
    assert len(set(ids)) == total


def test_labonneboite_distance_from_a_commune(client):
    near = client.get(
        LBB,
        params={
            "citycode": "69386",
            "distance": "10",
            "rome": "G1602",
            "page_size": "100",
        },
    ).json()

    assert near["resolved_params"]["citycode"] == "69386"
    assert {item["department_number"] for item in near["items"]} <= {"69"}


def test_marche_du_travail_answers_json_when_asked(client):
    response = client.post(
        STAT_OFFRES, json=STATS_QUERY, headers={"Accept": "application/json"}
    )

    values = response.json()["listeValeursParPeriode"]
    assert response.status_code == 200
    assert len(values) == 1
    assert values[0]["libTerritoire"] == "Paris"
    assert values[0]["libActivite"] == "Études et développement informatique"
    assert [c["codeCaract"] for c in values[0]["listeValeurParCaract"]] == [
        "CDI",
        "CDD",
        "CDDC",
        "MIS",
    ]


def test_marche_du_travail_answers_xml_by_default(client):
    response = client.post(STAT_OFFRES, json={**STATS_QUERY, "dernierePeriode": False})

    root = ElementTree.fromstring(response.content)
    assert response.headers["content-type"].startswith("application/xml")
    assert root.tag == "resultat"
    assert len(root.findall("./listeValeursParPeriode/valeursParPeriode")) == 8


def test_marche_du_travail_validation(client):
    missing = client.post(
        STAT_OFFRES,
        json={k: v for k, v in STATS_QUERY.items() if k != "codeTerritoire"},
        headers={"Accept": "application/json"},
    )
    unknown = client.post(
        STAT_OFFRES,
        json={**STATS_QUERY, "codeTerritoire": "99"},
        headers={"Accept": "application/json"},
    )

    assert missing.status_code == 400
    assert (
        missing.json()["message"] == "Le paramètre « codeTerritoire » est obligatoire."
    )
    assert unknown.status_code == 400


def test_agencies_join_the_offers_contacts(client, day_offers):
    agencies = client.get("/referentielagences/v1/agences").json()
    villejuif = client.get(
        "/referentielagences/v1/agences", params={"commune": "94076"}
    ).json()

    names = {a["libelleEtendu"] for a in agencies}
    contact_agencies = {
        o["contact"]["nom"]
        for o in day_offers
        if o.get("contact", {}).get("nom", "").startswith("Agence France Travail")
    }
    assert len(agencies) == 232
    assert contact_agencies and contact_agencies <= names
    assert [a["adressePrincipale"]["communeImplantation"] for a in villejuif] == [
        "94076"
    ]


def test_each_api_carries_its_documented_quota(start_simulator):
    sim = start_simulator(quotas=None)
    token = fetch_token(sim, *sorted(ALL_API_NAMES))
    headers = {"Authorization": f"Bearer {token}"}
    paths = {
        "rome-metiers": "/rome-metiers/v1/metiers/metier",
        "rome-competences": "/rome-competences/v1/competences/competence",
        "rome-fiches-metiers": "/rome-fiches-metiers/v1/fiches-rome/fiche-metier",
        "rome-contextes-travail": (
            "/rome-contextes-travail/v1/situations-travail/contexte-travail"
        ),
        "labonneboite": f"{LBB}?rome=M1805&department_number=75",
        "referentielagences": "/referentielagences/v1/agences",
        "offresdemploi": "/offresdemploi/v2/referentiel/regions",
    }

    bursts = {
        name: httpx.get(sim.api_url + path, headers=headers).headers[
            "x-ratelimit-burst-capacity-clientidlimiter"
        ]
        for name, path in paths.items()
    }
    stats = httpx.post(sim.api_url + STAT_OFFRES, json=STATS_QUERY, headers=headers)
    bursts["stats-offres-demandes-emploi"] = stats.headers[
        "x-ratelimit-burst-capacity-clientidlimiter"
    ]

    assert bursts == {
        "rome-metiers": "1",
        "rome-competences": "1",
        "rome-fiches-metiers": "1",
        "rome-contextes-travail": "1",
        "labonneboite": "2",
        "referentielagences": "10",
        "offresdemploi": "10",
        "stats-offres-demandes-emploi": "10",
    }
