//! Monte Carlo simulation: distributions on uncertain inputs, N draws, the
//! distribution of NPV and the benefit-cost ratio.
//!
//! # The spec
//!
//! ```json
//! {
//!   "inputs": [
//!     {"name": "success_rate", "distribution": "triangular", "min": 0.35, "mode": 0.45, "max": 0.55},
//!     {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
//!     {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
//!     {"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 0, "sigma": 0.1},
//!     {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2},
//!     {"name": "annual_decay", "distribution": "pert", "min": 0.05, "mode": 0.1, "max": 0.2},
//!     {"name": "baseline_rate", "distribution": "fixed", "value": 0.2}
//!   ]
//! }
//! ```
//!
//! Names are the [parameters](super::parameter) of sweeps, except
//! `horizon_years`. Distributions and their fields:
//!
//! | distribution | fields                  | draws                                                   |
//! |--------------|-------------------------|---------------------------------------------------------|
//! | `fixed`      | `value`                 | always `value`                                          |
//! | `uniform`    | `min` ≤ `max`           | uniform on [min, max]                                   |
//! | `triangular` | `min` ≤ `mode` ≤ `max`  | triangular                                              |
//! | `normal`     | `mean`, `sd` ≥ 0        | normal                                                  |
//! | `lognormal`  | `mu`, `sigma` ≥ 0       | exp(normal(mu, sigma)): `mu`, `sigma` of the logarithm  |
//! | `beta`       | `alpha` > 0, `beta` > 0, optional `min` < `max` (default 0, 1) | min + (max − min) · beta(alpha, beta) |
//! | `pert`       | `min` < `max`, `min` ≤ `mode` ≤ `max` | beta-PERT (shape 4)                       |
//!
//! Draws are used as drawn, never clamped: a normal success rate can fall
//! outside [0, 1]. Such draws are counted ([`Simulation::out_of_range_draws`]);
//! prefer bounded distributions (beta, PERT, triangular, uniform) for rates.
//!
//! # Reproducibility
//!
//! The draws are split into blocks of 4096; block b draws from a ChaCha8
//! generator seeded with the seed on stream b, the inputs of each draw in
//! spec order. So the result depends only on the seed, the spec and N, never
//! on the number of threads; summary statistics are summed in draw order.
//!
//! # Evaluation
//!
//! Linear inputs use the [fast path](super::fast) with no rebuild;
//! `discount_rate` and `annual_decay` rebuild the fast model for each draw
//! (slower, still far faster than the exact engine).

use std::io::{self, Write};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Pert, Triangular, Uniform};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fast::FastModel;
use super::parameter::LinearSetter;
use super::sweep::MAX_POINTS;
use super::{AnalysisError, Baseline, Parameter};
use crate::Problem;
use crate::knowledge_base::EvidenceScale;
use crate::model::Model;
use rust_decimal::prelude::ToPrimitive;

/// Draws per block with its own random stream.
const BLOCK: usize = 4096;

/// A distribution of an uncertain input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InputDistribution {
    /// Always this value.
    Fixed(f64),
    /// Uniform on [min, max].
    Uniform {
        /// The lower bound.
        min: f64,
        /// The upper bound.
        max: f64,
    },
    /// Triangular.
    Triangular {
        /// The lower bound.
        min: f64,
        /// The most likely value.
        mode: f64,
        /// The upper bound.
        max: f64,
    },
    /// Normal.
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation.
        sd: f64,
    },
    /// exp(Normal(mu, sigma)).
    LogNormal {
        /// The mean of the logarithm.
        mu: f64,
        /// The standard deviation of the logarithm.
        sigma: f64,
    },
    /// min + (max − min) · Beta(alpha, beta).
    Beta {
        /// The first shape.
        alpha: f64,
        /// The second shape.
        beta: f64,
        /// The lower bound.
        min: f64,
        /// The upper bound.
        max: f64,
    },
    /// Beta-PERT with shape 4.
    Pert {
        /// The lower bound.
        min: f64,
        /// The most likely value.
        mode: f64,
        /// The upper bound.
        max: f64,
    },
}

/// A ready-to-sample distribution.
#[derive(Clone, Copy, Debug)]
enum Sampler {
    Fixed(f64),
    Uniform(Uniform<f64>),
    Triangular(Triangular<f64>),
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Beta(Beta<f64>, f64, f64),
    Pert(Pert<f64>),
}

impl Sampler {
    fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Beta(d, min, max) => min + (max - min) * d.sample(rng),
            Sampler::Pert(d) => d.sample(rng),
        }
    }
}

/// One uncertain input: a parameter and its distribution.
#[derive(Clone, Debug)]
pub struct Input {
    /// The parameter.
    pub parameter: Parameter,
    /// Its name as written in the spec.
    pub name: String,
    /// Its distribution.
    pub distribution: InputDistribution,
    sampler: Sampler,
}

/// A validated simulation spec.
#[derive(Clone, Debug, Default)]
pub struct SimulationSpec {
    /// The uncertain inputs, in spec order.
    pub inputs: Vec<Input>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    inputs: Vec<InputFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputFile {
    name: String,
    distribution: String,
    value: Option<f64>,
    min: Option<f64>,
    mode: Option<f64>,
    max: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    mu: Option<f64>,
    sigma: Option<f64>,
    alpha: Option<f64>,
    beta: Option<f64>,
}

const KINDS: [&str; 7] = [
    "fixed",
    "uniform",
    "triangular",
    "normal",
    "lognormal",
    "beta",
    "pert",
];

impl InputFile {
    /// The fields given, by name.
    fn fields(&self) -> [(&'static str, Option<f64>); 10] {
        [
            ("value", self.value),
            ("min", self.min),
            ("mode", self.mode),
            ("max", self.max),
            ("mean", self.mean),
            ("sd", self.sd),
            ("mu", self.mu),
            ("sigma", self.sigma),
            ("alpha", self.alpha),
            ("beta", self.beta),
        ]
    }
}

/// Checks the fields of one input's distribution; the problems go to `problems`.
fn distribution(
    a: &InputFile,
    file: &str,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<(InputDistribution, Sampler)> {
    let before = problems.len();
    let at = |field: &str, found: String, expected: String| {
        Problem::new(file, format!("{path}{field}"), found, expected)
    };
    let (required, optional): (&[&str], &[&str]) = match a.distribution.as_str() {
        "fixed" => (&["value"], &[]),
        "uniform" => (&["min", "max"], &[]),
        "triangular" | "pert" => (&["min", "mode", "max"], &[]),
        "normal" => (&["mean", "sd"], &[]),
        "lognormal" => (&["mu", "sigma"], &[]),
        "beta" => (&["alpha", "beta"], &["min", "max"]),
        other => {
            let p = Problem::new(
                file,
                format!("{path}.distribution"),
                format!("`{other}`"),
                format!("one of {}", KINDS.join(", ")),
            )
            .suggest(other, KINDS);
            problems.push(p);
            return None;
        }
    };
    for (field, value) in a.fields() {
        let wanted = required.contains(&field) || optional.contains(&field);
        match value {
            Some(_) if !wanted => problems.push(at(
                &format!(".{field}"),
                format!("`{field}`"),
                format!(
                    "only {} for a {} distribution",
                    required.join(", "),
                    a.distribution
                ),
            )),
            None if required.contains(&field) => problems.push(at(
                "",
                format!("no `{field}`"),
                format!(
                    "{} for a {} distribution",
                    required.join(", "),
                    a.distribution
                ),
            )),
            Some(v) if !v.is_finite() => problems.push(at(
                &format!(".{field}"),
                v.to_string(),
                "a finite number".into(),
            )),
            _ => {}
        }
    }
    if problems.len() > before {
        return None;
    }
    let v = |x: Option<f64>| x.unwrap_or_default();
    let (min, max) = (v(a.min), v(a.max));
    let ordered = |problems: &mut Vec<Problem>, strict: bool| {
        if min > max || (strict && min == max) {
            let rel = if strict { ">" } else { ">=" };
            problems.push(at(
                ".max",
                max.to_string(),
                format!("a value {rel} min ({min})"),
            ));
        } else if a.mode.is_some_and(|m| m < min || m > max) {
            problems.push(at(
                ".mode",
                v(a.mode).to_string(),
                format!("a value from min ({min}) to max ({max})"),
            ));
        }
    };
    let built = match a.distribution.as_str() {
        "fixed" => Some((
            InputDistribution::Fixed(v(a.value)),
            Sampler::Fixed(v(a.value)),
        )),
        "uniform" => {
            ordered(problems, false);
            Uniform::new_inclusive(min, max)
                .ok()
                .map(|u| (InputDistribution::Uniform { min, max }, Sampler::Uniform(u)))
        }
        "triangular" => {
            ordered(problems, false);
            let mode = v(a.mode);
            Triangular::new(min, max, mode).ok().map(|t| {
                (
                    InputDistribution::Triangular { min, mode, max },
                    Sampler::Triangular(t),
                )
            })
        }
        "pert" => {
            ordered(problems, true);
            let mode = v(a.mode);
            Pert::new(min, max)
                .with_mode(mode)
                .ok()
                .map(|p| (InputDistribution::Pert { min, mode, max }, Sampler::Pert(p)))
        }
        "normal" => {
            let (mean, sd) = (v(a.mean), v(a.sd));
            if sd < 0.0 {
                problems.push(at(
                    ".sd",
                    sd.to_string(),
                    "a standard deviation >= 0".into(),
                ));
            }
            Normal::new(mean, sd)
                .ok()
                .map(|n| (InputDistribution::Normal { mean, sd }, Sampler::Normal(n)))
        }
        "lognormal" => {
            let (mu, sigma) = (v(a.mu), v(a.sigma));
            if sigma < 0.0 {
                problems.push(at(
                    ".sigma",
                    sigma.to_string(),
                    "a standard deviation >= 0".into(),
                ));
            }
            LogNormal::new(mu, sigma).ok().map(|n| {
                (
                    InputDistribution::LogNormal { mu, sigma },
                    Sampler::LogNormal(n),
                )
            })
        }
        _ => {
            let (alpha, beta) = (v(a.alpha), v(a.beta));
            let (min, max) = (a.min.unwrap_or(0.0), a.max.unwrap_or(1.0));
            if alpha <= 0.0 {
                problems.push(at(".alpha", alpha.to_string(), "a shape > 0".into()));
            }
            if beta <= 0.0 {
                problems.push(at(".beta", beta.to_string(), "a shape > 0".into()));
            }
            if min >= max {
                problems.push(at(
                    ".max",
                    max.to_string(),
                    format!("a value > min ({min})"),
                ));
            }
            Beta::new(alpha, beta).ok().map(|b| {
                (
                    InputDistribution::Beta {
                        alpha,
                        beta,
                        min,
                        max,
                    },
                    Sampler::Beta(b, min, max),
                )
            })
        }
    };
    if problems.len() > before {
        return None;
    }
    match built {
        Some(b) => Some(b),
        None => {
            problems.push(Problem::new(
                file,
                path.to_owned(),
                format!("a {} distribution", a.distribution),
                "parameters the distribution accepts",
            ));
            None
        }
    }
}

impl SimulationSpec {
    /// Reads and validates a spec against a scenario, naming `file` in problems.
    ///
    /// ```
    /// use som::analysis::{Baseline, SimulationSpec};
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let bad = SimulationSpec::from_json(r#"{"inputs": [
    ///     {"name": "success_rate", "distribution": "uniform", "min": 0.5, "max": 0.4}]}"#,
    ///     "mc.json", base.model());
    /// assert!(bad.unwrap_err().to_string().contains("mc.json: $.inputs[0].max"));
    /// ```
    pub fn from_json(
        text: &str,
        file: &str,
        model: &Model,
    ) -> Result<SimulationSpec, AnalysisError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let spec: SpecFile = serde_path_to_error::deserialize(de).map_err(|e| {
            AnalysisError::InvalidSpec(vec![crate::problem::from_serde(file, "$", e)])
        })?;
        let mut problems = Vec::new();
        let mut inputs: Vec<Input> = Vec::new();
        if spec.inputs.is_empty() {
            problems.push(Problem::new(
                file,
                "$.inputs",
                "an empty list",
                "at least one input",
            ));
        }
        for (i, a) in spec.inputs.iter().enumerate() {
            let path = format!("$.inputs[{i}]");
            let parameter = match Parameter::parse(&a.name, model, file, &format!("{path}.name")) {
                Ok(Parameter::HorizonYears) => {
                    problems.push(Problem::new(
                        file,
                        format!("{path}.name"),
                        "`horizon_years`",
                        "an input other than horizon_years (sweep the horizon instead)",
                    ));
                    continue;
                }
                Ok(p) => p,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            if inputs.iter().any(|x| x.parameter == parameter) {
                problems.push(Problem::new(
                    file,
                    format!("{path}.name"),
                    format!("`{}` a second time", a.name),
                    "each input at most once",
                ));
                continue;
            }
            if let Some((distribution, sampler)) = distribution(a, file, &path, &mut problems) {
                inputs.push(Input {
                    parameter,
                    name: a.name.clone(),
                    distribution,
                    sampler,
                });
            }
        }
        if problems.is_empty() {
            Ok(SimulationSpec { inputs })
        } else {
            Err(AnalysisError::InvalidSpec(problems))
        }
    }
}

impl SimulationSpec {
    /// Adds a default distribution for every graded consequence line whose
    /// price scale the spec leaves out (issue: evidence grading): triangular
    /// with min 1 − u, mode 1, max 1 + u, u the uncertainty of the line's grade
    /// in `evidence.json` (grade 1 ± 10 % ... grade 5 ± 50 %). Lines without a
    /// grade stay fixed.
    ///
    /// ```
    /// use som::analysis::{Baseline, SimulationSpec};
    /// let kb = som::KnowledgeBase::embedded();
    /// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
    /// let spec = SimulationSpec::default().with_grade_defaults(base.model(), kb.evidence_scale());
    /// assert_eq!(spec.inputs[0].name, "price_scale:shelter-day");
    /// ```
    pub fn with_grade_defaults(mut self, model: &Model, scale: &EvidenceScale) -> SimulationSpec {
        for (i, line) in model.lines.iter().enumerate() {
            let parameter = Parameter::PriceScale(i);
            if self.inputs.iter().any(|x| x.parameter == parameter) {
                continue;
            }
            let Some(u) = line
                .grade
                .and_then(|g| scale.grade(g))
                .and_then(|g| g.uncertainty.to_f64())
            else {
                continue;
            };
            let (min, mode, max) = (1.0 - u, 1.0, 1.0 + u);
            let sampler = match Triangular::new(min, max, mode) {
                Ok(t) => Sampler::Triangular(t),
                // u = 0: no uncertainty, the line stays at its value.
                Err(_) => continue,
            };
            self.inputs.push(Input {
                parameter,
                name: format!("price_scale:{}", line.service),
                distribution: InputDistribution::Triangular { min, mode, max },
                sampler,
            });
        }
        self
    }
}

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

/// Summary statistics of a simulated figure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation (n − 1; 0 for one draw).
    pub sd: f64,
    /// The smallest draw.
    pub min: f64,
    /// The 5th percentile.
    pub p5: f64,
    /// The 25th percentile.
    pub p25: f64,
    /// The median.
    pub p50: f64,
    /// The 75th percentile.
    pub p75: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The largest draw.
    pub max: f64,
}

impl Stats {
    /// Statistics of values; percentiles interpolate linearly between order
    /// statistics (position p · (n − 1), as R's type 7 and numpy's default).
    /// Sums run in the given order, so equal inputs give equal bits.
    ///
    /// ```
    /// let s = som::analysis::monte_carlo::Stats::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
    /// assert_eq!((s.mean, s.p50, s.p25, s.min), (2.5, 2.5, 1.75, 1.0));
    /// ```
    pub fn of(values: &[f64]) -> Option<Stats> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        sorted.par_sort_unstable_by(f64::total_cmp);
        let q = |p: f64| {
            let pos = p * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        };
        Some(Stats {
            mean,
            sd,
            min: sorted[0],
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
            max: sorted[n - 1],
        })
    }
}

/// The result of a simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    /// The scenario's name.
    pub scenario: String,
    /// N.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// The inputs' names, in spec order.
    pub inputs: Vec<String>,
    /// NPV (all payers).
    pub npv: Stats,
    /// The benefit-cost ratio, over the draws where PV costs is not zero.
    pub benefit_cost_ratio: Option<Stats>,
    /// The number of draws with a benefit-cost ratio.
    pub draws_with_ratio: u64,
    /// The share of draws with NPV > 0.
    pub probability_npv_positive: f64,
    /// Draws in which some input fell outside its accepted range (used as drawn).
    pub out_of_range_draws: u64,
    /// Every draw: the inputs in spec order, then NPV and BCR (NaN when
    /// undefined); empty unless asked for.
    pub every_draw: Vec<Vec<f64>>,
}

/// One evaluated draw.
#[derive(Clone, Debug, Default)]
struct Draw {
    npv: f64,
    bcr: Option<f64>,
    out_of_range: bool,
    inputs: Vec<f64>,
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

    let mut draws = vec![Draw::default(); n];
    draws
        .par_chunks_mut(BLOCK)
        .enumerate()
        .for_each(|(block, out)| {
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(block as u64);
            let mut values = vec![0.0; spec.inputs.len()];
            let mut point = fast.base_point();
            let block_len = out.len() as u64;
            for slot in out {
                for (v, input) in values.iter_mut().zip(&spec.inputs) {
                    *v = input.sampler.sample(&mut rng);
                }
                let rebuilt;
                let fast = if structural {
                    let drawn = |p: Parameter| {
                        values
                            .iter()
                            .zip(&spec.inputs)
                            .find(|(_, i)| i.parameter == p)
                            .map(|(v, _)| *v)
                    };
                    rebuilt = FastModel::with_overrides(
                        model,
                        drawn(Parameter::DiscountRate),
                        drawn(Parameter::AnnualDecay),
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
                *slot = Draw {
                    npv: o.npv,
                    bcr: o.benefit_cost_ratio,
                    out_of_range: values
                        .iter()
                        .zip(&spec.inputs)
                        .any(|(v, i)| i.parameter.rejects(*v).is_some()),
                    inputs: if options.keep_draws {
                        values.clone()
                    } else {
                        Vec::new()
                    },
                };
            }
            progress(block_len);
        });

    let npvs: Vec<f64> = draws.iter().map(|d| d.npv).collect();
    let bcrs: Vec<f64> = draws.iter().filter_map(|d| d.bcr).collect();
    let npv = Stats::of(&npvs).ok_or_else(|| AnalysisError::OutOfRange {
        what: "draws".into(),
        value: "0".into(),
        expected: "at least one draw".into(),
    })?;
    let positive = npvs.iter().filter(|v| **v > 0.0).count();
    Ok(Simulation {
        scenario: model.name.clone(),
        draws: options.draws,
        seed: options.seed,
        inputs: spec.inputs.iter().map(|i| i.name.clone()).collect(),
        npv,
        benefit_cost_ratio: Stats::of(&bcrs),
        draws_with_ratio: bcrs.len() as u64,
        probability_npv_positive: positive as f64 / n as f64,
        out_of_range_draws: draws.iter().filter(|d| d.out_of_range).count() as u64,
        every_draw: if options.keep_draws {
            draws
                .into_iter()
                .map(|d| {
                    let mut row = d.inputs;
                    row.push(d.npv);
                    row.push(d.bcr.unwrap_or(f64::NAN));
                    row
                })
                .collect()
        } else {
            Vec::new()
        },
    })
}

impl Simulation {
    /// The summary as text.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Monte Carlo: {}\n{} draws, seed {}, uncertain inputs: {}\n\n",
            self.scenario,
            self.draws,
            self.seed,
            self.inputs.join(", ")
        );
        out.push_str(&format!(
            "{:<20}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}{:>16}\n",
            "", "mean", "sd", "p5", "p25", "p50", "p75", "p95"
        ));
        let row = |name: &str, s: &Stats, dp: usize| {
            format!(
                "{name:<20}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}{:>16.dp$}\n",
                s.mean, s.sd, s.p5, s.p25, s.p50, s.p75, s.p95
            )
        };
        out.push_str(&row("NPV (kr.)", &self.npv, 0));
        if let Some(b) = &self.benefit_cost_ratio {
            out.push_str(&row("benefit-cost ratio", b, 3));
        }
        out.push_str(&format!(
            "\nP(NPV > 0) = {:.4}\n",
            self.probability_npv_positive
        ));
        if self.draws_with_ratio < self.draws {
            out.push_str(&format!(
                "{} draws had no benefit-cost ratio (PV costs 0)\n",
                self.draws - self.draws_with_ratio
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

    /// The summary as JSON.
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
            "out_of_range_draws": self.out_of_range_draws,
        })
    }

    /// Every draw as CSV: `draw`, the inputs, `npv`, `benefit_cost_ratio`
    /// (empty when undefined). Empty unless the simulation kept its draws.
    pub fn write_draws_csv(&self, mut out: impl Write) -> io::Result<()> {
        writeln!(out, "draw,{},npv,benefit_cost_ratio", self.inputs.join(","))?;
        for (i, row) in self.every_draw.iter().enumerate() {
            write!(out, "{i}")?;
            for v in row {
                if v.is_nan() {
                    write!(out, ",")?;
                } else {
                    write!(out, ",{v}")?;
                }
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let exact =
            super::super::fast::to_f64(engine::evaluate(b.model()).unwrap().summary.npv.total);
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
                simulate(&b, &s, options(n, 1)),
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
}
