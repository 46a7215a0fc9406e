"""Kilder: each source document with every figure that cites it."""

import polars as pl
import streamlit as st

from ledger.domain import KINDS, label
from tracker import formatting, views
from tracker.app import data, ui

view = ui.current_view()
ref, lang = view.ref, view.lang
labels = data.source_labels(ref)

st.title(view.t("page_sources"))
st.caption(view.t("sources_caption"))

sources = data.source_table(ref)

# a cell of Fordeling's heatmap links here by naming the cell (`views.Cell`: with the key it
# was split by) and the filters it was drawn with: its sources are looked up in the same cells
cell = views.Cell.parse(st.query_params.get("felt"))
from_cell = None
if cell is not None and (not cell.key or cell.key in set(data.keys(ref)["key_id"].to_list())):
    cells = data.heat_cells(ref, cell.key or None, bool(cell.key), cell.kind, view.agreements, view.year_from,
                            view.until)
    from_cell = views.find_cell(cells, cell)
cell_ids = [s for s in from_cell["source_ids"] if s in labels] if from_cell else []

ui.seed("kilde", cell_ids, options=labels, multi=True)
chosen = st.multiselect(view.t("choose_sources"), options=list(labels), format_func=lambda s: labels.get(s, s),
                        key="kilde", placeholder=view.t("all_sources_hint"))
if cell is not None and chosen != cell_ids:  # another choice than the cell's: the link's cell no longer applies
    ui.keep("felt", None, None)
    cell = None
ui.keep("kilde", chosen, cell_ids if cell is not None else [])
if from_cell is not None and cell is not None:
    names = data.region_names(ref)
    basis = ui.basis_labels(view, bool(cell.key))[cell.basis]
    st.info(view.t("cell_sources", year=cell.year, region=names.get(cell.region, cell.region), basis=basis,
                   kind=label(KINDS, cell.kind, lang), amount=formatting.money(from_cell["amount"], lang)),
            icon=":material/link:")
elif cell is not None:
    st.warning(view.t("cell_gone"), icon=":material/link_off:")

MAX_SECTIONS = 40  # beyond this many documents, one table instead of a section each

# the sidebar's filters apply here too; an agreement (it has no amount) is always shown
ids = tuple(chosen) if chosen else tuple(sources["id"].to_list())
figures = data.figures_citing(ref, ids, lang)
kind_names = [label(KINDS, k, lang) for k in view.kinds]
keep = pl.col("kind").is_null() | pl.col("kind").is_in(kind_names)
if view.agreements is not None:
    titles = data.agreement_titles(ref)
    keep = keep & pl.col("agreement").is_in([titles[a] for a in view.agreements if a in titles])
in_years = (pl.col("year_from").is_null()
            | ((pl.col("year_from") <= view.until) & (pl.col("year_to").is_null() | (pl.col("year_to") >= view.year_from))))
shown = figures.filter(keep & in_years).join(
    sources.select(pl.col("id").alias("source_id"), "document", "location", "case_no", "date", "url"),
    on="source_id", how="left",
)
hidden = figures.height - shown.height
headers = {"location": view.t("col_location"), "figure": view.t("col_figure"), "subject": view.t("col_subject"),
           "years": view.t("col_years"), "scope": view.t("col_scope"), "amount": view.t("amount"),
           "kind": view.t("dim_kind"), "region": view.t("dim_region"), "agreement": view.t("dim_agreement"),
           "note": view.t("note")}

documents = sources.filter(pl.col("id").is_in(ids)).group_by("document", maintain_order=True).agg(
    pl.col("case_no").drop_nulls().unique().sort(), pl.col("date").first(), pl.col("url").first(),
    pl.col("id").alias("ids"), pl.col("figures").sum(),
)
if documents.height <= MAX_SECTIONS:
    for number, doc in enumerate(documents.iter_rows(named=True)):
        part = shown.filter(pl.col("source_id").is_in(doc["ids"])).sort("location", "subject", "year_from",
                                                                        nulls_last=True)
        with st.expander(f"{doc['document']} · {part.height} {view.t('col_figures').lower()}",
                         expanded=bool(chosen)):
            facts = [f"{view.t('col_case')}: {', '.join(c for c in doc['case_no'] if c)}" if any(doc["case_no"]) else "",
                     f"{view.t('col_date')}: {doc['date']}" if doc["date"] else "",
                     f"{view.t('col_file')}: {doc['url']}" if doc["url"] else ""]
            st.caption(" · ".join(f for f in facts if f))
            if part.height == 0:
                st.caption(view.t("no_figures"))
                continue
            table = ui.table_from(part, view, headers, ["amount"], sources=False)
            ui.show_table(table, view, key=f"doc_{number}", name=f"{view.t('page_sources')} {number + 1}")
else:
    st.subheader(view.t("figures_heading"))
    table = ui.table_from(shown.sort("document", "location"), view, {"document": view.t("col_document"), **headers},
                          ["amount"], sources=False)
    ui.show_table(table, view, key="figures", name=view.t("figures_heading"))
if hidden:
    st.caption(view.t("filtered_out", n=hidden))
