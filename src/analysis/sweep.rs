//! Sweeps: a grid over scenario parameters, one result per point.
//!
//! # The spec
//!
//! A small JSON file lists the axes of the grid, each a [parameter](super::parameter)
//! with either a range (`from`, `to`, `step`; `to` included when a whole
//! number of steps away) or explicit `values`:
//!
//! ```json
//! {
//!   "parameters": [
//!     {"name": "success_rate", "from": 0.25, "to": 0.50, "step": 0.05},
//!     {"name": "participants_scale", "values": [0.5, 1, 2]},
//!     {"name": "discount_rate", "values": [0, 0.035]},
//!     {"name": "cost:Support", "from": 40000, "to": 80000, "step": 20000}
//!   ]
//! }
//! ```
//!
//! Numbers are read exactly (as in scenarios), so grid values are exact
//! decimals. The grid is the product of the axes, in row-major order: the
//! first axis varies slowest, the last fastest. At most 10 000 000 points.
//!
//! # Evaluation
//!
//! Every point is evaluated with the [fast path](super::fast) (f64, agreeing
//! with the exact engine to 1e-9): linear parameters by a few multiply-adds;
//! for each combination of `horizon_years`, `discount_rate` and
//! `annual_decay` values the fast model is built once. Points are evaluated
//! in parallel (rayon); results are in grid order whatever the thread count.

use std::io::{self, Write};

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::fast::{FastModel, to_f64};
use super::parameter::{LinearSetter, apply_structural};
use super::{AnalysisError, Baseline, Parameter};
use crate::Problem;
use crate::model::Model;

/// The largest number of grid points (and of simulation draws) accepted.
pub const MAX_POINTS: u64 = 10_000_000;

/// Above this many combinations of structural values the fast model is built
/// per point instead of once per combination (bounds memory).
const MAX_PREBUILT_MODELS: usize = 4096;

/// One axis of a grid: a parameter and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// The parameter.
    pub parameter: Parameter,
    /// Its name as written in the spec.
    pub name: String,
    /// Its values, in order.
    pub values: Vec<Decimal>,
}

/// A validated sweep spec: the axes of the grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSpec {
    /// The axes; the first varies slowest.
    pub axes: Vec<Axis>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    parameters: Vec<AxisFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisFile {
    name: String,
    #[serde(default)]
    from: Option<Decimal>,
    #[serde(default)]
    to: Option<Decimal>,
    #[serde(default)]
    step: Option<Decimal>,
    #[serde(default)]
    values: Option<Vec<Decimal>>,
}

impl SweepSpec {
    /// Reads and validates a spec against a scenario, naming `file` in problems.
    /// Every problem is reported, each with its JSON path.
    ///
    /// ```
    /// use som::analysis::{Baseline, SweepSpec};
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let spec = SweepSpec::from_json(r#"{"parameters": [
    ///     {"name": "success_rate", "from": 0.25, "to": 0.5, "step": 0.05},
    ///     {"name": "participants_scale", "values": [1, 2]}]}"#, "spec.json", base.model()).unwrap();
    /// assert_eq!(spec.points(), 12);
    ///
    /// let bad = SweepSpec::from_json(r#"{"parameters": [
    ///     {"name": "success_rate", "from": 0.2, "to": 0.5, "step": 0}]}"#, "spec.json", base.model());
    /// assert!(bad.unwrap_err().to_string().contains("$.parameters[0].step"));
    /// ```
    pub fn from_json(text: &str, file: &str, model: &Model) -> Result<SweepSpec, AnalysisError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let spec: SpecFile = serde_path_to_error::deserialize(de).map_err(|e| {
            AnalysisError::InvalidSpec(vec![crate::problem::from_serde(file, "$", e)])
        })?;
        let mut problems = Vec::new();
        let mut axes = Vec::new();
        if spec.parameters.is_empty() {
            problems.push(Problem::new(
                file,
                "$.parameters",
                "an empty list",
                "at least one parameter",
            ));
        }
        for (i, a) in spec.parameters.into_iter().enumerate() {
            let path = format!("$.parameters[{i}]");
            let parameter = match Parameter::parse(&a.name, model, file, &format!("{path}.name")) {
                Ok(p) => p,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            if axes.iter().any(|x: &Axis| x.parameter == parameter) {
                problems.push(Problem::new(
                    file,
                    format!("{path}.name"),
                    format!("`{}` a second time", a.name),
                    "each parameter at most once",
                ));
                continue;
            }
            let Some(values) = axis_values(&a, file, &path, &mut problems) else {
                continue;
            };
            for (j, v) in values.iter().enumerate() {
                if let Some(expected) = parameter.rejects(to_f64(*v)) {
                    let at = if a.values.is_some() {
                        format!("{path}.values[{j}]")
                    } else {
                        path.clone()
                    };
                    problems.push(Problem::new(file, at, v.to_string(), expected));
                    break;
                }
            }
            axes.push(Axis {
                parameter,
                name: a.name,
                values,
            });
        }
        if problems.is_empty() {
            let total = axes
                .iter()
                .try_fold(1u64, |acc, a| acc.checked_mul(a.values.len() as u64));
            if total.is_none_or(|n| n > MAX_POINTS) {
                problems.push(Problem::new(
                    file,
                    "$.parameters",
                    format!(
                        "a grid of {} points",
                        total.map_or_else(|| "more than 2^64".to_owned(), |n| n.to_string())
                    ),
                    format!("at most {MAX_POINTS} points"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(SweepSpec { axes })
        } else {
            Err(AnalysisError::InvalidSpec(problems))
        }
    }

    /// The number of grid points.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// The value index on each axis of the point with this grid index.
    fn indices(&self, mut index: usize, out: &mut [usize]) {
        for (axis, slot) in self.axes.iter().zip(out.iter_mut()).rev() {
            let n = axis.values.len();
            *slot = index % n;
            index /= n;
        }
    }

    /// The parameter values of the point with this grid index, in axis order.
    pub fn point(&self, index: usize) -> Vec<Decimal> {
        let mut idx = vec![0; self.axes.len()];
        self.indices(index, &mut idx);
        self.axes
            .iter()
            .zip(idx)
            .map(|(a, i)| a.values[i])
            .collect()
    }
}

fn axis_values(
    a: &AxisFile,
    file: &str,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Decimal>> {
    let mut bad = |at: &str, found: String, expected: &str| {
        problems.push(Problem::new(file, format!("{path}{at}"), found, expected));
        None
    };
    match (&a.values, a.from, a.to, a.step) {
        (Some(values), None, None, None) => {
            if values.is_empty() {
                return bad(".values", "an empty list".into(), "at least one value");
            }
            if values.len() as u64 > MAX_POINTS {
                return bad(
                    ".values",
                    format!("{} values", values.len()),
                    "at most 10000000 values",
                );
            }
            Some(values.clone())
        }
        (None, Some(from), Some(to), Some(step)) => {
            if step <= Decimal::ZERO {
                return bad(".step", step.to_string(), "a step greater than 0");
            }
            if to < from {
                return bad(".to", to.to_string(), &format!("a value >= from ({from})"));
            }
            let count = to
                .checked_sub(from)
                .and_then(|span| span.checked_div(step))
                .map(|c| c.floor())
                .and_then(|c| u64::try_from(c).ok())
                .and_then(|c| c.checked_add(1));
            let points = count.filter(|n| *n <= MAX_POINTS).and_then(|n| {
                (0..n)
                    .map(|i| {
                        step.checked_mul(Decimal::from(i))
                            .and_then(|d| from.checked_add(d))
                    })
                    .collect::<Option<Vec<Decimal>>>()
            });
            match points {
                Some(values) => Some(values),
                _ => bad(
                    ".step",
                    step.to_string(),
                    "a step giving at most 10000000 values from `from` to `to`",
                ),
            }
        }
        _ => bad(
            "",
            "neither `values` alone nor all of `from`, `to` and `step`".into(),
            "either `values: [...]` or `from`, `to` and `step`",
        ),
    }
}

/// One evaluated grid point (all payers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepResult {
    /// Net present value.
    pub npv: f64,
    /// Present value of gains.
    pub pv_gains: f64,
    /// Present value of costs.
    pub pv_costs: f64,
    /// PV gains / PV costs; none when PV costs is zero.
    pub benefit_cost_ratio: Option<f64>,
    /// The first calendar year from which the cumulative discounted net stays >= 0.
    pub break_even_year: Option<i32>,
}

/// A finished sweep: the spec and one result per grid point, in grid order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The grid.
    pub spec: SweepSpec,
    /// One result per point, in grid order ([`SweepSpec::point`] gives its values).
    pub results: Vec<SweepResult>,
}

/// Evaluates every point of the grid, in parallel.
///
/// ```
/// use som::analysis::{sweep, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(
///     r#"{"parameters": [{"name": "net_success_rate", "values": [0, 0.25]}]}"#,
///     "spec.json", base.model()).unwrap();
/// let result = sweep(&base, &spec).unwrap();
/// assert!(result.results[0].npv < 0.0 && result.results[1].npv > 0.0);
/// ```
pub fn sweep(base: &Baseline<'_>, spec: &SweepSpec) -> Result<Sweep, AnalysisError> {
    sweep_with_progress(base, spec, &|_| {})
}

/// Points between two calls of a progress callback.
pub const PROGRESS_STEP: u64 = 4096;

/// [`sweep`], calling `progress(n)` from the worker threads each time another
/// n = [`PROGRESS_STEP`] points are done (for a progress bar).
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use som::analysis::{sweep::sweep_with_progress, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(
///     r#"{"parameters": [{"name": "participants_scale", "from": 0.001, "to": 10, "step": 0.001}]}"#,
///     "spec.json", base.model()).unwrap();
/// let done = AtomicU64::new(0);
/// sweep_with_progress(&base, &spec, &|n| { done.fetch_add(n, Ordering::Relaxed); }).unwrap();
/// assert_eq!(done.into_inner(), 8192);
/// ```
pub fn sweep_with_progress(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, AnalysisError> {
    let structural: Vec<usize> = (0..spec.axes.len())
        .filter(|i| !spec.axes[*i].parameter.is_linear())
        .collect();
    let combos: usize = structural
        .iter()
        .map(|i| spec.axes[*i].values.len())
        .product();
    let prebuilt = if combos <= MAX_PREBUILT_MODELS {
        (0..combos)
            .into_par_iter()
            .map(|c| structural_model(base, spec, &structural, combo_values(spec, &structural, c)))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let setter = LinearSetter::new(base.model());
    let base_fast = FastModel::new(base.model());
    // Decimal -> f64 once per grid value, not once per point.
    let values_f64: Vec<Vec<f64>> = spec
        .axes
        .iter()
        .map(|a| a.values.iter().map(|v| to_f64(*v)).collect())
        .collect();
    let results = (0..spec.points())
        .into_par_iter()
        .map_init(
            || (vec![0usize; spec.axes.len()], base_fast.base_point()),
            |(idx, point), i| -> Result<SweepResult, AnalysisError> {
                spec.indices(i, idx);
                let mut combo = 0;
                for s in &structural {
                    combo = combo * spec.axes[*s].values.len() + idx[*s];
                }
                let built;
                let fast = match prebuilt.get(combo) {
                    Some(f) => f,
                    None => {
                        let values = structural.iter().map(|s| spec.axes[*s].values[idx[*s]]);
                        built = structural_model(base, spec, &structural, values.collect())?;
                        &built
                    }
                };
                // Reuse the thread's point: no allocation per grid point.
                point.clone_from(fast.base());
                let mut setter = setter.clone();
                for ((axis, values), j) in spec.axes.iter().zip(&values_f64).zip(idx.iter()) {
                    if axis.parameter.is_linear() {
                        setter.set(point, axis.parameter, values[*j]);
                    }
                }
                setter.finish(point);
                let o = fast.evaluate(point);
                if (i as u64 + 1) % PROGRESS_STEP == 0 {
                    progress(PROGRESS_STEP);
                }
                Ok(SweepResult {
                    npv: o.npv,
                    pv_gains: o.pv_gains,
                    pv_costs: o.pv_costs,
                    benefit_cost_ratio: o.benefit_cost_ratio,
                    break_even_year: fast.break_even_year(point),
                })
            },
        )
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Sweep {
        spec: spec.clone(),
        results,
    })
}

fn combo_values(spec: &SweepSpec, structural: &[usize], mut combo: usize) -> Vec<Decimal> {
    let mut values = vec![Decimal::ZERO; structural.len()];
    for (slot, s) in values.iter_mut().zip(structural).rev() {
        let n = spec.axes[*s].values.len();
        *slot = spec.axes[*s].values[combo % n];
        combo /= n;
    }
    values
}

/// The fast model for one combination of structural values; the horizon first,
/// so a constant discount rate covers every year of it.
fn structural_model(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    structural: &[usize],
    values: Vec<Decimal>,
) -> Result<FastModel, AnalysisError> {
    let pairs: Vec<(Parameter, Decimal)> = structural
        .iter()
        .map(|s| spec.axes[*s].parameter)
        .zip(values)
        .collect();
    let mut model = match pairs.iter().find(|(p, _)| *p == Parameter::HorizonYears) {
        // Whole years from 1 to 100: checked when the spec was read.
        Some((_, h)) => base.with_horizon(usize::try_from(*h).unwrap_or(0))?,
        None => base.model().clone(),
    };
    for (p, v) in pairs {
        apply_structural(&mut model, p, v);
    }
    Ok(FastModel::new(&model))
}

impl Sweep {
    /// Writes one CSV row per point: the parameter values, then `npv`,
    /// `pv_gains`, `pv_costs` (kroner, 2 decimals), `benefit_cost_ratio`
    /// (6 decimals, empty when undefined) and `break_even_year` (empty if never).
    pub fn write_csv(&self, mut out: impl Write) -> io::Result<()> {
        let names: Vec<String> = self.spec.axes.iter().map(|a| csv_field(&a.name)).collect();
        writeln!(
            out,
            "{},npv,pv_gains,pv_costs,benefit_cost_ratio,break_even_year",
            names.join(",")
        )?;
        for (i, r) in self.results.iter().enumerate() {
            for v in self.spec.point(i) {
                write!(out, "{},", v.normalize())?;
            }
            writeln!(
                out,
                "{:.2},{:.2},{:.2},{},{}",
                r.npv,
                r.pv_gains,
                r.pv_costs,
                r.benefit_cost_ratio
                    .map_or(String::new(), |b| format!("{b:.6}")),
                r.break_even_year.map_or(String::new(), |y| y.to_string()),
            )?;
        }
        Ok(())
    }

    /// Writes one JSON object per line: `{"<parameter>": "<value>", ...,
    /// "npv": ..., "pv_gains": ..., "pv_costs": ..., "benefit_cost_ratio": ...,
    /// "break_even_year": ...}`; parameter values as exact strings, figures as
    /// numbers, undefined ones `null`.
    pub fn write_json_lines(&self, mut out: impl Write) -> io::Result<()> {
        for (i, r) in self.results.iter().enumerate() {
            let mut row = serde_json::Map::new();
            for (a, v) in self.spec.axes.iter().zip(self.spec.point(i)) {
                row.insert(a.name.clone(), v.normalize().to_string().into());
            }
            row.insert("npv".into(), number(r.npv));
            row.insert("pv_gains".into(), number(r.pv_gains));
            row.insert("pv_costs".into(), number(r.pv_costs));
            row.insert(
                "benefit_cost_ratio".into(),
                r.benefit_cost_ratio.map_or(serde_json::Value::Null, number),
            );
            row.insert("break_even_year".into(), r.break_even_year.into());
            writeln!(out, "{}", serde_json::Value::Object(row))?;
        }
        Ok(())
    }
}

fn number(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KnowledgeBase, Scenario, engine};

    fn base() -> Baseline<'static> {
        Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
    }

    fn spec(json: &str) -> Result<SweepSpec, AnalysisError> {
        SweepSpec::from_json(json, "spec.json", base().model())
    }

    #[test]
    fn the_grid_is_row_major_with_the_last_axis_fastest() {
        let s = spec(
            r#"{"parameters": [{"name": "success_rate", "values": [0.3, 0.4]},
                               {"name": "horizon_years", "from": 5, "to": 7, "step": 1}]}"#,
        )
        .unwrap();
        assert_eq!(s.points(), 6);
        assert_eq!(s.point(0), vec![Decimal::new(3, 1), Decimal::from(5)]);
        assert_eq!(s.point(4), vec![Decimal::new(4, 1), Decimal::from(6)]);
    }

    #[test]
    fn every_point_agrees_with_the_exact_engine() {
        let b = base();
        let s = spec(
            r#"{"parameters": [
                {"name": "success_rate", "values": [0.3, 0.45]},
                {"name": "baseline_rate", "values": [0.1, 0.2]},
                {"name": "horizon_years", "values": [4, 10, 15]},
                {"name": "discount_rate", "values": [0, 0.04]},
                {"name": "cost:Support", "values": [30000]},
                {"name": "participants_scale", "values": [0.5, 2]}]}"#,
        )
        .unwrap();
        let result = sweep(&b, &s).unwrap();
        for (i, r) in result.results.iter().enumerate() {
            let v = s.point(i);
            let mut m = b.with_horizon(usize::try_from(v[2]).unwrap()).unwrap();
            m.success_rate = v[0];
            m.baseline_rate = v[1];
            m.discount_rates = vec![v[3]; m.horizon_years];
            m.costs[2].amount = v[4];
            m.participants.iter_mut().for_each(|n| *n *= v[5]);
            let exact = engine::evaluate(&m).unwrap().summary;
            let npv = to_f64(exact.npv.total);
            assert!(
                (r.npv - npv).abs() <= 1e-9 * npv.abs().max(1.0),
                "{i}: {} vs {npv}",
                r.npv
            );
            assert_eq!(r.break_even_year, exact.break_even_year, "point {i}");
        }
    }

    #[test]
    fn bad_specs_are_errors_with_json_paths() {
        let cases = [
            (
                r#"{"parameters": [{"name": "sucess_rate", "values": [0.1]}]}"#,
                "$.parameters[0].name",
            ),
            (
                r#"{"parameters": [{"name": "success_rate", "from": 0, "to": 1, "step": 0}]}"#,
                "$.parameters[0].step",
            ),
            (
                r#"{"parameters": [{"name": "success_rate", "from": 1, "to": 0, "step": 0.1}]}"#,
                "$.parameters[0].to",
            ),
            (
                r#"{"parameters": [{"name": "completion_rate", "values": [0.5, 1.5]}]}"#,
                "$.parameters[0].values[1]",
            ),
            (
                r#"{"parameters": [{"name": "success_rate", "values": []}]}"#,
                "$.parameters[0].values",
            ),
            (
                r#"{"parameters": [{"name": "success_rate", "from": 0, "to": 1, "step": 0.000000000001}]}"#,
                "$.parameters[0].step",
            ),
            (
                r#"{"parameters": [{"name": "success_rate", "value": [0.1]}]}"#,
                "$.parameters[0]",
            ),
            (
                r#"{"parameters": [{"name": "horizon_years", "values": [2.5]}]}"#,
                "$.parameters[0].values[0]",
            ),
            (r#"{"parameters": []}"#, "$.parameters"),
            (
                r#"{"parameters": [{"name": "cost:Team", "from": -70000000000000000000000000000, "to": 70000000000000000000000000000, "step": 1}]}"#,
                "$.parameters[0].step",
            ),
            (
                r#"{"parameters": [{"name": "cost:Team", "values": ["lots"]}]}"#,
                "$.parameters[0].values[0]",
            ),
        ];
        for (json, path) in cases {
            let e = spec(json).unwrap_err().to_string();
            assert!(e.contains(&format!("spec.json: {path}")), "{json}: {e}");
        }
    }

    #[test]
    fn a_grid_of_a_million_million_points_is_refused() {
        let e = spec(
            r#"{"parameters": [{"name": "success_rate", "from": 0, "to": 1, "step": 0.000001},
                               {"name": "completion_rate", "from": 0, "to": 1, "step": 0.000001}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("at most 10000000 points"), "{e}");
    }

    #[test]
    fn output_rows_follow_the_grid() {
        let b = base();
        let s = spec(r#"{"parameters": [{"name": "cost:Team", "values": [0, 1000000]}]}"#).unwrap();
        let result = sweep(&b, &s).unwrap();
        let mut csv = Vec::new();
        result.write_csv(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "cost:Team,npv,pv_gains,pv_costs,benefit_cost_ratio,break_even_year"
        );
        assert!(lines[1].starts_with("0,") && lines[2].starts_with("1000000,"));
        let mut jl = Vec::new();
        result.write_json_lines(&mut jl).unwrap();
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8(jl).unwrap().lines().next().unwrap()).unwrap();
        assert_eq!(first["cost:Team"], "0");
    }
}
