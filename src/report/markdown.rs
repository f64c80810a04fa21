//! The Markdown views: the same content as the text table, for a memo or a
//! wiki ([`render_in`]), and the business-case report with its question,
//! answer, charts and sources ([`report`]).

use std::path::{Path, PathBuf};

use super::chart::{self, ChartKind};
use super::document::{Block, Section, Style, build, numeric_columns};
use super::{Lang, narrative};
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
    let mut out = format!("# {}\n", escape(&document.title));
    for section in document.sections() {
        push_section(&mut out, &section);
    }
    out
}

fn push_section(out: &mut String, section: &Section) {
    out.push_str(&format!("\n## {}\n\n", section.heading));
    match &section.block {
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
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let document = build(case, lang, Some(kb), Style::Report);
    let mut out = format!("# {}\n", escape(&document.title));
    out.push_str(&format!(
        "\n## {}\n\n{}\n",
        l("The question", "Spørgsmålet"),
        narrative::question(case, lang, kb)
    ));
    out.push_str(&format!(
        "\n## {}\n\n> {}\n",
        l("The answer", "Svaret"),
        narrative::sentence(case, lang)
    ));
    push_section(&mut out, &document.result);
    push_section(&mut out, &document.by_payer);
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

/// Writes the Markdown report to `path` and its two charts beside it as
/// `<stem>-cumulative.svg` and `<stem>-flows.svg`, linked by file name.
/// Returns the files written.
pub fn write_report(
    case: &BusinessCase,
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
        std::fs::write(&chart_path, chart::render(case, kind, lang))?;
        written.push(chart_path);
        charts.push((kind, name));
    }
    std::fs::write(path, report(case, lang, kb, &charts))?;
    written.insert(0, path.to_owned());
    Ok(written)
}
