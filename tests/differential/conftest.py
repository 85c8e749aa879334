"""Both template apps (authdeck and supertokens_python), each on its own fresh app of the same ``core``."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests._harness.core_process import API_KEY, CoreProcess
from tests.differential.launch import PACKAGES, RunningApp, start_app


@pytest.fixture(scope="module")
def apps(core: CoreProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningApp]]:
    log_dir = tmp_path_factory.mktemp("differential")
    uris = {}
    for package in PACKAGES:
        with core.new_app() as client:
            uris[package] = f"{core.url}/appid-{client.app_id}"
    with ThreadPoolExecutor(len(PACKAGES)) as pool:  # both start at once: start-up is most of the fixture's time
        futures = {p: pool.submit(start_app, p, uris[p], API_KEY, log_dir, fast_tls_setup=True) for p in PACKAGES}
    started: dict[str, RunningApp] = {}
    try:
        for package, future in futures.items():
            started[package] = future.result()
        yield started
    finally:
        for future in futures.values():
            if future.exception() is None:
                future.result().stop()
