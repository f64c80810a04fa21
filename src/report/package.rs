//! Views over a package of interventions (DESIGN.md §1.10): every view
//! shows each arm and the package total.
//!
//! The text table, Markdown and HTML views share one document: the arms
//! side by side with the total, the total's result, split by payer and
//! yearly flows, each arm's net per year, then each arm's assumptions and
//! consequence lines as a single case shows them, what the arms share, and
//! the evidence over all lines. JSON is [`super::json::render_package`]; the
//! CSV has one row per arm and year and then the total's years; the report
//! ([`html`], [`markdown_report`]) adds the question, the answer, the
//! total's charts and the sources of every arm's figures.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;

use super::chart::{self, ChartKind};
use super::document::{Block, Section, Style, build};
use super::{Format, Lang, exact, narrative};
use crate::KnowledgeBase;
use crate::business_case::Split;
use crate::package::PackageCase;

/// Renders a package in a format and a language, as
/// [`super::render_in`] renders one case.
///
/// ```
/// use som::report::{package, Format, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let input = som::package::Package::from_file("examples/package/homeless-60.json").unwrap();
/// let case = som::package::evaluate(&input, kb).unwrap();
/// let text = package::render_in(&case, Format::Table, Lang::Da, Some(kb));
/// assert!(text.contains("Indsatser i pakken"));
/// ```
pub fn render_in(
    package: &PackageCase,
    format: Format,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
) -> String {
    match format {
        Format::Table => {
            let (title, sections) = document(package, lang, kb, Style::Text);
            super::table::sections_text(&title, sections)
        }
        Format::Json => super::json::render_package(package),
        Format::Csv => match lang {
            Lang::En => csv(package),
            Lang::Da => csv_danish(package, kb),
        },
        Format::Markdown => {
            let (title, sections) = document(package, lang, kb, Style::Text);
            super::markdown::sections_markdown(&title, &sections)
        }
    }
}

/// The title and sections of a package's report.
pub(crate) fn document(
    package: &PackageCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    style: Style,
) -> (String, Vec<Section>) {
    let (title, sections, _) = document_with_head(package, lang, kb, style);
    (title, sections)
}

/// [`document`], and how many of its sections come before the report's
/// charts: the arms, the total's result and split by payer, and, when the
/// total has them, the kommune by committee and the financing.
fn document_with_head(
    package: &PackageCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    style: Style,
) -> (String, Vec<Section>, usize) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let total = &package.total;
    let extended = kb.map(|kb| kb.with_local(&total.context));
    let kb = extended.as_deref();
    let unit = match style {
        Style::Text => "kr.",
        Style::Report => lang.pick("DKK", "kr."),
    };
    let title = match lang {
        Lang::En => format!(
            "Business case: {} (a package of {} interventions)",
            package.name,
            package.arms.len()
        ),
        Lang::Da => format!(
            "Business case: {} (en pakke med {} indsatser)",
            package.name,
            package.arms.len()
        ),
    };
    let mut sections = vec![arms_section(package, lang, kb, unit)];

    let whole = build(total, lang, kb, style);
    let beside = |heading: String| match lang {
        Lang::En => format!("{heading} (package total)"),
        Lang::Da => format!("{heading} (pakken i alt)"),
    };
    // The total has no break-even success rate: the arms' rates differ.
    let mut result = whole.result;
    if let Block::Facts(facts) = &mut result.block {
        let name = l("Break-even net success rate", "Break-even netto-succesrate");
        for (label, value) in facts.iter_mut() {
            if *label == name {
                *value = l(
                    "per arm only (the arms have their own rates)",
                    "kun pr. indsats (indsatserne har hver sin rate)",
                );
            }
        }
    }
    sections.push(Section {
        heading: beside(result.heading),
        block: result.block,
    });
    sections.push(Section {
        heading: beside(whole.by_payer.heading),
        block: whole.by_payer.block,
    });
    // The kommune by committee and the grants: the package's, on the total.
    for s in whole.by_committee.into_iter().chain(whole.financing) {
        sections.push(Section {
            heading: beside(s.heading),
            block: s.block,
        });
    }
    let head = sections.len();
    sections.push(Section {
        heading: beside(whole.yearly.heading),
        block: whole.yearly.block,
    });
    sections.push(net_by_arm(package, lang, unit));

    for arm in &package.arms {
        let one = build(arm, lang, kb, style);
        let mut assumptions = one.assumptions;
        if let Block::Facts(facts) = &mut assumptions.block {
            // What the arms share is listed once, after them.
            let shared = [
                l("Horizon", "Tidshorisont"),
                l("Prices", "Priser"),
                l("Discounting", "Diskontering"),
                l(
                    "Local services (defined in the scenario)",
                    "Lokale ydelser (defineret i scenariet)",
                ),
                l("Knowledge base", "Vidensgrundlag"),
            ];
            facts.retain(|(label, _)| !shared.contains(label));
            facts.extend(arm_result(arm, lang, unit));
        }
        sections.push(Section {
            heading: format!("{}: {}", arm.scenario, assumptions.heading),
            block: assumptions.block,
        });
        sections.push(Section {
            heading: format!("{}: {}", arm.scenario, one.lines.heading),
            block: one.lines.block,
        });
    }
    sections.push(shared(package, lang, kb));
    sections.push(Section {
        heading: beside(whole.evidence.heading),
        block: whole.evidence.block,
    });
    (title, sections, head)
}

/// An arm's own result, after its assumptions.
fn arm_result(arm: &crate::BusinessCase, lang: Lang, unit: &str) -> Vec<(String, String)> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let s = &arm.summary;
    vec![
        (
            l("Net present value (NPV)", "Nettonutidsværdi (NNV)"),
            format!("{} {unit}", lang.kroner(s.npv.total)),
        ),
        (
            l("Break-even net success rate", "Break-even netto-succesrate"),
            s.break_even_success_rate
                .map_or_else(|| lang.not_applicable().to_owned(), |d| lang.percent(d)),
        ),
    ]
}

/// The arms side by side, and the total under them.
fn arms_section(
    package: &PackageCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    unit: &str,
) -> Section {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let headers = vec![
        l("Intervention", "Indsats"),
        l("Target group", "Målgruppe"),
        l("Participants", "Deltagere"),
        l("Successes", "Succeser"),
        format!("{} ({unit})", l("PV of costs", "NV omkostninger")),
        format!("{} ({unit})", l("PV of gains", "NV gevinster")),
        format!("{} ({unit})", l("NPV", "NNV")),
        l("Benefit-cost ratio", "Gevinst-omk.-forhold"),
        l("Break-even year", "Break-even-år"),
        l("Break-even net success rate", "Break-even netto-succesrate"),
    ];
    let row = |name: String, group: String, case: &crate::BusinessCase, rate: String| {
        let s = &case.summary;
        vec![
            name,
            group,
            lang.fixed(Some(s.participants), 0),
            lang.fixed(Some(s.successes), 2),
            lang.kroner(s.pv_costs.total),
            lang.kroner(s.pv_gains.total),
            lang.kroner(s.npv.total),
            lang.fixed(s.benefit_cost_ratio, 2),
            s.break_even_year
                .map_or_else(|| "-".to_owned(), |y| y.to_string()),
            rate,
        ]
    };
    let mut rows: Vec<Vec<String>> = package
        .arms
        .iter()
        .map(|arm| {
            row(
                arm.scenario.clone(),
                lang.target_group(arm, kb),
                arm,
                arm.summary
                    .break_even_success_rate
                    .map_or_else(|| lang.not_applicable().to_owned(), |d| lang.percent(d)),
            )
        })
        .collect();
    rows.push(row(
        l("Total", "I alt"),
        String::new(),
        &package.total,
        lang.not_applicable().to_owned(),
    ));
    Section {
        heading: l("Interventions in the package", "Indsatser i pakken"),
        block: Block::Table(headers, rows),
    }
}

/// Each arm's net per year (all payers), and the total's.
fn net_by_arm(package: &PackageCase, lang: Lang, unit: &str) -> Section {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let mut headers = vec![l("Year", "År")];
    headers.extend(package.arms.iter().map(|a| a.scenario.clone()));
    headers.push(l("Total", "I alt"));
    let rows =
        package
            .total
            .years
            .iter()
            .map(|y| {
                let mut row = vec![y.year.to_string()];
                row.extend(package.arms.iter().map(|a| {
                    lang.kroner(a.years.get(y.t).map_or(Decimal::ZERO, |ay| ay.net.total))
                }));
                row.push(lang.kroner(y.net.total));
                row
            })
            .collect();
    Section {
        heading: match lang {
            Lang::En => format!("Net per year by intervention ({unit}, undiscounted)"),
            Lang::Da => format!("Netto pr. år fordelt på indsats ({unit}, udiskonteret)"),
        },
        block: Block::Table(headers, rows),
    }
}

/// What the arms share: horizon, prices, discounting, local services, the
/// knowledge base.
fn shared(package: &PackageCase, lang: Lang, kb: Option<&KnowledgeBase>) -> Section {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let total = &package.total;
    let ctx = &total.context;
    let last_year = total.start_year + total.horizon_years as i32 - 1;
    let mut facts = vec![
        (
            l("Horizon", "Tidshorisont"),
            format!(
                "{} {}, {}-{}",
                total.horizon_years,
                l("years", "år"),
                total.start_year,
                last_year
            ),
        ),
        (
            l("Prices", "Priser"),
            match lang {
                Lang::En => format!("{} prices, DKK", total.price_year),
                Lang::Da => format!("{}-priser, kr.", total.price_year),
            },
        ),
        (
            l("Discounting", "Diskontering"),
            lang.discounting(total, kb),
        ),
        (
            l("Participants", "Deltagere"),
            format!(
                "{} {}; {} {}",
                lang.fixed(Some(total.summary.participants), 0),
                l("in total", "i alt"),
                l("successes", "succeser"),
                lang.fixed(Some(total.summary.successes), 2)
            ),
        ),
        (
            l("Total", "I alt"),
            l(
                "flows and present values are the sums of the interventions'; ratios and the break-even year are computed from the sums",
                "strømme og nutidsværdier er summen af indsatsernes; forhold og break-even-år er beregnet af summerne",
            ),
        ),
    ];
    if let Some(text) = lang.local_services(total) {
        facts.push((
            l(
                "Local services (defined in the scenario)",
                "Lokale ydelser (defineret i scenariet)",
            ),
            text,
        ));
    }
    facts.push((
        l("Knowledge base", "Vidensgrundlag"),
        format!(
            "version {}, sha256 {}",
            ctx.knowledge_base_version, ctx.knowledge_base_hash
        ),
    ));
    Section {
        heading: l("Shared by the interventions", "Fælles for indsatserne"),
        block: Block::Facts(facts),
    }
}

const FLOWS: [&str; 5] = [
    "costs",
    "gains",
    "net",
    "net_discounted",
    "cumulative_net_discounted",
];

fn flows(y: &crate::YearFlows) -> [&Split; 5] {
    [
        &y.costs,
        &y.gains,
        &y.net,
        &y.net_discounted,
        &y.cumulative_net_discounted,
    ]
}

/// Each arm's gains by area over the package's areas (zero where the arm
/// has no line in an area).
fn areas_of(case: &crate::BusinessCase, areas: &[Arc<str>], t: usize) -> Vec<Decimal> {
    areas
        .iter()
        .map(|area| {
            case.areas
                .iter()
                .position(|a| a == area)
                .and_then(|i| case.years.get(t)?.gains_by_area.get(i).copied())
                .unwrap_or(Decimal::ZERO)
        })
        .collect()
}

/// Year t's committee and financing cells of `case` under the total's
/// columns ([`super::csv::kommune_headers`]): the total's own; an arm's
/// gains and costs in each of the total's committees (zero where the arm
/// has none), and empty financing cells, since the package's grants finance
/// the total, not an arm.
fn kommune_cells(
    package: &PackageCase,
    case: &crate::BusinessCase,
    t: usize,
    cell: impl Fn(Decimal) -> String,
) -> Vec<String> {
    let total = &package.total;
    if std::ptr::eq(case, total) {
        return super::csv::kommune_cells(total, t, cell);
    }
    let mut cells = Vec::new();
    for c in &total.committees {
        let own = case.committees.iter().find(|a| a.committee == c.committee);
        let at = |v: fn(&crate::business_case::CommitteeResult) -> &Vec<Decimal>| {
            own.and_then(|o| v(o).get(t).copied()).unwrap_or_default()
        };
        cells.push(cell(at(|o| &o.gains)));
        cells.push(cell(at(|o| &o.costs)));
        if total.financing.is_some() {
            cells.push(String::new());
        }
    }
    if total.financing.is_some() {
        cells.extend(std::iter::repeat_n(String::new(), 8));
    }
    cells
}

/// Rows of every arm's years, then the total's: `arm` names the arm, or is
/// `total`.
fn rows(package: &PackageCase) -> impl Iterator<Item = (&str, &crate::BusinessCase)> {
    package
        .arms
        .iter()
        .map(|a| (a.scenario.as_str(), a))
        .chain(std::iter::once(("total", &package.total)))
}

/// The English CSV: columns `arm`, then those of a single case's CSV
/// (without its lines' gains, which differ between arms), one row per arm
/// and year, then the total's years with `arm` = `total`.
fn csv(package: &PackageCase) -> String {
    let areas = &package.total.areas;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec![
        "arm".into(),
        "t".into(),
        "year".into(),
        "discount_factor".into(),
    ];
    for flow in FLOWS {
        header.extend(["kommune", "region", "stat", "total"].map(|p| format!("{flow}_{p}")));
    }
    header.extend(areas.iter().map(|a| format!("gains_area_{a}")));
    header.extend(super::csv::kommune_headers(&package.total, Lang::En));
    let _ = w.write_record(&header);
    for (name, case) in rows(package) {
        for y in &case.years {
            let mut row = vec![
                name.to_owned(),
                y.t.to_string(),
                y.year.to_string(),
                exact(y.discount_factor),
            ];
            for s in flows(y) {
                row.extend([s.kommune, s.region, s.stat, s.total].map(exact));
            }
            row.extend(areas_of(case, areas, y.t).into_iter().map(exact));
            row.extend(kommune_cells(package, case, y.t, exact));
            // Writing to a Vec cannot fail.
            let _ = w.write_record(&row);
        }
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The Danish CSV: as a single case's, for a spreadsheet with Danish
/// settings; the key figures per intervention and in total, then the years
/// with a first column naming the intervention.
fn csv_danish(package: &PackageCase, kb: Option<&KnowledgeBase>) -> String {
    let lang = Lang::Da;
    let ore = |d: Decimal| super::csv::comma(d, 2);
    let mut out: Vec<Vec<String>> = vec![
        ["Nøgletal", "Indsats", "kommune", "region", "stat", "i alt"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (name, case) in rows(package) {
        let name = if name == "total" { "I alt" } else { name };
        let s = &case.summary;
        for (label, v) in [
            ("Nutidsværdi af omkostninger (kr.)", &s.pv_costs),
            ("Nutidsværdi af gevinster (kr.)", &s.pv_gains),
            ("Nettonutidsværdi (kr.)", &s.npv),
        ] {
            out.push(vec![
                label.to_owned(),
                name.to_owned(),
                ore(v.kommune),
                ore(v.region),
                ore(v.stat),
                ore(v.total),
            ]);
        }
        let single = |label: &str, v: String| {
            vec![
                label.to_owned(),
                name.to_owned(),
                String::new(),
                String::new(),
                String::new(),
                v,
            ]
        };
        out.push(single(
            "Gevinst-omkostningsforhold",
            s.benefit_cost_ratio
                .map_or_else(String::new, |d| super::csv::comma(d, 4)),
        ));
        out.push(single(
            "Break-even-år",
            s.break_even_year
                .map_or_else(String::new, |y| y.to_string()),
        ));
        out.push(single("Deltagere", super::csv::comma(s.participants, 2)));
        out.push(single(
            "Succeser (netto)",
            super::csv::comma(s.successes, 2),
        ));
    }
    let summary = super::csv::semicolons(out);

    let areas = &package.total.areas;
    let mut header = vec![
        "Indsats".to_owned(),
        "År".to_owned(),
        "t".to_owned(),
        "Diskonteringsfaktor".to_owned(),
    ];
    for flow in [
        "Omkostninger",
        "Gevinster",
        "Netto",
        "Diskonteret netto",
        "Akkumuleret diskonteret netto",
    ] {
        for part in ["kommune", "region", "stat", "i alt"] {
            header.push(format!("{flow}, {part} (kr.)"));
        }
    }
    header.extend(
        areas
            .iter()
            .map(|a| format!("Gevinster, {} (kr.)", lang.area_name(a, kb))),
    );
    header.extend(super::csv::kommune_headers(&package.total, lang));
    let mut years = vec![header];
    for (name, case) in rows(package) {
        let name = if name == "total" { "I alt" } else { name };
        for y in &case.years {
            let mut row = vec![
                name.to_owned(),
                y.year.to_string(),
                y.t.to_string(),
                super::csv::comma(y.discount_factor, 6),
            ];
            for s in flows(y) {
                row.extend([s.kommune, s.region, s.stat, s.total].map(ore));
            }
            row.extend(areas_of(case, areas, y.t).into_iter().map(ore));
            row.extend(kommune_cells(package, case, y.t, ore));
            years.push(row);
        }
    }
    format!("{summary}\n{}", super::csv::semicolons(years))
}

/// The package as one self-contained printable HTML page in a language, as
/// [`super::html::render`] writes one case: the question, the answer for
/// the total, the arms side by side, the total's charts and tables, each
/// arm's assumptions and lines, and the sources of every arm's figures.
///
/// ```
/// use som::report::{package, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let input = som::package::Package::from_file("examples/package/homeless-60.json").unwrap();
/// let case = som::package::evaluate(&input, kb).unwrap();
/// let page = package::html(&case, Lang::Da, kb);
/// assert!(page.contains("<html lang=\"da\">"));
/// assert!(page.contains(&Lang::Da.money(case.total.summary.npv.total)));
/// ```
pub fn html(package: &PackageCase, lang: Lang, kb: &KnowledgeBase) -> String {
    use super::html::{STYLE, escape, section, sources_section};
    use std::fmt::Write;
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let total = &package.total;
    let extended = kb.with_local(&total.context);
    let kb = &*extended;
    let (title, sections, head) = document_with_head(package, lang, Some(kb), Style::Report);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        lang.id(),
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<section class=\"question\"><h2>{}</h2><p>{}</p></section>",
        l("The question", "Spørgsmålet"),
        escape(&narrative::package_question(package, lang, kb))
    );
    let _ = write!(
        out,
        "<section class=\"answer\"><h2>{}</h2><div class=\"answer\"><p class=\"sentence\">{}</p>\
         <p class=\"by-payer\">{}</p>",
        l("The answer", "Svaret"),
        escape(&narrative::package_sentence(total, lang)),
        escape(&narrative::by_payer(total, lang))
    );
    if let Some(warning) = narrative::weak_evidence(total, lang) {
        let _ = write!(out, "<p class=\"weak-evidence\">{}</p>", escape(&warning));
    }
    out.push_str("</div></section>\n");
    let mut sections = sections.into_iter();
    // The arms, the total's result, its split by payer, by committee and
    // its financing; then the charts.
    for s in sections.by_ref().take(head) {
        section(&mut out, &s);
    }
    let _ = writeln!(
        out,
        "<section class=\"charts\"><h2>{}</h2>",
        l("Charts (package total)", "Figurer (pakken i alt)")
    );
    for kind in [ChartKind::Cumulative, ChartKind::Flows] {
        let _ = writeln!(out, "<figure>{}</figure>", chart::render(total, kind, lang));
    }
    out.push_str("</section>\n");
    for s in sections {
        section(&mut out, &s);
    }
    sources_section(
        &mut out,
        &narrative::package_sources(package, lang, kb),
        lang,
    );
    let _ = writeln!(
        out,
        "<footer>{} som {} · {} {} (sha256 {}).</footer>",
        l("Computed exactly with", "Beregnet eksakt med"),
        env!("CARGO_PKG_VERSION"),
        l("Knowledge base version", "Vidensgrundlag version"),
        escape(&total.context.knowledge_base_version),
        escape(&total.context.knowledge_base_hash)
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The package as a Markdown report, its charts linked as `charts` names
/// them (see [`write_markdown_report`]).
pub fn markdown_report(
    package: &PackageCase,
    lang: Lang,
    kb: &KnowledgeBase,
    charts: &[(ChartKind, String)],
) -> String {
    use super::markdown::{escape, push_section, sources_section};
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let total = &package.total;
    let extended = kb.with_local(&total.context);
    let kb = &*extended;
    let (title, sections, head) = document_with_head(package, lang, Some(kb), Style::Report);
    let mut out = format!("# {}\n", escape(&title));
    out.push_str(&format!(
        "\n## {}\n\n{}\n",
        l("The question", "Spørgsmålet"),
        narrative::package_question(package, lang, kb)
    ));
    out.push_str(&format!(
        "\n## {}\n\n> {}\n>\n> {}\n",
        l("The answer", "Svaret"),
        narrative::package_sentence(total, lang),
        narrative::by_payer(total, lang)
    ));
    if let Some(warning) = narrative::weak_evidence(total, lang) {
        out.push_str(&format!(">\n> **{warning}**\n"));
    }
    let mut sections = sections.into_iter();
    for s in sections.by_ref().take(head) {
        push_section(&mut out, &s);
    }
    if !charts.is_empty() {
        out.push_str(&format!(
            "\n## {}\n\n",
            l("Charts (package total)", "Figurer (pakken i alt)")
        ));
        for (kind, path) in charts {
            let alt = match kind {
                ChartKind::Cumulative => {
                    l("Cumulative discounted net", "Akkumuleret diskonteret netto")
                }
                ChartKind::Flows => l(
                    "Costs and gains per year by payer",
                    "Omkostninger og gevinster pr. år fordelt på betaler",
                ),
            };
            out.push_str(&format!("![{alt}]({path})\n\n"));
        }
        out.pop();
    }
    for s in sections {
        push_section(&mut out, &s);
    }
    sources_section(
        &mut out,
        &narrative::package_sources(package, lang, kb),
        lang,
    );
    out.push_str(&format!(
        "\n---\n\n{} som {} · {} {} (sha256 {}).\n",
        l("Computed exactly with", "Beregnet eksakt med"),
        env!("CARGO_PKG_VERSION"),
        l("Knowledge base version", "Vidensgrundlag version"),
        total.context.knowledge_base_version,
        total.context.knowledge_base_hash
    ));
    out
}

/// Writes the Markdown report to `path` and the total's two charts beside
/// it as `<stem>-cumulative.svg` and `<stem>-flows.svg`. Returns the files
/// written.
pub fn write_markdown_report(
    package: &PackageCase,
    lang: Lang,
    kb: &KnowledgeBase,
    path: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    let stem = path
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let mut charts = Vec::new();
    let mut written = Vec::new();
    for (kind, suffix) in [
        (ChartKind::Cumulative, "cumulative"),
        (ChartKind::Flows, "flows"),
    ] {
        let name = format!("{stem}-{suffix}.svg");
        let chart_path = path.with_file_name(&name);
        std::fs::write(&chart_path, chart::render(&package.total, kind, lang))?;
        written.push(chart_path);
        charts.push((kind, name));
    }
    std::fs::write(path, markdown_report(package, lang, kb, &charts))?;
    written.insert(0, path.to_owned());
    Ok(written)
}
