"""Finance staff in the app (issue 5), through Streamlit's AppTest on a fresh seeded ledger with
users: the grid of an initiative's lines and the forms (valid, invalid, errors in Danish beside
their row or field, nothing stored until valid), removal with a reason, a second writer's
conflict, the import (every error with its spreadsheet row, then new/changed/unchanged, then one
transaction), the history and the journal, "as of" a date, and no write page for a reader or a
negotiator."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from ledger import store
from ledger.changes import diff
from ledger.db import engine_for
from tracker import services

from .builders import add_users, correct_line
from .headless_app import PAGES, popovers, sign_in

AKUT = "akutpsykiatri"  # lines 21 (2025: 112,5) and 22 (2026 and on: 150)


@pytest.fixture
def ledger_url(app_ledger_url):
    """The seed ledger with a reader, a negotiator and two of finance staff, anna and bo."""
    engine = services.open_ledger(app_ledger_url)
    services.init(engine)
    add_users(engine, lis="læser", frede="forhandler", anna="økonomi", bo="økonomi")
    engine.dispose()
    return app_ledger_url


@pytest.fixture
def engine(ledger_url):
    opened = engine_for(ledger_url)
    yield opened
    opened.dispose()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def grid(at: AppTest):
    editors = at.data_editor
    assert len(editors) == 1, "one grid on the page"
    return editors[0]


def edit_grid(at: AppTest, edited: dict | None = None, added: list | None = None, deleted: list | None = None,
              reason: str | None = None) -> AppTest:
    """Edit the grid as a user would in the browser (the edit state the grid sends), then save."""
    key = grid(at).key
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    if reason is not None:
        next(w for w in at.text_input if (w.key or "").startswith("grid_reason_")).input(reason)
    at.button(key=f"save_{key}").click().run()
    assert not at.exception, at.exception
    return at


def open_lines(at: AppTest, agreement: str, initiative: str) -> AppTest:
    at.selectbox(key="ret_aftale").set_value(agreement).run()
    at.selectbox(key="ret_ini").set_value(initiative).run()
    assert not at.exception, at.exception
    return at


def lines_of(engine, initiative: str) -> pl.DataFrame:
    return store.load(engine).lines.filter(pl.col("initiative_id") == initiative).sort("id")


def has(row: dict, **expected) -> bool:
    return {k: row[k] for k in expected} == expected


def flat(at: AppTest) -> list[tuple[str, str]]:
    """The page's elements in order: (type, label or text)."""
    out = []

    def walk(node):
        kind = getattr(node, "type", "")
        text = getattr(node, "label", None) or getattr(node, "value", None)
        if kind and not isinstance(text, (list, dict)):
            out.append((kind, str(text)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


# --- who gets the write pages ----------------------------------------------------------------


@pytest.mark.parametrize("name, opens", [("lis", []), ("frede", ["historik"]), ("anna", ["indtastning", "importer",
                                                                                          "historik"])])
def test_write_pages_only_for_finance_staff(ledger_url, name, opens):
    at = sign_in(name)
    for page in ("indtastning", "importer", "historik"):
        if page in opens:
            at.switch_page(f"{PAGES}/{page}.py").run()
            assert not at.exception, at.exception
            assert "Din rolle giver ikke adgang til denne side." not in errors(at)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"{PAGES}/{page}.py")


def test_opening_the_entry_page_leaves_its_defaults_out_of_the_address(ledger_url):
    # a parameter written as a page opens would be a browser history entry of its own
    at = sign_in("anna", "indtastning")
    assert not {"ret", "ret_aftale", "ret_ini"} & set(at.query_params)
    at = open_lines(at, "akutpsykiatri-2025", AKUT)
    assert at.query_params["ret_aftale"] == "akutpsykiatri-2025"


# --- the grid --------------------------------------------------------------------------------


def test_grid_shows_the_lines_and_saves_an_edit_and_a_new_line_in_one_entry(ledger_url, engine):
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    shown = grid(at).value
    assert list(shown["amount"]) == ["112,5", "150"] and list(shown["year_to"]) == ["2025", "varigt"]
    at = edit_grid(at, edited={0: {"amount": "120"}},
                   added=[{"year_from": 2027, "year_to": "2028", "region": "nordjylland", "amount": "12,25",
                           "kind": "expected", "source_id": "s001-akutpsyk"}],
                   reason="Rettet efter ØA 2026, s. 12")
    assert errors(at) == []
    assert at.success[0].value == "Gemt som ændring nr. 7: 1 ny, 1 rettet linje(r)."
    lines = lines_of(engine, AKUT)
    assert lines["amount"].to_list() == [Decimal("120"), Decimal("150"), Decimal("12.25")]
    assert has(lines.row(2, named=True), region="nordjylland", year_from=2027, year_to=2028, kind="expected",
               classification="public")
    entry = store.journal(engine).row(-1, named=True)
    assert (entry["author"], entry["action"], entry["reason"]) == ("anna", "edit", "Rettet efter ØA 2026, s. 12")
    assert list(grid(at).value["amount"]) == ["120", "150", "12,25"]  # the grid shows the ledger as saved


def test_grid_errors_stand_beside_their_rows_and_nothing_is_stored(ledger_url, engine):
    before = store.load(engine)
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    at = edit_grid(at, edited={1: {"amount": "-5"}},
                   added=[{"year_from": 2027, "year_to": "2026", "region": "hele-landet", "amount": "12,3x",
                           "kind": "expected", "source_id": "s001-akutpsyk"},
                          {"year_from": 2027, "region": "hovedstaden", "amount": "1", "kind": "estimate",
                           "source_id": "s001-akutpsyk"}])
    assert "Intet er gemt: 3 række(r) har fejl (se kolonnen Fejl). Dine indtastninger står her stadig." in errors(at)
    shown = grid(at).value
    assert list(shown["amount"]) == ["112,5", "-5", "12,3x", "1"]  # the input stays
    assert shown.loc[1, "error"] == ""
    assert "beløbet -5 er negativt" in shown.loc[2, "error"]
    assert "'12,3x' er ikke et beløb i mio. kr." in shown.loc[3, "error"]
    assert "slutår 2026 ligger før startår 2027" in shown.loc[3, "error"]
    assert "regionen 'hovedstaden' findes ikke i 2027" in shown.loc[4, "error"]
    assert store.load(engine).lines.equals(before.lines)
    assert store.journal(engine)["action"].to_list().count("edit") == 0

    # mend them: fix the amount and the years, drop the regional row
    at = edit_grid(at, edited={1: {"amount": "155"}, 2: {"amount": "12,3", "year_to": "varigt"}}, deleted=[3],
                   reason="ØA 2026")
    assert errors(at) == [] and at.success[0].value.startswith("Gemt som ændring nr.")
    assert lines_of(engine, AKUT)["amount"].to_list() == [Decimal("112.5"), Decimal("155"), Decimal("12.3")]


def test_a_correction_needs_a_reason(ledger_url, engine):
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    at = edit_grid(at, edited={0: {"amount": "113"}})
    assert "Skriv en begrundelse: en rettelse eller fjernelse skal begrundes." in errors(at)
    assert "Intet er gemt: begrundelsen mangler." in errors(at)
    assert lines_of(engine, AKUT)["amount"][0] == Decimal("112.5")
    # with a reason it is saved (the browser sends the grid's edits again with the form)
    edit_grid(at, edited={0: {"amount": "113"}}, reason="Tastefejl")
    assert lines_of(engine, AKUT)["amount"][0] == Decimal("113")
    assert store.journal(engine).row(-1, named=True)["action"] == "correct"


def test_removing_a_line_records_its_reversal(ledger_url, engine):
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    at = edit_grid(at, deleted=[0])
    assert "Skriv en begrundelse: en rettelse eller fjernelse skal begrundes." in errors(at)
    assert lines_of(engine, AKUT).height == 2
    at = edit_grid(at, deleted=[0], reason="Dobbeltført")
    assert lines_of(engine, AKUT)["id"].to_list() == [22]
    removed = store.history(engine, "lines", [21]).row(0, named=True)
    assert (removed["closed_by"], removed["closed_reason"]) == ("anna", "Dobbeltført")
    assert store.journal(engine).row(-1, named=True)["action"] == "remove"

    # the history of the line: its version, then the reversal
    at.switch_page(f"{PAGES}/historik.py").run()
    at.segmented_control(key="hist").set_value("emne").run()
    at.selectbox(key="h_aftale").set_value("akutpsykiatri-2025").run()
    at.selectbox(key="h_ini").set_value(AKUT).run()
    at.selectbox(key="h_linje").set_value(21).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])
    assert list(table.columns) == ["Version 1", "Tilbageført"]
    assert table.loc["Beløb", "Version 1"] == "112,5" and table.loc["Beløb", "Tilbageført"] == "-112,5"
    assert table.loc["Af", "Tilbageført"] == "anna" and table.loc["Begrundelse", "Tilbageført"] == "Dobbeltført"


# --- the forms -------------------------------------------------------------------------------


def test_a_new_agreement_with_errors_beside_the_fields_then_valid(ledger_url, engine):
    at = sign_in("anna", "indtastning")
    at.segmented_control(key="ret").set_value("aftale").run()
    prefix = "agreements_ny_0"
    at.text_input(key=f"{prefix}_title").input("Aftale om sundhedsreform 2025")
    at.text_input(key=f"{prefix}_date_agreed").input("2025-13")
    at.button(key=f"save_{prefix}").click().run()
    assert not at.exception, at.exception
    assert "datoen '2025-13' er ikke ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD" in errors(at)
    order = flat(at)
    date_at = order.index(("text_input", "Dato"))
    assert order[date_at + 1][0] == "error" and "2025-13" in order[date_at + 1][1]  # right under the field
    assert "sundhedsreform" not in " ".join(store.load(engine).agreements["id"].to_list())

    at.text_input(key=f"{prefix}_date_agreed").input("2024-11-15")
    at.button(key=f"save_{prefix}").click().run()
    assert errors(at) == []
    made = store.load(engine).agreements.filter(pl.col("id") == "aftale-om-sundhedsreform-2025")
    assert has(made.row(0, named=True), title="Aftale om sundhedsreform 2025", date_agreed="2024-11-15",
               kind="politisk aftale", status="agreed")
    assert store.journal(engine).row(-1, named=True)["action"] == "add"


def test_an_agreement_id_that_exists_is_refused_beside_the_id(ledger_url, engine):
    at = sign_in("anna", "indtastning")
    at.segmented_control(key="ret").set_value("aftale").run()
    at.text_input(key="agreements_ny_0_id").input("kraeftplan-v")
    at.text_input(key="agreements_ny_0_title").input("Kræftplan V igen")
    at.button(key="save_agreements_ny_0").click().run()
    assert "id 'kraeftplan-v' er brugt to gange" in errors(at)
    assert store.load(engine).agreements.filter(pl.col("id") == "kraeftplan-v")["title"].item() == "Kræftplan V"


def test_correcting_an_initiative_needs_a_reason(ledger_url, engine):
    at = sign_in("anna", "indtastning")
    at.segmented_control(key="ret").set_value("initiativ").run()
    at.selectbox(key="ret_aftale").set_value("akutpsykiatri-2025").run()
    at.selectbox(key="ret_ini").set_value(AKUT).run()
    prefix = f"initiatives_{AKUT}_0"
    at.text_input(key=f"{prefix}_title").input("Styrket akutpsykiatrisk hjælp")
    at.button(key=f"save_{prefix}").click().run()
    assert "Skriv en begrundelse: en rettelse eller fjernelse skal begrundes." in errors(at)
    at.text_input(key=f"{prefix}_reason").input("Titel som i aftaleteksten")
    at.button(key=f"save_{prefix}").click().run()
    assert errors(at) == []
    assert store.load(engine).initiatives.filter(pl.col("id") == AKUT)["title"].item() == "Styrket akutpsykiatrisk hjælp"
    entry = store.journal(engine).row(-1, named=True)
    assert (entry["action"], entry["reason"]) == ("correct", "Titel som i aftaleteksten")


def test_a_new_initiative_and_a_new_source(ledger_url, engine):
    at = sign_in("anna", "indtastning")
    at.segmented_control(key="ret").set_value("kilde").run()
    at.button(key="save_sources_ny_0").click().run()
    assert "id skal udfyldes" in errors(at)  # no document, so no id either
    at.text_input(key="sources_ny_0_document").input("Økonomiaftale 2026")
    at.text_input(key="sources_ny_0_case_no").input("EMN-2025-01234")
    at.text_input(key="sources_ny_0_date").input("2025-06")
    at.button(key="save_sources_ny_0").click().run()
    assert errors(at) == []
    assert store.load(engine).sources.filter(pl.col("id") == "oekonomiaftale-2026")["case_no"].item() == "EMN-2025-01234"

    at.segmented_control(key="ret").set_value("initiativ").run()
    at.selectbox(key="ret_aftale").set_value("akutpsykiatri-2025").run()
    at.selectbox(key="ret_ini").set_value("").run()
    prefix = "initiatives_ny_akutpsykiatri-2025_0"
    at.text_input(key=f"{prefix}_title").input("Akutpsykiatri i Nordjylland")
    at.selectbox(key=f"{prefix}_parent_id").set_value(AKUT)
    at.button(key=f"save_{prefix}").click().run()
    assert errors(at) == []
    made = store.load(engine).initiatives.filter(pl.col("id") == "akutpsykiatri-i-nordjylland").row(0, named=True)
    assert (made["agreement_id"], made["parent_id"]) == ("akutpsykiatri-2025", AKUT)


# --- two writers -----------------------------------------------------------------------------


def test_a_second_writer_gets_the_others_change_never_a_silent_overwrite(ledger_url, engine):
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    # bo saves between anna's opening the grid and her saving
    correct_line(engine, 21, "115", author="bo", reason="ØA 2026 s. 4")
    at = edit_grid(at, edited={0: {"amount": "120"}}, reason="Anna retter")
    shown = errors(at)
    assert "Intet er gemt: en anden har ændret det samme, efter du hentede det." in shown
    text = " ".join(m.value for m in at.markdown)
    assert "Linje 21: 2025, Hele landet, bevilling er ændret af bo" in text and "(«ØA 2026 s. 4»)" in text
    theirs = next(d.value for d in at.dataframe if "Deres værdi (nu i ledgeren)" in d.value.columns)
    assert theirs.iloc[0].tolist() == ["Beløb", "115", "120"]
    assert lines_of(engine, AKUT)["amount"][0] == Decimal("115")  # bo's change stands
    assert list(grid(at).value["amount"]) == ["120", "150"]  # anna's input stays

    # anna decides to save her value over bo's, knowingly
    at.button(key=f"keep_lines_{AKUT}").click().run()
    at.button(key=f"save_{grid(at).key}").click().run()
    assert errors(at) == []
    line = lines_of(engine, AKUT).row(0, named=True)
    assert (line["amount"], line["version"]) == (Decimal("120"), 3)


def test_a_conflict_in_a_form_and_throwing_ones_own_change_away(ledger_url, engine):
    at = sign_in("anna", "indtastning")
    at.segmented_control(key="ret").set_value("aftale").run()
    at.selectbox(key="ret_aftale_form").set_value("foedeomraadet").run()
    prefix = "agreements_foedeomraadet_0"
    seen = store.load(engine)
    changed = seen.agreements.filter(pl.col("id") == "foedeomraadet").with_columns(pl.lit("V, SF, K").alias("parties"))
    store.commit(engine, diff(seen, {"agreements": changed}), author="bo", action="correct", reason="Parterne")
    at.text_input(key=f"{prefix}_parties").input("V, S")
    at.text_input(key=f"{prefix}_reason").input("Parterne efter aftaleteksten")
    at.button(key=f"save_{prefix}").click().run()
    assert "Intet er gemt: en anden har ændret det samme, efter du hentede det." in errors(at)
    assert "er ændret af bo" in " ".join(m.value for m in at.markdown)
    assert at.text_input(key=f"{prefix}_parties").value == "V, S"
    assert store.load(engine).agreements.filter(pl.col("id") == "foedeomraadet")["parties"].item() == "V, SF, K"
    at.button(key="discard_agreements_foedeomraadet").click().run()
    assert at.text_input(key="agreements_foedeomraadet_1_parties").value == "V, SF, K"


# --- import ----------------------------------------------------------------------------------

HEADER = "agreement_id;initiative_id;year_from;year_to;region;amount_mio_dkk;kind;source;note\n"
BAD = HEADER + (
    "akutpsykiatri-2025;akutpsykiatri;2025;;Hele landet;112,5;bevilling;s001-akutpsyk;Afsat til regionerne\n"      # 2: unchanged
    "akutpsykiatri-2025;akutpsykiatri;2027;;Region Hovedstaden;10;forventet;s001-akutpsyk;\n"  # 3: no such region then
    "akutpsykiatri-2025;akutpsykiatri;20x6;;Hele landet;abc;forventet;s001-akutpsyk;\n"        # 4: year, amount
    "akutpsykiatri-2025;ukendt;2026;;Hele landet;5;bevilling;s001-akutpsyk;\n"                 # 5: unknown initiative
)
GOOD = HEADER + (
    "akutpsykiatri-2025;akutpsykiatri;2025;;Hele landet;112,5;bevilling;s001-akutpsyk;Afsat til regionerne\n"
    "akutpsykiatri-2025;akutpsykiatri;2026;varigt;Hele landet;160;bevilling;s001-akutpsyk;Efter ØA 2026\n"
    "akutpsykiatri-2025;akutpsykiatri;2027;;Nordjylland;10;forventet;s001-akutpsyk;\n"
)


def test_import_lists_every_error_then_previews_and_writes_in_one_transaction(ledger_url, engine):
    at = sign_in("anna", "importer")
    assert [b.label for b in at.get("download_button")][:2] == ["Skabelon (tom)", "Skabelon med ledgerens linjer"]
    at.file_uploader(key="import_file_0").upload("akut.csv", BAD.encode(), "text/csv").run()
    assert not at.exception, at.exception
    assert errors(at)[0].startswith("akut.csv har 4 fejl i 3 række(r). Intet er gemt.")
    table = at.dataframe[0].value
    assert table["Række"].tolist() == [3, 4, 4, 5]
    assert table["Kolonne"].tolist()[1:3] == ["Beløb", "Startår"]
    assert "regionen 'hovedstaden' findes ikke i 2027" in table["Fejl"][0]
    assert "ukendt initiativ 'ukendt'" in " ".join(table["Fejl"])
    assert at.get("progress")[0].value == 100
    assert "import_confirm" not in [b.key for b in at.button]
    journal_before = store.journal(engine).height

    at.file_uploader(key="import_file_0").set_value(("akut.csv", GOOD.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert errors(at) == []
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Nye linjer": "1", "Rettede linjer": "1", "Uændrede linjer": "1"}
    new, changed = (d.value for d in at.dataframe)
    assert new.iloc[0][["Række", "År", "Region", "Beløb"]].tolist() == [4, "2027", "Region Nordjylland", "10"]
    assert changed.iloc[0][["Række", "Linje", "Før", "Efter"]].tolist() == [3, 22, "150", "160"]
    assert "note: Afsat til regionerne → Efter ØA 2026" in changed.iloc[0]["Andre ændringer"]

    at.button(key="import_confirm").click().run()  # a correction: no reason, nothing written
    assert "Skriv en begrundelse: en rettelse eller fjernelse skal begrundes." in errors(at)
    assert store.journal(engine).height == journal_before
    at.text_input(key="import_reason_0").input("ØA 2026")
    at.button(key="import_confirm").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Importeret som ændring nr. 7: 1 ny, 1 rettet linje(r)."
    lines = lines_of(engine, AKUT)
    assert lines["amount"].to_list() == [Decimal("112.5"), Decimal("160"), Decimal("10")]
    entry = store.journal(engine).row(-1, named=True)
    assert (entry["author"], entry["action"], entry["reason"]) == ("anna", "import", "ØA 2026")

    # the new figures, and the journal entry with the values before and after
    at.switch_page(f"{PAGES}/historik.py").run()
    assert not at.exception, at.exception
    journal = at.dataframe[0].value
    assert journal.iloc[0][["Nr.", "Hvem", "Handling", "Begrundelse", "Ændringer"]].tolist() == [
        7, "anna", "import", "ØA 2026", "1 ny, 1 rettet linje(r)"]
    rows = at.dataframe[1].value
    assert ["Linje 22: 2026 og frem, Hele landet, bevilling", "Beløb", "150", "160"] in rows.values.tolist()


def test_import_a_file_that_is_not_the_format(ledger_url):
    at = sign_in("anna", "importer")
    at.file_uploader(key="import_file_0").upload("x.csv", b"what;ever\n1;2\n", "text/csv").run()
    assert errors(at)[0].startswith("Filen kan ikke læses som udvekslingsformatet: missing column(s)")


# --- history and the journal ------------------------------------------------------------------


def test_the_journal_filtered_by_author_action_and_reason(ledger_url, engine):
    correct_line(engine, 21, "115", author="bo", reason="ØA 2026 s. 4")
    at = open_lines(sign_in("anna", "indtastning"), "akutpsykiatri-2025", AKUT)
    edit_grid(at, edited={1: {"amount": "151"}}, reason="Anna retter 2026")
    at.switch_page(f"{PAGES}/historik.py").run()
    journal = at.dataframe[0].value
    assert journal["Hvem"].tolist() == ["anna", "bo", "tracker init"]  # ledger changes only, newest first
    at.multiselect(key="h_hvem").select("bo").run()
    assert at.dataframe[0].value["Begrundelse"].tolist() == ["ØA 2026 s. 4"]
    at.multiselect(key="h_hvem").unselect("bo").run()
    at.text_input(key="h_tekst").input("2026").run()
    assert at.dataframe[0].value["Hvem"].tolist() == ["anna", "bo"]
    at.multiselect(key="h_handling").select("sign-in").run()
    at.text_input(key="h_tekst").input("").run()
    assert "login" in at.dataframe[0].value["Handling"].tolist()
    assert at.query_params["h_handling"] == ["init", "correct", "sign-in"]  # the view is in the URL


def test_history_of_an_agreement_and_an_initiative(ledger_url, engine):
    correct_line(engine, 21, "115", author="bo", reason="ØA 2026 s. 4")
    at = sign_in("anna", "historik", hist="emne", h_aftale="akutpsykiatri-2025")
    assert not at.exception, at.exception
    versions = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])
    assert versions.loc["Titel", "Version 1"] == "Aftale om styrket akutpsykiatrisk hjælp"
    events = at.dataframe[1].value
    assert events.iloc[0][["Hvem", "Handling", "Begrundelse", "Ændring"]].tolist() == [
        "bo", "rettet", "ØA 2026 s. 4", "beløb: 112,5 → 115"]
    at.selectbox(key="h_ini").set_value(AKUT).run()
    at.selectbox(key="h_linje").set_value(21).run()
    line = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])
    assert list(line.columns) == ["Version 1", "Version 2"]
    assert (line.loc["Beløb", "Version 1"], line.loc["Beløb", "Version 2"]) == ("112,5", "115")
    assert (line.loc["Af", "Version 2"], line.loc["Begrundelse", "Version 2"]) == ("bo", "ØA 2026 s. 4")


# --- as of a date ----------------------------------------------------------------------------


@pytest.fixture
def dated_ledger(app_ledger_url, monkeypatch):
    """The seed ledger written on 15 January 2025, line 24 (fødeområdet, 68,2) corrected to 70
    on 1 March 2025, and a finance user."""
    engine = services.open_ledger(app_ledger_url)
    with monkeypatch.context() as patched:
        patched.setattr(store, "utcnow", lambda: datetime(2025, 1, 15, 9, tzinfo=timezone.utc))
        services.init(engine)
    correct_line(engine, 24, "70", author="bo", reason="Ny beregning", at=datetime(2025, 3, 1, 12, tzinfo=timezone.utc))
    add_users(engine, anna="økonomi")
    return engine


def test_every_page_as_it_stood_on_a_date(dated_ledger):
    at = sign_in("anna", None, pr="2025-02-01")
    assert not at.exception, at.exception
    assert at.date_input(key="pr").value.isoformat() == "2025-02-01"
    assert popovers(at)[0] == "Ledgeren pr. 01.02.2025"  # the sidebar says so with the field closed
    assert at.warning[0].value.startswith("Du ser ledgeren, som den stod ved udgangen af 01.02.2025 (ændring nr. 1).")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["I år (2025)"] == "880,7 mio. kr."  # with 68,2 for fødeområdet
    for page in ("indtastning", "importer"):
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, at.exception
        assert "Der kan kun rettes i ledgeren, som den er nu" in at.info[0].value
        assert not at.data_editor and not at.get("file_uploader")
    at.switch_page(f"{PAGES}/historik.py").run()
    assert at.dataframe[0].value["Hvem"].tolist() == ["tracker init"]  # bo's correction came later
    assert "2025-02-01" in str(at.query_params["pr"])

    # back to now: the correction counts
    at.switch_page(f"{PAGES}/overblik.py").run()
    at.button(key="as_of_now").click().run()
    assert "pr" not in at.query_params
    assert {m.label: m.value for m in at.metric}["I år (2025)"] == "882,5 mio. kr."
    at.date_input(key="pr").set_value(datetime(2025, 3, 1).date()).run()
    assert {m.label: m.value for m in at.metric}["I år (2025)"] == "882,5 mio. kr."  # end of that day: included


def test_the_pages_in_english(ledger_url):
    at = sign_in("anna", "indtastning", sprog="en")
    assert [t.value for t in at.title] == ["Data entry"]
    at.switch_page(f"{PAGES}/importer.py").run()
    assert [t.value for t in at.title] == ["Import"]
    at.switch_page(f"{PAGES}/historik.py").run()
    assert [t.value for t in at.title] == ["History"] and at.dataframe[0].value.columns[0] == "No."
