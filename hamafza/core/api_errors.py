"""The one shape of every error answer of the JSON API, and the error answers an
operation declares in the OpenAPI schema beside its success."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """`detail`: the Persian message, or (for invalid values) the messages by field name;
    `errors`: the machine-readable list of an input that did not parse."""

    detail: str | dict[str, list[str]]
    errors: list[dict[str, Any]] | None = None


AUTH = (401,)  # every operation behind a token or a session
READ = (*AUTH, 403, 404, 422)  # 422: an id or a filter that does not parse
WRITE = (*READ, 400, 422)  # a body that does not parse (400) or holds invalid values (422)


def answers(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """The success answers with the error answers `codes` (each in the common shape)."""
    return {**ok, **{code: ErrorOut for code in sorted(set(codes)) if code not in ok}}
