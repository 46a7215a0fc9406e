"""Two versions of the app side by side in one browser: their first renders taken in turn.

The development machine's speed drifts by a third within minutes, so two runs of
`app_bench.py` minutes apart cannot tell a change of 0.2 s from the drift. This starts the app
from this checkout and from another git revision (checked out in a temporary worktree) on the
same ledger, and opens Overblik from each in turn in one browser profile (a returning
visitor, as in `app_bench.py`): the two loads of a round share the machine's speed of that
moment. It reports, per version, the median first render and the main thread's busy time
(Chrome's TaskDuration), and the median of the differences round by round.

    python bench/app_compare.py HEAD~1                     # the 100,000-line ledger
    python bench/app_compare.py HEAD~1 --ledger seeded --rounds 12
    python bench/app_compare.py HEAD~1 --page fordeling    # another page's first render
    python bench/app_compare.py HEAD~1 --rerender          # re-renders after a filter change
Results: printed, and written to bench/out/app_compare.json (app_compare_rerender.json).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import app_bench as bench  # bench/app_bench.py: the server, the browser, what "rendered" means

PAUSE_MS = 600  # after each render: the page's last work done before the next load starts


def load(context, url: str, metric: bool = True) -> tuple[float, float]:
    """Seconds to the rendered page, and the seconds the page's main thread was busy (`metric`:
    the page shows key figures, as Overblik does)."""
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url)
        done = page.wait_for_function(bench.RENDERED, arg=metric, polling="raf", timeout=120_000).json_value()
        if done == -1:
            raise RuntimeError(f"the page raised an exception: {url}")
        page.wait_for_timeout(PAUSE_MS)
        busy = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["TaskDuration"]
        return done / 1000, busy
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the git revision to compare this checkout with")
    parser.add_argument("--ledger", choices=("synthetic", "seeded"), default="synthetic")
    parser.add_argument("--lines", type=int, default=100_000, help="lines in the synthetic ledger")
    parser.add_argument("--rounds", type=int, default=10, help="loads of each version, after 2 to warm up")
    parser.add_argument("--page", default="", help="the page to open (its url path, e.g. fordeling); Overblik if not given")
    parser.add_argument("--rerender", action="store_true",
                        help="compare re-renders instead: in each round, a kind switched on and off and the "
                             "last year moved back and forward, on each version in turn")
    args = parser.parse_args()
    bench.OUT.mkdir(parents=True, exist_ok=True)
    if args.ledger == "seeded":
        url = bench.seeded_database(Path(tempfile.mkdtemp()) / "seeded.sqlite")
    else:
        url = bench.synthetic_database(bench.OUT / f"app_bench_{args.lines}.sqlite", args.lines)

    from playwright.sync_api import sync_playwright

    other = Path(tempfile.mkdtemp()) / "other"
    subprocess.run(["git", "-C", str(bench.ROOT), "worktree", "add", "--detach", str(other), args.revision],
                   check=True, capture_output=True)
    versions = {"this checkout": bench.ROOT, args.revision: other}
    servers = {}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    try:
        for name, root in versions.items():
            servers[name] = bench.Server(url, bench.OUT / f"app_compare_{len(servers)}.log", root=root)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            context = p.chromium.launch_persistent_context(profile, executable_path=bench.CHROMIUM,
                                                           args=bench.CHROMIUM_ARGS, viewport=bench.VIEWPORT)
            try:
                for round_ in range(args.rounds + 2):
                    order = list(versions) if round_ % 2 == 0 else list(reversed(versions))
                    for name in order:
                        if args.rerender:
                            taken = (*bench.rerenders(context, servers[name].url + "/", "Forventet", 1),
                                     *bench.slider_rerenders(context, servers[name].url + "/", 1))
                        else:
                            taken = load(context, servers[name].url + "/" + args.page, metric=not args.page)
                        if round_ >= 2:
                            times[name].append(taken)
            finally:
                context.close()
    finally:
        for server in servers.values():
            server.stop()
        subprocess.run(["git", "-C", str(bench.ROOT), "worktree", "remove", "--force", str(other)], check=False)

    this, that = times["this checkout"], times[args.revision]
    if args.rerender:
        return rerender_report(args, times, this, that)
    result = {
        "ledger": args.ledger if args.ledger == "seeded" else f"synthetic-{args.lines}",
        "page": args.page or "overblik",
        "rounds": args.rounds,
        "versions": {name: {"first_render_s": round(statistics.median(t[0] for t in got), 3),
                            "main_thread_busy_s": round(statistics.median(t[1] for t in got), 3),
                            "first_render_all_s": [round(t[0], 3) for t in got]}
                     for name, got in times.items()},
        "difference_median_s": {  # this checkout minus the revision, round by round
            "first_render": round(statistics.median(a[0] - b[0] for a, b in zip(this, that)), 3),
            "main_thread_busy": round(statistics.median(a[1] - b[1] for a, b in zip(this, that)), 3),
        },
    }
    (bench.OUT / "app_compare.json").write_text(json.dumps(result, indent=1))
    for name, got in result["versions"].items():
        print(f"{name:<16} first render {got['first_render_s']:.2f} s   main thread busy {got['main_thread_busy_s']:.2f} s")
    diff = result["difference_median_s"]
    print(f"this checkout minus {args.revision}, median of {args.rounds} rounds: first render "
          f"{diff['first_render']:+.3f} s, main thread busy {diff['main_thread_busy']:+.3f} s")


def rerender_report(args, times, this, that) -> None:
    steps = ("kind_on", "kind_off", "years_back", "years_forward")
    result = {
        "ledger": args.ledger if args.ledger == "seeded" else f"synthetic-{args.lines}",
        "rounds": args.rounds,
        "versions": {name: {f"{step}_s": round(statistics.median(t[i] for t in got), 3)
                            for i, step in enumerate(steps)} for name, got in times.items()},
        "difference_median_s": {step: round(statistics.median(a[i] - b[i] for a, b in zip(this, that)), 3)
                                for i, step in enumerate(steps)},
    }
    (bench.OUT / "app_compare_rerender.json").write_text(json.dumps(result, indent=1))
    for name, got in result["versions"].items():
        print(f"{name:<16} " + "   ".join(f"{step.replace('_', ' ')} {got[f'{step}_s']:.2f} s" for step in steps))
    diff = result["difference_median_s"]
    print(f"this checkout minus {args.revision}, median of {args.rounds} rounds: "
          + ", ".join(f"{step.replace('_', ' ')} {diff[step]:+.3f} s" for step in steps))


if __name__ == "__main__":
    sys.exit(main())
