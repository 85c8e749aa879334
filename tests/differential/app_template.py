"""One FastAPI app source, built on the auth package named at start (``authdeck`` or ``supertokens_python``).

    python app_template.py --package authdeck --port 8123 --connection-uri http://127.0.0.1:3567/appid-x

Every import of the auth package goes through ``load(package, "sub.module")``, so the differential test and
the SDK benchmark run the very same app on both packages. The core's API key comes from ``DIFF_API_KEY``.
Recipes: session (anti-CSRF ``VIA_TOKEN``, transfer method from ``st-auth-mode``), emailpassword,
emailverification (OPTIONAL), usermetadata and userroles; emails are recorded in memory, never sent.

Routes besides the SDK's under ``/auth``:

- ``GET /health``; ``GET /test/emails?to=`` (the emails recorded for that address); ``GET /test/outbound``
  (the refused connections to anything but loopback: it must stay empty);
- ``GET /protected``, ``GET /protected-db`` (``check_database=True``), ``GET /optional`` (session optional),
  ``GET /admin`` (requires the ``admin`` role claim): the session's user, tenant and access-token payload;
- ``POST /merge``: merges the JSON body into the access-token payload;
- ``GET|POST /metadata``: the session user's metadata (POST merges the body into it);
- ``POST /roles/grant``: gives the session user the role ``admin`` (permissions read, write);
  ``POST /roles/refetch``: refetches the role and permission claims into the session;
- ``GET /bench/bare`` and ``GET /bench/protected``: the same tiny reply, without and with ``verify_session()``,
  with a ``server-timing`` header giving the CPU and wall time the app spent on it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import socket
import sys
import time
from typing import Any

OUTBOUND: list[str] = []
EMAILS: list[dict[str, Any]] = []


def _is_loopback(host: object) -> bool:
    return host is None or (isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")))


def refuse_internet() -> None:
    """Refuse (and record) every DNS look-up and connection that would leave this machine."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guarded(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            OUTBOUND.append(f"connect {address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"the differential app may only reach loopback, not {address[0]}")

    def connect(self: socket.socket, address: Any) -> None:
        guarded(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guarded(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            OUTBOUND.append(f"getaddrinfo {host}")
            raise socket.gaierror(socket.EAI_NONAME, f"the differential app may not resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


class BenchTiming:
    """Outermost ASGI layer: on ``/bench/`` routes, reports the CPU and wall time the app (auth middleware
    included) spent until the response started, as ``server-timing: cpu;dur=µs, app;dur=µs``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/bench/"):
            await self.app(scope, receive, send)
            return
        cpu, wall = time.process_time(), time.perf_counter()

        async def timed_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                cpu_us, wall_us = (time.process_time() - cpu) * 1e6, (time.perf_counter() - wall) * 1e6
                spent = f"cpu;dur={cpu_us:.1f}, app;dur={wall_us:.1f}"
                message = {**message, "headers": [*message.get("headers", []), (b"server-timing", spent.encode())]}
            await send(message)

        await self.app(scope, receive, timed_send)


def load(package: str, name: str = "") -> Any:
    return importlib.import_module(f"{package}.{name}" if name else package)


def build(package: str, port: int, connection_uri: str, api_key: str | None) -> Any:
    from fastapi import Depends, FastAPI, Request

    top = load(package)
    delivery = load(package, "ingredients.emaildelivery.types")
    session = load(package, "recipe.session")
    verify_session = load(package, "recipe.session.framework.fastapi").verify_session
    emailpassword = load(package, "recipe.emailpassword")
    emailverification = load(package, "recipe.emailverification")
    usermetadata = load(package, "recipe.usermetadata")
    metadata_fns = load(package, "recipe.usermetadata.asyncio")
    userroles = load(package, "recipe.userroles")
    roles_fns = load(package, "recipe.userroles.asyncio")

    class Recorder(delivery.EmailDeliveryInterface):  # type: ignore[misc, name-defined]
        """Keeps each email's template variables, so the test can follow the links."""

        def __init__(self, kind: str) -> None:
            self.kind = kind

        async def send_email(self, template_vars: Any, user_context: dict[str, Any]) -> None:
            user = template_vars.user
            link = getattr(template_vars, "password_reset_link", None) or template_vars.email_verify_link
            EMAILS.append(
                {
                    "kind": self.kind,
                    "user": {"id": user.id, "recipeUserId": user.recipe_user_id.get_as_string(), "email": user.email},
                    "link": link,
                    "tenantId": template_vars.tenant_id,
                }
            )

    top.init(
        app_info=top.InputAppInfo(
            app_name="differential",
            api_domain=f"http://127.0.0.1:{port}",
            website_domain="http://127.0.0.1:3000",
            api_base_path="/auth",
            website_base_path="/auth",
        ),
        supertokens_config=top.SupertokensConfig(connection_uri=connection_uri, api_key=api_key),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            session.init(anti_csrf="VIA_TOKEN"),
            emailpassword.init(email_delivery=delivery.EmailDeliveryConfig(service=Recorder("PASSWORD_RESET"))),
            emailverification.init(
                mode="OPTIONAL", email_delivery=delivery.EmailDeliveryConfig(service=Recorder("EMAIL_VERIFICATION"))
            ),
            usermetadata.init(),
            userroles.init(),
        ],
        telemetry=False,
    )
    app = FastAPI()
    app.add_middleware(load(package, "framework.fastapi").get_middleware())
    app.add_middleware(BenchTiming)  # added last: the outermost layer, so it times the auth middleware too

    def describe(s: Any) -> dict[str, Any]:
        return {
            "userId": s.get_user_id(),
            "recipeUserId": s.get_recipe_user_id().get_as_string(),
            "tenantId": s.get_tenant_id(),
            "handle": s.get_handle(),
            "payload": s.get_access_token_payload(),
        }

    def require_admin(global_validators: list[Any], _s: Any, _ctx: dict[str, Any]) -> list[Any]:
        return [*global_validators, userroles.UserRoleClaim.validators.includes("admin")]

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "up"}

    @app.get("/test/emails")
    async def emails(to: str) -> list[dict[str, Any]]:
        return [e for e in EMAILS if e["user"]["email"] == to]

    @app.get("/test/outbound")
    async def outbound() -> list[str]:
        return OUTBOUND

    @app.get("/protected")
    async def protected(s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @app.get("/protected-db")
    async def protected_db(s: Any = Depends(verify_session(check_database=True))) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @app.get("/optional")
    async def optional(s: Any = Depends(verify_session(session_required=False))) -> dict[str, Any]:  # noqa: B008
        return {"session": None if s is None else describe(s)}

    @app.get("/admin")
    async def admin(
        s: Any = Depends(verify_session(override_global_claim_validators=require_admin)),  # noqa: B008
    ) -> dict[str, Any]:
        return describe(s)

    @app.post("/merge")
    async def merge(request: Request, s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        await s.merge_into_access_token_payload(await request.json())
        return describe(s)

    @app.get("/metadata")
    async def get_metadata(s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return {"metadata": (await metadata_fns.get_user_metadata(s.get_user_id())).metadata}

    @app.post("/metadata")
    async def update_metadata(request: Request, s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        result = await metadata_fns.update_user_metadata(s.get_user_id(), await request.json())
        return {"metadata": result.metadata}

    @app.post("/roles/grant")
    async def grant(s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        created = await roles_fns.create_new_role_or_add_permissions("admin", ["read", "write"])
        added = await roles_fns.add_role_to_user(s.get_tenant_id(), s.get_user_id(), "admin")
        roles = await roles_fns.get_roles_for_user(s.get_tenant_id(), s.get_user_id())
        return {
            "createdNewRole": created.created_new_role,
            "didUserAlreadyHaveRole": added.did_user_already_have_role,
            "roles": roles.roles,
        }

    @app.post("/roles/refetch")
    async def refetch(s: Any = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        await s.fetch_and_set_claim(userroles.UserRoleClaim)
        await s.fetch_and_set_claim(userroles.PermissionClaim)
        return describe(s)

    @app.get("/bench/bare")
    async def bench_bare() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/bench/protected")
    async def bench_protected(s: Any = Depends(verify_session())) -> dict[str, bool]:  # noqa: B008
        return {"ok": True}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", choices=["authdeck", "supertokens_python"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    args = parser.parse_args()
    if args.package == "supertokens_python" and os.environ.get("SUPERTOKENS_TLDEXTRACT_DISABLE_HTTP") != "1":
        sys.exit("set SUPERTOKENS_TLDEXTRACT_DISABLE_HTTP=1: tldextract would download the public suffix list")
    refuse_internet()
    import uvicorn

    app = build(args.package, args.port, args.connection_uri, os.environ.get("DIFF_API_KEY") or None)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", workers=1)


if __name__ == "__main__":
    main()
