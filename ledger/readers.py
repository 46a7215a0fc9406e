"""Readers: the interchange format (CSV or XLSX) and the seed files, into ledger frames.

Readers only parse. Whether the result may enter the ledger is for `ledger.rules`; the
readers' own checks (is this text a number? a year?) are Pandera schemas too, so every
refusal reads the same way: row, field, value, rule.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .domain import CLASSIFICATION_ALIASES, KIND_ALIASES, PERMANENT_WORDS, STATUS_ALIASES
from .frames import AMOUNT, ROW, Ledger, conform
from .money import parse_amount, plain
from .rules import Violation, pa, rule_of

INTERCHANGE_COLUMNS = [
    "agreement_id", "agreement_title", "initiative_id", "initiative_title",
    "parent_initiative_id", "year_from", "year_to", "region", "amount_mio_dkk", "kind",
    "price_level", "source", "classification", "note",
]
REQUIRED_COLUMNS = ["initiative_id", "year_from", "region", "amount_mio_dkk", "kind", "source"]

# Defaults for an agreement that a row introduces by giving its title.
NEW_AGREEMENT = {"kind": "politisk aftale", "status": "agreed", "parties": "", "date_agreed": ""}


class FormatError(ValueError):
    """The file cannot be read as the interchange format at all (not a row-level error)."""


@dataclass
class Batch:
    """What a file proposes: rows for each table, and what could not even be parsed."""

    agreements: pl.DataFrame
    initiatives: pl.DataFrame
    sources: pl.DataFrame
    lines: pl.DataFrame
    violations: list[Violation] = field(default_factory=list)


# -- reading raw tables ----------------------------------------------------------------------


def read_table(path: str | Path, data: bytes | None = None) -> pl.DataFrame:
    """Every cell as text (None for empty), from CSV (UTF-8, with or without BOM, `;` or `,`)
    or from the first sheet of an XLSX workbook."""
    path = Path(path)
    raw = data if data is not None else path.read_bytes()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pl.read_excel(io.BytesIO(raw), sheet_id=1, infer_schema_length=0)
        return frame.select(pl.all().cast(pl.String))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name}: not UTF-8 text ({exc})") from exc
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    if not rows:
        raise FormatError(f"{path.name}: the file is empty")
    header = [h.strip() for h in rows[0]]
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:] if any(c.strip() for c in r)]
    frame = pl.DataFrame(
        {name: [r[i] for r in body] for i, name in enumerate(header)},
        schema={name: pl.String for name in header},
    )
    return frame.with_columns(pl.all().str.strip_chars().replace("", None))


def _strip(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.String).str.strip_chars().replace("", None))


# -- parsing values --------------------------------------------------------------------------

_YEAR = r"^\d{4}$"


def _parse_schema(year_to_words: bool, present: list[str]) -> pa.DataFrameSchema:
    """Format rules for raw text cells; content rules come later, in `ledger.rules`."""
    amount_ok = pa.Check(
        lambda d: d.lazyframe.select(
            pl.col(d.key).map_elements(lambda t: parse_amount(t) is not None, return_dtype=pl.Boolean)
        ),
        name="amount_format",
    )
    year_to_pattern = (
        "(?i)^(\\d{4}|" + "|".join(PERMANENT_WORDS) + ")$" if year_to_words else _YEAR
    )
    columns = {
        "year_from": pa.Column(pl.String, pa.Check.str_matches(_YEAR, name="year_format"), nullable=True),
        "year_to": pa.Column(pl.String, pa.Check.str_matches(year_to_pattern, name="year_format"), nullable=True),
        "amount_mio_dkk": pa.Column(pl.String, amount_ok, nullable=True),
        "price_level": pa.Column(pl.String, pa.Check.str_matches(_YEAR, name="year_format"), nullable=True),
    }
    return pa.DataFrameSchema({k: v for k, v in columns.items() if k in present}, strict=False)


def _format_violations(table: str, frame: pl.DataFrame, year_to_words: bool = True) -> list[Violation]:
    present = [c for c in ("year_from", "year_to", "amount_mio_dkk", "price_level") if c in frame.columns]
    schema = _parse_schema(year_to_words, present)
    try:
        schema.validate(frame.select([*present, ROW]), lazy=True)
    except pa.errors.SchemaErrors as errors:
        out = []
        for case in errors.failure_cases.iter_rows(named=True):
            rule = rule_of(case, schema)
            if case["index"] is None or rule not in ("amount_format", "year_format"):
                continue
            row = frame.row(case["index"], named=True)
            out.append(Violation(table, row[ROW], "", case["column"], str(row[case["column"]]), rule))
        return out
    return []


def _amounts(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .map_elements(lambda t: plain(parse_amount(t)) or None, return_dtype=pl.String)
        .str.to_decimal(scale=6)
        .cast(AMOUNT)
    )


def _year(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=False)


def region_codes(regions: pl.DataFrame) -> dict[str, str]:
    """Every way a region may be written (code, name, name without 'Region ', any case)."""
    names: dict[str, str] = {}
    for code, name in regions.select("code", "name").iter_rows():
        for alias in (code, name, name.removeprefix("Region ")):
            names[alias.lower()] = code
    return names


def _alias(column: str, aliases: dict[str, str]) -> pl.Expr:
    lowered = pl.col(column).str.to_lowercase().str.strip_chars()
    return lowered.replace_strict(aliases, default=lowered)


def _region(column: str, regions: pl.DataFrame) -> pl.Expr:
    return _alias(column, region_codes(regions))


def _year_to(year_from: str = "year_from", year_to: str = "year_to") -> pl.Expr:
    """Empty: the same year as year_from. A permanent word: None (runs on)."""
    text = pl.col(year_to).str.to_lowercase()
    permanent = pl.any_horizontal([text.str.contains(word, literal=True) for word in PERMANENT_WORDS])
    return (
        pl.when(pl.col(year_to).is_null())
        .then(_year(year_from))
        .when(permanent.fill_null(False))
        .then(None)
        .otherwise(_year(year_to))
    )


def source_id_for(text: str) -> str:
    """A stable id for a source given only as free text."""
    return "src-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


# -- the interchange format ------------------------------------------------------------------


def read_interchange(path: str | Path, current: Ledger, data: bytes | None = None) -> Batch:
    """Rows of the interchange format as proposed ledger rows, each with its spreadsheet row
    number (the header is row 1)."""
    raw = read_table(path, data)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise FormatError(
            f"missing column(s): {', '.join(missing)}; expected: {', '.join(INTERCHANGE_COLUMNS)}"
        )
    for column in INTERCHANGE_COLUMNS:
        if column not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    raw = _strip(raw).with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    violations = _format_violations("lines", raw)

    known_sources = set(current.sources["id"].to_list())
    sources = (
        raw.filter(pl.col("source").is_not_null() & ~pl.col("source").is_in(list(known_sources)))
        .group_by("source", maintain_order=True)
        .agg(pl.col(ROW).first())
        .select(
            pl.col("source").map_elements(source_id_for, return_dtype=pl.String).alias("id"),
            pl.col("source").alias("document"),
            ROW,
        )
    )
    source_id = (
        pl.when(pl.col("source").is_in(list(known_sources)))
        .then(pl.col("source"))
        .otherwise(pl.col("source").map_elements(source_id_for, return_dtype=pl.String))
    )

    agreement_class = _alias("classification", CLASSIFICATION_ALIASES)
    new_agreements = (
        raw.filter(pl.col("agreement_title").is_not_null())
        .group_by("agreement_id", maintain_order=True)
        .agg(
            pl.col("agreement_title").first().alias("title"),
            pl.col(ROW).first(),
            (agreement_class == "confidential").all().alias("_all_confidential"),
        )
        .select(
            pl.col("agreement_id").alias("id"),
            "title",
            pl.when("_all_confidential").then(pl.lit("confidential")).otherwise(pl.lit("public")).alias("classification"),
            *[pl.lit(v).alias(k) for k, v in NEW_AGREEMENT.items()],
            ROW,
        )
    )
    initiatives = (
        raw.filter(pl.col("initiative_title").is_not_null())
        .group_by("initiative_id", maintain_order=True)
        .agg(
            pl.col("initiative_title").first().alias("title"),
            pl.col("agreement_id").first(),
            pl.col("parent_initiative_id").first().alias("parent_id"),
            pl.col(ROW).first(),
        )
        .rename({"initiative_id": "id"})
    )
    lines = raw.select(
        "initiative_id",
        _year("year_from").alias("year_from"),
        _year_to().alias("year_to"),
        _region("region", current.regions).alias("region"),
        _amounts("amount_mio_dkk").alias("amount"),
        _alias("kind", KIND_ALIASES).alias("kind"),
        _year("price_level").alias("price_level"),
        source_id.alias("source_id"),
        _alias("classification", CLASSIFICATION_ALIASES).alias("classification"),
        pl.col("note").fill_null(""),
        pl.col("agreement_id").alias("_agreement_id"),
        ROW,
    )
    return Batch(
        agreements=conform("agreements", new_agreements),
        initiatives=initiatives.with_columns(
            pl.lit("").alias("recipient"), pl.lit("").alias("channel"), pl.lit("").alias("note")
        ),
        sources=conform("sources", sources),
        lines=lines,
        violations=violations,
    )


# -- the seed files --------------------------------------------------------------------------


@dataclass
class Seeds:
    ledger: Ledger
    keys: pl.DataFrame
    price_index: pl.DataFrame
    violations: list[Violation]


def read_seeds(folder: str | Path) -> Seeds:
    """The starting ledger from the reviewed data files in `seeds/`."""
    folder = Path(folder)

    def table(name: str) -> pl.DataFrame:
        frame = read_table(folder / f"{name}.csv")
        return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))

    regions = table("regions").with_columns(_year("valid_from"), _year("valid_to"))
    violations = _format_violations("lines", table("lines"))
    violations += _format_violations("stated_totals", table("stated_totals"))
    lines = table("lines").select(
        pl.int_range(1, pl.len() + 1).cast(pl.Int64).alias("id"),
        "initiative_id",
        _year("year_from").alias("year_from"),
        _year_to().alias("year_to"),
        _region("region", regions).alias("region"),
        _amounts("amount_mio_dkk").alias("amount"),
        _alias("kind", KIND_ALIASES).alias("kind"),
        _year("price_level").alias("price_level"),
        pl.col("source").alias("source_id"),
        _alias("classification", CLASSIFICATION_ALIASES).fill_null("public").alias("classification"),
        pl.col("note").fill_null(""),
        ROW,
    )
    stated = table("stated_totals").with_columns(
        _year("year_from"),
        pl.when(pl.col("year_from").is_null()).then(None).otherwise(_year_to()).alias("year_to"),
        (pl.col("per_year").str.to_lowercase().is_in(["true", "ja", "1", "yes"])).alias("per_year"),
        _amounts("amount_mio_dkk").alias("amount"),
        _alias("kind", KIND_ALIASES).alias("kind"),
        _alias("classification", CLASSIFICATION_ALIASES).fill_null("public").alias("classification"),
    )
    agreements = table("agreements").with_columns(
        _alias("status", STATUS_ALIASES).alias("status"),
        _alias("classification", CLASSIFICATION_ALIASES).fill_null("public").alias("classification"),
    )
    text_defaults = pl.col(pl.String).exclude("source_id", "parent_id", "agreement_id", "initiative_id").fill_null("")
    ledger = Ledger.of(
        regions=table("regions").with_columns(_year("valid_from"), _year("valid_to")),
        sources=table("sources").with_columns(text_defaults),
        agreements=agreements.with_columns(text_defaults),
        initiatives=table("initiatives").with_columns(text_defaults),
        lines=lines,
        stated_totals=stated.with_columns(text_defaults),
    )
    keys = read_table(folder / "distribution_keys.csv").with_columns(_amounts("weight").alias("weight"))
    prices = read_table(folder / "price_index.csv").with_columns(
        pl.col("year").cast(pl.Int64), _amounts("rise_pct").alias("rise_pct")
    )
    return Seeds(ledger=ledger, keys=keys, price_index=prices, violations=violations)
