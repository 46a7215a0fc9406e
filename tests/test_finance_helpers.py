"""What the app's finance pages stand on, without Streamlit: the grid and the forms as ledger
changes (`tracker.entry`), the import preview (`tracker.importing`), the template with its
drop-down lists (`tracker.template`) and the history shaped for reading (`tracker.history`).
Tests that take `seeded` run on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO

import polars as pl
import pytest

from ledger import store
from ledger.access import Actor, Forbidden
from ledger.changes import diff
from ledger.readers import INTERCHANGE_COLUMNS, read_table
from ledger.writers import interchange
from ledger.frames import Ledger
from tracker import entry, history, importing, services, template

from .builders import REGIONS, correct_line

ANNA = Actor("anna", "finance")
AKUT = "akutpsykiatri"  # lines 21 (2025: 112.5) and 22 (2026 on: 150)


def grid_as_read(ledger, initiative=AKUT):
    read = entry.grid_rows(ledger, initiative)
    return read, [dict(r, _row=i) for i, r in enumerate(read, start=1)]


# --- reading what people type ---------------------------------------------------------------


def test_the_grid_shows_amounts_as_they_read_back_and_permanent_lines_as_varigt(seeded):
    read = entry.grid_rows(store.load(seeded), AKUT)
    assert [(r["id"], r["year_from"], r["year_to"], r["amount"]) for r in read] == [
        (21, 2025, "2025", "112,5"), (22, 2026, "varigt", "150")]
    assert entry.grid_rows(store.load(seeded), AKUT, "en")[0]["amount"] == "112.5"
    assert entry.amount_text(Decimal("1234.500000")) == "1234,5"  # no thousands mark to misread


def test_parse_years_amounts_and_varigt():
    ledger = Ledger.of(regions=REGIONS)
    regions = {"region nordjylland": "nordjylland", "nordjylland": "nordjylland", "hele landet": "hele-landet"}
    line, bad = entry.parse_line({"year_from": 2026.0, "year_to": "", "region": "Region Nordjylland",
                                  "amount": "1.234,5", "kind": "forventet", "price_level": None,
                                  "source_id": "s", "classification": "", "note": " x "}, 3, ledger, "i", regions, "public")
    assert bad == []
    assert (line["year_from"], line["year_to"], line["region"], line["amount"], line["kind"], line["classification"],
            line["note"], line["_row"]) == (2026, 2026, "nordjylland", Decimal("1234.5"), "expected", "public", "x", 3)
    line, bad = entry.parse_line({"year_from": "2025", "year_to": "Varigt", "amount": "7"}, 4, ledger, "i", regions, "public")
    assert bad == [] and line["year_to"] is None
    line, bad = entry.parse_line({"year_from": "25", "year_to": "snart", "amount": "1,2,3x", "price_level": "pl"},
                                 5, ledger, "i", regions, "public")
    assert [(v.row, v.field, v.value, v.rule) for v in bad] == [
        (5, "year_from", "25", "year_format"), (5, "year_to", "snart", "year_format"),
        (5, "amount", "1,2,3x", "amount_format"), (5, "price_level", "pl", "year_format")]
    assert bad[2].message("da") == "'1,2,3x' er ikke et beløb i mio. kr. (højst seks decimaler)"


def test_slug():
    assert entry.slug("Aftale om styrkelse af fødeområdet 2025!") == "aftale-om-styrkelse-af-foedeomraadet-2025"
    assert entry.slug("  Økonomi & Sundhed ") == "oekonomi-sundhed"


# --- the grid as changes --------------------------------------------------------------------


def test_only_edited_rows_are_proposed_and_removed_rows_close_the_version_read(seeded):
    current = store.load(seeded)
    read, rows = grid_as_read(current)
    rows[1]["amount"] = "160"
    rows.append({"id": None, "year_from": 2027, "year_to": "", "region": "nordjylland", "amount": "5",
                 "kind": "expected", "source_id": "s001-akutpsyk", "_row": 3})
    rows.append({"id": None, "_row": 4})  # an empty row added by mistake
    proposal = entry.propose_lines(current, AKUT, read, rows[1:], next_id=100)  # row 1 deleted
    assert proposal.ok, [v.as_text() for v in proposal.violations]
    changes = proposal.changes
    assert changes.summary()["lines"] == {"added": 1, "changed": 1, "removed": 1, "unchanged": 0}
    assert changes.added["lines"]["id"].to_list() == [100]
    assert changes.removed["lines"].rows() == [(21, 1)]
    assert proposal.needs_reason and proposal.action == "edit"
    with pytest.raises(store.ReasonRequired):
        services.commit_as(seeded, ANNA, changes, proposal.action)
    services.commit_as(seeded, ANNA, changes, proposal.action, "ØA 2026")
    assert sorted(store.load(seeded).lines.filter(pl.col("initiative_id") == AKUT)["id"].to_list()) == [22, 100]


def test_a_grid_with_errors_names_each_row_and_writes_nothing(seeded):
    current = store.load(seeded)
    read, rows = grid_as_read(current)
    rows[0]["amount"] = "-1"
    rows.append({"id": None, "year_from": 2027, "year_to": "2026", "region": "sjaelland", "amount": "",
                 "kind": "appropriation", "source_id": "ukendt", "_row": 3})
    proposal = entry.propose_lines(current, AKUT, read, rows, next_id=100)
    found = {(v.row, v.rule) for v in proposal.violations}
    assert {(1, "amount_non_negative"), (3, "year_order"), (3, "required"), (3, "source_known")} <= found
    assert all(v.row in (1, 3) for v in proposal.violations)
    assert {v.field for v in proposal.at_row(3)} >= {"year_to", "amount", "source_id"}


def test_untouched_grid_rows_never_undo_someone_elses_change(seeded):
    current = store.load(seeded)
    read, rows = grid_as_read(current)
    # bo corrects line 22 after anna opened the grid; anna edits only line 21
    correct_line(seeded, 22, "155", author="bo", reason="bo")
    rows[0]["amount"] = "113"
    proposal = entry.propose_lines(store.load(seeded), AKUT, read, rows, next_id=100)
    services.commit_as(seeded, ANNA, proposal.changes, proposal.action, "anna")
    amounts = store.load(seeded).lines.filter(pl.col("initiative_id") == AKUT).sort("id")["amount"].to_list()
    assert amounts == [Decimal("113"), Decimal("155")]


def test_a_second_writer_on_the_same_line_gets_a_conflict_with_the_others_values(seeded):
    current = store.load(seeded)
    read, rows = grid_as_read(current)
    correct_line(seeded, 21, "115", author="bo", reason="ØA 2026")
    rows[0]["amount"] = "120"
    fresh = store.load(seeded)
    proposal = entry.propose_lines(fresh, AKUT, read, rows, next_id=100)
    assert proposal.changes.changed["lines"]["version"].to_list() == [1]  # the version anna read
    with pytest.raises(store.Conflict) as refused:
        services.commit_as(seeded, ANNA, proposal.changes, proposal.action, "anna")
    (note,) = entry.describe_conflict(refused.value, store.load(seeded), proposal.changes)
    assert note.text.startswith("Linje 21: 2025, Hele landet, bevilling er ændret af bo ")
    assert note.text.endswith("(«ØA 2026»), efter du hentede den.")
    assert note.fields == [("Beløb", "115", "120")]
    assert store.load(seeded).lines.filter(pl.col("id") == 21)["amount"].item() == Decimal("115")

    # keeping anna's values: read the row again, save over bo's version knowingly
    read, rows = entry.rebase(read, rows, store.load(seeded), [21])
    proposal = entry.propose_lines(store.load(seeded), AKUT, read, rows, next_id=100)
    services.commit_as(seeded, ANNA, proposal.changes, proposal.action, "anna, efter bo")
    assert store.load(seeded).lines.filter(pl.col("id") == 21)["version"].item() == 3


def test_a_line_removed_by_someone_else_is_a_conflict_not_a_new_line(seeded):
    current = store.load(seeded)
    read, rows = grid_as_read(current)
    store.commit(seeded, diff(current, {}, removals={"lines": [21]}), author="bo", action="remove", reason="dobbelt")
    rows[0]["amount"] = "120"
    proposal = entry.propose_lines(store.load(seeded), AKUT, read, rows, next_id=store.next_line_id(seeded))
    assert "lines" not in proposal.changes.added
    with pytest.raises(store.Conflict) as refused:
        services.commit_as(seeded, ANNA, proposal.changes, proposal.action, "anna")
    (note,) = entry.describe_conflict(refused.value, store.load(seeded), proposal.changes)
    assert "er fjernet af bo" in note.text and note.fields[0][1:] == ("(fjernet)", "120")


# --- forms as changes -----------------------------------------------------------------------


def test_a_form_proposes_a_new_row_or_a_correction_of_the_version_read(seeded):
    current = store.load(seeded)
    new = entry.propose_entity(current, "sources", {"document": "Økonomiaftale 2026", "date": "2025-06"}, None)
    assert new.ok and new.ref == "oekonomiaftale-2026" and new.action == "add" and not new.needs_reason
    bad = entry.propose_entity(current, "sources", {"document": "Økonomiaftale 2026", "date": "juni"}, None)
    assert [(v.field, v.rule, v.ref) for v in bad.violations] == [("date", "date_format", "oekonomiaftale-2026")]
    assert bad.at_field("sources", "oekonomiaftale-2026", "date")[0].message("da").startswith("datoen 'juni'")
    taken = entry.propose_entity(current, "agreements", {"id": "kraeftplan-v", "title": "x"}, None)
    assert [(v.field, v.rule) for v in taken.violations] == [("id", "id_unique")] and taken.is_empty

    read = entry.read_row(current, "agreements", "kraeftplan-v")
    same = entry.propose_entity(current, "agreements", read, read)
    assert same.ok and same.is_empty
    confidential = entry.propose_entity(current, "agreements", {**read, "classification": "confidential"}, read)
    assert {v.rule for v in confidential.violations} == {"classification_below_agreement"}  # its public lines
    assert confidential.elsewhere("agreements", "kraeftplan-v")  # shown below the form, not beside a field
    corrected = entry.propose_entity(current, "agreements", {**read, "parties": "Alle"}, read)
    assert corrected.ok and corrected.needs_reason and corrected.action == "correct"


# --- import ---------------------------------------------------------------------------------

CSV = ("initiative_id;year_from;region;amount_mio_dkk;kind;source;note\n"
       "akutpsykiatri;2025;Hele landet;112,5;bevilling;s001-akutpsyk;Afsat til regionerne\n"
       "akutpsykiatri;2030;Nordjylland;1;forventet;s001-akutpsyk;\n")


def test_the_preview_reports_its_progress_and_refuses_anyone_below_finance(seeded):
    seen = []
    shown = importing.preview(seeded, ANNA, "a.csv", CSV.encode(), lambda done, stage: seen.append((done, stage)))
    assert seen == [(0.0, "read_ledger"), (0.2, "read_file"), (0.5, "check"), (1.0, "done")]
    assert shown.ok and shown.counts()["lines"] == {"added": 1, "changed": 0, "removed": 0, "unchanged": 1}
    new, total = importing.new_lines(shown)
    assert total == 1 and new.row(0, named=True) == {
        "Række": 3, "Initiativ": "Psykiatrisk akuttelefon og styrkede akutte psykiatriske tilbud", "År": "2030", "Region": "Region Nordjylland", "Art": "forventet",
        "Beløb": "1", "Kilde": "s001-akutpsyk"}
    for role in ("reader", "negotiator"):
        with pytest.raises(Forbidden):
            importing.preview(seeded, Actor("x", role), "a.csv", CSV.encode())


def test_an_import_after_the_highest_numbered_line_was_removed_takes_a_new_number(seeded):
    current = store.load(seeded)
    top = current.lines["id"].max()
    store.commit(seeded, diff(current, {}, removals={"lines": [top]}), author="anna", action="remove", reason="fejl")
    shown = importing.preview(seeded, ANNA, "a.csv", CSV.encode())
    assert shown.plan.changes.added["lines"]["id"].to_list() == [top + 1]
    importing.confirm(seeded, ANNA, shown, "")
    assert store.next_line_id(seeded) == top + 2
    assert services.plan_import_as(seeded, ANNA, "a.csv", CSV.encode()).changes.summary()["lines"]["unchanged"] == 2


def test_the_error_table_names_spreadsheet_rows(seeded):
    bad = CSV + "akutpsykiatri;20x5;Hele landet;abc;bevilling;s001-akutpsyk;\n"
    shown = importing.preview(seeded, ANNA, "a.csv", bad.encode())
    table = importing.error_table(shown)
    assert table.columns == ["Række", "Kolonne", "Værdi", "Fejl"]
    assert table.rows() == [(4, "Beløb", "abc", "'abc' er ikke et beløb i mio. kr. (højst seks decimaler)"),
                            (4, "Startår", "20x5", "'20x5' er ikke et årstal (eller 'varigt')")]


# --- the template ---------------------------------------------------------------------------


def _sheet_xml(book: bytes, number: int) -> str:
    with zipfile.ZipFile(BytesIO(book)) as z:
        return z.read(f"xl/worksheets/sheet{number}.xml").decode()


def test_the_template_has_the_columns_and_drop_down_lists(seeded):
    ledger = store.load(seeded)
    book = template.template_xlsx(ledger)
    assert read_table("t.xlsx", book).columns == INTERCHANGE_COLUMNS  # the sheet the import reads comes first
    sheet = _sheet_xml(book, 1)
    lists = re.findall(r'<dataValidation type="list"[^>]*sqref="([A-Z]+)2:[A-Z]+\d+"><formula1>([^<]+)</formula1>', sheet)
    column = {name: chr(ord("A") + i) for i, name in enumerate(INTERCHANGE_COLUMNS)}
    assert sorted(lists) == sorted([(column["region"], "liste_region"), (column["kind"], "liste_kind"),
                                    (column["classification"], "liste_classification")])
    years = re.findall(r'<dataValidation type="whole"[^>]*sqref="([A-Z]+)2:[A-Z]+\d+"><formula1>2000</formula1><formula2>2100<', sheet)
    assert sorted(years) == sorted([column["year_from"], column["price_level"]])
    with zipfile.ZipFile(BytesIO(book)) as z:
        workbook = z.read("xl/workbook.xml").decode()
        shared = z.read("xl/sharedStrings.xml").decode()
    assert "lister!$A$2:$A$8" in workbook and 'state="hidden"' in workbook
    for word in ("Hele landet", "Region Østdanmark", "bevilling", "besparelse", "fortrolig"):
        assert word in shared


def test_a_template_filled_with_the_ledger_imports_as_unchanged(seeded):
    ledger = store.load(seeded)
    book = template.template_xlsx(ledger, interchange(ledger))
    shown = importing.preview(seeded, ANNA, "t.xlsx", book)
    assert shown.ok and shown.is_empty
    assert shown.counts()["lines"]["unchanged"] == ledger.lines.height


# --- history --------------------------------------------------------------------------------


def test_history_side_by_side_and_events_with_a_removal_as_reversal(seeded):
    current = store.load(seeded)
    correct_line(seeded, 21, "115", author="bo", reason="ØA 2026")
    store.commit(seeded, diff(store.load(seeded), {}, removals={"lines": [21]}), author="anna", action="remove", reason="dobbelt")
    versions = history.versions(seeded, "lines", [21])
    table, marks = history.side_by_side(versions, "lines", current)
    assert table.columns == ["Felt", "Version 1", "Version 2", "Tilbageført"]
    rows = {r["Felt"]: r for r in table.to_dicts()}
    assert (rows["Beløb"]["Version 1"], rows["Beløb"]["Version 2"], rows["Beløb"]["Tilbageført"]) == ("112,5", "115", "-115")
    assert (rows["Af"]["Version 2"], rows["Begrundelse"]["Tilbageført"]) == ("bo", "dobbelt")
    amount_row = table["Felt"].to_list().index("Beløb")
    assert marks[amount_row] == [False, False, True, True]
    events = history.events({"lines": versions}, current)
    assert events["Ændring"].to_list() == ["fjernet – tilbageført -115 mio. kr.", "beløb: 112,5 → 115", "ny: 112,5 mio. kr."]
    assert history.removed(versions)["id"].to_list() == [21]

    # as it stood before the removal
    moment = store.journal(seeded)["at"][-1]
    before = history.versions(seeded, "lines", [21], as_of=moment - (moment - store.journal(seeded)["at"][-2]) / 2)
    assert history.removed(before).height == 0 and before.height == 2

    entry_rows = history.entry_table(history.entry_versions(seeded, int(store.journal(seeded)["id"].max())), current)
    assert entry_rows.rows() == [("Linje 21: 2025, Hele landet, bevilling", "Beløb", "115", "fjernet: -115")]


def test_journal_filters_and_summaries():
    at = [datetime(2025, 1, 31, 23, 30, tzinfo=timezone.utc), datetime(2025, 2, 1, 10, tzinfo=timezone.utc),
          datetime(2025, 2, 2, 22, 30, tzinfo=timezone.utc)]
    journal = pl.DataFrame({
        "id": [1, 2, 3], "at": at, "author": ["tracker init", "anna", "bo"], "action": ["init", "import", "sign-in"],
        "reason": ["seed", "ØA 2026", ""],
        "summary": ['{"lines": {"added": 24, "changed": 0, "removed": 0, "unchanged": 0}}',
                    '{"lines": {"added": 1, "changed": 2, "removed": 0, "unchanged": 9}, '
                    '"agreements": {"added": 1, "changed": 0, "removed": 0, "unchanged": 0}}', "{}"],
    }, schema_overrides={"at": pl.Datetime("us", "UTC")})
    # 31 January 23:30 UTC is 1 February in Danish time; 2 February 22:30 UTC is 2 February 23:30
    assert history.filter_journal(journal, date(2025, 2, 1), date(2025, 2, 1))["id"].to_list() == [2, 1]
    assert history.filter_journal(journal, last_day=date(2025, 1, 31))["id"].to_list() == []
    assert history.filter_journal(journal, authors=["anna"], text="øa")["id"].to_list() == [2]
    assert history.filter_journal(journal, actions=["init", "import"], as_of=at[0])["id"].to_list() == [1]
    table = history.journal_table(journal)
    assert table.row(1) == (2, "01.02.2025 kl. 11:00", "anna", "import", "ØA 2026", "1 ny aftale(r); 1 ny, 2 rettede linje(r)")
    assert history.journal_table(journal, "en").row(0)[3:] == ("initial load", "seed", "24 new line(s)")
    assert history.end_of_day(date(2025, 6, 1)) == datetime(2025, 6, 1, 21, 59, 59, 999999, tzinfo=timezone.utc)


def test_the_import_bench_runs_on_a_small_ledger(tmp_path):
    from bench.import_bench import run
    from bench.synthetic import generate
    from ledger.writers import write_interchange

    ledger = generate(2_000, seed=7)
    xlsx = tmp_path / "new.xlsx"
    write_interchange(ledger, xlsx)
    result = run("new", ledger, xlsx, f"sqlite:///{tmp_path / 'bench.sqlite'}")
    assert (result["lines_in_file"], result["added"], result["lines_after"]) == (2_000, 2_000, 2_000)
    assert set(result["seconds"]) == {"read", "parse", "validate+diff", "write", "total"}
