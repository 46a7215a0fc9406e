"""The app per role: sign-in first, and a reader sees no confidential figure on any page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ledger import access
from tracker import services
from tracker.app.ui import PAGES as APP_PAGES

from .builders import add_confidential_agreement, add_users
from .headless_app import ROOT, sign_in

SECRETS = ("4.711,5", "4711.5", "4711,5", "Fortroligt punkt 2", "Hemmeligt initiativ")


@pytest.fixture
def ledger_with_users(app_ledger_url):
    """The seed ledger, a confidential agreement with 4.711,5 in 2025, a reader, a negotiator and
    finance staff."""
    engine = services.open_ledger(app_ledger_url)
    services.init(engine)
    add_confidential_agreement(engine)
    add_users(engine, lis="læser", frede="forhandler", anna="økonomi")
    engine.dispose()
    return app_ledger_url


def everything_shown(at: AppTest) -> str:
    """Every element of the page, charts' data included, as text."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_once_users_exist_the_app_asks_who_you_are(ledger_with_users):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert [t.value for t in at.title] == ["Sundhedsaftaler"]
    assert not at.metric  # no figures before sign-in


def test_a_wrong_password_is_refused(ledger_with_users):
    at = sign_in("lis", password="wrong password")
    assert "Forkert brugernavn eller adgangskode." in [e.value for e in at.error]
    assert not at.metric


@pytest.mark.parametrize("name, sees", [("lis", False), ("frede", True), ("anna", True)])
def test_confidential_figures_on_no_page_for_a_reader(ledger_with_users, name, sees):
    at = sign_in(name)
    who = access.Actor(name, {"lis": "reader", "frede": "negotiator", "anna": "finance"}[name])
    shown_anywhere = False
    for path, *_rest, permission in APP_PAGES:
        if not who.can(permission):
            continue
        at.switch_page(path).run()
        assert not at.exception, (path, at.exception)
        found = [secret for secret in SECRETS if secret in everything_shown(at)]
        if not sees:
            assert found == [], path
        shown_anywhere |= bool(found)
    assert shown_anywhere is sees


def test_a_reader_cannot_open_the_negotiators_page_by_its_address(ledger_with_users):
    at = sign_in("lis")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("tracker/app/pages/forhandling.py")  # not among a reader's pages at all


def test_the_overview_total_for_a_reader_leaves_the_confidential_money_out(ledger_with_users):
    reader = {m.label: m.value for m in sign_in("lis").metric}
    negotiator = {m.label: m.value for m in sign_in("frede").metric}
    assert reader["I år (2025)"] == "880,7 mio. kr."
    assert negotiator["I år (2025)"] == "5.592,2 mio. kr."  # 880,7 + 4.711,5


def test_a_reader_never_gets_a_section_replayed_from_a_negotiators_view(ledger_with_users):
    # Overblik replays sections drawn before (tracker.app.ui.replayed); the negotiator draws
    # first, so a section keyed without the ledger ref (what the viewer may see) would hand the
    # reader the confidential total
    negotiator = sign_in("frede")
    assert "Fortroligt punkt 2" in everything_shown(negotiator)
    reader = sign_in("lis")
    assert [secret for secret in SECRETS if secret in everything_shown(reader)] == []
    assert {m.label: m.value for m in reader.metric}["I år (2025)"] == "880,7 mio. kr."
