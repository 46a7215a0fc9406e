"""A table as the app shows it, and the same table as CSV and XLSX.

A `Table` holds display headers and cells; amount columns hold exact `Decimal`s. The app
shows the Danish (or English) text of each amount; the CSV carries exactly that text; the
XLSX carries the numbers with a number format, so Excel shows the same figures and can still
add them up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from . import formatting


@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame  # columns named by their display headers
    amounts: tuple[str, ...] = ()  # headers of the amount columns (exact decimals)
    decimals: int | None = None  # fixed decimals for amounts; None: every significant one
    links: dict[str, str] = field(default_factory=dict)  # link column header -> text shown
    hidden: tuple[str, ...] = ()  # columns kept for the app (e.g. row roles), not shown or exported

    @property
    def shown(self) -> list[str]:
        return [c for c in self.frame.columns if c not in self.hidden]

    @property
    def exported(self) -> list[str]:
        """What a download holds: the shown columns but the links (a link only navigates the
        app; the sources it leads to are in the table's source column)."""
        return [c for c in self.shown if c not in self.links]


def cell_text(value: object, lang: str, decimals: int | None = None, amount: bool = False) -> str:
    if value is None:
        return ""
    if amount or isinstance(value, Decimal):
        return formatting.number(value, lang, decimals)
    if isinstance(value, float):
        return formatting.number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def as_text(table: Table, lang: str) -> pl.DataFrame:
    """Every cell as the text the app shows."""
    columns = {}
    for name in table.exported:
        is_amount = name in table.amounts
        columns[name] = pl.Series(
            name,
            [cell_text(v, lang, table.decimals if is_amount else None, is_amount) for v in table.frame[name].to_list()],
            pl.String,
        )
    return pl.DataFrame(columns) if columns else pl.DataFrame()


def to_csv(table: Table, lang: str) -> bytes:
    """CSV as shown: Danish with ';' between fields (the decimal mark is a comma) and a byte
    order mark so Excel reads æ, ø and å; English with ','."""
    text = as_text(table, lang).write_csv(separator=";" if lang == "da" else ",")
    return ("\ufeff" + text).encode("utf-8") if lang == "da" else text.encode("utf-8")


def _decimals(values: list) -> int:
    found = 0
    for v in values:
        if isinstance(v, Decimal):
            exponent = v.normalize().as_tuple().exponent
            if isinstance(exponent, int):
                found = max(found, -exponent)
    return min(found, 6)


def to_xlsx(table: Table, lang: str, sheet: str = "Tabel") -> bytes:
    """XLSX: amounts as numbers with the shown number of decimals, other cells as text."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bottom": 1})
    ws.write_row(0, 0, table.exported, bold)
    for col, name in enumerate(table.exported):
        values = table.frame[name].to_list()
        if name in table.amounts:
            decimals = table.decimals if table.decimals is not None else _decimals(values)
            number = book.add_format({"num_format": "#,##0" + ("." + "0" * decimals if decimals else "")})
            for row, value in enumerate(values, start=1):
                if value is not None:
                    ws.write_number(row, col, float(value), number)
            width = 14
        else:
            texts = [cell_text(v, lang) for v in values]
            for row, text in enumerate(texts, start=1):
                if text:
                    ws.write_string(row, col, text)
            width = min(60, max([len(name), *(len(s) for s in texts)] or [10]) + 2)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def for_display(table: Table, empty: float | None = None):
    """A pandas frame for `st.dataframe`: amounts as floats (so columns sort as numbers; the
    text shown comes from `formatting`, not from the float); an empty amount becomes `empty`."""
    frame = table.frame.select(table.frame.columns)
    casts = [pl.col(c).cast(pl.Float64) for c in table.amounts if c in frame.columns]
    if empty is not None:
        casts = [c.fill_null(empty) for c in casts]
    if casts:
        frame = frame.with_columns(casts)
    return frame.to_pandas()
