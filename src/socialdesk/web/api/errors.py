"""The error answers every API route may give, documented once for the whole OpenAPI description.

Each route declares its success answer; `document_error_answers` adds the common failures (with one
shared schema, `ErrorOut`) to every route under /api/v1, so a client (and the schemathesis fuzzer in
tests/web/api/test_fuzz_openapi.py) finds every status code the API uses in the description.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

API_PREFIX = "/api/v1"


class ErrorOut(BaseModel):
    """Every error answer: `detail` says what is wrong and where (422: a list of the invalid fields)."""

    detail: str | list[dict[str, Any]] | dict[str, Any] = Field(
        description="A sentence; for invalid input, the list of problems with each one's location."
    )


ERROR_ANSWERS: dict[int, str] = {
    400: "Bad request: a body that is not what the route reads.",
    401: "Not authenticated: no or an invalid token or session (or a webhook's missing or bad signature).",
    403: "Not allowed: the user's role may not do this, or the CSRF token is missing or wrong.",
    404: "Not found, or in another workspace.",
    409: "Conflict: an invalid status transition, a reply to a conversation that moved on, or a public "
    "reply where the customer wrote privately (`detail.confirm` names the field that confirms it).",
    413: "The request body is larger than this route accepts.",
    422: "Invalid input: what is wrong and where.",
    429: "Too many requests: wait for the `Retry-After` seconds.",
    503: "Temporarily unavailable (a dependency such as the message bus is down); try again.",
}


def document_error_answers(app: FastAPI) -> None:
    """Add `ERROR_ANSWERS` to every API operation of the app's OpenAPI (an operation's own entry wins).

    Done on the built description rather than route by route, so routers included later, or lazily,
    are covered too.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for path, operations in spec.get("paths", {}).items():
            if not path.startswith(API_PREFIX):
                continue
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for code, description in ERROR_ANSWERS.items():
                    answers.setdefault(
                        str(code),
                        {"description": description, "content": {"application/json": {"schema": ref}}},
                    )
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
