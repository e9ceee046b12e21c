"""The offers search read whole: pagination, splits past the cap, reconciliation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from pipelines.calendar import TimeWindow
from pipelines.francetravail import OffresApi, errors

from .francetravail_fakes import FakeSearch, json_response, offer

SEARCH_ROUTE = "/partenaire/offresdemploi/v2/offres/search"
DAY_START = datetime(2026, 3, 10, tzinfo=UTC)
DAY = TimeWindow(DAY_START, DAY_START + timedelta(days=1))


def stamp(seconds: float) -> str:
    """A creation date ``seconds`` into the test day, with milliseconds."""
    instant = DAY_START + timedelta(seconds=seconds)
    return (
        instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"
    )


def spread(count: int, first: int = 0, span: float = 86_400.0, **facets) -> list[dict]:
    """``count`` offers evenly spread over ``span`` seconds of the test day."""
    return [
        offer(first + i, stamp((i + 0.5) * span / count), **facets)
        for i in range(count)
    ]


def read_all(api: OffresApi, window: TimeWindow = DAY, criteria=None) -> list[dict]:
    return [o for page in api.fetch_window(window, criteria) for o in page]


@pytest.fixture
def serve(fake):
    """Serve a corpus through the fake offers search; returns the search."""

    def install(offers: list[dict], **options) -> FakeSearch:
        search = FakeSearch(offers, **options)
        fake.routes[SEARCH_ROUTE] = search
        return search

    return install


@pytest.mark.parametrize(
    ("total", "ranges"),
    [
        pytest.param(0, ["0-149"], id="0"),
        pytest.param(1, ["0-149"], id="1"),
        pytest.param(150, ["0-149"], id="150"),
        pytest.param(151, ["0-149", "150-299"], id="151"),
        pytest.param(353, ["0-149", "150-299", "300-449"], id="353"),
        pytest.param(3150, [f"{s}-{s + 149}" for s in range(0, 3001, 150)], id="3150"),
    ],
)
@pytest.mark.parametrize("final_status", [200, 206])
def test_a_window_reads_every_page_and_stops_on_the_total(
    make_client, serve, total, ranges, final_status
):
    search = serve(spread(total), final_status=final_status)
    api = OffresApi(make_client())

    offers = read_all(api)

    assert [r for r, _ in search.ranges] == ranges
    assert sorted(o["id"] for o in offers) == [f"{i:07d}" for i in range(total)]
    report = api.last_report
    assert (report.expected, report.unique, report.requests) == (
        total,
        total,
        len(ranges),
    )
    assert (report.leaves, report.splits, report.complete) == (1, 0, True)


def test_every_request_carries_the_window_and_the_criteria(make_client, serve):
    search = serve(spread(200, departement="75"))

    read_all(OffresApi(make_client()), criteria={"departement": "75"})

    assert [params for _, params in search.ranges] == [
        {
            "departement": "75",
            "minCreationDate": "2026-03-10T00:00:00Z",
            "maxCreationDate": "2026-03-11T00:00:00Z",
            "range": page,
        }
        for page in ("0-149", "150-299")
    ]


def test_a_window_is_widened_to_whole_seconds(make_client, serve):
    search = serve([])
    window = TimeWindow(DAY_START + timedelta(seconds=1.25), DAY_START + timedelta(1.5))

    read_all(OffresApi(make_client()), window)

    [(_, params)] = search.ranges
    assert params["minCreationDate"] == "2026-03-10T00:00:01Z"
    assert params["maxCreationDate"] == "2026-03-11T12:00:00Z"


@pytest.mark.parametrize(
    ("rewrite", "expected"),
    [
        pytest.param(lambda h, r: h.replace("offres ", ""), 353, id="without-unit"),
        pytest.param(lambda h, r: h, 353, id="with-unit"),
    ],
)
def test_content_range_with_or_without_its_unit(make_client, serve, rewrite, expected):
    serve(spread(353), content_range=rewrite)

    assert len(read_all(OffresApi(make_client()))) == expected


def test_an_empty_window_answers_a_bare_star_zero(make_client, serve):
    serve([], content_range=lambda h, r: "*/0")
    api = OffresApi(make_client())

    assert read_all(api) == []
    assert (api.last_report.expected, api.last_report.requests) == (0, 1)


def test_a_single_page_without_content_range_is_read_whole(make_client, serve):
    serve(spread(26), content_range=lambda h, r: None)

    assert len(read_all(OffresApi(make_client()))) == 26


def test_an_unreadable_content_range_mid_read_is_an_error(make_client, serve):
    def break_second_page(header, request):
        return "offres 150-299" if request.url.params["range"] == "150-299" else header

    serve(spread(353), content_range=break_second_page)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        read_all(OffresApi(make_client()))

    assert "unreadable Content-Range 'offres 150-299'" in str(raised.value)


def test_a_page_answering_another_range_is_an_error(make_client, serve):
    def shift(header, request):
        return (
            "offres 0-149/353" if request.url.params["range"] == "150-299" else header
        )

    serve(spread(353), content_range=shift)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        read_all(OffresApi(make_client()))

    assert str(raised.value) == (
        "Offres d'emploi v2 answered range 150-299 with Content-Range "
        "'offres 0-149/353': the result changed or the API misbehaved; retry the load."
    )


def test_a_server_cap_lower_than_configured_fails_with_advice(make_client, serve):
    serve(spread(1500), max_start=1000)

    with pytest.raises(errors.RequestRejected) as raised:
        read_all(OffresApi(make_client()))

    assert raised.value.message == (
        "La position de début doit être inférieure ou égale à 1000."
    )
    assert "lower the range cap" in str(raised.value)


def test_a_400_on_a_low_range_is_no_cap_and_says_what_the_api_said(
    make_client, serve, fake
):
    serve(spread(400))
    fake.api_script.extend(
        [None, httpx.Response(400, json={"message": "Paramètre invalide"})]
    )

    with pytest.raises(errors.RequestRejected) as raised:
        read_all(OffresApi(make_client()))

    assert raised.value.message == "Paramètre invalide"
    assert "range cap" not in str(raised.value)


def test_an_older_cap_of_1150_is_honoured(make_client, serve):
    search = serve(spread(1150), max_start=1000)
    api = OffresApi(make_client(), range_cap=1150)

    offers = read_all(api)

    assert len({o["id"] for o in offers}) == 1150
    assert [r for r, _ in search.ranges][-2:] == ["900-1049", "1000-1149"]
    assert api.last_report.duplicates == 50


def test_a_window_over_the_cap_is_split_in_time(make_client, serve):
    search = serve(spread(1000))
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api)

    assert len(offers) == 1000 == len({o["id"] for o in offers})
    report = api.last_report
    # ceil(1000 / (0.9 * 300)) = 4 slices of 6 h, 250 offers each: 2 pages each.
    assert (report.splits, report.leaves, report.requests) == (1, 4, 9)
    assert [leaf.total for leaf in report.windows] == [250] * 4
    assert [str(leaf.slice) for leaf in report.windows][:2] == [
        "2026-03-10T00:00:00Z..2026-03-10T06:00:00Z",
        "2026-03-10T06:00:00Z..2026-03-10T12:00:00Z",
    ]
    [split] = report.split_windows
    assert (split.total, split.slices, split.slices_total, split.gap) == (
        1000,
        4,
        1000,
        0,
    )
    assert max(int(r.split("-")[0]) for r, _ in search.ranges) == 150
    assert report.complete is True


def test_a_spike_is_split_again_until_every_slice_fits(make_client, serve):
    corpus = spread(600) + spread(1200, first=10_000, span=3600.0)  # 1,200 in 1 h
    search = serve(corpus)
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api)

    assert sorted(o["id"] for o in offers) == sorted(o["id"] for o in corpus)
    report = api.last_report
    assert report.expected == report.unique == 1800
    assert all(leaf.total <= 300 for leaf in report.windows)
    assert sum(leaf.total for leaf in report.windows) == 1800
    assert report.complete is True
    assert report.requests == len(search.ranges) == 27
    assert (report.splits, report.leaves) == (5, 16)
    # Within the request budget: 1.10 x ceil(N / 150) + one request per leaf.
    assert report.requests <= 1.10 * 12 + report.leaves
    assert max(int(r.split("-")[0]) for r, _ in search.ranges) <= 150


def test_one_second_over_the_cap_is_split_on_origin(make_client, serve):
    crowded = spread(200, span=1.0) + spread(200, first=500, span=1.0, origine="2")
    search = serve(crowded)
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api, TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)))

    assert len(offers) == 400
    assert [leaf.slice.facets for leaf in api.last_report.windows] == [
        (("origineOffre", "1"),),
        (("origineOffre", "2"),),
    ]
    assert search.ranges[1][1]["origineOffre"] == "1"


def test_then_on_contract_type_from_the_probes_counts(make_client, serve):
    crowded = (
        spread(200, span=1.0, contract="CDI")
        + spread(200, first=500, span=1.0, contract="CDD")
        + spread(5, first=900, span=1.0, origine="2")
    )
    serve(crowded)
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api, TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)))

    assert len(offers) == 405
    assert [leaf.slice.facets for leaf in api.last_report.windows] == [
        (("origineOffre", "1"), ("typeContrat", "CDD")),
        (("origineOffre", "1"), ("typeContrat", "CDI")),
        (("origineOffre", "2"),),
    ]


def test_contract_types_that_miss_offers_are_not_split_on(make_client, serve, fake):
    fake.routes["/partenaire/offresdemploi/v2/referentiel/departements"] = (
        lambda request: json_response(200, [{"code": "75"}, {"code": "92"}])
    )
    crowded = spread(200, span=1.0, contract="CDI") + spread(
        200, first=500, span=1.0, contract="CDD", departement="92"
    )
    search = serve(crowded)
    # The API's counts cover only the CDI offers: a split on them would lose 200.
    original = search.__call__

    def partial_counts(request):
        answer = original(request)
        if answer.status_code in (200, 206):
            body = json.loads(answer.content)
            cdi_only = [{"valeurPossible": "CDI", "nbResultats": 200}]
            body["filtresPossibles"] = [
                {"filtre": "typeContrat", "agregation": cdi_only}
            ]
            headers = {"Content-Range": answer.headers["Content-Range"]}
            return httpx.Response(answer.status_code, headers=headers, json=body)
        return answer

    fake.routes[SEARCH_ROUTE] = partial_counts
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api, TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)))

    assert len(offers) == 400
    assert [dict(leaf.slice.facets) for leaf in api.last_report.windows] == [
        {"origineOffre": "1", "departement": "75"},
        {"origineOffre": "1", "departement": "92"},
        {"origineOffre": "2"},
    ]


def test_then_on_departements_from_the_referentiel(make_client, serve, fake):
    departements = ["01", "13", "75", "92", "93", "94", "95"]
    fake.routes["/partenaire/offresdemploi/v2/referentiel/departements"] = (
        lambda request: json_response(
            200,
            [{"code": code, "libelle": code} for code in departements],
            **{"Content-Range": f"departements */{len(departements)}"},
        )
    )
    crowded = [
        o
        for n, dep in enumerate(["75", "92", "93"])
        for o in spread(150, first=1000 * n, span=1.0, departement=dep)
    ]
    serve(crowded)
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api, TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)))

    assert len(offers) == 450
    # Five départements per search first; the crowded group then one by one.
    assert [
        (dict(leaf.slice.facets), leaf.total) for leaf in api.last_report.windows
    ] == [
        ({"origineOffre": "1", "departement": "01"}, 0),
        ({"origineOffre": "1", "departement": "13"}, 0),
        ({"origineOffre": "1", "departement": "75"}, 150),
        ({"origineOffre": "1", "departement": "92"}, 150),
        ({"origineOffre": "1", "departement": "93"}, 150),
        ({"origineOffre": "1", "departement": "94,95"}, 0),
        ({"origineOffre": "2"}, 0),
    ]


def test_a_second_no_facet_can_split_is_too_dense(make_client, serve, fake):
    fake.routes["/partenaire/offresdemploi/v2/referentiel/departements"] = (
        lambda request: json_response(200, [{"code": "75", "libelle": "Paris"}])
    )
    serve(spread(400, span=1.0))

    with pytest.raises(errors.WindowTooDense) as raised:
        read_all(
            OffresApi(make_client(), range_cap=300),
            TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)),
        )

    assert raised.value.retryable is False
    assert str(raised.value) == (
        "The search 2026-03-10T00:00:00Z..2026-03-10T00:00:01Z origineOffre=1 "
        "matches 400 offers, more than the 300 one search can reach, and no facet is "
        "left to split it on: narrow the criteria or raise the range cap if the API "
        "allows more."
    )


def test_facets_fixed_by_the_criteria_are_never_split_on(make_client, serve):
    serve(spread(400, span=1.0, origine="2"))

    with pytest.raises(errors.WindowTooDense):
        read_all(
            OffresApi(make_client(), range_cap=300),
            TimeWindow(DAY_START, DAY_START + timedelta(seconds=1)),
            criteria={"origineOffre": "2", "typeContrat": "CDI", "departement": "75"},
        )


def test_offers_seen_in_two_slices_are_yielded_once(make_client, serve):
    # Offers on whole seconds, with an API that includes maxCreationDate: each one on
    # a boundary between two slices comes back in both.
    corpus = [
        offer(
            i,
            (DAY_START + timedelta(seconds=i * 86)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        )
        for i in range(1000)
    ]
    serve(corpus, inclusive_max=True)
    api = OffresApi(make_client(), range_cap=300)

    offers = read_all(api)

    assert len(offers) == 1000 == len({o["id"] for o in offers})
    report = api.last_report
    assert report.unique == 1000
    assert report.duplicates == report.received - 1000 > 0


def withdraw_after_probe(search: FakeSearch, count: int, *, oldest: bool = False):
    """A route that withdraws ``count`` offers once the first probe answered: the
    newest (on the probe's page), or the oldest (on no page read yet)."""

    def route(request: httpx.Request) -> httpx.Response:
        answer = search(request)
        if len(search.ranges) == 1:
            kept = len(search.offers) - count
            search.offers = search.offers[:kept] if oldest else search.offers[count:]
        return answer

    return route


def test_a_slice_whose_total_shrinks_mid_read_is_read_again_whole(
    make_client, serve, fake, caplog
):
    fake.routes[SEARCH_ROUTE] = withdraw_after_probe(serve(spread(353)), 10)
    api = OffresApi(make_client())

    offers = read_all(api)

    # The ten withdrawn offers came with the probe; the ten after them slid into the
    # probe's range, so the second page announced 343 and skipped them. The slice was
    # read again (probe and two pages), which found them.
    assert len(offers) == 353 == len({o["id"] for o in offers})
    report = api.last_report
    assert (report.expected, report.unique, report.rereads) == (343, 353, 1)
    assert report.requests == len(fake.api_requests) == 5
    assert [r.message for r in caplog.records if r.levelname == "WARNING"] == [
        "francetravail.total_changed slice=2026-03-10T00:00:00Z..2026-03-11T00:00:00Z "
        "announced=353 seen=343"
    ]
    assert report.complete is True


@pytest.mark.parametrize("workers", [1, 4])
def test_a_slice_whose_total_grows_mid_read_is_read_again_whole(
    make_client, serve, fake, workers
):
    search = serve(spread(200))
    late = [offer(1000 + i, stamp(43_200.0 + i)) for i in range(200)]

    def grow_after_probe(request: httpx.Request) -> httpx.Response:
        answer = search(request)
        if len(search.ranges) == 1:
            search.offers = sorted(
                search.offers + late, key=lambda o: o["dateCreation"], reverse=True
            )
        return answer

    fake.routes[SEARCH_ROUTE] = grow_after_probe
    api = OffresApi(make_client(max_concurrency=workers))

    offers = read_all(api)

    assert len(offers) == 400 == len({o["id"] for o in offers})
    report = api.last_report
    assert (report.expected, report.unique, report.rereads) == (400, 400, 1)
    assert [r for r, _ in search.ranges] == [
        "0-149",
        "150-299",
        "0-149",
        "150-299",
        "300-449",
    ]
    assert report.complete is True


def test_a_total_that_keeps_changing_fails_as_a_retryable_coverage_error(
    make_client, serve, fake
):
    search = serve(spread(400))

    def first_page_says_200(request: httpx.Request) -> httpx.Response:
        answer = search(request)
        if request.url.params["range"] == "0-149":
            answer.headers["Content-Range"] = "offres 0-149/200"
        return answer

    fake.routes[SEARCH_ROUTE] = first_page_says_200
    api = OffresApi(make_client())

    with pytest.raises(errors.CoverageError) as raised:
        read_all(api)

    assert raised.value.retryable is True
    assert raised.value.missing == 200
    assert str(raised.value) == (
        "The search 2026-03-10T00:00:00Z..2026-03-11T00:00:00Z announced 200 offers, "
        "then 400 on a later page, after 3 reads: offers are created or withdrawn "
        "faster than it can be read; run the load again later."
    )
    assert [r for r, _ in search.ranges] == ["0-149", "150-299"] * 3
    assert api.last_report.rereads == 2
    assert api.last_report.complete is False


def test_offers_withdrawn_between_a_split_and_its_slices_fail_the_read(
    make_client, serve, fake
):
    fake.routes[SEARCH_ROUTE] = withdraw_after_probe(
        serve(spread(400)), 10, oldest=True
    )
    api = OffresApi(make_client(), range_cap=300)

    with pytest.raises(errors.CoverageError) as raised:
        read_all(api)

    # The window announced 400; its two slices, probed after ten old offers were
    # withdrawn, announced 390 together.
    assert raised.value.missing == 10
    assert raised.value.retryable is True
    assert str(raised.value) == (
        "Fetched 390 of the 400 offers announced for "
        "2026-03-10T00:00:00Z..2026-03-11T00:00:00Z: 10 are missing (10 of them in "
        "2026-03-10T00:00:00Z..2026-03-11T00:00:00Z (its slices)), more than the 2 "
        "tolerated; run the load again, since offers withdrawn during a run are the "
        "usual cause."
    )
    assert api.last_report.complete is False


def test_a_shortfall_within_the_tolerance_is_reported_not_raised(
    make_client, serve, fake
):
    fake.routes[SEARCH_ROUTE] = withdraw_after_probe(serve(spread(400)), 1, oldest=True)
    api = OffresApi(make_client(), range_cap=300, tolerance=0.01)

    offers = read_all(api)

    assert len(offers) == 400 - 1
    assert (api.last_report.missing, api.last_report.complete) == (1, False)


def test_the_report_counts_offers_per_paris_day(make_client, serve):
    evening = [
        offer(1, "2026-03-10T23:30:00.000Z"),
        offer(2, "2026-03-10T21:30:00.000Z"),
    ]
    serve(evening)
    api = OffresApi(make_client())

    read_all(api)

    assert api.last_report.unique_in(date(2026, 3, 10)) == 1
    assert api.last_report.unique_in(date(2026, 3, 11)) == 1
    assert api.last_report.as_metadata() == {
        "offers_expected": 2,
        "offers_fetched": 2,
        "offers_received": 2,
        "offers_missing": 0,
        "leaf_windows_total": 2,
        "requests": 1,
        "slices_read_again": 0,
        "leaf_windows": 1,
        "windows_split": 0,
        "complete": True,
    }


def test_offers_dated_out_of_pythons_range_are_read_without_a_day(make_client, fake):
    offers = [
        offer(1, stamp(3600.0)),
        offer(2, "9999-12-31T23:59:59Z"),
        offer(3, "0001-01-01T00:00:00+01:00"),
    ]
    fake.routes[SEARCH_ROUTE] = lambda request: json_response(
        200, {"resultats": offers}, **{"Content-Range": "offres 0-2/3"}
    )
    api = OffresApi(make_client())

    read = read_all(api)

    assert [o["id"] for o in read] == ["0000001", "0000002", "0000003"]
    assert (api.last_report.unique, api.last_report.complete) == (3, True)
    assert api.last_report.unique_in(date(2026, 3, 10)) == 1


def test_pages_are_fetched_concurrently_with_the_same_result(make_client, serve):
    corpus = spread(600) + spread(1200, first=10_000, span=60.0)
    serve(corpus)
    api = OffresApi(make_client(max_concurrency=4), range_cap=300)

    offers = read_all(api)

    assert sorted(o["id"] for o in offers) == sorted(o["id"] for o in corpus)
    assert api.last_report.complete is True


def test_a_consumer_may_stop_early(make_client, serve):
    serve(spread(1000))
    client = make_client(max_concurrency=4)
    api = OffresApi(client)

    pages = api.fetch_window(DAY)
    first = next(pages)
    pages.close()

    assert len(first) == 150
    client.close()


def test_criteria_cannot_override_the_window_or_the_range(make_client):
    api = OffresApi(make_client())

    with pytest.raises(ValueError, match="criteria may not set range"):
        read_all(api, criteria={"range": "0-9"})


def test_get_offer_returns_the_offer_or_none_when_gone(make_client, fake):
    fake.api_script.extend(
        [json_response(200, offer(1, stamp(0))), httpx.Response(204)]
    )
    api = OffresApi(make_client())

    assert api.get_offer("0000001")["id"] == "0000001"
    assert api.get_offer("184TRJB") is None
    assert [s.path for s in fake.api_requests] == [
        "/partenaire/offresdemploi/v2/offres/0000001",
        "/partenaire/offresdemploi/v2/offres/184TRJB",
    ]


def test_get_offer_with_a_malformed_id_is_rejected(make_client, fake):
    message = "Le format de l'id de l'offre recherchée est incorrect."
    fake.api_script.append(json_response(400, {"message": message, "codeHttp": 400}))

    with pytest.raises(errors.RequestRejected) as raised:
        OffresApi(make_client()).get_offer("x")

    assert raised.value.message == message
    assert len(fake.api_requests) == 1
