"""Scenarios: saved, listed and shown beside the ledger, refused like an import when a row breaks
a rule, and never a change to the ledger of record (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import polars as pl
import pytest
import sqlalchemy as sa

from ledger import scenarios, store
from ledger.access import SINGLE_ADMIN, Actor, Forbidden
from ledger.changes import diff
from ledger.imports import plan_file
from ledger.rules import RuleViolations
from tracker import negotiation

CAPACITY = (
    "initiative_id,year_from,region,amount_mio_dkk,kind,source,note\n"
    "kraeft-kapacitet,2025,Hele landet,111,bevilling,s001-kapacitet,2. halvår 2025\n"
    "kraeft-kapacitet,2026,Hele landet,111,bevilling,s001-kapacitet,1. halvår 2026\n"
)
TOO_MUCH = (  # more than Kræftplan V's 600 in 2025, and a region that does not exist
    "initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
    "kraeft-kapacitet,2025,Hele landet,555,bevilling,s001-kapacitet\n"
    "kraeft-kapacitet,2026,Atlantis,111,bevilling,s001-kapacitet\n"
)


def snapshot(engine) -> tuple:
    led = store.load(engine)
    return (led.lines.sort("id"), led.initiatives.sort("id"), led.agreements.sort("id"), store.journal(engine).height)


def same(a: tuple, b: tuple) -> bool:
    return all(x.equals(y) for x, y in zip(a[:3], b[:3])) and a[3] == b[3]


def save(engine, name, text, tmp_path, **kw):
    path = tmp_path / f"{scenarios.slugify(name)}.csv"
    path.write_text(text, encoding="utf-8")
    return negotiation.save_scenario_as(engine, SINGLE_ADMIN, name, path, **kw)


def test_a_scenario_is_saved_listed_and_found_by_id_or_name_and_leaves_the_ledger_unchanged(seeded, tmp_path):
    before = snapshot(seeded)
    saved = save(seeded, "Kapacitet fra Kræftplan V", CAPACITY, tmp_path, description="222 mio. kr. årligt, ½ år")
    assert saved.id == "kapacitet-fra-kraeftplan-v"  # safe in a link: ?scenario=kapacitet-fra-kraeftplan-v
    assert [s.id for s in scenarios.list_scenarios(seeded)] == [saved.id]
    for name in ("kapacitet-fra-kraeftplan-v", "Kapacitet fra Kræftplan V", "kapacitet fra kræftplan v"):
        found = scenarios.get(seeded, name)
        assert (found.name, found.description, found.created_by) == (
            "Kapacitet fra Kræftplan V", "222 mio. kr. årligt, ½ år", "administrator")
    assert scenarios.line_count(found) == 2

    ws = negotiation.open_workspace(seeded, scenario=saved.id, since=2025, until=2027)
    frames = ws.compared("frames").filter(pl.col("frame_id") == "kraeftplan-v")
    assert frames["remaining_ledger"].to_list() == [500, 500, 500]
    assert frames["remaining_scenario"].to_list() == [389, 389, 500]
    assert ws.compared("summary")["decided_difference"].to_list() == [0, 0, 0]
    effects = ws.effects()
    assert sorted(effects["effect"].to_list()) == ["forslag vedtaget"] * 2 + ["ny linje"] * 2
    assert same(before, snapshot(seeded))  # using a scenario writes nothing either


def test_a_scenario_whose_rows_break_the_rules_is_refused_with_the_import_messages(seeded, tmp_path):
    before = snapshot(seeded)
    path = tmp_path / "for-meget.csv"
    path.write_text(TOO_MUCH, encoding="utf-8")
    with pytest.raises(RuleViolations) as refused:
        negotiation.save_scenario_as(seeded, SINGLE_ADMIN, "For meget", path)
    as_import = plan_file(store.load(seeded), path).violations
    assert [v.as_text() for v in refused.value.violations] == [v.as_text() for v in as_import]
    texts = " | ".join(v.as_text() for v in refused.value.violations)
    assert "row 2" in texts and "children_within_parent" in texts
    assert "row 3, region = 'atlantis'" in texts
    assert scenarios.list_scenarios(seeded) == []
    assert same(before, snapshot(seeded))


def test_a_name_is_taken_once_unless_replaced(seeded, tmp_path):
    save(seeded, "Kapacitet", CAPACITY, tmp_path)
    with pytest.raises(scenarios.ScenarioExists):
        save(seeded, "kapacitet", CAPACITY, tmp_path)
    save(seeded, "Kapacitet", CAPACITY.replace(",111,", ",100,"), tmp_path, replace_existing=True,
         description="anden udgave")
    assert [s.description for s in scenarios.list_scenarios(seeded)] == ["anden udgave"]
    with pytest.raises(scenarios.ScenarioNotFound, match="no scenario 'ukendt'"):
        scenarios.get(seeded, "ukendt")


def test_a_scenario_follows_the_ledger_and_says_so_when_it_no_longer_fits(seeded, tmp_path):
    save(seeded, "Stor kapacitet", CAPACITY.replace(",111,", ",400,"), tmp_path)  # 100 + 400 <= 600: fits
    current = store.load(seeded)
    raised = current.lines.filter(pl.col("initiative_id") == "kraeftplan-v-tandpleje").with_columns(
        pl.lit(300).cast(current.lines["amount"].dtype).alias("amount"))
    store.commit(seeded, diff(current, {"lines": raised}), author="anna", action="correct", reason="ny aftaletekst")
    with pytest.raises(negotiation.ScenarioBroken) as broken:
        negotiation.open_workspace(seeded, scenario="stor-kapacitet", since=2025, until=2026)
    assert "no longer fits the ledger" in str(broken.value)
    assert any(v.rule == "children_within_parent" for v in broken.value.violations)


def test_scenarios_are_for_negotiators(seeded, tmp_path):
    reader = Actor(name="rita", role="reader")
    with pytest.raises(Forbidden):
        negotiation.workspace_as(seeded, reader, scenario="x")
    path = tmp_path / "k.csv"
    path.write_text(CAPACITY, encoding="utf-8")
    with pytest.raises(Forbidden):
        negotiation.save_scenario_as(seeded, reader, "K", path)
    negotiation.save_scenario_as(seeded, Actor(name="nina", role="negotiator"), "K", path)
    assert scenarios.get(seeded, "k").created_by == "nina"
    # a reader still sees the public workspace, without confidential figures
    assert negotiation.workspace_as(seeded, reader, since=2025, until=2025).include_confidential is False


def test_the_scenario_table_is_made_by_its_migration(engine):
    from alembic.script import ScriptDirectory

    from ledger.db import alembic_config

    assert "scenario" in sa.inspect(engine).get_table_names()
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision("0002").down_revision == "0001"
    with engine.connect() as c:
        current = [r[0] for r in c.execute(sa.text("SELECT version_num FROM alembic_version"))]
    applied = {rev.revision for head in current for rev in script.iterate_revisions(head, "base")}
    assert "0002" in applied


def test_xlsx_scenario_files_are_read_like_imports(seeded, tmp_path):
    path = tmp_path / "k.xlsx"
    pl.read_csv(CAPACITY.encode(), infer_schema_length=0).write_excel(path)
    saved = negotiation.save_scenario_as(seeded, SINGLE_ADMIN, "Fra regneark", path)
    assert scenarios.line_count(saved) == 2
    evaluation = scenarios.evaluate(store.load(seeded), saved.rows)
    assert evaluation.ok and evaluation.adopted.height == 2


# -- the command line ------------------------------------------------------------------------


def test_cli_scenario_create_list_show_and_report_beside_the_ledger(run, tmp_path):
    run("init")
    assert "No scenarios yet" in run("scenario", "list")
    path = tmp_path / "kapacitet.csv"
    path.write_text(CAPACITY, encoding="utf-8")
    before = run("export", str(tmp_path / "before.csv"))
    out = run("scenario", "create", "Kapacitet fra Kræftplan V", "--from", str(path), "--description", "½ år ad gangen")
    assert "Saved scenario 'Kapacitet fra Kræftplan V' (id kapacitet-fra-kraeftplan-v, 2 row(s))" in out
    assert "tracker scenario show kapacitet-fra-kraeftplan-v" in out
    listed = json.loads(run("scenario", "list", "--format", "json"))
    assert [(s["id"], s["rows"], s["description"]) for s in listed] == [
        ("kapacitet-fra-kraeftplan-v", 2, "½ år ad gangen")]

    shown = json.loads(run("scenario", "show", "kapacitet-fra-kraeftplan-v", "--since", "2025", "--until", "2026",
                           "--format", "json"))
    assert {(e["year_from"], e["kind"], e["effect"]) for e in shown["effects"]} == {
        (2025, "forslag", "forslag vedtaget"), (2025, "bevilling", "ny linje"),
        (2026, "forslag", "forslag vedtaget"), (2026, "bevilling", "ny linje")}
    assert [(t["year"], t["not_drawn_difference"]) for t in shown["totals"]] == [(2025, "-111"), (2026, "-111")]

    report = run("report", "--view", "frames", "--since", "2025", "--until", "2025", "--scenario",
                 "Kapacitet fra Kræftplan V", "--format", "csv")
    header, *rows = report.strip().splitlines()
    assert "remaining_ledger_mio_dkk,remaining_scenario_mio_dkk,remaining_difference_mio_dkk" in header
    kv = next(r for r in rows if r.startswith("kraeftplan-v,"))
    assert ",500,389,-111," in kv
    by_year = run("report", "--by", "year", "--since", "2025", "--until", "2025", "--scenario",
                  "kapacitet-fra-kraeftplan-v", "--format", "csv")
    assert by_year.strip().splitlines() == [
        "year,amount_ledger_mio_dkk,amount_scenario_mio_dkk,amount_difference_mio_dkk", "2025,880.7,880.7,0"]

    (tmp_path / "after.csv").unlink(missing_ok=True)
    run("export", str(tmp_path / "after.csv"))
    assert (tmp_path / "before.csv").read_text() == (tmp_path / "after.csv").read_text()
    assert before


def test_cli_refuses_a_bad_scenario_and_an_unknown_one(run, tmp_path):
    run("init")
    path = tmp_path / "bad.csv"
    path.write_text(TOO_MUCH, encoding="utf-8")
    out = run("scenario", "create", "Dårlig", "--from", str(path), code=1)
    assert "bad.csv: row 3, region = 'atlantis'" in out and "no scenario was saved" in out
    unknown = run("report", "--scenario", "Dårlig", code=2)
    assert "no scenario 'Dårlig'" in unknown and "known: none yet" in unknown
