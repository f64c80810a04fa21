//! Running a simulation: draws in parallel blocks, each evaluated by the
//! fast path's closed form, then the statistics over the draws the exact
//! engine could represent.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::BLOCK;
use super::spec::SimulationSpec;
use super::stats::Stats;
use crate::analysis::fast::FastModel;
use crate::analysis::parameter::LinearSetter;
use crate::analysis::sweep::MAX_POINTS;
use crate::analysis::{AnalysisError, Baseline, Parameter};

/// How many draws, from which seed, and whether to keep every draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimulationOptions {
    /// N, 1 ..= 10 000 000.
    pub draws: u64,
    /// The seed of the random streams.
    pub seed: u64,
    /// Keep every draw's inputs and figures (for [`Simulation::write_draws_csv`]).
    pub keep_draws: bool,
}

/// The result of a simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    /// The scenario's name.
    pub scenario: String,
    /// N, the draws made.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// The inputs' names, in spec order.
    pub inputs: Vec<String>,
    /// NPV (all payers), over the draws within the exact engine's range
    /// (`npv.draws` of them).
    pub npv: Stats,
    /// The benefit-cost ratio, over those draws where PV costs is not zero.
    pub benefit_cost_ratio: Option<Stats>,
    /// The number of draws with a benefit-cost ratio (among those within range).
    pub draws_with_ratio: u64,
    /// The share of draws with NPV > 0, among the `npv.draws` within range.
    pub probability_npv_positive: f64,
    /// How many of the `npv.draws` draws had NPV > 0.
    pub draws_npv_positive: u64,
    /// Draws in which some input fell outside its accepted range (used as drawn).
    pub out_of_range_draws: u64,
    /// Draws whose figures the exact engine could not represent (beyond
    /// ±7.9e28 or not finite): left out of every statistic.
    pub outside_engine_range_draws: u64,
    /// Every draw: the inputs in spec order, then NPV and BCR (NaN when
    /// undefined or outside the exact engine's range); empty unless asked for.
    pub every_draw: Vec<Vec<f64>>,
}

/// Runs the simulation, in parallel.
///
/// ```
/// use som::analysis::{simulate, Baseline, SimulationOptions, SimulationSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SimulationSpec::from_json(r#"{"inputs": [
///     {"name": "success_rate", "distribution": "triangular", "min": 0.25, "mode": 0.45, "max": 0.55}]}"#,
///     "mc.json", base.model()).unwrap();
/// let options = SimulationOptions { draws: 10_000, seed: 7, keep_draws: false };
/// let sim = simulate(&base, &spec, options).unwrap();
/// assert!(sim.probability_npv_positive > 0.5);
/// assert_eq!(sim.npv.draws, 10_000);
/// assert_eq!(sim, simulate(&base, &spec, options).unwrap());
/// ```
pub fn simulate(
    base: &Baseline<'_>,
    spec: &SimulationSpec,
    options: SimulationOptions,
) -> Result<Simulation, AnalysisError> {
    simulate_with_progress(base, spec, options, &|_| {})
}

/// [`simulate`], calling `progress(n)` from the worker threads each time a
/// block of n draws is done (for a progress bar); the calls add up to N.
pub fn simulate_with_progress(
    base: &Baseline<'_>,
    spec: &SimulationSpec,
    options: SimulationOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, AnalysisError> {
    draw_all(base, spec, options, progress).map_err(|e| e.in_file(base.file()))
}

/// [`simulate_with_progress`] before its failures are located in the
/// scenario's file.
fn draw_all(
    base: &Baseline<'_>,
    spec: &SimulationSpec,
    options: SimulationOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, AnalysisError> {
    if options.draws == 0 || options.draws > MAX_POINTS {
        return Err(AnalysisError::OutOfRange {
            what: "draws".into(),
            value: options.draws.to_string(),
            expected: format!("1 to {MAX_POINTS} draws"),
        });
    }
    // At most MAX_POINTS: fits in usize on every supported target.
    let n = usize::try_from(options.draws).unwrap_or(usize::MAX);
    let model = base.model();
    let fast = FastModel::new(model);
    let setter = LinearSetter::new(model);
    let structural = spec.inputs.iter().any(|i| !i.parameter.is_linear());
    let k = spec.inputs.len();
    let position = |p: Parameter| spec.inputs.iter().position(|i| i.parameter == p);
    let (discount, decay) = (
        position(Parameter::DiscountRate),
        position(Parameter::AnnualDecay),
    );

    // Each draw's NPV and BCR, NaN for a draw outside the exact engine's
    // range (and for an undefined ratio): two columns, reordered in place
    // for the statistics, rather than a record per draw and copies.
    let mut npvs = vec![0.0; n];
    let mut bcrs = vec![0.0; n];
    let out_of_range = AtomicU64::new(0);
    // The drawn inputs, k per draw, only when kept.
    let mut kept = vec![0.0; if options.keep_draws { n * k } else { 0 }];
    // One slice of `kept` per block (none when nothing is kept).
    let mut kept_blocks: Vec<Option<&mut [f64]>> =
        kept.chunks_mut(BLOCK * k.max(1)).map(Some).collect();
    kept_blocks.resize_with(n.div_ceil(BLOCK), || None);
    // The caller's cancellation token (see crate::cancel), checked per block.
    let cancel = crate::cancel::Cancel::current();
    npvs.par_chunks_mut(BLOCK)
        .zip(bcrs.par_chunks_mut(BLOCK))
        .zip(kept_blocks.into_par_iter())
        .enumerate()
        .try_for_each(|(block, ((npv_out, bcr_out), mut kept))| {
            if cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
                return Err(AnalysisError::Calculation {
                    point: "the simulation".into(),
                    source: crate::CalcError::Cancelled,
                });
            }
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(block as u64);
            let mut values = vec![0.0; k];
            let mut point = fast.base_point();
            let mut block_out_of_range = 0;
            for (d, (npv_slot, bcr_slot)) in npv_out.iter_mut().zip(bcr_out.iter_mut()).enumerate()
            {
                for (v, input) in values.iter_mut().zip(&spec.inputs) {
                    *v = input.sampler.sample(&mut rng);
                }
                let rebuilt;
                let fast = if structural {
                    rebuilt = FastModel::with_overrides(
                        model,
                        discount.map(|i| values[i]),
                        decay.map(|i| values[i]),
                    );
                    &rebuilt
                } else {
                    &fast
                };
                point.clone_from(fast.base());
                let mut setter = setter.clone();
                for (v, input) in values.iter().zip(&spec.inputs) {
                    setter.set(&mut point, input.parameter, *v);
                }
                setter.finish(&mut point);
                let o = fast.evaluate(&point);
                if o.within_engine_range() {
                    *npv_slot = o.npv;
                    *bcr_slot = o.benefit_cost_ratio.unwrap_or(f64::NAN);
                } else {
                    *npv_slot = f64::NAN;
                    *bcr_slot = f64::NAN;
                }
                if values
                    .iter()
                    .zip(&spec.inputs)
                    .any(|(v, i)| i.parameter.rejects(*v).is_some())
                {
                    block_out_of_range += 1;
                }
                if let Some(kept) = kept.as_deref_mut() {
                    kept[d * k..(d + 1) * k].copy_from_slice(&values);
                }
            }
            out_of_range.fetch_add(block_out_of_range, Ordering::Relaxed);
            progress(npv_out.len() as u64);
            Ok(())
        })?;

    // A within-range NPV is finite: NaN marks the draws left out.
    let first_outside = npvs.iter().position(|v| v.is_nan());
    let every_draw = if options.keep_draws {
        npvs.iter()
            .zip(&bcrs)
            .enumerate()
            .map(|(d, (npv, bcr))| {
                let mut row = kept[d * k..(d + 1) * k].to_vec();
                row.extend([*npv, *bcr]);
                row
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut within = npvs;
    within.retain(|v| !v.is_nan());
    let outside = n - within.len();
    let positive = within.iter().filter(|v| **v > 0.0).count();
    bcrs.retain(|v| !v.is_nan());
    let draws_with_ratio = bcrs.len() as u64;
    let used = within.len();
    // The two figures' statistics side by side (each is sequential, so its
    // sums keep the draw order).
    let (npv, benefit_cost_ratio) =
        rayon::join(|| Stats::of_owned(within), || Stats::of_owned(bcrs));
    let Some(npv) = npv else {
        return Err(AnalysisError::OutsideEngineRange {
            what: "draws".into(),
            count: outside as u64,
            total: n as u64,
            first: describe_draw(spec, options, first_outside.unwrap_or(0)),
        });
    };
    Ok(Simulation {
        scenario: model.name.clone(),
        draws: options.draws,
        seed: options.seed,
        inputs: spec.inputs.iter().map(|i| i.name.clone()).collect(),
        npv,
        benefit_cost_ratio,
        draws_with_ratio,
        probability_npv_positive: positive as f64 / used as f64,
        draws_npv_positive: positive as u64,
        out_of_range_draws: out_of_range.into_inner(),
        outside_engine_range_draws: outside as u64,
        every_draw,
    })
}

/// `draw i (name = value, ...)`: the draw's inputs, drawn again from its
/// block's stream (only for an error message).
fn describe_draw(spec: &SimulationSpec, options: SimulationOptions, index: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream((index / BLOCK) as u64);
    let mut values = vec![0.0; spec.inputs.len()];
    for _ in 0..=index % BLOCK {
        for (v, input) in values.iter_mut().zip(&spec.inputs) {
            *v = input.sampler.sample(&mut rng);
        }
    }
    let inputs: Vec<String> = spec
        .inputs
        .iter()
        .zip(values)
        .map(|(i, v)| format!("{} = {v:e}", i.name))
        .collect();
    format!("draw {index} ({})", inputs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fast::{ENGINE_MAX, to_f64};
    use crate::{KnowledgeBase, Scenario, engine};

    fn base() -> Baseline<'static> {
        Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
    }

    fn spec(json: &str) -> Result<SimulationSpec, AnalysisError> {
        SimulationSpec::from_json(json, "mc.json", base().model())
    }

    const UNCERTAIN: &str = r#"{"inputs": [
        {"name": "success_rate", "distribution": "triangular", "min": 0.3, "mode": 0.45, "max": 0.55},
        {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
        {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
        {"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 0, "sigma": 0.1},
        {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2},
        {"name": "annual_decay", "distribution": "pert", "min": 0.05, "mode": 0.1, "max": 0.2}]}"#;

    fn options(draws: u64, seed: u64) -> SimulationOptions {
        SimulationOptions {
            draws,
            seed,
            keep_draws: true,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_result() {
        let b = base();
        let s = spec(UNCERTAIN).unwrap();
        let one = simulate(&b, &s, options(10_000, 42)).unwrap();
        assert_eq!(one, simulate(&b, &s, options(10_000, 42)).unwrap());
        assert_ne!(one.npv, simulate(&b, &s, options(10_000, 43)).unwrap().npv);
    }

    #[test]
    fn the_result_does_not_depend_on_the_thread_count() {
        let b = base();
        let s = spec(UNCERTAIN).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| simulate(&b, &s, options(20_000, 9)).unwrap())
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(5));
    }

    #[test]
    fn fixed_inputs_reproduce_the_exact_engine() {
        let b = base();
        let s = spec(
            r#"{"inputs": [{"name": "success_rate", "distribution": "fixed", "value": 0.45},
                           {"name": "annual_decay", "distribution": "fixed", "value": 0.1}]}"#,
        )
        .unwrap();
        let sim = simulate(&b, &s, options(100, 1)).unwrap();
        let exact = to_f64(engine::evaluate(b.model()).unwrap().summary.npv.total);
        for v in [sim.npv.mean, sim.npv.min, sim.npv.p50, sim.npv.max] {
            assert!((v - exact).abs() <= 1e-9 * exact.abs(), "{v} vs {exact}");
        }
        assert!(sim.npv.sd <= 1e-9 * exact.abs());
        assert_eq!(sim.probability_npv_positive, 1.0);
    }

    #[test]
    fn draws_follow_their_distribution() {
        let b = base();
        let s = spec(
            r#"{"inputs": [{"name": "participants_scale", "distribution": "uniform", "min": 0, "max": 2}]}"#,
        )
        .unwrap();
        let sim = simulate(&b, &s, options(50_000, 3)).unwrap();
        let inputs: Vec<f64> = sim.every_draw.iter().map(|r| r[0]).collect();
        let mean = inputs.iter().sum::<f64>() / inputs.len() as f64;
        assert!((mean - 1.0).abs() < 0.02, "{mean}");
        assert!(inputs.iter().all(|v| (0.0..=2.0).contains(v)));
        assert_eq!(sim.out_of_range_draws, 0);
    }

    #[test]
    fn bad_specs_and_draw_counts_are_errors() {
        let cases = [
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "uniform", "min": 0.5, "max": 0.4}]}"#,
                "$.inputs[0].max",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "normal", "mean": 0.5, "sd": -0.1}]}"#,
                "$.inputs[0].sd",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "triangular", "min": 0.1, "mode": 0.9, "max": 0.5}]}"#,
                "$.inputs[0].mode",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "normal", "mean": 0.5}]}"#,
                "$.inputs[0]",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "normal", "mean": 0.5, "sd": 0.1, "min": 0}]}"#,
                "$.inputs[0].min",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "gaussian", "mean": 0.5, "sd": 0.1}]}"#,
                "$.inputs[0].distribution",
            ),
            (
                r#"{"inputs": [{"name": "horizon_years", "distribution": "fixed", "value": 5}]}"#,
                "$.inputs[0].name",
            ),
            (
                r#"{"inputs": [{"name": "cost:Teem", "distribution": "fixed", "value": 5}]}"#,
                "$.inputs[0].name",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "beta", "alpha": 0, "beta": 1}]}"#,
                "$.inputs[0].alpha",
            ),
            (
                r#"{"inputs": [{"name": "success_rate", "distribution": "pert", "min": 0.2, "mode": 0.2, "max": 0.2}]}"#,
                "$.inputs[0].max",
            ),
            (r#"{"inputs": []}"#, "$.inputs"),
        ];
        for (json, path) in cases {
            let e = spec(json).unwrap_err().to_string();
            assert!(e.contains(&format!("mc.json: {path}")), "{json}: {e}");
        }
        let b = base();
        let s = spec(UNCERTAIN).unwrap();
        for n in [0, 1_000_000_000_000] {
            assert!(matches!(
                simulate(&b, &s, options(n, 1))
                    .as_ref()
                    .map_err(AnalysisError::unlocated),
                Err(AnalysisError::OutOfRange { .. })
            ));
        }
    }

    #[test]
    fn out_of_range_draws_are_counted_not_clamped() {
        let b = base();
        let s = spec(
            r#"{"inputs": [{"name": "completion_rate", "distribution": "uniform", "min": 0.5, "max": 1.5}]}"#,
        )
        .unwrap();
        let sim = simulate(&b, &s, options(10_000, 5)).unwrap();
        let above = sim.every_draw.iter().filter(|r| r[0] > 1.0).count() as u64;
        assert!(above > 0);
        assert_eq!(sim.out_of_range_draws, above);
    }

    #[test]
    fn a_cancelled_token_stops_a_simulation() {
        let b = base();
        let s = spec(UNCERTAIN).unwrap();
        let token = crate::cancel::Cancel::new();
        token.cancel();
        let stopped = token.run(|| simulate(&b, &s, options(100_000, 1)));
        assert!(matches!(
            stopped,
            Err(AnalysisError::Calculation {
                source: crate::CalcError::Cancelled,
                ..
            })
        ));
    }

    #[test]
    fn draws_the_exact_engine_cannot_represent_refuse_the_run_when_none_is_left() {
        // Issue 18: a lognormal price scale with mu = 700 gave a mean of inf,
        // NaN percentiles and P(NPV > 0) = 1.0000. exp(700) is about 1e304,
        // times PV gains of 2.7e7: every draw is beyond 7.9e28 or infinite.
        let b = base();
        let s = spec(
            r#"{"inputs": [{"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 700, "sigma": 1}]}"#,
        )
        .unwrap();
        let e = simulate(&b, &s, options(1000, 1)).unwrap_err();
        assert!(
            matches!(
                e.unlocated(),
                AnalysisError::OutsideEngineRange {
                    count: 1000,
                    total: 1000,
                    ..
                }
            ),
            "{e}"
        );
        let message = e.to_string();
        assert!(message.contains("1000 of 1000 draws"), "{message}");
        assert!(
            message.contains("draw 0 (price_scale:shelter-day = "),
            "{message}"
        );
    }

    #[test]
    fn draws_outside_the_engines_range_are_counted_and_left_out_of_every_statistic() {
        // exp(N(64, 4)) times PV gains of 2.7e7 crosses 7.9e28 near the
        // median: roughly half the draws are out.
        let b = base();
        let s = spec(
            r#"{"inputs": [{"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 50, "sigma": 4}]}"#,
        )
        .unwrap();
        let sim = simulate(&b, &s, options(4000, 2)).unwrap();
        // Independently of the fast path's range check: PV gains are linear in
        // the price scale, PV costs do not move, so a draw is out exactly when
        // scale · PV gains at scale 1 exceeds Decimal::MAX (costs of 1e7 are
        // far below the rounding of such numbers).
        // Only the shelter-day line moves with its price scale; the other
        // lines' PV gains (about 1e7) vanish beside 7.9e28.
        let exact = engine::evaluate(b.model()).unwrap();
        let gains = exact
            .lines
            .iter()
            .find(|l| &*l.service == "shelter-day")
            .map(|l| to_f64(l.pv_gains))
            .unwrap();
        let expected = sim
            .every_draw
            .iter()
            .filter(|r| r[0] * gains > ENGINE_MAX)
            .count() as u64;
        assert!(expected > 1000 && expected < 3000, "{expected}");
        assert_eq!(sim.outside_engine_range_draws, expected);
        assert_eq!(sim.npv.draws + expected, 4000);
        assert!(sim.npv.max <= ENGINE_MAX && sim.npv.mean.is_finite());
        let blank = sim.every_draw.iter().filter(|r| r[1].is_nan()).count() as u64;
        assert_eq!(blank, expected);
        assert_eq!(
            sim.probability_npv_positive,
            sim.draws_npv_positive as f64 / sim.npv.draws as f64
        );
    }
}
