"""The app the UI benchmark loads in Chromium: bench/_dashboard_app.py's app plus an empty HTML page at
``/bench-empty``, the baseline for what any page load costs on this server and browser.

    python -m bench._ui_app --port 8123 --connection-uri http://127.0.0.1:3567
"""

from __future__ import annotations

import argparse
import os

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from bench._dashboard_app import build

EMPTY_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body></body></html>'
)


def app(port: int, connection_uri: str, api_key: str | None) -> FastAPI:
    built = build(port, connection_uri, api_key)

    @built.get("/bench-empty", response_class=HTMLResponse)
    async def empty() -> str:
        return EMPTY_PAGE

    return built


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    args = parser.parse_args()
    import uvicorn

    built = app(args.port, args.connection_uri, os.environ.get("AUTHDECK_BENCH_API_KEY") or None)
    uvicorn.run(built, host="127.0.0.1", port=args.port, log_level="warning", workers=1)


if __name__ == "__main__":
    main()
