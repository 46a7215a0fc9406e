"""What the app's pages show, as pure functions over the ledger's frames.

Amounts come from the report engine's atoms (`tracker.reports.atoms`), so every figure here
adds up exactly to the same totals as `breakdown`. Nothing here knows about Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

import polars as pl

from ledger.assertions import Finding
from ledger.domain import CLASSIFICATIONS, KINDS, STATUSES, label
from ledger.frames import AMOUNT, Ledger, expand_years

from . import formatting
from .reports import Filters, default_horizon, initiative_tree

ZERO = Decimal(0)
DECIDED = "appropriation"  # the only kind that is decided money; every other kind is shown apart


def horizon(ledger: Ledger, today: date | None = None) -> int:
    """The last year any view offers: the report horizon, and at least one year past the last
    change in the ledger, so the permanent level always shows."""
    last = ledger.last_year()
    base = default_horizon(today)
    return base if last is None else max(base, last + 1)


def first_year(ledger: Ledger, today: date | None = None) -> int:
    first = ledger.lines["year_from"].min()
    return int(first) if first is not None else (today or date.today()).year


def order_kinds(kinds: Iterable[str]) -> list[str]:
    """Kinds in the vocabulary's order: appropriations first, then the kinds shown apart."""
    chosen = set(kinds)
    return [k for k in KINDS if k in chosen]


# --- sources -------------------------------------------------------------------------------


def source_labels(ledger: Ledger) -> dict[str, str]:
    """A readable citation per source id: document, place in it, case number."""
    labels = {}
    for row in ledger.sources.iter_rows(named=True):
        text = row["document"] or row["id"]
        if row["location"]:
            text += f", {row['location']}"
        if row["case_no"]:
            text += f" ({row['case_no']})"
        labels[row["id"]] = text
    return labels


def cite(source_ids: Sequence[str] | None, labels: dict[str, str], lang: str = "da", limit: int = 3) -> str:
    """The sources of a figure as one line of text for a tooltip or a table cell."""
    ids = [s for s in (source_ids or []) if s]
    if not ids:
        return ""
    shown = [labels.get(s, s) for s in ids[:limit]]
    text = " · ".join(shown)
    if len(ids) > limit:
        more = len(ids) - limit
        text += f" · og {more} andre" if lang == "da" else f" · and {more} more"
    return text


@dataclass(frozen=True)
class Cell:
    """One cell of a year x region heatmap, named by what it is rather than by its sources: a
    link that names it stays short however many sources the cell adds up, and the Kilder page
    looks its sources up again (`find_cell`). Besides the view's filters, which the link carries
    as every source link does, the name holds all the cell depends on (the key too), so the link
    leans on no other page's parameter."""

    year: int
    kind: str
    region: str
    basis: str  # stated, key or national (`tracker.regional`)
    key: str = ""  # the distribution key the money for the regions was split by; "" as stated

    SEPARATOR = "~"

    def __str__(self) -> str:
        return self.SEPARATOR.join((str(self.year), self.kind, self.region, self.basis, self.key))

    @classmethod
    def parse(cls, text: str | None) -> "Cell | None":
        """The cell a link names, or None for text that names none."""
        parts = (text or "").split(cls.SEPARATOR, 4)
        if len(parts) != 5 or not parts[0].isdigit() or parts[1] not in KINDS or not parts[2] \
                or parts[3] not in ("stated", "key", "national") or (parts[3] == "key" and not parts[4]):
            return None
        return cls(int(parts[0]), *parts[1:])


def find_cell(cells: pl.DataFrame, cell: Cell) -> dict | None:
    """The row of `cells` (year, kind, region, basis, amount, source_ids) that is `cell`."""
    found = cells.filter(pl.col("year") == cell.year, pl.col("kind") == cell.kind,
                         pl.col("region") == cell.region, pl.col("basis") == cell.basis)
    return found.row(0, named=True) if found.height else None


def _filter_lines(frame: pl.DataFrame, filters: Filters, until: int) -> pl.DataFrame:
    frame = frame.filter(pl.col("year") <= until)
    if filters.kinds is not None:
        frame = frame.filter(pl.col("kind").is_in(list(filters.kinds)))
    if filters.year_from is not None:
        frame = frame.filter(pl.col("year") >= filters.year_from)
    if filters.regions is not None:
        frame = frame.filter(pl.col("region").is_in(list(filters.regions)))
    return frame


def line_years(ledger: Ledger, until: int) -> pl.DataFrame:
    """Every line once per year it covers: the rows a figure's sources are looked up in."""
    return expand_years(
        ledger.lines.select("initiative_id", "year_from", "year_to", "region", "kind", "source_id"), until
    ).select("initiative_id", "year", "region", "kind", "source_id").collect()


def cell_sources(
    ledger: Ledger,
    by: Sequence[str],
    filters: Filters,
    depth: int = 1,
    tree: pl.DataFrame | None = None,
    lines: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The sources behind each cell of `breakdown(ledger, by, filters, depth)`: the same key
    columns, then `source_ids` (sorted). A remainder cell cites the frame's own lines."""
    until = filters.until or default_horizon()
    frame = _filter_lines(lines if lines is not None else line_years(ledger, until), filters, until)
    tree = tree if tree is not None else initiative_tree(ledger)
    frame = frame.join(
        tree.select(pl.col("id").alias("initiative_id"), "agreement_id", "depth", "path"), on="initiative_id", how="left"
    )
    if filters.agreements is not None:
        frame = frame.filter(pl.col("agreement_id").is_in(list(filters.agreements)))
    if filters.initiatives is not None:
        frame = frame.filter(pl.col("path").list.eval(pl.element().is_in(list(filters.initiatives))).list.any())
    keys = []
    for dim in by:
        if dim == "initiative":
            frame = frame.with_columns(
                pl.col("path").list.get(pl.min_horizontal(pl.col("depth"), depth) - 1).alias("initiative_id")
            )
            keys.append("initiative_id")
        elif dim == "agreement":
            keys.append("agreement_id")
        else:
            keys.append(dim)
    if "region" in by:
        names = dict(ledger.regions.select("code", "name").iter_rows())
        frame = frame.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")))
    if not keys:
        return frame.select(pl.col("source_id").unique().sort().alias("source_ids").implode())
    return frame.group_by(keys).agg(pl.col("source_id").unique().sort().alias("source_ids"))


def with_sources(result: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """A breakdown with the `source_ids` of each row."""
    keys = [c for c in sources.columns if c != "source_ids" and c in result.columns]
    if not keys:
        ids = sources["source_ids"][0].to_list() if sources.height else []
        return result.with_columns(pl.Series("source_ids", [ids] * result.height, pl.List(pl.String)))
    return result.join(sources, on=keys, how="left")


# --- key figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    year: int
    this_year: Decimal
    next_year: Decimal
    permanent: Decimal  # the yearly amount that continues in every later year (0: none)
    permanent_from: int | None  # the first year of that level
    sources_this_year: tuple[str, ...]
    sources_next_year: tuple[str, ...]
    sources_permanent: tuple[str, ...]


def year_totals(atoms: pl.DataFrame) -> dict[int, Decimal]:
    totals = atoms.group_by("year").agg(pl.col("amount").sum())
    return {int(y): a for y, a in totals.iter_rows()}


def key_figures(
    ledger: Ledger,
    atoms: pl.DataFrame,
    kind: str = DECIDED,
    agreements: Sequence[str] | None = None,
    year: int | None = None,
    lines: pl.DataFrame | None = None,
    tree: pl.DataFrame | None = None,
) -> KeyFigures:
    """This year, next year, and the permanent level with the year it starts.

    `atoms` must reach past the ledger's last year (see `horizon`): from then on every year
    equals the permanent level."""
    year = year or date.today().year
    last = max(ledger.last_year() or year, year + 1) + 1
    tree = tree if tree is not None else initiative_tree(ledger)
    chosen = atoms.filter(pl.col("kind") == kind, pl.col("year") <= last)
    if agreements is not None:
        ids = tree.filter(pl.col("agreement_id").is_in(list(agreements)))["id"]
        chosen = chosen.filter(pl.col("initiative_id").is_in(ids.implode()))
    totals = year_totals(chosen)
    level = totals.get(last, ZERO)
    start = None
    if level != 0:
        start = last
        while start - 1 in totals and totals[start - 1] == level:
            start -= 1
    filters = Filters(kinds=(kind,), agreements=agreements, until=last)
    sources = cell_sources(ledger, ["year"], filters, tree=tree, lines=lines)
    by_year = {int(y): tuple(s) for y, s in sources.iter_rows()}
    return KeyFigures(
        year=year,
        this_year=totals.get(year, ZERO),
        next_year=totals.get(year + 1, ZERO),
        permanent=level,
        permanent_from=start,
        sources_this_year=by_year.get(year, ()),
        sources_next_year=by_year.get(year + 1, ()),
        sources_permanent=by_year.get(last, ()),
    )


# --- agreements and their initiative trees -------------------------------------------------


def ancestors(ledger: Ledger) -> pl.DataFrame:
    """Pairs (initiative_id, ancestor_id), each initiative its own ancestor too; parents in
    other agreements count (a frame is drawn on across agreements)."""
    parent_of = dict(ledger.initiatives.select("id", "parent_id").iter_rows())
    rows = []
    for ini in parent_of:
        seen = set()
        node = ini
        while node and node not in seen:
            rows.append((ini, node))
            seen.add(node)
            node = parent_of.get(node)
    return pl.DataFrame(rows, schema={"initiative_id": pl.String, "ancestor_id": pl.String}, orient="row")


def whole_amounts(atoms: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each initiative's whole frame per year and kind: its own atoms and all below it."""
    return (
        atoms.join(pairs, on="initiative_id")
        .group_by("ancestor_id", "year", "kind")
        .agg(pl.col("amount").sum())
        .rename({"ancestor_id": "initiative_id"})
    )


def top_initiatives(ledger: Ledger) -> pl.DataFrame:
    """(initiative_id, agreement_id) of each agreement's top initiatives: no parent, or a
    parent in another agreement."""
    ini = ledger.initiatives.select("id", "agreement_id", "parent_id")
    parents = ini.select(pl.col("id").alias("parent_id"), pl.col("agreement_id").alias("_parent_agreement"))
    return (
        ini.join(parents, on="parent_id", how="left")
        .filter(pl.col("parent_id").is_null() | (pl.col("_parent_agreement") != pl.col("agreement_id"))
                | pl.col("_parent_agreement").is_null())
        .select(pl.col("id").alias("initiative_id"), "agreement_id")
    )


def roots(ledger: Ledger, agreement_id: str) -> list[str]:
    """The agreement's top initiatives."""
    top = top_initiatives(ledger)
    return top.filter(pl.col("agreement_id") == agreement_id)["initiative_id"].to_list()


def agreement_totals(
    ledger: Ledger, wholes: pl.DataFrame, kinds: Sequence[str], year_from: int, until: int
) -> pl.DataFrame:
    """Per agreement and kind: the whole of its frames in the period (frames drawn on by
    other agreements included, so these do not add up across agreements)."""
    return (
        wholes.filter(pl.col("kind").is_in(list(kinds)), pl.col("year").is_between(year_from, until))
        .join(top_initiatives(ledger), on="initiative_id")
        .group_by("agreement_id", "kind")
        .agg(pl.col("amount").sum())
    )


def agreement_list(ledger: Ledger, totals: pl.DataFrame, kinds: Sequence[str], lang: str = "da") -> pl.DataFrame:
    """Every agreement with its facts and its frame per kind in the period."""
    base = ledger.agreements.select(
        "id", "title", "kind", "status", "date_agreed", "parties", "classification", "source_id"
    ).with_columns(
        pl.col("status").replace_strict({c: label(STATUSES, c, lang) for c in STATUSES}, default=pl.col("status")),
        pl.col("classification").replace_strict(
            {c: label(CLASSIFICATIONS, c, lang) for c in CLASSIFICATIONS}, default=pl.col("classification")
        ),
    )
    for kind in kinds:
        per = totals.filter(pl.col("kind") == kind).select(pl.col("agreement_id").alias("id"), pl.col("amount").alias(kind))
        base = base.join(per, on="id", how="left")
    undated = pl.col("date_agreed").is_null() | (pl.col("date_agreed") == "")
    return base.with_columns(undated.alias("_undated")).sort("_undated", "date_agreed", "title").drop("_undated")


def default_agreement(listing: pl.DataFrame, kinds: Sequence[str]) -> str | None:
    """The agreement Aftaler opens on when none is chosen: the one with the largest frame of the
    first kind shown, in the period (so the page opens on money, not on the oldest agreement,
    which may hold none); the listing's order breaks a tie. The first listed when none has
    money; None for an empty listing."""
    if listing.height == 0:
        return None
    kind = kinds[0] if kinds else None
    if kind in listing.columns:
        with_money = listing.with_row_index("_at").filter(pl.col(kind) > 0)
        if with_money.height:
            return with_money.sort([kind, "_at"], descending=[True, False])["id"][0]
    return listing["id"][0]


def agreement_tree(
    ledger: Ledger,
    atoms: pl.DataFrame,
    wholes: pl.DataFrame,
    agreement_id: str,
    kind: str,
    year_from: int,
    until: int,
    lang: str = "da",
) -> pl.DataFrame:
    """The agreement's initiative tree for one kind, one row per initiative and year.

    Columns: order, level, initiative_id, title, role, year, amount, source_ids. Roles:
    `initiative` (its whole frame), `remainder` (what the frame has not passed on: "ikke
    udmøntet"), `elsewhere` (a sub-initiative that belongs to another agreement, shown once,
    not opened), `total` (the agreement in all). Children and remainder of a frame add up to
    the frame exactly."""
    ini = ledger.initiatives
    title_of = dict(ini.select("id", "title").iter_rows())
    agreement_of = dict(ini.select("id", "agreement_id").iter_rows())
    agreement_titles = dict(ledger.agreements.select("id", "title").iter_rows())
    children: dict[str, list[str]] = {}
    for child, parent in ini.select("id", "parent_id").sort("id").iter_rows():
        if parent:
            children.setdefault(parent, []).append(child)

    in_period = pl.col("year").is_between(year_from, until)
    whole = wholes.filter(pl.col("kind") == kind, in_period)
    own = atoms.filter(pl.col("kind") == kind, in_period).group_by("initiative_id", "year").agg(pl.col("amount").sum())
    has_whole = set(whole["initiative_id"].unique())
    has_lines = set(ledger.lines.filter(pl.col("kind") == kind)["initiative_id"].unique())
    sources = (
        ledger.lines.filter(pl.col("kind") == kind)
        .group_by("initiative_id")
        .agg(pl.col("source_id").unique().sort().alias("source_ids"))
    )
    remainder_word = "ikke udmøntet" if lang == "da" else "not yet allocated"

    rows: list[tuple] = []  # order, level, initiative_id, title, role, amounts-from

    def visit(node: str, level: int) -> None:
        if node not in has_whole:
            return
        rows.append((len(rows), level, node, title_of[node], "initiative", "whole"))
        kids = [c for c in children.get(node, []) if c in has_whole]
        for child in kids:
            if agreement_of.get(child) == agreement_id:
                visit(child, level + 1)
            else:
                where = agreement_titles.get(agreement_of.get(child), "")
                text = f"{title_of[child]} ({'i' if lang == 'da' else 'in'} {where})"
                rows.append((len(rows), level + 1, child, text, "elsewhere", "whole"))
        if kids and node in has_lines:
            rows.append((len(rows), level + 1, node, f"{remainder_word.capitalize()}", "remainder", "own"))

    top = roots(ledger, agreement_id)
    for node in top:
        visit(node, 0)
    if not rows:
        return pl.DataFrame(
            schema={"order": pl.Int64, "level": pl.Int64, "initiative_id": pl.String, "title": pl.String,
                    "role": pl.String, "year": pl.Int64, "amount": AMOUNT, "source_ids": pl.List(pl.String)}
        )
    layout = pl.DataFrame(
        rows, schema={"order": pl.Int64, "level": pl.Int64, "initiative_id": pl.String, "title": pl.String,
                      "role": pl.String, "from": pl.String}, orient="row"
    )
    years = pl.DataFrame({"year": list(range(year_from, until + 1))}, schema={"year": pl.Int64})
    values = pl.concat([
        whole.select("initiative_id", "year", "amount", pl.lit("whole").alias("from")),
        own.select("initiative_id", "year", "amount", pl.lit("own").alias("from")),
    ])
    tree = (
        layout.join(years, how="cross")
        .join(values, on=["initiative_id", "year", "from"], how="left")
        .join(whole.select("initiative_id", "year", pl.col("amount").alias("_frame")), on=["initiative_id", "year"], how="left")
        # a remainder is 0, not empty, in a year where its frame has money
        .with_columns(
            pl.when((pl.col("role") == "remainder") & pl.col("amount").is_null() & pl.col("_frame").is_not_null())
            .then(pl.lit(ZERO, AMOUNT))
            .otherwise(pl.col("amount"))
            .alias("amount")
        )
        .join(sources, on="initiative_id", how="left")
        .drop("from", "_frame")
    )
    total = (
        whole.filter(pl.col("initiative_id").is_in(top))
        .group_by("year")
        .agg(pl.col("amount").sum())
        .join(sources.filter(pl.col("initiative_id").is_in(top)).explode("source_ids")
              .select(pl.col("source_ids").unique().sort().implode()).join(years, how="cross"),
              on="year", how="right")
        .select(
            pl.lit(len(rows), pl.Int64).alias("order"), pl.lit(0, pl.Int64).alias("level"),
            pl.lit(None, pl.String).alias("initiative_id"),
            pl.lit("I alt" if lang == "da" else "Total").alias("title"), pl.lit("total").alias("role"),
            "year", "amount", "source_ids",
        )
    )
    return pl.concat([tree.select(total.columns), total]).sort("order", "year")


def wide_by_year(tree: pl.DataFrame, total_label: str) -> pl.DataFrame:
    """The tree with one column per year (as text headers) and the period's sum."""
    years = sorted(tree["year"].unique().to_list())
    head = tree.select("order", "level", "initiative_id", "title", "role", "source_ids").unique("order").sort("order")
    wide = tree.pivot(on="year", index="order", values="amount", aggregate_function="first")
    wide = wide.rename({str(y): str(y) for y in years})
    cols = [str(y) for y in years]
    wide = wide.with_columns(
        pl.when(pl.any_horizontal(pl.col(cols).is_not_null()))
        .then(pl.sum_horizontal(pl.col(cols)))
        .otherwise(None)
        .cast(AMOUNT)
        .alias(total_label)
    )
    return head.join(wide, on="order").sort("order")


def initiatives_without_amounts(ledger: Ledger, agreement_id: str) -> list[str]:
    """Titles of the agreement's initiatives that hold no figure at all (amount not stated)."""
    with_lines = set(ledger.lines["initiative_id"].unique())
    return [
        t for i, a, t in ledger.initiatives.select("id", "agreement_id", "title").iter_rows()
        if a == agreement_id and i not in with_lines
        and not ledger.initiatives.filter(pl.col("parent_id") == i).height
    ]


# --- stated totals and findings ------------------------------------------------------------


def findings_table(ledger: Ledger, findings: Sequence[Finding], lang: str = "da") -> pl.DataFrame:
    """One row per finding: subject, what the source states, what the ledger holds, the
    difference and its explanation, the status and the source."""
    labels = source_labels(ledger)
    agreement_of = dict(ledger.initiatives.select("id", "agreement_id").iter_rows())
    agreement_titles = dict(ledger.agreements.select("id", "title").iter_rows())
    status_text = {
        "holds": ("stemmer", "holds"), "differs": ("stemmer ikke", "does not hold"),
        "unchecked": ("kan ikke afstemmes", "cannot be checked"),
    }
    rows = []
    for f in findings:
        agreement_id = f.subject_id if f.subject == "agreement" else agreement_of.get(f.subject_id)
        held = None
        if f.actual:
            distinct = set(f.actual.values())
            held = distinct.pop() if len(distinct) == 1 else None
        explanation = ""
        if f.explained_by:
            explanation = (
                f"Forskellen svarer til delinitiativet '{f.explained_by[1]}', som opgørelsen ikke medregner"
                if lang == "da"
                else f"The difference equals the sub-initiative '{f.explained_by[1]}', which the statement leaves out"
            )
        elif f.status == "unchecked":
            explanation = "Kilden oplyser ingen år" if lang == "da" else "The source gives no years"
        scope = ("årligt" if lang == "da" else "a year") if f.per_year else ("i alt" if lang == "da" else "in all")
        rows.append({
            "id": f.stated_total_id,
            "status": f.status,
            "status_text": status_text[f.status][0 if lang == "da" else 1],
            "subject": f.subject_title,
            "agreement_id": agreement_id,
            "agreement": agreement_titles.get(agreement_id, ""),
            "years": f.years_label(lang),
            "scope": scope,
            "kind": label(KINDS, f.kind, lang),
            "stated": f.stated,
            "held": held,
            "difference": f.difference if f.status == "differs" else None,
            "explanation": explanation,
            "message": f.message(lang),
            "source_id": f.source_id,
            "source": labels.get(f.source_id, f.source_id),
            "note": f.note,
        })
    schema = {
        "id": pl.String, "status": pl.String, "status_text": pl.String, "subject": pl.String,
        "agreement_id": pl.String, "agreement": pl.String, "years": pl.String, "scope": pl.String,
        "kind": pl.String, "stated": AMOUNT, "held": AMOUNT, "difference": AMOUNT, "explanation": pl.String,
        "message": pl.String, "source_id": pl.String, "source": pl.String, "note": pl.String,
    }
    order = {"differs": 0, "unchecked": 1, "holds": 2}
    frame = pl.DataFrame(rows, schema=schema)
    return frame.sort(pl.col("status").replace_strict(order, return_dtype=pl.Int64), "subject", "id")


# --- sources and the figures citing them ---------------------------------------------------


def sources_of_agreement(ledger: Ledger, agreement_id: str) -> list[str]:
    """Every source the agreement, its initiatives' lines or its stated totals cite."""
    ids = set(ledger.agreements.filter(pl.col("id") == agreement_id)["source_id"].drop_nulls())
    initiatives = ledger.initiatives.filter(pl.col("agreement_id") == agreement_id)["id"]
    ids |= set(ledger.lines.filter(pl.col("initiative_id").is_in(initiatives.implode()))["source_id"].drop_nulls())
    stated = ledger.stated_totals.filter(
        (pl.col("agreement_id") == agreement_id) | pl.col("initiative_id").is_in(initiatives.implode())
    )
    ids |= set(stated["source_id"].drop_nulls())
    return sorted(ids)


def source_table(ledger: Ledger, ids: Sequence[str] | None = None) -> pl.DataFrame:
    """Sources with how many figures (lines, stated totals, agreements) cite each."""
    sources = ledger.sources if ids is None else ledger.sources.filter(pl.col("id").is_in(list(ids)))
    counts = pl.concat([
        ledger.lines.select("source_id"),
        ledger.stated_totals.select("source_id"),
        ledger.agreements.select("source_id"),
    ]).group_by("source_id").len("figures")
    return (
        sources.select("id", "document", "case_no", "date", "location", "url", "note")
        .join(counts, left_on="id", right_on="source_id", how="left")
        .with_columns(pl.col("figures").fill_null(0).cast(pl.Int64))
        .sort("document", "location", "id")
    )


def figures_citing(ledger: Ledger, source_ids: Sequence[str], lang: str = "da") -> pl.DataFrame:
    """Every figure that cites one of the sources: allocation lines, stated totals, and the
    agreements themselves (which have no amount)."""
    ids = list(source_ids)
    ini = ledger.initiatives.select(pl.col("id").alias("initiative_id"), "agreement_id", pl.col("title").alias("subject"))
    agreements = ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement"))
    regions = dict(ledger.regions.select("code", "name").iter_rows())
    kinds = {c: label(KINDS, c, lang) for c in KINDS}
    what = {
        "line": "bevillingslinje" if lang == "da" else "allocation line",
        "stated": "opgjort total" if lang == "da" else "stated total",
        "agreement": "aftale" if lang == "da" else "agreement",
    }
    lines = (
        ledger.lines.filter(pl.col("source_id").is_in(ids))
        .join(ini, on="initiative_id", how="left")
        .join(agreements, on="agreement_id", how="left")
        .select(
            "source_id", pl.lit(what["line"]).alias("figure"), "agreement", "subject",
            "year_from", "year_to", pl.col("region").replace_strict(regions, default=pl.col("region")),
            pl.col("kind").replace_strict(kinds, default=pl.col("kind")), "amount",
            pl.lit(True).alias("per_year"), "note", pl.col("id").cast(pl.String).alias("figure_id"),
        )
    )
    stated = (
        ledger.stated_totals.filter(pl.col("source_id").is_in(ids))
        .join(ini.rename({"agreement_id": "_via"}), on="initiative_id", how="left")
        .with_columns(pl.coalesce("agreement_id", "_via").alias("agreement_id"))
        .join(agreements, on="agreement_id", how="left")
        .with_columns(pl.coalesce("subject", "agreement").alias("subject"))
        .select(
            "source_id", pl.lit(what["stated"]).alias("figure"), "agreement", "subject",
            "year_from", "year_to", pl.lit(None, pl.String).alias("region"),
            pl.col("kind").replace_strict(kinds, default=pl.col("kind")), "amount",
            pl.col("per_year").fill_null(True), "note", pl.col("id").alias("figure_id"),
        )
    )
    deals = (
        ledger.agreements.filter(pl.col("source_id").is_in(ids))
        .select(
            "source_id", pl.lit(what["agreement"]).alias("figure"), pl.col("title").alias("agreement"),
            pl.col("title").alias("subject"), pl.lit(None, pl.Int64).alias("year_from"),
            pl.lit(None, pl.Int64).alias("year_to"), pl.lit(None, pl.String).alias("region"),
            pl.lit(None, pl.String).alias("kind"), pl.lit(None, AMOUNT).alias("amount"),
            pl.lit(None, pl.Boolean).alias("per_year"), "note", pl.col("id").alias("figure_id"),
        )
    )
    frame = pl.concat([lines, stated, deals], how="vertical_relaxed")
    years_text = [
        "" if p is None else formatting.years(f, t, lang)
        for f, t, p in frame.select("year_from", "year_to", "per_year").iter_rows()
    ]
    # a stated total "i alt" over a span is not a yearly figure; an agreement has no amount
    scope = [
        "" if p is None else ("årligt" if lang == "da" else "a year") if p else ("i alt" if lang == "da" else "in all")
        for p in frame["per_year"]
    ]
    return frame.with_columns(
        pl.Series("years", years_text, pl.String),
        pl.Series("scope", scope, pl.String),
    ).sort("source_id", "figure", "agreement", "subject", "year_from", nulls_last=True)


# --- tables as shown -----------------------------------------------------------------------


def pivot(
    frame: pl.DataFrame,
    rows: Sequence[str],
    column: str | None,
    total_label: str | None = None,
    column_order: Sequence | None = None,
    label_column: str | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """A breakdown as a wide table: `rows` down, one column per value of `column`, with exact
    totals (a total column and a total row) when `total_label` is given; the total row's label
    goes in `label_column` (default: the first row column). `source_ids` of each row follow.
    Returns the table and the names of its amount columns."""
    rows = list(rows)
    has_sources = "source_ids" in frame.columns
    label_column = label_column or (rows[0] if rows else None)
    if total_label and label_column and frame.schema[label_column] != pl.String:
        frame = frame.with_columns(pl.col(label_column).cast(pl.String))
    if column is None:
        wide = frame.group_by(rows, maintain_order=True).agg(pl.col("amount").sum()) if rows else frame.select(
            pl.col("amount").sum())
        label = total_label or "amount"
        wide = wide.rename({"amount": label})
        amounts = [label]
    else:
        values = list(column_order) if column_order is not None else sorted(frame[column].unique().drop_nulls().to_list())
        names = [str(v) for v in values]
        cells = frame.group_by([*rows, column]).agg(pl.col("amount").sum()).with_columns(pl.col(column).cast(pl.String))
        if rows:
            wide = cells.pivot(on=column, index=rows, values="amount", aggregate_function="first")
        else:
            wide = cells.with_columns(pl.lit("").alias("_")).pivot(on=column, index="_", values="amount",
                                                                    aggregate_function="first").drop("_")
        for name in names:
            if name not in wide.columns:
                wide = wide.with_columns(pl.lit(None, AMOUNT).alias(name))
        wide = wide.select(*rows, *names)
        amounts = names
        if total_label:
            wide = wide.with_columns(
                pl.when(pl.any_horizontal(pl.col(names).is_not_null())).then(pl.sum_horizontal(names))
                .otherwise(None).cast(AMOUNT).alias(total_label)
            )
            amounts = [*names, total_label]
    if rows:
        wide = wide.sort(rows, nulls_last=True)
    if has_sources:
        if rows:
            cited = frame.group_by(rows).agg(pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
            wide = wide.join(cited, on=rows, how="left", nulls_equal=True)
        else:
            wide = wide.with_columns(pl.lit(frame["source_ids"].explode().drop_nulls().unique().sort().to_list(),
                                            pl.List(pl.String)).alias("source_ids"))
    if total_label and rows:
        sums = {name: wide[name].drop_nulls().sum() if wide[name].null_count() < wide.height else None for name in amounts}
        total_row = {**{r: None for r in rows}, label_column: total_label, **sums}
        if has_sources:
            total_row["source_ids"] = wide["source_ids"].explode().drop_nulls().unique().sort().to_list()
        wide = pl.concat([wide, pl.DataFrame([total_row], schema=wide.schema)])
    return wide, amounts


# --- charts as shown -----------------------------------------------------------------------

CHART_SERIES = 10  # the series a chart names; the rest are drawn together as one


def fold_series(
    frame: pl.DataFrame, column: str, label, keep: int = CHART_SERIES, by: Sequence[str] = ("year",)
) -> tuple[pl.DataFrame, int]:
    """At most `keep` + 1 series in a chart. A legend of 78 colours is read by no one and every
    bar costs the browser time, so the `keep` largest series (by money in the frame, savings
    counted by size) keep their rows and the rest become one series, `label(n)`, per value of
    `by`: the exact sum of their amounts, citing every source they cite. Folded rows have
    `folded` true. A frame of several kinds is not folded: its rest would add kinds together.
    Returns the frame and how many series were folded (0: frame unchanged)."""
    if frame.height == 0 or column not in frame.columns:
        return frame, 0
    if "kind" in frame.columns and frame["kind"].n_unique() > 1:
        return frame, 0
    sizes = frame.group_by(column).agg(pl.col("amount").abs().sum().alias("_size")).sort(
        ["_size", column], descending=[True, False], nulls_last=True)
    if sizes.height <= keep + 1:  # one series folded alone would only lose its name
        return frame, 0
    inside = pl.col(column).is_in(sizes[column].head(keep).implode())
    rest = frame.filter(~inside)
    folded = sizes.height - keep
    sums = [pl.col("amount").sum()]
    if "source_ids" in frame.columns:
        sums.append(pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
    by = [c for c in by if c in frame.columns]
    rest = rest.group_by(by, maintain_order=True).agg(sums) if by else rest.select(sums[0], *(
        [sums[1].implode()] if len(sums) > 1 else []))
    rest = rest.with_columns(pl.lit(label(folded)).alias(column), pl.lit(True).alias("folded"))
    kept = frame.filter(inside).with_columns(pl.lit(False).alias("folded"))
    return pl.concat([kept, rest.cast({"amount": frame.schema["amount"]})], how="diagonal"), folded


# --- one breakdown, many filter settings ---------------------------------------------------

BASE_DIMENSIONS = ("year", "agreement", "kind")
KEY_COLUMNS = {
    "year": ["year"], "agreement": ["agreement_id", "agreement_title"],
    "initiative": ["initiative_id", "initiative_title"], "region": ["region"], "kind": ["kind"],
}


def base_dimensions(by: Sequence[str]) -> list[str]:
    """The dimensions to ask the report engine for, so that a later choice of years, kinds
    and agreements only filters its answer: the chosen ones plus year, agreement and kind."""
    return list(dict.fromkeys([*by, *BASE_DIMENSIONS]))


def narrow(base: pl.DataFrame, by: Sequence[str], filters: Filters) -> pl.DataFrame:
    """What `breakdown(ledger, by, filters)` returns (with `source_ids`), from a breakdown by
    `base_dimensions(by)` of every kind and year: filtered, then summed up to `by`. The sums
    are the same exact sums, in the engine's row order. A row cites the sources of the money
    in it (a frame passed on in full adds no money, so it is not cited)."""
    frame = base
    if filters.kinds is not None:
        frame = frame.filter(pl.col("kind").is_in(list(filters.kinds)))
    if filters.year_from is not None:
        frame = frame.filter(pl.col("year") >= filters.year_from)
    if filters.until is not None:
        frame = frame.filter(pl.col("year") <= filters.until)
    if filters.agreements is not None:
        frame = frame.filter(pl.col("agreement_id").is_in(list(filters.agreements)))
    keys = [c for d in by for c in KEY_COLUMNS[d]]
    aggregations = [pl.col("amount").sum().cast(AMOUNT)]
    if "source_ids" in frame.columns:
        aggregations.append(pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
    if not keys:
        out = frame.select(pl.col("amount").sum().cast(AMOUNT), *(
            [pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort().implode()]
            if "source_ids" in frame.columns else []))
        return out
    out = frame.group_by(keys).agg(aggregations)
    order = []
    for d in by:
        order += {"agreement": ["agreement_title"], "initiative": ["initiative_title"]}.get(d, [d])
    return out.sort(order).select(*keys, "amount", *(["source_ids"] if "source_ids" in out.columns else []))
