//! The simulation spec: uncertain inputs and their distributions.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Pert, Triangular, Uniform};
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use crate::Problem;
use crate::analysis::{AnalysisError, Parameter};
use crate::knowledge_base::EvidenceScale;
use crate::model::Model;

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
pub(super) enum Sampler {
    Fixed(f64),
    Uniform(Uniform<f64>),
    Triangular(Triangular<f64>),
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Beta(Beta<f64>, f64, f64),
    Pert(Pert<f64>),
}

impl Sampler {
    pub(super) fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
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
    pub(super) sampler: Sampler,
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
        let spec: SpecFile =
            crate::json_keys::parse_all_once(text, file).map_err(AnalysisError::InvalidSpec)?;
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
