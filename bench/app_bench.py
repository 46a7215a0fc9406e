"""The app in a real browser: time to first render, and to re-render after a filter change.

Runs `streamlit run app.py` on a free local port against two ledgers, the seeded one and a
synthetic one (100,000 lines by default, from `bench/synthetic.py`), and drives Debian's
chromium through Playwright (no browser download):

* first render, cold server: the first visit after the server started (the ledger is read
  from the database and every cache is empty), by a browser that has never seen the app;
* first render, new visitor: a browser with empty caches, the server's caches warm;
* first render, returning visitor: a browser profile that has opened the app before (its
  HTTP and script caches hold Streamlit's frontend, as a committee member's browser would);
* other pages, Fordeling and Regioner: the first visit to each (the server draws it for the
  first time), then as the returning visitor;
* re-render: a filter in the sidebar changed: a kind switched on, then off again (a section
  with its key figures, chart and table appears and goes), and the last year of the range
  moved one year back and forward with the keyboard (every chart and table redrawn). These
  toggle between views seen before, so the server replays the sections it drew for them
  (`tracker.app.ui.replayed`), as it does for anyone returning to a view;
* fresh views: a year range the server has never drawn, opened from the address (first
  render), then a kind switched on, and the last year moved back: nothing can be replayed;
* page change: from Overblik to Fordeling through the top bar and back, in the same session
  (how a user goes from page to page; no page load).

Streamlit's own frontend takes a large, fixed share of a first render, so the same numbers
are taken for a bare page (`st.title` and `st.metric`) on the same machine: the baseline. The
machine's speed drifts within minutes, so the bare page is also loaded in turn with each
ledger's returning-visitor loads: the speed of the moment beside the app's figure.

A re-render starts a second after the page has rendered (`LOOK_MS`: a user looks at the page
before changing a filter; right after a render the browser is still busy with it).

A render counts as done when the app's script has finished, every chart on the page has drawn
its marks and the key figures show. Times are taken in the browser from navigation start (or
from the click) with `performance.now()`. Targets: first render < 2 s, re-render < 0.5 s.

    python bench/app_bench.py                # both ledgers, 100,000 synthetic lines
    python bench/app_bench.py --lines 20000  # a smaller synthetic ledger
Results: printed, and written to bench/out/app_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 900}  # a laptop screen
TARGET_FIRST, TARGET_RERENDER = 2.0, 0.5
LOOK_MS = 1000  # after a page has rendered, a user looks at it before changing a filter

sys.path.insert(0, str(ROOT))

# The page is rendered when the script is done, every chart has drawn marks and a key figure
# shows. Returns the moment (ms since navigation start) it first held.
RENDERED = """
(needsMetric) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"]')) return -1;
  const charts = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
  if (charts.length === 0) return false;
  for (const c of charts) { if (!c.querySelector('svg .mark-rect path, svg .mark-rect, svg path')) return false; }
  if (needsMetric && !document.querySelector('[data-testid="stMetricValue"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  return performance.now();
}
"""
# Remember each change of the script state, and when the last click happened.
WATCH = """
() => {
  window.__states = [];
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__states.push([performance.now(), app.getAttribute('data-test-script-state')]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  window.__click = null;
  document.addEventListener('click', e => { window.__click = e.timeStamp; }, true);
}
"""
# After the click: the script ran and finished, and the page shows `charts` drawn charts.
RERENDERED = """
(charts) => {
  if (window.__click === null) return false;
  const ran = window.__states.some(([t, s]) => t >= window.__click && s === 'running');
  const app = document.querySelector('[data-testid="stApp"]');
  if (!ran || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const drawn = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    .filter(c => c.querySelector('svg path'));
  if (drawn.length !== charts) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  return performance.now() - window.__click;
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeded_database(path: Path) -> str:
    from tracker import services

    url = f"sqlite:///{path}"
    engine = services.open_ledger(url)
    services.init(engine)
    engine.dispose()
    return url


def synthetic_database(path: Path, lines: int) -> str:
    """A synthetic ledger written through the ledger's own commit (rules checked), kept in
    bench/out so later runs reuse it."""
    url = f"sqlite:///{path}"
    if path.exists():
        from tracker import services

        try:  # a file from an older schema is brought up to date, or built again
            services.open_ledger(url).dispose()
            return url
        except Exception:  # noqa: BLE001 - any failure: build it again
            path.unlink()
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate  # bench/synthetic.py

    from ledger import store
    from ledger.changes import diff
    from ledger.readers import read_seeds
    from tracker import services

    ledger = generate(lines=lines)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    engine = services.open_ledger(f"sqlite:///{partial}")
    seeded = read_seeds(services.SEEDS)
    store.put_reference_data(engine, seeded.ledger.regions, seeded.keys, seeded.price_index)
    store.commit(engine, diff(store.load(engine), ledger.tables()), author="bench", action="init",
                 reason=f"synthetic ledger, {lines} lines")
    engine.dispose()
    partial.rename(path)
    return url


class Server:
    """`streamlit run app.py` on a free port, headless, on the given database; from this
    checkout, or from the checkout at `root`."""

    def __init__(self, database_url: str, log: Path, script: str = "app.py", root: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "TRACKER_DATABASE_URL": database_url}
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not start; see {log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


BARE_PAGE = "import streamlit as st\nst.title('Baseline')\nst.metric('x', '1')\n"
BARE_RENDERED = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return document.querySelector('[data-testid="stMetricValue"]') ? performance.now() : false;
}
"""


def first_render(browser, url: str, metric: bool = True, returning=None, ready: str = RENDERED) -> float:
    """Seconds from navigation start to the rendered page: in a new browser context, or in
    the `returning` (persistent) context."""
    context = returning or browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(url)
        done = page.wait_for_function(ready, arg=metric, polling="raf", timeout=120_000).json_value()
        if done == -1:
            raise RuntimeError(f"the page raised an exception: {url}")
        return done / 1000
    finally:
        page.close()
        if returning is None:
            context.close()


def rerenders(context, url: str, label: str, times: int) -> list[float]:
    """Switch the kind `label` on and off in the sidebar, `times` times each way."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(RENDERED, arg=True, polling="raf", timeout=120_000)
        page.wait_for_timeout(LOOK_MS)
        pill = page.locator('[data-testid="stSidebar"] button', has_text=label).first
        found = []
        for _ in range(times):
            for _direction in ("on", "off"):
                charts = page.locator('[data-testid="stVegaLiteChart"]').count()
                expected = charts + 1 if _direction == "on" else charts - 1
                page.evaluate(WATCH)
                pill.click()
                found.append(page.wait_for_function(RERENDERED, arg=expected, polling="raf",
                                                     timeout=60_000).json_value() / 1000)
        return found
    finally:
        page.close()


def slider_rerenders(context, url: str, times: int) -> list[float]:
    """Move the end of the year range one year back and forward with the keyboard."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(RENDERED, arg=True, polling="raf", timeout=120_000)
        page.wait_for_timeout(LOOK_MS)
        thumb = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').last
        found = []
        for _ in range(times):
            for key in ("ArrowLeft", "ArrowRight"):
                charts = page.locator('[data-testid="stVegaLiteChart"]').count()
                page.evaluate(WATCH)
                thumb.focus()
                page.evaluate("() => { window.__click = performance.now(); }")
                thumb.press(key)
                found.append(page.wait_for_function(RERENDERED, arg=charts, polling="raf",
                                                     timeout=60_000).json_value() / 1000)
        return found
    finally:
        page.close()


def page_changes(context, base: str, runs: int) -> dict[str, list[float]]:
    """From Overblik to Fordeling through the top bar and back, as a user goes from page to
    page (the same browser session: no page load, the script runs the other page)."""
    page = context.new_page()
    found: dict[str, list[float]] = {"to_fordeling": [], "to_overblik": []}
    try:
        page.goto(base)
        page.wait_for_function(RENDERED, arg=True, polling="raf", timeout=120_000)
        page.wait_for_timeout(LOOK_MS)
        for _ in range(runs):
            for title, charts, key in (("Fordeling", 2, "to_fordeling"), ("Overblik", 1, "to_overblik")):
                page.evaluate(WATCH)
                page.get_by_test_id("stTopNavLink").filter(has_text=title).click()
                found[key].append(page.wait_for_function(RERENDERED, arg=charts, polling="raf",
                                                         timeout=60_000).json_value() / 1000)
                page.wait_for_timeout(LOOK_MS)
        return found
    finally:
        page.close()


def fresh_views(context, base: str, runs: int) -> dict[str, list[float]]:
    """Views the server has not drawn before (so nothing can be replayed, `tracker.app.ui.replayed`):
    each round opens a year range of its own from the address (first render), switches a kind
    on (re-render), off again (a view just seen), and moves the last year one back (re-render)."""
    page = context.new_page()
    try:
        page.goto(base)
        page.wait_for_function(RENDERED, arg=True, polling="raf", timeout=120_000)
        thumbs = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
        low, high = int(thumbs.first.get_attribute("value")), int(thumbs.last.get_attribute("value"))
    finally:
        page.close()
    found: dict[str, list[float]] = {"first": [], "kind_on": [], "years": []}
    # ranges (start, end), then (start, end - 1): none shared between rounds, nor with the views
    # seen above ((low, high) and (low, high - 1)); every range holds the first two years, where
    # the seed ledger's expected money is
    ranges = [(start, end) for end in range(high - 2, low, -2) for start in (low, low + 1) if start < end]
    for start, end in ranges[:runs]:
        page = context.new_page()
        try:
            page.goto(f"{base}?aar={start}&aar={end}")
            found["first"].append(page.wait_for_function(RENDERED, arg=True, polling="raf",
                                                         timeout=120_000).json_value() / 1000)
            page.wait_for_timeout(LOOK_MS)
            pill = page.locator('[data-testid="stSidebar"] button', has_text="Forventet").first
            for direction in ("on", "off"):
                charts = page.locator('[data-testid="stVegaLiteChart"]').count()
                page.evaluate(WATCH)
                pill.click()
                took = page.wait_for_function(RERENDERED, arg=charts + (1 if direction == "on" else -1),
                                              polling="raf", timeout=60_000).json_value() / 1000
                if direction == "on":
                    found["kind_on"].append(took)
                page.wait_for_timeout(300)
            thumb = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').last
            charts = page.locator('[data-testid="stVegaLiteChart"]').count()
            page.evaluate(WATCH)
            thumb.focus()
            page.evaluate("() => { window.__click = performance.now(); }")
            thumb.press("ArrowLeft")
            found["years"].append(page.wait_for_function(RERENDERED, arg=charts, polling="raf",
                                                         timeout=60_000).json_value() / 1000)
        finally:
            page.close()
    return found


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def measure(name: str, database_url: str, runs: int, browser, returning, script: str = "app.py",
            bare: Path | None = None) -> dict:
    """The app's timings on one ledger. With `bare`, the bare page is served beside the app and
    loaded in turn with it, so each returning visitor's load has the machine's speed of that
    moment next to it (its speed drifts within minutes)."""
    log = OUT / f"app_bench_{name}.log"
    server = Server(database_url, log, script)
    beside = Server("sqlite://", OUT / f"app_bench_{name}_bare.log", str(bare)) if bare else None
    try:
        base = server.url + "/"
        if script != "app.py":  # the baseline: a bare Streamlit page
            cold = first_render(browser, base, ready=BARE_RENDERED)
            new = [first_render(browser, base, ready=BARE_RENDERED) for _ in range(runs)]
            first_render(browser, base, returning=returning, ready=BARE_RENDERED)  # the profile sees it once
            back = [first_render(browser, base, returning=returning, ready=BARE_RENDERED) for _ in range(runs)]
            return {"ledger": name, "first_render_cold_server_s": round(cold, 3),
                    "first_render_new_visitor_s": _median(new), "first_render_returning_s": _median(back)}
        cold = first_render(browser, base)
        new = [first_render(browser, base) for _ in range(runs)]
        first_render(browser, base, returning=returning)  # the profile has opened the app before
        back, bare_back = [], []
        if beside:
            first_render(browser, beside.url + "/", returning=returning, ready=BARE_RENDERED)
        for _ in range(runs):
            if beside:
                bare_back.append(first_render(browser, beside.url + "/", returning=returning, ready=BARE_RENDERED))
            back.append(first_render(browser, base, returning=returning))
        # other pages: the first visit (the server draws the page for the first time), then as
        # Overblik, a returning browser and the server's caches warm
        other_first, other = {}, {}
        for p in ("fordeling", "regioner"):
            other_first[p] = first_render(browser, server.url + "/" + p, metric=False, returning=returning)
            other[p] = [first_render(browser, server.url + "/" + p, metric=False, returning=returning)
                        for _ in range(runs)]
        again = rerenders(returning, base, "Forventet", runs)
        years = slider_rerenders(returning, base, runs)
        fresh = fresh_views(returning, base, runs)
        moves = page_changes(returning, base, runs)
    finally:
        server.stop()
        if beside:
            beside.stop()
    return {
        "ledger": name,
        "first_render_cold_server_s": round(cold, 3),
        "first_render_new_visitor_s": _median(new),
        "first_render_returning_s": _median(back),
        "first_render_returning_all_s": [round(x, 3) for x in back],
        # the bare page, loaded in turn with the app's returning visitor: the machine's speed then
        "first_render_returning_bare_beside_s": _median(bare_back) if bare_back else None,
        "first_render_other_pages_first_visit_s": {k: round(v, 3) for k, v in other_first.items()},
        "first_render_returning_other_pages_s": {k: _median(v) for k, v in other.items()},
        "first_render_returning_other_pages_all_s": {k: [round(x, 3) for x in v] for k, v in other.items()},
        "rerender_median_s": _median(again),
        # each round switches the kind on, then off: a section built, then one taken away
        "rerender_kind_on_median_s": _median(again[0::2]),
        "rerender_kind_off_median_s": _median(again[1::2]),
        "rerender_max_s": round(max(again), 3),
        "rerender_all_s": [round(x, 3) for x in again],
        "rerender_years_median_s": _median(years),
        "rerender_years_max_s": round(max(years), 3),
        "rerender_years_all_s": [round(x, 3) for x in years],
        "fresh_first_render_s": _median(fresh["first"]),
        "fresh_rerender_kind_on_s": _median(fresh["kind_on"]),
        "fresh_rerender_years_s": _median(fresh["years"]),
        "fresh_all_s": {k: [round(x, 3) for x in v] for k, v in fresh.items()},
        "page_change_to_fordeling_s": _median(moves["to_fordeling"]),
        "page_change_to_overblik_s": _median(moves["to_overblik"]),
        "page_change_all_s": {k: [round(x, 3) for x in v] for k, v in moves.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="lines in the synthetic ledger")
    parser.add_argument("--runs", type=int, default=5, help="warm first renders and filter changes to time")
    parser.add_argument("--only", choices=("seeded", "synthetic"), help="time one ledger only")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    ledgers = []
    if args.only in (None, "seeded"):
        seeded = OUT / "app_bench_seeded.sqlite"
        for old in OUT.glob(seeded.name + "*"):
            old.unlink()
        ledgers.append(("seeded", seeded_database(seeded)))
    if args.only in (None, "synthetic"):
        ledgers.append((f"synthetic-{args.lines}", synthetic_database(OUT / f"app_bench_{args.lines}.sqlite", args.lines)))
    results = []
    bare = OUT / "app_bench_bare_page.py"
    bare.write_text(BARE_PAGE)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        returning = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                         viewport=VIEWPORT)
        try:
            results.append(measure("baseline (bare page)", "sqlite://", args.runs, browser, returning, str(bare)))
            print(json.dumps(results[-1]), flush=True)
            for name, url in ledgers:
                results.append(measure(name, url, args.runs, browser, returning, bare=bare))
                print(json.dumps(results[-1]), flush=True)
        finally:
            returning.close()
            browser.close()
    report = {"targets": {"first_render_s": TARGET_FIRST, "rerender_s": TARGET_RERENDER},
              "viewport": VIEWPORT, "cpus": os.cpu_count(), "results": results}
    (OUT / "app_bench.json").write_text(json.dumps(report, indent=1))
    print()
    print("first render (s): cold server / new visitor / returning visitor;"
          " re-render (s), kind on and off: median / max; years: median / max;"
          " fresh views (medians): first render / kind on / years")
    for r in results:
        line = (f"{r['ledger']:<22} {r['first_render_cold_server_s']:>6.2f} {r['first_render_new_visitor_s']:>6.2f} "
                f"{r['first_render_returning_s']:>6.2f}")
        if "rerender_median_s" in r:
            line += (f"   {r['rerender_median_s']:>6.2f} {r['rerender_max_s']:>6.2f}"
                     f"   {r['rerender_years_median_s']:>6.2f} {r['rerender_years_max_s']:>6.2f}"
                     f"   {r['fresh_first_render_s']:>6.2f} {r['fresh_rerender_kind_on_s']:>6.2f}"
                     f" {r['fresh_rerender_years_s']:>6.2f}")
        print(line)
    for r in results:
        if "first_render_returning_other_pages_s" in r:
            pages = ", ".join(f"{p} {r['first_render_returning_other_pages_s'][p]:.2f}"
                              f" (first visit {r['first_render_other_pages_first_visit_s'][p]:.2f})"
                              for p in r["first_render_returning_other_pages_s"])
            print(f"{r['ledger']:<22} other pages, returning visitor (s): {pages}")
    for r in results:
        if r.get("first_render_returning_bare_beside_s") is not None:
            print(f"{r['ledger']:<22} returning visitor {r['first_render_returning_s']:.2f} s, the bare page loaded"
                  f" in turn with it {r['first_render_returning_bare_beside_s']:.2f} s")
    for r in results:
        if "page_change_to_fordeling_s" in r:
            print(f"{r['ledger']:<22} page change in the top bar, medians (s): to Fordeling"
                  f" {r['page_change_to_fordeling_s']:.2f}, back to Overblik {r['page_change_to_overblik_s']:.2f}")
    for r in results:
        if "rerender_kind_on_median_s" in r:
            print(f"{r['ledger']:<22} re-render, medians (s): kind on {r['rerender_kind_on_median_s']:.2f},"
                  f" kind off {r['rerender_kind_off_median_s']:.2f}")


if __name__ == "__main__":
    main()
