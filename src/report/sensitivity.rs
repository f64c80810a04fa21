//! The views of a one-way sensitivity analysis: the tornado as a text table
//! and as JSON, and the break-even figures as text (`som sensitivity`).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{exact, fixed, kroner};
use crate::analysis::{BreakEven, SensitivityAnalysis, Tornado};

/// The tornado as an aligned text table, amounts in whole kroner.
///
/// ```
/// use som::analysis::{Baseline, sensitivity};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let tornado = sensitivity(&base, som::Decimal::new(2, 1)).unwrap();
/// assert!(som::report::sensitivity::tornado_table(&tornado).contains("Base NPV"));
/// ```
pub fn tornado_table(tornado: &Tornado) -> String {
    let pct = (tornado.range * Decimal::ONE_HUNDRED).normalize();
    // A line moved by its grade's range says so in its name.
    let graded = tornado.bars.iter().any(|b| b.input.contains("(grade "));
    let title = if graded {
        format!(
            "Sensitivity of NPV to ± {pct} % in each input, consequence lines by their grade: {}",
            tornado.scenario
        )
    } else {
        format!(
            "Sensitivity of NPV to ± {pct} % in each input: {}",
            tornado.scenario
        )
    };
    let (low, high) = if graded {
        ("low".to_owned(), "high".to_owned())
    } else {
        (format!("−{pct} %"), format!("+{pct} %"))
    };
    let headers = [
        "Input".to_owned(),
        "Base".to_owned(),
        capitalised(&low),
        capitalised(&high),
        format!("NPV at {low}"),
        format!("NPV at {high}"),
        "Swing".to_owned(),
    ];
    let value = |d: Decimal| {
        if d.abs() >= Decimal::ONE_HUNDRED {
            kroner(d)
        } else {
            d.round_dp(4).normalize().to_string()
        }
    };
    let rows: Vec<[String; 7]> = tornado
        .bars
        .iter()
        .map(|b| {
            [
                b.input.clone(),
                value(b.base_value),
                value(b.low_value),
                value(b.high_value),
                kroner(b.npv_low),
                kroner(b.npv_high),
                kroner(b.swing),
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
    out.push_str(&format!("Base NPV: {} kr.\n\n", kroner(tornado.base_npv)));
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
    let rate = fixed(break_even.net_success_rate, 4);
    let cost = break_even
        .cost_per_participant
        .map_or_else(|| "n/a".to_owned(), kroner);
    let horizon = break_even.horizon_years.map_or_else(
        || "none within the horizon".to_owned(),
        |h| format!("{h} years"),
    );
    format!(
        "Break-even net success rate        {rate}\n\
         Break-even cost per participant    {cost} kr. (now {} kr.)\n\
         Break-even horizon                 {horizon}\n",
        kroner(break_even.current_cost_per_participant)
    )
}

/// The tornado's table followed by the break-even figures: what `som
/// sensitivity` prints.
pub fn text(analysed: &SensitivityAnalysis) -> String {
    format!(
        "{}\n{}",
        tornado_table(&analysed.tornado),
        break_even_text(&analysed.break_even)
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
