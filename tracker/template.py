"""The import template: an XLSX workbook in the interchange format (docs/interchange.md) with
drop-down lists where a value must come from a list.

Sheet 1, "linjer", is what the import reads: the interchange columns, a drop-down of the
ledger's regions in `region`, of the kinds (in Danish) in `kind` and of the classifications in
`classification`; whole years 2000-2100 in `year_from` and `price_level`, an amount of at least 0
in `amount_mio_dkk`. The lists live on a hidden sheet "lister"; a third sheet, "vejledning",
says what each column means. The template may be filled with rows (the ledger's own lines, to
correct them and import them again).
"""

from __future__ import annotations

import io
from decimal import Decimal

import polars as pl
import xlsxwriter

from ledger.domain import CLASSIFICATIONS, KINDS, YEAR_MAX, YEAR_MIN
from ledger.frames import Ledger
from ledger.money import parse_amount
from ledger.readers import INTERCHANGE_COLUMNS, REQUIRED_COLUMNS

SHEET = "linjer"
ROWS = 5000  # rows with drop-downs in an empty template

GUIDE_DA: dict[str, str] = {
    "agreement_id": "Aftalens id (små bogstaver, tal og bindestreg), fx kraeftplan-v",
    "agreement_title": "Kun for en ny aftale, eller for at rette titlen på en eksisterende",
    "initiative_id": "Initiativets id. Skal udfyldes",
    "initiative_title": "Kun for et nyt initiativ (så skal aftalens id også udfyldes), eller for at rette titlen",
    "parent_initiative_id": "Den ramme, initiativet trækker på (læses kun, når initiativtitlen er udfyldt)",
    "year_from": "Første år, fx 2025. Skal udfyldes",
    "year_to": "Tom = samme år; et årstal; eller varigt",
    "region": "Vælg fra listen: Hele landet eller en region",
    "amount_mio_dkk": "Beløb i mio. kr., højst seks decimaler, fx 112,5. Skal udfyldes",
    "kind": "Vælg fra listen: bevilling, forventet, skøn, forslag eller besparelse",
    "price_level": "Prisniveauets år (2025 for 2025-pl), eller tomt når det ikke kendes",
    "source": "En kildes id, som ledgeren kender, eller en henvisning i fri tekst (så oprettes kilden)",
    "classification": "offentlig eller fortrolig; tomt = aftalens",
    "note": "Fri tekst",
}


def template_xlsx(ledger: Ledger, rows: pl.DataFrame | None = None, lang: str = "da") -> bytes:
    """The workbook as bytes. `rows`: interchange rows (`ledger.writers.interchange`) to fill in."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(SHEET)
    lists = book.add_worksheet("lister")
    guide = book.add_worksheet("vejledning" if lang == "da" else "guide")

    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = book.add_format({"num_format": "@"})
    amount = book.add_format({"num_format": "#,##0.0#####"})
    year = book.add_format({"num_format": "0"})

    regions = ledger.regions.sort(pl.col("code") != "hele-landet", "name")["name"].to_list()
    vocab = {
        "region": regions,
        "kind": [labels["da" if lang == "da" else "en"] for labels in KINDS.values()],
        "classification": [labels["da" if lang == "da" else "en"] for labels in CLASSIFICATIONS.values()],
    }
    for col, (name, values) in enumerate(vocab.items()):
        lists.write(0, col, name, head)
        for i, value in enumerate(values, start=1):
            lists.write_string(i, col, value)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        book.define_name(f"liste_{name}", f"=lister!${letter}$2:${letter}${len(values) + 1}")
    lists.hide()

    column = {name: i for i, name in enumerate(INTERCHANGE_COLUMNS)}
    widths = {"agreement_title": 40, "initiative_title": 40, "source": 30, "note": 30, "region": 22}
    for name, i in column.items():
        fmt = amount if name == "amount_mio_dkk" else year if name in ("year_from", "price_level") else text
        sheet.set_column(i, i, widths.get(name, 16), fmt)
        sheet.write_string(0, i, name, required if name in REQUIRED_COLUMNS else head)
        sheet.write_comment(0, i, GUIDE_DA[name], {"x_scale": 2})
    sheet.freeze_panes(1, 0)

    filled = 0
    if rows is not None and rows.height:
        filled = _fill(sheet, rows.select(INTERCHANGE_COLUMNS), column)
    last = max(ROWS, filled + 1000)

    def choose(name: str, message: str) -> None:
        i = column[name]
        sheet.data_validation(1, i, last, i, {
            "validate": "list", "source": f"=liste_{name}", "ignore_blank": True,
            "input_title": name, "input_message": message[:255],
            "error_title": "Ugyldig værdi" if lang == "da" else "Invalid value",
            "error_message": ("Vælg en værdi fra listen." if lang == "da" else "Choose a value from the list."),
        })

    choose("region", GUIDE_DA["region"])
    choose("kind", GUIDE_DA["kind"])
    choose("classification", GUIDE_DA["classification"])
    for name in ("year_from", "price_level"):
        i = column[name]
        sheet.data_validation(1, i, last, i, {
            "validate": "integer", "criteria": "between", "minimum": YEAR_MIN, "maximum": YEAR_MAX,
            "ignore_blank": True, "error_title": "Ugyldigt år" if lang == "da" else "Invalid year",
            "error_message": f"Et årstal mellem {YEAR_MIN} og {YEAR_MAX}." if lang == "da"
            else f"A year from {YEAR_MIN} to {YEAR_MAX}.",
        })
    i = column["amount_mio_dkk"]
    sheet.data_validation(1, i, last, i, {
        "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
        "error_title": "Ugyldigt beløb" if lang == "da" else "Invalid amount",
        "error_message": "Et beløb i mio. kr. på mindst 0." if lang == "da" else "An amount in DKK million, at least 0.",
    })

    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 100)
    guide.write_row(0, 0, ["kolonne", "betydning"] if lang == "da" else ["column", "meaning"], head)
    for r, name in enumerate(INTERCHANGE_COLUMNS, start=1):
        guide.write_string(r, 0, name)
        guide.write_string(r, 1, GUIDE_DA[name] + ("  (skal udfyldes)" if name in REQUIRED_COLUMNS and lang == "da" else ""))
    guide.write_string(len(INTERCHANGE_COLUMNS) + 2, 0,
                       "Arket «linjer» er det, importen læser. Række 1 er overskriften; fejl nævner rækkenumrene, "
                       "som regnearket viser dem.")
    sheet.activate()
    book.close()
    return out.getvalue()


def _fill(sheet, rows: pl.DataFrame, column: dict[str, int]) -> int:
    """Write the rows: amounts and years as numbers (so Excel can add them), the rest as text."""
    for r, values in enumerate(rows.iter_rows(), start=1):
        for name, value in zip(rows.columns, values):
            if value in (None, ""):
                continue
            i = column[name]
            if name == "amount_mio_dkk":
                exact = parse_amount(value)
                if exact is not None and Decimal(repr(float(exact))) == exact:
                    sheet.write_number(r, i, float(exact))
                    continue
            if name in ("year_from", "price_level") and str(value).isdigit():
                sheet.write_number(r, i, int(value))
                continue
            sheet.write_string(r, i, str(value))
    return rows.height
