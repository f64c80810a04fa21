//! A simulation's summary as text or JSON, and every draw as CSV.

use std::io::{self, Write};

use super::numbers;
use crate::analysis::Simulation;
use crate::analysis::monte_carlo::Stats;

impl Simulation {
    /// The summary as text. P(NPV > 0) has as many decimals as the draws
    /// resolve ([`Simulation::probability_decimals`]): never 1.0000 for 9 998
    /// positive draws of 10 000.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Monte Carlo: {}\n{} draws, seed {}, uncertain inputs: {}\n\n",
            self.scenario,
            self.draws,
            self.seed,
            self.inputs.join(", ")
        );
        out.push_str(&format!(
            "{:<20}{:>10}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}\n",
            "", "draws", "mean", "sd", "p5", "p25", "p50", "p75", "p95"
        ));
        let row = |name: &str, s: &Stats, dp: usize| {
            format!(
                "{name:<20}{:>10}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}\n",
                s.draws, s.mean, s.sd, s.p5, s.p25, s.p50, s.p75, s.p95
            )
        };
        out.push_str(&row("NPV (kr.)", &self.npv, 0));
        if let Some(b) = &self.benefit_cost_ratio {
            out.push_str(&row("benefit-cost ratio", b, 3));
        }
        out.push_str(&format!(
            "\nP(NPV > 0) = {:.dp$} ({} of {} draws)\n",
            self.probability_npv_positive,
            self.draws_npv_positive,
            self.npv.draws,
            dp = self.probability_decimals(),
        ));
        if self.outside_engine_range_draws > 0 {
            out.push_str(&format!(
                "warning: {} of {} draws gave figures outside the exact engine's range \
                 (beyond ±7.9e28, or not finite) and are left out of every statistic\n",
                self.outside_engine_range_draws, self.draws
            ));
        }
        if self.draws_with_ratio < self.npv.draws {
            out.push_str(&format!(
                "{} draws had no benefit-cost ratio (PV costs 0)\n",
                self.npv.draws - self.draws_with_ratio
            ));
        }
        if self.out_of_range_draws > 0 {
            out.push_str(&format!(
                "warning: {} draws had an input outside its accepted range (used as drawn)\n",
                self.out_of_range_draws
            ));
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
