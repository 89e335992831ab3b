"""A real dashboard in a real browser: `streamlit run app.py` as a subprocess, Debian's Chromium.

Why a subprocess and not AppTest: the browser suite is where the things AppTest cannot see
are proved: what the page looks like when the frontend draws it, console errors, Plotly
clicks, the address bar, and what a *freshly started* server does with a direct link (its
first session decides whether Streamlit's legacy `pages/` discovery runs a page alone).

Fixtures
- `chromium`: one headless Chromium for the session (Debian's binary via `executable_path`;
  `playwright install` cannot download here). Override the path with PINGAN_CHROMIUM.
- `server`: one server shared by the tests that do not need a fresh one.
- `fresh_server`: a factory; each call starts a new server (stopped after the test).
- `browser_page`: a new browser context + page with console errors and page errors
  collected (`BrowserPage.errors`), a dialog listener (`BrowserPage.dialogs`), and a
  screenshot helper writing to tests/artifacts/browser/<test>[-<label>].png.

Every test in this folder carries the `browser` mark (select with `-m browser`, skip with
`-m "not browser"`); they run by default.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 90  # seconds; two shared cores, a cold Python import of pandas/plotly/duckdb
HERE = Path(__file__).resolve().parent



def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    """A free port; PINGAN_TEST_PORTS=8652-8699 keeps the test servers in a range of ports
    (a shared machine where each user has their own)."""
    span = os.environ.get("PINGAN_TEST_PORTS", "")
    lo, _, hi = span.partition("-")
    candidates = range(int(lo), int(hi or lo) + 1) if lo.isdigit() else [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"PINGAN_TEST_PORTS={span}: no free port in that range")


@dataclass
class Server:
    """One `streamlit run app.py` process; `url` is its root, `log` holds its stdout+stderr."""
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""


def start_server(warehouse: Path, log: Path, env_extra: dict | None = None,
                 args: list[str] | None = None, address: str = "127.0.0.1",
                 port: int | None = None) -> Server:
    """Start the dashboard as a user would and wait until /_stcore/health answers ok.

    `env_extra` and `args` are for the access-control tests (an accounts file, secrets).
    """
    port = port or _free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PINGAN_WAREHOUSE": str(warehouse), "PYTHONPATH": str(ROOT)}
    env.setdefault("PINGAN_ACCOUNTS", str(warehouse.parent / f"{warehouse.name}-no-accounts.sqlite"))
    env.update(env_extra or {})
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", address, *(args or [])],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    server = Server(proc, port, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{log}: streamlit exited with {proc.returncode}: {server.log_text()[-1500:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{log}: streamlit did not answer /_stcore/health within {START_TIMEOUT}s")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("PINGAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        pytest.fail(f"{exe}: Chromium not found; install Debian's `chromium` (scripts/setup.sh) "
                    "or set PINGAN_CHROMIUM", pytrace=False)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(warehouse_dir):
    srv = start_server(warehouse_dir, ARTIFACTS / "server-shared.log")
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(warehouse_dir, request):
    """Factory: a brand-new server per call, so its first session is a cold start."""
    started: list[Server] = []

    def make() -> Server:
        srv = start_server(warehouse_dir, ARTIFACTS / f"server-{_slug(request.node.name)}-{len(started)}.log")
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@dataclass
class BrowserPage:
    """A Playwright page plus what it reported: console errors, uncaught errors, dialogs."""
    page: object
    name: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests_failed: list[str] = field(default_factory=list)

    def shot(self, label: str = "") -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / (self.name + (f"-{_slug(label)}" if label else "") + ".png")
        # Streamlit scrolls inside its main block, so a "full page" shot is one screen high:
        # grow the window to the content's height for the picture, then put it back.
        size = self.page.viewport_size
        height = self.page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }")
        self.page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 8000))})
        self.page.wait_for_timeout(400)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(size)
        return path


@pytest.fixture
def browser_page(chromium, request):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai")
    context.set_default_timeout(30_000)
    page = context.new_page()
    bp = BrowserPage(page, _slug(request.node.name))

    def on_console(msg):
        if msg.type == "error":
            loc = msg.location or {}
            bp.errors.append(f"console: {msg.text} @ {loc.get('url', '')}")

    def on_dialog(dialog):
        bp.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda err: bp.errors.append(f"pageerror: {err}"))
    page.on("dialog", on_dialog)
    page.on("requestfailed", lambda req: bp.requests_failed.append(f"{req.url} ({req.failure})"))
    yield bp
    context.close()
