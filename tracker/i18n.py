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
    # sign-in
    "sign_in": ("Log ind", "Sign in"),
    "sign_in_sso": ("Log ind med regionens login", "Sign in with your region's login"),
    "sign_out": ("Log ud", "Sign out"),
    "user_name": ("Brugernavn", "User name"),
    "password": ("Adgangskode", "Password"),
    "sign_in_failed": ("Forkert brugernavn eller adgangskode.", "Wrong user name or password."),
    "sign_in_wait": ("For mange forsøg: prøv igen om {seconds} sekunder.", "Too many attempts: try again in {seconds} seconds."),
    "sso_unknown": ("{name} er ikke bruger af tracker. Kontakt en administrator.", "{name} is not a tracker user. Ask an administrator."),
    "signed_in_as": ("Logget ind som {name} ({role})", "Signed in as {name} ({role})"),
    "single_admin_banner": (
        "Der er endnu ingen brugere, så appen kører som den eneste lokale administrator. "
        "Opret brugere med `tracker user add`; derefter kræver appen login.",
        "There are no users yet, so the app runs as the single local administrator. "
        "Add users with `tracker user add`; after that the app requires sign-in.",
    ),
    "not_allowed": ("Din rolle giver ikke adgang til denne side.", "Your role does not give access to this page."),
    # sidebar filters
    "filters": ("Filtre", "Filters"),
    "years": ("År", "Years"),
    "agreements": ("Aftaler", "Agreements"),
    "all_agreements": ("Alle aftaler", "All agreements"),
    "n_chosen": ("{what}: {n} valgt", "{what}: {n} chosen"),
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
    "chart_others": ("Øvrige ({n})", "Others ({n})"),
    "chart_folded": (
        "diagrammet viser de {keep} største hver for sig og de øvrige {n} samlet; tabellen viser dem alle",
        "the chart shows the {keep} largest one by one and the other {n} together; the table shows them all",
    ),
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
    "basis_as_stated": ("landsdækkende, som oplyst i kilderne", "national, as stated by the sources"),
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
    "cell_sources": (
        "Kilderne bag feltet {year} · {region} ({basis}) under År × region på siden Fordeling: {kind}, {amount}.",
        "The sources behind the cell {year} · {region} ({basis}) under Year × region on the Breakdown page: {kind}, {amount}.",
    ),
    "cell_gone": (
        "Feltet, linket kom fra, findes ikke med de valgte filtre. Alle kilder vises.",
        "The cell the link came from does not exist with the chosen filters. All sources are shown.",
    ),
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
    # Forhandling: the negotiators' workspace
    "page_negotiation": ("Forhandling", "Negotiation"),
    "neg_caption": (
        "Til økonomiforhandlingerne, {period}: rammernes rest, midler der udløber, udgifter uden "
        "finansiering (kompensationskrav), forslag og scenarier, og en brief at sende videre.",
        "For the economic negotiations, {period}: what is left of the frames, money that runs out, "
        "costs with no funding (compensation claims), proposals and scenarios, and a brief to send on.",
    ),
    "price_level": ("Prisniveau", "Price level"),
    "price_level_as_given": ("Som i kilderne", "As in the sources"),
    "price_level_year": ("i {year}-pl", "in {year} prices"),
    "price_level_help": (
        "Beløb omregnes med pris- og lønindekset (se briefens ark Kilder). Linjer uden prisniveau "
        "omregnes ikke; de vises som angivet og markeres.",
        "Amounts are converted with the price and wage index (see the brief's Kilder sheet). Lines "
        "with no price level are not converted; they are shown as given and marked.",
    ),
    "not_converted_note": (
        "{n} linje(r) har intet prisniveau og er vist som angivet, ikke omregnet til {year}-pl "
        "(markeret «ikke omregnet»).",
        "{n} line(s) have no price level and are shown as given, not converted to {year} prices "
        "(marked “not converted”).",
    ),
    "not_converted": ("ikke omregnet", "not converted"),
    "col_price_level": ("Prisniveau", "Price level"),
    "tab_summary": ("Nøgletal", "Key figures"),
    "tab_frames": ("Rammer", "Frames"),
    "tab_expiring": ("Udløber", "Expiring"),
    "tab_unfunded": ("Ufinansieret", "Unfunded"),
    "tab_scenarios": ("Forslag og scenarier", "Proposals and scenarios"),
    "tab_brief": ("Brief", "Brief"),
    "m_decided": ("Besluttet (bevillinger)", "Decided (appropriations)"),
    "m_not_drawn": ("Heraf ikke udmøntet i rammer", "Of which not drawn in frames"),
    "m_expired": ("Udløbne midler (bortfaldet årligt)", "Expired money (fallen away, yearly)"),
    "m_unfunded": ("Ufinansieret (kompensationskrav)", "Unfunded (compensation claims)"),
    "m_proposed": ("Forslag på bordet", "Proposals on the table"),
    "m_expected": ("Forventede midler", "Expected money"),
    "m_frame": ("Ramme", "Frame"),
    "m_drawn": ("Udmøntet (underinitiativer)", "Drawn (sub-initiatives)"),
    "m_remaining": ("Rest (ikke udmøntet)", "Remaining (not drawn)"),
    "m_pending": ("Forventet eller foreslået", "Expected or proposed"),
    "m_remaining_after_pending": ("Rest efter forslag", "Remaining after proposals"),
    "m_estimate": ("Skøn", "Estimate"),
    "m_funded": ("Heraf finansieret", "Of which funded"),
    "m_unfunded_row": ("Ufinansieret", "Unfunded"),
    "col_frame": ("Ramme", "Frame"),
    "col_item": ("Post", "Item"),
    "col_last_year": ("Sidste år", "Last year"),
    "col_falls_away": ("Bortfalder fra", "Falls away from"),
    "col_yearly": ("Årligt beløb", "Yearly amount"),
    "col_effect": ("Virkning", "Effect"),
    "col_ledger": ("Ledger", "Ledger"),
    "col_scenario": ("Scenarie", "Scenario"),
    "col_side": ("Grundlag", "Basis"),
    "summary_caption": (
        "Besluttet: bevillinger, hvor underinitiativer ('heraf') ikke tælles to gange. Forslag og "
        "forventede midler er ikke besluttede og vises for sig.",
        "Decided: appropriations, sub-initiatives ('of which') never counted twice. Proposals and "
        "expected money are not decided and are shown apart.",
    ),
    "frames_caption": (
        "For hver ramme og hvert år: rammen, hvad underinitiativerne trækker, og resten. Forventede "
        "beløb og forslag mod rammen trækkes ikke fra, men vises med resten efter dem.",
        "For each frame and year: the frame, what its sub-initiatives draw and what remains. Expected "
        "money and proposals against the frame are not subtracted, but shown with the rest after them.",
    ),
    "expiring_caption": (
        "Midler, der ophører i perioden, med det årlige beløb, der bortfalder. Varige midler udløber aldrig.",
        "Money that ends within the period, with the yearly amount that falls away. Permanent money never expires.",
    ),
    "unfunded_caption": (
        "Skønnede udgifter uden en bevilling til samme initiativ og år: de kompensationskrav, der skal rejses.",
        "Estimated costs with no appropriation for the same initiative and year: the compensation claims to raise.",
    ),
    "claims_total": ("Kompensationskrav i alt", "Compensation claims, total"),
    "expired_total": ("Bortfalder i alt, årligt", "Falls away in all, yearly"),
    "no_frames": ("Ingen rammer med bevillinger i perioden.", "No frames with appropriations in the period."),
    "no_expiring": ("Ingen midler udløber i perioden.", "No money runs out in the period."),
    "no_unfunded": ("Ingen ufinansierede skøn i perioden.", "No unfunded estimates in the period."),
    "scenario": ("Scenarie", "Scenario"),
    "no_scenario": ("Intet scenarie", "No scenario"),
    "scenario_help": (
        "Et scenarie er forslag og ændringer, der vises ved siden af ledgeren. Det ændrer aldrig ledgeren.",
        "A scenario is proposals and changes shown beside the ledger. It never changes the ledger.",
    ),
    "scenario_link": ("Link til scenariet", "Link to the scenario"),
    "scenario_made": ("Oprettet af {who}, {at}", "Made by {who}, {at}"),
    "scenario_effects": ("Hvad scenariet ændrer", "What the scenario changes"),
    "scenario_per_year": ("Ledger og scenarie pr. år", "Ledger and scenario per year"),
    "scenario_frames": ("Rammernes rest: ledger og scenarie", "Remainders of the frames: ledger and scenario"),
    "scenario_no_frames": ("Scenariet ændrer ikke rammernes rest.", "The scenario does not change the frames' remainders."),
    "scenario_broken": (
        "Scenariet «{name}» passer ikke længere til ledgeren og kan ikke vises:",
        "The scenario “{name}” no longer fits the ledger and cannot be shown:",
    ),
    "scenarios_saved": ("Gemte scenarier", "Saved scenarios"),
    "no_scenarios": ("Ingen gemte scenarier endnu.", "No saved scenarios yet."),
    "col_name": ("Navn", "Name"),
    "col_description": ("Beskrivelse", "Description"),
    "col_made_by": ("Oprettet af", "Made by"),
    "col_rows": ("Rækker", "Rows"),
    "proposals_heading": ("Forslag i ledgeren", "Proposals in the ledger"),
    "no_proposals": ("Ingen forslag i perioden.", "No proposals in the period."),
    "new_scenario": ("Nyt scenarie", "New scenario"),
    "scenario_name": ("Navn", "Name"),
    "scenario_description": ("Beskrivelse", "Description"),
    "adopt": ("Vedtag forslag (som bevilling)", "Adopt proposals (as appropriations)"),
    "adopt_help": (
        "Hvert valgt forslag bliver i scenariet en bevilling af samme beløb til samme initiativ og år.",
        "Each chosen proposal becomes, in the scenario, an appropriation of the same amount for the same "
        "initiative and year.",
    ),
    "upload_rows": ("Flere rækker: CSV eller XLSX i udvekslingsformatet", "More rows: CSV or XLSX in the interchange format"),
    "replace_scenario": ("Erstat et scenarie med samme navn", "Replace a scenario of the same name"),
    "save_scenario": ("Gem scenarie", "Save scenario"),
    "scenario_saved": ("Scenariet «{name}» er gemt. Ledgeren er uændret.", "The scenario “{name}” is saved. The ledger is unchanged."),
    "scenario_refused": ("Scenariet blev ikke gemt ({n} fejl):", "The scenario was not saved ({n} errors):"),
    "scenario_need_name": ("Giv scenariet et navn.", "Give the scenario a name."),
    "scenario_need_rows": ("Vælg forslag eller hent en fil med rækker.", "Choose proposals or upload a file of rows."),
    "brief_caption": (
        "Et regneark at sende videre (sammendrag, rammer, udløb, ufinansierede udgifter, forslag og "
        "scenarie, kilder) og en side at printe, i det valgte prisniveau og med det valgte scenarie.",
        "A workbook to send on (summary, frames, expiring money, unfunded costs, proposals and scenario, "
        "sources) and a page to print, in the chosen price level and with the chosen scenario.",
    ),
    "brief_confidential": ("Medtag fortrolige tal", "Include confidential figures"),
    "brief_confidential_help": (
        "Som standard indeholder briefen kun offentlige tal. Med fortrolige tal står der FORTROLIG på hvert ark.",
        "By default the brief holds public figures only. With confidential figures every sheet says FORTROLIG.",
    ),
    "download_brief": ("Brief (Excel)", "Brief (Excel)"),
    "download_summary": ("Sammendrag på én side (HTML)", "One-page summary (HTML)"),
    "neg_agreement_filter": (
        "Nøgletallene gælder hele ledgeren; tabellerne viser kun de valgte aftaler.",
        "The key figures cover the whole ledger; the tables show only the chosen agreements.",
    ),
    # finance staff: entering, import, history, as of (docs/finance.md)
    "page_entry": ("Indtastning", "Data entry"),
    "page_import": ("Import", "Import"),
    "page_history": ("Historik", "History"),
    "section_ledger": ("Ledgeren", "Ledger"),
    "as_of": ("Ledgeren pr. dato", "Ledger as of"),
    "as_of_help": (
        "Vis ledgeren, som den stod ved udgangen af en dag (dansk tid): alle sider, tal og downloads. "
        "Tom = som den er nu. Mens du ser fortiden, kan intet rettes.",
        "Show the ledger as it stood at the end of a day (Danish time): every page, figure and download. "
        "Empty = as it is now. While you look at the past, nothing can be changed.",
    ),
    "as_of_now": ("Vis ledgeren som nu", "Show the ledger as it is now"),
    "as_of_label": ("Ledgeren pr. {day}", "Ledger as of {day}"),
    "as_of_today": ("Ledgeren som nu", "The ledger as it is now"),
    "as_of_banner": (
        "Du ser ledgeren, som den stod ved udgangen af {day} (ændring nr. {version}). Senere ændringer er ikke med, "
        "og intet kan rettes, før du vælger datoen væk i sidepanelet.",
        "You are looking at the ledger as it stood at the end of {day} (change no. {version}). Later changes are "
        "left out, and nothing can be changed until you clear the date in the sidebar.",
    ),
    "past_no_writing": (
        "Du ser ledgeren på en tidligere dato. Der kan kun rettes i ledgeren, som den er nu: ryd datoen i sidepanelet.",
        "You are looking at the ledger on an earlier date. Only the ledger as it is now can be changed: clear the "
        "date in the sidebar.",
    ),
    "entry_caption": (
        "Indtast og ret aftaler, kilder, initiativer og deres linjer. Alt kontrolleres mod de samme regler som en "
        "import, og intet gemmes, før det hele er gyldigt. En rettelse eller fjernelse skal begrundes; ændringen "
        "kan altid ses i Historik.",
        "Enter and correct agreements, sources, initiatives and their lines. Everything is checked against the same "
        "rules as an import, and nothing is stored until all of it is valid. A correction or removal needs a reason; "
        "the change can always be seen in History.",
    ),
    "entry_what": ("Hvad vil du indtaste?", "What do you want to enter?"),
    "entry_linjer": ("Linjer", "Lines"),
    "entry_initiativ": ("Initiativ", "Initiative"),
    "entry_aftale": ("Aftale", "Agreement"),
    "entry_kilde": ("Kilde", "Source"),
    "lines_of": ("Linjer: {title}", "Lines: {title}"),
    "no_initiatives": ("Aftalen har ingen initiativer endnu. Opret et under Initiativ.",
                       "The agreement has no initiatives yet. Add one under Initiative."),
    "new_agreement": ("Ny aftale", "New agreement"),
    "edit_agreement": ("Ret aftalen", "Correct the agreement"),
    "new_initiative": ("Nyt initiativ", "New initiative"),
    "edit_initiative": ("Ret initiativet", "Correct the initiative"),
    "new_source": ("Ny kilde", "New source"),
    "edit_source": ("Ret kilden", "Correct the source"),
    "see_history": ("Se historikken for initiativet", "See the initiative's history"),
    "choose": ("Vælg", "Choose"),
    "no_parent": ("(ingen: en ramme for sig)", "(none: a frame of its own)"),
    "parent_help": (
        "Den ramme, initiativets penge trækkes fra, i samme eller en anden aftale.",
        "The frame the initiative's money is drawn from, in the same agreement or another one.",
    ),
    "id_placeholder": ("laves af titlen, hvis tom", "made from the title when empty"),
    "id_help": (
        "Små bogstaver, tal og bindestreg, fx kraeftplan-v. Kan ikke ændres bagefter.",
        "Lower-case letters, digits and hyphens, e.g. kraeftplan-v. Cannot be changed later.",
    ),
    "date_help": ("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, så præcist som kendt.", "YYYY, YYYY-MM or YYYY-MM-DD, as precise as known."),
    "reason": ("Begrundelse", "Reason"),
    "reason_help": (
        "Hvorfor? Skal udfyldes ved en rettelse eller fjernelse; står i journalen ved ændringen.",
        "Why? Required for a correction or removal; kept in the journal with the change.",
    ),
    "reason_placeholder": ("fx «Rettet efter ØA 2026, s. 12»", "e.g. “Corrected per ØA 2026, p. 12”"),
    "reason_required": (
        "Skriv en begrundelse: en rettelse eller fjernelse skal begrundes.",
        "Give a reason: a correction or removal must say why.",
    ),
    "save": ("Gem", "Save"),
    "save_lines": ("Gem linjerne", "Save the lines"),
    "saved": ("Gemt som ændring nr. {number}: {what}.", "Saved as change no. {number}: {what}."),
    "nothing_changed": ("Intet at gemme: der er ikke ændret noget.", "Nothing to save: nothing was changed."),
    "not_saved": ("Intet er gemt: {n} fejl skal rettes først.", "Nothing was saved: {n} error(s) to correct first."),
    "not_saved_reason": ("Intet er gemt: begrundelsen mangler.", "Nothing was saved: the reason is missing."),
    "errors_elsewhere": ("Ændringen bryder regler andre steder i ledgeren:", "The change breaks rules elsewhere in the ledger:"),
    "entry_gone": ("Rækken findes ikke længere i ledgeren; vælg igen.", "The row is no longer in the ledger; choose again."),
    "grid_errors": (
        "Intet er gemt: {n} række(r) har fejl (se kolonnen Fejl). Dine indtastninger står her stadig.",
        "Nothing was saved: {n} row(s) have errors (see the Error column). Your input is still here.",
    ),
    "grid_hint": (
        "Ret i cellerne, tilføj en række nederst, eller markér rækker og slet dem (en fjernet linje gemmes i "
        "historikken som en tilbageføring). Beløb i mio. kr. med komma eller punktum som decimaltegn.",
        "Edit the cells, add a row at the bottom, or select rows and delete them (a removed line is kept in the "
        "history as a reversal). Amounts in DKK million, with a comma or a point as the decimal mark.",
    ),
    "col_row": ("Nr.", "No."),
    "col_error": ("Fejl", "Error"),
    "col_amount_mio": ("Beløb (mio. kr.)", "Amount (DKK m)"),
    "amount_help": ("Fx 112,5 eller 1234,5; højst seks decimaler.", "E.g. 112.5 or 1234.5; at most six decimals."),
    "year_to_help": ("Et årstal, varigt, eller tomt = samme år.", "A year, permanent, or empty = the same year."),
    "conflict_heading": (
        "Intet er gemt: en anden har ændret det samme, efter du hentede det.",
        "Nothing was saved: someone else changed the same thing after you opened it.",
    ),
    "conflict_field": ("Felt", "Field"),
    "conflict_theirs": ("Deres værdi (nu i ledgeren)", "Their value (now in the ledger)"),
    "conflict_mine": ("Din værdi", "Your value"),
    "conflict_help": (
        "Dine indtastninger står her stadig. Vælg at gemme dine værdier oven på den andens ændring, "
        "eller at kassere dine og hente den nye version.",
        "Your input is still here. Choose to save your values over the other change, or to throw yours away and "
        "load the new version.",
    ),
    "conflict_keep": ("Behold mine værdier (gem derefter igen)", "Keep my values (then save again)"),
    "conflict_discard": ("Kassér mine ændringer og hent den nye version", "Discard my changes and load the new version"),
    "import_caption": (
        "Hent en CSV- eller XLSX-fil i udvekslingsformatet. Filen kontrolleres først mod alle regler: fejl vises "
        "med de rækkenumre, regnearket viser. Er filen gyldig, ser du nye, rettede og uændrede linjer, før du gemmer "
        "det hele på én gang. En import fjerner aldrig linjer.",
        "Upload a CSV or XLSX file in the interchange format. The file is first checked against every rule: errors "
        "are shown with the row numbers the spreadsheet shows. When the file is valid you see the new, corrected and "
        "unchanged lines before you store all of it at once. An import never removes lines.",
    ),
    "template_empty": ("Skabelon (tom)", "Template (empty)"),
    "template_help": (
        "Et regneark med kolonnerne og rullelister for region, art og klassifikation.",
        "A workbook with the columns and drop-down lists for region, kind and classification.",
    ),
    "template_lines": ("Skabelon med ledgerens linjer", "Template with the ledger's lines"),
    "template_lines_help": (
        "Skabelonen udfyldt med alle nuværende linjer: ret i den og hent den ind igen.",
        "The template filled with every current line: correct it and upload it again.",
    ),
    "import_file": ("Fil (CSV eller XLSX)", "File (CSV or XLSX)"),
    "import_file_help": ("Første ark i en XLSX-fil; række 1 er overskriften.", "The first sheet of an XLSX file; row 1 is the header."),
    "import_stage_read_ledger": ("Læser ledgeren …", "Reading the ledger …"),
    "import_stage_read_file": ("Læser filen …", "Reading the file …"),
    "import_stage_check": ("Kontrollerer alle regler og sammenligner med ledgeren …",
                           "Checking every rule and comparing with the ledger …"),
    "import_stage_done": ("Færdig", "Done"),
    "import_checked": ("{name}: {n} rækker læst og kontrolleret", "{name}: {n} rows read and checked"),
    "import_format_error": ("Filen kan ikke læses som udvekslingsformatet: {reason}",
                            "The file cannot be read as the interchange format: {reason}"),
    "import_errors": (
        "{name} har {n} fejl i {rows} række(r). Intet er gemt. Alle fejl står herunder med regnearkets rækkenumre.",
        "{name} has {n} error(s) in {rows} row(s). Nothing was stored. Every error is listed below with the "
        "spreadsheet's row numbers.",
    ),
    "import_errors_name": ("Fejl i importfilen", "Errors in the import file"),
    "import_fix_hint": ("Ret fejlene i filen og hent den igen.", "Correct the errors in the file and upload it again."),
    "import_new": ("Nye linjer", "New lines"),
    "import_changed": ("Rettede linjer", "Corrected lines"),
    "import_unchanged": ("Uændrede linjer", "Unchanged lines"),
    "import_also": ("Desuden: {what}.", "Also: {what}."),
    "import_nothing": ("Filen ændrer intet i ledgeren.", "The file changes nothing in the ledger."),
    "import_new_heading": ("Nye linjer", "New lines"),
    "import_before": ("Før", "Before"),
    "import_after": ("Efter", "After"),
    "import_changed_heading": ("Rettede linjer: før og efter", "Corrected lines: before and after"),
    "import_first": ("Viser de første {n} af {total}.", "Showing the first {n} of {total}."),
    "import_reason_help": (
        "Hvorfor? Skal udfyldes, når filen retter linjer; står i journalen ved importen.",
        "Why? Required when the file corrects lines; kept in the journal with the import.",
    ),
    "import_confirm": ("Gem {n} linje(r) i ledgeren", "Store {n} line(s) in the ledger"),
    "import_done": ("Importeret som ændring nr. {number}: {what}.", "Imported as change no. {number}: {what}."),
    "import_conflict_help": (
        "Filen er ikke gemt. Kontrollér den igen mod ledgeren, som den er nu, og se forskellen før du gemmer.",
        "The file was not stored. Check it again against the ledger as it is now, and see the difference before "
        "you store it.",
    ),
    "import_check_again": ("Kontrollér filen igen", "Check the file again"),
    "see_entry": ("Se ændring nr. {number} i historikken", "See change no. {number} in the history"),
    "see_overview": ("Se tallene i Overblik", "See the figures in the Overview"),
    "history_caption": (
        "Alle ændringer af ledgeren: hvem, hvornår, hvorfor, og værdierne før og efter. Intet slettes; en fjernet "
        "linje står som en tilbageføring.",
        "Every change to the ledger: who, when, why, and the values before and after. Nothing is deleted; a removed "
        "line shows as a reversal.",
    ),
    "history_what": ("Vis", "Show"),
    "history_journal": ("Journalen", "The journal"),
    "history_emne": ("En aftale, et initiativ eller en linje", "An agreement, initiative or line"),
    "from_day": ("Fra dag", "From day"),
    "to_day": ("Til dag", "To day"),
    "who": ("Hvem", "Who"),
    "everyone": ("Alle", "Everyone"),
    "actions": ("Handlinger", "Actions"),
    "all_actions": ("Alle handlinger", "All actions"),
    "reason_contains": ("Begrundelsen indeholder", "Reason contains"),
    "entries_shown": ("{n} af {total} ændringer.", "{n} of {total} entries."),
    "show_entry": ("Vis ændring", "Show entry"),
    "entry_option": ("Nr. {number}: {at}, {who}, {action}", "No. {number}: {at}, {who}, {action}"),
    "entry_heading": ("Ændring nr. {number}", "Change no. {number}"),
    "entry_facts": ("**{who}**, {at}, {action}. Begrundelse: {reason}", "**{who}**, {at}, {action}. Reason: {reason}"),
    "no_reason": ("(ingen)", "(none)"),
    "entry_no_rows": ("Ændringen rørte ingen tal (fx et login).", "The entry touched no figures (e.g. a sign-in)."),
    "entry_cut": ("Viser {limit} af {n} {what}.", "Showing {limit} of {n} {what}."),
    "whole_agreement": ("(hele aftalen)", "(the whole agreement)"),
    "line": ("Linje", "Line"),
    "all_lines": ("(alle linjer)", "(every line)"),
    "removed": ("fjernet", "removed"),
    "versions_caption": (
        "Hver version i sin kolonne, ældste først; ændrede værdier er markeret. En fjernet række står til sidst "
        "som en tilbageføring.",
        "Each version in its own column, oldest first; changed values are marked. A removed row ends with its "
        "reversal.",
    ),
    "initiative_heading": ("Initiativ: {title}", "Initiative: {title}"),
    "agreement_heading": ("Aftale: {title}", "Agreement: {title}"),
    "lines_history": ("Initiativets linjer: alle ændringer", "The initiative's lines: every change"),
    "agreement_events": ("Alle ændringer af aftalens initiativer og linjer",
                         "Every change to the agreement's initiatives and lines"),
    "no_events": ("Ingen ændringer.", "No changes."),
    # administrators: the price and wage index (docs/negotiators.md#price-levels)
    "page_price_index": ("Prisindeks", "Price index"),
    "pi_caption": (
        "Pris- og lønudviklingen pr. år, som Forhandling og briefen omregner prisniveauer med. Tilføj et år eller "
        "ret et års stigning; hvert tal skal have sin kilde, og journalen gemmer hvem, hvornår, hvorfor og værdien "
        "før. Kun administratorer ser denne side.",
        "The price and wage rise per year, with which Negotiation and the brief convert price levels. Add a year or "
        "correct a year's rise; every figure needs its source, and the journal keeps who, when, why and the value "
        "before. Only administrators see this page.",
    ),
    "pi_table": ("Indekset", "The index"),
    "pi_empty": ("Prisindekset er tomt.", "The price index is empty."),
    "pi_col_year": ("År", "Year"),
    "pi_col_rise": ("Stigning (%)", "Rise (%)"),
    "pi_col_source": ("Kilde", "Source"),
    "pi_col_note": ("Note", "Note"),
    "pi_form": ("Tilføj eller ret et år", "Add or correct a year"),
    "pi_year": ("År", "Year"),
    "pi_year_help": ("Et helt årstal mellem 2000 og 2100. Findes året, rettes dets stigning.",
                     "A whole year between 2000 and 2100. If the year is in the index, its rise is corrected."),
    "pi_rise": ("Stigning i procent", "Rise in per cent"),
    "pi_rise_help": ("Pris- og lønudviklingen i procent, med komma eller punktum som decimaltegn: 2,8 eller 2.8.",
                     "The price and wage rise in per cent, with a comma or a point as decimal mark: 2,8 or 2.8."),
    "pi_source": ("Kilde", "Source"),
    "pi_source_help": ("Hvor tallet kommer fra. Skal udfyldes.", "Where the figure comes from. Required."),
    "pi_source_placeholder": ("fx «Finansministeriet, ØA 2027»", "e.g. “Finansministeriet, ØA 2027”"),
    "pi_note": ("Note (begrundelse)", "Note (reason)"),
    "pi_note_help": (
        "Hvorfor tallet tilføjes eller rettes; skal udfyldes ved en rettelse. Gemmes ved tallet og står i journalen "
        "som ændringens begrundelse.",
        "Why the figure is added or corrected; required for a correction. Kept with the figure and in the journal "
        "as the change's reason.",
    ),
    "pi_note_placeholder": ("fx «Rettet efter ØA 2027, tabel 3»", "e.g. “Corrected per ØA 2027, table 3”"),
    "pi_save": ("Gem i prisindekset", "Save in the price index"),
    "pi_now": (
        "{year} står i indekset med {rise} % (kilde: {source}). Gemmer du, rettes tallet; journalen beholder "
        "værdien før.",
        "{year} is in the index with {rise} % (source: {source}). Saving corrects it; the journal keeps the value "
        "before.",
    ),
    "pi_new_year": ("{year} er ikke i indekset: året tilføjes.", "{year} is not in the index: the year is added."),
    "pi_year_missing": ("År: feltet er tomt. Skriv et helt årstal mellem 2000 og 2100.",
                        "Year: the field is empty. Give a whole year between 2000 and 2100."),
    "pi_year_not_number": ("År: «{value}» er ikke et årstal. Skriv et helt årstal mellem 2000 og 2100, fx 2026.",
                           "Year: “{value}” is not a year. Give a whole year between 2000 and 2100, e.g. 2026."),
    "pi_year_outside": ("År: {value} ligger uden for 2000–2100. Prisindekset tager kun år fra 2000 til og med 2100.",
                        "Year: {value} is outside 2000–2100. The price index only takes years from 2000 to 2100."),
    "pi_rise_missing": ("Stigning: feltet er tomt. Skriv stigningen i procent, fx 2,8.",
                        "Rise: the field is empty. Give the rise in per cent, e.g. 2,8."),
    "pi_rise_not_number": (
        "Stigning: «{value}» er ikke et tal. Skriv procenten med højst seks decimaler og komma som decimaltegn, "
        "fx 2,8.",
        "Rise: “{value}” is not a number. Give the per cent with at most six decimals, e.g. 2.8 or 2,8.",
    ),
    "pi_rise_too_low": ("Stigning: {value} % er for lavt. En stigning skal være over -100 %.",
                        "Rise: {value} % is too low. A rise must be above -100 %."),
    "pi_source_missing": (
        "Kilde: feltet er tomt. Hvert tal i prisindekset skal have sin kilde, fx «Finansministeriet, ØA 2027».",
        "Source: the field is empty. Every figure in the price index needs its source, e.g. "
        "“Finansministeriet, ØA 2027”.",
    ),
    "pi_note_missing": (
        "Note (begrundelse): feltet er tomt. {year} står allerede i indekset med {before} %; en rettelse skal "
        "have en begrundelse, fx «Rettet efter ØA 2027, tabel 3».",
        "Note (reason): the field is empty. {year} is in the index already with {before} %; a correction needs a "
        "reason, e.g. “Corrected per ØA 2027, table 3”.",
    ),
    "pi_unchanged": ("Intet at gemme: {year} står allerede med {rise} %, samme kilde og note.",
                     "Nothing to save: {year} already holds {rise} %, with the same source and note."),
    "pi_refused": ("Intet er gemt: {reason}", "Nothing was saved: {reason}"),
    "pi_saved_new": ("Gemt: {year} er tilføjet med {rise} % (kilde: {source}).",
                     "Saved: {year} was added with {rise} % (source: {source})."),
    "pi_saved_corrected": ("Gemt: {year} er rettet fra {before} % (kilde: {before_source}) til {rise} % (kilde: {source}).",
                           "Saved: {year} was corrected from {before} % (source: {before_source}) to {rise} % "
                           "(source: {source})."),
    "pi_changes": ("Ændringer af indekset", "Changes to the index"),
    "pi_changes_caption": (
        "Fra journalen, nyeste først: hvem, hvornår, værdien før og efter, og begrundelsen. Årene fra opstarten "
        "kommer fra seeds/price_index.csv.",
        "From the journal, newest first: who, when, the value before and after, and the reason. The years from the "
        "start come from seeds/price_index.csv.",
    ),
    "pi_no_changes": ("Indekset er ikke ændret siden opstarten.", "The index has not been changed since the start."),
    "pi_col_no": ("Nr.", "No."),
    "pi_col_at": ("Tidspunkt", "Time"),
    "pi_col_before": ("Før (%)", "Before (%)"),
    "pi_col_after": ("Efter (%)", "After (%)"),
    "pi_col_before_source": ("Kilde før", "Source before"),
    "pi_new": ("(nyt år)", "(new year)"),
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
