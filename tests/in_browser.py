"""The app in a real browser: `streamlit run app.py` on a free local port against a ledger,
driven by Playwright with Debian's chromium (never a downloaded browser). The fixtures
`browser`, `server` and `page` (conftest.py) are built from these.

Without chromium or the playwright package the browser tests are skipped, unless
TRACKER_REQUIRE_BROWSER=1 (as in CI), where they fail."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from .headless_app import ROOT

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the script has finished and nothing on the page is waiting to be redrawn
SETTLED = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]')
    && document.querySelector('[data-testid="stMain"] h1') !== null;
}
"""


def _require(reason: str):
    if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, but TRACKER_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@contextmanager
def chromium():
    """Debian's chromium, headless, through Playwright."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _require(f"chromium not found at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require("the Python package playwright is not installed (test extra)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def free_port() -> int:
    """A local port nothing listens on now, for a server started next."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_running(database_url: str, folder: Path, *, port: int | None = None, secrets: Path | None = None):
    """`streamlit run app.py` on the ledger at `database_url` with "this year" 2025, its log in
    `folder`; gives the app's address once it answers, and stops it afterwards.

    `port`: where it listens (a free one if not given), for settings that must name the address
    before the app starts; `secrets`: a Streamlit secrets file read instead of the repository's."""
    port = port or free_port()
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_TODAY": "2025-06-01"}
    log = open(folder / "streamlit.log", "w")
    options = ["--secrets.files", str(secrets)] if secrets is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none", *options],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        address = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(address + "/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    log.flush()
                    pytest.fail("the app did not start:\n" + (folder / "streamlit.log").read_text())
                time.sleep(0.3)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def settle(page) -> None:
    """Wait until the page has finished its script and redrawn; no exception shown on it."""
    page.wait_for_function(SETTLED, polling=100, timeout=90_000)
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
