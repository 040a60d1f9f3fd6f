"""What a running service is configured with: the model, the policy, the limits, the token and
CORS. ``hvpscore serve`` builds one from its options and ``HVPSCORE_API_TOKEN``."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace

from hvpscore._errors import InputError

__all__ = ["SETTINGS_ENV", "TOKEN_ENV", "ServiceSettings"]

TOKEN_ENV = "HVPSCORE_API_TOKEN"
SETTINGS_ENV = "HVPSCORE_SERVE_SETTINGS"  # how `serve --workers N` hands settings to its workers

_MIB = 1024 * 1024


@dataclass(frozen=True)
class ServiceSettings:
    """Settings of the service (all keyword-only; defaults are the documented limits).

    model / draft_model / policy
        The scoring model directory (None: the shipped default), the draft-stage model of the
        pre-filing review (None: the shipped ``default-draft``), the policy id or YAML file
        (None: ``cnipa-2021``). Each is loaded once, when the app is created.
    token
        When set, ``POST /check``, ``POST /score`` and ``GET /version`` need
        ``Authorization: Bearer <token>`` (``HVPSCORE_API_TOKEN``; compared in constant time).
    cors_origins
        Origins allowed to call the API from a browser page of another site (none by default:
        CORS is off).
    max_body_bytes, max_claims_chars, max_batch_rows, timeout_s
        Request body size, characters of one draft's claims, records of one ``/score`` call,
        seconds of work per request; each exceeded limit answers a 4xx JSON error.
    threads
        Worker threads doing the CPU-bound work (the event loop never does it).
    docs
        Serve the OpenAPI page at ``/docs`` and ``/redoc`` (with local assets; ``/openapi.json``
        is always served).
    index
        A screening index directory (``hvpscore screen INPUT --build-index DIR``), loaded once:
        ``POST /check`` then compares each draft with the stock (near copies, report section
        ``near_copies``). None: no comparison.
    warm_up
        Run one small check and one score at start-up so the first request is not slow.
    """

    model: str | None = None
    draft_model: str | None = None
    policy: str | None = None
    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 32 * _MIB
    max_claims_chars: int = 200_000
    max_batch_rows: int = 50_000
    timeout_s: float = 30.0
    threads: int = 4
    docs: bool = True
    index: str | None = None
    warm_up: bool = True

    def __repr__(self) -> str:  # never print the token
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["token"] = "***" if self.token else None
        return "ServiceSettings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    def validate(self) -> ServiceSettings:
        """Return the settings if every limit is a positive number, else raise InputError."""
        for name in ("max_body_bytes", "max_claims_chars", "max_batch_rows", "threads"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise InputError(f"service setting {name}: {v!r} is not a positive whole number")
        if not isinstance(self.timeout_s, (int, float)) or not self.timeout_s > 0:
            raise InputError(f"service setting timeout_s: {self.timeout_s!r} is not a positive "
                             f"number of seconds")
        for o in self.cors_origins:
            if o != "*" and not (o.startswith("http://") or o.startswith("https://")):
                raise InputError(f"CORS origin {o!r} is not an origin; use e.g. "
                                 f"https://agency.example.cn (scheme, host and optional port)")
        return self

    def with_env_token(self) -> ServiceSettings:
        """These settings with ``token`` from ``HVPSCORE_API_TOKEN`` (empty: no token)."""
        return replace(self, token=os.environ.get(TOKEN_ENV) or None)

    def to_json(self) -> str:
        """JSON of the settings without the token (workers read the token from the env)."""
        d = asdict(self)
        d.pop("token")
        return json.dumps(d)

    @classmethod
    def from_json(cls, text: str) -> ServiceSettings:
        """Settings from :meth:`to_json`; the token comes from ``HVPSCORE_API_TOKEN``."""
        d = json.loads(text)
        d["cors_origins"] = tuple(d.get("cors_origins") or ())
        return cls(**d).with_env_token()
