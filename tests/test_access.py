"""Roles, sign-in and confidential figures, enforced below every user interface."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import polars as pl
import pytest

from ledger import access, store
from ledger.access import SINGLE_ADMIN, Actor, Forbidden, SignInFailed
from ledger.changes import diff
from ledger.writers import interchange
from tracker import services
from tracker.reports import Filters, breakdown

from .builders import with_amount

SECRET = Decimal("4711.5")  # a figure that must never reach a reader
ROLES = ["reader", "negotiator", "finance", "admin"]


@pytest.fixture
def with_secret(seeded):
    """The seeded ledger plus a confidential agreement and a confidential line in a public one."""
    current = store.load(seeded)
    lines = current.lines
    dtype = lines["amount"].dtype
    agreements = pl.DataFrame({"id": ["fortroligt-punkt"], "title": ["Fortroligt punkt 2"], "kind": ["forslag"],
                               "status": ["proposed"], "classification": ["confidential"], "source_id": ["s001-akutpsyk"]})
    initiatives = pl.DataFrame({"id": ["hemmelig"], "agreement_id": ["fortroligt-punkt"], "title": ["Hemmeligt initiativ"]})
    secret_lines = pl.DataFrame({
        "id": [900, 901], "initiative_id": ["hemmelig", "akutpsykiatri"], "year_from": [2026, 2026],
        "year_to": [2026, 2026], "region": ["hele-landet", "hele-landet"], "amount": [SECRET, SECRET],
        "kind": ["proposal", "expected"], "source_id": ["s001-akutpsyk"] * 2,
        "classification": ["confidential", "confidential"], "note": ["", ""],
    }).with_columns(pl.col("amount").cast(dtype))
    changes = diff(current, {"agreements": agreements, "initiatives": initiatives, "lines": secret_lines})
    store.commit(seeded, changes, author="test", action="edit")
    return seeded


def actor(role: str) -> Actor:
    return Actor(name=f"a-{role}", role=role)


def everything_a_reader_gets(engine, who: Actor) -> str:
    """Every service output for this user, as text: the ledger, reports, totals, export."""
    ledger = services.ledger_for(engine, who)
    kinds = ("appropriation", "expected", "estimate", "proposal", "savings")
    parts = [str(ledger.lines.to_dicts()), str(ledger.agreements.to_dicts()), str(ledger.initiatives.to_dicts())]
    for by in (["year"], ["year", "agreement", "initiative"], ["kind"], ["region"]):
        parts.append(str(breakdown(ledger, by, Filters(kinds=kinds, until=2030), depth=3).to_dicts()))
    parts.append(interchange(ledger).write_csv())
    return "\n".join(parts)


@pytest.mark.parametrize("role", ROLES)
def test_confidential_figures_reach_only_those_with_the_right(with_secret, role):
    text = everything_a_reader_gets(with_secret, actor(role))
    visible = role != "reader"
    assert ("4711.5" in text) is visible
    assert ("Fortroligt punkt 2" in text) is visible
    assert ("Hemmeligt initiativ" in text) is visible


def test_totals_shown_to_a_reader_are_computed_from_what_they_may_see(with_secret):
    def total_2026(role):
        ledger = services.ledger_for(with_secret, actor(role))
        return breakdown(ledger, ["year"], Filters(kinds=["expected", "proposal"], year_from=2026, until=2026))["amount"].sum()

    assert total_2026("reader") == Decimal("111")  # the public proposal only
    assert total_2026("negotiator") == Decimal("111") + 2 * SECRET


@pytest.mark.parametrize("role, allowed", [("reader", False), ("negotiator", False), ("finance", True), ("admin", True)])
def test_only_finance_staff_and_administrators_write(seeded, role, allowed):
    current = store.load(seeded)
    edit = with_amount(current.lines.filter(pl.col("initiative_id") == "foedeomraadet"), "70")
    changes = diff(current, {"lines": edit})
    if allowed:
        services.commit_as(seeded, actor(role), changes, "correct", "new text")
    else:
        with pytest.raises(Forbidden):
            services.commit_as(seeded, actor(role), changes, "correct", "new text")
        assert store.load(seeded).lines.equals(current.lines)
        assert store.journal(seeded)["action"].to_list()[-1] == "refused"


@pytest.mark.parametrize("role", ["reader", "negotiator"])
def test_a_reader_cannot_preview_an_import(seeded, role, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("initiative_id,year_from,region,amount_mio_dkk,kind,source\n", encoding="utf-8")
    with pytest.raises(Forbidden):
        services.plan_import_as(seeded, actor(role), path)


def test_with_no_users_everyone_is_the_single_administrator(engine):
    assert access.actor_named(engine, None) == SINGLE_ADMIN
    access.add_user(engine, SINGLE_ADMIN, "anna", "økonomi", "a long enough password")
    with pytest.raises(Forbidden, match="say who you are"):
        access.actor_named(engine, None)
    assert access.actor_named(engine, "anna") == Actor("anna", "finance")


def test_only_administrators_manage_users(engine):
    access.add_user(engine, SINGLE_ADMIN, "root", "administrator", "a long enough password")
    with pytest.raises(Forbidden):
        access.add_user(engine, Actor("bo", "finance"), "eve", "admin", "a long enough password")
    access.set_role(engine, Actor("root", "admin"), "root", "admin")
    with pytest.raises(ValueError, match="unknown role"):
        access.add_user(engine, Actor("root", "admin"), "x", "chef", "a long enough password")


def test_passwords_are_hashed_with_argon2_and_checked(engine):
    access.add_user(engine, SINGLE_ADMIN, "anna", "forhandler", "correct horse battery")
    import sqlalchemy as sa
    with engine.connect() as c:
        stored = c.execute(sa.text("SELECT password_hash FROM app_user")).scalar()
    assert stored.startswith("$argon2") and "correct horse" not in stored
    assert access.sign_in(engine, "anna", "correct horse battery") == Actor("anna", "negotiator")
    with pytest.raises(SignInFailed):
        access.sign_in(engine, "anna", "wrong")
    with pytest.raises(SignInFailed):
        access.sign_in(engine, "nobody", "wrong")
    actions = store.journal(engine)["action"].to_list()
    assert actions[-3:] == ["sign-in", "sign-in-refused", "sign-in-refused"]


def test_single_sign_on_takes_known_users_only_and_journals_both(engine):
    access.add_user(engine, SINGLE_ADMIN, "lis@region.example", "reader", None)  # --sso: no password
    assert access.sign_in_external(engine, "lis@region.example") == Actor("lis@region.example", "reader")
    with pytest.raises(Forbidden):
        access.sign_in_external(engine, "eve@elsewhere.example")
    entries = store.journal(engine).select("author", "action", "reason").rows()[-2:]
    assert entries == [("lis@region.example", "sign-in", "single sign-on"),
                       ("eve@elsewhere.example", "sign-in-refused", "single sign-on: unknown or disabled user")]


def test_repeated_failed_sign_ins_are_slowed_down(engine):
    access.add_user(engine, SINGLE_ADMIN, "anna", "reader", "correct horse battery")
    start = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    waits = []
    for attempt in range(5):
        with pytest.raises(SignInFailed) as failed:
            access.sign_in(engine, "anna", "wrong", now=start + timedelta(hours=attempt))
        waits.append(failed.value.wait)
    assert waits[:2] == [None, None] and waits[2] < waits[3] < waits[4]
    # while blocked even the right password is refused
    blocked_at = start + timedelta(hours=4, seconds=1)
    with pytest.raises(SignInFailed, match="too many"):
        access.sign_in(engine, "anna", "correct horse battery", now=blocked_at)
    assert access.sign_in(engine, "anna", "correct horse battery", now=start + timedelta(hours=5)).role == "reader"


def test_a_disabled_user_cannot_sign_in(engine):
    access.add_user(engine, SINGLE_ADMIN, "anna", "reader", "correct horse battery")
    access.add_user(engine, SINGLE_ADMIN, "root", "admin", "another long password")
    access.disable(engine, Actor("root", "admin"), "anna")
    with pytest.raises(SignInFailed):
        access.sign_in(engine, "anna", "correct horse battery")
    with pytest.raises(Forbidden):
        access.actor_named(engine, "anna")
