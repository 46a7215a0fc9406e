"""Forhandling: the negotiators' workspace. Key figures per year, the frames and what is left of
them, money that runs out, costs with no funding (compensation claims), proposals and saved
scenarios beside the ledger, and the brief to send on; all in a chosen price level.

The reports are `tracker.workspace` through `tracker.negotiation` (the same as `tracker report
--view ...` and `tracker brief`); a scenario never touches the ledger.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import streamlit as st

from ledger import scenarios
from ledger.frames import AMOUNT
from ledger.money import plain
from ledger.rules import RuleViolations
from tracker import brief, formatting
from tracker.app import data, ui
from tracker.i18n import dimension
from tracker.negotiation import ScenarioBroken
from tracker.prices import PriceIndexError
from tracker.tables import Table
from tracker.workspace import frame_sources

view = ui.current_view()
ui.require("see_confidential", view.lang)  # scenarios and briefs: negotiators and up
ref, lang = view.ref, view.lang
years = list(range(view.year_from, view.until + 1))
AS_GIVEN = 0  # the price level option "as in the sources"

st.title(view.t("page_negotiation"))
st.caption(view.t("neg_caption", period=view.period))

# --- the page's own choices, kept in the URL (?pl=2025&scenario=id) ----------------------------

index = data.price_index(ref)
levels = [AS_GIVEN, *sorted(index.levels(), reverse=True)]
saved = {s.id: s for s in data.scenario_list(ref)}
with st.container(horizontal=True, vertical_alignment="bottom"):
    ui.seed("pl", AS_GIVEN, options=levels, cast=int)
    level = st.selectbox(view.t("price_level"), options=levels, key="pl", help=view.t("price_level_help"),
                         format_func=lambda y: view.t("price_level_as_given") if y == AS_GIVEN
                         else view.t("price_level_year", year=y))
    ui.seed("scenario", "", options=["", *saved])
    if st.session_state.get("scenario") not in ("", *saved):
        st.session_state["scenario"] = ""
    chosen_id = st.selectbox(view.t("scenario"), options=["", *saved], key="scenario", help=view.t("scenario_help"),
                             format_func=lambda s: view.t("no_scenario") if not s else saved[s].name)
ui.keep("pl", level, AS_GIVEN)
ui.keep("scenario", chosen_id, "")
target = None if level == AS_GIVEN else int(level)
chosen = saved.get(chosen_id) if chosen_id else None


def open_workspace(public: bool = False):
    """The workspace for the choices; a scenario that no longer fits is shown as an error and
    the page goes on with the ledger alone."""
    stamp = chosen.created_at.isoformat() if chosen else None
    try:
        return data.workspace(ref, target, chosen_id or None, stamp, view.year_from, view.until, public)
    except ScenarioBroken as broken:
        st.error(view.t("scenario_broken", name=chosen.name) + "\n\n"
                 + "\n".join(f"* {v.as_text(lang)}" for v in broken.violations[:20]), icon=":material/error:")
        return data.workspace(ref, target, None, None, view.year_from, view.until, public)


try:
    ws = open_workspace()
except PriceIndexError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

if target is not None:
    unconverted = ws.unconverted_lines().height
    if unconverted:
        st.warning(view.t("not_converted_note", n=unconverted, year=target), icon=":material/warning:")
if view.agreements is not None:
    st.caption(view.t("neg_agreement_filter"))


def amounts_frame(rows: list[dict], label_columns: list[str]) -> pl.DataFrame:
    """Rows of {label columns..., year: amount} as a frame with one exact amount column per year."""
    schema = {c: pl.String for c in label_columns} | {str(y): AMOUNT for y in years}
    schema["source_ids"] = pl.List(pl.String)
    return pl.DataFrame(
        [{**{c: r.get(c) for c in label_columns}, **{str(y): r.get(y) for y in years},
          "source_ids": r.get("source_ids") or []} for r in rows],
        schema=schema,
    )


def in_agreements(frame: pl.DataFrame) -> pl.DataFrame:
    if view.agreements is None or "agreement_id" not in frame.columns:
        return frame
    return frame.filter(pl.col("agreement_id").is_in(list(view.agreements)))


def flag_text(flagged: bool) -> str:
    return view.t("not_converted") if flagged else ""


unit = f"({formatting.unit(lang)}, {view.t('price_level_as_given').lower() if target is None else view.t('price_level_year', year=target)})"
tabs = st.tabs([view.t("tab_summary"), view.t("tab_frames"), view.t("tab_expiring"), view.t("tab_unfunded"),
                view.t("tab_scenarios"), view.t("tab_brief")])

# --- Nøgletal ----------------------------------------------------------------------------------

with tabs[0]:
    summary = ws.view("summary")
    by_year = {r["year"]: r for r in summary.iter_rows(named=True)}
    rows = []
    for measure in ("decided", "not_drawn", "expired", "unfunded", "proposed", "expected"):
        rows.append({"item": view.t(f"m_{measure}"), **{y: by_year[y][measure] for y in years}})
    table = amounts_frame(rows, ["item"]).drop("source_ids")
    st.markdown(f"**{view.t('tab_summary')}** {unit}")
    st.caption(view.t("summary_caption"))
    ui.show_table(Table(table.rename({"item": view.t("col_item")}), tuple(str(y) for y in years)), view,
                  key="neg_summary", name=f"{view.t('page_negotiation')} {view.t('tab_summary')}")

# --- Rammer ----------------------------------------------------------------------------------

FRAME_ROWS = ("frame", "drawn", "remaining", "pending", "remaining_after_pending")

with tabs[1]:
    st.caption(view.t("frames_caption"))
    frames = in_agreements(ws.view("frames"))
    if frames.height == 0:
        st.info(view.t("no_frames"), icon=":material/info:")
    else:
        # the sources of each frame: its own lines and its children's
        sources = frame_sources(ws.record.ledger, view.year_from, view.until)
        rows = []
        for frame_id, group in frames.group_by("frame_id", maintain_order=True):
            first = group.row(0, named=True)
            values = {r["year"]: r for r in group.iter_rows(named=True)}
            ids = sources.filter(pl.col("frame_id") == first["frame_id"])["source_ids"].explode().drop_nulls()
            flagged = target is not None and any(group["not_converted"])
            for measure in FRAME_ROWS:
                rows.append({"frame": first["frame_title"], "item": view.t(f"m_{measure}"),
                             "flag": flag_text(flagged), "source_ids": sorted(set(ids.to_list())),
                             **{y: values[y][measure] for y in values}})
        table = amounts_frame(rows, ["frame", "item", "flag"])
        headers = {"frame": view.t("col_frame"), "item": view.t("col_item")}
        if target is not None:
            headers["flag"] = view.t("col_price_level")
        st.markdown(f"**{view.t('tab_frames')}** {unit}")
        ui.show_table(ui.table_from(table, view, headers, [str(y) for y in years]), view, key="neg_frames",
                      name=f"{view.t('page_negotiation')} {view.t('tab_frames')}", pin_first=True,
                      bold_rows=[r["item"] == view.t("m_remaining") for r in rows])

# --- Udløber ---------------------------------------------------------------------------------

with tabs[2]:
    st.caption(view.t("expiring_caption"))
    expiring = in_agreements(ws.view("expiring"))
    if expiring.height == 0:
        st.info(view.t("no_expiring"), icon=":material/info:")
    else:
        shown = expiring.with_columns(
            pl.col("source_ids").str.split(", ").alias("source_ids"),
            pl.col("last_year").cast(pl.String), pl.col("falls_away_from").cast(pl.String),
            (pl.col("not_converted").map_elements(flag_text, return_dtype=pl.String) if target is not None
             else pl.lit("")).alias("flag"),
        )
        headers = {"agreement_title": dimension("agreement", lang), "initiative_title": dimension("initiative", lang),
                   "last_year": view.t("col_last_year"), "falls_away_from": view.t("col_falls_away"),
                   "amount": view.t("col_yearly")}
        if target is not None:
            headers["flag"] = view.t("col_price_level")
        st.markdown(f"**{view.t('tab_expiring')}** {unit}")
        ui.show_table(ui.table_from(shown, view, headers, ["amount"]), view, key="neg_expiring",
                      name=f"{view.t('page_negotiation')} {view.t('tab_expiring')}")
        st.metric(view.t("expired_total"), formatting.money(expiring["amount"].sum(), lang), border=True)

# --- Ufinansieret ----------------------------------------------------------------------------

with tabs[3]:
    st.caption(view.t("unfunded_caption"))
    claims = in_agreements(ws.view("unfunded"))
    if claims.height == 0:
        st.info(view.t("no_unfunded"), icon=":material/info:")
    else:
        rows, totals = [], {}
        for key, group in claims.group_by("initiative_id", maintain_order=True):
            first = group.row(0, named=True)
            values = {r["year"]: r for r in group.iter_rows(named=True)}
            flagged = target is not None and any(group["not_converted"])
            ids = sorted({s for r in group["source_ids"].drop_nulls() for s in r.split(", ")})
            for measure, label_key in (("estimate", "m_estimate"), ("funded", "m_funded"), ("unfunded", "m_unfunded_row")):
                rows.append({"initiative": first["initiative_title"], "item": view.t(label_key),
                             "flag": flag_text(flagged), "source_ids": ids,
                             **{y: values[y][measure] for y in values}})
            for y, r in values.items():
                totals[y] = totals.get(y, Decimal(0)) + r["unfunded"]
        rows.append({"initiative": view.t("claims_total"), "item": "", "flag": "",
                     "source_ids": sorted({s for r in rows for s in r["source_ids"]}),
                     **{y: totals.get(y, Decimal(0)) for y in years}})
        table = amounts_frame(rows, ["initiative", "item", "flag"])
        headers = {"initiative": dimension("initiative", lang), "item": view.t("col_item")}
        if target is not None:
            headers["flag"] = view.t("col_price_level")
        st.markdown(f"**{view.t('tab_unfunded')}** {unit}")
        ui.show_table(ui.table_from(table, view, headers, [str(y) for y in years]), view, key="neg_unfunded",
                      name=f"{view.t('page_negotiation')} {view.t('tab_unfunded')}", pin_first=True,
                      bold_rows=[i == len(rows) - 1 for i in range(len(rows))])

# --- Forslag og scenarier --------------------------------------------------------------------


def save_scenario(proposal_lines: pl.DataFrame) -> None:
    """The save button's callback: runs before the page is drawn again, so it may choose the new
    scenario in the selector above."""
    name = (st.session_state.get("ny_navn") or "").strip()
    adopted = proposal_lines.filter(pl.col("id").is_in(st.session_state.get("vedtag") or []))
    upload = st.session_state.get("raekker")
    st.session_state.pop("_saved", None)
    st.session_state.pop("_refused", None)
    if not name:
        st.session_state["_refused"] = [view.t("scenario_need_name")]
        return
    if adopted.height == 0 and upload is None:
        st.session_state["_refused"] = [view.t("scenario_need_rows")]
        return
    names = dict(ws.record.ledger.regions.select("code", "name").iter_rows())
    parts = []
    if adopted.height:
        parts.append(pl.DataFrame({
            "initiative_id": adopted["initiative_id"],
            "year_from": adopted["year_from"].cast(pl.String),
            "year_to": [("varigt" if b is None else ("" if a == b else str(b)))
                        for a, b in adopted.select("year_from", "year_to").iter_rows()],
            "region": [names.get(r, r) for r in adopted["region"]],
            "amount_mio_dkk": [plain(a) for a in adopted["amount"]],
            "kind": ["appropriation"] * adopted.height,
            "price_level": [None if p is None else str(p) for p in adopted["price_level"]],
            "source": adopted["source_id"],
            "note": [view.t("adopt")] * adopted.height,
        }, schema_overrides={"price_level": pl.String}))
    if upload is not None:
        try:
            text = scenarios.rows_text(upload.name, upload.getvalue())
        except Exception as exc:  # a file that cannot be read at all
            st.session_state["_refused"] = [f"{upload.name}: {exc}"]
            return
        parts.append(pl.read_csv(text.encode("utf-8"), infer_schema_length=0))
    rows = pl.concat(parts, how="diagonal").write_csv()
    try:
        result = data.save_scenario(ref, name, rows, st.session_state.get("ny_beskrivelse") or "",
                                    replace_existing=bool(st.session_state.get("erstat")))
    except RuleViolations as refused:
        st.session_state["_refused"] = [v.as_text(lang) for v in refused.violations]
        return
    except (scenarios.ScenarioExists, ValueError) as exc:
        st.session_state["_refused"] = [str(exc)]
        return
    st.session_state["_saved"] = result.name
    st.session_state["scenario"] = result.id  # show it, and put it in the link
    for key in ("ny_navn", "ny_beskrivelse", "vedtag"):
        st.session_state.pop(key, None)


with tabs[4]:
    if chosen is not None and ws.has_scenario:
        st.subheader(chosen.name)
        if chosen.description:
            st.markdown(chosen.description)
        st.caption(view.t("scenario_made", who=chosen.created_by or "?", at=chosen.created_at.strftime("%d.%m.%Y %H:%M")))
        st.markdown(f"[{view.t('scenario_link')}](forhandling?scenario={chosen.id})")

        st.markdown(f"**{view.t('scenario_per_year')}** {unit}")
        compared = {r["year"]: r for r in ws.compared("summary").iter_rows(named=True)}
        rows = []
        for measure in ("decided", "not_drawn", "unfunded", "proposed"):
            for side, side_key in (("ledger", "col_ledger"), ("scenario", "col_scenario"), ("difference", "col_difference")):
                rows.append({"item": view.t(f"m_{measure}"), "side": view.t(side_key),
                             **{y: compared[y][f"{measure}_{side}"] for y in years}})
        table = amounts_frame(rows, ["item", "side"]).drop("source_ids")
        ui.show_table(Table(table.rename({"item": view.t("col_item"), "side": view.t("col_side")}),
                            tuple(str(y) for y in years)), view, key="neg_compare",
                      name=f"{view.t('page_negotiation')} {view.t('scenario_per_year')}",
                      bold_rows=[r["side"] == view.t("col_difference") for r in rows])

        st.markdown(f"**{view.t('scenario_frames')}** {unit}")
        frames = ws.compared("frames")
        changed = frames.group_by("frame_id").agg((pl.col("remaining_difference") != 0).any().alias("c")).filter("c")
        frames = frames.join(changed.select("frame_id"), on="frame_id", how="semi")
        if frames.height == 0:
            st.caption(view.t("scenario_no_frames"))
        else:
            rows = []
            for frame_id, group in frames.group_by("frame_id", maintain_order=True):
                values = {r["year"]: r for r in group.iter_rows(named=True)}
                for side, side_key in (("ledger", "col_ledger"), ("scenario", "col_scenario"), ("difference", "col_difference")):
                    rows.append({"frame": group["frame_title"][0], "side": view.t(side_key),
                                 **{y: values[y][f"remaining_{side}"] for y in values}})
            table = amounts_frame(rows, ["frame", "side"]).drop("source_ids")
            ui.show_table(Table(table.rename({"frame": view.t("col_frame"), "side": view.t("col_side")}),
                                tuple(str(y) for y in years)), view, key="neg_compare_frames",
                          name=f"{view.t('page_negotiation')} {view.t('scenario_frames')}",
                          bold_rows=[r["side"] == view.t("col_difference") for r in rows])

        st.markdown(f"**{view.t('scenario_effects')}**")
        effects = ws.effects(lang).with_columns(
            pl.col("year_from").cast(pl.String), pl.col("year_to").cast(pl.String))
        headers = {"initiative_title": dimension("initiative", lang), "year_from": view.t("col_years"),
                   "region": dimension("region", lang), "kind": dimension("kind", lang),
                   "ledger": view.t("col_ledger"), "scenario": view.t("col_scenario"), "effect": view.t("col_effect")}
        ui.show_table(ui.table_from(effects, view, headers, ["ledger", "scenario"], sources=False), view,
                      key="neg_effects", name=f"{view.t('page_negotiation')} {view.t('scenario_effects')}")

    st.subheader(view.t("proposals_heading"))
    ledger_now = ws.record.ledger
    proposal_lines = ledger_now.lines.filter(pl.col("kind") == "proposal")
    titles = dict(ledger_now.initiatives.select("id", "title").iter_rows())
    proposed = brief.proposals(ws)  # per initiative and year, with the frame each draws on
    if proposed.height == 0:
        st.caption(view.t("no_proposals"))
    else:
        rows = []
        for key, group in proposed.group_by("initiative_id", maintain_order=True):
            ids = proposal_lines.filter(pl.col("initiative_id") == key[0])["source_id"].unique().sort().to_list()
            rows.append({"initiative": group["initiative_title"][0], "frame": group["parent_title"][0],
                         "source_ids": ids, **{r["year"]: r["proposal"] for r in group.iter_rows(named=True)}})
        table = amounts_frame(rows, ["initiative", "frame"])
        ui.show_table(ui.table_from(table, view, {"initiative": dimension("initiative", lang),
                                                   "frame": view.t("col_frame")}, [str(y) for y in years]),
                      view, key="neg_proposals", name=f"{view.t('page_negotiation')} {view.t('proposals_heading')}")

    st.subheader(view.t("scenarios_saved"))
    if not saved:
        st.caption(view.t("no_scenarios"))
    else:
        listing = pl.DataFrame(
            [{"name": s.name, "description": s.description, "made_by": s.created_by,
              "at": s.created_at.strftime("%d.%m.%Y %H:%M"), "rows": str(scenarios.line_count(s)),
              "link": f"forhandling?scenario={s.id}"} for s in saved.values()],
            schema={"name": pl.String, "description": pl.String, "made_by": pl.String, "at": pl.String,
                    "rows": pl.String, "link": pl.String},
        ).rename({"name": view.t("col_name"), "description": view.t("col_description"),
                  "made_by": view.t("col_made_by"), "at": view.t("col_date"), "rows": view.t("col_rows"),
                  "link": view.t("scenario_link")})
        ui.show_table(Table(listing, links={view.t("scenario_link"): view.t("scenario")}), view,
                      key="neg_scenarios", name=f"{view.t('page_negotiation')} {view.t('scenarios_saved')}")

    with st.expander(view.t("new_scenario"), expanded=bool(st.session_state.get("_refused"))):
        st.text_input(view.t("scenario_name"), key="ny_navn")
        st.text_area(view.t("scenario_description"), key="ny_beskrivelse", height=68)
        labels = {
            line["id"]: (f"{titles.get(line['initiative_id'], line['initiative_id'])}: "
                         f"{formatting.years(line['year_from'], line['year_to'], lang)}, "
                         f"{formatting.money(line['amount'], lang)}")
            for line in proposal_lines.iter_rows(named=True)
        }
        st.multiselect(view.t("adopt"), options=list(labels), format_func=labels.get, key="vedtag",
                       help=view.t("adopt_help"))
        st.file_uploader(view.t("upload_rows"), type=["csv", "xlsx"], key="raekker")
        st.checkbox(view.t("replace_scenario"), key="erstat")
        st.button(view.t("save_scenario"), key="gem", type="primary", on_click=save_scenario,
                  args=(proposal_lines,), icon=":material/save:")
    if st.session_state.get("_saved"):
        st.success(view.t("scenario_saved", name=st.session_state["_saved"]), icon=":material/check:")
    if st.session_state.get("_refused"):
        problems = st.session_state["_refused"]
        st.error(view.t("scenario_refused", n=len(problems)) + "\n\n" + "\n".join(f"* {p}" for p in problems[:30]),
                 icon=":material/error:")

# --- Brief -----------------------------------------------------------------------------------

with tabs[5]:
    st.caption(view.t("brief_caption"))
    confidential = st.checkbox(view.t("brief_confidential"), key="fortrolig", help=view.t("brief_confidential_help"))
    for_brief = ws if confidential else open_workspace(public=True)
    stem = f"oea-brief-{view.year_from}-{view.until}" + (f"-{target}-pl" if target else "") + (
        f"-{chosen.id}" if chosen and for_brief.has_scenario else "")
    with st.container(horizontal=True, gap="small"):
        st.download_button(view.t("download_brief"), data=lambda: brief.xlsx_bytes(for_brief),
                           file_name=f"{stem}.xlsx", key="brief_xlsx", on_click="ignore", type="primary",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")
        st.download_button(view.t("download_summary"), data=lambda: brief.html_summary(for_brief),
                           file_name=f"{stem}.html", key="brief_html", on_click="ignore", mime="text/html",
                           icon=":material/print:")
