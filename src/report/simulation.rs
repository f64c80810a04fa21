//! A simulation's summary as text or JSON, and every draw as CSV.

use std::io::{self, Write};

use super::{Lang, numbers};
use crate::analysis::Simulation;
use crate::analysis::monte_carlo::Stats;

/// `x` with `decimals` decimals as `format!` writes it, then, in Danish,
/// with thousands dots and a decimal comma: "-1.234.567,9".
fn number(x: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{x:.decimals$}");
    if lang == Lang::En || !x.is_finite() {
        return text;
    }
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

impl Simulation {
    /// The summary as text. P(NPV > 0) has as many decimals as the draws
    /// resolve ([`Simulation::probability_decimals`]): never 1.0000 for 9 998
    /// positive draws of 10 000.
    pub fn to_text(&self) -> String {
        self.to_text_in(Lang::En)
    }

    /// The summary as text in a language. In Danish: Danish labels, NNV for
    /// NPV, and numbers with thousands dots and a decimal comma. The
    /// uncertain inputs keep the names the spec gives them.
    ///
    /// ```
    /// use som::analysis::{simulate, Baseline, SimulationOptions, SimulationSpec};
    /// use som::report::Lang;
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let spec = SimulationSpec::from_json(r#"{"inputs": [
    ///     {"name": "success_rate", "distribution": "uniform", "min": 0.4, "max": 0.5}]}"#, "mc.json", base.model()).unwrap();
    /// let sim = simulate(&base, &spec, SimulationOptions { draws: 1_000, seed: 1, keep_draws: false }).unwrap();
    /// let text = sim.to_text_in(Lang::Da);
    /// assert!(text.contains("1.000 trækninger"));
    /// assert!(text.contains("P(NNV > 0) = 1,000 (1.000 af 1.000 trækninger)"));
    /// ```
    pub fn to_text_in(&self, lang: Lang) -> String {
        let count = |n: u64| match lang {
            Lang::En => n.to_string(),
            Lang::Da => number(n as f64, 0, lang),
        };
        let mut out = match lang {
            Lang::En => format!(
                "Monte Carlo: {}\n{} draws, seed {}, uncertain inputs: {}\n\n",
                self.scenario,
                self.draws,
                self.seed,
                self.inputs.join(", ")
            ),
            Lang::Da => format!(
                "Monte Carlo: {}\n{} trækninger, startværdi {}, usikre forudsætninger: {}\n\n",
                self.scenario,
                count(self.draws),
                self.seed,
                self.inputs.join(", ")
            ),
        };
        let (npv_label, ratio_label) = match lang {
            Lang::En => ("NPV (kr.)", "benefit-cost ratio"),
            Lang::Da => ("NNV (kr.)", "gevinst-omkostningsforhold"),
        };
        let name_width = match lang {
            Lang::En => 20,
            Lang::Da => ratio_label.chars().count() + 2,
        };
        let (draws, mean, sd) = match lang {
            Lang::En => ("draws", "mean", "sd"),
            Lang::Da => ("trækninger", "middel", "spredning"),
        };
        out.push_str(&format!(
            "{:<name_width$}{:>10}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}\n",
            "", draws, mean, sd, "p5", "p25", "p50", "p75", "p95"
        ));
        let row = |name: &str, s: &Stats, dp: usize| {
            let cells = [s.mean, s.sd, s.p5, s.p25, s.p50, s.p75, s.p95]
                .map(|x| format!("{:>16}", number(x, dp, lang)))
                .concat();
            format!("{name:<name_width$}{:>10}{cells}\n", count(s.draws))
        };
        out.push_str(&row(npv_label, &self.npv, 0));
        if let Some(b) = &self.benefit_cost_ratio {
            out.push_str(&row(ratio_label, b, 3));
        }
        let p = number(
            self.probability_npv_positive,
            self.probability_decimals(),
            lang,
        );
        let (positive, all) = (count(self.draws_npv_positive), count(self.npv.draws));
        out.push_str(&match lang {
            Lang::En => format!("\nP(NPV > 0) = {p} ({positive} of {all} draws)\n"),
            Lang::Da => format!("\nP(NNV > 0) = {p} ({positive} af {all} trækninger)\n"),
        });
        if self.outside_engine_range_draws > 0 {
            let (left_out, draws) = (count(self.outside_engine_range_draws), count(self.draws));
            out.push_str(&match lang {
                Lang::En => format!(
                    "warning: {left_out} of {draws} draws gave figures outside the exact engine's range \
                     (beyond ±7.9e28, or not finite) and are left out of every statistic\n"
                ),
                Lang::Da => format!(
                    "advarsel: {left_out} af {draws} trækninger gav tal uden for den eksakte beregnings \
                     område (over ±7,9e28 eller ikke endelige) og indgår ikke i nogen statistik\n"
                ),
            });
        }
        if self.draws_with_ratio < self.npv.draws {
            let without = count(self.npv.draws - self.draws_with_ratio);
            out.push_str(&match lang {
                Lang::En => format!("{without} draws had no benefit-cost ratio (PV costs 0)\n"),
                Lang::Da => format!(
                    "{without} trækninger havde intet gevinst-omkostningsforhold (nutidsværdi af omkostninger 0)\n"
                ),
            });
        }
        if self.out_of_range_draws > 0 {
            let outside = count(self.out_of_range_draws);
            out.push_str(&match lang {
                Lang::En => format!(
                    "warning: {outside} draws had an input outside its accepted range (used as drawn)\n"
                ),
                Lang::Da => format!(
                    "advarsel: {outside} trækninger havde en forudsætning uden for dens tilladte område (brugt som trukket)\n"
                ),
            });
        }
        out
    }

    /// The decimals that show P(NPV > 0) at the resolution of the draws it
    /// rests on: ⌈log10 n⌉ (4 for 10 000 draws). With n ≤ 10^d a share of
    /// k/n short of 1 is at most 1 − 10^−d, which never rounds up to 1, and
    /// a share above 0 never rounds down to 0.
    ///
    /// ```
    /// use som::analysis::{simulate, Baseline, SimulationOptions, SimulationSpec};
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let spec = SimulationSpec::from_json(r#"{"inputs": [
    ///     {"name": "success_rate", "distribution": "fixed", "value": 0.45}]}"#, "mc.json", base.model()).unwrap();
    /// let sim = simulate(&base, &spec, SimulationOptions { draws: 10_000, seed: 1, keep_draws: false }).unwrap();
    /// assert_eq!(sim.probability_decimals(), 4);
    /// ```
    pub fn probability_decimals(&self) -> usize {
        let mut decimals = 0;
        let mut resolution = 1u64;
        while resolution < self.npv.draws {
            resolution = resolution.saturating_mul(10);
            decimals += 1;
        }
        decimals
    }

    /// The summary as JSON: each statistic with the number of draws it rests
    /// on (`draws`), and the draws left out as outside the exact engine's range.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "scenario": self.scenario,
            "draws": self.draws,
            "seed": self.seed,
            "inputs": self.inputs,
            "npv": self.npv,
            "benefit_cost_ratio": self.benefit_cost_ratio,
            "draws_with_ratio": self.draws_with_ratio,
            "probability_npv_positive": self.probability_npv_positive,
            "draws_npv_positive": self.draws_npv_positive,
            "out_of_range_draws": self.out_of_range_draws,
            "outside_engine_range_draws": self.outside_engine_range_draws,
        })
    }

    /// Every draw as CSV: `draw`, the inputs, `npv`, `benefit_cost_ratio`
    /// (empty when undefined, and both empty for a draw outside the exact
    /// engine's range). Empty unless the simulation kept its draws.
    pub fn write_draws_csv(&self, mut out: impl Write) -> io::Result<()> {
        writeln!(out, "draw,{},npv,benefit_cost_ratio", self.inputs.join(","))?;
        let mut buf = Vec::with_capacity(1 << 16);
        for (i, row) in self.every_draw.iter().enumerate() {
            numbers::write_integer(&mut buf, i);
            for v in row {
                buf.push(b',');
                if !v.is_nan() {
                    // As `{v}` writes it: Display's shortest round-trip digits.
                    let _ = write!(buf, "{v}");
                }
            }
            buf.push(b'\n');
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        out.write_all(&buf)
    }
}
