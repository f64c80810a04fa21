// Why this file is over 500 lines: it is the content shared by three views
// (table, Markdown, HTML): every section of a business case, in the order a
// reader meets it.

//! The content shared by the text table, the Markdown view and the HTML
//! report: a title and sections of key figures and tables, rounded for
//! display, labelled in a [`Lang`].

use super::Lang;
use crate::business_case::Split;
use crate::{BusinessCase, KnowledgeBase};

/// A section of a report.
pub(crate) enum Block {
    /// Label-value pairs.
    Facts(Vec<(String, String)>),
    /// A table: headers and rows; columns of numbers are right-aligned, others left-aligned.
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Which columns hold numbers (to be right-aligned): those whose every
/// cell is a number as the views print it ("1,234", "-5", "12.5 %", "n/a", "-").
pub(crate) fn numeric_columns(columns: usize, rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns)
        .map(|i| {
            rows.iter().all(|row| {
                row.get(i).is_some_and(|cell| {
                    cell == "n/a"
                        || cell == "-"
                        || (cell.chars().any(|c| c.is_ascii_digit())
                            && cell
                                .chars()
                                .all(|c| c.is_ascii_digit() || ",.- %".contains(c)))
                })
            })
        })
        .collect()
}

/// The width of each column: the longest cell in it, counted in characters.
pub(crate) fn column_widths<'a>(
    columns: usize,
    rows: impl IntoIterator<Item = &'a [String]>,
) -> Vec<usize> {
    let mut widths = vec![0; columns];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths
}

/// One line of an aligned text table: each cell laid out by `cell(column,
/// text, width)`, two spaces between columns, no trailing blanks.
pub(crate) fn aligned_line(
    cells: &[String],
    widths: &[usize],
    cell: impl Fn(usize, &str, usize) -> String,
) -> String {
    cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (c, w))| cell(i, c, *w))
        .collect::<Vec<_>>()
        .join("  ")
        .trim_end()
        .to_owned()
}

/// An aligned text table: the header, the rule under it and the rows, each
/// cell laid out by `cell(column, text, width)`.
pub(crate) fn push_table(
    out: &mut String,
    header: &[String],
    rows: &[Vec<String>],
    widths: &[usize],
    cell: impl Fn(usize, &str, usize) -> String,
) {
    out.push_str(&aligned_line(header, widths, &cell));
    out.push('\n');
    out.push_str(&rule(widths));
    out.push('\n');
    for row in rows {
        out.push_str(&aligned_line(row, widths, &cell));
        out.push('\n');
    }
}

/// The dashes under a text table's header.
pub(crate) fn rule(widths: &[usize]) -> String {
    widths
        .iter()
        .map(|w| "-".repeat(*w))
        .collect::<Vec<_>>()
        .join("  ")
}

/// The sensitivity section of a report: the tornado's bars as a table, and
/// the sentence that says how they were made (the chart goes beside it).
pub(crate) fn sensitivity(
    t: &crate::analysis::Tornado,
    lang: Lang,
    kb: Option<&crate::KnowledgeBase>,
) -> (Section, String) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let headers = strings(&[
        l("Input", "Forudsætning"),
        l("NPV at low end (DKK)", "Nutidsværdi ved lav (kr.)"),
        l("NPV at high end (DKK)", "Nutidsværdi ved høj (kr.)"),
        l("Swing (DKK)", "Udsving (kr.)"),
    ]);
    let rows = t
        .bars
        .iter()
        .map(|b| {
            let input = lang.sensitivity_input(&b.what, kb);
            vec![
                if b.is_cut() {
                    format!("{input} {}", super::sensitivity::CUT)
                } else {
                    input
                },
                lang.kroner(b.npv_low),
                lang.kroner(b.npv_high),
                lang.kroner(b.swing),
            ]
        })
        .collect();
    let mut intro = l(
        "Each input moved on its own, the others at their base values: consequence lines by the uncertainty of their evidence grade, every other input by the stated range.",
        "Hver forudsætning flyttet for sig, de øvrige på deres basisværdi: konsekvenslinjer med usikkerheden for deres evidensgrad, øvrige forudsætninger med det angivne interval.",
    )
    .to_owned();
    let cuts = super::sensitivity::cut_lines(t, lang, kb);
    if !cuts.is_empty() {
        intro.push(' ');
        intro.push_str(super::sensitivity::cut_heading(lang));
        intro.push(' ');
        intro.push_str(&cuts.join("; "));
        intro.push('.');
    }
    (
        Section {
            heading: l("Sensitivity", "Følsomhed").to_owned(),
            block: Block::Table(headers, rows),
        },
        intro,
    )
}

/// A headed section.
pub(crate) struct Section {
    pub heading: String,
    pub block: Block,
}

/// The title and sections of a business-case report.
pub(crate) struct Document {
    pub title: String,
    pub result: Section,
    pub by_payer: Section,
    /// The kommune's result by committee, when the knowledge base has committees.
    pub by_committee: Option<Section>,
    /// The grants, and each payer's result with them, when the scenario has any.
    pub financing: Vec<Section>,
    pub yearly: Section,
    pub lines: Section,
    pub assumptions: Section,
    pub evidence: Section,
}

impl Document {
    /// The sections in the order of the text and Markdown views.
    pub fn sections(self) -> Vec<Section> {
        let mut sections = vec![self.result, self.by_payer];
        sections.extend(self.by_committee);
        sections.extend(self.financing);
        sections.extend([self.yearly, self.lines, self.assumptions, self.evidence]);
        sections
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|h| (*h).to_owned()).collect()
}

/// The conventions of a view.
#[derive(Clone, Copy)]
pub(crate) enum Style {
    /// As the text and Markdown views always have been: amounts in "kr." in
    /// every language, areas by id in English.
    Text,
    /// The report's: amounts in the language's unit ("DKK" or "kr."), areas by name.
    Report,
}

/// The report's content in a language; names come from `kb` in that language
/// when it is given.
pub(crate) fn build(
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    style: Style,
) -> Document {
    let ctx = &case.context;
    // The scenario's local services are named and cited like the knowledge base's.
    let extended = kb.map(|kb| kb.with_local(ctx));
    let kb = extended.as_deref();
    let s = &case.summary;
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let unit = match style {
        Style::Text => "kr.",
        Style::Report => lang.pick("DKK", "kr."),
    };
    let kr = |d| format!("{} {unit}", lang.kroner(d));
    let payer_row = |label: String, s: &Split| {
        vec![
            label,
            lang.kroner(s.kommune),
            lang.kroner(s.region),
            lang.kroner(s.stat),
            lang.kroner(s.total),
        ]
    };
    let title = format!("Business case: {}", case.scenario);

    let last_year = case.start_year + case.horizon_years as i32 - 1;
    let mut effect = match (&ctx.effect.study, ctx.effect.value) {
        (Some(study), _) => format!("{} `{study}`", l("study", "studie")),
        (None, Some(v)) => format!("{} {}", lang.effect_kind(&ctx.effect.kind), v.normalize()),
        (None, None) => l("rates given in the scenario", "andele angivet i scenariet"),
    };
    if let Some(source) = &ctx.effect.source {
        // The citation ends in the source's year, or "n.d." (no date) when
        // it has none: "u.å." (uden år) in Danish.
        let source = match (lang, source.strip_suffix(" (n.d.)")) {
            (Lang::Da, Some(cited)) => format!("{cited} (u.å.)"),
            _ => source.clone(),
        };
        effect.push_str(&format!(" — {source}"));
    }
    let assumptions = vec![
        (
            l("Target group (målgruppe)", "Målgruppe"),
            format!("{} ({})", lang.target_group(case, kb), ctx.target_group),
        ),
        (
            l("Success measure (succesmål)", "Succesmål"),
            format!(
                "{} ({})",
                lang.success_measure(case, kb),
                ctx.success_measure
            ),
        ),
        (l("Effect", "Effekt"), effect),
        (
            l("Success rate", "Succesrate"),
            match lang {
                Lang::En => format!(
                    "{} with the intervention, {} without: net {}",
                    lang.percent(case.success_rate),
                    lang.percent(case.baseline_rate),
                    lang.percent(case.net_success_rate)
                ),
                Lang::Da => format!(
                    "{} med indsatsen, {} uden: netto {}",
                    lang.percent(case.success_rate),
                    lang.percent(case.baseline_rate),
                    lang.percent(case.net_success_rate)
                ),
            },
        ),
        (
            l("Completion rate", "Gennemførelsesrate"),
            lang.percent(case.completion_rate),
        ),
        (
            l("Participants", "Deltagere"),
            format!(
                "{} {}; {} {}",
                lang.fixed(Some(s.participants), 0),
                l("in total", "i alt"),
                l("successes", "succeser"),
                lang.fixed(Some(s.successes), 2)
            ),
        ),
        (
            l("Effect lag", "Effektforsinkelse"),
            format!(
                "{} {}",
                case.effect_lag_years,
                l("year(s) after entry", "år efter start")
            ),
        ),
        (
            l("Persistence", "Effektens varighed"),
            lang.persistence(case),
        ),
        (
            l("Horizon", "Tidshorisont"),
            format!(
                "{} {}, {}-{}",
                case.horizon_years,
                l("years", "år"),
                case.start_year,
                last_year
            ),
        ),
        (
            l("Prices", "Priser"),
            match lang {
                Lang::En => format!("{} prices, DKK", case.price_year),
                Lang::Da => format!("{}-priser, kr.", case.price_year),
            },
        ),
        (l("Discounting", "Diskontering"), lang.discounting(case, kb)),
    ];
    let mut assumptions = assumptions;
    if let Some(text) = lang.costs(case) {
        assumptions.push((l("Costs", "Omkostninger"), text));
    }
    if let Some(text) = lang.local_services(case) {
        assumptions.push((
            l(
                "Local services (defined in the scenario)",
                "Lokale ydelser (defineret i scenariet)",
            ),
            text,
        ));
    }
    if let Some(text) = lang.dated_splits(case) {
        assumptions.push((
            l("Refund rules by date", "Refusionsregler efter dato"),
            text,
        ));
    }
    assumptions.extend([(
        l("Knowledge base", "Vidensgrundlag"),
        format!(
            "version {}, sha256 {}",
            ctx.knowledge_base_version, &ctx.knowledge_base_hash
        ),
    )]);

    let break_even = s.break_even_year.map_or_else(
        || l("not within the horizon", "ikke inden for tidshorisonten"),
        |y| y.to_string(),
    );
    let optional_kr =
        |d: Option<rust_decimal::Decimal>| d.map_or_else(|| lang.not_applicable().to_owned(), kr);
    let result = vec![
        (
            l("Net present value (NPV)", "Nettonutidsværdi (NNV)"),
            kr(s.npv.total),
        ),
        (
            l("PV of costs", "Nutidsværdi af omkostninger"),
            kr(s.pv_costs.total),
        ),
        (
            l("PV of gains", "Nutidsværdi af gevinster"),
            kr(s.pv_gains.total),
        ),
        (
            l("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
            lang.fixed(s.benefit_cost_ratio, 2),
        ),
        (
            l("Return per invested krone", "Afkast pr. investeret krone"),
            lang.fixed(s.return_per_krone, 2),
        ),
        (l("Break-even year", "Break-even-år"), break_even),
        (
            l("Break-even net success rate", "Break-even netto-succesrate"),
            s.break_even_success_rate
                .map_or_else(|| lang.not_applicable().to_owned(), |d| lang.percent(d)),
        ),
        (
            l("NPV per participant", "NNV pr. deltager"),
            optional_kr(s.npv_per_participant),
        ),
        (
            l("NPV per success", "NNV pr. succes"),
            optional_kr(s.npv_per_success),
        ),
    ];

    let by_payer = Block::Table(
        vec![
            format!("{} ({unit})", l("Present value", "Nutidsværdi")),
            "kommune".into(),
            "region".into(),
            "stat".into(),
            l("total", "i alt"),
        ],
        vec![
            payer_row(l("Costs", "Omkostninger"), &s.pv_costs),
            payer_row(l("Gains", "Gevinster"), &s.pv_gains),
            payer_row(l("Net (NPV)", "Netto (NNV)"), &s.npv),
        ],
    );

    let yearly = Block::Table(
        strings(match lang {
            Lang::En => &[
                "Year",
                "Costs",
                "Gains",
                "Net kommune",
                "Net region",
                "Net stat",
                "Net total",
                "Discount factor",
                "Discounted net",
                "Cumulative",
            ],
            Lang::Da => &[
                "År",
                "Omkostninger",
                "Gevinster",
                "Netto kommune",
                "Netto region",
                "Netto stat",
                "Netto i alt",
                "Diskonteringsfaktor",
                "Diskonteret netto",
                "Akkumuleret",
            ],
        }),
        case.years
            .iter()
            .map(|y| {
                vec![
                    y.year.to_string(),
                    lang.kroner(y.costs.total),
                    lang.kroner(y.gains.total),
                    lang.kroner(y.net.kommune),
                    lang.kroner(y.net.region),
                    lang.kroner(y.net.stat),
                    lang.kroner(y.net.total),
                    lang.fixed(Some(y.discount_factor), 4),
                    lang.kroner(y.net_discounted.total),
                    lang.kroner(y.cumulative_net_discounted.total),
                ]
            })
            .collect(),
    );

    let with_committees = !case.committees.is_empty();
    let mut lines = Block::Table(
        strings(match lang {
            Lang::En => &[
                "Consequence",
                "Area",
                "Per",
                "Unit",
                "Price kommune",
                "Price region",
                "Price stat",
                "Grade",
                "PV of gains",
            ],
            Lang::Da => &[
                "Konsekvens",
                "Område",
                "Pr.",
                "Enhed",
                "Pris kommune",
                "Pris region",
                "Pris stat",
                "Evidensgrad",
                "Nutidsværdi af gevinster",
            ],
        }),
        case.lines
            .iter()
            .map(|line| {
                vec![
                    lang.service_marked(case, line, kb),
                    match style {
                        Style::Text => lang.area(&line.area, kb),
                        Style::Report => lang.area_name(&line.area, kb),
                    },
                    lang.applies_to(line.applies_to).to_owned(),
                    lang.unit(line, kb),
                    lang.kroner(line.unit_price.kommune),
                    lang.kroner(line.unit_price.region),
                    lang.kroner(line.unit_price.stat),
                    line.grade.map_or_else(|| "-".to_owned(), |g| g.to_string()),
                    lang.kroner(line.pv_gains),
                ]
            })
            .collect(),
    );

    if with_committees && let Block::Table(headers, rows) = &mut lines {
        headers.insert(2, l("Committee", "Udvalg"));
        for (row, line) in rows.iter_mut().zip(&case.lines) {
            row.insert(2, committee_name(case, line.committee.as_deref(), lang));
        }
    }

    Document {
        by_committee: by_committee(case, lang, unit),
        financing: financing(case, lang, unit),
        title,
        result: Section {
            heading: l("Result", "Resultat"),
            block: Block::Facts(result),
        },
        by_payer: Section {
            heading: l("By payer", "Fordelt på betaler"),
            block: by_payer,
        },
        yearly: Section {
            heading: match lang {
                Lang::En => format!("Per year ({} prices, {unit})", case.price_year),
                Lang::Da => format!("Pr. år ({}-priser, {unit})", case.price_year),
            },
            block: yearly,
        },
        lines: Section {
            heading: l(
                "Consequences and unit prices",
                "Konsekvenser og enhedspriser",
            ),
            block: lines,
        },
        assumptions: Section {
            heading: l("Assumptions", "Forudsætninger"),
            block: Block::Facts(assumptions),
        },
        evidence: Section {
            heading: l("Evidence", "Evidens"),
            block: Block::Facts(evidence_facts(case, lang)),
        },
    }
}

/// A committee's name in a language, by id; "-" for none.
pub(crate) fn committee_name(case: &BusinessCase, id: Option<&str>, lang: Lang) -> String {
    let Some(id) = id else {
        return "-".to_owned();
    };
    case.context
        .committees
        .iter()
        .find(|c| c.id == id)
        .map_or_else(
            || id.to_owned(),
            |c| lang.pick(&c.name_en, &c.name_da).to_owned(),
        )
}

/// Where a grant's money comes from, in a language.
pub(crate) fn funder(from: crate::model::Funder, lang: Lang) -> &'static str {
    use crate::model::Funder;
    match from {
        Funder::Stat => lang.pick("the state", "staten"),
        Funder::Region => lang.pick("the region", "regionen"),
        Funder::Outside => lang.pick(
            "outside the public sector",
            "uden for den offentlige sektor",
        ),
    }
}

/// The kommune's result by committee (DESIGN.md §1.11): a row a committee
/// and the kommune's total, which is the "By payer" table's kommune column.
fn by_committee(case: &BusinessCase, lang: Lang, unit: &str) -> Option<Section> {
    if case.committees.is_empty() {
        return None;
    }
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let financed = case.financing.as_ref();
    let mut headers = vec![
        format!(
            "{} ({unit})",
            l("Committee, kommune's PV", "Udvalg, kommunens nutidsværdi")
        ),
        l("Gains", "Gevinster"),
        l("Costs", "Omkostninger"),
        l("Net", "Netto"),
    ];
    if financed.is_some() {
        headers.push(l("Financing", "Finansiering"));
        headers.push(l("Net with financing", "Netto med finansiering"));
    }
    let mut rows: Vec<Vec<String>> = case
        .committees
        .iter()
        .map(|c| {
            let mut row = vec![
                committee_name(case, Some(&c.committee), lang),
                lang.kroner(c.pv_gains),
                lang.kroner(c.pv_costs),
                lang.kroner(c.npv),
            ];
            if financed.is_some() {
                row.push(lang.kroner(c.pv_financing));
                row.push(lang.kroner(c.npv_with_financing));
            }
            row
        })
        .collect();
    let s = &case.summary;
    let mut total = vec![
        l("Kommune in total", "Kommunen i alt"),
        lang.kroner(s.pv_gains.kommune),
        lang.kroner(s.pv_costs.kommune),
        lang.kroner(s.npv.kommune),
    ];
    if let Some(f) = financed {
        total.push(lang.kroner(f.pv.kommune));
        total.push(lang.kroner(f.npv_with_financing.kommune));
    }
    rows.push(total);
    Some(Section {
        heading: l("Kommune by committee", "Kommunen fordelt på udvalg"),
        block: Block::Table(headers, rows),
    })
}

/// The grants, and each payer's result without and with them (DESIGN.md
/// §1.10); nothing when the scenario has none.
fn financing(case: &BusinessCase, lang: Lang, unit: &str) -> Vec<Section> {
    let Some(f) = &case.financing else {
        return Vec::new();
    };
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let mut headers = vec![l("Grant", "Tilskud"), l("From", "Fra")];
    let committees = !case.committees.is_empty();
    if committees {
        headers.push(l("Committee", "Udvalg"));
    }
    headers.extend([
        l("Years", "År"),
        format!("{} ({unit})", l("Amount", "Beløb")),
        format!("{} ({unit})", l("Present value", "Nutidsværdi")),
    ]);
    let rows = f
        .grants
        .iter()
        .map(|g| {
            let years: Vec<String> = g
                .amounts
                .iter()
                .zip(&case.years)
                .filter(|(a, _)| !a.is_zero())
                .map(|(_, y)| y.year.to_string())
                .collect();
            let mut row = vec![g.label.clone(), funder(g.from, lang).to_owned()];
            if committees {
                row.push(committee_name(case, g.committee.as_deref(), lang));
            }
            row.extend([years.join(", "), lang.kroner(g.total), lang.kroner(g.pv)]);
            row
        })
        .collect();
    let payer_row = |label: String, s: &Split| {
        vec![
            label,
            lang.kroner(s.kommune),
            lang.kroner(s.region),
            lang.kroner(s.stat),
            lang.kroner(s.total),
        ]
    };
    let with = Block::Table(
        vec![
            format!("{} ({unit})", l("Present value", "Nutidsværdi")),
            "kommune".into(),
            "region".into(),
            "stat".into(),
            l("total", "i alt"),
        ],
        vec![
            payer_row(
                l("Net without financing", "Netto uden finansiering"),
                &case.summary.npv,
            ),
            payer_row(l("Financing", "Finansiering"), &f.pv),
            payer_row(
                l("Net with financing", "Netto med finansiering"),
                &f.npv_with_financing,
            ),
        ],
    );
    vec![
        Section {
            heading: l("Financing", "Finansiering"),
            block: Block::Table(headers, rows),
        },
        Section {
            heading: l("Result with financing", "Resultat med finansiering"),
            block: with,
        },
    ]
}

/// How well founded the case is, and the evidence adjustment if one was made.
fn evidence_facts(case: &BusinessCase, lang: Lang) -> Vec<(String, String)> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let ctx = &case.context;
    let evidence = &ctx.evidence;
    let mut facts = vec![(
        l(
            "Gains resting on grade 4-5 figures",
            "Gevinster, der hviler på tal af grad 4-5",
        ),
        case.share_of_gains_on_weak_evidence().map_or_else(
            || "n/a".to_owned(),
            |share| {
                format!(
                    "{} {}",
                    lang.percent(share),
                    lang.pick("of the PV of gains", "af nutidsværdien af gevinsterne")
                )
            },
        ),
    )];
    if let Some(design) = evidence.effect_design.or(ctx.effect.design) {
        facts.push((
            l("Effect study design", "Effektstudiets design"),
            design.id().replace('_', " "),
        ));
    }
    if evidence.is_active() {
        let factor = evidence.effect_factor.map_or_else(
            || l("none (design unknown)", "ingen (design ukendt)"),
            |f| lang.fixed(Some(f), 2),
        );
        facts.push((
            l("Evidence adjustment", "Evidensjustering"),
            format!(
                "{}; {} {factor}",
                evidence.mode,
                lang.pick("effect factor", "effektfaktor")
            ),
        ));
        if let Some(plain) = &case.unadjusted {
            facts.push((
                l("NPV without adjustment", "Nutidsværdi uden justering"),
                format!("{} kr.", lang.kroner(plain.npv.total)),
            ));
            facts.push((
                l("NPV with adjustment", "Nutidsværdi med justering"),
                format!("{} kr.", lang.kroner(case.summary.npv.total)),
            ));
        }
    } else {
        facts.push((
            l("Evidence adjustment", "Evidensjustering"),
            l("none", "ingen"),
        ));
    }
    facts
}
