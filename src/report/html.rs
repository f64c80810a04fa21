//! The business-case report: one self-contained HTML page an analyst can
//! print for a committee. It states the question, answers it in one sentence,
//! shows the key figures, the charts (inline SVG), the tables and the
//! assumptions, and cites the sources of every figure taken from the
//! knowledge base.

use std::cmp::Ordering;
use std::fmt::Write;

use rust_decimal::Decimal;

use super::Lang;
use super::chart::{self, ChartKind};
use super::discount_schedule;
use super::document::{Block, Section, Style, build};
use crate::engine::prices;
use crate::knowledge_base::{Evidence, Source};
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
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
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
        escape(&question(case, lang, kb))
    );
    let _ = writeln!(
        out,
        "<section class=\"answer\"><h2>{}</h2><p class=\"sentence\">{}</p></section>",
        l("The answer", "Svaret"),
        escape(&sentence(case, lang))
    );

    section(&mut out, &document.result);
    section(&mut out, &document.by_payer);

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
    section(&mut out, &document.assumptions);
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

const STYLE: &str = "
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px; }
h1 { font-size: 24px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
p.sentence { font-size: 17px; line-height: 1.45; background: #f2f6f2; border-left: 4px solid #1b7837; padding: 10px 14px; }
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
        Block::Table(headers, rows) => {
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
    }
    out.push_str("</section>\n");
}

/// The question the business case answers.
fn question(case: &BusinessCase, lang: Lang, kb: &KnowledgeBase) -> String {
    let last = case.start_year + case.horizon_years as i32 - 1;
    match lang {
        Lang::En => format!(
            "What does “{}” cost, and what does it save kommune, region and stat, for the target group {} \
             with the success measure “{}”, from {} to {}, in {} prices?",
            case.scenario,
            lang.target_group(case, Some(kb)).to_lowercase(),
            lang.success_measure(case, Some(kb)).to_lowercase(),
            case.start_year,
            last,
            case.price_year
        ),
        Lang::Da => format!(
            "Hvad koster “{}”, og hvad sparer indsatsen kommune, region og stat, for målgruppen {} \
             med succesmålet “{}”, fra {} til {}, i {}-priser?",
            case.scenario,
            lang.target_group(case, Some(kb)).to_lowercase(),
            lang.success_measure(case, Some(kb)).to_lowercase(),
            case.start_year,
            last,
            case.price_year
        ),
    }
}

/// The result in one sentence.
fn sentence(case: &BusinessCase, lang: Lang) -> String {
    let s = &case.summary;
    let npv = s.npv.total;
    let amount = lang.money(npv.abs());
    let h = case.horizon_years;
    let (start, end) = (case.start_year, case.start_year + h as i32 - 1);
    // A ratio below zero (the consequences add costs) reads wrongly as "gains per krone".
    let ratio = s
        .benefit_cost_ratio
        .filter(|r| *r > Decimal::ZERO)
        .map(|r| lang.fixed(Some(r), 2));
    match lang {
        Lang::En => {
            let period = if h == 1 {
                format!("In {start}")
            } else {
                format!("Over the {h} years {start}–{end}")
            };
            let mut text = match npv.cmp(&Decimal::ZERO) {
                Ordering::Greater => format!(
                    "{period}, the intervention leaves the public sector {amount} better off \
                     in present value"
                ),
                Ordering::Equal => format!(
                    "{period}, the intervention neither costs nor saves the public sector \
                     anything in present value"
                ),
                Ordering::Less => format!(
                    "{period}, the intervention costs the public sector {amount} more than it \
                     saves, in present value"
                ),
            };
            if let Some(r) = ratio {
                text.push_str(&format!(
                    ", with {r} kroner in gains for every krone it costs"
                ));
            }
            text.push_str(&match s.break_even_year {
                Some(y) => format!("; it breaks even in {y}."),
                None => "; it does not break even within the horizon.".to_owned(),
            });
            text
        }
        Lang::Da => {
            let period = if h == 1 {
                format!("I {start}")
            } else {
                format!("Over de {h} år {start}–{end}")
            };
            let mut text = match npv.cmp(&Decimal::ZERO) {
                Ordering::Greater => format!(
                    "{period} forbedrer indsatsen den offentlige sektors økonomi med {amount} \
                     i nutidsværdi"
                ),
                Ordering::Equal => format!(
                    "{period} hverken koster eller sparer indsatsen den offentlige sektor noget \
                     i nutidsværdi"
                ),
                Ordering::Less => format!(
                    "{period} koster indsatsen den offentlige sektor {amount} mere, end den \
                     sparer, i nutidsværdi"
                ),
            };
            if let Some(r) = ratio {
                text.push_str(&format!(
                    ", med {r} kr. i gevinst for hver krone, den koster"
                ));
            }
            text.push_str(&match s.break_even_year {
                Some(y) => format!("; break-even nås i {y}."),
                None => "; break-even nås ikke inden for tidshorisonten.".to_owned(),
            });
            text
        }
    }
}

/// A source and what the report cites it for.
struct Citation<'a> {
    source: &'a Source,
    used_for: Vec<String>,
}

/// The knowledge-base evidence behind the figures the case used: the effect
/// study, each line's consequence profile and unit price when they are the
/// knowledge base's (not a scenario's override), the price index and the
/// discount schedule.
fn evidence<'a>(
    case: &BusinessCase,
    lang: Lang,
    kb: &'a KnowledgeBase,
) -> (Vec<(String, &'a Evidence)>, Vec<String>) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let mut used = Vec::new();
    let mut own = Vec::new();
    if let Some(study) = case
        .context
        .effect
        .study
        .as_deref()
        .and_then(|id| kb.effect(id))
    {
        used.push((
            format!("{}: {}", l("Effect", "Effekt"), lang.label(&study.name)),
            &study.evidence,
        ));
    }
    let set = kb.consequences_for(&case.context.target_group, &case.context.success_measure);
    for line in &case.lines {
        let name = lang.service(line, Some(kb));
        let kb_line = set.and_then(|s| s.lines.iter().find(|k| k.service == line.service));
        match kb_line {
            Some(k) if k.profile == line.profile && k.applies_to == line.applies_to => used.push((
                format!("{}: {name}", l("Consequences", "Konsekvenser")),
                &k.evidence,
            )),
            _ => own.push(format!(
                "{}: {name}",
                l(
                    "Consequences given in the scenario",
                    "Konsekvenser angivet i scenariet"
                )
            )),
        }
        let kb_price = kb.service(&line.service).and_then(|service| {
            let factor = kb
                .price_index()
                .factor(service.price.price_year, case.price_year)?;
            let converted = prices::converted(&service.price.amounts(), &factor).ok()?;
            (service.price.price_year == line.source_price_year
                && converted == line.unit_price.payers())
            .then_some(&service.price.evidence)
        });
        match kb_price {
            Some(e) => used.push((format!("{}: {name}", l("Unit price", "Enhedspris")), e)),
            None => own.push(format!(
                "{}: {name}",
                l(
                    "Unit price given in the scenario",
                    "Enhedspris angivet i scenariet"
                )
            )),
        }
    }
    if !case.lines.is_empty() {
        used.push((
            format!(
                "{}: {}",
                l("Price index", "Prisindeks"),
                lang.label(&kb.price_index().name)
            ),
            &kb.price_index().evidence,
        ));
    }
    if let Some(schedule) = discount_schedule(case, kb) {
        used.push((
            format!(
                "{}: {}",
                l("Discounting", "Diskontering"),
                lang.label(&schedule.name)
            ),
            &schedule.evidence,
        ));
        for step in &schedule.steps {
            if let Some(e) = &step.evidence {
                used.push((
                    format!(
                        "{}: {}",
                        l("Discounting", "Diskontering"),
                        lang.label(&schedule.name)
                    ),
                    e,
                ));
            }
        }
    }
    (used, own)
}

fn sources(out: &mut String, case: &BusinessCase, lang: Lang, kb: &KnowledgeBase) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let (used, own) = evidence(case, lang, kb);
    let mut citations: Vec<Citation> = Vec::new();
    for (what, evidence) in &used {
        for id in &evidence.sources {
            let Some(source) = kb.source(id) else {
                continue;
            };
            match citations.iter_mut().find(|c| c.source.id == *id) {
                Some(c) => {
                    if !c.used_for.contains(what) {
                        c.used_for.push(what.clone());
                    }
                }
                None => citations.push(Citation {
                    source,
                    used_for: vec![what.clone()],
                }),
            }
        }
    }
    let _ = writeln!(
        out,
        "<section class=\"sources\"><h2>{}</h2>",
        l("Sources", "Kilder")
    );
    if case.context.effect.study.is_none() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            l(
                "The success and baseline rates are given in the scenario, not taken from a study in the knowledge base.",
                "Succes- og basisraterne er angivet i scenariet, ikke hentet fra et studie i vidensgrundlaget."
            )
        );
    }
    out.push_str("<ol class=\"sources\">\n");
    for c in &citations {
        let s = c.source;
        let year = s.year.map_or_else(String::new, |y| format!(" ({y})"));
        let stop = if s.title.ends_with(['.', '?', '!']) {
            ""
        } else {
            "."
        };
        let _ = writeln!(
            out,
            "<li><cite>{}</cite>{stop} {}{year}. <a href=\"{}\">{}</a><br><span class=\"used-for\">{} {}</span></li>",
            escape(&s.title),
            escape(&s.publisher),
            escape(&s.url),
            escape(&s.url),
            l("Used for:", "Brugt til:"),
            escape(&c.used_for.join("; "))
        );
    }
    out.push_str("</ol>\n");
    let assumptions: Vec<&(String, &Evidence)> = used
        .iter()
        .filter(|(_, e)| e.note.is_some() && e.basis != crate::knowledge_base::Basis::Published)
        .collect();
    if !assumptions.is_empty() || !own.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<ul>",
            l(
                "Derived figures and assumptions",
                "Afledte tal og antagelser"
            )
        );
        for (what, e) in assumptions {
            let _ = writeln!(
                out,
                "<li>{}: {}</li>",
                escape(what),
                escape(e.note.as_deref().unwrap_or_default())
            );
        }
        for what in &own {
            let _ = writeln!(out, "<li>{}</li>", escape(what));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}
