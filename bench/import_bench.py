"""Import of a 100,000-line XLSX file, stage by stage: parse, validate and diff, write.

The file is the interchange format written by `ledger.writers.write_interchange` from the
synthetic national-scale ledger (`bench/synthetic.py`, valid by construction), imported the way
the app's Import page imports it (`tracker.importing.preview`, then `confirm`) into a temporary
SQLite ledger (PostgreSQL with --database). Two cases:

* **new**: the ledger holds the synthetic agreements, initiatives and sources but no lines; the
  file adds all 100,000 lines;
* **correct**: the ledger holds every line; the file corrects the note of one line in ten and
  leaves the rest unchanged (10,000 corrections, 90,000 unchanged).

Stages: `read` = the ledger loaded for comparison; `parse` = the file read into ledger rows
(`read_interchange`); `validate+diff` = every rule over the ledger as it would be, and the
difference from it (`imports.plan`); `write` = one transaction (`store.commit`, which checks
the rules again under its lock). Target: under 10 s in all for 100,000 lines.

    python bench/import_bench.py                 # 100,000 lines, results in bench/out/import_bench.json
    python bench/import_bench.py --lines 20000
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ledger import store  # noqa: E402
from ledger.access import SINGLE_ADMIN  # noqa: E402
from ledger.changes import diff  # noqa: E402
from ledger.imports import plan  # noqa: E402
from ledger.readers import read_interchange, read_seeds  # noqa: E402
from ledger.writers import write_interchange  # noqa: E402
from tracker import importing, services  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGET = 10.0  # seconds for the whole import


def prepared(url: str, ledger, with_lines: bool):
    """A ledger database holding the synthetic ledger (without its lines unless `with_lines`)."""
    engine = services.open_ledger(url)
    seeded = read_seeds(services.SEEDS)
    store.put_reference_data(engine, seeded.ledger.regions, seeded.keys, seeded.price_index)
    tables = ledger.tables()
    if not with_lines:
        tables["lines"] = ledger.lines.head(0)
        tables["stated_totals"] = ledger.stated_totals.head(0)
    store.commit(engine, diff(store.load(engine), tables), author="bench", action="init", reason="synthetic ledger")
    return engine


def timed(stages: dict, name: str, work):
    start = time.perf_counter()
    result = work()
    stages[name] = round(time.perf_counter() - start, 3)
    return result


def run(case: str, ledger, xlsx: Path, url: str) -> dict:
    engine = prepared(url, ledger, with_lines=(case == "correct"))
    content = xlsx.read_bytes()
    stages: dict[str, float] = {}
    current = timed(stages, "read", lambda: store.load(engine))
    next_id = store.next_line_id(engine)
    batch = timed(stages, "parse", lambda: read_interchange(xlsx.name, current, content))
    planned = timed(stages, "validate+diff", lambda: plan(current, batch, next_id))
    assert planned.ok, [v.as_text() for v in planned.violations[:5]]
    preview = importing.Preview(planned, current, xlsx.name, importing.digest(content))
    timed(stages, "write", lambda: importing.confirm(engine, SINGLE_ADMIN, preview, "bench"))
    counts = planned.changes.summary()["lines"]
    after = store.load(engine).lines.height
    stages["total"] = round(sum(v for k, v in stages.items() if k != "total"), 3)
    # the same through the app's own call, as the Import page runs it (progress and all)
    engine2 = prepared(url.replace(".sqlite", "-app.sqlite"), ledger, with_lines=(case == "correct")) \
        if url.startswith("sqlite") else None
    app_total = None
    if engine2 is not None:
        start = time.perf_counter()
        shown = importing.preview(engine2, SINGLE_ADMIN, xlsx.name, content, lambda *_: None)
        importing.confirm(engine2, SINGLE_ADMIN, shown, "bench")
        app_total = round(time.perf_counter() - start, 3)
        engine2.dispose()
    engine.dispose()
    return {"case": case, "lines_in_file": batch.lines.height, "added": counts["added"], "changed": counts["changed"],
            "unchanged": counts["unchanged"], "lines_after": after, "seconds": stages,
            "app_preview_and_confirm_seconds": app_total, "under_target": stages["total"] < TARGET}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL of an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    from synthetic import generate  # bench/synthetic.py

    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    ledger = generate(args.lines)
    results = []
    for case in ("new", "correct"):
        file_ledger = ledger
        if case == "correct":  # one line in ten with a corrected note
            file_ledger = replace(ledger, lines=ledger.lines.with_columns(
                pl.when(pl.col("id") % 10 == 0).then(pl.lit("rettet")).otherwise(pl.col("note")).alias("note")))
        xlsx = folder / f"{case}.xlsx"
        start = time.perf_counter()
        write_interchange(file_ledger, xlsx)
        written = round(time.perf_counter() - start, 3)
        url = args.database or f"sqlite:///{folder / (case + '.sqlite')}"
        result = run(case, ledger, xlsx, url)
        result["xlsx_bytes"] = xlsx.stat().st_size
        result["xlsx_written_in_seconds"] = written
        results.append(result)
        print(json.dumps(result, ensure_ascii=False))
    OUT.mkdir(exist_ok=True)
    report = {"lines": args.lines, "database": "postgresql" if args.database else "sqlite",
              "python": platform.python_version(), "machine": platform.machine(), "target_seconds": TARGET,
              "results": results}
    (OUT / "import_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
