"""Serving the dashboard UI: the HTML shell on every page path, its static files, base paths and tenants."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from authdeck.recipe import dashboard
from authdeck.recipe.dashboard import APIInterface, DashboardOverrideConfig
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess
from tests.recipe.dashboard._app import ADMIN, PASSWORD, DashboardApp, bearer, serve
from tests.recipe.dashboard.test_guard import assert_security_headers

pytestmark = pytest.mark.anyio


def page_config(reply: httpx.Response) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="authdeck-config">(.*?)</script>', reply.text)
    assert found is not None, reply.text
    config: dict[str, Any] = json.loads(found.group(1))
    return config


@pytest.mark.parametrize(
    "path",
    [
        "/auth/dashboard",
        "/auth/dashboard/",
        "/auth/dashboard/roles",
        "/auth/dashboard/tenants",
        "/auth/dashboard/users",
        "/auth/dashboard/users/some-user-id",
        "/auth/dashboard/activity",
        "/auth/t1/dashboard",
        "/auth/t1/dashboard/roles",
        "/auth/dashboard?userid=abc",
    ],
)
async def test_every_page_path_serves_the_html_shell(dash: DashboardApp, path: str) -> None:
    reply = await dash.http().get(path)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert_security_headers(reply)
    assert page_config(reply)["dashboardAppPath"] == "/auth/dashboard"


@pytest.mark.parametrize(
    ("path", "signed_in", "page_modules"),
    [
        ("/auth/dashboard", True, ["users.js"]),
        ("/auth/dashboard/users/some-id", True, ["users.js", "user.js"]),
        ("/auth/dashboard?userid=abc", True, ["users.js", "user.js"]),
        ("/auth/dashboard/roles", True, ["roles.js"]),
        ("/auth/t1/dashboard/roles", True, ["roles.js"]),
        ("/auth/dashboard/activity", True, ["activity.js"]),
        ("/auth/dashboard/roles", False, ["login.js"]),
    ],
)
async def test_page_preloads_the_modules_it_will_import(
    dash: DashboardApp, path: str, signed_in: bool, page_modules: list[str]
) -> None:
    http = dash.http()
    if signed_in:
        http.cookies.set("authdeck-dashboard", await dash.sign_in(ADMIN))
    page = (await http.get(path)).text
    preloaded = re.findall(r'<link rel="modulepreload" href="/auth/dashboard/static/([a-z]+\.js)">', page)
    assert preloaded == ["api.js", "dom.js", *page_modules]


async def test_other_dashboard_paths_fall_through_to_the_app(dash: DashboardApp) -> None:
    assert (await dash.http().get("/auth/dashboard/nothing-here")).status_code == 404
    assert (await dash.http().post("/auth/dashboard")).status_code in (404, 405)


async def test_shell_has_no_inline_script_or_style_and_configures_the_ui(dash: DashboardApp) -> None:
    reply = await dash.http().get("/auth/dashboard")
    html = reply.text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, body in scripts if body.strip()] == [' type="application/json" id="authdeck-config"']
    assert re.search(r'<script type="module" src="/auth/dashboard/static/app\.js\?v=[0-9a-f]{20}"></script>', html)
    assert "<style" not in html and "style=" not in html and "onload" not in html
    assert "cdn" not in html.lower()
    assert page_config(reply) == {
        "appName": "Test App",
        "dashboardAppPath": "/auth/dashboard",
        "apiBasePath": "/auth",
        "staticBasePath": "/auth/dashboard/static",
        "authMode": "email-password",
        "isSearchEnabled": True,
        "csrfHeader": {"name": "x-authdeck-csrf", "value": "1"},
        "connectionURI": str(dash.core_client.base_url).rstrip("/"),
    }
    assert "<title>Test App · User Management Dashboard</title>" in html
    assert reply.headers["cache-control"] == "no-store"


async def test_page_names_the_first_core_of_a_fail_over_list_and_never_the_api_key(
    core: CoreProcess, app_client: CoreClient
) -> None:
    first = f"{core.url}/appid-{app_client.app_id}"
    async with serve(core, app_client, connection_uri=f" {first}/ ; http://127.0.0.1:9") as app:
        reply = await app.http().get("/auth/dashboard")
    assert page_config(reply)["connectionURI"] == first
    assert "127.0.0.1:9" not in reply.text
    assert API_KEY not in reply.text


async def test_page_leaves_credentials_in_the_connection_uri_out(core: CoreProcess, app_client: CoreClient) -> None:
    with_userinfo = core.url.replace("http://", "http://proxy-user:proxy-secret@") + f"/appid-{app_client.app_id}"
    async with serve(core, app_client, connection_uri=with_userinfo) as app:
        reply = await app.http().get("/auth/dashboard")
    assert page_config(reply)["connectionURI"] == f"{core.url}/appid-{app_client.app_id}"
    assert "proxy-secret" not in reply.text and "proxy-user" not in reply.text


async def test_app_name_cannot_break_out_of_the_title_or_the_config(core: CoreProcess, app_client: CoreClient) -> None:
    name = '</title><script>alert("x")</script> & Co'
    async with serve(core, app_client, app_name=name) as app:
        reply = await app.http().get("/auth/dashboard")
    assert "<script>alert" not in reply.text
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co · " in reply.text
    assert page_config(reply)["appName"] == name


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("app.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ],
)
async def test_static_files_are_served_with_their_content_type(
    dash: DashboardApp, name: str, content_type: str
) -> None:
    reply = await dash.http().get(f"/auth/dashboard/static/{name}")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == content_type
    assert reply.headers["cache-control"] == "no-cache"
    assert re.fullmatch(r'"[0-9a-f]{20}"', reply.headers["etag"])
    assert_security_headers(reply)
    assert len(reply.content) > 0


async def test_static_files_named_by_their_version_are_cached_for_good_and_revalidate(dash: DashboardApp) -> None:
    http = dash.http()
    shell = (await http.get("/auth/dashboard")).text
    found = re.search(r'src="(/auth/dashboard/static/app\.js\?v=([0-9a-f]{20}))"', shell)
    assert found is not None
    reply = await http.get(found.group(1))
    assert reply.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert reply.headers["etag"] == f'"{found.group(2)}"'
    again = await http.get("/auth/dashboard/static/app.js", headers={"if-none-match": reply.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    stale = await http.get("/auth/dashboard/static/app.js?v=0000", headers={"if-none-match": '"other"'})
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/auth/dashboard/static/missing.js",
        "/auth/dashboard/static/index.html",
        "/auth/dashboard/static/../recipe.py",
        "/auth/dashboard/static/%2e%2e/recipe.py",
        "/auth/dashboard/static/.hidden.js",
        "/auth/dashboard/static/",
        "/auth/dashboard/static",
    ],
)
async def test_static_serves_nothing_but_ui_files(dash: DashboardApp, path: str) -> None:
    reply = await dash.http().get(path)
    assert reply.status_code == 404
    assert "import" not in reply.text


async def test_static_files_are_served_below_a_tenant_too(dash: DashboardApp) -> None:
    reply = await dash.http().get("/auth/t1/dashboard/static/app.js")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/javascript")


async def test_api_base_path_moves_pages_api_and_files(core: CoreProcess, app_client: CoreClient) -> None:
    async with serve(core, app_client, base="/api/auth", api_base_path="/api/auth") as app:
        app.create_dashboard_user(ADMIN)
        http = app.http()
        page = await http.get("/api/auth/dashboard")
        assert page_config(page)["dashboardAppPath"] == "/api/auth/dashboard"
        assert 'src="/api/auth/dashboard/static/app.js?v=' in page.text
        assert (await http.get("/api/auth/dashboard/static/app.css")).status_code == 200
        signin = await http.post("/api/auth/dashboard/api/signin", json={"email": ADMIN, "password": PASSWORD})
        assert "Path=/api/auth/dashboard;" in signin.headers["set-cookie"]
        me = await http.get("/api/auth/dashboard/api/me", headers=bearer(signin.json()["sessionId"]))
        assert me.json()["email"] == ADMIN
        assert (await http.get("/auth/dashboard")).status_code == 404


async def test_api_gateway_path_is_advertised_while_the_app_sees_paths_without_it(
    core: CoreProcess, app_client: CoreClient
) -> None:
    async with serve(core, app_client, api_gateway_path="/dev") as app:
        page = await app.http().get("/auth/dashboard")
        assert page.status_code == 200
        assert page_config(page)["dashboardAppPath"] == "/dev/auth/dashboard"
        assert 'src="/dev/auth/dashboard/static/app.js?v=' in page.text


async def test_api_gateway_path_is_in_every_advertised_path(core: CoreProcess, app_client: CoreClient) -> None:
    async with serve(core, app_client, api_gateway_path="/dev") as app:
        app.create_dashboard_user(ADMIN)
        http = app.http()
        # The gateway strips /dev: the app sees /auth/..., and advertises /dev/auth/...
        page = await http.get("/auth/dashboard")
        config = page_config(page)
        assert (config["dashboardAppPath"], config["staticBasePath"]) == (
            "/dev/auth/dashboard",
            "/dev/auth/dashboard/static",
        )
        signin = await http.post("/auth/dashboard/api/signin", json={"email": ADMIN, "password": PASSWORD})
        assert "Path=/dev/auth/dashboard;" in signin.headers["set-cookie"]
        script = await http.get("/auth/dashboard/static/app.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")


async def test_html_route_can_be_disabled_by_override(core: CoreProcess, app_client: CoreClient) -> None:
    def no_page(original: APIInterface) -> APIInterface:
        original.dashboard_get = None  # type: ignore[assignment,method-assign]
        return original

    options = {"override": DashboardOverrideConfig(apis=no_page)}
    async with serve(core, app_client, dashboard_options=options) as app:
        http = app.http()
        assert (await http.get("/auth/dashboard")).status_code == 404
        assert (await http.get("/auth/dashboard/static/app.js")).status_code == 200
        assert (await http.get(app.api("/me"))).status_code == 401


async def test_html_can_be_replaced_by_override(core: CoreProcess, app_client: CoreClient) -> None:
    def custom(original: APIInterface) -> APIInterface:
        render = original.dashboard_get

        async def dashboard_get(options: dashboard.APIOptions, user_context: dict[str, Any]) -> str:
            page = await render(options, user_context)
            return page.replace("Test App · User Management Dashboard</title>", "Acme admin</title>")

        original.dashboard_get = dashboard_get  # type: ignore[method-assign]
        return original

    options = {"override": DashboardOverrideConfig(apis=custom)}
    async with serve(core, app_client, dashboard_options=options) as app:
        reply = await app.http().get("/auth/dashboard")
        assert "<title>Acme admin</title>" in reply.text
        assert_security_headers(reply)
