"""The command line, as a user types it (`run`, conftest.py: the command on a fresh database,
SQLite and PostgreSQL)."""

from __future__ import annotations

import json


def test_init_twice_changes_nothing(run):
    assert "Seeded the ledger: 22 sources, 12 agreements, 20 initiatives, 24 lines" in run("init")
    assert "nothing was changed" in run("init")


def test_validate_reports_the_500_600_statement_and_its_explanation(run):
    run("init")
    out = run("validate")
    assert "0 rule violation(s)" in out
    assert "Kræftplan V: 500 mio. kr. a year (2025 on): the ledger holds 600, difference 100" in out
    assert "the difference equals the sub-initiative 'Udvidet tilskud til tandpleje'" in out


def test_report_csv_has_one_column_per_dimension_and_dot_decimals(run):
    run("init")
    out = run("report", "--by", "year,agreement,initiative", "--until", "2026", "--format", "csv")
    header, *rows = out.strip().splitlines()
    assert header == "year,agreement_id,agreement_title,initiative_id,initiative_title,amount_mio_dkk"
    assert ("2025,akutpsykiatri-2025,Aftale om styrket akutpsykiatrisk hjælp,akutpsykiatri,"
            "Psykiatrisk akuttelefon og styrkede akutte psykiatriske tilbud,112.5") in rows
    assert not any(r.startswith("2027") for r in rows)


def test_report_json_and_kinds(run):
    run("init")
    out = json.loads(run("report", "--by", "kind", "--kind", "skøn", "--kind", "proposal", "--since", "2025",
                         "--until", "2025", "--format", "json"))
    assert out == [{"kind": "estimate", "amount_mio_dkk": "60.45"}, {"kind": "proposal", "amount_mio_dkk": "111"}]


def test_report_by_region_and_default_horizon(run):
    run("init")
    out = run("report", "--by", "region", "--format", "csv")
    assert out.splitlines()[0] == "region,amount_mio_dkk"
    assert "Hele landet," in out


def test_a_bad_kind_is_a_clear_error(run):
    run("init")
    assert "unknown kind 'gave'" in run("report", "--kind", "gave", code=2)


def test_import_prints_every_error_and_writes_nothing(run, tmp_path):
    run("init")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
        "personlig-medicin,2025,Hele landet,abc,forventet,s001-persmed\n"
        "personlig-medicin,2026,Atlantis,30,forventet,s001-persmed\n", encoding="utf-8")
    out = run("import", str(bad), code=1)
    assert "row 2, amount_mio_dkk = 'abc'" in out and "row 3, region = 'atlantis'" in out
    assert "2 error(s) in bad.csv; nothing was written." in out
    assert "personlig-medicin" not in run("report", "--by", "agreement", "--kind", "expected", "--format", "csv")


def test_export_edit_import_changes_only_the_edited_line(run, tmp_path):
    run("init")
    path = tmp_path / "ledger.csv"
    run("export", str(path))
    text = path.read_text(encoding="utf-8").replace(
        "foedeomraadet,Styrkelse af fødeområdet,,2025,varigt,Hele landet,68.2",
        "foedeomraadet,Styrkelse af fødeområdet,,2025,varigt,Hele landet,70")
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path), "--author", "anna", "--reason", "ny aftaletekst")
    assert "0 new, 1 changed, 23 unchanged" in out
    assert "2026,foedeomraadet,Aftale om styrkelse af fødeområdet,70" in run(
        "report", "--by", "year,agreement", "--format", "csv")


def test_journal_lists_every_change_with_who_and_why(run, tmp_path):
    run("init")
    path = tmp_path / "ledger.csv"
    run("export", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace(",68.2,", ",70,"), encoding="utf-8")
    run("import", str(path), "--author", "anna", "--reason", "ny aftaletekst")
    entries = json.loads(run("journal", "--format", "json"))
    assert [(e["author"], e["action"], e["reason"]) for e in entries] == [
        ("tracker init", "init", "seed ledger from the source documents"),
        ("anna", "import", "ny aftaletekst"),
    ]
    assert json.loads(entries[1]["summary"])["lines"]["changed"] == 1
    assert json.loads(run("journal", "--since", "2999-01-01", "--format", "json")) == []


def test_as_of_shows_the_ledger_as_it_stood(run, tmp_path):
    assert run("report", "--as-of", "2020-01-01", "--format", "csv").strip() == "year,agreement_id,agreement_title,amount_mio_dkk"
    run("init")
    entries = json.loads(run("journal", "--format", "json"))
    seeded_at = entries[0]["at"]
    path = tmp_path / "ledger.csv"
    run("export", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace(",68.2,", ",70,"), encoding="utf-8")
    run("import", str(path), "--author", "anna", "--reason", "ny aftaletekst")
    then = run("report", "--by", "year,agreement", "--until", "2025", "--as-of", seeded_at, "--format", "csv")
    now = run("report", "--by", "year,agreement", "--until", "2025", "--format", "csv")
    assert "2025,foedeomraadet,Aftale om styrkelse af fødeområdet,68.2" in then
    assert "2025,foedeomraadet,Aftale om styrkelse af fødeområdet,70" in now
    assert "not a date" in run("report", "--as-of", "xx", code=2)


def test_an_import_that_corrects_figures_needs_a_reason(run, tmp_path):
    run("init")
    path = tmp_path / "ledger.csv"
    run("export", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace(",68.2,", ",70,"), encoding="utf-8")
    assert "say why with --reason" in run("import", str(path), code=1)
    assert len(json.loads(run("journal", "--format", "json"))) == 1
