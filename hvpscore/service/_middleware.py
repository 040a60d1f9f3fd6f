"""One ASGI middleware around the whole app: a request id, the body-size limit, a JSON answer
instead of a stack trace for any unexpected error, and one JSON access-log line per request.

Pure ASGI (no ``BaseHTTPMiddleware``): it adds no copy of the body and no extra task.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import time
import traceback
import uuid

from hvpscore.service._errors import ServiceError, error_body

__all__ = ["ACCESS_LOGGER", "ERROR_LOGGER", "RequestContext", "send_error"]

ACCESS_LOGGER = "hvpscore.service.access"
ERROR_LOGGER = "hvpscore.service.error"
_RID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _header(scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k == name:
            return v.decode("latin-1")
    return None


async def send_error(send, err: ServiceError, request_id: str | None) -> None:
    """Send ``err`` as a complete JSON error response."""
    body = json.dumps(error_body(err, request_id), ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in err.headers.items()]
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """Wraps the app: request id (``X-Request-ID`` kept when it is a safe token, else a new
    one; echoed in the response), body limit (``Content-Length`` checked first, streamed bodies
    counted), a 500 JSON error with the request id for any unhandled exception (traceback in the
    server log only), and an access-log line: time, method, path, status, ms, bytes, request id.
    Never the body or the query string."""

    def __init__(self, app, *, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.access = logging.getLogger(ACCESS_LOGGER)
        self.errors = logging.getLogger(ERROR_LOGGER)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        given = _header(scope, b"x-request-id")
        rid = given if given and _RID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        out = {"status": None, "bytes": 0}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
                message = {**message,
                           "headers": [*message.get("headers", ()), (b"x-request-id",
                                                                    rid.encode())]}
            elif message["type"] == "http.response.body":
                out["bytes"] += len(message.get("body", b""))
            await send(message)

        limit = self.max_body_bytes
        seen = 0

        async def receive_limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise ServiceError("body_too_large", limit=limit)
            return message

        try:
            length = _header(scope, b"content-length")
            if length is not None and not length.strip().isdigit():
                raise ServiceError("bad_content_length", value=length)
            if length is not None and int(length) > limit:
                raise ServiceError("body_too_large", limit=limit)
            await self.app(scope, receive_limited, send_logged)
        except ServiceError as err:  # raised here or while the body was read
            if out["status"] is None:
                await send_error(send_logged, err, rid)
        except Exception as exc:  # a bug: log it with the request id, answer without details
            self.errors.error(json.dumps({
                "time": _now(), "request_id": rid, "method": scope.get("method"),
                "path": scope.get("path"), "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc()}, ensure_ascii=False))
            if out["status"] is None:
                await send_error(send_logged, ServiceError("internal", request_id=rid), rid)
        finally:
            self.access.info(json.dumps({
                "time": _now(), "method": scope.get("method"), "path": scope.get("path"),
                "status": out["status"], "ms": round((time.perf_counter() - t0) * 1000, 2),
                "bytes": out["bytes"], "request_id": rid}, ensure_ascii=False))


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
