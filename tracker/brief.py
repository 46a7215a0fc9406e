"""The negotiators' brief: an XLSX workbook to send on, and a printable one-page summary.

Sheets: Sammendrag (key figures per year), Rammer (each frame: frame, drawn, remaining),
Udløber (money that ends, with the yearly amount that falls away), Ufinansieret (estimated
costs with no appropriation: the compensation claims), Forslag og scenarie (proposals, and a
scenario beside the ledger), Kilder (every source behind the figures, the price index used,
and the lines shown as given for want of a price level).

Cells hold numbers, not text: amounts in mio. kr. with the number format `#,##0.0#`, which a
spreadsheet program shows in its own locale, so Danish Excel or LibreOffice shows 1.234,5 and
60,45. Totals are formulas (=SUM) with their value stored, so they show at once and follow
any edit. Headers are frozen and columns sized to their content.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Iterable, Sequence

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ledger.domain import KINDS, label
from ledger.money import danish

from .negotiation import Workspace
from .prices import level_label
from .workspace import LABELS_DA, SUMMARY_MEASURES, amounts_by_initiative

SHEETS = ("Sammendrag", "Rammer", "Udløber", "Ufinansieret", "Forslag og scenarie", "Kilder")
NUMBER_FORMAT = "#,##0.0#"  # one decimal always, a second when there is one; thousands grouped
TITLE = "ØA-brief: aftalte midler, rammer, udløb og ufinansierede udgifter"
NOT_CONVERTED_DA = "ikke omregnet (intet prisniveau)"


@dataclass(frozen=True)
class BriefFiles:
    xlsx: Path
    html: Path


def number(value: Decimal | None) -> str:
    """Danish text for the one-page summary, as the workbook shows it: 1.234,5 · 60,45."""
    if value is None:
        return ""
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    decimals = 1 if rounded == rounded.quantize(Decimal("0.1")) else 2
    return danish(rounded, decimals)


def _f(value) -> float | None:
    return None if value is None else float(value)


def _stamp(ws: Workspace, created: datetime) -> str:
    state = ws.as_of.strftime("%d.%m.%Y %H:%M") + " UTC" if ws.as_of else "nu"
    return (f"Udarbejdet {created.strftime('%d.%m.%Y')}; ledgeren som den stod: {state}; "
            f"år {ws.since}–{ws.until}; beløb i mio. kr., {level_label(ws.target)}")


def _scenario_line(ws: Workspace) -> str:
    if ws.scenario is None:
        return "Intet scenarie: kun ledgeren (besluttede og registrerede tal)."
    text = f"Scenarie: {ws.scenario.name}"
    return text + (f" – {ws.scenario.description}" if ws.scenario.description else "")


def has_confidential(ws: Workspace) -> bool:
    """Whether any confidential figure is shown (ledger or scenario)."""
    ledgers = [ws.record.ledger] + ([ws.scenario_side.ledger] if ws.scenario_side else [])
    return any(
        (led.lines["classification"] == "confidential").any() or (led.agreements["classification"] == "confidential").any()
        for led in ledgers
    )


def _confidential_line(ws: Workspace) -> str:
    if has_confidential(ws):
        return "FORTROLIG: indeholder fortrolige tal."
    if ws.include_confidential:
        return "Indeholder ingen fortrolige tal."
    return "Kun offentlige tal (fortrolige aftaler og linjer er udeladt)."


def _price_note(ws: Workspace) -> str | None:
    if ws.target is None:
        return ("Beløbene er vist i det prisniveau, kilderne angiver; linjer i forskellige prisniveauer er "
                "ikke omregnet.")
    lines = ws.unconverted_lines()
    if lines.height == 0:
        return f"Alle linjer er omregnet til {ws.target}-pl med pris- og lønindekset (se Kilder)."
    ledger_count = lines.filter(pl.col("side") == "ledger").height
    scenario_count = lines.height - ledger_count
    extra = f" (og {scenario_count} i scenariet)" if scenario_count else ""
    return (f"{ledger_count} linje(r) i ledgeren{extra} har intet prisniveau og er medtaget som angivet, ikke omregnet til "
            f"{ws.target}-pl; de er markeret '{NOT_CONVERTED_DA}' og listet under Kilder.")


class _Book:
    """The workbook and its formats."""

    def __init__(self, target):
        # a path, or a binary file object (the app's download)
        self.wb = xlsxwriter.Workbook(str(target) if isinstance(target, (str, Path)) else target,
                                      {"strings_to_numbers": False, "in_memory": True})
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.note = add({"italic": True, "font_color": "#444444"})
        self.warn = add({"bold": True, "font_color": "#9C0006"})
        self.header = add({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.header_num = add({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "align": "right", "valign": "top"})
        self.section = add({"bold": True, "font_size": 12})
        self.text = add({"valign": "top"})
        self.money = add({"num_format": NUMBER_FORMAT})
        self.money_bold = add({"num_format": NUMBER_FORMAT, "bold": True})
        self.total_label = add({"bold": True, "top": 1})
        self.total = add({"num_format": NUMBER_FORMAT, "bold": True, "top": 1})
        self.year = add({"num_format": "0"})
        self.pct = add({"num_format": "0.0##"})
        self.flag = add({"font_color": "#9C0006"})
        self.wb.set_properties({"title": TITLE, "subject": "Økonomiaftale", "author": "the tracker"})

    def sheet(self, name: str):
        ws = self.wb.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        return ws

    def close(self):
        self.wb.close()


def _widths(sheet, widths: Sequence[float], first: int = 0) -> None:
    for i, w in enumerate(widths):
        sheet.set_column(first + i, first + i, w)


def _text_width(values: Iterable, minimum: float = 8, maximum: float = 60) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return max(minimum, min(maximum, longest * 1.1 + 2))


def _sum_formula(cells: list[tuple[int, int]]) -> str:
    if not cells:
        return "=0"
    return "=SUM(" + ",".join(xl_rowcol_to_cell(r, c) for r, c in cells) + ")"


def _write_total(sheet, book: _Book, row: int, col: int, cells: list[tuple[int, int]], value) -> None:
    """A total: a formula over the cells, with its value stored so it shows without recalculation."""
    if len(cells) > 1 and _contiguous(cells):
        (r0, c0), (r1, c1) = cells[0], cells[-1]
        formula = f"=SUM({xl_rowcol_to_cell(r0, c0)}:{xl_rowcol_to_cell(r1, c1)})"
    else:
        formula = _sum_formula(cells)
    sheet.write_formula(row, col, formula, book.total, _f(value) if value is not None else 0)


def _contiguous(cells: list[tuple[int, int]]) -> bool:
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    if len(cols) == 1:
        return sorted(rows) == list(range(min(rows), max(rows) + 1))
    if len(rows) == 1:
        return sorted(cols) == list(range(min(cols), max(cols) + 1))
    return False


def _heading(sheet, book: _Book, ws: Workspace, created: datetime, title: str) -> int:
    sheet.write(0, 0, title, book.title)
    sheet.write(1, 0, _stamp(ws, created), book.note)
    sheet.write(2, 0, _scenario_line(ws), book.note)
    sheet.write(3, 0, _confidential_line(ws), book.warn if has_confidential(ws) else book.note)
    note = _price_note(ws)
    if note:
        sheet.write(4, 0, note, book.flag if ws.target is not None and ws.unconverted_lines().height else book.note)
    return 6  # the first row after the heading


# -- Sammendrag ------------------------------------------------------------------------------


def _summary_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Sammendrag")
    row = _heading(sheet, book, ws, created, TITLE)
    years = ws.years()
    header = ["Post"] + [str(y) for y in years] + [f"I alt {ws.since}–{ws.until}"]
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header if c == 0 else book.header_num)
    sheet.freeze_panes(row + 1, 1)
    row += 1

    def block(title: str | None, frame: pl.DataFrame, suffix: str) -> None:
        nonlocal row
        if title:
            sheet.write(row, 0, title, book.section)
            row += 1
        by_year = {r["year"]: r for r in frame.iter_rows(named=True)}
        for measure in SUMMARY_MEASURES:
            sheet.write(row, 0, LABELS_DA[measure], book.text)
            values = [by_year.get(y, {}).get(f"{measure}{suffix}") for y in years]
            for i, v in enumerate(values):
                sheet.write_number(row, 1 + i, _f(v) or 0.0, book.money)
            total = sum((v or Decimal(0) for v in values), Decimal(0))
            _write_total(sheet, book, row, 1 + len(years), [(row, 1 + i) for i in range(len(years))], total)
            row += 1

    if ws.has_scenario:
        compared = ws.compared("summary")
        block("Ledgeren", compared, "_ledger")
        row += 1
        block(f"Med scenariet: {ws.scenario.name}", compared, "_scenario")
        row += 1
        block("Forskel (scenarie - ledger)", compared, "_difference")
    else:
        block(None, ws.view("summary"), "")
    row += 1
    notes = [
        "Besluttet: bevillinger (afsatte midler); underinitiativer ('heraf') tælles ikke to gange.",
        "Ikke udmøntet: den del af rammerne, som underinitiativer endnu ikke trækker på (se Rammer).",
        f"Udløbne midler: årlige beløb, der er bortfaldet siden {ws.since} (se Udløber).",
        "Ufinansieret: skønnede udgifter uden en bevilling til samme initiativ og år: kompensationskrav (DUT).",
        "Forslag og forventede midler er ikke besluttede og indgår ikke i 'Besluttet'.",
    ]
    for text in notes:
        sheet.write(row, 0, text, book.note)
        row += 1
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, len(years), 11)
    sheet.set_column(1 + len(years), 1 + len(years), 14)


# -- Rammer ----------------------------------------------------------------------------------

FRAME_ROWS = [("frame", "Ramme"), ("drawn", "Udmøntet (underinitiativer)"), ("remaining", "Rest (ikke udmøntet)"),
              ("pending", "Forventet eller foreslået"), ("remaining_after_pending", "Rest efter forslag")]


def _wide_block(sheet, book: _Book, row: int, frame: pl.DataFrame, id_col: str, labels: list[str],
                rows: list[tuple[str, str]], years: list[int], flag: bool, totals: dict[str, str],
                suffix: str = "") -> int:
    """One group of rows per entity (id_col) and measure, one column per year, then a totals
    row per measure named in `totals` (measure -> label). Returns the next free row."""
    first_year_col = len(labels) + 1
    totals_cells: dict[str, dict[int, list]] = {m: {} for m in totals}
    totals_values: dict[str, dict[int, Decimal]] = {m: {} for m in totals}
    for key, group in frame.group_by(id_col, maintain_order=True):
        first = group.row(0, named=True)
        by_year = {r["year"]: r for r in group.iter_rows(named=True)}
        not_converted = flag and any(r.get("not_converted") for r in group.iter_rows(named=True))
        for measure, text in rows:
            for c, col in enumerate(labels):
                sheet.write(row, c, first[col], book.text)
            sheet.write(row, len(labels), text, book.text)
            for i, year in enumerate(years):
                value = by_year.get(year, {}).get(f"{measure}{suffix}")
                if value is None:
                    continue
                sheet.write_number(row, first_year_col + i, float(value), book.money)
                if measure in totals:
                    totals_cells[measure].setdefault(i, []).append((row, first_year_col + i))
                    totals_values[measure][i] = totals_values[measure].get(i, Decimal(0)) + value
            if flag:
                sheet.write(row, first_year_col + len(years), NOT_CONVERTED_DA if not_converted else "", book.flag)
            row += 1
    for measure, text in totals.items():
        sheet.write(row, 0, text, book.total_label)
        for c in range(1, first_year_col):
            sheet.write_blank(row, c, None, book.total_label)
        for i in range(len(years)):
            _write_total(sheet, book, row, first_year_col + i, totals_cells[measure].get(i, []),
                         totals_values[measure].get(i, Decimal(0)))
        row += 1
    return row


def _frames_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Rammer")
    row = _heading(sheet, book, ws, created, "Rammer: ramme, udmøntet og rest pr. år (ledgeren)")
    years = ws.years()
    frame = ws.view("frames")
    flag = ws.target is not None
    header = ["Ramme", "Aftale", "Post"] + [str(y) for y in years] + (["Prisniveau"] if flag else [])
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header_num if text.isdigit() else book.header)
    sheet.freeze_panes(row + 1, 3)
    row += 1
    if frame.height == 0:
        sheet.write(row, 0, "Ingen rammer med bevillinger i årene.", book.note)
    else:
        _wide_block(sheet, book, row, frame, "frame_id", ["frame_title", "agreement_title"], FRAME_ROWS, years, flag,
                    {"remaining": "Rest (ikke udmøntet) i alt", "remaining_after_pending": "Rest efter forslag i alt"})
    sheet.set_column(0, 0, _text_width(frame["frame_title"].to_list() + ["Rest (ikke udmøntet) i alt"], 20))
    sheet.set_column(1, 1, _text_width(frame["agreement_title"].to_list(), 16))
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 2 + len(years), 11)
    if flag:
        sheet.set_column(3 + len(years), 3 + len(years), 30)


# -- Udløber ---------------------------------------------------------------------------------


def _expiring_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Udløber")
    row = _heading(sheet, book, ws, created, f"Udløber: midler, der ophører inden for {ws.since}–{ws.until}")
    frame = ws.view("expiring")
    flag = ws.target is not None
    header = ["Aftale", "Initiativ", "Art", "Sidste år", "Bortfalder fra", "Årligt beløb", "Kilde"] + (
        ["Prisniveau"] if flag else [])
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header_num if c in (3, 4, 5) else book.header)
    sheet.freeze_panes(row + 1, 2)
    row += 1
    first = row
    for r in frame.iter_rows(named=True):
        sheet.write(row, 0, r["agreement_title"], book.text)
        sheet.write(row, 1, r["initiative_title"], book.text)
        sheet.write(row, 2, label(KINDS, r["kind"]), book.text)
        sheet.write_number(row, 3, r["last_year"], book.year)
        sheet.write_number(row, 4, r["falls_away_from"], book.year)
        sheet.write_number(row, 5, float(r["amount"]), book.money)
        sheet.write(row, 6, r["source_ids"] or "", book.text)
        if flag:
            sheet.write(row, 7, NOT_CONVERTED_DA if r["not_converted"] else "", book.flag)
        row += 1
    if frame.height == 0:
        sheet.write(row, 0, "Ingen midler udløber i årene.", book.note)
        row += 1
    sheet.write(row, 0, "I alt (årligt bortfald)", book.total_label)
    for c in range(1, 5):
        sheet.write_blank(row, c, None, book.total_label)
    _write_total(sheet, book, row, 5, [(r, 5) for r in range(first, row)] if frame.height else [],
                 frame["amount"].sum() if frame.height else Decimal(0))
    _widths(sheet, [_text_width(frame["agreement_title"].to_list() + ["I alt (årligt bortfald)"], 16),
                    _text_width(frame["initiative_title"].to_list(), 16), 12, 10, 13, 13,
                    _text_width(frame["source_ids"].to_list(), 10)])
    if flag:
        sheet.set_column(7, 7, 30)


# -- Ufinansieret ----------------------------------------------------------------------------

UNFUNDED_ROWS = [("estimate", "Skøn"), ("funded", "Heraf finansieret"), ("unfunded", "Ufinansieret")]


def _unfunded_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Ufinansieret")
    row = _heading(sheet, book, ws, created, "Ufinansieret: skønnede udgifter uden bevilling (kompensationskrav)")
    years = ws.years()
    frame = ws.view("unfunded")
    flag = ws.target is not None
    header = ["Initiativ", "Aftale", "Post"] + [str(y) for y in years] + (["Prisniveau"] if flag else [])
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header_num if text.isdigit() else book.header)
    sheet.freeze_panes(row + 1, 3)
    row += 1
    if frame.height == 0:
        sheet.write(row, 0, "Ingen ufinansierede skøn i årene.", book.note)
        row += 1
    row = _wide_block(sheet, book, row, frame, "initiative_id", ["initiative_title", "agreement_title"],
                      UNFUNDED_ROWS, years, flag, {"unfunded": "Kompensationskrav i alt"})
    sheet.write(row + 1, 0, "Kilder: " + ", ".join(sorted(set(frame["source_ids"].drop_nulls().to_list()))), book.note)
    sheet.set_column(0, 0, _text_width(frame["initiative_title"].to_list() + ["Kompensationskrav i alt"], 20))
    sheet.set_column(1, 1, _text_width(frame["agreement_title"].to_list(), 16))
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 2 + len(years), 11)
    if flag:
        sheet.set_column(3 + len(years), 3 + len(years), 30)


# -- Forslag og scenarie ---------------------------------------------------------------------


def proposals(ws: Workspace, side: str = "ledger") -> pl.DataFrame:
    """Proposal lines per initiative and year, with the frame each draws on."""
    led = ws.record.ledger if side == "ledger" else ws.scenario_side.ledger
    totals = amounts_by_initiative(led, ws.since, ws.until).filter(pl.col("kind") == "proposal")
    ini = led.initiatives.select(pl.col("id").alias("initiative_id"), pl.col("title").alias("initiative_title"),
                                 "parent_id")
    parents = led.initiatives.select(pl.col("id").alias("parent_id"), pl.col("title").alias("parent_title"))
    return (
        totals.join(ini, on="initiative_id", how="left").join(parents, on="parent_id", how="left")
        .select("initiative_id", "initiative_title", pl.col("parent_title").fill_null(""), "year",
                pl.col("total").alias("proposal"))
        .sort("initiative_title", "year")
    )


def _scenario_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Forslag og scenarie")
    row = _heading(sheet, book, ws, created, "Forslag og scenarie")
    years = ws.years()
    header = ["", "", "Post"] + [str(y) for y in years]
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header_num if text.isdigit() else book.header)
    sheet.freeze_panes(row + 1, 3)
    row += 1

    sheet.write(row, 0, "Forslag i ledgeren (ikke besluttede)", book.section)
    row += 1
    for c, text in enumerate(["Forslag", "Trækker på ramme", "Post"]):
        sheet.write(row, c, text, book.header)
    row += 1
    props = proposals(ws)
    if props.height == 0:
        sheet.write(row, 0, "Ingen forslag i årene.", book.note)
        row += 1
    row = _wide_block(sheet, book, row, props, "initiative_id", ["initiative_title", "parent_title"],
                      [("proposal", "Forslag")], years, False, {"proposal": "Forslag i alt"})
    row += 1

    if not ws.has_scenario:
        sheet.write(row, 0, "Intet scenarie valgt. Et scenarie lægges ind med "
                            "`tracker scenario create NAVN --from FIL` og vælges med --scenario.", book.note)
    else:
        sheet.write(row, 0, _scenario_line(ws), book.section)
        row += 1
        sheet.write(row, 0, "Virkning pr. år", book.section)
        row += 1
        compared = ws.compared("summary")
        by_year = {r["year"]: r for r in compared.iter_rows(named=True)}
        for measure in ("decided", "not_drawn", "unfunded", "proposed"):
            for suffix, word in (("_ledger", "Ledger"), ("_scenario", "Scenarie"), ("_difference", "Forskel")):
                sheet.write(row, 0, LABELS_DA[measure], book.text)
                sheet.write(row, 2, word, book.text)
                for i, y in enumerate(years):
                    value = by_year.get(y, {}).get(f"{measure}{suffix}")
                    sheet.write_number(row, 3 + i, _f(value) or 0.0,
                                       book.money_bold if suffix == "_difference" else book.money)
                row += 1
        row += 1
        sheet.write(row, 0, "Rammer: rest (ikke udmøntet), ledger og scenarie", book.section)
        row += 1
        frames = ws.compared("frames")
        changed = frames.group_by("frame_id").agg(
            (pl.col("remaining_difference") != 0).any().alias("_changed")).filter("_changed")
        shown = frames.join(changed.select("frame_id"), on="frame_id", how="semi")
        if shown.height == 0:
            sheet.write(row, 0, "Scenariet ændrer ikke rammernes rest.", book.note)
            row += 1
        for key, group in shown.group_by("frame_id", maintain_order=True):
            first = group.row(0, named=True)
            by_year = {r["year"]: r for r in group.iter_rows(named=True)}
            for suffix, word in (("_ledger", "Rest, ledger"), ("_scenario", "Rest, scenarie"),
                                 ("_difference", "Forskel")):
                sheet.write(row, 0, first["frame_title"], book.text)
                sheet.write(row, 1, first["agreement_title"], book.text)
                sheet.write(row, 2, word, book.text)
                for i, y in enumerate(years):
                    value = by_year.get(y, {}).get(f"remaining{suffix}")
                    if value is not None:
                        sheet.write_number(row, 3 + i, float(value),
                                           book.money_bold if suffix == "_difference" else book.money)
                row += 1
        row += 1
        sheet.write(row, 0, "Scenariets ændringer af linjer", book.section)
        row += 1
        effects = ws.effects()
        for c, text in enumerate(["Initiativ", "Initiativ-id", "Region", "Art", "År fra", "År til", "Ledger",
                                  "Scenarie", "Virkning"]):
            sheet.write(row, c, text, book.header)
        row += 1
        for r in effects.iter_rows(named=True):
            sheet.write(row, 0, r["initiative_title"] or r["initiative_id"], book.text)
            sheet.write(row, 1, r["initiative_id"], book.text)
            sheet.write(row, 2, r["region"], book.text)
            sheet.write(row, 3, r["kind"], book.text)
            sheet.write_number(row, 4, r["year_from"], book.year)
            if r["year_to"] is None:
                sheet.write(row, 5, "varigt", book.text)
            else:
                sheet.write_number(row, 5, r["year_to"], book.year)
            for c, key in ((6, "ledger"), (7, "scenario")):
                if r[key] is not None:
                    sheet.write_number(row, c, float(r[key]), book.money)
            sheet.write(row, 8, r["effect"], book.text)
            row += 1
        if effects.height == 0:
            sheet.write(row, 0, "Scenariet ændrer ingen linjer.", book.note)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 16)
    sheet.set_column(3, 2 + max(len(years), 5), 11)


# -- Kilder ----------------------------------------------------------------------------------


def _sources_sheet(book: _Book, ws: Workspace, created: datetime) -> None:
    sheet = book.sheet("Kilder")
    row = _heading(sheet, book, ws, created, "Kilder")
    sources = ws.sources()
    header = ["Id", "Dokument", "Sagsnr.", "Dato", "Placering", "Adresse"]
    for c, text in enumerate(header):
        sheet.write(row, c, text, book.header)
    sheet.freeze_panes(row + 1, 1)
    row += 1
    for r in sources.iter_rows():
        for c, value in enumerate(r):
            sheet.write_string(row, c, value or "", book.text)
        row += 1
    row += 1
    sheet.write(row, 0, "Pris- og lønindeks (pris- og lønudvikling pr. år)", book.section)
    row += 1
    for c, text in enumerate(["År", "Stigning, pct.", "Kilde"]):
        sheet.write(row, c, text, book.header)
    row += 1
    for year in ws.index.years():
        sheet.write_number(row, 0, year, book.year)
        sheet.write_number(row, 1, float(ws.index.rises[year]), book.pct)
        sheet.write(row, 2, ws.index.sources.get(year, ""), book.text)
        row += 1
    sheet.write(row, 0, "Omregning: beløb i år A's prisniveau ganges med (1 + stigning/100) for hvert år efter A "
                        "til og med målåret (deles ved omregning bagud); resultatet afrundes én gang til hele kroner "
                        "(6 decimaler i mio. kr.), halvt til lige.", book.note)
    row += 2
    if ws.target is not None:
        lines = ws.unconverted_lines()
        sheet.write(row, 0, f"Linjer uden prisniveau (medtaget som angivet, ikke omregnet til {ws.target}-pl)",
                    book.section)
        row += 1
        for c, text in enumerate(["Linje", "Initiativ", "År fra", "År til", "Art", "Beløb", "Kilde", "Side"]):
            sheet.write(row, c, text, book.header)
        row += 1
        for r in lines.iter_rows(named=True):
            sheet.write_number(row, 0, r["id"], book.year)
            sheet.write(row, 1, r["initiative_id"], book.text)
            sheet.write_number(row, 2, r["year_from"], book.year)
            if r["year_to"] is None:
                sheet.write(row, 3, "varigt", book.text)
            else:
                sheet.write_number(row, 3, r["year_to"], book.year)
            sheet.write(row, 4, label(KINDS, r["kind"]), book.text)
            sheet.write_number(row, 5, float(r["amount"]), book.money)
            sheet.write(row, 6, r["source_id"], book.text)
            sheet.write(row, 7, "ledger" if r["side"] == "ledger" else "scenarie", book.text)
            row += 1
    _widths(sheet, [_text_width(sources["id"].to_list(), 10), _text_width(sources["document"].to_list(), 30, 90),
                    16, 12, _text_width(sources["location"].to_list(), 12), _text_width(sources["url"].to_list(), 12)])


def write_xlsx(ws: Workspace, path, created: datetime | None = None):
    """The workbook to a path (or a binary file object, e.g. io.BytesIO)."""
    path = Path(path) if isinstance(path, str) else path
    created = created or datetime.now(timezone.utc)
    book = _Book(path)
    try:
        _summary_sheet(book, ws, created)
        _frames_sheet(book, ws, created)
        _expiring_sheet(book, ws, created)
        _unfunded_sheet(book, ws, created)
        _scenario_sheet(book, ws, created)
        _sources_sheet(book, ws, created)
    finally:
        book.close()
    return path


# -- the printable one-page summary ----------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 2mm 0; }
h2 { font-size: 11pt; margin: 4mm 0 1mm 0; }
p { margin: 0 0 1mm 0; }
.meta { color: #444; }
.warn { color: #9C0006; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.6mm 2mm; border-bottom: 1px solid #ddd; text-align: left; }
th { background: #DCE6F1; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 1px solid #111; }
.cols { display: flex; gap: 8mm; }
.cols > div { flex: 1; }
@media print { .noprint { display: none; } }
"""


def _table(head: list[str], rows: list[list], numeric: int | set[int], total: list | None = None) -> str:
    """numeric: the first numeric column (all after it are numeric too), or the set of them."""
    def cell(tag: str, value, i: int) -> str:
        is_number = i in numeric if isinstance(numeric, set) else i >= numeric
        cls = ' class="n"' if is_number else ""
        text = number(value) if isinstance(value, Decimal) else html.escape("" if value is None else str(value))
        return f"<{tag}{cls}>{text}</{tag}>"

    out = ["<table><thead><tr>" + "".join(cell("th", h, i) for i, h in enumerate(head)) + "</tr></thead><tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(cell("td", v, i) for i, v in enumerate(r)) + "</tr>")
    if total:
        out.append('<tr class="total">' + "".join(cell("td", v, i) for i, v in enumerate(total)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def html_summary(ws: Workspace, created: datetime | None = None) -> str:
    """One printable page (A4 landscape): the key figures per year, what expires, the
    compensation claims and the scenario's effect."""
    created = created or datetime.now(timezone.utc)
    years = ws.years()
    parts = [f"<h1>{html.escape(TITLE)}</h1>", f'<p class="meta">{html.escape(_stamp(ws, created))}</p>',
             f'<p class="meta">{html.escape(_scenario_line(ws))}</p>',
             f'<p class="{"warn" if has_confidential(ws) else "meta"}">{html.escape(_confidential_line(ws))}</p>']
    note = _price_note(ws)
    if note:
        parts.append(f'<p class="{"warn" if ws.target is not None and ws.unconverted_lines().height else "meta"}">'
                     f"{html.escape(note)}</p>")
    parts.append("<h2>Nøgletal pr. år (mio. kr.)</h2>")
    summary = ws.view("summary")
    by_year = {r["year"]: r for r in summary.iter_rows(named=True)}
    rows = [[LABELS_DA[m]] + [by_year[y][m] for y in years] for m in SUMMARY_MEASURES]
    if ws.has_scenario:
        compared = {r["year"]: r for r in ws.compared("summary").iter_rows(named=True)}
        for m in ("decided", "not_drawn", "unfunded"):
            rows.append([f"{LABELS_DA[m]}: scenariets forskel"] + [compared[y][f"{m}_difference"] for y in years])
    parts.append(_table(["Post"] + [str(y) for y in years], rows, 1))

    expiring = ws.view("expiring")
    exp_rows = [[r["initiative_title"], r["last_year"], r["amount"]] for r in expiring.iter_rows(named=True)]
    exp_total = ["I alt", "", expiring["amount"].sum() if expiring.height else Decimal(0)]
    unfunded = ws.view("unfunded")
    claims = {r["year"]: r["unfunded"] for r in
              unfunded.group_by("year").agg(pl.col("unfunded").sum()).iter_rows(named=True)}
    per_initiative = []
    for key, group in unfunded.group_by("initiative_id", maintain_order=True):
        values = {r["year"]: r["unfunded"] for r in group.iter_rows(named=True)}
        per_initiative.append([group["initiative_title"][0]] + [values.get(y, Decimal(0)) for y in years])
    parts.append('<div class="cols"><div><h2>Udløber</h2>')
    parts.append(_table(["Initiativ", "Sidste år", "Årligt beløb"], exp_rows, {2}, exp_total) if exp_rows
                 else "<p>Ingen midler udløber i årene.</p>")
    parts.append("</div><div><h2>Ufinansieret (kompensationskrav)</h2>")
    parts.append(_table(["Initiativ"] + [str(y) for y in years], per_initiative, 1,
                        ["I alt"] + [claims.get(y, Decimal(0)) for y in years]) if per_initiative
                 else "<p>Ingen ufinansierede skøn.</p>")
    parts.append("</div></div>")
    if ws.has_scenario:
        effects = ws.effects()
        parts.append(f"<h2>{html.escape(_scenario_line(ws))}: ændringer</h2>")
        parts.append(_table(["Initiativ", "År", "Art", "Ledger", "Scenarie", "Virkning"],
                            [[r["initiative_title"] or r["initiative_id"],
                              str(r["year_from"]) + ("" if r["year_to"] == r["year_from"] else
                                                     (" og frem" if r["year_to"] is None else f"–{r['year_to']}")),
                              r["kind"], r["ledger"], r["scenario"], r["effect"]]
                             for r in effects.iter_rows(named=True)], {3, 4}))
    parts.append(f'<p class="meta">Kilder: {ws.sources().height} dokumenthenvisninger, se arket Kilder i '
                 f"regnearket. Tal i mio. kr.; forslag og forventede midler er ikke besluttede.</p>")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title>'
            f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


def xlsx_bytes(ws: Workspace, created: datetime | None = None) -> bytes:
    """The workbook as bytes (for a download)."""
    import io

    buffer = io.BytesIO()
    write_xlsx(ws, buffer, created)
    return buffer.getvalue()


def write_brief(ws: Workspace, out: str | Path, created: datetime | None = None) -> BriefFiles:
    """The workbook at `out` (.xlsx) and the one-page summary beside it (same name, .html)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"the brief is an .xlsx workbook; got '{out.name}'")
    created = created or datetime.now(timezone.utc)
    xlsx = write_xlsx(ws, out, created)
    page = out.with_suffix(".html")
    page.write_text(html_summary(ws, created), encoding="utf-8")
    return BriefFiles(xlsx=xlsx, html=page)
