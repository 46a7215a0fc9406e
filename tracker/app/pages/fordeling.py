"""Fordeling: the breakdown the user chooses (rows and columns from year, agreement,
initiative, region and kind), a chart beside the table, and a heatmap year x region."""

from urllib.parse import quote_plus

import polars as pl
import streamlit as st

from ledger.domain import KINDS
from tracker import formatting, regional, views
from tracker.app import charts, data, ui
from tracker.i18n import dimension, kind_label
from tracker.reports import DIMENSIONS

view = ui.current_view()
ref, lang = view.ref, view.lang
NONE = "-"

st.title(view.t("page_breakdown"))
st.caption(view.t("breakdown_caption", period=view.period))

names = data.region_names(ref)
with st.container(horizontal=True, vertical_alignment="bottom"):
    ui.seed("rk", ["agreement"], options=DIMENSIONS, multi=True)
    rows = st.multiselect(view.t("rows"), options=list(DIMENSIONS), format_func=lambda d: dimension(d, lang),
                          key="rk", max_selections=3)
    columns = [NONE, *[d for d in DIMENSIONS if d not in rows]]
    ui.seed("kol", "year" if "year" in columns else NONE, options=columns)
    if st.session_state["kol"] not in columns:
        st.session_state["kol"] = NONE
    # every choice in view, one click away
    column = st.segmented_control(view.t("columns"), options=columns, key="kol", required=True,
                                  format_func=lambda d: view.t("none") if d == NONE else dimension(d, lang))
    ui.seed("niveau", 1, options=range(1, 6), cast=int)
    depth = st.segmented_control(view.t("depth"), options=[1, 2, 3], key="niveau", required=True,
                                 help=view.t("depth_help"),
                                 disabled="initiative" not in rows and column != "initiative")
    ui.seed("region", [], options=names, multi=True)
    # in a popover labelled with the choice, as the sidebar's agreements (`ui.chosen_label`)
    label = ui.chosen_label(view.t("region_filter"), st.session_state["region"], names, view.t("all_regions"), lang)
    with st.popover(label):
        regions = st.multiselect(view.t("region_filter"), options=list(names), format_func=lambda c: names.get(c, c),
                                 placeholder=view.t("all_regions"), key="region")
ui.keep("rk", rows, ["agreement"])
ui.keep("kol", column, "year")
ui.keep("niveau", depth, 1)
ui.keep("region", regions, [])
column = None if column == NONE else column
depth = int(depth or 1)

# what each dimension is called in the report's frame, and what is shown for it
KEY = {"year": ["year"], "agreement": ["agreement_id", "agreement_title"], "initiative": ["initiative_id", "initiative_title"],
       "region": ["region"], "kind": ["kind"]}
SHOWN = {"year": "year", "agreement": "agreement_title", "initiative": "initiative_title", "region": "region",
         "kind": "kind"}


def labelled(frame: pl.DataFrame) -> pl.DataFrame:
    """Kinds by their label, years as text (for table headers)."""
    if "kind" in frame.columns:
        frame = frame.with_columns(pl.col("kind").replace_strict({k: kind_label(k, lang) for k in KINDS},
                                                                 default=pl.col("kind")))
    return frame


def section(kinds: tuple[str, ...], key: str) -> None:
    by = tuple([*rows, column] if column else rows)
    filters = view.filters(kinds=kinds, regions=tuple(regions) or None)
    frame = data.breakdown(ref, by, filters, depth, lang)
    if frame.height == 0:
        ui.no_money(view)
        return
    frame = labelled(frame)
    one_kind = frame["kind"].n_unique() == 1 if "kind" in frame.columns else True
    row_keys = [c for d in rows for c in KEY[d]]
    headers = {SHOWN[d]: dimension(d, lang) for d in rows}
    order = None
    if column == "year":
        order = list(range(view.year_from, view.until + 1))
    wide, amounts = views.pivot(
        frame, row_keys, SHOWN[column] if column else None, view.t("total") if one_kind else None,
        column_order=order, label_column=SHOWN[rows[0]] if rows else None,
    )
    if not column:
        headers_amount = {amounts[0]: f"{view.t('amount')} ({formatting.unit(lang)})"}
        wide = wide.rename(headers_amount)
        amounts = list(headers_amount.values())
    table = ui.table_from(wide, view, headers, amounts)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        if not one_kind:
            st.caption(view.t("kinds_not_added"))
        last = wide.height - 1 if one_kind and rows else -1
        ui.show_table(table, view, key=f"table_{key}", name=f"{view.t('page_breakdown')} {key}",
                      bold_rows=[i == last for i in range(wide.height)], pin_first=True)
    with right:
        chart(frame, key)
    if "region" in by:
        st.caption(view.t("region_dim_note"))


def chart(frame: pl.DataFrame, key: str) -> None:
    """Years across when the breakdown has years; otherwise bars per the first row."""
    others = [d for d in [*rows, *( [column] if column else [])] if d != "year"]
    series_title = " · ".join(dimension(d, lang) for d in others) or view.t("total")
    if others:
        frame = frame.with_columns(pl.concat_str([pl.col(SHOWN[d]).cast(pl.String) for d in others],
                                                 separator=" · ").alias("_series"))
    else:
        frame = frame.with_columns(pl.lit(view.t("total")).alias("_series"))
    tooltip = [("series", series_title), ("amount_text", view.t("amount")), ("source", view.t("sources"))]
    frame, note = ui.fold(frame, view, "_series")
    if "year" in frame.columns:
        shown = ui.chart_frame(frame, view, series="_series")
        drawn = charts.stacked_bars(shown, series_title, lang, [("year", dimension("year", lang)), *tooltip],
                                    height=380, legend_columns=1)
    else:
        shown = ui.chart_frame(frame, view, category="_series")
        drawn = charts.bars(shown, series_title, lang, [("category", series_title), *tooltip[1:]])
    charts.show(drawn, key=f"chart_{key}")
    if note:
        st.caption(note[0].upper() + note[1:] + ".")
    headers = {"year": dimension("year", lang)} if "year" in frame.columns else {}
    headers |= {"_series": series_title, "amount": f"{view.t('amount')} ({formatting.unit(lang)})"}
    ui.chart_download(frame, view, headers, key=f"chart_{key}", name=f"{view.t('chart')} {key}")


def short(value) -> str:
    """A cell's amount to one decimal, without a trailing zero decimal (400, 31,1)."""
    text = formatting.number(value, lang, 1)
    return text[:-2] if text.endswith((",0", ".0")) else text


def heatmap(kinds: tuple[str, ...], key: str) -> None:
    st.subheader(view.t("heatmap_heading"))
    ui.seed("fordel", True, options=[True, False], cast=lambda v: v == "1")
    split = st.toggle(view.t("heatmap_split"), key="fordel")
    ui.keep("fordel", "1" if split else "0", "1")
    keys = data.keys(ref)
    key_id = regional.default_key(keys)
    split_by = key_id if split and key_id else ""  # the key the money for the regions is split by
    for kind in kinds:
        if len(kinds) > 1:
            st.markdown(f"**{kind_label(kind, lang)}**")
        cells = data.heat_cells(ref, key_id, bool(split_by), kind, view.agreements, view.year_from, view.until)
        if regions:
            cells = cells.filter(pl.col("region").is_in(list(regions)))
        if cells.height == 0:
            ui.no_money(view)
            continue
        cells = cells.with_columns(
            pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name"),
        ).with_columns(
            pl.when(pl.col("basis") == "key").then(pl.concat_str("region_name", pl.lit(" *")))
            .otherwise(pl.col("region_name")).alias("row"),
            pl.col("basis").replace_strict(ui.basis_labels(view, bool(split_by))).alias("basis_text"),
        )
        order = []
        for name in charts.REGION_ORDER:
            order += [r for r in (name, f"{name} *") if r in set(cells["row"].to_list())]
        # each cell links to its sources by naming the cell, not them: one cell of 100.000 lines
        # cites hundreds of sources, and a link listing them cost 273 of the chart's 308 KB
        prefix = ui.link_prefix(view) + "felt="
        links = [prefix + quote_plus(str(views.Cell(*c, key=split_by)))
                 for c in cells.select("year", "kind", "region", "basis").iter_rows()]
        shown = ui.chart_frame(cells, view, extra={"row": "row", "basis_text": "basis_text"}, links=links).with_columns(
            pl.Series("text", [short(v) for v in cells["amount"]], pl.String)
        )
        drawn = charts.heatmap(
            shown, lang,
            tooltip=[("year", dimension("year", lang)), ("row", dimension("region", lang)),
                     ("amount_text", view.t("amount")), ("basis_text", view.t("basis")),
                     ("source", view.t("sources"))],
            mergers=data.mergers(ref), rows=order,
        )
        st.altair_chart(drawn, key=f"heat_{key}_{kind}")
        if split_by:
            name = keys.filter(pl.col("key_id") == key_id)["name"].first()
            st.caption(view.t("heatmap_caption", name=name))
        ui.chart_download(cells, view, {"year": dimension("year", lang), "row": dimension("region", lang),
                                        "basis_text": view.t("basis"),
                                        "amount": f"{view.t('amount')} ({formatting.unit(lang)})"},
                          key=f"heat_{key}_{kind}", name=f"{view.t('heatmap_heading')} {kind}")


if not rows and not column:
    st.info(view.t("rows"))
    st.stop()
if "kind" in rows or column == "kind" or len(view.kinds) == 1:
    section(view.kinds, "all")
else:
    for kind in view.kinds:
        ui.kind_heading(view, kind)
        section((kind,), kind)
heatmap(view.kinds, "heat")
