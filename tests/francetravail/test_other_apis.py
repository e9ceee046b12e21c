"""ROME 4.0, La Bonne Boîte, Marché du travail, agencies and référentiels."""

from __future__ import annotations

import httpx
import pytest

from pipelines.francetravail import (
    LABONNEBOITE_API,
    OFFRES_API,
    AgencesApi,
    LaBonneBoiteApi,
    MarcheTravailApi,
    OffresApi,
    ReferentielsApi,
    RomeApi,
    errors,
)

from .francetravail_fakes import json_response


@pytest.mark.parametrize(
    ("read", "path", "scope"),
    [
        pytest.param(
            lambda c: RomeApi(c).metiers(),
            "/partenaire/rome-metiers/v1/metiers/metier",
            "api_rome-metiersv1 nomenclatureRome",
            id="metiers",
        ),
        pytest.param(
            lambda c: RomeApi(c).appellations(),
            "/partenaire/rome-metiers/v1/metiers/appellation",
            "api_rome-metiersv1 nomenclatureRome",
            id="appellations",
        ),
        pytest.param(
            lambda c: RomeApi(c).competences(),
            "/partenaire/rome-competences/v1/competences/competence",
            "api_rome-competencesv1 nomenclatureRome",
            id="competences",
        ),
        pytest.param(
            lambda c: RomeApi(c).fiches_metiers(),
            "/partenaire/rome-fiches-metiers/v1/fiches-rome/fiche-metier",
            "api_rome-fiches-metiersv1 nomenclatureRome",
            id="fiches",
        ),
        pytest.param(
            lambda c: RomeApi(c).contextes_travail(),
            "/partenaire/rome-contextes-travail/v1/situations-travail/contexte-travail",
            "api_rome-contextes-travailv1 nomenclatureRome",
            id="contextes",
        ),
        pytest.param(
            lambda c: AgencesApi(c).fetch(),
            "/partenaire/referentielagences/v1/agences",
            "api_referentielagencesv1 organisationpe",
            id="agences",
        ),
        pytest.param(
            lambda c: ReferentielsApi(c).fetch("typesContrats"),
            "/partenaire/offresdemploi/v2/referentiel/typesContrats",
            "api_offresdemploiv2 o2dsoffre",
            id="referentiel",
        ),
        pytest.param(
            lambda c: MarcheTravailApi(c).territoires("DEP"),
            "/partenaire/stats-offres-demandes-emploi/v1/referentiel/territoires/DEP",
            "api_stats-offres-demandes-emploiv1 offresetdemandesemploi",
            id="territoires",
        ),
    ],
)
def test_full_lists_are_read_in_one_request_with_the_apis_scopes(
    make_client, fake, read, path, scope
):
    items = [{"code": "A1101", "libelle": "Conducteur"}, {"code": "B", "libelle": "b"}]
    fake.api_script.append(json_response(200, items))

    assert read(make_client()) == items
    assert [s.path for s in fake.api_requests] == [path]
    assert [s.form["scope"] for s in fake.token_requests] == [scope]


def test_each_api_paces_on_its_own_budget(make_client, fake, clock):
    fake.latency = 0.0
    fake.api_script.extend([json_response(200, [])] * 3)
    client = make_client()
    rome = RomeApi(client)

    rome.metiers()
    AgencesApi(client).fetch()
    rome.appellations()

    # Agencies did not wait for ROME's one request per second; ROME did, once.
    assert clock.sleeps == [pytest.approx(1.02, abs=1e-6)]


def test_a_referentiel_shorter_than_announced_is_an_error(make_client, fake):
    fake.api_script.append(
        json_response(200, [{"code": "1"}], **{"Content-Range": "pays */221"})
    )

    with pytest.raises(errors.UnexpectedResponse, match="1 items of référentiel pays"):
        ReferentielsApi(make_client()).fetch("pays")


def test_an_unknown_referentiel_is_refused_before_any_request(make_client, fake):
    with pytest.raises(ValueError, match="unknown référentiel 'paysages'"):
        ReferentielsApi(make_client()).fetch("paysages")

    assert fake.api_requests == []


def test_agencies_of_one_commune_with_their_hours(make_client, fake):
    fake.api_script.append(json_response(200, [{"code": "OCC0043"}]))

    AgencesApi(make_client()).fetch(commune="31555", horaires=True)

    assert fake.api_requests[0].params == {"commune": "31555", "horaire": "true"}


def companies(page: int, count: int, hits: int) -> httpx.Response:
    items = [{"siret": f"{page:03d}{i:011d}"} for i in range(count)]
    return json_response(200, {"hits": hits, "items": items, "params": {}})


def test_la_bonne_boite_pages_until_every_hit_is_read(make_client, fake):
    fake.api_script.extend(
        [companies(1, 100, 250), companies(2, 100, 250), companies(3, 50, 250)]
    )

    pages = list(LaBonneBoiteApi(make_client()).search("M1805", department_number="75"))

    assert [len(page) for page in pages] == [100, 100, 50]
    assert [s.path for s in fake.api_requests] == [
        "/partenaire/labonneboite/v2/recherche"
    ] * 3
    assert [s.query for s in fake.api_requests] == [
        [
            ("rome", "M1805"),
            ("department_number", "75"),
            ("page_size", "100"),
            ("page", str(page)),
        ]
        for page in (1, 2, 3)
    ]


def test_la_bonne_boite_repeats_rome_once_per_code(make_client, fake):
    fake.api_script.append(companies(1, 0, 0))

    pages = list(
        LaBonneBoiteApi(make_client()).search(["M1805", "M1855"], citycode="31555")
    )

    assert pages == []
    [seen] = fake.api_requests
    assert [value for name, value in seen.query if name == "rome"] == ["M1805", "M1855"]


def test_la_bonne_boite_needs_a_place(make_client, fake):
    with pytest.raises(ValueError, match="La Bonne Boîte needs a place"):
        list(LaBonneBoiteApi(make_client()).search("M1805"))

    assert fake.api_requests == []


def test_la_bonne_boite_422_is_a_rejected_request(make_client, fake):
    fake.api_script.append(json_response(422, {"detail": "distance > 200"}))

    with pytest.raises(errors.RequestRejected) as raised:
        list(LaBonneBoiteApi(make_client()).search("M1805", citycode="31555"))

    assert raised.value.status == 422
    assert len(fake.api_requests) == 1


def test_marche_du_travail_posts_json_and_asks_for_json(make_client, fake):
    fake.api_script.append(json_response(200, {"listeValeursParPeriode": []}))
    query = {"codeTypeTerritoire": "DEP", "codeTerritoire": "75"}

    result = MarcheTravailApi(make_client()).indicateur("stat-offres", query)

    assert result == {"listeValeursParPeriode": []}
    [seen] = fake.api_requests
    assert seen.method == "POST"
    assert (
        seen.path
        == "/partenaire/stats-offres-demandes-emploi/v1/indicateur/stat-offres"
    )
    assert seen.headers["Accept"] == "application/json"
    assert seen.body == b'{"codeTypeTerritoire":"DEP","codeTerritoire":"75"}'


def test_marche_du_travail_answering_xml_is_never_read_as_data(make_client, fake):
    fake.api_script.extend([httpx.Response(200, text="<xml/>")] * 6)

    with pytest.raises(errors.UnexpectedResponse, match="non-JSON body"):
        MarcheTravailApi(make_client()).indicateur("stat-offres", {})


def test_a_403_fails_only_its_api_and_names_it(make_client, fake):
    fake.api_script.extend(
        [httpx.Response(403, text="Invalid scope"), json_response(200, [])]
    )
    client = make_client()

    with pytest.raises(errors.AccessDenied) as raised:
        list(LaBonneBoiteApi(client).search("M1805", citycode="31555"))
    ReferentielsApi(client).fetch("pays")

    assert raised.value.api == "La Bonne Boîte v2"
    assert "subscribe the application to La Bonne Boîte v2" in str(raised.value)
    assert len(fake.api_requests) == 2


def test_a_refused_scope_fails_only_its_api(make_client, fake):
    refusal = {
        "error": "invalid_scope",
        "error_description": "Unknown/invalid scope(s): [api_labonneboitev2]",
    }
    fake.token_script.append(json_response(400, refusal))
    fake.api_script.append(json_response(200, {"resultats": []}))
    client = make_client()

    with pytest.raises(errors.AccessDenied) as raised:
        list(LaBonneBoiteApi(client).search("M1805", citycode="31555"))
    OffresApi(client).client.request(OFFRES_API, "GET", "offres/search")

    assert raised.value.api == LABONNEBOITE_API.title
    assert "subscribe the application to La Bonne Boîte v2" in str(raised.value)
    assert [s.form["scope"] for s in fake.token_requests] == [
        "api_labonneboitev2 search office",
        "api_offresdemploiv2 o2dsoffre",
    ]
    assert [s.path for s in fake.api_requests] == [
        "/partenaire/offresdemploi/v2/offres/search"
    ]
