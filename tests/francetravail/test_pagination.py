"""`range` pagination: Content-Range in every form, the stop rule, page checks."""

from __future__ import annotations

import httpx
import pytest

from pipelines.francetravail import errors
from pipelines.francetravail.http import ApiResponse
from pipelines.francetravail.pagination import (
    ContentRange,
    PageRange,
    page_ranges,
    parse_content_range,
    read_page,
)


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        pytest.param(
            "offres 0-149/353", ContentRange("offres", 0, 149, 353), id="page"
        ),
        pytest.param(
            "offres 300-352/353", ContentRange("offres", 300, 352, 353), id="last"
        ),
        pytest.param(
            "offres 0-149/15262", ContentRange("offres", 0, 149, 15262), id="big"
        ),
        pytest.param("offres */0", ContentRange("offres", None, None, 0), id="empty"),
        pytest.param("*/0", ContentRange(None, None, None, 0), id="bare-empty"),
        pytest.param(
            "offres -1--1/353", ContentRange("offres", None, None, 353), id="past-end"
        ),
        pytest.param("0-25/26", ContentRange(None, 0, 25, 26), id="no-unit"),
        pytest.param(
            " offres  0-9 / 10 ", ContentRange("offres", 0, 9, 10), id="spaces"
        ),
        pytest.param(
            "pays */221", ContentRange("pays", None, None, 221), id="referentiel"
        ),
        pytest.param(
            "offres 0-149/*", ContentRange("offres", 0, 149, None), id="no-total"
        ),
    ],
)
def test_every_content_range_form_is_read(header, parsed):
    assert parse_content_range(header) == parsed


def test_an_absent_content_range_reads_as_none():
    assert parse_content_range(None) is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("", id="empty"),
        pytest.param("offres", id="unit-only"),
        pytest.param("offres 0-149", id="no-total"),
        pytest.param("offres 149-0/353", id="reversed"),
        pytest.param("offres 0-353/353", id="past-total"),
        pytest.param("offres -5--1/353", id="negative"),
        pytest.param("bytes=0-149", id="request-syntax"),
        pytest.param("offres zero-149/353", id="words"),
    ],
)
def test_unreadable_content_ranges_are_errors(header):
    with pytest.raises(ValueError):
        parse_content_range(header)


@pytest.mark.parametrize(
    ("total", "requests"),
    [
        pytest.param(0, 1, id="0"),
        pytest.param(1, 1, id="1"),
        pytest.param(150, 1, id="150"),
        pytest.param(151, 2, id="151"),
        pytest.param(353, 3, id="353"),
        pytest.param(3150, 21, id="3150"),
    ],
)
def test_the_number_of_pages_follows_the_total(total, requests):
    pages = page_ranges(total)

    assert len(pages) == requests
    assert pages[0] == PageRange(0, 149)
    assert pages[-1].first <= 3000
    assert pages[-1].last <= 3149


def test_pages_of_353_offers():
    assert [p.param for p in page_ranges(353)] == ["0-149", "150-299", "300-449"]


def test_pages_stop_at_the_cap():
    pages = page_ranges(5000)

    assert len(pages) == 21
    assert pages[-1] == PageRange(3000, 3149)


def test_an_older_cap_of_1150_ends_on_an_overlapping_page():
    pages = page_ranges(2000, cap=1150)

    assert [p.param for p in pages][-2:] == ["900-1049", "1000-1149"]
    assert len(pages) == 8


def test_smaller_pages_step_by_their_size():
    assert [p.param for p in page_ranges(250, page_size=100)] == [
        "0-99",
        "100-199",
        "200-299",
    ]


def test_a_page_never_spans_more_than_150():
    with pytest.raises(ValueError):
        PageRange(0, 150)


def response(
    status: int, header: str | None, offers: int, start: int = 0
) -> ApiResponse:
    headers = httpx.Headers({} if header is None else {"Content-Range": header})
    data = (
        None
        if status == 204
        else {
            "resultats": [{"id": f"{start + i:07d}"} for i in range(offers)],
            "filtresPossibles": [{"filtre": "typeContrat", "agregation": []}],
        }
    )
    return ApiResponse(status, headers, data, requests=1)


# (requested range, status, Content-Range, offers in the body) -> (total, offers read)
READABLE = {
    "206-first": ((0, 149), 206, "offres 0-149/353", 150, (353, 150)),
    "206-last": ((300, 449), 206, "offres 300-352/353", 53, (353, 53)),
    "200-last": ((300, 449), 200, "offres 300-352/353", 53, (353, 53)),
    "200-whole": ((0, 149), 200, "offres 0-25/26", 26, (26, 26)),
    "200-no-header": ((0, 149), 200, None, 26, (26, 26)),
    "204-empty": ((0, 149), 204, "offres */0", 0, (0, 0)),
    "204-bare": ((0, 149), 204, "*/0", 0, (0, 0)),
    "204-no-header": ((0, 149), 204, None, 0, (0, 0)),
    "204-past-end": ((450, 599), 204, "offres -1--1/353", 0, (353, 0)),
}


@pytest.mark.parametrize("case", READABLE.values(), ids=READABLE.keys())
def test_pages_are_read_in_every_form(case):
    (first, last), status, header, offers, expected = case

    page = read_page(
        PageRange(first, last), response(status, header, offers, first), "O"
    )

    assert (page.total, len(page.offers)) == expected


# (requested range, status, Content-Range, offers in the body) -> words of the error
MISMATCHED = {
    "wrong-start": ((150, 299), 206, "offres 0-149/353", 150, "Content-Range 'offres"),
    "short-page": ((0, 149), 206, "offres 0-99/353", 100, "Content-Range 'offres"),
    "short-body": ((0, 149), 206, "offres 0-149/353", 26, "26 offers where"),
    "206-no-header": ((0, 149), 206, None, 150, "a 206 without Content-Range"),
    "200-full-no-header": ((0, 149), 200, None, 150, "a full page without"),
    "200-later-no-header": ((150, 299), 200, None, 10, "a 200 without Content"),
    "no-total": ((0, 149), 206, "offres 0-149/*", 150, "without a total"),
    "garbage": ((0, 149), 206, "offres0-149/353", 150, "unreadable Content-Range"),
    "204-inside": ((150, 299), 204, "offres -1--1/353", 0, "Content-Range says 353"),
    "204-no-total": ((0, 149), 204, "offres 0-149/*", 0, "gives no total"),
}


@pytest.mark.parametrize("case", MISMATCHED.values(), ids=MISMATCHED.keys())
def test_a_page_that_does_not_match_its_request_is_an_error(case):
    (first, last), status, header, offers, problem = case
    answer = response(status, header, offers, first)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        read_page(PageRange(first, last), answer, "Offres d'emploi v2")

    assert problem in str(raised.value)
    assert str(raised.value).startswith(
        f"Offres d'emploi v2 answered range {first}-{last} with "
    )


def test_a_body_without_offers_is_an_error():
    answer = ApiResponse(200, httpx.Headers({"Content-Range": "offres 0-0/1"}), {}, 1)

    with pytest.raises(errors.UnexpectedResponse):
        read_page(PageRange(0, 149), answer, "Offres")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("offres 0-149/" + "9" * 100_000, id="huge-total"),
        pytest.param("offres 0-149/353 " + "x" * 100_000, id="flood"),
    ],
)
def test_a_flooded_content_range_is_quoted_briefly(header):
    answer = ApiResponse(206, httpx.Headers({"Content-Range": header}), {}, 1)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        read_page(PageRange(0, 149), answer, "Offres d'emploi v2")

    said = str(raised.value)
    assert len(said) < 300
    assert "unreadable Content-Range 'offres 0-149/" in said
    assert "…" in said


def test_content_range_numbers_are_ascii_digits_only():
    with pytest.raises(ValueError):
        parse_content_range("offres 0-149/\u0664\u0660\u0660")  # Arabic-Indic 400
