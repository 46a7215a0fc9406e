"""What every page shares: language, navigation, the sidebar filters, tables with their
downloads, and links to the sources."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import TypeVar
from urllib.parse import quote_plus, urlencode

import pandas as pd
import polars as pl
import streamlit as st

from ledger.domain import KINDS
from tracker import formatting, tables, views
from tracker.i18n import kind_label, t
from tracker.reports import Filters
from tracker.tables import Table

from . import charts, data

PAGES = (  # file, title key, icon, url path, permission needed
    ("tracker/app/pages/overblik.py", "page_overview", ":material/dashboard:", "overblik", "read"),
    ("tracker/app/pages/aftaler.py", "page_agreements", ":material/handshake:", "aftaler", "read"),
    ("tracker/app/pages/fordeling.py", "page_breakdown", ":material/table_chart:", "fordeling", "read"),
    ("tracker/app/pages/regioner.py", "page_regions", ":material/map:", "regioner", "read"),
    ("tracker/app/pages/kilder.py", "page_sources", ":material/description:", "kilder", "read"),
    ("tracker/app/pages/afstemning.py", "page_findings", ":material/rule:", "afstemning", "read"),
    ("tracker/app/pages/forhandling.py", "page_negotiation", ":material/gavel:", "forhandling", "see_confidential"),
    ("tracker/app/pages/indtastning.py", "page_entry", ":material/edit_note:", "indtastning", "write"),
    ("tracker/app/pages/importer.py", "page_import", ":material/upload_file:", "import", "write"),
    ("tracker/app/pages/historik.py", "page_history", ":material/history:", "historik", "see_confidential"),
    ("tracker/app/pages/prisindeks.py", "page_price_index", ":material/percent:", "prisindeks", "administer"),
)
LANGUAGES = {"da": "Dansk", "en": "English"}
# the sidebar's defaults: left out of the address, and of a link to the sources (`link_prefix`)
DEFAULT_LANG = "da"
DEFAULT_KINDS = ["appropriation"]
T = TypeVar("T")
AMOUNT_WIDTH = 62  # pixels: the narrowest amount column, room for 1.234,5
# an amount column is widened to its longest figure: the grid cuts a wider one off at its left,
# which would hide its first digits (1.535,734 showed as .535,734). Pixels per digit and per
# other character (separators, sign) in bold (a total row is bold, and usually the longest),
# and the cell's padding
AMOUNT_DIGIT_PX, AMOUNT_MARK_PX, AMOUNT_PADDING_PX = 7.3, 3.5, 16
STYLED_CELLS = 40_000  # above this many cells a table shows its amounts as plain text (styling
# each cell would be slow, and pandas refuses to style more than 262,144)


# Streamlit cuts a key figure that is wider than its card off with "…" (138.950,482 mio. kr. on a
# laptop screen), hiding digits; instead the value wraps, its unit on a line of its own. A
# heatmap's figure lies over its cell and would take the click meant for the cell's link.
STYLE = """<style>
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"], [data-testid="stMetricValue"] p {
  white-space: normal; text-overflow: clip;
}
[data-testid="stVegaLiteChart"] .%s_marks { pointer-events: none; }
</style>""" % charts.CELL_FIGURES


def style() -> None:
    """The app's few rules of its own, on every page (a style-only `st.html` takes no room)."""
    st.html(STYLE)


@dataclass(frozen=True)
class View:
    """What the sidebar chose; every page reads it."""

    ref: data.LedgerRef
    lang: str
    year_from: int
    until: int
    agreements: tuple[str, ...] | None  # None: all
    kinds: tuple[str, ...]

    def filters(self, **changes) -> Filters:
        base = Filters(kinds=self.kinds, agreements=self.agreements, year_from=self.year_from, until=self.until)
        return replace(base, **changes)

    @property
    def period(self) -> str:
        return formatting.years(self.year_from, self.until, self.lang, permanent=False)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)


# --- state kept in the URL ------------------------------------------------------------------
# Each filter widget keeps its value in a query parameter of the same name, written as codes
# (agreement ids, kind codes, years), never as the labels shown, so a shared link works in
# either language. The URL seeds a widget the first time it renders in a session, and again
# after the browser's Back or Forward: then the address of that history entry is the view.
# Every change `keep` writes is a history entry of its own (Streamlit pushes one for each change
# of st.query_params), so Back undoes the last filter change; see docs/app.md.


def history_navigation() -> bool:
    """Whether this run is the browser's Back or Forward. Streamlit reruns the script with the
    query string of the history entry it went to, marked on the run's context (1.67; there is
    no public API for it). Without the mark the widgets' last values would win and be written
    back into the address, so Back would change nothing."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def carry_over() -> None:
    """Put the parameters the address had at the end of the previous run back into the URL when
    they are missing, all at once; called first thing in every run, before `st.navigation`.

    On a page change Streamlit runs the new page with the query parameters dropped (it keeps
    only those of widgets bound with `bind=`). Written back one by one later in the run, each
    would be a history entry of its own, some under the old page's address with half the
    filters, so Back would step through views never shown. Written in one go before the
    navigation message, the address still equals the old page's, so nothing is pushed, and the
    page change is one history entry carrying every parameter: the sidebar's filters, and each
    page's own (every page reads only its own, so a page you come back to is as you left it).
    Not on Back or Forward, where the history entry's address is the view."""
    last = st.session_state.get("_address")
    if last and not history_navigation():
        missing = {key: values for key, values in last.items() if key not in st.query_params}
        if missing:
            st.query_params.update(missing)
    _remember_address()


def _remember_address() -> None:
    st.session_state["_address"] = {key: st.query_params.get_all(key) for key in st.query_params}


def seed(key: str, default, options=None, multi: bool = False, cast=str):
    """Put the URL's value for `key` (or the default) in the session before its widget renders:
    the first time, and on Back or Forward, where the URL wins over the widget's last value (a
    parameter missing from the URL then means its default)."""
    if key in st.session_state and not history_navigation():
        return
    raw = st.query_params.get_all(key)
    values = []
    for text in raw:
        try:
            value = cast(text)
        except (TypeError, ValueError):
            continue
        if options is None or value in options:
            values.append(value)
    if multi:
        st.session_state[key] = list(dict.fromkeys(values)) if raw else list(default)
    else:
        st.session_state[key] = values[0] if values else default


def keep(key: str, value, default) -> None:
    """Write a widget's value to the URL (and drop it there when it is the default)."""
    if isinstance(value, (list, tuple)):
        current = [str(v) for v in value]
        wanted = None if list(value) == list(default) else current
    else:
        current = str(value) if value is not None else None
        wanted = None if value == default else current
    if wanted is None:
        if key in st.query_params:
            del st.query_params[key]
            _remember_address()
    elif st.query_params.get_all(key) != (wanted if isinstance(wanted, list) else [wanted]):
        st.query_params[key] = wanted  # a history entry: Back undoes this change
        _remember_address()


def language() -> str:
    seed("sprog", DEFAULT_LANG, options=LANGUAGES)
    with st.sidebar:
        lang = st.segmented_control(
            "Sprog / Language", options=list(LANGUAGES), format_func=LANGUAGES.get, required=True, key="sprog",
        )
    keep("sprog", lang, DEFAULT_LANG)
    return lang or DEFAULT_LANG


SECTIONS = {"indtastning": "section_ledger", "import": "section_ledger", "historik": "section_ledger",
            "prisindeks": "section_ledger"}


def pages(lang: str, who=None) -> list | dict:
    """The pages this user may open (the pages check again themselves). Entering, import and
    history form a menu of their own in the top bar ("Ledgeren"), so the reading pages keep
    their room."""
    who = who or data.actor()
    allowed = [
        (SECTIONS.get(url, ""), st.Page(path, title=t(title, lang), icon=icon, url_path=url, default=(i == 0)))
        for i, (path, title, icon, url, permission) in enumerate(PAGES)
        if who.can(permission)
    ]
    if all(section == "" for section, _ in allowed):
        return [page for _, page in allowed]
    grouped: dict[str, list] = {}
    for section, page in allowed:
        grouped.setdefault(t(section, lang) if section else "", []).append(page)
    return grouped


def require(permission: str, lang: str) -> None:
    """Stop a page this user's role does not open (a typed address does not get round it)."""
    if not data.actor().can(permission):
        st.error(t("not_allowed", lang))
        st.stop()


def as_of(lang: str) -> datetime | None:
    """The sidebar's "as of" date, kept in the URL (`pr=2025-06-01`): every page then shows the
    ledger as it stood at the end of that day (Danish time), and nothing can be written. Empty:
    the ledger as it is now."""
    from tracker import history

    first, today_ = data.first_day(), history.local_day(datetime.now(timezone.utc))
    seed("pr", None, cast=date.fromisoformat)
    chosen = st.session_state.get("pr")
    if chosen is not None and not (first <= chosen <= today_):
        st.session_state["pr"] = min(max(chosen, first), today_)
    shown = st.session_state.get("pr")
    # in a popover: its label tells the day, and the date field is built in the browser only when
    # opened (it cost Overblik's first render 0.15 s)
    label = t("as_of_label", lang, day=shown.strftime("%d.%m.%Y")) if shown else t("as_of_today", lang)
    with st.sidebar, st.popover(label, icon=":material/history:", width="stretch"):
        day = st.date_input(t("as_of", lang), min_value=first, max_value=today_, key="pr", format="DD.MM.YYYY",
                            help=t("as_of_help", lang))
        if day is not None:
            st.button(t("as_of_now", lang), key="as_of_now", icon=":material/update:", type="tertiary",
                      on_click=lambda: st.session_state.update(pr=None))
    keep("pr", day.isoformat() if day else None, None)
    return history.end_of_day(day) if day else None


def as_of_banner(view: View) -> None:
    """Every page says so when it shows the past."""
    if view.ref.as_of is not None:
        from tracker import history

        st.warning(view.t("as_of_banner", day=history.local_day(view.ref.as_of).strftime("%d.%m.%Y"),
                          version=view.ref.version), icon=":material/history:")


def sidebar(ref: data.LedgerRef, lang: str) -> View:
    """The filters every page shares, each kept in the URL so a view can be shared."""
    first, _, last = data.years(ref, data.today())
    titles = data.agreement_titles(ref)
    default_years = default_span(ref)
    seed("aar", list(default_years), multi=True, cast=int)
    span = [y for y in st.session_state["aar"] if first <= y <= last]
    st.session_state["aar"] = (min(span), max(span)) if span else default_years
    seed("aftale", [], options=titles, multi=True)
    seed("art", DEFAULT_KINDS, options=KINDS, multi=True)
    with st.sidebar:
        st.subheader(t("filters", lang))
        year_from, until = st.slider(t("years", lang), min_value=first, max_value=last, step=1, key="aar")
        # in a popover, as the "as of" day: its label tells the choice, and the field is built in
        # the browser only when opened (it cost Overblik's first render 0.13 s)
        label = chosen_label(t("agreements", lang), st.session_state["aftale"], titles, t("all_agreements", lang), lang)
        with st.popover(label, width="stretch"):
            chosen = st.multiselect(
                t("agreements", lang), options=list(titles), format_func=lambda a: titles.get(a, a),
                placeholder=t("all_agreements", lang), key="aftale",
            )
        kinds = st.pills(
            t("kinds", lang), options=list(KINDS), selection_mode="multi",
            format_func=lambda k: kind_label(k, lang), key="art", help=t("kinds_help", lang),
        )
        if not kinds:
            st.caption(t("no_kind", lang))
        st.caption(t("share_hint", lang))
        st.caption(t("ledger_state", lang, version=ref.version))
    keep("aar", [year_from, until], list(default_years))
    keep("aftale", chosen, [])
    keep("art", kinds or [], DEFAULT_KINDS)
    ordered = tuple(k for k in KINDS if k in (kinds or DEFAULT_KINDS))
    view = View(ref, lang, int(year_from), int(until), tuple(chosen) or None, ordered)
    st.session_state["_view"] = view
    return view


def chosen_label(what: str, chosen: list[str], names: dict[str, str], everything: str, lang: str) -> str:
    """A list filter's label in its popover: everything, the one chosen, or how many."""
    if not chosen:
        return f"{what}: {everything.lower()}"
    if len(chosen) == 1:
        return f"{what}: {names.get(chosen[0], chosen[0])}"
    return t("n_chosen", lang, what=what, n=len(chosen))


def default_span(ref: data.LedgerRef) -> tuple[int, int]:
    """The years the sidebar shows until someone chooses others."""
    first, default_last, _ = data.years(ref, data.today())
    return first, default_last


def current_view() -> View:
    """The view the entry point built in this run (pages run after it)."""
    return st.session_state["_view"]


# --- sections per kind: appropriations first, every other kind apart ----------------------


def kind_heading(view: View, kind: str) -> None:
    if kind == "appropriation":
        # one slot whether the heading shows or not: a kind switched on or off then leaves the
        # section's elements where they were, so the browser updates its chart and table in
        # place instead of building them anew (it matches elements by position)
        slot = st.empty()
        if len(view.kinds) > 1:
            slot.subheader(view.t("decided"))
    else:
        st.subheader(view.t("apart", kind=kind_label(kind, view.lang).lower()))
        st.caption(view.t("apart_caption"))


# --- links to the sources ------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9]+")


def source_link(source_ids, prefix: str) -> str | None:
    """A link to the Kilder page showing these sources (`prefix`: see `link_prefix`)."""
    ids = [s for s in (source_ids or []) if s]
    if not ids:
        return None
    # as urlencode would, each id quoted once per process: "Øvrige" in a chart cites hundreds
    return prefix + "&".join("kilde=" + _quoted(s) for s in ids)


@functools.lru_cache(maxsize=4096)
def _quoted(source_id: str) -> str:
    return quote_plus(source_id)


def basis_labels(view: View, split: bool) -> dict[str, str]:
    """What each basis of a regional figure is called (`tracker.regional`). With the money for the
    regions left unsplit, Hele landet holds it too, so it is not "not for the regions"."""
    return {"stated": view.t("basis_stated"), "key": view.t("basis_key"),
            "national": view.t("basis_national" if split else "basis_as_stated")}


def link_prefix(view: View) -> str:
    """The Kilder page's address with the filters the figures were drawn with: the view's
    language, years, agreements, kinds and "as of" day, as the sidebar writes them (codes,
    defaults left out), so the page lists the figure the link came from. Other pages' own
    parameters are not carried: a link depends only on its view, so a section drawn once can
    be replayed (`replayed`)."""
    from tracker import history

    params: list[tuple[str, str]] = []
    if view.lang != DEFAULT_LANG:
        params.append(("sprog", view.lang))
    if (view.year_from, view.until) != default_span(view.ref):
        params += [("aar", str(view.year_from)), ("aar", str(view.until))]
    params += [("aftale", a) for a in view.agreements or ()]
    if list(view.kinds) != DEFAULT_KINDS:
        params += [("art", k) for k in view.kinds]
    if view.ref.as_of is not None:
        params.append(("pr", history.local_day(view.ref.as_of).isoformat()))
    return "kilder?" + (urlencode(params) + "&" if params else "")


def cited(view: View, source_lists, with_links: bool = True) -> tuple[list[str], list[str | None]]:
    """The citation text and the link of each row's sources (each distinct list once; no links
    unless `with_links`)."""
    labels = data.source_labels(view.ref)
    prefix = link_prefix(view)
    memo: dict[tuple, tuple[str, str | None]] = {}
    texts, links = [], []
    for ids in source_lists:
        key = tuple(ids or ())
        if key not in memo:
            memo[key] = (views.cite(key, labels, view.lang), source_link(key, prefix) if with_links else None)
        text, link = memo[key]
        texts.append(text)
        links.append(link)
    return texts, links


# --- tables --------------------------------------------------------------------------------


def show_table(
    table: Table,
    view: View,
    key: str,
    name: str,
    height: int | str = "auto",
    bold_rows: list[bool] | None = None,
    pin_first: bool = False,
) -> None:
    """The table with amounts in the view's language, and its CSV and XLSX downloads."""
    grid(table, view, key, height, bold_rows, pin_first)
    downloads(table, view, key, name)


def grid(
    table: Table,
    view: View,
    key: str,
    height: int | str = "auto",
    bold_rows: list[bool] | None = None,
    pin_first: bool = False,
) -> None:
    """The table with amounts in the view's language (no downloads: see `show_table`)."""
    if table.frame.height * max(1, len(table.shown)) > STYLED_CELLS:
        # too many cells to style one by one: show the amounts as text (they sort as text)
        text = tables.as_text(Table(table.frame.select(table.amounts), table.amounts, table.decimals), view.lang)
        plain = table.frame.with_columns(text.get_columns())
        config = {n: st.column_config.LinkColumn(n, display_text=d) for n, d in table.links.items()}
        config.update({c: st.column_config.TextColumn(c, alignment="right") for c in table.amounts})
        st.dataframe(plain.to_pandas(), hide_index=True, column_order=table.shown, column_config=config,
                     height=height, key=f"df_{key}")
        return
    # the grid shows an empty cell as "None": an empty amount becomes -0.0 (it sorts as 0) and
    # shows as nothing; a real zero is +0.0 and shows as 0
    frame = tables.for_display(table, empty=-0.0)
    decimals = table.decimals
    amounts = [c for c in table.amounts if c in frame.columns]

    def fmt(value):
        if value == 0 and math.copysign(1.0, value) < 0:
            return ""
        return formatting.number(value, view.lang, decimals)

    styler = frame.style.format({c: fmt for c in amounts})
    if bold_rows and any(bold_rows):
        rows = [i for i, bold in enumerate(bold_rows) if bold]
        styler = styler.set_properties(subset=pd.IndexSlice[rows, :], **{"font-weight": "bold"})
    config = {
        name_: st.column_config.LinkColumn(name_, display_text=text) for name_, text in table.links.items()
    }
    for col in table.amounts:
        width = amount_width(table.frame[col], view.lang, decimals) if col in table.frame.columns else AMOUNT_WIDTH
        config[col] = st.column_config.Column(col, alignment="right", width=width)
    first = table.shown[0] if table.shown else None
    if pin_first and first and first not in table.amounts:
        # a wide table scrolls sideways; the row's label stays in view
        config[first] = st.column_config.Column(first, pinned=True)
    st.dataframe(
        styler, hide_index=True, column_order=table.shown, column_config=config, height=height, key=f"df_{key}",
    )


def amount_width(values: pl.Series, lang: str, decimals: int | None = None) -> int:
    """Pixels for an amount column: its widest figure as shown (`formatting.number`), whole;
    each column its own, so a table of small figures keeps room for more years."""
    present = values.drop_nulls()
    if present.len() == 0:
        return AMOUNT_WIDTH
    if decimals is not None or not present.dtype.is_decimal():
        widest = max(text_pixels(formatting.number(v, lang, decimals)) for v in present.to_list())
    else:
        # the whole column at once (a table may hold tens of thousands of cells): the exact
        # decimal as plain text with its trailing zeros dropped has the digits shown; the marks
        # are the thousands separators, the decimal mark and a minus
        plain = present.cast(pl.String)  # "-1535.734000"
        if present.dtype.scale:
            plain = plain.str.strip_chars_end("0").str.strip_chars_end(".")
        length = plain.str.len_chars()
        minus = plain.str.starts_with("-").cast(pl.Int64)
        point = plain.str.find(".", literal=True)  # null for a whole number
        has_point = point.is_not_null().cast(pl.Int64)
        whole = point.fill_null(length) - minus
        marks = (whole - 1) // 3 + has_point + minus
        widest = ((length - has_point - minus) * AMOUNT_DIGIT_PX + marks * AMOUNT_MARK_PX).max()
    return max(AMOUNT_WIDTH, math.ceil(widest + AMOUNT_PADDING_PX))


def text_pixels(text: str) -> float:
    """A figure's width in the grid, in bold (`AMOUNT_DIGIT_PX`)."""
    digits = sum(c.isdigit() for c in text)
    return digits * AMOUNT_DIGIT_PX + (len(text) - digits) * AMOUNT_MARK_PX


def downloads(table: Table, view: View, key: str, name: str, help_key: str = "download_help") -> None:
    slug = _SLUG.sub("-", name.lower()).strip("-") or "tabel"
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            view.t("download_csv"), data=lambda: tables.to_csv(table, view.lang), file_name=f"{slug}.csv",
            mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/download:",
            help=view.t(help_key), type="tertiary",
        )
        st.download_button(
            view.t("download_xlsx"), data=lambda: tables.to_xlsx(table, view.lang, name),
            file_name=f"{slug}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}", on_click="ignore", icon=":material/download:", help=view.t(help_key), type="tertiary",
        )


def money(view: View, value) -> str:
    return formatting.money(value, view.lang)


def table_from(
    frame: pl.DataFrame,
    view: View,
    headers: dict[str, str],
    amounts: list[str] | tuple[str, ...] = (),
    decimals: int | None = None,
    sources: bool = True,
    sources_after: str | None = None,
) -> Table:
    """A Table from a view frame: the `headers` columns (internal name -> shown header, in
    order; amount columns not named there keep their names), then the sources of each row as
    text and as a link to the Kilder page."""
    keep = [c for c in headers if c in frame.columns] + [c for c in amounts if c not in headers]
    out = frame.select(keep).rename({c: headers[c] for c in keep if c in headers})
    shown_amounts = tuple(headers.get(c, c) for c in amounts)
    links = {}
    if sources and "source_ids" in frame.columns:
        texts, links_ = cited(view, frame["source_ids"].to_list())
        out = out.with_columns(
            pl.Series(view.t("source"), links_, pl.String),
            pl.Series(view.t("sources"), texts, pl.String),
        )
        links[view.t("source")] = view.t("open_source")
        if sources_after in headers:
            names = [n for n in out.columns if n not in (view.t("source"), view.t("sources"))]
            at = names.index(headers[sources_after]) + 1
            out = out.select(*names[:at], view.t("source"), view.t("sources"), *names[at:])
    return Table(out, shown_amounts, decimals, links)


def without_citation(table: Table, view: View) -> Table:
    """A table of sources needs the link to them, not their citation again."""
    return replace(table, frame=table.frame.drop(view.t("sources")))


def fold(frame: pl.DataFrame, view: View, column: str) -> tuple[pl.DataFrame, str | None]:
    """The chart's series: the `views.CHART_SERIES` largest named, the rest as "Øvrige (n)";
    and the note saying so (None when nothing was folded)."""
    folded, n = views.fold_series(frame, column, lambda n: view.t("chart_others", n=n))
    return folded, (view.t("chart_folded", keep=views.CHART_SERIES, n=n) if n else None)


def chart_frame(frame: pl.DataFrame, view: View, series: str | None = None, category: str | None = None,
                extra: dict[str, str] | None = None, links: list[str | None] | None = None) -> pl.DataFrame:
    """What a chart draws and its tooltips show: value (float, for drawing only), the exact
    amount as text, the sources cited, and a link to them (`links`: each row's own, instead of
    one listing its sources)."""
    ids = frame["source_ids"].to_list() if "source_ids" in frame.columns else [None] * frame.height
    texts, listed = cited(view, ids, with_links=links is None)
    links = listed if links is None else links
    columns = [pl.col(c).alias(alias) for c, alias in (extra or {}).items()]
    if series:
        columns.append(pl.col(series).alias("series"))
    if category:
        columns.append(pl.col(category).alias("category"))
    if "year" in frame.columns:
        columns.append(pl.col("year"))
    if "folded" in frame.columns:  # see `fold`
        columns.append(pl.col("folded"))
    return frame.select(
        *columns,
        pl.col("amount").cast(pl.Float64).alias("value"),
        pl.Series("amount_text", [formatting.money(a, view.lang) for a in frame["amount"]], pl.String),
        pl.Series("source", texts, pl.String),
        pl.Series("link", links, pl.String),
    )


def chart_download(frame: pl.DataFrame | Table, view: View, headers: dict[str, str], key: str, name: str) -> None:
    """The chart's figures as a table download: the columns its tooltips show (`chart_table`)."""
    table = frame if isinstance(frame, Table) else chart_table(frame, view, headers)
    downloads(table, view, key, name, help_key="download_chart_help")


def chart_table(frame: pl.DataFrame, view: View, headers: dict[str, str]) -> Table:
    return table_from(frame, view, headers, amounts=["amount"], sources=True)


# --- sections drawn once and replayed -------------------------------------------------------


def replayed(key: tuple, draw: Callable[[], T]) -> T:
    """What `draw()` draws and returns, made once per key; a later run with the same key replays
    the elements it drew (Streamlit's cached-element replay) and returns the same result.

    A rerun after a filter change redraws every section of the page, and many are as they were:
    a kind switched on leaves the sections above it unchanged, and a filter switched back shows
    a view seen before. Converting a chart (Altair's schema check) and a styled table (pandas'
    Styler) is most of the server's work in a rerun, so an unchanged section is replayed
    instead. The key must hold everything the drawing reads: a name for the section and the
    `View` it draws (the ledger ref, with its version and what the viewer may see; filters;
    language). Today's date is added here (it sets the default years a link leaves out).
    `draw` may not draw widgets (Streamlit would warn), so downloads go outside it."""
    return _replayed((*key, data.today()), draw)


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs={View: repr, **data.KEYS})
def _replayed(key: tuple, _draw: Callable[[], T]) -> T:
    return _draw()


def no_money(view: View) -> None:
    st.info(view.t("no_money"), icon=":material/info:")
