//! The Markdown views: the same content as the text table, for a memo or a
//! wiki ([`render_in`]), and the business-case report with its question,
//! answer, charts and sources ([`report`]).

use std::path::{Path, PathBuf};

use super::chart::{self, ChartKind};
use super::document::{Block, Section, Style, build, numeric_columns};
use super::{Lang, narrative};
use crate::analysis::Tornado;
use crate::{BusinessCase, KnowledgeBase};

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// The business case as Markdown, in English.
pub fn render(case: &BusinessCase) -> String {
    render_in(case, Lang::En, None)
}

/// The business case as Markdown in a language; names come from `kb` in that
/// language when it is given.
pub fn render_in(case: &BusinessCase, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let document = build(case, lang, kb, Style::Text);
    let title = document.title.clone();
    sections_markdown(&title, &document.sections())
}

/// A title and sections as Markdown.
pub(crate) fn sections_markdown(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n", escape(title));
    for section in sections {
        push_section(&mut out, section);
    }
    out
}

fn push_section(out: &mut String, section: &Section) {
    out.push_str(&format!("\n## {}\n\n", section.heading));
    push_block(out, &section.block);
}

fn push_block(out: &mut String, block: &Block) {
    match block {
        Block::Facts(facts) => {
            for (k, v) in facts {
                out.push_str(&format!("- **{}**: {}\n", escape(k), escape(v)));
            }
        }
        Block::Table(headers, rows) => {
            let line = |cells: &[String]| {
                format!(
                    "| {} |\n",
                    cells
                        .iter()
                        .map(|c| escape(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )
            };
            out.push_str(&line(headers));
            let numeric = numeric_columns(headers.len(), rows);
            let align: Vec<&str> = (0..headers.len())
                .map(|i| if numeric[i] { "---:" } else { ":---" })
                .collect();
            out.push_str(&format!("| {} |\n", align.join(" | ")));
            for row in rows {
                out.push_str(&line(row));
            }
        }
    }
}

/// The business-case report as Markdown: the question, the answer in one
/// sentence, the figures and tables, the charts as linked images, and the
/// sources cited from `kb`. `charts` pairs each chart with the path the
/// Markdown links to (the caller writes the SVG there; see [`write_report`]).
///
/// ```
/// use som::report::{markdown, Lang};
/// use som::report::chart::ChartKind;
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let text = markdown::report(&case, Lang::En, kb, &[(ChartKind::Flows, "flows.svg".into())]);
/// assert!(text.contains("](flows.svg)"));
/// ```
pub fn report(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    charts: &[(ChartKind, String)],
) -> String {
    report_document(case, lang, kb, charts, None)
}

/// [`report`] with a sensitivity section after the consequence lines, as the
/// HTML report has: the tornado's table, and its chart linked as
/// `tornado_chart` (the caller writes the SVG there; see
/// [`write_report_with_sensitivity`]).
///
/// ```
/// use som::analysis::{sensitivity_by_grade, Baseline};
/// use som::report::{markdown, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let tornado = sensitivity_by_grade(&base, rust_decimal::Decimal::new(2, 1), kb.evidence_scale()).unwrap();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let text = markdown::report_with_sensitivity(&case, Lang::En, kb, &[], &tornado, "tornado.svg");
/// assert!(text.contains("## Sensitivity"));
/// assert!(text.contains("](tornado.svg)"));
/// ```
pub fn report_with_sensitivity(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    charts: &[(ChartKind, String)],
    tornado: &Tornado,
    tornado_chart: &str,
) -> String {
    report_document(case, lang, kb, charts, Some((tornado, tornado_chart)))
}

fn report_document(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    charts: &[(ChartKind, String)],
    sensitivity: Option<(&Tornado, &str)>,
) -> String {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    // The scenario's local services are named and cited like the knowledge base's.
    let extended = kb.with_local(&case.context);
    let kb = &*extended;
    let document = build(case, lang, Some(kb), Style::Report);
    let mut out = format!("# {}\n", escape(&document.title));
    out.push_str(&format!(
        "\n## {}\n\n{}\n",
        l("The question", "Spørgsmålet"),
        narrative::question(case, lang, kb)
    ));
    out.push_str(&format!(
        "\n## {}\n\n> {}\n>\n> {}\n",
        l("The answer", "Svaret"),
        narrative::sentence(case, lang),
        narrative::by_payer(case, lang)
    ));
    if let Some(warning) = narrative::weak_evidence(case, lang) {
        out.push_str(&format!(">\n> **{warning}**\n"));
    }
    push_section(&mut out, &document.result);
    push_section(&mut out, &document.by_payer);
    if let Some(by_committee) = &document.by_committee {
        push_section(&mut out, by_committee);
    }
    for financing in &document.financing {
        push_section(&mut out, financing);
    }
    if !charts.is_empty() {
        out.push_str(&format!("\n## {}\n\n", l("Charts", "Figurer")));
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
        // push_section starts with its own blank line.
        out.pop();
    }
    push_section(&mut out, &document.yearly);
    push_section(&mut out, &document.lines);
    if let Some((tornado, chart_path)) = sensitivity {
        let (table, intro) = super::document::sensitivity(tornado, lang, Some(kb));
        out.push_str(&format!(
            "\n## {}\n\n{intro}\n\n![{}]({chart_path})\n",
            table.heading, table.heading
        ));
        out.push('\n');
        push_block(&mut out, &table.block);
    }
    push_section(&mut out, &document.assumptions);
    push_section(&mut out, &document.evidence);

    let sources = narrative::sources(case, lang, kb);
    out.push_str(&format!("\n## {}\n\n", l("Sources", "Kilder")));
    if let Some(note) = sources.rates_note {
        out.push_str(&format!("{note}\n\n"));
    }
    for (i, c) in sources.citations.iter().enumerate() {
        let s = c.source;
        let year = s.year.map_or_else(String::new, |y| format!(" ({y})"));
        out.push_str(&format!(
            "{}. *{}*{} {}{year}. <{}>  \n   {} {}\n",
            i + 1,
            s.title,
            c.stop(),
            s.publisher,
            s.url,
            l("Used for:", "Brugt til:"),
            c.used_for.join("; ")
        ));
    }
    if !sources.notes.is_empty() {
        out.push_str(&format!(
            "\n### {}\n\n",
            l(
                "Derived figures and assumptions",
                "Afledte tal og antagelser"
            )
        ));
        for note in &sources.notes {
            out.push_str(&format!("- {note}\n"));
        }
    }
    out.push_str(&format!(
        "\n---\n\n{} som {} · {} {} (sha256 {}).\n",
        l("Computed exactly with", "Beregnet eksakt med"),
        env!("CARGO_PKG_VERSION"),
        l("Knowledge base version", "Vidensgrundlag version"),
        case.context.knowledge_base_version,
        case.context.knowledge_base_hash
    ));
    out
}

/// [`write_report`] with the sensitivity section: also writes the tornado
/// chart beside the report as `<stem>-tornado.svg`.
pub fn write_report_with_sensitivity(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    tornado: &Tornado,
    path: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    write_files(case, lang, kb, Some(tornado), path)
}

/// Writes the Markdown report to `path` and its two charts beside it as
/// `<stem>-cumulative.svg` and `<stem>-flows.svg`, linked by file name.
/// Returns the files written.
pub fn write_report(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    path: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    write_files(case, lang, kb, None, path)
}

fn write_files(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    tornado: Option<&Tornado>,
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
        std::fs::write(&chart_path, chart::render(case, kind, lang))?;
        written.push(chart_path);
        charts.push((kind, name));
    }
    let text = match tornado {
        Some(t) => {
            let name = format!("{stem}-tornado.svg");
            let chart_path = path.with_file_name(&name);
            std::fs::write(&chart_path, chart::tornado(t, lang, Some(kb)))?;
            written.push(chart_path);
            report_with_sensitivity(case, lang, kb, &charts, t, &name)
        }
        None => report(case, lang, kb, &charts),
    };
    std::fs::write(path, text)?;
    written.insert(0, path.to_owned());
    Ok(written)
}
