"""The report engine: pure functions over the ledger's polars frames.

The core is `atoms`: the money split so that nothing is counted twice. Each atom is money an
initiative holds itself, not passed on to a sub-initiative ("of which") or a region:

* a line adds its amount to its initiative, in its region ("hele-landet" when national);
* a regional line is part of the same initiative's national line, when there is one, so it
  is taken off that national line;
* a sub-initiative's money is part of its parent's frame of the same kind and year, so it is
  taken off the parent (in the region the parent names, else off the parent's national line).

What is left on a parent with children is its "ikke udmøntet" remainder. Every total is a
plain sum of atoms, so it equals the sum of the source figures exactly.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Sequence

import polars as pl

from ledger.domain import KINDS, NATIONAL, label
from ledger.frames import AMOUNT, Ledger, codes, expand_years, from_micro, micro_units

DIMENSIONS = ("year", "agreement", "initiative", "region", "kind")
REMAINDER_DA = "ikke udmøntet"
REMAINDER_EN = "not yet allocated"


def default_horizon(today: date | None = None) -> int:
    """Permanent lines run to this year + 3 unless a report says otherwise."""
    return (today or date.today()).year + 3


# At a million lines the report engine works on integer codes (initiative, kind, region) packed
# into one Int64 key per atom, ((initiative * K + kind) * Y + year - y0) * R + region: a few
# sorts and merges of that key instead of joins and groups on names. A ledger where an
# initiative id is missing or used twice (so a parent is ambiguous) goes by name instead.

_KEY_LIMIT = 2**62  # packed keys stay below this, with room for arithmetic on them


@dataclass(frozen=True)
class _Coded:
    """Atoms as packed keys and amounts, with the names each code stands for."""

    frame: pl.DataFrame  # key, amount
    initiatives: pl.Series  # by code; the first codes are the rows of ledger.initiatives
    kinds: pl.Series
    regions: pl.Series
    y0: int
    sizes: tuple[int, int, int]  # K, Y, R

    def parts(self) -> list[pl.Expr]:
        """Initiative, year, kind and region codes of each key: `_i`, `year`, `_k`, `_r`."""
        K, Y, R = self.sizes
        key = pl.col("key")
        return [
            (key // (K * Y * R)).alias("_i"), (key // R % Y + self.y0).alias("year"),
            (key // (Y * R) % K).alias("_k"), (key % R).alias("_r"),
        ]



def _region_codes(ledger: Ledger, values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Region codes, the national region 0."""
    known = ledger.regions["code"].drop_nulls().unique(maintain_order=True)
    return codes(values, pl.concat([pl.Series([NATIONAL]), known.filter(known != NATIONAL)]))


def _unique_ids(ledger: Ledger) -> bool:
    ids = ledger.initiatives["id"]
    return not ids.null_count() and ids.n_unique() == len(ids)


def atoms(ledger: Ledger, until: int, kinds: Iterable[str] | None = None) -> pl.DataFrame:
    """Net money per initiative, year, region and kind: no euro counted twice."""
    prepared = prepare(ledger, until)
    if prepared is None:
        return _atoms_by_name(ledger, until, kinds)
    return prepared.atoms(kinds, until, ledger.lines.schema["amount"])


def _atoms_coded(ledger: Ledger, until: int, kinds: Iterable[str] | None) -> _Coded | None:
    """`atoms` as packed keys; None where they must go by name."""
    if not _unique_ids(ledger):
        return None
    lines = ledger.lines.select("initiative_id", "kind", "year_from", "year_to", "region", "amount")
    kind, kind_names = codes(lines["kind"], pl.Series(list(KINDS)))
    end = pl.min_horizontal(pl.coalesce("year_to", until), until)
    keep = pl.col("year_from") <= end  # the lines with a year up to `until`
    if kinds is not None:
        keep = keep & pl.col("_k").is_in(kind_names.is_in(list(kinds)).arg_true().implode())
    lines = lines.with_columns(kind.alias("_k")).filter(keep)
    kind = lines["_k"]
    ids = ledger.initiatives["id"]
    initiative, initiatives = codes(lines["initiative_id"], ids)
    # parents share the initiatives' codes; an unknown one (no lines of its own) gets a new one
    parent = pl.DataFrame({"v": ledger.initiatives["parent_id"]}).join(
        pl.DataFrame({"v": initiatives}).with_row_index("c"), on="v", how="left", maintain_order="left"
    )["c"].cast(pl.Int64)
    unknown = ledger.initiatives["parent_id"].is_not_null() & parent.is_null()
    if unknown.any():
        extra, names = codes(ledger.initiatives["parent_id"].filter(unknown), pl.Series([], dtype=pl.String))
        parent = parent.scatter(unknown.arg_true(), extra + len(initiatives))
        initiatives = pl.concat([initiatives, names])
    region, region_names = _region_codes(ledger, lines["region"])
    y0 = int(lines["year_from"].min()) if lines.height else until
    K, Y, R = len(kind_names), until - y0 + 1, len(region_names)
    if len(initiatives) * K * Y * R >= _KEY_LIMIT:
        return None
    per_ini = K * Y * R
    parent_of = pl.repeat(None, len(initiatives), dtype=pl.Int64, eager=True).scatter(
        pl.int_range(0, len(ids), eager=True), parent
    )
    no_region = region_names.is_null().arg_max() if region_names.null_count() else -1

    coded = lines.select(
        ((initiative * K + kind) * Y * R + region - y0 * R).alias("_base"),
        "year_from", end.alias("_end"), pl.col("amount").fill_null(0),
        # without an initiative or a kind nothing is netted against a line (no join matches)
        (pl.col("initiative_id").is_null() | pl.col("kind").is_null()).alias("_plain"),
    )

    def expand(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.select(
            (pl.col("_base") + pl.int_ranges("year_from", pl.col("_end") + 1) * R).alias("key"), "amount"
        ).explode("key")

    def total(frame: pl.DataFrame) -> pl.DataFrame:
        """Sum per key, sorted by key."""
        frame = frame.sort("key").with_columns(pl.col("key").set_sorted())
        if (frame["key"].diff() == 0).any():
            frame = frame.group_by("key", maintain_order=True).agg(pl.col("amount").sum())
        return frame.with_columns(pl.col("key").set_sorted())

    own = total(expand(coded.filter(~pl.col("_plain")))).with_columns((pl.col("key") % R).alias("_r"))
    # regional lines are "of which" of their initiative's national line, which comes first
    # among its (initiative, kind, year)
    start = (pl.col("key") // R != (pl.col("key") // R).shift(1)).fill_null(True)
    regional = (pl.col("_r") != 0) & (pl.col("_r") != no_region)
    own = own.with_columns(start.cum_sum().set_sorted().alias("_group"), regional.alias("_regional"))
    of_which = own.group_by("_group", maintain_order=True).agg(
        pl.col("amount").filter(pl.col("_regional")).sum()
    )["amount"]
    own = own.with_columns(
        pl.when(pl.col("_r") == 0).then(pl.col("amount") - of_which.gather(own["_group"] - 1))
        .otherwise(pl.col("amount")).alias("amount")
    )

    # sub-initiatives are "of which" of their parent's frame of the same kind and year: taken
    # off the parent in the region it names, else off its national line
    child = (
        own.select((parent_of.gather(own["key"] // per_ini) * per_ini + own["key"] % per_ini).alias("pkey"), "amount")
        .filter(pl.col("pkey").is_not_null())
        .sort("pkey")
        .with_columns(pl.col("pkey").set_sorted(), (pl.col("pkey") // R).set_sorted().alias("_pky"))
    )
    named = own.filter(pl.col("_regional")).select(pl.col("key").set_sorted().alias("pkey"), pl.lit(True).alias("_named"))
    kinds_held = own.select((pl.col("key") // R).unique(maintain_order=True).set_sorted().alias("_pky"))
    child = (
        child.join(kinds_held, on="_pky", how="semi", maintain_order="left")
        .join(named, on="pkey", how="left", maintain_order="left")
        .with_columns(-pl.col("amount"))
    )
    in_region = total(child.filter(pl.col("_named")).select(pl.col("pkey").alias("key"), "amount"))
    national = total(child.filter(pl.col("_named").is_null()).select((pl.col("_pky") * R).alias("key"), "amount"))
    # a named region is always one of the parent's own atoms; its national line need not be
    drawn = (
        own.select("key", "amount")
        .join(in_region.rename({"amount": "_in_region"}), on="key", how="left", maintain_order="left")
        .join(national.rename({"amount": "_national"}), on="key", how="left", maintain_order="left")
        .select("key", pl.sum_horizontal("amount", "_in_region", "_national").cast(own.schema["amount"]).alias("amount"))
    )
    result = pl.concat([
        drawn,
        national.join(own.select("key"), on="key", how="anti", maintain_order="left"),
        total(expand(coded.filter(pl.col("_plain")))),
    ]).filter(pl.col("amount") != 0)
    return _Coded(result, initiatives, kind_names, region_names, y0, (K, Y, R))


def _atoms_by_name(ledger: Ledger, until: int, kinds: Iterable[str] | None = None) -> pl.DataFrame:
    """`atoms` by joins on names: where an initiative id is missing or used twice."""
    lines = ledger.lines.lazy()
    if kinds is not None:
        lines = lines.filter(pl.col("kind").is_in(list(kinds)))
    parents = ledger.initiatives.lazy().select(pl.col("id").alias("initiative_id"), "parent_id")
    expanded = expand_years(
        lines.select("initiative_id", "year_from", "year_to", "region", "kind", "amount"), until
    ).select("initiative_id", "year", "region", "kind", "amount")
    keys = ["initiative_id", "year", "kind"]

    national = expanded.filter(pl.col("region") == NATIONAL)
    regional = expanded.filter(pl.col("region") != NATIONAL)
    has_national = national.select(keys).unique()
    # regional lines are "of which" of the initiative's own national line
    within_national = regional.join(has_national, on=keys).select(
        "initiative_id", "year", pl.lit(NATIONAL).alias("region"), "kind", -pl.col("amount")
    )
    own = pl.concat([expanded, within_national]).group_by([*keys, "region"]).agg(pl.col("amount").sum())

    # sub-initiatives are "of which" of their parent's frame of the same kind
    parent_regions = regional.select(
        pl.col("initiative_id").alias("parent_id"), "year", "kind", "region", pl.lit(True).alias("_named")
    ).unique()
    parent_kinds = expanded.select(pl.col("initiative_id").alias("parent_id"), "year", "kind").unique()
    drawn = (
        own.join(parents, on="initiative_id")
        .filter(pl.col("parent_id").is_not_null())
        .join(parent_kinds, on=["parent_id", "year", "kind"])
        .join(parent_regions, on=["parent_id", "year", "kind", "region"], how="left")
        .select(
            pl.col("parent_id").alias("initiative_id"),
            "year",
            "kind",
            pl.when(pl.col("_named")).then(pl.col("region")).otherwise(pl.lit(NATIONAL)).alias("region"),
            -pl.col("amount"),
        )
    )
    return (
        pl.concat([own, drawn.select(own.collect_schema().names())])
        .group_by([*keys, "region"])
        .agg(pl.col("amount").sum())
        .filter(pl.col("amount") != 0)
        .collect()
    )



def initiative_tree(ledger: Ledger) -> pl.DataFrame:
    """Each initiative with its depth inside its agreement (1 = top) and its ancestors.

    A parent in another agreement (Kræftplan V drawing on the Sundhedspakke's cancer frame)
    does not make the initiative deeper: depth counts within the agreement."""
    found = _chains(ledger)
    if found is None:
        return _initiative_tree_walk(ledger)
    chains, steps = found
    # the path, top first, as lists made by one group-by (faster than lists per row)
    nodes = pl.concat([
        chains.select(pl.int_range(pl.len()).alias("_row"), pl.lit(-number).alias("_step"), pl.col(step).alias("node"))
        for number, step in enumerate(steps)
    ]).drop_nulls("node")
    paths = nodes.sort("_row", "_step").group_by("_row", maintain_order=True).agg(pl.col("node").alias("path"))
    ini = ledger.initiatives
    return pl.DataFrame([chains["id"], chains["depth"], paths["path"], chains["has_children"]]).hstack(
        ini.select("agreement_id", "parent_id", "title")
    )


def _chains(ledger: Ledger) -> tuple[pl.DataFrame, list[str]] | None:
    """Per initiative (in the ledger's order): its chain upward inside its agreement, one
    column per step (`_a0` itself, `_a1` its parent, ... null past the top), its depth and
    whether it has children. None where an id is missing or used twice."""
    ini = ledger.initiatives.select("id", "agreement_id", "parent_id")
    if ini.height == 0 or not _unique_ids(ledger):
        return None
    # all chains at once, one ancestor a step: up to the top of the agreement or a cycle
    up = ini.select(pl.col("id").alias("_node"), pl.col("parent_id").alias("_up"))
    of_up = ini.select(pl.col("id").alias("_up"), pl.col("agreement_id").alias("_up_agreement"))
    chain = ini.select("id", "agreement_id", pl.col("id").alias("_a0"))
    steps = ["_a0"]
    while True:
        step = chain.join(up.rename({"_node": steps[-1]}), on=steps[-1], how="left", maintain_order="left")
        step = step.join(of_up, on="_up", how="left", maintain_order="left")
        grows = (
            pl.col(steps[-1]).is_not_null() & pl.col("_up").is_not_null() & (pl.col("_up") != "")
            & pl.col("_up_agreement").eq_missing(pl.col("agreement_id"))
            & pl.all_horizontal([pl.col("_up") != pl.col(s) for s in steps])
        )
        chain = step.with_columns(pl.when(grows).then(pl.col("_up")).alias(f"_a{len(steps)}")).drop("_up", "_up_agreement")
        steps.append(f"_a{len(steps)}")
        if chain[steps[-1]].null_count() == chain.height:
            break
    parents = ini["parent_id"].filter(ini["parent_id"].is_not_null() & (ini["parent_id"] != ""))
    chain = chain.with_columns(
        pl.sum_horizontal([pl.col(s).is_not_null() for s in steps]).cast(pl.Int64).alias("depth"),
        pl.col("id").is_in(parents.implode()).alias("has_children"),
    )
    return chain, steps


def _initiative_tree_walk(ledger: Ledger) -> pl.DataFrame:
    """`initiative_tree` by walking each chain: where an id is missing or used twice."""
    ini = ledger.initiatives.select("id", "agreement_id", "parent_id", "title")
    agreement_of = dict(ini.select("id", "agreement_id").iter_rows())
    parent_of = dict(ini.select("id", "parent_id").iter_rows())
    has_children = set(p for p in parent_of.values() if p)
    rows = []
    for ini_id, agreement_id in agreement_of.items():
        chain = [ini_id]
        seen = {ini_id}
        parent = parent_of.get(ini_id)
        while parent and agreement_of.get(parent) == agreement_id and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = parent_of.get(parent)
        rows.append((ini_id, len(chain), list(reversed(chain)), ini_id in has_children))
    return pl.DataFrame(
        rows, schema={"id": pl.String, "depth": pl.Int64, "path": pl.List(pl.String), "has_children": pl.Boolean},
        orient="row",
    ).join(ini, on="id", how="left")



@dataclass(frozen=True)
class Filters:
    kinds: Sequence[str] = ("appropriation",)
    agreements: Sequence[str] | None = None
    initiatives: Sequence[str] | None = None
    regions: Sequence[str] | None = None
    year_from: int | None = None
    until: int | None = None


# --- prepared atoms: made once per ledger, shared by every report on it ---------------------
#
# Making the atoms is most of a report's work (every line spread over its years, netted
# against its national line and its parent). They do not depend on the report's dimensions or
# filters, and netting is per kind and per year, so the atoms of every kind up to a year hold
# the atoms of any kinds up to any earlier year. So they are made once per ledger (the ledger's
# frames are never changed in place; a changed ledger is a new `Ledger`) and kept while the
# ledger lives: the app, the CLI and the brief ask for many reports of one ledger.


@dataclass(frozen=True)
class Prepared:
    """The atoms of every kind up to `until`, on codes, split by kind; and each initiative's
    chain of ancestors. Holds nothing of the ledger itself, so the ledger can be let go."""

    until: int
    names: _Coded  # what each code stands for
    by_kind: dict[int, pl.DataFrame]  # kind code -> _i, year, _r, amount
    chains: pl.DataFrame | None
    steps: list[str]
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # tables per depth and language

    def of_kinds(self, kinds: Iterable[str] | None, with_kind: bool = True) -> pl.DataFrame:
        """The coded atoms of these kinds (all: None): _i, year, _r, amount, and _k if asked."""
        wanted = range(len(self.names.kinds)) if kinds is None else _among(self.names.kinds, kinds)
        parts = [self.by_kind[k].with_columns(pl.lit(k, pl.Int64).alias("_k")) if with_kind else self.by_kind[k]
                 for k in wanted if k in self.by_kind]
        if not parts:
            return pl.DataFrame(schema={"_i": pl.Int64, "year": pl.Int64, "_r": pl.Int64, "amount": AMOUNT, "_k": pl.Int64})
        return pl.concat(parts, rechunk=False)

    def atoms(self, kinds: Iterable[str] | None, until: int, amount: pl.DataType) -> pl.DataFrame:
        """The atoms of these kinds (all: None) up to `until`, by name."""
        frame = self.of_kinds(kinds)
        if until < self.until:
            frame = frame.filter(pl.col("year") <= until)
        names = self.names
        return pl.DataFrame({
            "initiative_id": names.initiatives.gather(frame["_i"]),
            "year": frame["year"],
            "kind": names.kinds.gather(frame["_k"]),
            "region": names.regions.gather(frame["_r"]),
            "amount": from_micro(frame["amount"]).cast(amount),
        })

    def frames(self) -> dict[str, pl.DataFrame]:
        """Everything it holds as frames, to be kept beside the ledger (`from_frames`)."""
        names = self.names
        K, Y, R = names.sizes
        out = {
            "atoms": self.of_kinds(None),
            "names": pl.concat([
                pl.DataFrame({"set": "initiative", "name": names.initiatives}),
                pl.DataFrame({"set": "kind", "name": names.kinds}),
                pl.DataFrame({"set": "region", "name": names.regions}),
            ], how="vertical_relaxed"),
            "meta": pl.DataFrame({"until": [self.until], "y0": [names.y0], "sizes": [[K, Y, R]], "steps": [self.steps]}),
        }
        if self.chains is not None:
            out["chains"] = self.chains
        # the tables per depth and language worked out so far: with them, a first report is as
        # quick as a later one
        for key, value in list(self.memo.items()):
            if key[0] == "info":
                out[f"info/{key[1]}"] = pl.DataFrame({k: value[k] for k in ("agreement", "shown", "remainder")})
                out[f"info/{key[1]}/agreements"] = pl.DataFrame({"agreements": value["agreements"]})
            else:  # an axis: each code's rank, and the labels by rank
                name = "/".join(str(part) for part in (key if isinstance(key, tuple) else (key,)))
                rank, axis = value
                out[f"axis/{name}"] = pl.DataFrame({"rank": rank})
                out[f"axis/{name}/labels"] = pl.DataFrame(axis.columns)
        return out

    @classmethod
    def from_frames(cls, frames: dict[str, pl.DataFrame]) -> Prepared:
        meta = frames["meta"].row(0, named=True)
        names = frames["names"]

        def named(which: str) -> pl.Series:
            return names.filter(pl.col("set") == which)["name"]

        coded = _Coded(pl.DataFrame(), named("initiative"), named("kind"), named("region"), meta["y0"], tuple(meta["sizes"]))
        atoms = frames["atoms"]
        by_kind = {int(k): part.drop("_k") for (k,), part in atoms.partition_by("_k", as_dict=True).items()}
        memo: dict = {}
        for name, frame in frames.items():
            part = name.split("/")
            if part[0] == "info" and len(part) == 2:
                memo[("info", int(part[1]))] = {
                    **frame.to_dict(), "agreements": frames[f"{name}/agreements"]["agreements"]}
            elif part[0] == "axis" and part[-1] != "labels":
                key = part[1] if len(part) == 2 else (part[1], int(part[2]), part[3])
                labels = frames[f"{name}/labels"]
                memo[key] = (frame["rank"], _Axis(labels.height, labels.to_dict()))
        return cls(meta["until"], coded, by_kind, frames.get("chains"), list(meta["steps"]), memo)


_PREPARED: OrderedDict[int, tuple[weakref.ref, Prepared | None]] = OrderedDict()
_PREPARED_KEPT = 6  # ledgers whose atoms are kept (the app holds a few versions at once)
_PREPARED_LOCK = threading.Lock()


def prepare(ledger: Ledger, until: int) -> Prepared | None:
    """The ledger's prepared atoms up to at least `until`: made once, then kept while the ledger
    lives. None where reports must go by name (an initiative id missing or used twice)."""
    key = id(ledger)
    with _PREPARED_LOCK:
        found = _PREPARED.get(key)
        if found is not None and found[0]() is ledger and (found[1] is None or found[1].until >= until):
            _PREPARED.move_to_end(key)
            return found[1]
    made = _prepare(ledger, until)
    adopt(ledger, made)
    return made


def adopt(ledger: Ledger, prepared: Prepared | None) -> None:
    """Take `prepared` as this ledger's atoms (made of the same ledger before, and kept with
    its snapshot), so that no report on it makes them again."""
    key = id(ledger)

    def forget(ref: weakref.ref, key: int = key) -> None:
        with _PREPARED_LOCK:
            if key in _PREPARED and _PREPARED[key][0] is ref:
                del _PREPARED[key]

    with _PREPARED_LOCK:
        _PREPARED[key] = (weakref.ref(ledger, forget), prepared)
        _PREPARED.move_to_end(key)
        while len(_PREPARED) > _PREPARED_KEPT:
            _PREPARED.popitem(last=False)


def warm(ledger: Ledger, prepared: Prepared, depths: Sequence[int] = (1, 2), langs: Sequence[str] = ("da", "en")) -> None:
    """Work out now the tables most reports need (initiatives at these depths, agreements,
    regions and kinds), before the atoms are kept with the ledger's snapshot."""
    for depth in depths:
        info = _initiative_info(ledger, prepared, depth)
        for lang in langs:
            _initiative_axis(ledger, prepared, info, depth, lang)
    _agreement_axis(ledger, prepared, _initiative_info(ledger, prepared, 1))
    for dim in ("region", "kind"):
        _small_axis(ledger, prepared, dim)


def _prepare(ledger: Ledger, until: int) -> Prepared | None:
    micro = _micro_units(ledger, until)
    lines = ledger if micro is None else replace(ledger, lines=ledger.lines.with_columns(micro))
    # the initiatives' chains do not depend on the atoms: both at once (polars lets go of the
    # GIL while it computes, so one's single-threaded stretches run on the other core)
    with ThreadPoolExecutor(max_workers=1) as pool:
        chained = pool.submit(_chains, ledger)
        coded = _atoms_coded(lines, until, None)
        chained = chained.result()
    if coded is None:
        return None
    frame = coded.frame.select(*coded.parts(), "amount")
    coded = replace(coded, frame=coded.frame.clear())  # only its names are kept
    by_kind = {int(k): part.drop("_k") for (k,), part in frame.partition_by("_k", as_dict=True).items()}
    chains, steps = chained or (None, ["_a0"])
    return Prepared(until, coded, by_kind, chains, steps)


def _micro_units(ledger: Ledger, until: int) -> pl.Series | None:
    """The lines' amounts as whole millionths (see `ledger.frames.micro_units`) when every
    report's sums fit: a sum adds each line at most once a year."""
    if ledger.lines.height == 0:
        return None
    first = ledger.lines["year_from"].min()
    return micro_units(ledger.lines["amount"], until - (first if first is not None else until) + 1)


def _among(labels: pl.Series, wanted: Iterable[str]) -> list[int]:
    return labels.is_in(list(wanted)).arg_true().to_list()


def breakdown(
    ledger: Ledger,
    by: Sequence[str],
    filters: Filters = Filters(),
    depth: int = 1,
    lang: str = "da",
) -> pl.DataFrame:
    """Amounts by any of year, agreement, initiative (at `depth`), region and kind.

    Columns: one per dimension (agreement and initiative as `*_id` and `*_title`, region as
    its name, kind as its code), then `amount` in mio. kr. (exact decimal). Rows in the order
    of the dimensions' labels. The atoms come from `prepare` (made once per ledger)."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s) {unknown}; choose from {', '.join(DIMENSIONS)}")
    until = filters.until or default_horizon()
    prepared = None
    # an agreement id used twice has two titles, and the report by name shows both rows
    if "agreement" not in by or ledger.agreements["id"].n_unique() == ledger.agreements.height:
        prepared = prepare(ledger, until)
    if prepared is None:
        return _breakdown_by_name(ledger, by, filters, depth, lang)
    return _breakdown_prepared(ledger, prepared, by, filters, depth, lang, until)


@dataclass(frozen=True)
class _Axis:
    """One dimension of a report on codes: each row's position in the dimension's order
    (`rank`, 0 .. count - 1), and the columns shown for each position."""

    count: int
    columns: dict[str, pl.Series]  # by rank


def _ranked(table: pl.DataFrame, sort_by: str, shown: list[str]) -> tuple[pl.Series, dict[str, pl.Series]]:
    """For a table with one row per code: each code's rank when sorted by `sort_by` (nulls
    first, then by code), and the `shown` columns by rank."""
    order = table.with_row_index("_code").sort([sort_by, "_code"], nulls_last=False)
    rank = pl.repeat(0, table.height, dtype=pl.Int64, eager=True).scatter(
        order["_code"], pl.int_range(0, table.height, eager=True)
    )
    return rank, {name: order[name] for name in shown}


def _breakdown_prepared(
    ledger: Ledger, prep: Prepared, by: Sequence[str], filters: Filters, depth: int, lang: str, until: int
) -> pl.DataFrame:
    """`breakdown` from prepared atoms: the rows wanted, then one packed key per atom made of
    each dimension's rank in the report's order, so one sort and one pass over the sorted keys
    give the sums already in order; labels are looked up per rank at the end."""
    names = prep.names
    frame = prep.of_kinds(filters.kinds, with_kind="kind" in by)
    keep = []
    if until < prep.until:
        keep.append(pl.col("year") <= until)
    if filters.year_from is not None:
        keep.append(pl.col("year") >= filters.year_from)
    if filters.regions is not None:
        keep.append(pl.col("_r").is_in(_among(names.regions, filters.regions)))
    if keep:
        frame = frame.filter(*keep)
    low = min(frame["year"].min() or until, until)  # the year axis: low .. until

    info = _initiative_info(ledger, prep, depth)
    wanted = None  # which initiatives' atoms count
    if filters.agreements is not None:
        wanted = info["agreement"].is_in(_among(info["agreements"], filters.agreements))
    if filters.initiatives is not None:
        chosen = _chosen(prep, filters.initiatives, len(names.initiatives))
        wanted = chosen if wanted is None else wanted & chosen
    if wanted is not None:
        frame = frame.filter(pl.lit(wanted).gather(pl.col("_i")))

    # each dimension: the expression for every atom's rank, and the axis (its labels by rank)
    axes: list[tuple[pl.Expr, _Axis]] = []
    for dim in by:
        if dim == "year":
            axes.append((pl.col("year") - low, _Axis(until - low + 1, {"year": pl.int_range(low, until + 1, eager=True)})))
        elif dim == "initiative":
            rank, axis = _initiative_axis(ledger, prep, info, depth, lang)
            axes.append((pl.lit(rank).gather(pl.col("_i")), axis))
        elif dim == "agreement":
            rank, axis = _agreement_axis(ledger, prep, info)
            axes.append((pl.lit(rank).gather(pl.col("_i")), axis))
        else:  # region, kind
            rank, axis = _small_axis(ledger, prep, dim)
            axes.append((pl.lit(rank).gather(pl.col("_r" if dim == "region" else "_k")), axis))
    if not axes:
        return pl.DataFrame([from_micro(pl.Series("amount", [frame["amount"].sum()], dtype=frame["amount"].dtype))])
    if math.prod(max(axis.count, 1) for _, axis in axes) >= _KEY_LIMIT:  # not in one key: a group-by
        grouped = frame.select(*[rank.alias(f"_{n}") for n, (rank, _) in enumerate(axes)], "amount")
        sums = grouped.group_by(grouped.columns[:-1]).agg(pl.col("amount").sum()).sort(grouped.columns[:-1])
        ranks = [sums[f"_{n}"] for n in range(len(axes))]
    else:
        key = pl.lit(0, pl.Int64)
        for rank, axis in axes:
            key = key * axis.count + rank
        keyed = frame.select(key.alias("key"), "amount")
        if math.prod(axis.count for _, axis in axes) * 4 <= frame.height:  # few groups: hash them
            sums = keyed.group_by("key").agg(pl.col("amount").sum()).sort("key")
        else:  # many: sort, then each run of equal keys is a difference of running totals
            keyed = keyed.sort("key")
            last = (pl.col("key") != pl.col("key").shift(-1)).fill_null(True)
            sums = keyed.select(pl.col("key").filter(last), pl.col("amount").cum_sum().filter(last))
            sums = sums.with_columns(pl.col("amount") - pl.col("amount").shift(1, fill_value=0))
        ranks, rest = [], sums["key"]
        for _, axis in reversed(axes):
            ranks.append(rest % axis.count)
            rest = rest // axis.count
        ranks.reverse()
    return pl.DataFrame([
        *[values.gather(rank).alias(name) for rank, (_, axis) in zip(ranks, axes) for name, values in axis.columns.items()],
        from_micro(sums["amount"]).alias("amount"),
    ])


def _initiative_info(ledger: Ledger, prep: Prepared, depth: int) -> dict[str, pl.Series]:
    """Per initiative code (unknown ones last): its agreement's code, the initiative shown at
    `depth` (its ancestor there) and whether that shows only its remainder (a parent shown
    beside its children). Worked out once per initiative, not per atom."""
    memo_key = ("info", depth)
    if memo_key in prep.memo:
        return prep.memo[memo_key]
    names = prep.names
    chains = prep.chains
    if chains is None:  # no initiatives at all
        chains = pl.DataFrame(schema={"id": pl.String, "agreement_id": pl.String, "depth": pl.Int64,
                                      "has_children": pl.Boolean, "_a0": pl.String})
    steps = prep.steps
    # the ancestor at `depth` (path[depth - 1] counting from the top) is step depth - `depth`
    up = pl.col("depth") - pl.min_horizontal(pl.col("depth"), depth)
    shown, _ = codes(
        chains.select(pl.coalesce([pl.when(up == n).then(pl.col(s)) for n, s in enumerate(steps)])).to_series(),
        names.initiatives,
    )
    agreement, agreements = codes(chains["agreement_id"], chains["agreement_id"].drop_nulls().unique(maintain_order=True))
    if not agreements.null_count():  # an atom of an unknown initiative has no agreement either
        agreements = agreements.append(pl.Series([None], dtype=pl.String))
    no_agreement = int(agreements.is_null().arg_max())
    pad = len(names.initiatives) - chains.height  # codes past the ledger's initiatives
    info = {
        "agreement": agreement.append(pl.repeat(no_agreement, pad, dtype=pl.Int64, eager=True)),
        "shown": shown.append(pl.repeat(None, pad, dtype=pl.Int64, eager=True)),
        "remainder": (chains["has_children"] & (chains["depth"] < depth)).append(
            pl.repeat(None, pad, dtype=pl.Boolean, eager=True)),
        "agreements": agreements,
    }
    prep.memo[memo_key] = info
    return info


def _chosen(prep: Prepared, initiatives: Sequence[str], count: int) -> pl.Series:
    """Per initiative code: whether it is one of `initiatives` or below one."""
    if prep.chains is None:
        return pl.repeat(False, count, dtype=pl.Boolean, eager=True)
    wanted = list(initiatives)
    chosen = prep.chains.select(pl.any_horizontal([pl.col(s).is_in(wanted) for s in prep.steps])).to_series()
    return chosen.append(pl.repeat(False, count - len(chosen), dtype=pl.Boolean, eager=True))


def _initiative_axis(ledger: Ledger, prep: Prepared, info: dict[str, pl.Series], depth: int,
                     lang: str) -> tuple[pl.Series, _Axis]:
    """Per initiative code, the rank of what it shows as (the initiative at `depth`, or its
    remainder) among everything shown, in title order; and each rank's id and title."""
    memo_key = ("initiative", depth, lang)
    if memo_key not in prep.memo:
        ids = prep.names.initiatives
        n = len(ids)
        shown, remainder = info["shown"], info["remainder"]
        # what it shows as: the initiative shown, and remainder false / true / unknown
        display = shown.fill_null(n) * 3 + remainder.cast(pl.Int64).fill_null(2)
        titles = ledger.initiatives["title"].append(pl.repeat(None, n + 1 - ledger.initiatives.height,
                                                              dtype=pl.String, eager=True))
        suffix = REMAINDER_DA if lang == "da" else REMAINDER_EN
        per_initiative = pl.DataFrame({
            "_display": display,
            "initiative_id": ids.append(pl.Series([None], dtype=pl.String)).gather(shown.fill_null(n)),
            "_title": titles.gather(shown.fill_null(n)),
            "_remainder": remainder,
        }).with_columns(
            pl.when(pl.col("_remainder")).then(pl.format("{} ({})", pl.col("_title"), pl.lit(suffix)))
            .otherwise(pl.col("_title")).alias("initiative_title")
        )
        table = per_initiative.unique("_display", keep="first").sort("_display")
        rank, columns = _ranked(table, "initiative_title", ["initiative_id", "initiative_title"])
        at = per_initiative.select("_display").join(
            table.select("_display").with_columns(rank.alias("_rank")), on="_display", how="left",
            maintain_order="left",
        )["_rank"]
        prep.memo[memo_key] = (at, _Axis(table.height, columns))
    return prep.memo[memo_key]


def _agreement_axis(ledger: Ledger, prep: Prepared, info: dict[str, pl.Series]) -> tuple[pl.Series, _Axis]:
    """Per initiative code, its agreement's rank in title order; and each rank's id and title."""
    if "agreement" not in prep.memo:
        table = pl.DataFrame({"agreement_id": info["agreements"]}).join(
            ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement_title")),
            on="agreement_id", how="left", maintain_order="left",
        )
        rank, columns = _ranked(table, "agreement_title", ["agreement_id", "agreement_title"])
        prep.memo["agreement"] = (rank, _Axis(table.height, columns))
    rank, axis = prep.memo["agreement"]
    return rank.gather(info["agreement"]), axis


def _small_axis(ledger: Ledger, prep: Prepared, dim: str) -> tuple[pl.Series, _Axis]:
    """Per region code (by its name) or kind code, its rank; and each rank's label."""
    if dim not in prep.memo:
        if dim == "region":
            names = dict(ledger.regions.select("code", "name").iter_rows())
            table = pl.DataFrame({"region": prep.names.regions.replace_strict(names, default=prep.names.regions)})
        else:
            table = pl.DataFrame({"kind": prep.names.kinds})
        rank, columns = _ranked(table, dim, [dim])
        prep.memo[dim] = (rank, _Axis(table.height, columns))
    return prep.memo[dim]


def _sort(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """`frame.sort(columns)` on one packed key of each column's rank among its distinct values:
    sorting a few thousand titles, then integers, beats comparing hundreds of thousands."""
    columns = [c for c in columns if c in frame.columns]
    if not columns:
        return frame
    ranks, size = [], 1
    for column in columns:
        order = frame.select(pl.col(column).unique().sort()).with_row_index(f"_rank_{column}")
        frame = frame.join(order, on=column, how="left", nulls_equal=True, maintain_order="left")
        ranks.append((f"_rank_{column}", order.height))
        size *= max(order.height, 1)
    by: list = [name for name, _ in ranks]
    if size < _KEY_LIMIT:
        key = pl.lit(0, pl.Int64)
        for name, count in ranks:
            key = key * count + pl.col(name).cast(pl.Int64)
        by = [key]
    return frame.sort(by).drop([name for name, _ in ranks])


def _breakdown_by_name(
    ledger: Ledger, by: Sequence[str], filters: Filters, depth: int, lang: str
) -> pl.DataFrame:
    """`breakdown` by joins on names: where an initiative id is missing or used twice."""
    until = filters.until or default_horizon()
    frame = atoms(ledger, until, filters.kinds)
    frame = frame.filter(pl.col("year") <= until)
    if filters.kinds is not None:
        frame = frame.filter(pl.col("kind").is_in(list(filters.kinds)))
    if filters.year_from is not None:
        frame = frame.filter(pl.col("year") >= filters.year_from)
    if filters.regions is not None:
        frame = frame.filter(pl.col("region").is_in(list(filters.regions)))

    # what each initiative contributes, worked out once per initiative rather than per atom:
    # the initiative shown (its ancestor at `depth`), and whether that shows only its
    # remainder (a parent shown beside its children)
    tree = initiative_tree(ledger)
    per_initiative = [pl.col("id").alias("initiative_id"), "agreement_id"]
    if "initiative" in by:
        per_initiative += [
            pl.col("path").list.get(pl.min_horizontal(pl.col("depth"), depth) - 1).alias("_shown"),
            (pl.col("has_children") & (pl.col("depth") < depth)).alias("remainder"),
        ]
    if filters.initiatives is not None:
        per_initiative.append(
            pl.col("path").list.eval(pl.element().is_in(list(filters.initiatives))).list.any().alias("_chosen")
        )
    frame = frame.join(tree.select(per_initiative), on="initiative_id", how="left")
    if filters.agreements is not None:
        frame = frame.filter(pl.col("agreement_id").is_in(list(filters.agreements)))
    if filters.initiatives is not None:
        frame = frame.filter(pl.col("_chosen"))

    group: list[str] = []
    for dim in by:
        if dim == "initiative":
            group += ["_shown", "remainder"]
        elif dim == "agreement":
            group.append("agreement_id")
        else:
            group.append(dim)
    result = frame.group_by(group).agg(pl.col("amount").sum()) if group else frame.select(pl.col("amount").sum())
    result = result.with_columns(pl.col("amount").cast(AMOUNT))
    labelled = _label(result, ledger, by, lang)
    return labelled.sort([c for c in _label_order(by) if c in labelled.columns])


def _label_order(by: Sequence[str]) -> list[str]:
    order = []
    for dim in by:
        order += {"agreement": ["agreement_title"], "initiative": ["initiative_title"]}.get(dim, [dim])
    return order


def _label(result: pl.DataFrame, ledger: Ledger, by: Sequence[str], lang: str) -> pl.DataFrame:
    columns: list = []
    if "agreement" in by:
        titles = ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement_title"))
        result = result.join(titles, on="agreement_id", how="left")
    if "initiative" in by:
        titles = ledger.initiatives.select(pl.col("id").alias("_shown"), pl.col("title").alias("_title"))
        suffix = REMAINDER_DA if lang == "da" else REMAINDER_EN
        result = result.join(titles, on="_shown", how="left").with_columns(
            pl.col("_shown").alias("initiative_id"),
            pl.when(pl.col("remainder"))
            .then(pl.format("{} ({})", pl.col("_title"), pl.lit(suffix)))
            .otherwise(pl.col("_title"))
            .alias("initiative_title"),
        )
    if "region" in by:
        names = dict(ledger.regions.select("code", "name").iter_rows())
        result = result.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")))
    for dim in by:
        columns += {
            "agreement": ["agreement_id", "agreement_title"],
            "initiative": ["initiative_id", "initiative_title"],
        }.get(dim, [dim])
    return result.select(*columns, "amount")


def kind_label(code: str, lang: str = "da") -> str:
    return label(KINDS, code, lang)
