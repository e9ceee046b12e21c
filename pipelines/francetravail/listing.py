"""Reading endpoints that answer a whole list in one response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import ApiSpec
from pipelines.francetravail.http import FranceTravailClient


def fetch_list(
    client: FranceTravailClient,
    api: ApiSpec,
    path: str,
    params: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every item of a list endpoint; an empty list on 204.

    Raises:
        errors.UnexpectedResponse: the body is not a list of objects.
    """
    response = client.request(api, "GET", path, params=params)
    if response.status == 204:
        return []
    items = response.data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise errors.UnexpectedResponse(
            f"{api.title} answered {path} with something other than a list of "
            "objects: retry; if it persists, the API's format has changed.",
            api=api.title,
            status=response.status,
        )
    return items
