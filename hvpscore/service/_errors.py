"""The service's errors: one exception, :class:`ServiceError`, whose code names a status and a
zh/en message in ``data/errors.yaml``, and the JSON body every error answers with."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["ServiceError", "error_body", "error_codes"]


@cache
def error_codes() -> dict[str, dict[str, Any]]:
    """The error catalogue: code -> ``{"status", "zh", "en"}`` (``data/errors.yaml``)."""
    text = resources.files("hvpscore.service").joinpath("data/errors.yaml").read_text("utf-8")
    return _yaml_safe_load(text)


class _Fmt(dict):
    def __missing__(self, key: str) -> str:  # a placeholder nobody filled stays visible
        return "{" + key + "}"


class ServiceError(Exception):
    """An error a client can fix (4xx) or an internal one (500), answered as
    ``{"error": {"code", "message_zh", "message_en", "request_id"}}``.

    ``fields`` fill the message templates of ``code`` in ``data/errors.yaml``; ``status``
    overrides the catalogue's status (an HTTP error passed through).
    """

    def __init__(self, code: str, *, headers: dict[str, str] | None = None,
                 status: int | None = None, **fields: Any):
        spec = error_codes()[code]
        self.code = code
        self.status = int(status or spec["status"])
        self.headers = headers or {}
        self.fields = fields
        self.message_zh = spec["zh"].format_map(_Fmt(fields))
        self.message_en = spec["en"].format_map(_Fmt(fields))
        super().__init__(f"{code}: {self.message_en}")


def error_body(err: ServiceError, request_id: str | None) -> dict[str, Any]:
    """The JSON body of an error response."""
    return {"error": {"code": err.code, "message_zh": err.message_zh,
                      "message_en": err.message_en, "request_id": request_id}}
