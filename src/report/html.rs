//! The business-case report: one self-contained HTML page an analyst can
//! print for a committee. It states the question, answers it in one sentence,
//! shows the key figures, the charts (inline SVG), the tables and the
//! assumptions, and cites the sources of every figure taken from the
//! knowledge base.

use std::fmt::Write;

use super::chart::{self, ChartKind};
use super::document::{self, Block, Section, Style, build};
use super::{Lang, narrative};
use crate::analysis::Tornado;
use crate::{BusinessCase, KnowledgeBase};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The business case as a printable HTML page in a language, with the
/// sources cited from `kb` (the knowledge base the case was computed with).
///
/// ```
/// use som::report::{html, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let page = html::render(&case, Lang::Da, kb);
/// assert!(page.contains("<html lang=\"da\">"));
/// assert!(page.contains(&Lang::Da.money(case.summary.npv.total)));
/// ```
pub fn render(case: &BusinessCase, lang: Lang, kb: &KnowledgeBase) -> String {
    page(case, lang, kb, None)
}

/// The page with a sensitivity section: the tornado chart and, per input,
/// the NPV at each end (what `som report` writes).
///
/// ```
/// use som::analysis::{sensitivity_by_grade, Baseline};
/// use som::report::{html, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let tornado = sensitivity_by_grade(&base, rust_decimal::Decimal::new(2, 1), kb.evidence_scale()).unwrap();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let page = html::render_with_sensitivity(&case, Lang::En, kb, &tornado);
/// assert!(page.contains("class=\"sensitivity\""));
/// ```
pub fn render_with_sensitivity(
    case: &BusinessCase,
    lang: Lang,
    kb: &KnowledgeBase,
    tornado: &Tornado,
) -> String {
    page(case, lang, kb, Some(tornado))
}

fn page(case: &BusinessCase, lang: Lang, kb: &KnowledgeBase, tornado: Option<&Tornado>) -> String {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    // The scenario's local services are named and cited like the knowledge base's.
    let extended = kb.with_local(&case.context);
    let kb = &*extended;
    let document = build(case, lang, Some(kb), Style::Report);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        lang.id(),
        escape(&document.title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&document.title));

    let _ = writeln!(
        out,
        "<section class=\"question\"><h2>{}</h2><p>{}</p></section>",
        l("The question", "Spørgsmålet"),
        escape(&narrative::question(case, lang, kb))
    );
    let _ = write!(
        out,
        "<section class=\"answer\"><h2>{}</h2><div class=\"answer\"><p class=\"sentence\">{}</p>\
         <p class=\"by-payer\">{}</p>",
        l("The answer", "Svaret"),
        escape(&narrative::sentence(case, lang)),
        escape(&narrative::by_payer(case, lang))
    );
    if let Some(warning) = narrative::weak_evidence(case, lang) {
        let _ = write!(out, "<p class=\"weak-evidence\">{}</p>", escape(&warning));
    }
    out.push_str("</div></section>\n");

    section(&mut out, &document.result);
    section(&mut out, &document.by_payer);
    if let Some(by_committee) = &document.by_committee {
        section(&mut out, by_committee);
    }
    for financing in &document.financing {
        section(&mut out, financing);
    }

    let _ = writeln!(
        out,
        "<section class=\"charts\"><h2>{}</h2>",
        l("Charts", "Figurer")
    );
    for kind in [ChartKind::Cumulative, ChartKind::Flows] {
        let _ = writeln!(out, "<figure>{}</figure>", chart::render(case, kind, lang));
    }
    out.push_str("</section>\n");

    section(&mut out, &document.yearly);
    section(&mut out, &document.lines);
    if let Some(t) = tornado {
        sensitivity(&mut out, t, lang, kb);
    }
    section(&mut out, &document.assumptions);
    section(&mut out, &document.evidence);
    sources(&mut out, case, lang, kb);

    let _ = writeln!(
        out,
        "<footer>{} som {} · {} {} (sha256 {}).</footer>",
        l("Computed exactly with", "Beregnet eksakt med"),
        env!("CARGO_PKG_VERSION"),
        l("Knowledge base version", "Vidensgrundlag version"),
        escape(&case.context.knowledge_base_version),
        escape(&case.context.knowledge_base_hash)
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The tornado chart and its figures.
fn sensitivity(out: &mut String, t: &Tornado, lang: Lang, kb: &KnowledgeBase) {
    let (table, intro) = document::sensitivity(t, lang, Some(kb));
    let _ = writeln!(
        out,
        "<section class=\"sensitivity\"><h2>{}</h2><p>{}</p><figure>{}</figure>",
        escape(&table.heading),
        escape(intro),
        chart::tornado(t, lang, Some(kb))
    );
    if let Block::Table(headers, rows) = &table.block {
        table_html(out, headers, rows);
    }
    out.push_str("</section>\n");
}

const STYLE: &str = "
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px; }
h1 { font-size: 24px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
div.answer { background: #f2f6f2; border-left: 4px solid #1b7837; padding: 10px 14px; }
div.answer p { margin: 0 0 6px; }
p.sentence { font-size: 17px; line-height: 1.45; }
p.by-payer { font-size: 15px; line-height: 1.4; }
p.weak-evidence { font-size: 14px; line-height: 1.4; border-left: 4px solid #b35806; background: #fdf1e4; padding: 6px 10px; margin-top: 8px; }
table { border-collapse: collapse; font-size: 12px; margin: 4px 0 8px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3; }
th { background: #f3f3f3; text-align: right; }
td { text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
table.facts td { text-align: left; }
table.facts td:first-child { font-weight: bold; white-space: nowrap; padding-right: 16px; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; }
section p, section li { font-size: 13px; line-height: 1.4; }
.question p { font-size: 15px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
ol.sources li { margin-bottom: 6px; }
.used-for { color: #555; }
footer { margin-top: 28px; font-size: 11px; color: #666; word-break: break-all; }
section, figure, table { break-inside: avoid; page-break-inside: avoid; }
@media print { main { padding: 0; max-width: none; } @page { size: A4; margin: 15mm; } }
";

fn section(out: &mut String, section: &Section) {
    let _ = writeln!(out, "<section><h2>{}</h2>", escape(&section.heading));
    match &section.block {
        Block::Facts(facts) => {
            out.push_str("<table class=\"facts\">\n");
            for (k, v) in facts {
                let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", escape(k), escape(v));
            }
            out.push_str("</table>\n");
        }
        Block::Table(headers, rows) => table_html(out, headers, rows),
    }
    out.push_str("</section>\n");
}

fn table_html(out: &mut String, headers: &[String], rows: &[Vec<String>]) {
    out.push_str("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn sources(out: &mut String, case: &BusinessCase, lang: Lang, kb: &KnowledgeBase) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let sources = narrative::sources(case, lang, kb);
    let _ = writeln!(
        out,
        "<section class=\"sources\"><h2>{}</h2>",
        l("Sources", "Kilder")
    );
    if let Some(note) = sources.rates_note {
        let _ = writeln!(out, "<p>{}</p>", escape(note));
    }
    out.push_str("<ol class=\"sources\">\n");
    for c in &sources.citations {
        let s = c.source;
        let year = s.year.map_or_else(String::new, |y| format!(" ({y})"));
        let _ = writeln!(
            out,
            "<li><cite>{}</cite>{} {}{year}. <a href=\"{}\">{}</a><br><span class=\"used-for\">{} {}</span></li>",
            escape(&s.title),
            c.stop(),
            escape(&s.publisher),
            escape(&s.url),
            escape(&s.url),
            l("Used for:", "Brugt til:"),
            escape(&c.used_for.join("; "))
        );
    }
    out.push_str("</ol>\n");
    if !sources.notes.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<ul>",
            l(
                "Derived figures and assumptions",
                "Afledte tal og antagelser"
            )
        );
        for note in &sources.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(note));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}
