"""Shared fixtures: the repository paths, a built sample site, and real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    """../shared beside the checkout (as in CI), or BULLETIN_SHARED, or the workplace copy."""
    for candidate in (os.environ.get("BULLETIN_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "seed").is_dir():
            return Path(candidate)
    raise RuntimeError("../shared (seed and test data) not found beside the checkout; set BULLETIN_SHARED")


SHARED = _find_shared()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(config_file: Path, site_dir: Path, **overrides) -> None:
    """Run a real MkDocs build of `config_file` into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(config_file), site_dir=str(site_dir), **overrides))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site (mkdocs.yml + site_src/), built once per test run."""
    site = tmp_path_factory.mktemp("sample") / "site"
    build_site(ROOT / "mkdocs.yml", site)
    return site


class Server:
    """A static file server on 127.0.0.1 for one directory, recording every path asked for."""

    def __init__(self, directory: Path) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(directory), **kwargs)

            def log_message(self, *args):
                outer.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    """serve(directory) -> Server; every server is stopped after the test."""
    servers: list[Server] = []

    def start(directory: Path) -> Server:
        server = Server(directory)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. In CI a missing browser fails, never skips."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_log(browser):
    """new_page(**context_options) -> (page, requests); requests lists every URL the page asked for."""
    contexts = []

    def new_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        return page, requests

    yield new_page
    for context in contexts:
        context.close()


def foreign_requests(requests: list[str]) -> list[str]:
    """Requests that left this machine: anything not localhost, file: or data:."""
    allowed = ("http://127.0.0.1", "http://localhost", "file:", "data:", "blob:", "about:")
    return [url for url in requests if not url.startswith(allowed)]
