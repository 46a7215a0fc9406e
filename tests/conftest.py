"""Shared fixtures. Every test that takes `engine` runs against SQLite and PostgreSQL.

PostgreSQL: a throwaway server is started for the session from Debian's `postgresql`
binaries (initdb, pg_ctl), listening only on a Unix socket in a temporary folder. Each test
gets a fresh database copied from a migrated template. Where the binaries are missing the
PostgreSQL half is skipped, unless TRACKER_REQUIRE_POSTGRES=1 (as in CI), where it fails.

Also shared: `run` and `cli`, the command line on the test's database; `app_ledger_url`, the
ledger the app opens under AppTest (see headless_app.py); `browser`, `server` and `page`, the
app in Debian's chromium (see in_browser.py).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ledger.db import engine_for, migrate
from tracker import services
from tracker.cli import app as tracker_cli

from .headless_app import ROOT
from .in_browser import app_running, chromium


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root; the Debian package creates the `postgres` user
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL binaries not found but TRACKER_REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL server binaries (Debian package postgresql) are not installed")
    base = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(
        _as_postgres_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "tracker", "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )
    subprocess.run(
        _as_postgres_user([
            str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"),
            "-o", f"-c listen_addresses='' -k {sock} -c fsync=off -c full_page_writes=off",
            "start",
        ]),
        check=True, capture_output=True,
    )
    admin_url = f"postgresql+psycopg://tracker@/postgres?host={sock}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text("CREATE DATABASE tracker_template"))
    template = sa.create_engine(f"postgresql+psycopg://tracker@/tracker_template?host={sock}")
    migrate(template)
    template.dispose()
    yield {"admin": admin, "sock": sock}
    admin.dispose()
    subprocess.run(_as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                   capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = "t_" + uuid.uuid4().hex[:12]
    with server["admin"].connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE tracker_template"))
    yield f"postgresql+psycopg://tracker@/{name}?host={server['sock']}"
    with server["admin"].connect() as c:
        c.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def engine(database_url):
    engine = services.open_ledger(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine):
    services.init(engine)
    return engine


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(database_url, monkeypatch):
    """The `tracker` command on the test's database, as the single local administrator (no
    TRACKER_USER): cli("report", "--by", "year", code=0, input=None) gives click's result, and
    fails the test unless the command exits with `code`."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    monkeypatch.delenv("TRACKER_USER", raising=False)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, input: str | None = None):
        result = runner.invoke(tracker_cli, list(args), input=input)
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture
def run(cli):
    """As `cli`, giving what the command printed."""

    def invoke(*args: str, code: int = 0, input: str | None = None) -> str:
        return cli(*args, code=code, input=input).output

    return invoke


# -- the app under AppTest ----------------------------------------------------------------------


@pytest.fixture
def app_ledger_url(tmp_path, monkeypatch) -> str:
    """The URL of a SQLite ledger for the app to open (TRACKER_DATABASE_URL; the app seeds it if
    the test has not), "this year" 2025 (TRACKER_TODAY), run from the project folder."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_TODAY", "2025-06-01")
    monkeypatch.chdir(ROOT)
    return url


# -- the app in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright, one for each test module."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app's address: `streamlit run app.py` on a ledger it seeds itself, one for each test module."""
    folder = tmp_path_factory.mktemp("app")
    with app_running(f"sqlite:///{folder / 'ledger.sqlite'}", folder) as address:
        yield address


@pytest.fixture
def viewport():
    """The browser window's size; a module may ask for another (test_browser_finance.py does)."""
    return {"width": 1440, "height": 900}


@pytest.fixture
def page(browser, server, viewport):
    """A fresh browser page (its own context) of `viewport` size, once the app answers."""
    context = browser.new_context(viewport=viewport)
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()
