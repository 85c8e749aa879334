"""Builds the core's ASGI app: CDI routing, the API key and cdi-version checks, and error responses.

Every request runs its handler in a worker thread inside one database transaction. Errors become
responses here and only here: ``HttpError`` → its status and a plain-text message, ``StatusError`` → 200
with a ``status`` body; anything unexpected → 500 with a request id, its traceback going to the log.
``GET /metrics`` is answered here too: it is the process's, so it takes no app or tenant prefix.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route as StarletteRoute

from authdeck.core import jobs, metrics
from authdeck.core.config import CoreSettings
from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError, HttpError, InvalidApiKeyError, MethodNotAllowedError, StatusError
from authdeck.core.http import (
    audit,
    dashboard,
    emailpassword,
    emailverification,
    general,
    jwt,
    metadata,
    roles,
    session,
    users,
)
from authdeck.core.routing import Match, Route, Router
from authdeck.core.services import apps
from authdeck.core.state import CoreState
from authdeck.core.storage import migrate

log = logging.getLogger("authdeck.core")

MAX_BODY_BYTES = 1024 * 1024
_VERSION_RE = re.compile(r"^\d+\.\d+$")
_ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def all_routes() -> list[Route]:
    modules = (general, emailpassword, users, metadata, roles, emailverification, dashboard, audit, session, jwt)
    return [route for module in modules for route in module.ROUTES]


class JSONReply(JSONResponse):
    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def create_app(
    settings: CoreSettings, *, run_migrations: bool = True, extra_routes: Iterable[Route] = ()
) -> Starlette:
    """The core as an ASGI app. Migrations run (if asked) and the purge job starts in its lifespan."""
    state = CoreState.from_settings(settings)
    metrics.watch(state)
    router = Router([*all_routes(), *extra_routes])
    keys = [k.get_secret_value().encode() for k in settings.api_keys]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if run_migrations:
            await anyio.to_thread.run_sync(migrate.upgrade, state.engine)
        await anyio.to_thread.run_sync(_bootstrap, state)
        _log_startup(settings)
        async with anyio.create_task_group() as tg:
            tg.start_soon(jobs.run_periodically, state)
            yield
            tg.cancel_scope.cancel()
        state.engine.dispose()

    async def dispatch(request: Request) -> Response:
        started = time.perf_counter()
        if request.url.path == metrics.PATH:
            response, template = await _metrics(request), metrics.PATH
        else:
            response, template = await _dispatch(request)
        elapsed = time.perf_counter() - started
        metrics.observe_request(template, request.method, response.status_code, elapsed)
        # Server-side time, for clients and benchmarks that want it without network noise.
        response.headers["Server-Timing"] = f"core;dur={elapsed * 1000:.3f}"
        return response

    async def _metrics(request: Request) -> Response:
        try:
            if request.method != "GET":
                raise MethodNotAllowedError()
            if keys:
                _check_api_key(request, keys)
        except HttpError as exc:
            return PlainTextResponse(exc.message, status_code=exc.status_code)
        page = await anyio.to_thread.run_sync(metrics.render)
        return Response(page, media_type=metrics.CONTENT_TYPE)

    async def _dispatch(request: Request) -> tuple[Response, str]:
        """The response, and the route template it matched for the metrics (never the raw path)."""
        template = metrics.UNMATCHED
        try:
            match = router.match(request.method, request.url.path)
            route = match.route
            template = route.path
            if not route.public:
                _check_cdi_version(request.headers.get("cdi-version"))
                if keys:
                    _check_api_key(request, keys)
            body = await _read_body(request) if request.method in ("POST", "PUT") else {}
            ctx = RequestContext(
                state=state,
                app_id=match.app_id,
                tenant_id=match.tenant_id,
                method=request.method,
                query=dict(request.query_params),
                body=body,
                headers=request.headers,
                client_ip=request.client.host if request.client else None,
                writes=route.writes,
            )
            return await anyio.to_thread.run_sync(_run, match, ctx), template
        except HttpError as exc:
            return PlainTextResponse(exc.message, status_code=exc.status_code), template
        except Exception:
            # The id ties the caller's 500 to this traceback; neither the body nor the headers are logged.
            request_id = uuid.uuid4().hex[:16]
            log.exception("request %s failed: %s %s", request_id, request.method, request.url.path)
            return PlainTextResponse(f"Internal error; see the core's log for request {request_id}", 500), template

    app = Starlette(
        routes=[StarletteRoute("/{path:path}", dispatch, methods=_ALL_METHODS)],
        lifespan=lifespan,
    )
    app.state.core = state
    return app


def _log_startup(settings: CoreSettings) -> None:
    url = make_url(settings.database)
    # Where the data lives, never who connects: the URL's user and password stay out of the log.
    sqlite = url.get_backend_name() == "sqlite"
    where = (url.database or ":memory:") if sqlite else f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    log.info(
        "authdeck core %s serving on %s:%d, database %s (%s), %d API key(s), purge every %ds, audit log kept %s",
        metrics.VERSION,
        settings.host,
        settings.port,
        url.get_backend_name(),
        where,
        len(settings.api_keys),
        settings.purge_interval,
        f"{settings.audit_log_retention_days} days" if settings.audit_log_retention_days else "forever",
    )


def _bootstrap(state: CoreState) -> None:
    with state.engine.begin() as conn:
        migrate.ensure_public_app(conn)
        if conn.dialect.name == "sqlite":
            # Statistics for the query planner, refreshed only where they are stale; cheap on a small database.
            conn.exec_driver_sql("PRAGMA optimize")


def _run(match: Match, ctx: RequestContext) -> Response:
    """Run the handler in the request's transaction: commit on success, roll back on any error."""
    try:
        with ctx._stack:
            if match.route.path != "/hello":
                ctx.app = apps.resolve(ctx.state, ctx.app_id, ctx.tenant_id)
            reply = match.route.handler(ctx)
    except StatusError as exc:
        return JSONReply(exc.body())
    if isinstance(reply, Response):
        return reply
    return JSONReply(reply)


def _check_cdi_version(header: str | None) -> None:
    if header is None:
        return
    value = header.strip()
    if not _VERSION_RE.match(value):
        raise BadRequestError("cdi-version header is invalid")
    if value not in general.SUPPORTED_CDI_VERSIONS:
        raise BadRequestError(
            f"cdi-version {value} not supported; this core speaks {', '.join(general.SUPPORTED_CDI_VERSIONS)}"
        )


def _check_api_key(request: Request, keys: list[bytes]) -> None:
    given = request.headers.get("api-key")
    if given is None:
        auth = request.headers.get("authorization")
        if auth is not None:
            given = auth[len("bearer ") :] if auth.lower().startswith("bearer ") else auth
    if given is None:
        raise InvalidApiKeyError()
    candidate = given.strip().encode()
    # Compare against every key, without stopping early, so timing reveals neither key nor position.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(candidate, key)
    if not matched:
        raise InvalidApiKeyError()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def _read_body(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadRequestError("Request body is larger than 1 MiB; send a smaller body")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadRequestError("Request body is larger than 1 MiB; send a smaller body")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequestError("Invalid Json Input") from exc
    if not isinstance(parsed, dict):
        raise BadRequestError("Invalid Json Input: the body must be a JSON object")
    return parsed

