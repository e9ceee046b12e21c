"""Response helpers shared by every simulated API: JSON bytes and the error bodies."""

from __future__ import annotations

import json

from starlette.responses import Response

JSON_MEDIA_TYPE = "application/json;charset=UTF-8"


def dumps(document: object) -> bytes:
    """Compact UTF-8 JSON, accents kept as they are, like the API's bodies."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(
    document: object, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(document), status, headers, media_type=JSON_MEDIA_TYPE)


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    """A response without a body (204, 401...): no Content-Type either."""
    return Response(b"", status, headers)


class ApiError(Exception):
    """A validation failure answered with ``{message, codeHttp, codeErreur}``.

    Raised by an endpoint, it becomes the response (see `app`). ``codeErreur`` holds
    the epoch milliseconds of the answer, the form observed on the real API; clients
    must not rely on its value.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self, now: float) -> Response:
        """The error response, ``now`` being epoch seconds."""
        body = {
            "message": self.message,
            "codeHttp": self.status,
            "codeErreur": str(int(now * 1000)),
        }
        return json_response(body, self.status)


def bad_value(parameter: str) -> ApiError:
    """The API's 400 for a value outside the référentiel."""
    return ApiError(400, f"Valeur du paramètre « {parameter} » incorrecte.")
