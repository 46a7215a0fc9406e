"""Single sign-on end to end in a real browser: `streamlit run app.py` with OpenID Connect
configured (`[auth]` in a secrets file of its own) against a mock identity provider
(oidc-provider-mock) in a thread, driven by Playwright with Debian's chromium.

The provider's authorization form lets the test say who signs in; the ledger knows one reader.
A known identity signs in and sees the figures of its role, an unknown one is refused and sees
none, both are journalled, and signing out clears the identity cookie. Without chromium (or
oidc-provider-mock) the tests are skipped, unless TRACKER_REQUIRE_BROWSER=1 (as in CI), where
they fail.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from ledger import access, store
from ledger.access import SINGLE_ADMIN
from tracker import services

from .builders import add_confidential_agreement
from .in_browser import _require, app_running, free_port, settle

pytestmark = pytest.mark.browser

# the provider's subject -> the claims it sends; the app takes the e-mail address as the identity
READER = ("lis", {"email": "lis@region.example", "name": "Lis Læser"})
STRANGER = ("eve", {"email": "eve@elsewhere.example", "name": "Eve Udefra"})
SIGN_IN = "Log ind med regionens login"


@pytest.fixture(scope="module")
def provider():
    """The mock provider's address, with the reader's and the stranger's claims registered."""
    try:
        import oidc_provider_mock
    except ImportError:
        _require("the Python package oidc-provider-mock is not installed (test extra)")
    with oidc_provider_mock.run_server_in_thread() as running:
        address = f"http://localhost:{running.server_port}"
        for sub, claims in (READER, STRANGER):
            request = urllib.request.Request(f"{address}/users/{sub}", method="PUT", data=json.dumps(claims).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 204
        yield address


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory):
    """The seed ledger with a confidential agreement (4.711,5 in 2025), and the reader as a
    single sign-on user (no password)."""
    folder = tmp_path_factory.mktemp("ledger")
    url = f"sqlite:///{folder / 'ledger.sqlite'}"
    engine = services.open_ledger(url)
    services.init(engine)
    add_confidential_agreement(engine)
    access.add_user(engine, SINGLE_ADMIN, READER[1]["email"], "læser", None)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory, provider, ledger_url):
    """The app signing in through the provider (replaces conftest's `server` for `page`)."""
    folder = tmp_path_factory.mktemp("app")
    port = free_port()
    # the browser opens the app at 127.0.0.1, so the callback (and the identity cookie) must too
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a cookie secret for the tests only"
client_id = "tracker"
client_secret = "any secret: the mock provider takes every client"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""")
    with app_running(ledger_url, folder, port=port, secrets=secrets) as address:
        yield address


@pytest.fixture
def offline_page(page):
    """The page, with requests beyond this machine refused: the provider's form asks a CDN for
    its stylesheet, which the tests neither need nor may wait for."""
    page.route(re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])"), lambda route: route.abort())
    return page


def journal(url: str) -> list[tuple[str, str, str]]:
    engine = services.open_ledger(url)
    try:
        return [(r["author"], r["action"], r["reason"]) for r in store.journal(engine).iter_rows(named=True)]
    finally:
        engine.dispose()


def sign_in_at_provider(page, server: str, provider: str, sub: str) -> None:
    """From the app's sign-in page through the provider's form as `sub`, back to the app."""
    page.goto(server)
    settle(page)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url(f"{provider}/oauth2/authorize?*")
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server}/")
    # the script has run to its end (the refusal has no title, so not `settle`)
    page.wait_for_function("""() => {
      const app = document.querySelector('[data-testid="stApp"]');
      return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && document.querySelector('[data-testid="stMain"] [data-testid="stVerticalBlock"]') !== null;
    }""", polling=100, timeout=90_000)


def end_session_at_provider(page, server: str, provider: str) -> None:
    """After "Log ud": Streamlit has cleared its identity cookie and sent the browser to the
    provider's end of session; confirm there, back to the app."""
    page.wait_for_url(f"{provider}/oauth2/end_session?*")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{server}/")
    settle(page)


def test_before_sign_in_only_the_single_sign_on_button_shows(offline_page, server):
    page = offline_page
    page.goto(server)
    settle(page)
    page.get_by_role("heading", name="Sundhedsaftaler").wait_for()
    page.get_by_role("button", name=SIGN_IN).wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert "mio. kr." not in page.locator('[data-testid="stMain"]').text_content()


def test_a_known_user_signs_in_at_the_provider_and_sees_the_figures_of_their_role(offline_page, server, provider,
                                                                                   ledger_url):
    page = offline_page
    sign_in_at_provider(page, server, provider, READER[0])
    settle(page)
    page.get_by_text("880,7 mio. kr.").first.wait_for()  # this year, without the confidential 4.711,5
    main = page.locator('[data-testid="stMain"]').text_content()
    assert "5.592,2" not in main and "Fortroligt punkt 2" not in main
    page.locator('[data-testid="stSidebar"]').get_by_text("Logget ind som lis@region.example (læser)").wait_for()
    assert ("lis@region.example", "sign-in", "single sign-on") in journal(ledger_url)


def test_an_identity_the_ledger_does_not_know_is_refused_and_sees_no_figures(offline_page, server, provider,
                                                                              ledger_url):
    page = offline_page
    sign_in_at_provider(page, server, provider, STRANGER[0])
    page.get_by_text("eve@elsewhere.example er ikke bruger af tracker. Kontakt en administrator.").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert "mio. kr." not in page.locator('[data-testid="stMain"]').text_content()
    assert "Logget ind som" not in page.content()
    refusals = [entry for entry in journal(ledger_url) if entry[0] == "eve@elsewhere.example"]
    assert refusals == [("eve@elsewhere.example", "sign-in-refused", "single sign-on: unknown or disabled user")]
    # the refused identity can leave, and another may then sign in
    page.locator('[data-testid="stMain"]').get_by_role("button", name="Log ud").click()
    end_session_at_provider(page, server, provider)
    page.get_by_role("button", name=SIGN_IN).wait_for()


def test_signing_out_ends_the_session_at_the_provider_and_asks_again(offline_page, server, provider):
    page = offline_page
    sign_in_at_provider(page, server, provider, READER[0])
    settle(page)
    page.get_by_text("880,7 mio. kr.").first.wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Log ud").click()
    end_session_at_provider(page, server, provider)
    page.get_by_role("button", name=SIGN_IN).wait_for()
    assert "mio. kr." not in page.locator('[data-testid="stMain"]').text_content()
    page.reload()  # the identity cookie is gone, not just this session's memory of it
    settle(page)
    page.get_by_role("button", name=SIGN_IN).wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
