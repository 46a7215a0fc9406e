"""Altair charts. Each takes a frame that already holds the text its tooltips show (amounts
formatted exactly, the sources cited) and a link to the sources: a bar leads to its sources
in one click."""

from __future__ import annotations

import altair as alt
import polars as pl

from tracker import formatting
from tracker.views import CHART_SERIES

HEIGHT = 360
LEGEND_ROW = 17  # pixels per legend line
MAX_LEGEND = 24  # more series than this: no legend (the tooltip names each bar)
# Vega's "tableau20" scheme, for charts that name their colours (see `stacked_bars`)
TABLEAU20 = ["#4c78a8", "#9ecae9", "#f58518", "#ffbf79", "#54a24b", "#88d27a", "#b79a20", "#f2cf5b", "#439894",
             "#83bcb6", "#e45756", "#ff9d98", "#79706e", "#bab0ac", "#d67195", "#fcbfd2", "#b279a2", "#d6a5c9",
             "#9e765f", "#d8b5a5"]
ROWS = "rows"  # the name a chart's rows go by (`show`)
FOLDED_COLOR = "#b0b0b0"  # "Øvrige": the many small series together, kept quiet
REGION_ORDER = [
    "Hele landet", "Region Hovedstaden", "Region Sjælland", "Region Østdanmark",
    "Region Syddanmark", "Region Midtjylland", "Region Nordjylland",
]
# Hovedstaden and Sjælland in two blues; Østdanmark, their merger, in the blue between them
REGION_COLORS = {
    "Hele landet": "#9e9e9e",
    "Region Hovedstaden": "#1f4e9c",
    "Region Sjælland": "#6a9bd8",
    "Region Østdanmark": "#3b6fc0",
    "Region Syddanmark": "#2e8b57",
    "Region Midtjylland": "#d98c1f",
    "Region Nordjylland": "#b23a48",
}


def show(chart: alt.TopLevelMixin, key: str) -> None:
    """Draw a chart, its rows sent apart from its spec under a fixed name (`split`).

    The browser keeps a chart whose spec is as before and only swaps its rows (Vega's change
    sets); a spec that changed is built anew, which takes the page's main thread about 0.1 s.
    `st.altair_chart` names the rows inside the spec by a hash of their content, so any new
    figure changed the spec; here the spec changes only when the chart's shape does. A layered
    chart, whose layers hold rows of their own, goes to `st.altair_chart` as it is."""
    import streamlit as st

    parts = split(chart)
    if parts is None:
        st.altair_chart(chart, key=key)
        return
    spec, rows = parts
    st.vega_lite_chart(spec={**spec, "datasets": {ROWS: rows}}, key=key)  # Streamlit sends the rows as Arrow


def split(chart: alt.TopLevelMixin) -> tuple[dict, pl.DataFrame] | None:
    """The chart's spec, reading its rows by the name `ROWS`, and the rows; None for a chart
    without rows of its own at the top (a layered chart)."""
    if not isinstance(chart.data, pl.DataFrame):
        return None
    bare = chart.copy(deep=False)
    bare.data = alt.NamedData(name=ROWS)
    return bare.to_dict(), chart.data


def _finish(chart: alt.TopLevelMixin, lang: str, legend_columns: int = 2) -> alt.TopLevelMixin:
    """Danish (or English) numbers on axes and legends, readable type on a laptop."""
    return (
        chart.configure(locale={"number": formatting.d3_locale(lang)})
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=260)
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=360, orient="bottom",
                          columns=legend_columns, symbolLimit=0)
        .configure_view(stroke=None)
    )


def _tooltip(fields: list[tuple[str, str]]) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{column}:N", title=title) for column, title in fields]


def stacked_bars(
    frame: pl.DataFrame,
    series_title: str,
    lang: str,
    tooltip: list[tuple[str, str]],
    height: int = HEIGHT,
    legend_columns: int = 2,
) -> alt.TopLevelMixin:
    """Money per year (x) stacked by `series`. Columns: year, series, value (float), link.

    The spec depends on the figures as little as it can (see `show`): series are ordered and
    coloured by a `rank` column in the data, not by a list of their names, and the legend has
    room for a folded chart's eleven series whatever the number drawn. The chart is fitted into
    its height, legend included, so the height grows with the legend."""
    unit = formatting.unit(lang)
    count = frame["series"].n_unique() if frame.height else 0
    legend = alt.Legend() if count <= MAX_LEGEND else None
    if legend is not None:
        height += LEGEND_ROW * -(-max(count, CHART_SERIES + 1) // legend_columns) + 30
    order, scale, by = alt.Order("series:N"), alt.Scale(scheme="tableau20"), alt.Undefined
    if _folded(frame):  # "Øvrige" last in the legend, at the foot of the stack, in grey
        frame = with_rank(frame, "series", _named_then_folded(frame, "series"))
        # the legend by rank, "Øvrige" last; the stack the other way round, "Øvrige" at its foot
        order, by = alt.Order("rank:Q", sort="descending"), alt.EncodingSortField(field="rank", op="min")
        named = frame.filter(~pl.col("folded"))["series"].n_unique()
        scale = alt.Scale(range=[*TABLEAU20[:named], FOLDED_COLOR])
    color = alt.Color("series:N", title=series_title, sort=by, scale=scale, legend=legend)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(value):Q", title=unit, axis=alt.Axis(format=",.0f")),
            color=color,
            order=order,
            tooltip=_tooltip(tooltip),
            href="link:N",
        )
        .properties(height=height)
    )
    return _finish(chart, lang, legend_columns)


def with_rank(frame: pl.DataFrame, column: str, order: list[str]) -> pl.DataFrame:
    """`rank`: each row's place in `order` by its `column` (sorting by it draws that order)."""
    places = {name: i for i, name in enumerate(order)}
    return frame.with_columns(pl.col(column).replace_strict(places, default=len(order), return_dtype=pl.Int32)
                              .alias("rank"))


def _folded(frame: pl.DataFrame) -> bool:
    return "folded" in frame.columns and bool(frame["folded"].any())


def _named_then_folded(frame: pl.DataFrame, column: str, by_size: bool = False) -> list[str]:
    """The series' names (by name, or largest first), then the folded ones (`tracker.views.fold_series`)."""
    named = frame.filter(~pl.col("folded"))
    if by_size:
        names = named.group_by(column).agg(pl.col("value").sum()).sort(["value", column], descending=[True, False])[column]
    else:
        names = named[column].unique().sort()
    return [*names.to_list(), *frame.filter(pl.col("folded"))[column].unique().sort().to_list()]


def bars(
    frame: pl.DataFrame,
    category_title: str,
    lang: str,
    tooltip: list[tuple[str, str]],
    stacked_by: str | None = None,
    height: int = HEIGHT,
) -> alt.TopLevelMixin:
    """Horizontal bars per `category` (value as float), optionally stacked by `stack`."""
    unit = formatting.unit(lang)
    # largest first; "Øvrige" last whatever its size
    order = "-x"
    if _folded(frame):
        frame = with_rank(frame, "category", _named_then_folded(frame, "category", by_size=True))
        order = alt.EncodingSortField(field="rank", op="min")
    encoding = dict(
        y=alt.Y("category:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        x=alt.X("sum(value):Q", title=unit, axis=alt.Axis(format=",.0f")),
        tooltip=_tooltip(tooltip),
        href="link:N",
    )
    if stacked_by:
        encoding["color"] = alt.Color("stack:N", title=stacked_by, scale=alt.Scale(scheme="tableau20"))
    rows = max(1, frame["category"].n_unique()) if frame.height else 1
    chart = alt.Chart(frame).mark_bar().encode(**encoding).properties(height=max(160, min(height * 2, 28 * rows)))
    return _finish(chart, lang)


def _merger_layer(years: list[int], mergers: list[dict], lang: str, below: bool = False) -> list[alt.Chart]:
    """A dashed line where the regions change (2027), with a label (above the plot, or
    below it where the axis is on top)."""
    layers = []
    for m in mergers:
        if m["year"] in years and min(years) < m["year"]:
            label = (f"{m['successor_name']} fra {m['year']}" if lang == "da"
                     else f"{m['successor_name']} from {m['year']}")
            marker = pl.DataFrame({"year": [m["year"]], "label": [label]})
            base = alt.Chart(marker).encode(x=alt.X("year:O", bandPosition=0))
            layers.append(base.mark_rule(strokeDash=[6, 4], color="#444", strokeWidth=1.5))
            y = alt.value({"expr": "height"}) if below else alt.value(0)
            layers.append(base.mark_text(align="left", baseline="top", dx=4, dy=4 if below else 2, fontSize=11,
                                         color="#444").encode(text="label:N", y=y))
    return layers


def region_bars(frame: pl.DataFrame, lang: str, tooltip: list[tuple[str, str]], mergers: list[dict],
                y_title: str | None = None, stacked: bool = True, height: int = HEIGHT,
                years: list[int] | None = None) -> alt.TopLevelMixin:
    """Per year (all of `years`, money or not), a bar per region (value as float); the 2027
    merger marked."""
    present = [r for r in REGION_ORDER if r in set(frame["region"].to_list())]
    present += sorted(set(frame["region"].to_list()) - set(present))
    scale = alt.Scale(domain=present, range=[REGION_COLORS.get(r, "#777777") for r in present])
    years = years or sorted(set(frame["year"].to_list()))
    encoding = dict(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years)),
        y=alt.Y("value:Q", title=y_title or formatting.unit(lang), axis=alt.Axis(format=",.0f"),
                stack="zero" if stacked else None),
        color=alt.Color("region:N", title=None, scale=scale, sort=present),
        tooltip=_tooltip(tooltip),
        href="link:N",
    )
    if not stacked:
        encoding["xOffset"] = alt.XOffset("region:N", sort=present)
    bars_ = alt.Chart(frame).mark_bar().encode(**encoding)
    chart = alt.layer(bars_, *_merger_layer(years, mergers, lang)).properties(height=height)
    return _finish(chart, lang)


CELL_FIGURES = "cell_figures"  # the heatmap's figures: Vega names their marks "cell_figures_marks"


def heatmap(frame: pl.DataFrame, lang: str, tooltip: list[tuple[str, str]], mergers: list[dict],
            rows: list[str]) -> alt.TopLevelMixin:
    """Year x region; each cell shows its amount as text. Columns: year, row, value, text."""
    years = sorted(set(frame["year"].to_list()))
    top = frame["value"].max() or 1
    frame = frame.with_columns((pl.col("value") > 0.55 * top).alias("dark"))
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("row:N", title=None, sort=rows, axis=alt.Axis(labelLimit=320)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=formatting.unit(lang), scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=",.0f")),
        tooltip=_tooltip(tooltip),
        href="link:N",
    )
    # the figure sits on top of its cell: the pointer passes through it (ui.STYLE, by the name
    # given here) to the cell's tooltip and link, or a click on the number would do nothing
    text = base.mark_text(fontSize=11, aria=False).encode(
        text="text:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("#222")),
    ).properties(name=CELL_FIGURES)
    chart = alt.layer(cells, text, *_merger_layer(years, mergers, lang, below=True)).properties(
        height={"step": 30}
    )
    return _finish(chart, lang)
