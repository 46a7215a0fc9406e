"""Overblik: money per year stacked by agreement, key figures, findings that need attention."""

from dataclasses import replace

import polars as pl
import streamlit as st

from tracker import formatting, views
from tracker.app import charts, data, ui
from tracker.i18n import dimension

view = ui.current_view()
ref, lang = view.ref, view.lang
labels = data.source_labels(ref)
year = data.today().year

st.title(view.t("page_overview"))
st.caption(view.t("overview_caption", period=view.period))


def key_figures(kind: str, with_findings: bool) -> None:
    figures = data.key_figures(ref, kind, view.agreements, year)
    columns = st.columns(4 if with_findings else 3)

    def sources(ids) -> str:
        return view.t("key_figures_sources", sources=views.cite(ids, labels, lang, limit=12)) if ids else ""

    columns[0].metric(view.t("this_year", year=figures.year), formatting.money(figures.this_year, lang),
                      help=sources(figures.sources_this_year), border=True)
    columns[1].metric(view.t("next_year", year=figures.year + 1), formatting.money(figures.next_year, lang),
                      help=sources(figures.sources_next_year), border=True)
    if figures.permanent_from is not None:
        columns[2].metric(
            f"{view.t('permanent_from', year=figures.permanent_from)}, {view.t('per_year_suffix')}",
            formatting.money(figures.permanent, lang),
            help=sources(figures.sources_permanent), border=True,
        )
    else:
        columns[2].metric(view.t("permanent_none"), view.t("no_permanent"), border=True)
    if with_findings:
        # counted last (see the end of the page), so the money shows first
        pending.append(columns[3].empty())
        pending.append(st.empty())


def findings() -> None:
    """How many stated totals need attention: those that do not hold and those that cannot be
    checked."""
    found = data.findings_table(ref, lang)
    if view.agreements is not None:
        found = found.filter(pl.col("agreement_id").is_in(list(view.agreements)))
    differs = found.filter(pl.col("status") == "differs").height
    unchecked = found.filter(pl.col("status") == "unchecked").height
    holds = found.filter(pl.col("status") == "holds").height
    summary = view.t("findings_summary", differs=differs, unchecked=unchecked, holds=holds)
    metric, line = pending
    metric.metric(view.t("findings_metric"), str(differs + unchecked),
                  help=view.t("findings_metric_help") + " " + summary, border=True)
    with line.container(horizontal=True, vertical_alignment="center"):
        st.caption(summary)
        st.page_link(ui.PAGES[5][0], label=view.t("go_findings"), icon=":material/arrow_forward:")


def by_agreement(kind: str) -> None:
    # the section's own view: its figures, and the links to their sources, are of this kind
    section = replace(view, kinds=(kind,))
    frame = data.breakdown(ref, ("year", "agreement"), section.filters(), 1, lang)
    if frame.height == 0:
        ui.no_money(view)
        return
    series = dimension("agreement", lang)
    headers = {"year": dimension("year", lang), "agreement_title": series,
               "amount": f"{view.t('amount')} ({formatting.unit(lang)})"}
    # a section as it was in an earlier run is replayed, not drawn again (`ui.replayed`)
    download = ui.replayed(("overview_chart", section), lambda: chart(section, frame, series, headers))
    ui.chart_download(download, view, headers, key=f"chart_{kind}", name=f"{view.t('page_overview')} {kind}")
    table = ui.replayed(("overview_table", section), lambda: summary(section, frame, series))
    ui.downloads(table, view, key=f"table_{kind}", name=f"{view.t('table_by_agreement')} {kind}")


def chart(section: ui.View, frame: pl.DataFrame, series: str, headers: dict[str, str]) -> ui.Table:
    """The chart (its ten largest agreements named); returns what its download holds."""
    drawn, note = ui.fold(frame, section, "agreement_title")
    heading = f"**{section.t('chart_by_agreement')}** ({formatting.unit(section.lang)})"
    st.markdown(heading + (f" · {note}" if note else ""))
    shown = ui.chart_frame(drawn, section, series="agreement_title")
    charts.show(charts.stacked_bars(
        shown, series, section.lang,
        tooltip=[("year", dimension("year", section.lang)), ("series", series),
                 ("amount_text", section.t("amount")), ("source", section.t("sources"))],
    ), key=f"chart_{section.kinds[0]}")
    return ui.chart_table(drawn, section, headers)


def summary(section: ui.View, frame: pl.DataFrame, series: str) -> ui.Table:
    """Every agreement's money per year, and the total; returns the table."""
    wide, amounts = views.pivot(
        frame, ["agreement_id", "agreement_title"], "year", section.t("total"),
        column_order=list(range(section.year_from, section.until + 1)), label_column="agreement_title",
    )
    st.markdown(f"**{section.t('table_by_agreement')}** ({formatting.unit(section.lang)})")
    table = ui.table_from(wide, section, {"agreement_title": series}, amounts)
    ui.grid(table, section, key=f"table_{section.kinds[0]}",
            bold_rows=[i == wide.height - 1 for i in range(wide.height)])
    return table


pending: list = []
for kind in view.kinds:
    ui.kind_heading(view, kind)
    key_figures(kind, with_findings=(kind == view.kinds[0]))
    by_agreement(kind)
findings()
