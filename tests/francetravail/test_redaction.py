"""Server text made fit for a message: secrets masked, one line, bounded."""

from __future__ import annotations

import pytest

from pipelines.francetravail.redaction import QUOTE_LIMIT, Redactor, quote

SECRET = "s3cr3t+value/with=signs"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        pytest.param(f"bad {SECRET}", "bad ***", id="as-sent"),
        pytest.param("bad s3cr3t%2Bvalue%2Fwith%3Dsigns", "bad ***", id="urlencoded"),
        pytest.param("bad s3cr3t%2Bvalue/with%3Dsigns", "bad ***", id="path-encoded"),
        pytest.param(
            "grant_type=client_credentials&client_secret=other&scope=x",
            "grant_type=client_credentials&client_secret=***",
            id="form-field",
        ),
        pytest.param(
            '{"client_secret": "other", "scope": "x"}',
            '{"client_secret": ***',
            id="json-field",
        ),
        pytest.param(
            "denied for Bearer abc.def-1, sorry", "denied for Bearer ***, sorry"
        ),
        pytest.param("line one\r\nInjected: yes\tend", "line one Injected: yes end"),
    ],
)
def test_quoted_text_masks_secrets_and_stays_on_one_line(text, said):
    assert quote(text, secrets=[SECRET]) == said


def test_quoted_text_is_cut_with_an_ellipsis_after_masking():
    text = "x" * (QUOTE_LIMIT - 5) + SECRET + "y" * 1000

    said = quote(text, secrets=[SECRET])

    # The secret straddled the cut: masked first, it shows none of its characters.
    assert len(said) == QUOTE_LIMIT
    assert said == "x" * (QUOTE_LIMIT - 5) + "***y…"


def test_short_text_is_kept_whole():
    assert quote("offres 0-149/353") == "offres 0-149/353"
    assert quote({"nested": True}) == "{'nested': True}"


def test_a_redactor_masks_every_secret_it_was_ever_told():
    redactor = Redactor("client-secret")
    redactor.remember("token-1")
    redactor.remember("token-2")
    redactor.remember("")

    said = redactor.quote("client-secret token-1 token-2 token-3", limit=80)

    assert said == "*** *** *** token-3"
    assert repr(redactor) == "Redactor(3 secrets)"
