"""A deterministic synthetic ledger at national scale, for the benchmarks and their tests.

The shape follows the real ledger: agreements with initiatives up to three levels deep (two
levels of "of which", some drawing on another agreement's frame), lines over 2020-2039 for
the whole country and for the regions that exist in each year, mostly appropriations, a few
permanent lines.

Amounts are built top-down so that every rule in `ledger.rules` holds: a child gets a share of
its parent's frame (per kind, year and region, as the rules read it) and the shares of
siblings sum to less than one; regional lines under a national line take at most 95% of it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ledger.domain import AGREEMENT_KINDS, NATIONAL
from ledger.frames import AMOUNT, Ledger
from ledger.readers import read_seeds

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FIRST, LAST = 2020, 2039
YEARS = LAST - FIRST + 1
UNIT = 1000  # amounts are whole thousands of kroner: 0.001 mio. kr.

SEGMENT_LENGTHS = ((1, 2, 3, 4, 5), (60, 20, 10, 5, 5))  # most lines hold one finance year
OTHER_KINDS = (("expected", "estimate", "proposal", "savings"), (3, 2, 3, 2))
LAYOUTS = (("national", "national+regions", "regions"), (40, 40, 20))
# rough population in millions: how national money is spread over the regions
REGION_WEIGHT = {
    "hovedstaden": 1.9, "sjaelland": 0.85, "syddanmark": 1.25, "midtjylland": 1.35,
    "nordjylland": 0.6, "oestdanmark": 2.75,
}
INF = float("inf")


@dataclass
class _Node:
    id: str
    agreement: int
    level: int  # 1 = top of its agreement; level in the whole tree for cross-agreement children
    parent: "_Node | None"
    share_left: float = 0.9  # of its frame still free for children
    leaf: bool = True
    nat: dict[str, list] = field(default_factory=dict)  # kind -> amount per year (None: no line)
    reg: dict[str, dict[str, list]] = field(default_factory=dict)  # kind -> region -> per year


class _Generator:
    def __init__(self, seed: int, regions: pl.DataFrame):
        self.rng = random.Random(seed)
        self.regions = regions
        self.regional = [r for r in regions["code"].to_list() if r != NATIONAL]
        bounds = {c: (f, t) for c, f, t in regions.select("code", "valid_from", "valid_to").iter_rows()}
        # per region: which year indices it exists in, and whether it is open-ended
        self.valid = {
            r: [(bounds[r][0] is None or FIRST + y >= bounds[r][0]) and (bounds[r][1] is None or FIRST + y <= bounds[r][1])
                for y in range(YEARS)]
            for r in [NATIONAL, *self.regional]
        }
        self.open_ended = {r: bounds[r][1] is None for r in self.valid}
        self.weight = []  # per year index: region -> share of the national amount (sums to 1)
        for y in range(YEARS):
            present = {r: REGION_WEIGHT.get(r, 1.0) for r in self.regional if self.valid[r][y]}
            total = sum(present.values())
            self.weight.append({r: w / total for r, w in present.items()})
        self.lines: dict[str, list] = {c: [] for c in (
            "initiative_id", "year_from", "year_to", "region", "units", "kind", "price_level",
            "source_id", "classification")}
        self.line_owner: list[_Node] = []
        self.agreements: list[dict] = []
        self.initiatives: list[dict] = []
        self.sources: list[dict] = []
        self.stated: list[dict] = []
        self.pool: list[_Node] = []  # level 1-2 initiatives later agreements may draw on

    # -- the pieces of one series of lines --------------------------------------------------

    def _segments(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Consecutive year spans (indices, inclusive) inside lo..hi."""
        out, y = [], lo
        while y <= hi:
            length = self.rng.choices(*SEGMENT_LENGTHS)[0]
            out.append((y, min(hi, y + length - 1)))
            y += length
        return out

    def _active(self, region: str, start: int, end: int) -> tuple[int, int] | None:
        years = [y for y in range(start, end + 1) if self.valid[region][y]]
        return (years[0], years[-1]) if years else None

    def _emit(self, node: _Node, kind: str, region: str, start: int, end: int, amount_of, ctx: dict) -> list:
        """Lines for one initiative, kind and region over start..end; returns amount per year."""
        per_year: list = [None] * YEARS
        span = self._active(region, start, end)
        if span is None:
            return per_year
        segments = self._segments(*span)
        for a, b in segments:
            units = int(amount_of(a, b))
            if units <= 0:
                continue
            permanent = b == YEARS - 1 and self.open_ended[region] and self.rng.random() < 0.05
            self.lines["initiative_id"].append(node.id)
            self.lines["year_from"].append(FIRST + a)
            self.lines["year_to"].append(None if permanent else FIRST + b)
            self.lines["region"].append(region)
            self.lines["units"].append(units)
            self.lines["kind"].append(kind)
            self.lines["price_level"].append(ctx["price_level"] if self.rng.random() < 0.6 else None)
            self.lines["source_id"].append(self.rng.choice(ctx["sources"]))
            confidential = ctx["confidential"] or self.rng.random() < 0.02
            self.lines["classification"].append("confidential" if confidential else "public")
            self.line_owner.append(node)
            for y in range(a, b + 1):
                per_year[y] = units
        return per_year

    # -- what the rules read of a parent -----------------------------------------------------

    @staticmethod
    def _total(node: _Node, kind: str) -> list:
        nat = node.nat.get(kind, [None] * YEARS)
        regs = list(node.reg.get(kind, {}).values())
        out = []
        for y in range(YEARS):
            if nat[y] is not None:
                out.append(nat[y])
            else:
                present = [r[y] for r in regs if r[y] is not None]
                out.append(sum(present) if present else None)
        return out

    def _frame(self, parent: _Node, kind: str) -> list[int]:
        """The parent's frame a child of this kind is held against, per year."""
        same, appr = self._total(parent, kind), self._total(parent, "appropriation")
        return [s if s is not None else (a if a is not None else 0) for s, a in zip(same, appr)]

    @staticmethod
    def _regional_bound(parent: _Node, kind: str, region: str) -> list[float]:
        """What a child's lines in this region may sum to: the parent's line there, or no
        bound where the parent has only a national line, or nothing."""
        none = [None] * YEARS
        same = parent.reg.get(kind, {}).get(region, none)
        appr = parent.reg.get("appropriation", {}).get(region, none)
        nat_same, nat_appr = parent.nat.get(kind, none), parent.nat.get("appropriation", none)
        out = []
        for y in range(YEARS):
            if same[y] is not None:
                out.append(same[y])
            elif appr[y] is not None:
                out.append(appr[y])
            else:
                out.append(INF if nat_same[y] is not None or nat_appr[y] is not None else 0)
        return out

    # -- initiatives ---------------------------------------------------------------------------

    def _kinds(self) -> list[str]:
        kinds = ["appropriation"] if self.rng.random() < 0.92 else []
        if not kinds or self.rng.random() < 0.2:
            kinds.append(self.rng.choices(*OTHER_KINDS)[0])
        return kinds

    def _span(self) -> tuple[int, int]:
        start = 0 if self.rng.random() < 0.3 else self.rng.randrange(0, YEARS - 4)
        end = YEARS - 1 if self.rng.random() < 0.5 else self.rng.randrange(start + 3, YEARS)
        return start, end

    def _initiative(self, node: _Node, share: float | None, ctx: dict) -> None:
        parent = node.parent
        for kind in self._kinds():
            layout = self.rng.choices(*LAYOUTS)[0]
            start, end = self._span()
            rnd = self.rng
            if parent is None:
                base = 10 ** rnd.uniform(3, 6.3)  # 1 to 2,000 mio. kr. a year
                national = lambda a, b: base * rnd.uniform(0.8, 1.3)
                frame = [base * 1.3] * YEARS
            else:
                frame = self._frame(parent, kind)
                national = lambda a, b: rnd.uniform(0.5, 1.0) * share * min(frame[a : b + 1])
            nat = [None] * YEARS
            if layout != "regions":
                nat = self._emit(node, kind, NATIONAL, start, end, national, ctx)
                node.nat[kind] = nat
            regs = node.reg.setdefault(kind, {})
            for region in self.regional:
                bound = [INF] * YEARS if parent is None else self._regional_bound(parent, kind, region)
                w = [self.weight[y].get(region, 0.0) for y in range(YEARS)]
                if layout == "national+regions":
                    # "of which" the national line: at most 95% of it over the regions
                    def amount(a, b, w=w, bound=bound):
                        return min(
                            min(0.95 * w[y] * (nat[y] or 0) for y in range(a, b + 1)),
                            (share or 1) * min(bound[a : b + 1]),
                        )
                elif parent is None:
                    def amount(a, b, w=w):
                        return base * rnd.uniform(0.8, 1.2) * min(w[a : b + 1])
                else:
                    def amount(a, b, w=w, bound=bound):
                        j = rnd.uniform(0.5, 1.0)
                        return min(
                            min(0.95 * j * w[y] * share * frame[y] for y in range(a, b + 1)),
                            share * min(bound[a : b + 1]),
                        )
                if layout != "national":
                    per_year = self._emit(node, kind, region, start, end, amount, ctx)
                    if any(v is not None for v in per_year):
                        regs[region] = per_year

    def _child_share(self, parent: _Node, last: bool) -> float:
        share = parent.share_left * (self.rng.uniform(0.6, 0.95) if last else self.rng.uniform(0.15, 0.45))
        parent.share_left -= share
        parent.leaf = False
        return share

    def agreement(self, index: int) -> None:
        rng = self.rng
        aid = f"a{index:04d}"
        year = rng.randrange(FIRST - 2, LAST - 5)
        sources = []
        for k in range(rng.randint(1, 4)):
            sid = f"s{index:04d}-{k}"
            sources.append(sid)
            self.sources.append({
                "id": sid, "document": f"Aftaletekst {index}, bilag {k}" if k else f"Aftaletekst {index}",
                "case_no": f"EMN-{year}-{index:05d}", "date": f"{year}-{rng.randint(1, 12):02d}",
                "location": f"side {rng.randint(1, 80)}", "version": 1,
            })
        confidential = rng.random() < 0.03
        self.agreements.append({
            "id": aid, "title": f"Aftale {index} om sundhedsområdet", "kind": rng.choice(AGREEMENT_KINDS),
            "parties": "Regeringen og Danske Regioner",
            "date_agreed": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "status": rng.choices(("agreed", "expected", "proposed"), (8, 1, 1))[0],
            "classification": "confidential" if confidential else "public", "source_id": sources[0], "version": 1,
        })
        ctx = {"sources": sources, "confidential": confidential, "price_level": max(FIRST, year)}

        def add(node_id: str, parent: _Node | None, level: int, title: str) -> _Node:
            node = _Node(node_id, index, level, parent)
            self.initiatives.append({
                "id": node_id, "agreement_id": aid, "parent_id": parent.id if parent else None,
                "title": title, "recipient": "regionerne" if rng.random() < 0.5 else None, "version": 1,
            })
            return node

        tops = []
        # some agreements carry out part of an earlier agreement's frame (udmøntning)
        if self.pool and rng.random() < 0.15:
            candidates = [n for n in self.pool[-400:] if n.share_left > 0.2 and n.agreement != index]
            if candidates:
                parent = rng.choice(candidates)
                node = add(f"{aid}-u", parent, parent.level + 1, f"Udmøntning af {parent.id}")
                self._initiative(node, self._child_share(parent, last=False), ctx)
        for i in range(1, rng.randint(5, 20) + 1):
            top = add(f"{aid}-{i}", None, 1, f"Initiativ {i} (aftale {index})")
            self._initiative(top, None, ctx)
            tops.append(top)
            children = rng.choices((0, 1, 2, 3, 4, 5, 6), (25, 10, 15, 15, 15, 10, 10))[0]
            for j in range(1, children + 1):
                child = add(f"{aid}-{i}-{j}", top, 2, f"Heraf {i}.{j}")
                self._initiative(child, self._child_share(top, last=j == children), ctx)
                grandchildren = rng.choices((0, 1, 2, 3, 4), (40, 10, 20, 20, 10))[0]
                for k in range(1, grandchildren + 1):
                    leaf = add(f"{aid}-{i}-{j}-{k}", child, 3, f"Heraf {i}.{j}.{k}")
                    self._initiative(leaf, self._child_share(child, last=k == grandchildren), ctx)
                self.pool.append(child)
            self.pool.append(top)
        # what the agreement text states: the first year's appropriation over its initiatives
        totals = [self._total(t, "appropriation")[year - FIRST] if year >= FIRST else None for t in tops]
        stated = sum(t for t in totals if t is not None)
        if stated:
            self.stated.append({
                "id": f"st-{aid}", "agreement_id": aid, "year_from": year, "year_to": year, "per_year": True,
                "amount": f"{stated // UNIT}.{stated % UNIT:03d}", "kind": "appropriation",
                "source_id": sources[0], "classification": "confidential" if confidential else "public",
                "version": 1,
            })

    def trim(self, target: int) -> None:
        """Drop lines of initiatives without children (always safe for the rules) until
        exactly `target` lines remain."""
        excess = len(self.line_owner) - target
        if excess <= 0:
            return
        drop = set()
        for i in range(len(self.line_owner) - 1, -1, -1):
            if len(drop) == excess:
                break
            if self.line_owner[i].leaf:
                drop.add(i)
        keep = [i for i in range(len(self.line_owner)) if i not in drop]
        self.lines = {c: [v[i] for i in keep] for c, v in self.lines.items()}
        self.line_owner = [self.line_owner[i] for i in keep]


def generate(lines: int = 1_000_000, seed: int = 20231, regions: pl.DataFrame | None = None) -> Ledger:
    """A valid ledger with exactly `lines` allocation lines (about 1,700 lines per agreement)."""
    if regions is None:
        regions = read_seeds(SEEDS).ledger.regions
    gen = _Generator(seed, regions)
    index = 1
    while len(gen.line_owner) < lines:
        gen.agreement(index)
        index += 1
    gen.trim(lines)
    raw = gen.lines
    n = len(raw["units"])
    line_frame = pl.DataFrame(
        {
            "id": pl.Series(range(1, n + 1), dtype=pl.Int64),
            "initiative_id": pl.Series(raw["initiative_id"], dtype=pl.String),
            "year_from": pl.Series(raw["year_from"], dtype=pl.Int64),
            "year_to": pl.Series(raw["year_to"], dtype=pl.Int64),
            "region": pl.Series(raw["region"], dtype=pl.String),
            # exact: whole thousands divided by 1000 into six decimals
            "amount": pl.Series(raw["units"], dtype=pl.Int64).cast(AMOUNT) / UNIT,
            "kind": pl.Series(raw["kind"], dtype=pl.String),
            "price_level": pl.Series(raw["price_level"], dtype=pl.Int64),
            "source_id": pl.Series(raw["source_id"], dtype=pl.String),
            "classification": pl.Series(raw["classification"], dtype=pl.String),
            "version": pl.Series([1] * n, dtype=pl.Int64),
        }
    )
    stated = pl.DataFrame(gen.stated, infer_schema_length=None)
    if stated.height:
        stated = stated.with_columns(pl.col("amount").str.to_decimal(scale=6))
    return Ledger.of(
        regions=regions,
        sources=pl.DataFrame(gen.sources, infer_schema_length=None),
        agreements=pl.DataFrame(gen.agreements, infer_schema_length=None),
        initiatives=pl.DataFrame(gen.initiatives, infer_schema_length=None),
        lines=line_frame,
        stated_totals=stated,
    )


def describe(ledger: Ledger) -> dict:
    """Counts that show the shape of a generated ledger."""
    lines, ini = ledger.lines, ledger.initiatives
    parents = ini.select("id", "parent_id")
    level2 = parents.filter(pl.col("parent_id").is_in(parents.filter(pl.col("parent_id").is_null())["id"].implode()))
    level3 = parents.filter(pl.col("parent_id").is_in(level2["id"].implode()))
    return {
        "lines": lines.height,
        "agreements": ledger.agreements.height,
        "initiatives": ini.height,
        "initiatives_level_2": level2.height,
        "initiatives_level_3": level3.height,
        "sources": ledger.sources.height,
        "years": [int(lines["year_from"].min()), int(lines["year_to"].max())],
        "regional_lines": lines.filter(pl.col("region") != NATIONAL).height,
        "permanent_lines": lines.filter(pl.col("year_to").is_null()).height,
        "kinds": dict(lines["kind"].value_counts().sort("kind").iter_rows()),
        "line_years": int(
            lines.select((pl.coalesce("year_to", LAST) - pl.col("year_from") + 1).sum()).item()
        ),
    }
