"""Regioner: money per region and per inhabitant. No source splits money among the regions,
so national money meant for the regions is split by a distribution key; every figure derived
that way is marked as such and kept apart from figures a source states for a region."""

import polars as pl
import streamlit as st

from tracker import formatting, views
from tracker.app import charts, data, ui
from tracker.i18n import dimension
from tracker.regional import DEFAULT_KEY, per_inhabitant

view = ui.current_view()
ref, lang = view.ref, view.lang
names = data.region_names(ref)

st.title(view.t("page_regions"))
st.caption(view.t("regions_caption", period=view.period))

keys = data.keys(ref)
key_names = dict(keys.select("key_id", "name").unique("key_id").sort("key_id").iter_rows())
if not key_names:
    st.warning(view.t("no_stated_regional"))
    st.stop()
default_key = DEFAULT_KEY if DEFAULT_KEY in key_names else next(iter(key_names))
measures = {"amount": view.t("measure_amount"), "per_inhabitant": view.t("measure_per_inhabitant")}
with st.container(horizontal=True, vertical_alignment="bottom"):
    ui.seed("noegle", default_key, options=key_names)
    key_id = st.selectbox(view.t("key"), options=list(key_names), format_func=lambda k: key_names.get(k, k),
                          key="noegle")
    ui.seed("maal", "amount", options=measures)
    measure = st.segmented_control(view.t("measure"), options=list(measures), format_func=measures.get,
                                   key="maal", required=True)
ui.keep("noegle", key_id, default_key)
ui.keep("maal", measure, "amount")
facts = keys.filter(pl.col("key_id") == key_id).row(0, named=True)
st.caption(view.t("key_info", name=facts["name"], as_of=facts["as_of"], source=facts["source"]))

# the 2027 merger: visible wherever the period spans it
for change in data.mergers(ref):
    if view.year_from < change["year"] <= view.until:
        st.info(view.t("merger_note", year=change["year"], old=" og ".join(change["predecessor_names"])
                       if lang == "da" else " and ".join(change["predecessor_names"]),
                       new=change["successor_name"]), icon=":material/merge:")

population_key, inhabitants = data.population(ref)
key_label = view.t("basis_key")
years = list(range(view.year_from, view.until + 1))
year_columns = [str(y) for y in years]


def region_table(frame: pl.DataFrame, basis_text: str, with_total: bool, value: str, key: str, name: str,
                 decimals: int | None = None) -> None:
    """Regions down (in the fixed order, merged region in its place), years across."""
    frame = frame.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name"))
    if value != "amount":
        frame = frame.drop("amount").rename({value: "amount"})
    wide, amounts = views.pivot(frame, ["region_name"], "year", view.t("total") if with_total else None,
                                column_order=years)
    order = {n: i for i, n in enumerate(charts.REGION_ORDER)}
    wide = wide.with_columns(
        pl.col("region_name").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_order"),
        pl.lit(basis_text).alias("basis_text"),
    ).sort("_order", "region_name")
    headers = {"region_name": dimension("region", lang), "basis_text": view.t("basis")}
    table = ui.table_from(wide, view, headers, amounts, decimals=decimals)
    ui.show_table(table, view, key=key, name=name,
                  bold_rows=[n == view.t("total") for n in wide["region_name"].to_list()])


def region_chart(frame: pl.DataFrame, value: str, key: str) -> None:
    """Grouped bars per year, one per region; the chart says the figures are derived."""
    texts = [formatting.money(v, lang, 1) if value == "amount" else formatting.kroner(v, lang) for v in frame[value]]
    shown = ui.chart_frame(
        frame.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name"),
                           pl.col(value).cast(pl.Decimal(38, 6)).alias("amount")),
        view, extra={"region_name": "region"},
    ).with_columns(pl.Series("amount_text", texts, pl.String), pl.lit(key_label).alias("basis"))
    drawn = charts.region_bars(
        shown, lang,
        tooltip=[("year", dimension("year", lang)), ("region", dimension("region", lang)),
                 ("amount_text", measures[value]), ("basis", view.t("basis")), ("source", view.t("sources"))],
        mergers=data.mergers(ref), y_title=measures[value], stacked=False, years=years,
    )
    st.altair_chart(drawn, key=f"chart_{key}")


for kind in view.kinds:
    ui.kind_heading(view, kind)
    split = data.regional_split(ref, key_id, (kind,), view.agreements, view.year_from, view.until)
    if split.height == 0:
        ui.no_money(view)
        continue
    value = "per_inhabitant" if measure == "per_inhabitant" else "amount"
    split = per_inhabitant(split, inhabitants)

    # 1. what the sources state for a region
    st.markdown(f"**{view.t('stated_regional_heading')}**")
    stated = split.filter(pl.col("basis") == "stated")
    if stated.height == 0:
        st.caption(view.t("no_stated_regional"))
    else:
        region_table(stated, view.t("basis_stated"), value == "amount", value, f"stated_{kind}",
                     f"{view.t('stated_regional_heading')} {kind}", decimals=2 if value != "amount" else None)

    # 2. national money for the regions, split by the key: derived, marked as such
    derived = split.filter(pl.col("basis") == "key")
    st.markdown(f"**{view.t('key_regional_heading', name=facts['name'])}** · {key_label}")
    if derived.height == 0:
        st.caption(view.t("no_money"))
    else:
        region_table(derived, key_label, value == "amount", value, f"key_{kind}",
                     f"{view.t('page_regions')} {key_label} {kind}", decimals=2 if value != "amount" else 1)
        region_chart(derived, value, f"key_{kind}")
        ui.chart_download(
            derived.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")),
                                 pl.lit(key_label).alias("basis_text"),
                                 pl.col(value).cast(pl.Decimal(38, 6)).alias("amount")),
            view, {"year": dimension("year", lang), "region": dimension("region", lang),
                   "basis_text": view.t("basis"), "amount": measures[value]},
            key=f"keychart_{kind}", name=f"{view.t('page_regions')} {kind}",
        )

    # 3. national money not meant for the regions: not split
    national = split.filter(pl.col("basis") == "national")
    if national.height and value == "amount":
        st.markdown(f"**{view.t('national_heading')}**")
        st.caption(view.t("national_caption"))
        region_table(national, view.t("basis_national"), True, "amount", f"national_{kind}",
                     f"{view.t('national_heading')} {kind}")
    total = split["amount"].sum()
    st.caption(view.t("reconcile_regions", total=formatting.money(total, lang)))
