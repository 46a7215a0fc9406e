"""The app's words in Danish and English. Danish is the default; every key has both."""

from __future__ import annotations

from ledger.domain import KINDS, label

STRINGS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("Sundhedsaftaler", "Health agreements"),
    "language": ("Sprog", "Language"),
    "page_overview": ("Overblik", "Overview"),
    "page_agreements": ("Aftaler", "Agreements"),
    "page_breakdown": ("Fordeling", "Breakdown"),
    "page_regions": ("Regioner", "Regions"),
    "page_sources": ("Kilder", "Sources"),
    "page_findings": ("Afstemning", "Reconciliation"),
    # sidebar filters
    "filters": ("Filtre", "Filters"),
    "years": ("År", "Years"),
    "agreements": ("Aftaler", "Agreements"),
    "all_agreements": ("Alle aftaler", "All agreements"),
    "kinds": ("Arter", "Kinds"),
    "kinds_help": (
        "Kun bevillinger er besluttede penge. Forventede beløb, skøn, forslag og besparelser vises "
        "for sig og lægges aldrig sammen med bevillingerne.",
        "Only appropriations are decided money. Expected amounts, estimates, proposals and savings "
        "are shown apart and never added to the appropriations.",
    ),
    "no_kind": ("Vælg mindst én art; viser bevillinger.", "Choose at least one kind; showing appropriations."),
    "share_hint": (
        "Filtrene står i adressen, så du kan dele visningen ved at kopiere linket.",
        "The filters are kept in the address, so you can share this view by copying the link.",
    ),
    "ledger_state": ("Ledger: ændring nr. {version}", "Ledger: change no. {version}"),
    # dimensions
    "dim_year": ("År", "Year"),
    "dim_agreement": ("Aftale", "Agreement"),
    "dim_initiative": ("Initiativ", "Initiative"),
    "dim_region": ("Region", "Region"),
    "dim_kind": ("Art", "Kind"),
    "amount": ("Beløb", "Amount"),
    "total": ("I alt", "Total"),
    "total_period": ("I alt {period}", "Total {period}"),
    "source": ("Kilde", "Source"),
    "sources": ("Kilder", "Sources"),
    "open_source": ("Vis kilde", "Show source"),
    "show_sources": ("Kilder til tallene", "Sources of these figures"),
    "note": ("Note", "Note"),
    # kinds shown apart
    "decided": ("Bevillinger (besluttede penge)", "Appropriations (decided money)"),
    "apart": ("Vist for sig: {kind}", "Shown apart: {kind}"),
    "apart_caption": (
        "Ikke besluttede penge. Tallene lægges ikke sammen med bevillingerne.",
        "Not decided money. These figures are not added to the appropriations.",
    ),
    "no_money": ("Ingen beløb med de valgte filtre.", "No amounts with the chosen filters."),
    # downloads
    "download_csv": ("CSV", "CSV"),
    "download_xlsx": ("Excel", "Excel"),
    "download_help": ("Hent tabellen præcis som vist", "Download the table exactly as shown"),
    "download_chart_help": ("Hent diagrammets tal præcis som vist", "Download the chart's figures exactly as shown"),
    # overview
    "overview_caption": (
        "Penge i de politiske sundhedsaftaler pr. år, {period}, i mio. kr. Hvert tal kan spores til sin kilde: "
        "hold musen over en søjle, eller klik på den.",
        "Money in the political health agreements per year, {period}, in DKK million. Every figure can be traced "
        "to its source: hover over a bar, or click it.",
    ),
    "this_year": ("I år ({year})", "This year ({year})"),
    "next_year": ("Næste år ({year})", "Next year ({year})"),
    "permanent_from": ("Varigt fra {year}", "Permanent from {year}"),
    "permanent_none": ("Varigt", "Permanent"),
    "per_year_suffix": ("årligt", "a year"),
    "no_permanent": ("Ingen varige beløb", "No permanent amounts"),
    "findings_metric": ("Fund at se på", "Findings to look at"),
    "findings_metric_help": (
        "Opgjorte totaler i kilderne, der ikke stemmer med ledgeren eller ikke kan afstemmes.",
        "Totals stated in the sources that do not hold against the ledger or cannot be checked.",
    ),
    "findings_summary": (
        "{differs} opgjort(e) total(er) stemmer ikke, {unchecked} kan ikke afstemmes, {holds} stemmer.",
        "{differs} stated total(s) do not hold, {unchecked} cannot be checked, {holds} hold.",
    ),
    "violations": ("{n} regelbrud i ledgeren", "{n} rule violation(s) in the ledger"),
    "go_findings": ("Se afstemningen", "See the reconciliation"),
    "chart_by_agreement": ("Pr. år fordelt på aftaler", "Per year by agreement"),
    "table_by_agreement": ("Aftaler pr. år", "Agreements per year"),
    "key_figures_sources": ("Kilder: {sources}", "Sources: {sources}"),
    # agreements
    "agreements_caption": (
        "Alle aftaler med deres rammer i perioden {period}. En aftale kan udmønte en anden aftales ramme, "
        "så beløbene her lægges ikke sammen; Overblik og Fordeling tæller hver krone én gang.",
        "Every agreement with its frames in {period}. One agreement can spend another's frame, so these "
        "amounts are not added up here; Overview and Breakdown count every krone once.",
    ),
    "choose_agreement": ("Vælg en aftale", "Choose an agreement"),
    "col_title": ("Titel", "Title"),
    "col_type": ("Type", "Type"),
    "col_status": ("Status", "Status"),
    "col_date": ("Dato", "Date"),
    "col_parties": ("Parter", "Parties"),
    "col_classification": ("Klassifikation", "Classification"),
    "frame_in_period": ("{kind} {period}", "{kind} {period}"),
    "tree_heading": ("Initiativer og beløb pr. år", "Initiatives and amounts per year"),
    "tree_caption": (
        "Beløb i mio. kr. En ramme vises med sine delinitiativer og det, der endnu ikke er udmøntet; "
        "delinitiativer og \"ikke udmøntet\" giver tilsammen rammen.",
        "DKK million. A frame is shown with its sub-initiatives and what is not yet allocated; together "
        "they add up to the frame.",
    ),
    "no_amount": ("Uden beløb i kilden: {titles}", "No amount in the source: {titles}"),
    "stated_heading": ("Opgjorte totaler", "Stated totals"),
    "no_stated": ("Kilderne opgør ingen totaler for denne aftale.", "The sources state no totals for this agreement."),
    "sources_heading": ("Kilder", "Sources"),
    "parties": ("Parter", "Parties"),
    "agreed": ("Indgået", "Agreed"),
    "status": ("Status", "Status"),
    "elsewhere_note": ("i en anden aftale", "in another agreement"),
    # breakdown
    "rows": ("Rækker", "Rows"),
    "columns": ("Kolonner", "Columns"),
    "none": ("(ingen)", "(none)"),
    "depth": ("Initiativniveau", "Initiative level"),
    "depth_help": (
        "1 = aftalens øverste initiativer; dybere niveauer viser delinitiativer, og rammens rest står som "
        "\"ikke udmøntet\".",
        "1 = the agreement's top initiatives; deeper levels show sub-initiatives, and the rest of a frame "
        "shows as \"not yet allocated\".",
    ),
    "region_filter": ("Regioner", "Regions"),
    "all_regions": ("Alle regioner", "All regions"),
    "breakdown_caption": (
        "Vælg selv rækker og kolonner. Beløb i mio. kr., {period}.",
        "Choose rows and columns yourself. DKK million, {period}.",
    ),
    "region_dim_note": (
        "Regioner som oplyst i kilderne (ingen kilde fordeler pengene på regionerne, så alt står under Hele "
        "landet). Se siden Regioner for en fordeling efter fordelingsnøgle.",
        "Regions as stated in the sources (no source splits the money among the regions, so all of it is "
        "under Hele landet). See the Regions page for a split by distribution key.",
    ),
    "kinds_not_added": (
        "Arterne lægges ikke sammen: der er ingen total på tværs af arter.",
        "Kinds are not added up: there is no total across kinds.",
    ),
    "heatmap_heading": ("År × region", "Year × region"),
    "heatmap_split": ("Fordel landsdækkende midler til regionerne efter nøgle", "Split national money for the regions by key"),
    "heatmap_caption": (
        "Felter mærket * er beregnet efter fordelingsnøglen \"{name}\", ikke oplyst i en kilde.",
        "Cells marked * are derived by the distribution key \"{name}\", not stated by a source.",
    ),
    "chart": ("Diagram", "Chart"),
    # regions
    "regions_caption": (
        "Ingen kilde fordeler pengene på de fem regioner. Landsdækkende penge til regionerne fordeles derfor "
        "efter en fordelingsnøgle, og hvert tal, der er beregnet sådan, er mærket \"beregnet efter nøgle\". "
        "Beløb i mio. kr., {period}.",
        "No source splits the money among the five regions. National money meant for the regions is therefore "
        "split by a distribution key, and every figure derived that way is marked \"derived by key\". "
        "DKK million, {period}.",
    ),
    "key": ("Fordelingsnøgle", "Distribution key"),
    "key_info": ("Nøgle: {name} ({as_of}). Kilde: {source}.", "Key: {name} ({as_of}). Source: {source}."),
    "measure": ("Vis", "Show"),
    "measure_amount": ("mio. kr.", "DKK million"),
    "measure_per_inhabitant": ("kr. pr. indbygger", "DKK per inhabitant"),
    "basis": ("Grundlag", "Basis"),
    "basis_stated": ("oplyst i kilde", "stated by a source"),
    "basis_key": ("beregnet efter nøgle", "derived by key"),
    "basis_national": ("landsdækkende, ikke til regionerne", "national, not for the regions"),
    "stated_regional_heading": ("Oplyst pr. region", "Stated per region"),
    "no_stated_regional": (
        "Ingen kilde oplyser beløb for de enkelte regioner.",
        "No source states amounts for the individual regions.",
    ),
    "key_regional_heading": ("Beregnet efter nøglen \"{name}\"", "Derived by the key \"{name}\""),
    "national_heading": ("Landsdækkende, ikke til regionerne", "National, not for the regions"),
    "national_caption": (
        "Penge uden regionerne som modtager (fx life science og Kræftplan V) fordeles ikke.",
        "Money without the regions as recipient (e.g. life science and Kræftplan V) is not split.",
    ),
    "merger_note": (
        "Fra 1. januar {year} er {old} lagt sammen til {new}. Før {year} vises fem regioner, fra {year} fire.",
        "From 1 January {year}, {old} are merged into {new}. Before {year} five regions are shown, from {year} four.",
    ),
    "merger_marker": ("{new} fra {year}", "{new} from {year}"),
    "reconcile_regions": (
        "Kontrol: oplyst + beregnet + landsdækkende = {total} i alt, det samme som Overblik.",
        "Check: stated + derived + national = {total} in all, the same as the Overview.",
    ),
    "inhabitants": ("Indbyggere", "Inhabitants"),
    # sources
    "sources_caption": (
        "Hvert kildedokument med alle de tal, der henviser til det.",
        "Each source document with every figure that cites it.",
    ),
    "choose_sources": ("Kilder", "Sources"),
    "all_sources_hint": ("Vælg en eller flere kilder for at se deres tal.", "Choose one or more sources to see their figures."),
    "col_document": ("Dokument", "Document"),
    "col_case": ("Sagsnr.", "Case no."),
    "col_location": ("Sted i dokumentet", "Place in document"),
    "col_file": ("Fil / adresse", "File / address"),
    "col_figures": ("Tal", "Figures"),
    "col_figure": ("Tal", "Figure"),
    "col_subject": ("Gælder", "Concerns"),
    "col_years": ("År", "Years"),
    "col_scope": ("Pr.", "Per"),
    "figures_heading": ("Tal, der henviser til kilden", "Figures citing the source"),
    "no_figures": ("Ingen tal henviser til denne kilde.", "No figures cite this source."),
    "filtered_out": (
        "{n} tal er skjult af filtrene i sidepanelet.",
        "{n} figure(s) are hidden by the filters in the sidebar.",
    ),
    # findings
    "findings_caption": (
        "Totaler, som kilderne opgør, afstemt mod ledgerens linjer. En forskel er ikke en fejl i ledgeren; "
        "den viser, at kilderne siger noget forskelligt.",
        "Totals the sources state, checked against the ledger's lines. A difference is not an error in the "
        "ledger; it shows that the sources disagree.",
    ),
    "differs_heading": ("Stemmer ikke", "Do not hold"),
    "unchecked_heading": ("Kan ikke afstemmes", "Cannot be checked"),
    "holds_heading": ("Stemmer", "Hold"),
    "none_differ": ("Alle opgjorte totaler, der kan afstemmes, stemmer.", "Every stated total that can be checked holds."),
    "col_stated": ("Opgjort", "Stated"),
    "col_held": ("Ledgeren", "Ledger"),
    "col_difference": ("Forskel", "Difference"),
    "col_explanation": ("Forklaring", "Explanation"),
    "col_message": ("Fund", "Finding"),
    "rules_heading": ("Regelbrud", "Rule violations"),
}


def t(key: str, lang: str = "da", **values: object) -> str:
    da, en = STRINGS[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


def kind_label(code: str, lang: str = "da") -> str:
    """The kind with a capital first letter, for headings and legends."""
    text = label(KINDS, code, lang)
    return text[:1].upper() + text[1:]


def dimension(dim: str, lang: str = "da") -> str:
    return t(f"dim_{dim}", lang)
