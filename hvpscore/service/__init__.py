"""The hvpscore web service (``hvpscore serve``): a JSON API and a page for patent agencies and
the IP bureau, over the same library functions as the CLI.

* ``POST /check`` — pre-filing review of one draft (:func:`hvpscore.prefiling.check_draft`);
* ``POST /score`` — score records (:func:`hvpscore.score_records`), rejects with reasons;
* ``GET /health``, ``GET /version``; ``GET /`` the page; ``/docs`` OpenAPI (assets served
  locally, no CDN); ``/openapi.json``.

Limits (body size, claims length, batch size, time per request), an optional Bearer token
(``HVPSCORE_API_TOKEN``), CORS off unless origins are listed, one JSON access-log line per
request. Needs the ``service`` extra: ``pip install "hvpscore[service]"``.
"""

from hvpscore.service._app import app_from_env, create_app
from hvpscore.service._errors import ServiceError, error_codes
from hvpscore.service._run import configure_logging, run
from hvpscore.service._settings import SETTINGS_ENV, TOKEN_ENV, ServiceSettings

__all__ = [
    "SETTINGS_ENV",
    "TOKEN_ENV",
    "ServiceError",
    "ServiceSettings",
    "app_from_env",
    "configure_logging",
    "create_app",
    "error_codes",
    "run",
]
