"""The app per role: sign-in first, and a reader sees no confidential figure on any page."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from ledger import access, store
from ledger.access import SINGLE_ADMIN
from ledger.changes import diff
from tracker import services
from tracker.app.ui import PAGES as APP_PAGES

from .test_app_pages import ROOT

PASSWORDS = {"lis": "lis password 123", "frede": "frede password 123", "anna": "anna password 123"}
SECRETS = ("4.711,5", "4711.5", "4711,5", "Fortroligt punkt 2", "Hemmeligt initiativ")


@pytest.fixture
def ledger_with_users(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_TODAY", "2025-06-01")
    monkeypatch.chdir(ROOT)
    engine = services.open_ledger(url)
    services.init(engine)
    current = store.load(engine)
    changes = diff(current, {
        "agreements": pl.DataFrame({"id": ["fortroligt-punkt"], "title": ["Fortroligt punkt 2"], "kind": ["forslag"],
                                    "status": ["proposed"], "classification": ["confidential"]}),
        "initiatives": pl.DataFrame({"id": ["hemmelig"], "agreement_id": ["fortroligt-punkt"],
                                     "title": ["Hemmeligt initiativ"]}),
        "lines": pl.DataFrame({"id": [900], "initiative_id": ["hemmelig"], "year_from": [2025], "year_to": [2025],
                               "region": ["hele-landet"], "amount": [Decimal("4711.5")], "kind": ["appropriation"],
                               "source_id": ["s001-akutpsyk"], "classification": ["confidential"], "note": [""]}
                              ).with_columns(pl.col("amount").cast(current.lines["amount"].dtype)),
    })
    store.commit(engine, changes, author="test", action="edit")
    for name, role in (("lis", "læser"), ("frede", "forhandler"), ("anna", "økonomi")):
        access.add_user(engine, SINGLE_ADMIN, name, role, PASSWORDS[name])
    engine.dispose()
    return url


def signed_in(name: str, password: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password or PASSWORDS[name])
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


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
    at = signed_in("lis", "wrong password")
    assert "Forkert brugernavn eller adgangskode." in [e.value for e in at.error]
    assert not at.metric


@pytest.mark.parametrize("name, sees", [("lis", False), ("frede", True), ("anna", True)])
def test_confidential_figures_on_no_page_for_a_reader(ledger_with_users, name, sees):
    at = signed_in(name)
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
    at = signed_in("lis")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("tracker/app/pages/forhandling.py")  # not among a reader's pages at all


def test_the_overview_total_for_a_reader_leaves_the_confidential_money_out(ledger_with_users):
    reader = {m.label: m.value for m in signed_in("lis").metric}
    negotiator = {m.label: m.value for m in signed_in("frede").metric}
    assert reader["I år (2025)"] == "880,7 mio. kr."
    assert negotiator["I år (2025)"] == "5.592,2 mio. kr."  # 880,7 + 4.711,5
