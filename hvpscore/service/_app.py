"""The FastAPI app: ``create_app(settings)`` -> the JSON API, the page and the offline docs."""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from hvpscore._errors import HvpscoreError
from hvpscore.service._errors import ServiceError, error_body
from hvpscore.service._middleware import RequestContext
from hvpscore.service._settings import SETTINGS_ENV, ServiceSettings
from hvpscore.service._work import Worker

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("hvpscore.service")

STATIC = Path(str(resources.files("hvpscore.service").joinpath("static")))
DRAFT_FILES = (".docx", ".txt", ".md", ".json")
RECORD_FILES = (".csv", ".tsv", ".txt", ".jsonl", ".parquet", ".xlsx")
_JSON = "application/json"
_MULTIPART = "multipart/form-data"
_TEXT = ("text/plain", "text/markdown")
# The page loads only its own files (no CDN, no inline script), so it works offline.
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
             "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")

_DRAFT_SCHEMA = {
    "type": "object",
    "description": "Draft-stage fields of one application (hvpscore.check_draft): claims_text "
                   "(权利要求书), title, abstract, description (说明书), ipc (list or ';' text), "
                   "applicant_type, applicants, inventors, planned_route (pct/paris/pph) …",
    "properties": {
        "claims_text": {"type": "string", "description": "权利要求书"},
        "title": {"type": "string"}, "abstract": {"type": "string"},
        "description": {"type": "string", "description": "说明书"},
        "ipc": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        "applicant_type": {"type": "string"},
        "planned_route": {"type": "string"},
    },
    "example": {"title": "一种锂电池正极材料", "claims_text": "1. 一种正极材料，包括……\n2. 根据"
                "权利要求1所述的正极材料，其中……", "ipc": ["H01M4/36"], "planned_route": "pct"},
}
_UPLOAD_SCHEMA = {"type": "object", "required": ["file"],
                  "properties": {"file": {"type": "string", "format": "binary"}}}


def _ctype(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _json(raw: bytes):
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise ServiceError("bad_json", detail=e.msg, line=e.lineno, column=e.colno) from None
    except UnicodeDecodeError as e:
        raise ServiceError("bad_encoding", detail=str(e)) from None


def _json_kind(v) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean",
            type(None): "null"}.get(type(v), "number")


async def _upload(request: Request, allowed: tuple[str, ...]):
    form = await request.form(max_files=1, max_fields=20)
    file = form.get("file")
    if file is None or isinstance(file, str):
        raise ServiceError("missing_file")
    name = file.filename or ""
    if not name.lower().endswith(allowed):
        raise ServiceError("unsupported_file", name=name, allowed=", ".join(allowed))
    return form, file, name


# -- the work of the JSON endpoints, run in a worker thread: parsing a 30 MB body takes a third
# of a second, encoding the answer milliseconds; neither may hold the event loop
def _check_json(engine, raw: bytes, lang: str, as_of, fmt: str) -> tuple[bytes, str]:
    draft = _json(raw)
    if not isinstance(draft, dict):
        raise ServiceError("wrong_shape", expected_zh="一个 JSON 对象（草稿各字段）",
                           expected_en="a JSON object of draft fields", got=_json_kind(draft))
    return _encoded(engine.check, draft, None, lang, as_of, fmt)


def _encoded(check, *args) -> tuple[bytes, str]:
    body, media = check(*args)
    return body.encode("utf-8"), media


def _score_json(engine, raw: bytes, *, profile: str, as_of, reasons: int) -> bytes:
    rows = _json(raw)
    if not isinstance(rows, list):
        raise ServiceError("wrong_shape", expected_zh="一个 JSON 数组（每条记录一个对象）",
                           expected_en="a JSON array of record objects", got=_json_kind(rows))
    return engine.score_rows(rows, profile=profile, as_of=as_of, reasons=reasons).encode("utf-8")


_BEARER = HTTPBearer(auto_error=False, description="HVPSCORE_API_TOKEN, when the server sets one")


def require_token(request: Request,
                  _creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
                  ) -> None:
    """The token check of the guarded endpoints: nothing to do when the server has no token;
    otherwise ``Authorization: Bearer <token>``, compared in constant time."""
    token = request.app.state.settings.token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ServiceError("token_missing", headers={"WWW-Authenticate": 'Bearer realm="hvpscore"'})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ServiceError("token_invalid",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def create_app(settings: ServiceSettings | None = None, *, engine=None) -> FastAPI:
    """The hvpscore service as an ASGI app.

    Loads the policy, the scoring model and the draft-stage model once (``settings``; default
    :class:`ServiceSettings`), optionally warms them up, and serves ``POST /check``,
    ``POST /score``, ``GET /health``, ``GET /version``, the page at ``/`` and the OpenAPI docs at
    ``/docs`` (assets served locally). Errors are JSON ``{"error": {...}}``, never a traceback.
    """
    from fastapi_offline import FastAPIOffline

    from hvpscore import __version__
    from hvpscore.service._engine import Engine

    s = (settings or ServiceSettings()).validate()
    if engine is None:
        engine = Engine(s).load()
        if s.warm_up:
            engine.warm_up()
    worker = Worker(threads=s.threads, timeout_s=s.timeout_s)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        worker.shutdown()

    kwargs = {"docs_url": "/docs", "redoc_url": "/redoc"} if s.docs else {
        "docs_url": None, "redoc_url": None}
    app = FastAPIOffline(
        title="hvpscore", version=__version__,
        description="高价值发明专利：申请前置评审（POST /check）与批量评分（POST /score）。"
                    "Pre-filing review of a draft and batch scoring of patent records. Errors: "
                    '`{"error": {"code", "message_zh", "message_en", "request_id"}}`.',
        swagger_ui_parameters={"validatorUrl": None}, lifespan=lifespan, **kwargs)
    app.state.settings = s
    app.state.engine = engine
    app.state.worker = worker

    # -- errors --------------------------------------------------------------------------------
    def answer(request: Request, err: ServiceError) -> JSONResponse:
        rid = request.scope.get("state", {}).get("request_id")
        return JSONResponse(error_body(err, rid), status_code=err.status, headers=err.headers)

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError):
        return answer(request, exc)

    @app.exception_handler(HvpscoreError)
    async def _library_error(request: Request, exc: HvpscoreError):
        return answer(request, ServiceError("invalid_input", detail=str(exc)))

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, exc: RequestValidationError):
        e = exc.errors()[0]
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "body")]
        return answer(request, ServiceError("invalid_parameter", name=".".join(loc) or "?",
                                            value=e.get("input"), detail=e.get("msg", "")))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return answer(request, ServiceError("not_found", path=request.url.path))
        if exc.status_code == 405:
            return answer(request, ServiceError("method_not_allowed", path=request.url.path,
                                                method=request.method,
                                                headers=dict(exc.headers or {})))
        return answer(request, ServiceError("bad_request", status=exc.status_code,
                                            detail=exc.detail))

    guarded = [Depends(require_token)]  # checked before the parameters

    # -- API -----------------------------------------------------------------------------------
    @app.get("/health", tags=["service"], summary="Liveness: the service is up (no token)")
    async def health():
        return {"status": "ok"}

    @app.get("/version", tags=["service"], dependencies=guarded,
             summary="hvpscore version, model versions, policy id")
    async def version():
        return engine.version()

    @app.post(
        "/check", tags=["check"], dependencies=guarded,
        summary="Pre-filing review of one draft (专利申请前置评审)",
        description="Body: a JSON object of draft fields, a multipart upload (field `file`: "
                    ".docx/.txt/.md/.json) or `text/plain` (a pasted application or claims). "
                    "Answers `CheckReport.to_dict()` (schema hvpscore-check-report 1.x), or the "
                    "HTML/Markdown report with `format`.",
        openapi_extra={"requestBody": {"required": True, "content": {
            _JSON: {"schema": _DRAFT_SCHEMA},
            _MULTIPART: {"schema": _UPLOAD_SCHEMA},
            "text/plain": {"schema": {"type": "string"}}}}},
    )
    async def check(request: Request,
                    lang: Literal["zh", "en"] = Query("zh", description="report language"),
                    as_of: str | None = Query(None, description="review date YYYY-MM-DD"),
                    format: Literal["json", "html", "md"] = Query("json")):
        ctype = _ctype(request)
        name = None
        if ctype == _JSON:
            # parsed in the worker thread, like the review: a large body never holds the loop
            raw = await request.body()
            body, media = await worker.run(_check_json, engine, raw, lang, as_of, format)
            return Response(body, media_type=media)
        if ctype == _MULTIPART:
            _, file, name = await _upload(request, DRAFT_FILES)
            draft = await file.read()
        elif ctype in _TEXT:
            raw = await request.body()
            try:
                draft = raw.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise ServiceError("bad_encoding", detail=str(e)) from None
        else:
            raise ServiceError("unsupported_media_type", value=ctype or "(none)",
                               allowed=f"{_JSON}, {_MULTIPART}, text/plain")
        body, media = await worker.run(_encoded, engine.check, draft, name, lang, as_of, format)
        return Response(body, media_type=media)

    @app.post(
        "/score", tags=["score"], dependencies=guarded,
        summary="Score patent records (批量评分)",
        description="Body: a JSON array of canonical records (`row` = 1-based position in the "
                    "array), or a multipart upload (field `file`: CSV/TSV/JSONL/Parquet/XLSX, "
                    "read through `profile`). Answers `summary`, `scores` (the score table, one "
                    "item per accepted row) and `rejects` (row, reasons, codes): "
                    "read = accepted + rejected.",
        openapi_extra={"requestBody": {"required": True, "content": {
            _JSON: {"schema": {"type": "array", "items": {"type": "object"}},
                    "example": [{"patent_id": "ZL201910561574.9", "patent_type": "发明",
                                 "filing_date": "2019-06-25", "legal_status": "有效",
                                 "ipc": ["H04L27/26"], "overseas_granted": ["EP", "US"]}]},
            _MULTIPART: {"schema": _UPLOAD_SCHEMA}}}},
    )
    async def score(request: Request,
                    profile: str = Query("canonical", description="shipped source profile"),
                    as_of: str | None = Query(None, description="statistics date YYYY-MM-DD"),
                    reasons: int = Query(0, ge=0, le=20, description="top-K reasons per row")):
        from hvpscore.io import list_profiles

        if profile not in list_profiles():  # never a path: clients cannot make us read files
            raise ServiceError("invalid_parameter", name="profile", value=profile,
                               detail="use one of " + ", ".join(list_profiles()))
        ctype = _ctype(request)
        if ctype == _JSON:
            raw = await request.body()
            body = await worker.run(_score_json, engine, raw, profile=profile, as_of=as_of,
                                    reasons=reasons)
        elif ctype == _MULTIPART:
            _, file, name = await _upload(request, RECORD_FILES)
            suffix = Path(name).suffix.lower()
            fd, tmp = tempfile.mkstemp(prefix="hvpscore-upload-", suffix=suffix)
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := await file.read(1 << 20):
                        out.write(chunk)
                body = (await worker.run(engine.score_path, Path(tmp), name, profile=profile,
                                         as_of=as_of, reasons=reasons)).encode("utf-8")
            finally:
                os.unlink(tmp)
        else:
            raise ServiceError("unsupported_media_type", value=ctype or "(none)",
                               allowed=f"{_JSON}, {_MULTIPART}")
        return Response(body, media_type=_JSON)

    # -- the page ------------------------------------------------------------------------------
    page_headers = {"Content-Security-Policy": _PAGE_CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer"}

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", headers=page_headers)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- middleware (last added = outermost) ---------------------------------------------------
    if s.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(s.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                           expose_headers=["X-Request-ID"], max_age=600)
    app.add_middleware(RequestContext, max_body_bytes=s.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """The app from ``HVPSCORE_SERVE_SETTINGS`` (JSON) and ``HVPSCORE_API_TOKEN``: the factory
    each worker process of ``hvpscore serve --workers N`` calls."""
    from hvpscore.service._run import configure_logging

    configure_logging()
    raw = os.environ.get(SETTINGS_ENV)
    s = ServiceSettings.from_json(raw) if raw else ServiceSettings().with_env_token()
    return create_app(s)
