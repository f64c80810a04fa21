//! The views of a one-way sensitivity analysis: the tornado as a text table
//! and as JSON, and the break-even figures as text (`som sensitivity`).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Lang, exact};
use crate::KnowledgeBase;
use crate::analysis::{Bar, BreakEven, SensitivityAnalysis, Tornado};

/// The tornado as an aligned text table, amounts in whole kroner, in English.
///
/// ```
/// use som::analysis::{Baseline, sensitivity};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let tornado = sensitivity(&base, som::Decimal::new(2, 1)).unwrap();
/// assert!(som::report::sensitivity::tornado_table(&tornado).contains("Base NPV"));
/// ```
pub fn tornado_table(tornado: &Tornado) -> String {
    tornado_table_in(tornado, Lang::En, None)
}

/// The marker of an end cut at the edge of its input's range.
pub const CUT: &str = "†";

/// A number as the table shows it: whole kroner from 100 up, else four
/// decimals at most.
fn value(d: Decimal, lang: Lang) -> String {
    if d.abs() >= Decimal::ONE_HUNDRED {
        lang.kroner(d)
    } else {
        decimal(d.round_dp(4), lang)
    }
}

/// A decimal at its own precision with this language's decimal mark.
fn decimal(d: Decimal, lang: Lang) -> String {
    let text = d.normalize().to_string();
    match lang {
        Lang::En => text,
        Lang::Da => text.replace('.', ","),
    }
}

/// The cut ends of the tornado's bars, one line each: "completion rate: high
/// end 1.08 cut to 1 (within 0 to 1)"; empty when none was cut.
pub fn cut_lines(tornado: &Tornado, lang: Lang, kb: Option<&KnowledgeBase>) -> Vec<String> {
    let mut lines = Vec::new();
    for b in &tornado.bars {
        let ends = [
            (lang.pick("low", "lav"), b.low_cut_from, b.low_value),
            (lang.pick("high", "høj"), b.high_cut_from, b.high_value),
        ];
        for (end, from, to) in ends {
            let (Some(from), Some((lo, hi))) = (from, b.within) else {
                continue;
            };
            let (from, to, lo, hi) = (
                decimal(from, lang),
                decimal(to, lang),
                decimal(lo, lang),
                decimal(hi, lang),
            );
            let input = lang.sensitivity_input(&b.what, kb);
            lines.push(match lang {
                Lang::En => {
                    format!("{input}: {end} end {from} cut to {to} (it stays within {lo} to {hi})")
                }
                Lang::Da => format!(
                    "{input}: {end} ende {from} afskåret til {to} (holdes mellem {lo} og {hi})"
                ),
            });
        }
    }
    lines
}

/// The sentence above [`cut_lines`].
pub fn cut_heading(lang: Lang) -> &'static str {
    lang.pick(
        "† An end cut where the input would leave its range (a share stays within 0 to 1, the net success rate so that the success rate does, the horizon within 1 to 100 years):",
        "† En ende afskåret, hvor forudsætningen ville forlade sit interval (en andel holdes mellem 0 og 1, nettosuccesraten så succesraten gør det, tidshorisonten mellem 1 og 100 år):",
    )
}

/// A bar's end value, marked when it was cut.
fn end_value(v: Decimal, cut_from: Option<Decimal>, lang: Lang) -> String {
    let shown = value(v, lang);
    if cut_from.is_some() {
        format!("{shown} {CUT}")
    } else {
        shown
    }
}

/// The tornado as an aligned text table in a language: Danish labels, input
/// names from `kb` and numbers (1.234.567, 0,9). An end cut at the edge of
/// its input's range is marked † and listed under the table.
///
/// ```
/// use som::analysis::{Baseline, sensitivity};
/// use som::report::{Lang, sensitivity::tornado_table_in};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let tornado = sensitivity(&base, som::Decimal::new(2, 1)).unwrap();
/// let text = tornado_table_in(&tornado, Lang::Da, Some(kb));
/// assert!(text.contains("Basis-NNV: 11.685.965 kr."));
/// assert!(text.contains("nettosuccesrate"));
/// ```
pub fn tornado_table_in(tornado: &Tornado, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let pct = decimal(tornado.range * Decimal::ONE_HUNDRED, lang);
    // A line moved by its grade's range says so in its name.
    let graded = tornado
        .bars
        .iter()
        .any(|b| matches!(b.what, crate::analysis::Input::Price { grade: Some(_), .. }));
    let by_grade = if graded {
        lang.pick(
            ", consequence lines by their grade",
            ", konsekvenslinjer efter deres evidensgrad",
        )
    } else {
        ""
    };
    let title = match lang {
        Lang::En => format!(
            "Sensitivity of NPV to ± {pct} % in each input{by_grade}: {}",
            tornado.scenario
        ),
        Lang::Da => format!(
            "NNV's følsomhed for ± {pct} % i hver forudsætning{by_grade}: {}",
            tornado.scenario
        ),
    };
    let (low, high) = if graded {
        (
            lang.pick("low", "lav").to_owned(),
            lang.pick("high", "høj").to_owned(),
        )
    } else {
        (format!("−{pct} %"), format!("+{pct} %"))
    };
    let npv = lang.pick("NPV", "NNV");
    let at = lang.pick("at", "ved");
    let headers = [
        lang.pick("Input", "Forudsætning").to_owned(),
        lang.pick("Base", "Basis").to_owned(),
        capitalised(&low),
        capitalised(&high),
        format!("{npv} {at} {low}"),
        format!("{npv} {at} {high}"),
        lang.pick("Swing", "Udsving").to_owned(),
    ];
    let rows: Vec<[String; 7]> = tornado
        .bars
        .iter()
        .map(|b: &Bar| {
            [
                lang.sensitivity_input(&b.what, kb),
                value(b.base_value, lang),
                end_value(b.low_value, b.low_cut_from, lang),
                end_value(b.high_value, b.high_cut_from, lang),
                lang.kroner(b.npv_low),
                lang.kroner(b.npv_high),
                lang.kroner(b.swing),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = w - c.chars().count();
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = format!("{title}\n{}\n\n", "=".repeat(title.chars().count()));
    out.push_str(&format!(
        "{}: {} kr.\n\n",
        lang.pick("Base NPV", "Basis-NNV"),
        lang.kroner(tornado.base_npv)
    ));
    out.push_str(&line(&headers));
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    let cuts = cut_lines(tornado, lang, kb);
    if !cuts.is_empty() {
        out.push('\n');
        out.push_str(cut_heading(lang));
        out.push('\n');
        for c in cuts {
            out.push_str(&format!("  {c}\n"));
        }
    }
    out
}

/// The tornado as JSON, every amount a string at full precision.
pub fn tornado_json(tornado: &Tornado) -> Value {
    json!({
        "scenario": tornado.scenario,
        "range": exact(tornado.range),
        "base_npv": exact(tornado.base_npv),
        "bars": tornado.bars.iter().map(|b| json!({
            "input": b.input,
            "base_value": exact(b.base_value),
            "low_value": exact(b.low_value),
            "high_value": exact(b.high_value),
            "npv_low": exact(b.npv_low),
            "npv_high": exact(b.npv_high),
            "swing": exact(b.swing),
            "within": b.within.map(|(lo, hi)| [exact(lo), exact(hi)]),
            "low_cut_from": b.low_cut_from.map(exact),
            "high_cut_from": b.high_cut_from.map(exact),
        })).collect::<Vec<_>>(),
    })
}

/// The figures as text lines, amounts in whole kroner.
///
/// ```
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let text = som::report::sensitivity::break_even_text(&som::analysis::break_even(&model).unwrap());
/// assert!(text.contains("Break-even horizon"));
/// ```
pub fn break_even_text(break_even: &BreakEven) -> String {
    break_even_text_in(break_even, Lang::En)
}

/// The break-even figures as text lines in a language.
///
/// ```
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let be = som::analysis::break_even(&model).unwrap();
/// let text = som::report::sensitivity::break_even_text_in(&be, som::report::Lang::Da);
/// assert!(text.contains("Break-even-tidshorisont"));
/// ```
pub fn break_even_text_in(break_even: &BreakEven, lang: Lang) -> String {
    let rate = lang.fixed(break_even.net_success_rate, 4);
    let cost = break_even
        .cost_per_participant
        .map_or_else(|| lang.not_applicable().to_owned(), |c| lang.kroner(c));
    let now = lang.kroner(break_even.current_cost_per_participant);
    match lang {
        Lang::En => {
            let horizon = break_even.horizon_years.map_or_else(
                || "none within the horizon".to_owned(),
                |h| format!("{h} years"),
            );
            format!(
                "Break-even net success rate        {rate}\n\
                 Break-even cost per participant    {cost} kr. (now {now} kr.)\n\
                 Break-even horizon                 {horizon}\n"
            )
        }
        Lang::Da => {
            let horizon = break_even.horizon_years.map_or_else(
                || "ingen inden for tidshorisonten".to_owned(),
                |h| format!("{h} år"),
            );
            format!(
                "Break-even netto-succesrate          {rate}\n\
                 Break-even-omkostning pr. deltager   {cost} kr. (nu {now} kr.)\n\
                 Break-even-tidshorisont              {horizon}\n"
            )
        }
    }
}

/// The tornado's table followed by the break-even figures: what `som
/// sensitivity` prints.
pub fn text(analysed: &SensitivityAnalysis) -> String {
    text_in(analysed, Lang::En, None)
}

/// [`text`] in a language, with input names from `kb`.
pub fn text_in(analysed: &SensitivityAnalysis, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    format!(
        "{}\n{}",
        tornado_table_in(&analysed.tornado, lang, kb),
        break_even_text_in(&analysed.break_even, lang)
    )
}

/// The tornado's JSON with the break-even figures under `break_even`: what
/// `som sensitivity --format json` prints.
pub fn json(analysed: &SensitivityAnalysis) -> Value {
    let mut value = tornado_json(&analysed.tornado);
    value["break_even"] = serde_json::to_value(&analysed.break_even).unwrap_or(Value::Null);
    value
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
