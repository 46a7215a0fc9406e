"""The rules every ledger write must pass: one set of Pandera schemas (polars backend).

`check(ledger)` prepares each table with the context its rules need (does the initiative
exist? what do the children of a frame sum to in each year?), validates every table lazily and
returns every violation at once. Writers refuse to write while any violation remains.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from .domain import (
    AGREEMENT_KINDS,
    CLASSIFICATION_RANK,
    CLASSIFICATIONS,
    KINDS,
    NATIONAL,
    STATUSES,
    YEAR_MAX,
    YEAR_MIN,
)
from .frames import AMOUNT, ROW, Ledger, codes, expand_years, from_micro, initiative_totals, micro_units
from .money import format_amount


class _Pandera:
    """`pandera.polars`, imported when a rule first runs: reading the ledger (every page, every
    report) never needs it, and importing it takes about a second of a cold start."""

    def __getattr__(self, name: str):
        import pandera.polars

        return getattr(pandera.polars, name)


pa = _Pandera()

# rule code -> (English, Danish). Placeholders: {field}, {value} and the rule's detail columns.
RULES: dict[str, tuple[str, str]] = {
    "required": ("{field} is required", "{field} skal udfyldes"),
    "id_unique": ("id '{value}' is used twice", "id '{value}' er brugt to gange"),
    "id_format": (
        "id '{value}' may hold only lower-case letters, digits, '-', '_' and '.'",
        "id '{value}' må kun indeholde små bogstaver, tal, '-', '_' og '.'",
    ),
    "year_range": (
        f"year {{value}} is outside {YEAR_MIN}–{YEAR_MAX}",
        f"året {{value}} ligger uden for {YEAR_MIN}–{YEAR_MAX}",
    ),
    "year_order": (
        "year_to {value} is before year_from {year_from}",
        "slutår {value} ligger før startår {year_from}",
    ),
    "amount_non_negative": (
        "amount {value} is negative (savings are positive amounts of kind 'savings')",
        "beløbet {value} er negativt (besparelser angives som positive beløb af arten 'besparelse')",
    ),
    "kind_known": (
        "unknown kind '{value}': use appropriation, expected, estimate, proposal or savings",
        "ukendt art '{value}': brug bevilling, forventet, skøn, forslag eller besparelse",
    ),
    "classification_known": (
        "unknown classification '{value}': use public or confidential",
        "ukendt klassifikation '{value}': brug offentlig eller fortrolig",
    ),
    "classification_below_agreement": (
        "the line is {value} but its agreement '{agreement_id}' is confidential",
        "linjen er {value}, men dens aftale '{agreement_id}' er fortrolig",
    ),
    "price_level_range": (
        f"price level {{value}} is outside {YEAR_MIN}–{YEAR_MAX}",
        f"prisniveau {{value}} ligger uden for {YEAR_MIN}–{YEAR_MAX}",
    ),
    "region_known": ("unknown region '{value}'", "ukendt region '{value}'"),
    "region_in_years": (
        "region '{value}' does not exist in {year}",
        "regionen '{value}' findes ikke i {year}",
    ),
    "initiative_known": ("unknown initiative '{value}'", "ukendt initiativ '{value}'"),
    "agreement_known": ("unknown agreement '{value}'", "ukendt aftale '{value}'"),
    "source_known": ("unknown source '{value}'", "ukendt kilde '{value}'"),
    "parent_known": ("unknown parent initiative '{value}'", "ukendt overordnet initiativ '{value}'"),
    "parent_cycle": (
        "initiative '{value}' is its own ancestor",
        "initiativet '{value}' er sit eget overordnede initiativ",
    ),
    "line_unique": (
        "another line for the same initiative, region and kind already covers {year} ({other})",
        "en anden linje for samme initiativ, region og art dækker allerede {year} ({other})",
    ),
    "children_within_parent": (
        "in {year} the sub-initiatives of '{parent_id}' sum to {children} mio. kr. ({kind}), "
        "more than its {frame} mio. kr.",
        "i {year} summer delinitiativerne under '{parent_id}' til {children} mio. kr. ({kind}), "
        "mere end rammens {frame} mio. kr.",
    ),
    "regions_within_national": (
        "in {year} the regional lines of '{initiative_id}' sum to {regional} mio. kr. ({kind}), "
        "more than the national {national} mio. kr.",
        "i {year} summer de regionale linjer for '{initiative_id}' til {regional} mio. kr. "
        "({kind}), mere end landstallet {national} mio. kr.",
    ),
    "agreement_kind_known": ("unknown agreement kind '{value}'", "ukendt aftaletype '{value}'"),
    "status_known": (
        "unknown status '{value}': use agreed, expected or proposed",
        "ukendt status '{value}': brug indgået, forventet eller forslag",
    ),
    "date_format": (
        "date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD",
        "datoen '{value}' er ikke ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD",
    ),
    "subject_required": (
        "a stated total names exactly one agreement or one initiative",
        "en opgjort total angår præcis én aftale eller ét initiativ",
    ),
    "amount_format": (
        "'{value}' is not an amount in mio. kr. (at most six decimals)",
        "'{value}' er ikke et beløb i mio. kr. (højst seks decimaler)",
    ),
    "year_format": (
        "'{value}' is not a year (or 'varigt' for permanent)",
        "'{value}' er ikke et årstal (eller 'varigt')",
    ),
}

FIELD_LABELS_DA = {
    "id": "id", "title": "titel", "document": "dokument", "initiative_id": "initiativ",
    "agreement_id": "aftale", "parent_id": "overordnet initiativ", "year_from": "startår",
    "year_to": "slutår", "region": "region", "amount": "beløb", "amount_mio_dkk": "beløb",
    "kind": "art", "price_level": "prisniveau", "source_id": "kilde", "source": "kilde",
    "classification": "klassifikation", "status": "status", "date_agreed": "dato",
    "date": "dato", "name": "navn", "code": "kode", "agreement_title": "aftaletitel",
    "initiative_title": "initiativtitel",
}
TABLE_LABELS = {
    "lines": ("line", "linje"), "agreements": ("agreement", "aftale"),
    "initiatives": ("initiative", "initiativ"), "sources": ("source", "kilde"),
    "stated_totals": ("stated total", "opgjort total"), "regions": ("region", "region"),
}


@dataclass(frozen=True)
class Violation:
    table: str
    row: int | None  # row number in the input file, when the row came from one
    ref: str  # the id of the entity in the ledger
    field: str
    value: str
    rule: str
    detail: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        en, da = RULES[self.rule]
        template = da if lang == "da" else en
        values = {
            k: format_amount(v, lang) if isinstance(v, Decimal) else v for k, v in self.detail.items()
        }
        field_name = FIELD_LABELS_DA.get(self.field, self.field) if lang == "da" else self.field
        return template.format(field=field_name, value=self.value, **values)

    def where(self, lang: str = "en") -> str:
        what = TABLE_LABELS.get(self.table, (self.table, self.table))[1 if lang == "da" else 0]
        if self.row is not None:
            return f"{'række' if lang == 'da' else 'row'} {self.row}"
        return f"{what} {self.ref}"

    def as_text(self, lang: str = "en") -> str:
        field_name = FIELD_LABELS_DA.get(self.field, self.field) if lang == "da" else self.field
        return f"{self.where(lang)}, {field_name} = '{self.value}': {self.message(lang)} [{self.rule}]"


class RuleViolations(Exception):
    """Raised by writers: the write was refused and nothing was written."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(
            f"{len(violations)} rule violation(s); nothing was written:\n"
            + "\n".join(v.as_text() for v in violations[:50])
        )


# -- building blocks -------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9æøå][a-z0-9æøå\-_.]*$"
DATE_PATTERN = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"


def _flag(column: str, rule: str) -> pa.Check:
    """A check that passes where the prepared boolean column is true."""
    return pa.Check(
        lambda data: data.lazyframe.select(pl.col(column).fill_null(True)), name=rule
    )


def _in(values, rule: str) -> pa.Check:
    return pa.Check.isin(list(values), name=rule)


def _years(rule: str = "year_range") -> pa.Check:
    return pa.Check.in_range(YEAR_MIN, YEAR_MAX, name=rule)


def _text_required() -> pa.Check:
    return pa.Check.str_length(min_value=1, name="required")


def _known(frame: pl.DataFrame, column: str, ids: pl.Series) -> pl.Expr:
    return pl.col(column).is_null() | pl.col(column).is_in(ids.implode())


def _check_frame(
    table: str, frame: pl.DataFrame, schema: pa.DataFrameSchema, details: dict[str, list[str]]
) -> list[Violation]:
    if frame.height == 0:
        return []
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _violations(table, frame, errors.failure_cases, details, schema)
    return []


def rule_of(case: dict, schema: pa.DataFrameSchema) -> str | None:
    """The rule a failure case breaks: the name we gave the check (Pandera reports the
    check's description, so look it up by its number)."""
    check, column, number = case["check"], case["column"], case["check_number"]
    if check == "not_nullable":
        return "required"
    if check == "field_uniqueness":
        return "id_unique"
    if column in schema.columns and number is not None:
        checks = schema.columns[column].checks
        if 0 <= number < len(checks) and checks[number].name in RULES:
            return checks[number].name
    return check if check in RULES else None


def _violations(
    table: str, frame: pl.DataFrame, cases: pl.DataFrame, details: dict[str, list[str]],
    schema: pa.DataFrameSchema,
) -> list[Violation]:
    out: list[Violation] = []
    seen: set[tuple] = set()
    ref_column = "id" if "id" in frame.columns else "code"
    for case in cases.iter_rows(named=True):
        column, index = case["column"], case["index"]
        rule = rule_of(case, schema)
        if rule is None:  # a dtype or structural error: a bug in the caller, not bad input
            raise AssertionError(f"unexpected schema error in {table}: {case}")
        if index is None:
            continue
        row = frame.row(index, named=True)
        key = (index, column, rule)
        if key in seen:
            continue
        seen.add(key)
        value = row.get(column)
        out.append(
            Violation(
                table=table,
                row=row.get(ROW),
                ref=str(row.get(ref_column)),
                field=column,
                value="" if value is None else (format_amount(value) if isinstance(value, Decimal) else str(value)),
                rule=rule,
                detail={name.lstrip("_"): row.get(name) for name in details.get(rule, [])},
            )
        )
    return out


# -- the tables ------------------------------------------------------------------------------


def _sources(ledger: Ledger) -> list[Violation]:
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(pl.String, [_text_required()], unique=True),
            "document": pa.Column(pl.String, [_text_required()]),
            "date": pa.Column(pl.String, [pa.Check.str_matches(DATE_PATTERN, name="date_format")], nullable=True),
        }
    )
    return _check_frame("sources", ledger.sources, schema, {})


def _agreements(ledger: Ledger) -> list[Violation]:
    frame = ledger.agreements.with_columns(
        _known(ledger.agreements, "source_id", ledger.sources["id"]).alias("_source_known")
    )
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(pl.String, [pa.Check.str_matches(ID_PATTERN, name="id_format")], unique=True),
            "title": pa.Column(pl.String, [_text_required()]),
            "kind": pa.Column(pl.String, [_in(AGREEMENT_KINDS, "agreement_kind_known")]),
            "status": pa.Column(pl.String, [_in(STATUSES, "status_known")]),
            "classification": pa.Column(pl.String, [_in(CLASSIFICATIONS, "classification_known")]),
            "date_agreed": pa.Column(pl.String, [pa.Check.str_matches(DATE_PATTERN, name="date_format")], nullable=True),
            "source_id": pa.Column(pl.String, [_flag("_source_known", "source_known")], nullable=True),
        }
    )
    return _check_frame("agreements", frame, schema, {})


def _ancestry_cycles(initiatives: pl.DataFrame) -> pl.Series:
    """Ids of initiatives that are their own ancestor."""
    parents = initiatives.select("id", "parent_id").drop_nulls()
    walk = parents.rename({"parent_id": "ancestor"})
    cyclic: set[str] = set()
    for _ in range(len(parents) + 1):
        cyclic |= set(walk.filter(pl.col("id") == pl.col("ancestor"))["id"].to_list())
        walk = (
            walk.filter(pl.col("id") != pl.col("ancestor"))
            .join(parents, left_on="ancestor", right_on="id")
            .select("id", pl.col("parent_id").alias("ancestor"))
        )
        if walk.height == 0:
            break
    return pl.Series("id", sorted(cyclic), dtype=pl.String)


def _initiatives(ledger: Ledger) -> list[Violation]:
    ini = ledger.initiatives
    frame = ini.with_columns(
        _known(ini, "agreement_id", ledger.agreements["id"]).alias("_agreement_known"),
        _known(ini, "parent_id", ini["id"]).alias("_parent_known"),
        (~pl.col("id").is_in(_ancestry_cycles(ini).implode())).alias("_acyclic"),
    )
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(
                pl.String,
                [pa.Check.str_matches(ID_PATTERN, name="id_format"), _flag("_acyclic", "parent_cycle")],
                unique=True,
            ),
            "agreement_id": pa.Column(pl.String, [_flag("_agreement_known", "agreement_known")]),
            "parent_id": pa.Column(pl.String, [_flag("_parent_known", "parent_known")], nullable=True),
            "title": pa.Column(pl.String, [_text_required()]),
        }
    )
    return _check_frame("initiatives", frame, schema, {})


def _stated_totals(ledger: Ledger) -> list[Violation]:
    st = ledger.stated_totals
    frame = st.with_columns(
        (pl.col("agreement_id").is_null() != pl.col("initiative_id").is_null()).alias("_one_subject"),
        _known(st, "agreement_id", ledger.agreements["id"]).alias("_agreement_known"),
        _known(st, "initiative_id", ledger.initiatives["id"]).alias("_initiative_known"),
        _known(st, "source_id", ledger.sources["id"]).alias("_source_known"),
        (pl.col("year_to").is_null() | (pl.col("year_to") >= pl.col("year_from"))).alias("_ordered"),
    )
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(pl.String, [_text_required(), _flag("_one_subject", "subject_required")], unique=True),
            "agreement_id": pa.Column(pl.String, [_flag("_agreement_known", "agreement_known")], nullable=True),
            "initiative_id": pa.Column(pl.String, [_flag("_initiative_known", "initiative_known")], nullable=True),
            "year_from": pa.Column(pl.Int64, [_years()], nullable=True),
            "year_to": pa.Column(pl.Int64, [_years(), _flag("_ordered", "year_order")], nullable=True),
            "amount": pa.Column(AMOUNT, [pa.Check.ge(0, name="amount_non_negative")]),
            "kind": pa.Column(pl.String, [_in(KINDS, "kind_known")]),
            "source_id": pa.Column(pl.String, [_flag("_source_known", "source_known")]),
            "classification": pa.Column(pl.String, [_in(CLASSIFICATIONS, "classification_known")]),
        }
    )
    return _check_frame("stated_totals", frame, schema, {"year_order": ["year_from"]})


# At a million lines the lookups and the per-year sums dominate. They run on integer codes
# (initiative, kind, region) packed into one Int64 key and sorted once: polars then groups and
# joins presorted keys by merging instead of hashing, several times faster at that size.

_KEY_LIMIT = 2**62  # packed keys stay below this, with room for arithmetic on them


def _at_once(*calls):
    """The results of calls made at the same time. Polars lets go of the GIL while it
    computes, so independent parts of a check overlap: one part's single-threaded stretches
    run on the other core."""
    with ThreadPoolExecutor(max_workers=len(calls) - 1, thread_name_prefix="ledger-rules") as pool:
        others = [pool.submit(call) for call in calls[1:]]
        return [calls[0](), *[other.result() for other in others]]


def _ranks(values: pl.Series) -> pl.Series:
    """CLASSIFICATION_RANK of each value (null when unknown)."""
    order = sorted(CLASSIFICATION_RANK, key=CLASSIFICATION_RANK.get)
    position = values.cast(pl.Enum(order), strict=False).to_physical().cast(pl.Int64)
    ranks = [CLASSIFICATION_RANK[c] for c in order]
    return position if ranks == list(range(len(order))) else position.replace_strict(range(len(order)), ranks)


def _prepare_lines(ledger: Ledger) -> pl.DataFrame:
    """The lines with every piece of context their rules look at, one column per fact."""
    lines = ledger.lines.with_row_index("_idx")
    agr = ledger.agreements.select(pl.col("id").alias("agreement_id"), "classification").unique(
        "agreement_id", keep="first", maintain_order=True
    )
    agr = agr.with_columns(_ranks(agr["classification"]).alias("_agreement_rank"))
    ini = (
        ledger.initiatives.select(pl.col("id").alias("initiative_id"), "agreement_id", "parent_id")
        .filter(pl.col("initiative_id").is_not_null())
        .unique("initiative_id", keep="first", maintain_order=True)
        .join(agr.drop("classification"), on="agreement_id", how="left", maintain_order="left")
    )
    # initiatives are coded by their row in `ini`; parents share those codes, an unknown parent
    # gets a code of its own, and so does an unknown initiative, after all of those
    parent = codes(ini["parent_id"], ini["initiative_id"])[0]
    ini = ini.with_columns(pl.when(pl.col("parent_id").is_not_null()).then(parent).alias("_p"))
    past = max(ini.height, int(ini["_p"].max() or 0) + 1)
    code = codes(lines["initiative_id"], ini["initiative_id"])[0]
    row = pl.select(pl.when(code < ini.height).then(code).cast(pl.UInt32)).to_series()
    lines = lines.with_columns(
        pl.when(code < ini.height).then(code).otherwise(code - ini.height + past).alias("_i"),
        ini["_p"].gather(row).alias("_p"),
        ini["agreement_id"].is_not_null().gather(row).fill_null(False).alias("_initiative_known"),
        ini["_agreement_rank"].gather(row).alias("_agreement_rank"),
    )

    reg = (
        ledger.regions.select(pl.col("code").alias("region"), "valid_from", "valid_to")
        .filter(pl.col("region").is_not_null())
        .unique("region", keep="first", maintain_order=True)
    )
    # the national region gets code 0, whether the table has it or not
    known = pl.concat([pl.Series([NATIONAL]), reg["region"].filter(reg["region"] != NATIONAL)])
    region = codes(lines["region"], known)[0]
    info = pl.DataFrame({"region": known}).join(reg, on="region", how="left", maintain_order="left")
    size = max(int(region.max()) + 1, len(known))

    def by_region(values: list, dtype: pl.DataType) -> pl.Series:
        return pl.Series(values + [None] * (size - len(values)), dtype=dtype).gather(region)

    rank = _ranks(lines["classification"])
    lines = (
        lines.with_columns(
            region.alias("_r"),
            codes(lines["kind"], pl.Series(list(KINDS)))[0].alias("_k"),
            by_region(known.is_in(reg["region"].implode()).to_list(), pl.Boolean).fill_null(False).alias("_region_known"),
            by_region(info["valid_from"].to_list(), pl.Int64).alias("_region_from"),
            by_region(info["valid_to"].to_list(), pl.Int64).alias("_region_to"),
            pl.col("source_id").is_in(ledger.sources["id"].implode()).alias("_source_known"),
            (rank.is_null() | pl.col("_agreement_rank").is_null() | (rank >= pl.col("_agreement_rank"))).alias("_class_ok"),
            (pl.col("year_to").is_null() | (pl.col("year_to") >= pl.col("year_from"))).alias("_ordered"),
            # a single-year line is refused once, on year_from
            (
                pl.col("year_to").is_null()
                | (pl.col("year_to") == pl.col("year_from"))
                | pl.col("year_to").is_between(YEAR_MIN, YEAR_MAX)
            ).alias("_year_to_in_range"),
            # one line per id; is_duplicated is slow at this size, so only when an id repeats
            (pl.lit(True) if lines["id"].n_unique() == lines.height else ~pl.col("id").is_duplicated())
            .alias("_id_unique"),
        )
        .with_columns(
            pl.when(pl.col("region").is_not_null()).then(pl.col("_r") == 0).alias("_nat"),
            # a known kind has one of the first codes (its text compared once, for the code)
            pl.when(pl.col("kind").is_not_null()).then(pl.col("_k") < len(KINDS)).alias("_kind_known"),
            # first year of the line in which its region does not exist
            pl.when(pl.col("_region_from").is_not_null() & (pl.col("year_from") < pl.col("_region_from")))
            .then(pl.col("year_from"))
            .when(
                pl.col("_region_to").is_not_null()
                & (pl.col("year_to").is_null() | (pl.col("year_to") > pl.col("_region_to")))
            )
            .then(pl.max_horizontal(pl.col("_region_to") + 1, pl.col("year_from")))
            .otherwise(None)
            .alias("_region_bad_year"),
        )
        .with_columns(
            (~pl.col("_region_known") | pl.col("_region_bad_year").is_null()).alias("_region_in_years")
        )
    )
    summed, marked = _at_once(lambda: _mark_sums(lines, ledger), lambda: _mark_overlaps(lines))
    lines = summed.with_columns(marked.select("_unique", "_other", "_overlap_year").get_columns())
    # names for the messages, only on the lines that need them (a gather of every line's
    # text costs more than the rest of a rule)
    return lines.with_columns(
        _names(lines, ~pl.col("_class_ok").fill_null(True), ini["agreement_id"], row).alias("agreement_id"),
        _names(lines, ~pl.col("_children_ok"), ini["parent_id"], row).alias("parent_id"),
    )


def _names(lines: pl.DataFrame, where: pl.Expr, names: pl.Series, row: pl.Series) -> pl.Series:
    """`names` by `row` on the lines `where` holds, else null."""
    at = lines.select(pl.arg_where(where)).to_series()
    return _scatter(lines.height, at, names.gather(row.gather(at)))


def _scatter(n: int, at: pl.Series, values: pl.Series, default=None) -> pl.Series:
    """A column of n rows holding `values` at positions `at`, else `default`."""
    out = pl.repeat(default, n, dtype=values.dtype, eager=True).alias(values.name)
    return out.scatter(at, values) if len(at) else out


def _mark_overlaps(lines: pl.DataFrame) -> pl.DataFrame:
    """Mark a line that starts before the previous line of its initiative, region and kind ends.

    Groups by the codes `_i`, `_k`, `_r` from `_prepare_lines`."""
    n = lines.height
    dated = lines.select("_idx", "_i", "_k", "_r", "year_from", "year_to").filter(pl.col("year_from").is_not_null())
    if dated.height == 0:
        return lines.with_columns(
            pl.lit(True).alias("_unique"), pl.lit(None, pl.String).alias("_other"),
            pl.col("year_from").alias("_overlap_year"),
        )
    lo, hi = int(dated["year_from"].min()), int(dated["year_from"].max())
    sizes = [int(dated[c].max()) + 1 for c in ("_i", "_k", "_r")] + [hi - lo + 1, n]
    if math.prod(sizes) < _KEY_LIMIT:  # one sort key: group, year_from, position
        group = (pl.col("_i") * sizes[1] + pl.col("_k")) * sizes[2] + pl.col("_r")
        key = (group * sizes[3] + pl.col("year_from") - lo) * n + pl.col("_idx").cast(pl.Int64)
        ordered = dated.select(key.alias("_key"), "year_to").sort("_key").with_columns(
            (pl.col("_key") % n).cast(pl.UInt32).alias("_idx"),
            ((pl.col("_key") // n) % sizes[3] + lo).alias("year_from"),
            (pl.col("_key") // (n * sizes[3])).alias("_g"),
        )
        first = pl.col("_g") != pl.col("_g").shift(1)
    else:
        ordered = dated.sort(["_i", "_k", "_r", "year_from", "_idx"])
        first = pl.any_horizontal(pl.col(c) != pl.col(c).shift(1) for c in ("_i", "_k", "_r"))
    # the latest end so far in the group: a running max over (group number, end), the ends
    # clipped to just outside the starts, which keeps every comparison with a start
    first = first.fill_null(True)
    end = pl.col("year_to").fill_null(YEAR_MAX + 1).clip(lo - 1, hi + 1) - (lo - 1)
    width = hi - lo + 3
    number = first.cum_sum().cast(pl.Int64)
    if (ordered.height + 1) * width < _KEY_LIMIT:
        running = (number * width + end).cum_max() - number * width
    else:
        running = end.cum_max().over(number)
    ordered = ordered.select(
        "_idx",
        (first | (pl.col("year_from") - (lo - 1) > running.shift(1))).alias("_unique"),
        pl.col("_idx").shift(1).alias("_prev"),
    )
    clash = ordered.filter(~pl.col("_unique"))
    previous = lines.select("id", ROW)[clash["_prev"]]
    other = pl.Series("_other", [
        f"row {row}" if row is not None else (f"line {line}" if line is not None else None)
        for line, row in previous.iter_rows()
    ], dtype=pl.String)
    return lines.with_columns(
        _scatter(n, ordered["_idx"], ordered["_unique"], True),
        _scatter(n, clash["_idx"], other),
        pl.col("year_from").alias("_overlap_year"),
    )


def _first_by_year(hits: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Per line, the hit in its earliest year (the first listed on a tie)."""
    return (
        hits.with_row_index("_order")
        .sort("_idx", "year", "_order")
        .group_by("_idx", maintain_order=True)
        .first()
        .select("_idx", *[pl.col(c).alias(a) for c, a in columns.items()])
    )


_AMOUNT_DETAILS = ("_regional", "_national", "_children", "_frame")  # the sums a hit reports


def _mark_sums(lines: pl.DataFrame, ledger: Ledger) -> pl.DataFrame:
    """Children within their parent, and regions within the national line, in every year."""
    last = ledger.last_year() or YEAR_MIN
    # a line without a kind is never held against another, nor another against it: the
    # joins on kind never match a missing one
    base = lines.filter(
        pl.col("_initiative_known") & pl.col("amount").is_not_null() & pl.col("year_from").is_not_null()
        & pl.col("kind").is_not_null()
    )
    hits: list[pl.DataFrame] = []
    if base.height:
        y0 = int(base["year_from"].min())
        sizes = {
            "i": max(int(base["_i"].max()), int(base["_p"].max() or 0)) + 1,
            "k": int(base["_k"].max()) + 1,
            "y": max(last - y0 + 1, 1),
            "r": int(base["_r"].max()) + 1,
        }
        if math.prod(sizes.values()) >= _KEY_LIMIT:  # codes too many to pack: by name
            parents = ledger.initiatives.select(pl.col("id").alias("initiative_id"), "parent_id")
            parents = parents.unique("initiative_id", keep="first", maintain_order=True)
            return _mark_sums_by_name(
                lines.join(parents, on="initiative_id", how="left", maintain_order="left"), ledger
            )
        micro = micro_units(base["amount"], sizes["y"])  # exact, and faster to sum
        if micro is not None:
            base = base.with_columns(micro)
        hits = [
            found.with_columns(from_micro(found[c]) for c in found.columns if c.endswith(_AMOUNT_DETAILS))
            for found in _sum_hits(base, last, y0, sizes)
        ]
    amount = lines.schema["amount"]
    empty = {"_rn_year": pl.Int64, "_rn_regional": amount, "_rn_national": amount,
             "_cp_year": pl.Int64, "_cp_children": amount, "_cp_frame": amount}
    out = lines
    for found in hits:
        out = out.join(found, on="_idx", how="left", maintain_order="left")
    return out.with_columns(
        pl.lit(None, dtype).alias(c) for c, dtype in empty.items() if c not in out.columns
    ).with_columns(
        pl.col("_rn_year").is_null().alias("_regions_ok"),
        pl.col("_cp_year").is_null().alias("_children_ok"),
    )


def _sum_hits(base: pl.DataFrame, last: int, y0: int, sizes: dict[str, int]) -> list[pl.DataFrame]:
    """The sums rules on one packed key per line and year, ((initiative * K + kind) * Y +
    year - y0) * R + region: the key divided by R is (initiative, kind, year), and a parent's
    key is its child's with the initiative part replaced."""
    K, Y, R = sizes["k"], sizes["y"], sizes["r"]
    per_ini = K * Y * R
    appropriation = list(KINDS).index("appropriation")
    zero = pl.col("children") * 0
    parent_of = pl.repeat(None, sizes["i"], dtype=pl.Int64, eager=True).scatter(base["_i"], base["_p"])

    def expand(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
        years = pl.int_ranges("year_from", pl.min_horizontal(pl.coalesce("year_to", last), last) + 1)
        return (
            frame.select(
                (((pl.col("_i") * K + pl.col("_k")) * Y - y0) * R + pl.col("_r")).alias("_base"),
                years.alias("year"), *columns,
            )
            .explode("year")
            .drop_nulls("year")
            .with_columns((pl.col("_base") + pl.col("year") * R).alias("ikyr"))
        )

    def parent_key(frame: pl.DataFrame, key: str, per: int) -> pl.Series:
        """The parent's key for each row's (child's) key; null without a parent."""
        return parent_of.gather(frame[key] // per) * per + frame[key] % per

    # sums are over lines that name a region; one without is only carried to the hits below
    named = base.filter(pl.col("_nat").is_not_null()) if base["_nat"].null_count() else base
    own = expand(named, "amount").select("ikyr", "amount").sort("ikyr")
    own = own.with_columns(
        pl.col("ikyr").set_sorted(), (pl.col("ikyr") // R).set_sorted().alias("iky"), (pl.col("ikyr") % R == 0).alias("_nat")
    )
    if (own["ikyr"].diff() == 0).any():  # overlapping lines: several of a kind in a year
        own = own.group_by("ikyr", maintain_order=True).agg(pl.col("amount").sum(), pl.col("iky", "_nat").first())
        own = own.with_columns(pl.col("ikyr").set_sorted(), pl.col("iky").set_sorted())
    # the national line comes first in its (initiative, kind, year), region code 0
    totals = (
        own.group_by("iky", maintain_order=True)
        .agg(
            pl.col("amount").sum().alias("_all"), pl.col("amount").first().alias("_first"),
            pl.col("_nat").first().alias("_has_nat"), pl.len().alias("_n"),
        )
        .with_columns(pl.col("iky").set_sorted())
        .with_columns(
            pl.when(pl.col("_has_nat")).then(pl.col("_first")).alias("national"),
            pl.when(pl.col("_n") > pl.col("_has_nat").cast(pl.UInt32))
            .then(pl.when(pl.col("_has_nat")).then(pl.col("_all") - pl.col("_first")).otherwise(pl.col("_all")))
            .alias("regional"),
        )
        .with_columns(pl.coalesce("national", "regional").alias("total"))
    )
    regional = own.filter(~pl.col("_nat")).select("ikyr", "amount")
    found: list[pl.DataFrame] = []

    # regional lines over the national line of the same initiative
    regional_over = totals.filter(pl.col("national").is_not_null() & (pl.col("regional") > pl.col("national")))
    if regional_over.height:
        found.append(_first_by_year(
            expand(base.filter(~pl.col("_nat")), "_idx")
            .with_columns((pl.col("ikyr") // R).alias("iky"))
            .join(regional_over.select("iky", "regional", "national"), on="iky"),
            {"year": "_rn_year", "regional": "_rn_regional", "national": "_rn_national"},
        ))

    def over_whole() -> pl.DataFrame:
        """Children together over the parent's frame of their kind (else its appropriation)."""
        frames = totals.select(pl.col("iky").alias("_key"), pl.col("total").alias("_value"))
        children = (
            totals.select(parent_key(totals, "iky", K * Y).alias("pky"), "total")
            .filter(pl.col("pky").is_not_null())
            .sort("pky")
            .group_by(pl.col("pky").set_sorted(), maintain_order=True)
            .agg(pl.col("total").sum().alias("children"))
            .with_columns(pl.col("pky").set_sorted())
            .join(frames.rename({"_key": "pky", "_value": "frame"}), on="pky", how="left", maintain_order="left")
        )
        children = _fill_from_appropriation(children, "frame", frames, "pky", Y, K, appropriation)
        return children.with_columns(pl.coalesce("frame", zero).alias("frame")).filter(
            pl.col("children") > pl.col("frame")
        )

    def over_region() -> pl.DataFrame:
        """Children's lines in a region over the parent's line there; a parent with only a
        national line bounds its children's regions through that line alone."""
        nationals = totals.filter(pl.col("_has_nat")).select(
            pl.col("iky").alias("_key"), pl.col("_has_nat").alias("_value")
        )
        regionals = regional.select(pl.col("ikyr").set_sorted().alias("_key"), pl.col("amount").alias("_value"))
        children = (
            regional.select(parent_key(regional, "ikyr", per_ini).alias("pkyr"), "amount")
            .filter(pl.col("pkyr").is_not_null())
            .sort("pkyr")
            .group_by(pl.col("pkyr").set_sorted(), maintain_order=True)
            .agg(pl.col("amount").sum().alias("children"))
            .with_columns(pl.col("pkyr").set_sorted(), (pl.col("pkyr") // R).set_sorted().alias("pky"))
            .join(regionals.rename({"_key": "pkyr", "_value": "frame"}), on="pkyr", how="left", maintain_order="left")
            .join(nationals.rename({"_key": "pky", "_value": "has_national"}), on="pky", how="left",
                  maintain_order="left")
        )
        children = _fill_from_appropriation(children, "frame", regionals, "pkyr", Y * R, K, appropriation)
        children = _fill_from_appropriation(children, "has_national", nationals, "pky", Y, K, appropriation)
        return (
            children.filter(pl.col("frame").is_not_null() | pl.col("has_national").is_null())
            .with_columns(pl.coalesce("frame", zero).alias("frame"))
            .filter(pl.col("children") > pl.col("frame"))
        )

    over_whole, over_region = _at_once(over_whole, over_region)
    if over_whole.height or over_region.height:
        # every line of a child: national, regional, and one without a region
        lines = expand(base.filter(pl.col("_p").is_not_null()), "_idx")
        lines = lines.with_columns(parent_key(lines, "ikyr", per_ini).alias("pkyr")).with_columns(
            (pl.col("pkyr") // R).alias("pky")
        )
        found.append(_first_by_year(
            pl.concat([
                lines.join(over_whole.select("pky", "children", "frame"), on="pky")
                .select("_idx", "year", "children", "frame"),
                lines.join(over_region.select("pkyr", "children", "frame"), on="pkyr")
                .select("_idx", "year", "children", "frame"),
            ]),
            {"year": "_cp_year", "children": "_cp_children", "frame": "_cp_frame"},
        ))
    return found


def _fill_from_appropriation(
    frame: pl.DataFrame, column: str, values: pl.DataFrame, key: str, per_kind: int, kinds: int, appropriation: int
) -> pl.DataFrame:
    """Where `column` is null for a kind other than appropriation, the parent's value for
    appropriation: a proposal drawing on an appropriated frame is held against it.
    `values` is `_key`, `_value` for every key; the kind is `key // per_kind % kinds`."""
    kind = (pl.col(key) // per_kind) % kinds
    found = (
        frame.with_row_index("_at")
        .filter(pl.col(column).is_null() & (kind != appropriation))
        .select("_at", (pl.col(key) + (appropriation - kind) * per_kind).alias("_key"))
        .join(values, on="_key", how="inner")
    )
    if found.height == 0:
        return frame
    return frame.with_columns(frame[column].scatter(found["_at"], found["_value"].cast(frame.schema[column])))


def _mark_sums_by_name(lines: pl.DataFrame, ledger: Ledger) -> pl.DataFrame:
    """`_mark_sums` on the names themselves, for codes too many to pack (never in practice)."""
    last = ledger.last_year() or YEAR_MIN
    base = lines.lazy().filter(
        pl.col("_initiative_known") & pl.col("amount").is_not_null() & pl.col("year_from").is_not_null()
    )
    expanded = expand_years(
        base.select("_idx", "initiative_id", "parent_id", "year_from", "year_to", "region", "kind", "amount"),
        last,
    )
    totals = initiative_totals(expanded)
    keys = ["initiative_id", "year", "kind"]

    # regional lines over the national line of the same initiative
    regional_over = totals.filter(pl.col("national").is_not_null() & (pl.col("regional") > pl.col("national")))
    regional_hits = (
        expanded.filter(pl.col("region") != NATIONAL)
        .join(regional_over, on=keys)
        .group_by("_idx")
        .agg(pl.all().sort_by("year", maintain_order=True).first())
        .select(
            "_idx",
            pl.col("year").alias("_rn_year"),
            pl.col("regional").alias("_rn_regional"),
            pl.col("national").alias("_rn_national"),
        )
    )

    # children over their parent: the whole (national total) and each region the parent names
    parents = ledger.initiatives.lazy().select(
        pl.col("id").alias("initiative_id"), pl.col("parent_id")
    ).unique("initiative_id")
    child_totals = (
        totals.join(parents, on="initiative_id")
        .filter(pl.col("parent_id").is_not_null())
        .group_by("parent_id", "year", "kind")
        .agg(pl.col("total").sum().alias("children"))
    )
    # A child of another kind than its parent (a proposal drawing on an appropriated frame)
    # is held against the parent's appropriation.
    def frame_of(frame: pl.LazyFrame, keys: list[str], value: str):
        same = frame.rename({value: "_same"})
        appropriated = frame.filter(pl.col("kind") == "appropriation").drop("kind").rename({value: "_appr"})
        return lambda children: (
            children.join(same, on=[*keys, "kind"], how="left")
            .join(appropriated, on=keys, how="left")
            .with_columns(pl.coalesce("_same", "_appr").alias("frame"))
            .drop("_same", "_appr")
        )

    parent_totals = totals.select(
        pl.col("initiative_id").alias("parent_id"), "year", "kind", pl.col("total").alias("frame")
    )
    over_whole = (
        frame_of(parent_totals, ["parent_id", "year"], "frame")(child_totals)
        .with_columns(pl.coalesce("frame", pl.col("children") * 0).alias("frame"))
        .filter(pl.col("children") > pl.col("frame"))
        .select("parent_id", "year", "kind", "children", "frame")
    )

    parent_regional = (
        expanded.filter(pl.col("region") != NATIONAL)
        .group_by("initiative_id", "year", "kind", "region")
        .agg(pl.col("amount").sum().alias("frame"))
        .rename({"initiative_id": "parent_id"})
    )
    parent_has_national = (
        totals.filter(pl.col("national").is_not_null())
        .select(pl.col("initiative_id").alias("parent_id"), "year", "kind", pl.lit(True).alias("has_national"))
    )
    child_regional = (
        expanded.filter((pl.col("region") != NATIONAL) & pl.col("parent_id").is_not_null())
        .group_by("parent_id", "year", "kind", "region")
        .agg(pl.col("amount").sum().alias("children"))
    )
    over_region = (
        frame_of(parent_regional, ["parent_id", "year", "region"], "frame")(child_regional)
        .join(frame_of(parent_has_national, ["parent_id", "year"], "has_national")(
            child_regional.select("parent_id", "year", "kind").unique()
        ).rename({"frame": "has_national"}), on=["parent_id", "year", "kind"], how="left")
        # a parent with a national line bounds its children's regions only through that line
        .filter(pl.col("frame").is_not_null() | pl.col("has_national").is_null())
        .with_columns(pl.coalesce("frame", pl.col("children") * 0).alias("frame"))
        .filter(pl.col("children") > pl.col("frame"))
        .select("parent_id", "year", "kind", "children", "frame", pl.col("region").alias("scope"))
    )
    child_hits = (
        pl.concat(
            [
                expanded.join(over_whole, on=["parent_id", "year", "kind"]),
                expanded.join(
                    over_region,
                    left_on=["parent_id", "year", "kind", "region"],
                    right_on=["parent_id", "year", "kind", "scope"],
                ),
            ],
            how="diagonal_relaxed",
        )
        .group_by("_idx")
        .agg(pl.all().sort_by("year", maintain_order=True).first())
        .select(
            "_idx",
            pl.col("year").alias("_cp_year"),
            pl.col("children").alias("_cp_children"),
            pl.col("frame").alias("_cp_frame"),
        )
    )
    hits = pl.collect_all([regional_hits, child_hits])
    return (
        lines.join(hits[0], on="_idx", how="left")
        .join(hits[1], on="_idx", how="left")
        .with_columns(
            pl.col("_rn_year").is_null().alias("_regions_ok"),
            pl.col("_cp_year").is_null().alias("_children_ok"),
        )
        .sort("_idx")
    )


def _lines(ledger: Ledger) -> list[Violation]:
    if ledger.lines.height == 0:
        return []
    frame = _prepare_lines(ledger)
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(pl.Int64, [_flag("_id_unique", "id_unique")]),
            "initiative_id": pa.Column(pl.String, [_flag("_initiative_known", "initiative_known")]),
            "year_from": pa.Column(pl.Int64, [_years(), _flag("_unique", "line_unique")]),
            "year_to": pa.Column(
                pl.Int64, [_flag("_year_to_in_range", "year_range"), _flag("_ordered", "year_order")], nullable=True
            ),
            "region": pa.Column(
                pl.String,
                [_flag("_region_known", "region_known"), _flag("_region_in_years", "region_in_years")],
            ),
            "amount": pa.Column(
                AMOUNT,
                [
                    pa.Check.ge(0, name="amount_non_negative"),
                    _flag("_children_ok", "children_within_parent"),
                    _flag("_regions_ok", "regions_within_national"),
                ],
            ),
            "kind": pa.Column(pl.String, [_flag("_kind_known", "kind_known")]),
            "price_level": pa.Column(pl.Int64, [_years("price_level_range")], nullable=True),
            "source_id": pa.Column(pl.String, [_text_required(), _flag("_source_known", "source_known")]),
            "classification": pa.Column(
                pl.String,
                [_in(CLASSIFICATIONS, "classification_known"), _flag("_class_ok", "classification_below_agreement")],
            ),
        }
    )
    details = {
        "year_order": ["year_from"],
        "region_in_years": ["_region_bad_year"],
        "line_unique": ["_overlap_year", "_other"],
        "children_within_parent": ["_cp_year", "_cp_children", "_cp_frame", "parent_id", "kind"],
        "regions_within_national": ["_rn_year", "_rn_regional", "_rn_national", "initiative_id", "kind"],
        "classification_below_agreement": ["agreement_id"],
    }
    found = _check_frame("lines", frame, schema, details)
    return [_rename_detail(v) for v in found]


_DETAIL_NAMES = {
    "region_bad_year": "year", "overlap_year": "year", "cp_year": "year", "cp_children": "children",
    "cp_frame": "frame", "rn_year": "year", "rn_regional": "regional", "rn_national": "national",
}


def _rename_detail(v: Violation) -> Violation:
    if not v.detail:
        return v
    detail = {_DETAIL_NAMES.get(k, k): val for k, val in v.detail.items()}
    return Violation(v.table, v.row, v.ref, v.field, v.value, v.rule, detail)


def check(ledger: Ledger) -> list[Violation]:
    """Every rule over the whole ledger; an empty list means the ledger may be written."""
    lines, others = _at_once(
        lambda: _lines(ledger),
        lambda: [v for part in (_sources, _agreements, _initiatives, _stated_totals) for v in part(ledger)],
    )
    return sorted(others + lines, key=lambda v: (v.row is None, v.row or 0, v.table, v.ref, v.field))
