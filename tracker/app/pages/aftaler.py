"""Aftaler: every agreement; the chosen one with its initiative tree, amounts per year, the
"ikke udmøntet" remainder of each frame, its stated totals and its sources."""

import polars as pl
import streamlit as st

from tracker import views
from tracker.app import data, ui
from tracker.i18n import kind_label

view = ui.current_view()
ref, lang = view.ref, view.lang

st.title(view.t("page_agreements"))
st.caption(view.t("agreements_caption", period=view.period))

listing = data.agreement_list(ref, view.kinds, view.year_from, view.until, lang)
if view.agreements is not None:
    listing = listing.filter(pl.col("id").is_in(list(view.agreements)))

# the money first, so it shows on a laptop screen without scrolling
headers = {"title": view.t("col_title")}
frame_columns = []
for kind in view.kinds:
    headers[kind] = view.t("frame_in_period", kind=kind_label(kind, lang), period=view.period)
    frame_columns.append(kind)
headers |= {"status": view.t("col_status"), "date_agreed": view.t("col_date"), "kind": view.t("col_type"),
            "parties": view.t("col_parties")}
shown = listing.with_columns(pl.concat_list("source_id").alias("source_ids"))
ui.show_table(ui.table_from(shown, view, headers, frame_columns), view, key="agreements",
              name=view.t("page_agreements"))

titles = dict(listing.select("id", "title").iter_rows())
if not titles:
    ui.no_money(view)
    st.stop()
first = views.default_agreement(listing, view.kinds)  # unless the address names one
ui.seed("vis", first, options=titles)
chosen = st.selectbox(view.t("choose_agreement"), options=list(titles), format_func=lambda a: titles.get(a, a), key="vis")
ui.keep("vis", chosen, first)
facts = data.agreement(ref, chosen) or {}
st.header(facts.get("title", chosen))
with st.container(horizontal=True, gap="large"):
    st.markdown(f"**{view.t('status')}:** {listing.filter(pl.col('id') == chosen)['status'].first() or ''}")
    if facts.get("date_agreed"):
        st.markdown(f"**{view.t('agreed')}:** {facts['date_agreed']}")
    if facts.get("parties"):
        st.markdown(f"**{view.t('parties')}:** {facts['parties']}")
    st.markdown(f"**{view.t('col_type')}:** {facts.get('kind', '')}")
if facts.get("note"):
    st.caption(facts["note"])

# the initiative tree, one per kind: decided money first, every other kind apart
st.subheader(view.t("tree_heading"))
st.caption(view.t("tree_caption"))
total_label = view.t("total_period", period=view.period)
shown_any = False
for kind in view.kinds:
    tree = data.agreement_tree(ref, chosen, kind, view.year_from, view.until, lang)
    if tree.height == 0:
        continue
    shown_any = True
    if kind != "appropriation" or len(view.kinds) > 1:
        st.markdown(f"**{kind_label(kind, lang)}**" + ("" if kind == "appropriation" else f" · {view.t('apart_caption')}"))
    wide = views.wide_by_year(tree, total_label)
    indent = "\u2003"
    wide = wide.with_columns(
        pl.concat_str(pl.lit(indent).repeat_by(pl.col("level")).list.join(""), pl.col("title")).alias("shown_title")
    )
    years = [str(y) for y in range(view.year_from, view.until + 1)]
    table = ui.table_from(wide, view, {"shown_title": view.t("dim_initiative")}, [*years, total_label])
    ui.show_table(table, view, key=f"tree_{chosen}_{kind}", name=f"{facts.get('title', chosen)} {kind}",
                  bold_rows=[(r == "total" or lvl == 0) for r, lvl in wide.select("role", "level").iter_rows()],
                  pin_first=True)
if not shown_any:
    ui.no_money(view)
missing = data.without_amounts(ref, chosen)
if missing:
    st.caption(view.t("no_amount", titles="; ".join(missing)))

# the totals the sources state for this agreement, and whether they hold
st.subheader(view.t("stated_heading"))
found = data.findings_table(ref, lang).filter(pl.col("agreement_id") == chosen)
if found.height == 0:
    st.caption(view.t("no_stated"))
else:
    stated = found.with_columns(pl.concat_list("source_id").alias("source_ids"))
    table = ui.table_from(
        stated, view,
        {"subject": view.t("col_subject"), "years": view.t("col_years"), "scope": view.t("col_scope"),
         "kind": view.t("dim_kind"), "stated": view.t("col_stated"), "held": view.t("col_held"),
         "difference": view.t("col_difference"), "status_text": view.t("col_status"),
         "explanation": view.t("col_explanation")},
        ["stated", "held", "difference"],
    )
    ui.show_table(table, view, key=f"stated_{chosen}", name=f"{view.t('stated_heading')} {facts.get('title', chosen)}")

# every source the agreement, its lines and its stated totals cite
st.subheader(view.t("sources_heading"))
ids = data.agreement_sources(ref, chosen)
cited = data.source_table(ref).filter(pl.col("id").is_in(ids)).with_columns(
    pl.concat_list("id").alias("source_ids")
)
table = ui.table_from(
    cited, view,
    {"document": view.t("col_document"), "location": view.t("col_location"), "case_no": view.t("col_case"),
     "date": view.t("col_date"), "url": view.t("col_file"), "figures": view.t("col_figures")},
)
table = ui.without_citation(table, view)
ui.show_table(table, view, key=f"sources_{chosen}", name=f"{view.t('sources_heading')} {facts.get('title', chosen)}")
