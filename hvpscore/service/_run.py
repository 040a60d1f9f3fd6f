"""Running the service with uvicorn: one process, or N worker processes (each loads the model
once), and the JSON log lines on stderr."""

from __future__ import annotations

import logging
import os
import sys

from hvpscore.service._settings import SETTINGS_ENV, ServiceSettings

__all__ = ["configure_logging", "run"]


def configure_logging(stream=None) -> None:
    """Send the access log and the error log (one JSON object per line) to ``stream``
    (default stderr). Idempotent."""
    root = logging.getLogger("hvpscore.service")
    if any(getattr(h, "_hvpscore", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._hvpscore = True
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def run(settings: ServiceSettings, *, host: str = "127.0.0.1", port: int = 8000,
        workers: int = 1, app=None) -> None:
    """Serve until interrupted. With ``workers`` > 1 uvicorn starts that many processes, each
    building the app from ``settings`` (handed over in ``HVPSCORE_SERVE_SETTINGS``)."""
    import uvicorn

    configure_logging()
    common = {"host": host, "port": port, "log_level": "warning", "access_log": False,
              "server_header": False, "proxy_headers": False}
    if workers > 1:
        os.environ[SETTINGS_ENV] = settings.to_json()
        uvicorn.run("hvpscore.service._app:app_from_env", factory=True, workers=workers,
                    **common)
        return
    if app is None:
        from hvpscore.service._app import create_app

        app = create_app(settings)
    uvicorn.run(app, **common)
