"""The negotiators' brief opens in a real spreadsheet program: LibreOffice (headless) converts
every sheet to CSV, and the figures, the totals and the Danish number format are checked there.

LibreOffice comes from Debian's `libreoffice-calc`; without it these tests are skipped, except
where TRACKER_REQUIRE_LIBREOFFICE=1 (as in CI), where they fail.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.access import SINGLE_ADMIN
from tracker import negotiation
from tracker.brief import NOT_CONVERTED_DA, SHEETS, write_brief

D = Decimal
CAPACITY = (
    "initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
    "kraeft-kapacitet,2025,Hele landet,111,bevilling,s001-kapacitet\n"
    "kraeft-kapacitet,2026,Hele landet,111,bevilling,s001-kapacitet\n"
)
YEARS = [2025, 2026, 2027, 2028]


def _libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        if os.environ.get("TRACKER_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice not found but TRACKER_REQUIRE_LIBREOFFICE=1")
        pytest.skip("LibreOffice (Debian package libreoffice-calc) is not installed")
    return found


def convert(xlsx: Path, out: Path, danish: bool = False) -> dict[str, list[list[str]]]:
    """Every sheet as CSV rows, through LibreOffice. Plain: the cells' values (dot decimals).
    Danish: the cells as a Danish LibreOffice shows them (locale da-DK, 'as shown')."""
    exe = _libreoffice()
    out.mkdir(parents=True, exist_ok=True)
    # a fresh profile whose locale decides how numbers show (the machine's locale does not matter)
    profile = out / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        f'<value>{"da-DK" if danish else "en-US"}</value></prop></item></oor:items>\n', encoding="utf-8")
    # separator (, or ;), quote ", UTF-8, from row 1, -, language, quote text, detect numbers, as shown, ..., all sheets
    options = ("59,34,76,1,,1030,false,true,true,false,false,-1" if danish
               else "44,34,76,1,,1033,false,true,false,false,false,-1")
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=240,
        env={**os.environ, "HOME": str(out), "LC_ALL": "C.UTF-8"},  # UTF-8 file names (sheet "Udløber")
    )
    sheets = {}
    for name in SHEETS:
        path = out / f"{xlsx.stem}-{name}.csv"
        assert path.exists(), f"LibreOffice wrote no sheet '{name}': {sorted(p.name for p in out.iterdir())}"
        with path.open(encoding="utf-8", newline="") as f:
            sheets[name] = list(csv.reader(f, delimiter=";" if danish else ","))
    return sheets


def rows_labelled(sheet: list[list[str]], *labels: str) -> list[list[str]]:
    """Rows whose leading cells are the labels (in order)."""
    return [r for r in sheet if r[: len(labels)] == list(labels)]


def numbers(row: list[str], start: int, count: int) -> list[Decimal]:
    return [D(c) if c else D(0) for c in row[start:start + count]]


@pytest.fixture
def brief_files(seeded, tmp_path):
    path = tmp_path / "kapacitet.csv"
    path.write_text(CAPACITY, encoding="utf-8")
    negotiation.save_scenario_as(seeded, SINGLE_ADMIN, "Kapacitet fra Kræftplan V", path,
                                 description="222 mio. kr. årligt, et halvt år i 2025 og i 2026")
    ws = negotiation.open_workspace(seeded, price_level=2025, scenario="kapacitet-fra-kraeftplan-v",
                                    since=2025, until=2028, include_confidential=False)
    (tmp_path / "brief").mkdir()
    return write_brief(ws, tmp_path / "brief" / "oea-brief.xlsx")


@pytest.fixture
def sheets(brief_files, tmp_path):
    return convert(brief_files.xlsx, tmp_path / "csv")


def test_the_summary_sheet_in_a_spreadsheet_program(sheets):
    summary = sheets["Sammendrag"]
    header = next(r for r in summary if r and r[0] == "Post")
    assert header[1:6] == ["2025", "2026", "2027", "2028", "I alt 2025–2028"]
    ledger_decided, scenario_decided, difference = rows_labelled(summary, "Besluttet (bevillinger)")
    assert numbers(ledger_decided, 1, 5) == [D("880.7"), D("918.2"), D("918.2"), D("818.2"), D("3535.3")]
    assert numbers(scenario_decided, 1, 4) == numbers(ledger_decided, 1, 4)  # funded inside Kræftplan V
    not_drawn = rows_labelled(summary, "Heraf ikke udmøntet i rammer")
    assert numbers(not_drawn[0], 1, 4) == [D("582.3"), D("585.1"), D("585.1"), D("500")]
    assert numbers(not_drawn[1], 1, 4) == [D("471.3"), D("474.1"), D("585.1"), D("500")]
    assert numbers(not_drawn[2], 1, 5) == [D("-111"), D("-111"), 0, 0, D("-222")]
    unfunded = rows_labelled(summary, "Ufinansierede udgifter (kompensationskrav)")[0]
    assert numbers(unfunded, 1, 5) == [D("60.45")] * 4 + [D("241.8")]
    expired = rows_labelled(summary, "Udløbne midler (bortfaldet årligt beløb)")[0]
    assert numbers(expired, 1, 4) == [0, 0, 0, D("100")]
    for row in summary:  # every "I alt" cell is the sum of the years
        if row and row[0] and len(row) > 5 and re.fullmatch(r"-?[\d.]+", row[5] or "x") and row[0] != "Post":
            assert sum(numbers(row, 1, 4)) == D(row[5]), row
    text = "\n".join(",".join(r) for r in summary)
    assert "i 2025-pl" in text and "Scenarie: Kapacitet fra Kræftplan V" in text
    assert "24 linje(r) i ledgeren (og 2 i scenariet) har intet prisniveau" in text and "Kun offentlige tal" in text


def test_frames_expiring_and_unfunded_sheets(sheets):
    frames = sheets["Rammer"]
    assert numbers(rows_labelled(frames, "Kræftplan V", "Kræftplan V", "Rest (ikke udmøntet)")[0], 3, 4) == [D(500)] * 4
    life = rows_labelled(frames, "Strategi for life science (samlet ramme)", "Strategi for life science frem mod 2030",
                         "Rest (ikke udmøntet)")[0]
    assert numbers(life, 3, 3) == [D("82.3"), D("85.1"), D("85.1")] and life[6] == ""
    assert life[7] == NOT_CONVERTED_DA  # no seeded line has a price level: flagged, not converted
    for label, post in (("Rest (ikke udmøntet) i alt", "Rest (ikke udmøntet)"),
                        ("Rest efter forslag i alt", "Rest efter forslag")):
        total = rows_labelled(frames, label)[0]
        parts = [r for r in frames if len(r) > 2 and r[2] == post]
        for i in range(4):
            assert D(total[3 + i]) == sum((D(r[3 + i]) for r in parts if r[3 + i]), D(0))
    assert numbers(rows_labelled(frames, "Rest (ikke udmøntet) i alt")[0], 3, 4) == [
        D("582.3"), D("585.1"), D("585.1"), D("500")]

    expiring = sheets["Udløber"]
    life = rows_labelled(expiring, "Strategi for life science frem mod 2030")[0]
    assert life[1:7] == ["Strategi for life science (samlet ramme)", "bevilling", "2027", "2028", "100",
                         "s001-lifescience"]
    assert rows_labelled(expiring, "I alt (årligt bortfald)")[0][5] == "100"

    unfunded = sheets["Ufinansieret"]
    dose = "Regionernes udgift til dosispakning ved 60.000 ekstra patienter"
    assert numbers(rows_labelled(unfunded, dose, "Ny model for dosisdispensering: regionernes udgifter",
                                 "Ufinansieret")[0], 3, 4) == [D("60.45")] * 4
    assert numbers(rows_labelled(unfunded, "Kompensationskrav i alt")[0], 3, 4) == [D("60.45")] * 4


def test_proposals_scenario_and_sources_sheets(sheets):
    sheet = sheets["Forslag og scenarie"]
    capacity = rows_labelled(sheet, "Videreførelse af kapacitet 2. halvår 2025 og 1. halvår 2026", "Kræftplan V",
                             "Forslag")[0]
    assert numbers(capacity, 3, 4) == [D(111), D(111), 0, 0]
    assert numbers(rows_labelled(sheet, "Forslag i alt")[0], 3, 2) == [D(111), D(111)]
    rest = rows_labelled(sheet, "Kræftplan V", "Kræftplan V")
    assert [r[2] for r in rest] == ["Rest, ledger", "Rest, scenarie", "Forskel"]
    assert numbers(rest[2], 3, 4) == [D(-111), D(-111), 0, 0]
    changes = [r for r in sheet if len(r) > 1 and r[1] == "kraeft-kapacitet"]
    assert {r[0] for r in changes} == {"Videreførelse af kapacitet 2. halvår 2025 og 1. halvår 2026"}
    assert sorted((r[3], r[4], r[6], r[7], r[8]) for r in changes) == [
        ("bevilling", "2025", "", "111", "ny linje"), ("bevilling", "2026", "", "111", "ny linje"),
        ("forslag", "2025", "111", "", "forslag vedtaget"), ("forslag", "2026", "111", "", "forslag vedtaget")]

    sources = sheets["Kilder"]
    ids = {r[0] for r in sources if r}
    assert {"s002-dosis", "s001-lifescience", "s001-kraeftplan", "s001-kapacitet"} <= ids
    index = {r[0]: r[1] for r in sources if r and re.fullmatch(r"20\d\d", r[0]) and len(r) > 2 and r[2]}
    assert index["2025"] == "2.8" and index["2024"] == "4"
    assert len([r for r in sources if r and re.fullmatch(r"\d+", r[0]) and len(r) > 7 and r[7] == "ledger"]) == 24


def test_danish_number_format_as_a_danish_spreadsheet_shows_it(brief_files, tmp_path):
    sheets = convert(brief_files.xlsx, tmp_path / "csv-da", danish=True)
    decided = rows_labelled(sheets["Sammendrag"], "Besluttet (bevillinger)")[0]
    assert decided[1:6] == ["880,7", "918,2", "918,2", "818,2", "3.535,3"]
    unfunded = rows_labelled(sheets["Sammendrag"], "Ufinansierede udgifter (kompensationskrav)")[0]
    assert unfunded[1:6] == ["60,45", "60,45", "60,45", "60,45", "241,8"]
    assert rows_labelled(sheets["Rammer"], "Kræftplan V", "Kræftplan V", "Ramme")[0][3] == "600,0"


def test_frozen_headers_column_widths_and_sheet_order(brief_files):
    with zipfile.ZipFile(brief_files.xlsx) as z:
        workbook = z.read("xl/workbook.xml").decode()
        assert re.findall(r'<sheet name="([^"]+)"', workbook) == list(SHEETS)
        for n in range(1, len(SHEETS) + 1):
            sheet = z.read(f"xl/worksheets/sheet{n}.xml").decode()
            assert 'state="frozen"' in sheet, SHEETS[n - 1]
            assert "<cols>" in sheet and 'customWidth="1"' in sheet, SHEETS[n - 1]
        assert "SUM(" in z.read("xl/worksheets/sheet2.xml").decode()  # totals are formulas


def test_the_one_page_summary(brief_files, tmp_path):
    page = brief_files.html.read_text(encoding="utf-8")
    assert brief_files.html.name == "oea-brief.html"
    for text in ("880,7", "60,45", "582,3", "-111,0", "Kapacitet fra Kræftplan V", "Strategi for life science",
                 "i 2025-pl", "@page { size: A4 landscape"):
        assert text in page, text
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium not found but TRACKER_REQUIRE_BROWSER=1")
        pytest.skip("chromium (to print the page) is not installed")
    pdf = tmp_path / "summary.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'chromium'}", f"--print-to-pdf={pdf}", brief_files.html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes())
    assert len(pages) == 1, "the summary must print on one page"


def test_cli_brief_public_by_default_confidential_on_request(run, tmp_path):
    run("init")
    secret = tmp_path / "fortrolig.csv"
    secret.write_text(
        "agreement_id,agreement_title,initiative_id,initiative_title,year_from,year_to,region,amount_mio_dkk,kind,"
        "source,classification\n"
        "oea-udspil,ØA-udspil (fortroligt),oea-pulje,Pulje i udspillet,2025,varigt,Hele landet,42,bevilling,"
        "Fortroligt notat,fortrolig\n", encoding="utf-8")
    run("import", str(secret), "--author", "nina", "--reason", "udspil")
    path = tmp_path / "kapacitet.csv"
    path.write_text(CAPACITY, encoding="utf-8")
    run("scenario", "create", "Kapacitet", "--from", str(path))
    out = tmp_path / "brief.xlsx"
    today = date.today().isoformat()
    said = run("brief", "--as-of", today, "--price-level", "2025", "--scenario", "kapacitet",
               "--since", "2025", "--until", "2026", str(out))
    assert f"Wrote {out} and {out.with_suffix('.html')}." in said
    public = convert(out, tmp_path / "public")["Sammendrag"]
    assert numbers(rows_labelled(public, "Besluttet (bevillinger)")[0], 1, 2) == [D("880.7"), D("918.2")]
    assert "Pulje i udspillet" not in out.with_suffix(".html").read_text(encoding="utf-8")

    secret_out = tmp_path / "fortrolig-brief.xlsx"
    run("brief", "--confidential", "--since", "2025", "--until", "2026", str(secret_out))
    confidential = convert(secret_out, tmp_path / "confidential")["Sammendrag"]
    assert numbers(rows_labelled(confidential, "Besluttet (bevillinger)")[0], 1, 2) == [D("922.7"), D("960.2")]
    assert any(r and r[0] == "FORTROLIG: indeholder fortrolige tal." for r in confidential)
    assert "brief is an .xlsx workbook" in run("brief", str(tmp_path / "brief.pdf"), code=2)
