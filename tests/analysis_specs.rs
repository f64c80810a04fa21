//! Spec files are user input: whatever they hold, reading and running them
//! gives a result or an error, never a panic.

use proptest::prelude::*;
use som::analysis::{
    AnalysisError, Baseline, SimulationOptions, SimulationSpec, SweepSpec, simulate, sweep,
};
use som::{KnowledgeBase, Scenario};

const NAMES: [&str; 14] = [
    "success_rate",
    "baseline_rate",
    "net_success_rate",
    "completion_rate",
    "participants_scale",
    "discount_rate",
    "annual_decay",
    "horizon_years",
    "cost:Team",
    "cost:Support",
    "price_scale:shelter-day",
    "price_scale:nope",
    "cost:",
    "",
];

const KINDS: [&str; 8] = [
    "fixed",
    "uniform",
    "triangular",
    "normal",
    "lognormal",
    "beta",
    "pert",
    "cauchy",
];

/// Mostly plausible numbers, sometimes extreme or not numbers at all.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0i64..=1000).prop_map(|v| format!("{}", v as f64 / 1000.0)),
        2 => (-3i64..=30).prop_map(|v| v.to_string()),
        1 => prop::sample::select(vec![
            "1e300", "-1e300", "79228162514264337593543950335", "-0.5", "\"x\"", "null",
        ])
        .prop_map(str::to_owned),
    ]
}

fn axis() -> impl Strategy<Value = String> {
    (
        prop::sample::select(NAMES.to_vec()),
        prop_oneof![
            3 => prop::collection::vec(number(), 1..4)
                .prop_map(|v| format!("\"values\": [{}]", v.join(", "))),
            3 => (number(), number(), number()).prop_map(|(f, t, s)| {
                format!("\"from\": {f}, \"to\": {t}, \"step\": {s}")
            }),
            1 => (number(), prop::collection::vec(number(), 0..2)).prop_map(|(f, v)| {
                format!("\"from\": {f}, \"values\": [{}]", v.join(", "))
            }),
        ],
    )
        .prop_map(|(name, body)| format!("{{\"name\": \"{name}\", {body}}}"))
}

fn required(kind: &str) -> &'static [&'static str] {
    match kind {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "triangular" | "pert" => &["min", "mode", "max"],
        "normal" => &["mean", "sd"],
        "lognormal" => &["mu", "sigma"],
        "beta" => &["alpha", "beta"],
        _ => &["mean"],
    }
}

fn input() -> impl Strategy<Value = String> {
    (
        prop::sample::select(NAMES.to_vec()),
        prop::sample::select(KINDS.to_vec()),
        prop::collection::vec(number(), 3),
        prop::option::of((
            prop::sample::select(vec!["value", "min", "max", "sd", "alpha"]),
            number(),
        )),
    )
        .prop_map(|(name, kind, numbers, extra)| {
            let mut out = vec![
                format!("\"name\": \"{name}\""),
                format!("\"distribution\": \"{kind}\""),
            ];
            let fields = required(kind);
            for (f, v) in fields.iter().zip(&numbers) {
                out.push(format!("\"{f}\": {v}"));
            }
            if let Some((f, v)) = extra
                && !fields.contains(&f)
            {
                out.push(format!("\"{f}\": {v}"));
            }
            format!("{{{}}}", out.join(", "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_sweep_spec_gives_a_result_or_an_error(axes in prop::collection::vec(axis(), 0..4)) {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        let json = format!("{{\"parameters\": [{}]}}", axes.join(", "));
        if let Ok(spec) = SweepSpec::from_json(&json, "spec.json", base.model())
            && spec.points() <= 10_000
        {
            let _ = sweep(&base, &spec);
        }
    }

    #[test]
    fn any_simulation_spec_gives_a_result_or_an_error(inputs in prop::collection::vec(input(), 0..4)) {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        let json = format!("{{\"inputs\": [{}]}}", inputs.join(", "));
        if let Ok(spec) = SimulationSpec::from_json(&json, "mc.json", base.model()) {
            let options = SimulationOptions { draws: 50, seed: 1, keep_draws: true };
            // A result whose statistics rest only on draws the exact engine
            // could represent, or a refusal when no draw is left (issue 18).
            match simulate(&base, &spec, options) {
                Ok(sim) => {
                    prop_assert_eq!(sim.npv.draws + sim.outside_engine_range_draws, 50);
                    for v in [sim.npv.mean, sim.npv.sd, sim.npv.min, sim.npv.max] {
                        prop_assert!(v.is_finite() && v.abs() <= 7.93e28, "{}", v);
                    }
                    let _ = sim.to_text();
                    let _ = sim.write_draws_csv(std::io::sink());
                }
                Err(e) => match e.unlocated() {
                    AnalysisError::OutsideEngineRange { count, total, .. } => {
                        prop_assert_eq!((*count, *total), (50, 50));
                        // Located in the scenario's file (issue 18).
                        prop_assert_eq!(e.problems().len(), 1);
                    }
                    _ => prop_assert!(false, "{}", e),
                },
            }
        }
    }
}
