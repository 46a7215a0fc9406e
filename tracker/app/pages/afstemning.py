"""Afstemning: the totals the sources state, checked against the ledger; those that do not
hold first, with the difference and its explanation where the ledger knows one."""

import polars as pl
import streamlit as st

from ledger.domain import KINDS, label
from tracker.app import data, ui

view = ui.current_view()
ref, lang = view.ref, view.lang

st.title(view.t("page_findings"))
st.caption(view.t("findings_caption"))

found = data.findings_table(ref, lang)
keep = pl.col("kind").is_in([label(KINDS, k, lang) for k in view.kinds])
if view.agreements is not None:
    keep = keep & pl.col("agreement_id").is_in(list(view.agreements))
shown = found.filter(keep).with_columns(pl.concat_list("source_id").alias("source_ids"))
hidden = found.height - shown.height

headers = {
    "subject": view.t("col_subject"), "agreement": view.t("dim_agreement"), "years": view.t("col_years"),
    "scope": view.t("col_scope"), "kind": view.t("dim_kind"), "stated": view.t("col_stated"),
    "held": view.t("col_held"), "difference": view.t("col_difference"), "explanation": view.t("col_explanation"),
}
sections = (
    ("differs", "differs_heading", ["stated", "held", "difference"]),
    ("unchecked", "unchecked_heading", ["stated"]),
    ("holds", "holds_heading", ["stated", "held"]),
)
for status, heading, amounts in sections:
    part = shown.filter(pl.col("status") == status)
    st.subheader(f"{view.t(heading)} ({part.height})")
    if part.height == 0:
        if status == "differs":
            st.success(view.t("none_differ"), icon=":material/check:")
        continue
    columns = {k: v for k, v in headers.items()
               if k not in ("stated", "held", "difference") or k in amounts}
    if status == "holds":
        columns.pop("explanation")
    # the explanation before the sources, whose long citation would push it off a laptop screen
    last = "explanation" if "explanation" in columns else amounts[-1]
    table = ui.table_from(part, view, columns, amounts, sources_after=last)
    ui.show_table(table, view, key=f"findings_{status}", name=f"{view.t('page_findings')} {view.t(heading)}")
if hidden:
    st.caption(view.t("filtered_out", n=hidden))
