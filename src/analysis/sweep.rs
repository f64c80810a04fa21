// Why this file is over 500 lines: its spec (reading and checking the grid),
// the grid's evaluation in blocks and the closed form for a linear last axis
// belong together: the closed form is only valid for the axes the spec reader
// lets through, and keeping both in one file keeps that contract in view.

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

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::fast::{ENGINE_MAX, FastModel, Outcome, Point, to_f64};
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
    #[serde(default, deserialize_with = "crate::number::opt_decimal")]
    from: Option<Decimal>,
    #[serde(default, deserialize_with = "crate::number::opt_decimal")]
    to: Option<Decimal>,
    #[serde(default, deserialize_with = "crate::number::opt_decimal")]
    step: Option<Decimal>,
    #[serde(default)]
    values: Option<Vec<Exact>>,
}

/// A number of a spec's `values`, read exactly (so a problem names its index).
#[derive(Deserialize)]
struct Exact(#[serde(deserialize_with = "crate::number::decimal")] Decimal);

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
        let spec: SpecFile =
            crate::json_keys::parse_all_once(text, file).map_err(AnalysisError::InvalidSpec)?;
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
            Some(values.iter().map(|v| v.0).collect())
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
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SweepResult {
    /// Net present value.
    pub npv: f64,
    /// Present value of gains.
    pub pv_gains: f64,
    /// Present value of costs.
    pub pv_costs: f64,
    /// PV gains / PV costs; none when PV costs is zero.
    pub benefit_cost_ratio: Option<f64>,
    /// The first calendar year from which the cumulative discounted net stays
    /// >= 0; none if never, or when the column was not asked for.
    pub break_even_year: Option<i32>,
}

impl SweepResult {
    fn within_engine_range(&self) -> bool {
        Outcome {
            pv_gains: self.pv_gains,
            pv_costs: self.pv_costs,
            npv: self.npv,
            benefit_cost_ratio: self.benefit_cost_ratio,
        }
        .within_engine_range()
    }
}

/// A figure a sweep can report for each grid point; the parameter values
/// always come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `npv`: net present value (kroner).
    Npv,
    /// `pv_gains`: present value of gains (kroner).
    PvGains,
    /// `pv_costs`: present value of costs (kroner).
    PvCosts,
    /// `benefit_cost_ratio`: PV gains / PV costs.
    BenefitCostRatio,
    /// `break_even_year`: the calendar year from which the cumulative
    /// discounted net stays >= 0. The only figure that costs a pass over the
    /// years; leaving it out makes a sweep O(1) per point.
    BreakEvenYear,
}

impl Column {
    /// Every column, in output order.
    pub const ALL: [Column; 5] = [
        Column::Npv,
        Column::PvGains,
        Column::PvCosts,
        Column::BenefitCostRatio,
        Column::BreakEvenYear,
    ];

    /// The column's name in output headers.
    pub fn name(self) -> &'static str {
        match self {
            Column::Npv => "npv",
            Column::PvGains => "pv_gains",
            Column::PvCosts => "pv_costs",
            Column::BenefitCostRatio => "benefit_cost_ratio",
            Column::BreakEvenYear => "break_even_year",
        }
    }

    /// A comma-separated list of column names, or `all`; the columns come
    /// out in the list's order.
    ///
    /// ```
    /// use som::analysis::sweep::Column;
    /// assert_eq!(Column::parse_list("npv").unwrap(), vec![Column::Npv]);
    /// assert_eq!(Column::parse_list("all").unwrap(), Column::ALL.to_vec());
    /// let e = Column::parse_list("npv,bcr").unwrap_err();
    /// assert!(e.contains("`bcr`") && e.contains("benefit_cost_ratio"));
    /// ```
    pub fn parse_list(text: &str) -> Result<Vec<Column>, String> {
        if text.trim() == "all" {
            return Ok(Column::ALL.to_vec());
        }
        let names = || Column::ALL.map(Column::name).join(", ");
        let mut columns = Vec::new();
        for name in text.split(',').map(str::trim) {
            let Some(c) = Column::ALL.into_iter().find(|c| c.name() == name) else {
                return Err(format!(
                    "unknown column `{name}`: expected `all` or a comma-separated list of {}",
                    names()
                ));
            };
            if columns.contains(&c) {
                return Err(format!("the column `{name}` is listed twice"));
            }
            columns.push(c);
        }
        Ok(columns)
    }
}

/// What a sweep computes: which figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepOptions {
    /// The figures to report, in order (all by default).
    pub columns: Vec<Column>,
}

impl Default for SweepOptions {
    fn default() -> SweepOptions {
        SweepOptions {
            columns: Column::ALL.to_vec(),
        }
    }
}

/// A finished sweep: the spec and one result per grid point, in grid order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The grid.
    pub spec: SweepSpec,
    /// The figures reported, in output order.
    pub columns: Vec<Column>,
    /// One result per point, in grid order ([`SweepSpec::point`] gives its values).
    pub results: Vec<SweepResult>,
}

/// Evaluates every point of the grid, in parallel, with every figure.
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
    sweep_with(base, spec, &SweepOptions::default(), &|_| {})
}

/// Points between two calls of a progress callback.
pub const PROGRESS_STEP: u64 = 4096;

/// [`sweep`], calling `progress(n)` from the worker threads each time another
/// n = [`PROGRESS_STEP`] points are done (for a progress bar).
///
/// ```
/// use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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
    sweep_with(base, spec, &SweepOptions::default(), progress)
}

/// Counts finished points and calls the progress callback at each multiple
/// of [`PROGRESS_STEP`].
struct Progress<'a> {
    done: AtomicU64,
    callback: &'a (dyn Fn(u64) + Sync),
}

impl Progress<'_> {
    fn add(&self, n: usize) {
        let n = n as u64;
        let before = self.done.fetch_add(n, Ordering::Relaxed);
        let crossed = (before + n) / PROGRESS_STEP - before / PROGRESS_STEP;
        if crossed > 0 {
            (self.callback)(crossed * PROGRESS_STEP);
        }
    }
}

/// [`sweep`] with a choice of figures and a progress callback (see
/// [`sweep_with_progress`]).
///
/// When the last axis is a linear parameter (see [`Parameter::is_linear`]),
/// each row of the grid (the points that differ only in that axis) goes
/// through the closed form: PV gains, PV costs and every year's cumulative
/// discounted net are affine in that parameter, `a + b · x`, so the row
/// costs two fast evaluations and each of its points a multiply-add per
/// figure (and one per year for the break-even year). Other grids evaluate
/// the fast model at every point.
///
/// A point whose figures the exact engine could not represent (beyond
/// ±7.9e28, or not finite: see [`super::fast::within_engine_range`]) refuses
/// the whole sweep with [`AnalysisError::OutsideEngineRange`]: no figure is
/// reported that `som run` would call an overflow.
///
/// ```
/// use som::analysis::{sweep::{sweep_with, Column, SweepOptions}, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(
///     r#"{"parameters": [{"name": "participants_scale", "values": [1, 1e25]}]}"#,
///     "spec.json", base.model()).unwrap();
/// let e = sweep_with(&base, &spec, &SweepOptions::default(), &|_| {}).unwrap_err();
/// assert!(e.to_string().contains("participants_scale = 10000000000000000000000000"), "{e}");
///
/// let npv_only = SweepOptions { columns: vec![Column::Npv] };
/// let spec = SweepSpec::from_json(
///     r#"{"parameters": [{"name": "participants_scale", "values": [1, 2]}]}"#,
///     "spec.json", base.model()).unwrap();
/// let s = sweep_with(&base, &spec, &npv_only, &|_| {}).unwrap();
/// assert!(s.results[1].npv > s.results[0].npv);
/// assert_eq!(s.results[0].break_even_year, None); // not asked for
/// ```
pub fn sweep_with(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, AnalysisError> {
    grid(base, spec, options, progress).map_err(|e| e.in_file(base.file()))
}

/// [`sweep_with`] before its failures are located in the scenario's file.
fn grid(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, AnalysisError> {
    let grid = Grid::new(base, spec, options, progress)?;
    let mut results = vec![SweepResult::default(); spec.points()];
    grid.evaluate(0, &mut results, Pass::Report)?;
    grid.refuse_outside(|| results.iter().position(|r| !r.within_engine_range()))?;
    Ok(Sweep {
        spec: spec.clone(),
        columns: options.columns.clone(),
        results,
    })
}

/// Points per window of [`sweep_in_windows`] (rounded to whole rows).
const WINDOW: usize = 1 << 16;

/// Evaluates the grid a window of points at a time and hands each window,
/// in grid order, to `each(first grid index, results)`, reusing one buffer:
/// a grid of 10^6 points never holds 10^6 results, so writing it costs no
/// more memory than a window (what `som sweep` does).
///
/// Every figure is the one [`sweep_with`] gives at the same point, and a
/// grid with a point outside the exact engine's range is refused the same
/// way, before `each` sees any point: when the last axis is linear (the
/// closed form of a row) a first pass counts such points window by window
/// (the closed form without the break-even year: a few multiply-adds per
/// point); otherwise the results are evaluated whole and then handed out in
/// windows.
///
/// ```
/// use som::analysis::{sweep::{sweep_in_windows, sweep_with, SweepOptions}, AnalysisError, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "success_rate", "from": 0.3, "to": 0.5, "step": 0.01},
///     {"name": "cost:Support", "from": 40000, "to": 80000, "step": 100}]}"#,
///     "spec.json", base.model()).unwrap();
/// let options = SweepOptions::default();
/// let mut npvs = Vec::new();
/// sweep_in_windows(&base, &spec, &options, &|_| {}, |first, window| {
///     assert_eq!(first, npvs.len());
///     npvs.extend(window.iter().map(|r| r.npv));
///     Ok::<(), AnalysisError>(())
/// }).unwrap();
/// let whole = sweep_with(&base, &spec, &options, &|_| {}).unwrap();
/// assert_eq!(npvs, whole.results.iter().map(|r| r.npv).collect::<Vec<_>>());
/// ```
pub fn sweep_in_windows<E: From<AnalysisError>>(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
    mut each: impl FnMut(usize, &[SweepResult]) -> Result<(), E>,
) -> Result<(), E> {
    let located = |e: AnalysisError| E::from(e.in_file(base.file()));
    let points = spec.points();
    let Some(row) = closed_form_row(spec) else {
        let whole = self::grid(base, spec, options, progress).map_err(located)?;
        for (w, window) in whole.results.chunks(WINDOW).enumerate() {
            each(w * WINDOW, window)?;
        }
        return Ok(());
    };
    let grid = Grid::new(base, spec, options, progress).map_err(located)?;
    let window = (WINDOW / row).max(1) * row;
    let mut results = vec![SweepResult::default(); window.min(points)];
    // The first pass: every point's figures but the break-even year, only
    // to count those outside the engine's range.
    for first in (0..points).step_by(window) {
        let out = &mut results[..window.min(points - first)];
        grid.evaluate(first, out, Pass::Count).map_err(located)?;
    }
    grid.refuse_outside(|| {
        (0..points).step_by(window).find_map(|first| {
            let out = &mut results[..window.min(points - first)];
            grid.evaluate(first, out, Pass::Count).ok()?;
            out.iter()
                .position(|r| !r.within_engine_range())
                .map(|i| first + i)
        })
    })
    .map_err(located)?;
    for first in (0..points).step_by(window) {
        let out = &mut results[..window.min(points - first)];
        grid.evaluate(first, out, Pass::Report).map_err(located)?;
        each(first, out)?;
    }
    Ok(())
}

/// Points a parallel task of [`sweep_formatted`] evaluates and formats at a
/// time (rounded to whole rows): its bytes stay in the caches.
const FORMAT_BLOCK: usize = 8192;

/// A formatter of rows for [`sweep_formatted`]: it replaces the buffer's
/// contents with the bytes of the points from a grid index on (a buffer is
/// reused from block to block, so a formatter of fixed-size records can
/// write over the last block's bytes in place).
pub type Format<'f> = dyn Fn(usize, &[SweepResult], &mut Vec<u8>) + Sync + 'f;

/// Evaluates the grid and hands its rows to `write` as bytes, in grid order,
/// each block formatted by `format(first grid index, results, buffer)`: what
/// `som sweep --output` does.
///
/// Every figure is the one [`sweep_with`] gives at the same point, and a grid
/// with a point outside the exact engine's range is refused the same way,
/// before `write` sees a byte. When the last axis is linear (the closed form
/// of a row) nothing is held per point: each worker evaluates one row at a
/// time into a row-long buffer and formats it into its block's reused byte
/// buffer, and the next window of blocks is evaluated and formatted while the
/// previous one is written (on two threads at once when there are two).
/// Other grids are evaluated whole, then formatted and written in blocks.
///
/// ```
/// use som::analysis::{sweep::{sweep_formatted, sweep_with, SweepOptions}, AnalysisError, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "success_rate", "from": 0.3, "to": 0.5, "step": 0.01},
///     {"name": "cost:Support", "from": 40000, "to": 80000, "step": 100}]}"#,
///     "spec.json", base.model()).unwrap();
/// let options = SweepOptions::default();
/// // Each point's NPV as 8 bytes.
/// let npv = |_first: usize, rows: &[som::analysis::SweepResult], buf: &mut Vec<u8>| {
///     buf.clear();
///     rows.iter().for_each(|r| buf.extend_from_slice(&r.npv.to_le_bytes()))
/// };
/// let mut bytes = Vec::new();
/// sweep_formatted(&base, &spec, &options, &|_| {}, &npv, |b: &[u8]| {
///     bytes.extend_from_slice(b);
///     Ok::<(), AnalysisError>(())
/// }).unwrap();
/// let whole = sweep_with(&base, &spec, &options, &|_| {}).unwrap();
/// let expected: Vec<u8> = whole.results.iter().flat_map(|r| r.npv.to_le_bytes()).collect();
/// assert_eq!(bytes, expected);
/// ```
pub fn sweep_formatted<E: From<AnalysisError> + Send>(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
    format: &Format<'_>,
    mut write: impl FnMut(&[u8]) -> Result<(), E> + Send,
) -> Result<(), E> {
    let located = |e: AnalysisError| E::from(e.in_file(base.file()));
    let blocks = 4 * rayon::current_num_threads().max(1);
    let Some(row) = closed_form_row(spec) else {
        let whole = self::grid(base, spec, options, progress).map_err(located)?;
        let mut buffers = vec![Vec::new(); blocks];
        for (w, window) in whole.results.chunks(FORMAT_BLOCK * blocks).enumerate() {
            buffers
                .par_iter_mut()
                .zip(window.par_chunks(FORMAT_BLOCK))
                .enumerate()
                .for_each(|(b, (buf, results))| {
                    format(w * FORMAT_BLOCK * blocks + b * FORMAT_BLOCK, results, buf);
                });
            let used = window.len().div_ceil(FORMAT_BLOCK);
            buffers[..used].iter().try_for_each(|b| write(b))?;
        }
        return Ok(());
    };
    let grid = Grid::new(base, spec, options, progress).map_err(located)?;
    write_by_windows(
        grid,
        row,
        blocks,
        |grid, first, end, block, buffers: &mut [Vec<u8>]| {
            grid.format_blocks(first, end, block, buffers, format)
        },
        Vec::as_slice,
        located,
        write,
    )
}

/// Evaluates the grid straight into the caller's columns of f64, in grid
/// order (the first axis slowest), keeping no result per point: what an
/// embedder with arrays of its own calls (the Python package fills numpy's
/// arrays with it).
///
/// - `parameters`: one column per axis, in axis order (each point's value of
///   that parameter: the nearest f64 to the exact grid value, as in the
///   `.npy` output), or none at all when the caller has no use for them;
/// - `figures`: one column per figure of `options.columns`, in that order;
///   NaN where a figure is undefined (a benefit-cost ratio when PV costs are
///   0, a break-even year never reached), as in the `.npy` output.
///
/// Every column holds exactly [`SweepSpec::points`] values; other lengths
/// or counts are refused ([`AnalysisError::OutOfRange`]) before anything is
/// evaluated. Every figure is the one [`sweep_with`] gives at the same
/// point. The grid is cut into blocks of whole rows (the closed form of a
/// row when the last axis is linear, else point by point), each worker
/// writing its blocks' part of every column (the NPV alone of a closed-form
/// grid straight from each row's form, the same bits), in one pass: a grid with a
/// point outside the exact engine's range is refused with [`sweep_with`]'s
/// error, but after the pass, so the columns then hold whatever was written
/// (the caller discards them).
///
/// ```
/// use som::analysis::{sweep::{sweep_into, sweep_with, Column, SweepOptions}, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "success_rate", "from": 0.3, "to": 0.5, "step": 0.01},
///     {"name": "cost:Support", "values": [40000, 60000]}]}"#,
///     "spec.json", base.model()).unwrap();
/// let options = SweepOptions { columns: vec![Column::Npv] };
/// let (mut rate, mut cost, mut npv) = (vec![0.0; 42], vec![0.0; 42], vec![0.0; 42]);
/// sweep_into(&base, &spec, &options, &|_| {}, &mut [&mut rate, &mut cost], &mut [&mut npv])
///     .unwrap();
/// assert_eq!((rate[3], cost[3]), (0.31, 60000.0));
/// let whole = sweep_with(&base, &spec, &options, &|_| {}).unwrap();
/// assert!(npv.iter().zip(&whole.results).all(|(x, r)| x.to_bits() == r.npv.to_bits()));
///
/// // The NPV alone, without the parameters' columns.
/// sweep_into(&base, &spec, &options, &|_| {}, &mut [], &mut [&mut npv]).unwrap();
/// assert!(sweep_into(&base, &spec, &options, &|_| {}, &mut [], &mut [&mut rate[..41]]).is_err());
/// ```
pub fn sweep_into(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
    parameters: &mut [&mut [f64]],
    figures: &mut [&mut [f64]],
) -> Result<(), AnalysisError> {
    let points = spec.points();
    let fits = (parameters.is_empty() || parameters.len() == spec.axes.len())
        && figures.len() == options.columns.len()
        && parameters
            .iter()
            .chain(figures.iter())
            .all(|c| c.len() == points);
    if !fits {
        let lengths: Vec<usize> = parameters
            .iter()
            .chain(figures.iter())
            .map(|c| c.len())
            .collect();
        return Err(AnalysisError::OutOfRange {
            what: "the output columns of a sweep".into(),
            value: format!(
                "{} parameter and {} figure columns of {lengths:?} values",
                parameters.len(),
                figures.len()
            ),
            expected: format!(
                "{} parameter columns (or none) and {} figure columns, each of {points} values",
                spec.axes.len(),
                options.columns.len()
            ),
        });
    }
    let located = |e: AnalysisError| e.in_file(base.file());
    let mut grid = Grid::new(base, spec, options, progress).map_err(located)?;
    // Points outside the engine's range are counted below, as they are written.
    grid.checked = true;
    let block = closed_form_row(spec).map_or(CHUNK, |row| (FORMAT_BLOCK / row).max(1) * row);
    let values: Vec<Vec<f64>> = match parameters.is_empty() {
        true => Vec::new(),
        false => spec
            .axes
            .iter()
            .map(|a| a.values.iter().map(|v| nearest_f64(*v)).collect())
            .collect(),
    };
    // Each block's part of every column: the parameters' first.
    let blocks = points.div_ceil(block);
    let mut views: Vec<Vec<&mut [f64]>> = (0..blocks)
        .map(|_| Vec::with_capacity(parameters.len() + figures.len()))
        .collect();
    let columns = parameters.iter_mut().map(|c| &mut **c);
    for column in columns.chain(figures.iter_mut().map(|c| &mut **c)) {
        for (view, part) in views.iter_mut().zip(column.chunks_mut(block)) {
            view.push(part);
        }
    }
    let first_outside = AtomicUsize::new(usize::MAX);
    let grid = &grid;
    views
        .into_par_iter()
        .enumerate()
        .try_for_each_init(BlockScratch::default, |scratch, (b, mut view)| {
            let start = b * block;
            let end = (start + block).min(points);
            let (params, figs) = view.split_at_mut(values.len());
            fill_parameters(&values, points, start, params);
            grid.fill_block(start, end, &options.columns, figs, scratch, &first_outside)
        })
        .map_err(located)?;
    grid.refuse_outside(|| Some(first_outside.load(Ordering::Relaxed)))
        .map_err(located)
}

/// A formatter of figure columns for [`sweep_columns_formatted`]: it
/// replaces the buffer's contents with the bytes of the points from a grid
/// index on, given one column per figure of the sweep's options (NaN where a
/// figure is undefined, as [`sweep_into`] writes them).
pub type ColumnsFormat<'f> = dyn Fn(usize, &[&[f64]], &mut Vec<u8>) + Sync + 'f;

/// [`sweep_formatted`] for a formatter of figure columns: each block's
/// figures are written into reused columns ([`sweep_into`]'s, so the NPV
/// alone of a closed-form grid comes straight from each row's form, with no
/// result per point) and formatted from there; the parameters' values are
/// the formatter's to write (it knows the grid). What `som sweep --format
/// npy` does.
///
/// Every figure is the one [`sweep_with`] gives at the same point, and a grid
/// with a point outside the exact engine's range is refused the same way,
/// before `write` sees a byte. When the last axis is linear nothing is held
/// per point (a first pass over the rows only counts the points outside the
/// range; then each window of blocks is filled and formatted while the
/// previous one is written); other grids are evaluated whole into one column
/// per figure, then formatted and written in blocks.
///
/// ```
/// use som::analysis::{sweep::{sweep_columns_formatted, sweep_with, Column, SweepOptions}, AnalysisError, Baseline, SweepSpec};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "success_rate", "from": 0.3, "to": 0.5, "step": 0.01},
///     {"name": "cost:Support", "from": 40000, "to": 80000, "step": 100}]}"#,
///     "spec.json", base.model()).unwrap();
/// let options = SweepOptions { columns: vec![Column::Npv] };
/// // Each point's NPV as 8 bytes.
/// let npv = |_first: usize, figures: &[&[f64]], buf: &mut Vec<u8>| {
///     buf.clear();
///     figures[0].iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes()))
/// };
/// let mut bytes = Vec::new();
/// sweep_columns_formatted(&base, &spec, &options, &|_| {}, &npv, |b: &[u8]| {
///     bytes.extend_from_slice(b);
///     Ok::<(), AnalysisError>(())
/// }).unwrap();
/// let whole = sweep_with(&base, &spec, &options, &|_| {}).unwrap();
/// let expected: Vec<u8> = whole.results.iter().flat_map(|r| r.npv.to_le_bytes()).collect();
/// assert_eq!(bytes, expected);
/// ```
pub fn sweep_columns_formatted<E: From<AnalysisError> + Send>(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
    format: &ColumnsFormat<'_>,
    mut write: impl FnMut(&[u8]) -> Result<(), E> + Send,
) -> Result<(), E> {
    let located = |e: AnalysisError| E::from(e.in_file(base.file()));
    let points = spec.points();
    let columns = &options.columns;
    let blocks = 4 * rayon::current_num_threads().max(1);
    let Some(row) = closed_form_row(spec) else {
        let mut whole = vec![vec![0.0; points]; columns.len()];
        let mut views: Vec<&mut [f64]> = whole.iter_mut().map(Vec::as_mut_slice).collect();
        sweep_into(base, spec, options, progress, &mut [], &mut views)?;
        let mut buffers = vec![Vec::new(); blocks];
        for first in (0..points).step_by(FORMAT_BLOCK * blocks) {
            let used = (points - first).div_ceil(FORMAT_BLOCK).min(blocks);
            buffers[..used]
                .par_iter_mut()
                .enumerate()
                .for_each(|(b, buf)| {
                    let start = first + b * FORMAT_BLOCK;
                    let end = (start + FORMAT_BLOCK).min(points);
                    let views: Vec<&[f64]> = whole.iter().map(|c| &c[start..end]).collect();
                    format(start, &views, buf);
                });
            buffers[..used].iter().try_for_each(|b| write(b))?;
        }
        return Ok(());
    };
    let grid = Grid::new(base, spec, options, progress).map_err(located)?;
    write_by_windows(
        grid,
        row,
        blocks,
        |grid, first, end, block, slots: &mut [(Vec<Vec<f64>>, Vec<u8>)]| {
            grid.format_column_blocks(first, end, block, columns, slots, format)
        },
        |(_, buf)| buf.as_slice(),
        located,
        write,
    )
}

/// The closed-form path of [`sweep_formatted`] and
/// [`sweep_columns_formatted`], for a grid whose rows along the last axis
/// (`row` points each) have a closed form. A first pass only counts the
/// points outside the engine's range, row by row, keeping nothing, and
/// refuses the grid before `write` sees a byte. Then each window of
/// `blocks` blocks of whole rows is evaluated and formatted into its slots
/// by `format_window(grid, first, end, block, slots)` while the previous
/// window's (each slot's `bytes`) is written.
fn write_by_windows<S, E>(
    mut grid: Grid<'_, '_>,
    row: usize,
    blocks: usize,
    format_window: impl Fn(&Grid<'_, '_>, usize, usize, usize, &mut [S]) -> Result<(), AnalysisError>
    + Sync,
    bytes: impl Fn(&S) -> &[u8] + Sync,
    located: impl Fn(AnalysisError) -> E,
    mut write: impl FnMut(&[u8]) -> Result<(), E> + Send,
) -> Result<(), E>
where
    S: Clone + Default + Send + Sync,
    E: Send,
{
    let points = grid.spec.points();
    grid.count_rows(0..points / row).map_err(&located)?;
    grid.refuse_outside(|| grid.first_outside_row(points / row))
        .map_err(&located)?;
    grid.checked = true;

    let block = (FORMAT_BLOCK / row).max(1) * row;
    let window = block * blocks;
    let (mut filling, mut filled) = (vec![S::default(); blocks], vec![S::default(); blocks]);
    let mut ready = 0;
    for first in (0..points).step_by(window) {
        let end = (first + window).min(points);
        let (formatted, written) = rayon::join(
            || format_window(&grid, first, end, block, &mut filling),
            || filled[..ready].iter().try_for_each(|s| write(bytes(s))),
        );
        written?;
        formatted.map_err(&located)?;
        std::mem::swap(&mut filling, &mut filled);
        ready = (end - first).div_ceil(block);
    }
    filled[..ready].iter().try_for_each(|s| write(bytes(s)))
}

/// The nearest f64 to an exact grid value (Rust's parsing rounds correctly:
/// 0.3 is Python's 0.3), as the `.npy` output writes it.
fn nearest_f64(value: Decimal) -> f64 {
    value
        .normalize()
        .to_string()
        .parse::<f64>()
        .unwrap_or(f64::NAN)
}

/// Each parameter's value at the points `start ..` of the grid (a block's
/// part of each column): runs of `stride` equal values, the axes before
/// repeating the pattern.
fn fill_parameters(values: &[Vec<f64>], points: usize, start: usize, out: &mut [&mut [f64]]) {
    let mut stride = points;
    for (values, column) in values.iter().zip(out.iter_mut()) {
        let len = values.len();
        stride /= len;
        let end = start + column.len();
        let mut i = start;
        while i < end {
            let at = &mut column[i - start..];
            let k = (i / stride) % len;
            if stride == 1 {
                let n = (len - k).min(end - i);
                at[..n].copy_from_slice(&values[k..k + n]);
                i += n;
            } else {
                let n = (stride - i % stride).min(end - i);
                at[..n].fill(values[k]);
                i += n;
            }
        }
    }
}

/// Points per parallel task in the point-by-point path.
const CHUNK: usize = 4096;

/// `name = value, ...` for one grid point.
fn describe_point(spec: &SweepSpec, index: usize) -> String {
    spec.axes
        .iter()
        .zip(spec.point(index))
        .map(|(a, v)| format!("{} = {}", a.name, v.normalize()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The length of a row when every row goes through the closed form (the
/// last axis is linear and has at least two values).
fn closed_form_row(spec: &SweepSpec) -> Option<usize> {
    let last = spec.axes.last()?;
    (last.parameter.is_linear() && last.values.len() >= 2).then_some(last.values.len())
}

/// What an evaluation of points is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Only counting the points outside the engine's range: no break-even
    /// year, no progress.
    Count,
    /// The figures asked for, counted as progress.
    Report,
    /// Like `Count`, without writing the figures anywhere (the closed form of
    /// a row only).
    Check,
}

/// Everything the workers share.
struct Grid<'a, 'b> {
    base: &'a Baseline<'b>,
    spec: &'a SweepSpec,
    structural: Vec<usize>,
    prebuilt: Vec<FastModel>,
    setter: LinearSetter,
    base_point: Point,
    values: Vec<Vec<f64>>,
    /// The largest |x| of the last axis (1 when every value is 0): the
    /// span over which a row's closed form takes its slope.
    span: f64,
    /// The smallest and the largest value of the last axis.
    last_range: (f64, f64),
    break_even: bool,
    progress: Progress<'a>,
    /// Points whose figures the exact engine could not represent.
    outside: AtomicU64,
    /// Whether a first pass has counted them already (and the sweep goes on
    /// because there were none).
    checked: bool,
    cancel: Option<crate::cancel::Cancel>,
}

/// A worker's reused buffers for the closed form of a row.
#[derive(Default)]
struct RowScratch {
    idx: Vec<usize>,
    point: Option<Point>,
    net: Vec<f64>,
    /// Cumulative discounted net by year at x = 0 ...
    intercept: Vec<f64>,
    /// ... and its change per unit of x.
    slope: Vec<f64>,
}

impl<'a, 'b> Grid<'a, 'b> {
    /// Everything the workers share; the fast models of every combination
    /// of structural values are built here (up to [`MAX_PREBUILT_MODELS`]).
    fn new(
        base: &'a Baseline<'b>,
        spec: &'a SweepSpec,
        options: &SweepOptions,
        progress: &'a (dyn Fn(u64) + Sync),
    ) -> Result<Grid<'a, 'b>, AnalysisError> {
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
                .map(|c| {
                    structural_model(base, spec, &structural, combo_values(spec, &structural, c))
                })
                .collect::<Result<Vec<_>, _>>()?
        } else {
            Vec::new()
        };
        let span = spec.axes.last().map_or(0.0, |a| {
            a.values
                .iter()
                .map(|x| to_f64(*x).abs())
                .fold(0.0, f64::max)
        });
        let last: Vec<f64> = spec
            .axes
            .last()
            .map_or_else(Vec::new, |a| a.values.iter().map(|x| to_f64(*x)).collect());
        let last_range = last
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
        Ok(Grid {
            base,
            spec,
            span: if span > 0.0 { span } else { 1.0 },
            last_range,
            structural,
            prebuilt,
            setter: LinearSetter::new(base.model()),
            base_point: FastModel::new(base.model()).base_point(),
            // Decimal -> f64 once per grid value, not once per point.
            values: spec
                .axes
                .iter()
                .map(|a| a.values.iter().map(|v| to_f64(*v)).collect())
                .collect(),
            break_even: options.columns.contains(&Column::BreakEvenYear),
            progress: Progress {
                done: AtomicU64::new(0),
                callback: progress,
            },
            outside: AtomicU64::new(0),
            checked: false,
            // The caller's cancellation token, passed on to the worker threads.
            cancel: crate::cancel::Cancel::current(),
        })
    }

    /// Evaluates the points from grid index `first` into `out`, in parallel;
    /// with the closed form, `first` and `out.len()` are whole rows.
    fn evaluate(
        &self,
        first: usize,
        out: &mut [SweepResult],
        pass: Pass,
    ) -> Result<(), AnalysisError> {
        match closed_form_row(self.spec) {
            Some(row) => out
                .par_chunks_mut(row)
                .enumerate()
                .try_for_each_init(RowScratch::default, |scratch, (r, out)| {
                    self.affine_row(first + r * row, out, scratch, pass)
                }),
            None => out.par_chunks_mut(CHUNK).enumerate().try_for_each_init(
                || (vec![0usize; self.spec.axes.len()], self.base_point.clone()),
                |(idx, point), (c, out)| self.points(first + c * CHUNK, out, idx, point, pass),
            ),
        }
    }

    /// Refuses the sweep when a point evaluated so far lay outside the exact
    /// engine's range; `first` finds the first such point (only then called).
    fn refuse_outside(&self, first: impl FnOnce() -> Option<usize>) -> Result<(), AnalysisError> {
        let outside = self.outside.load(Ordering::Relaxed);
        if outside == 0 {
            return Ok(());
        }
        Err(AnalysisError::OutsideEngineRange {
            what: "grid points".into(),
            count: outside,
            total: self.spec.points() as u64,
            first: describe_point(self.spec, first().unwrap_or(0)),
        })
    }
}

impl Grid<'_, '_> {
    /// The fast model for the structural values at these axis indices: prebuilt,
    /// or built into `built`.
    fn model<'m>(
        &'m self,
        idx: &[usize],
        built: &'m mut Option<FastModel>,
    ) -> Result<&'m FastModel, AnalysisError> {
        let mut combo = 0;
        for s in &self.structural {
            combo = combo * self.spec.axes[*s].values.len() + idx[*s];
        }
        if let Some(f) = self.prebuilt.get(combo) {
            return Ok(f);
        }
        let values = self
            .structural
            .iter()
            .map(|s| self.spec.axes[*s].values[idx[*s]]);
        let model = structural_model(self.base, self.spec, &self.structural, values.collect())?;
        Ok(built.insert(model))
    }

    /// Sets the linear parameters of every axis but the `skip`th on a point
    /// reset to the model's base; returns the setter to finish with.
    fn set_linear(
        &self,
        fast: &FastModel,
        idx: &[usize],
        skip: Option<usize>,
        point: &mut Point,
    ) -> LinearSetter {
        point.clone_from(fast.base());
        let mut setter = self.setter.clone();
        for (a, ((axis, values), j)) in self.spec.axes.iter().zip(&self.values).zip(idx).enumerate()
        {
            if axis.parameter.is_linear() && Some(a) != skip {
                setter.set(point, axis.parameter, values[*j]);
            }
        }
        setter
    }

    /// The points from grid index `first` on, one fast evaluation each.
    fn points(
        &self,
        first: usize,
        out: &mut [SweepResult],
        idx: &mut [usize],
        point: &mut Point,
        pass: Pass,
    ) -> Result<(), AnalysisError> {
        self.check_cancelled()?;
        let break_even = self.break_even && pass == Pass::Report;
        for (i, slot) in out.iter_mut().enumerate() {
            self.spec.indices(first + i, idx);
            let mut built = None;
            let fast = self.model(idx, &mut built)?;
            self.set_linear(fast, idx, None, point).finish(point);
            let o = fast.evaluate(point);
            *slot = SweepResult {
                npv: o.npv,
                pv_gains: o.pv_gains,
                pv_costs: o.pv_costs,
                benefit_cost_ratio: o.benefit_cost_ratio,
                break_even_year: if break_even {
                    fast.break_even_year(point)
                } else {
                    None
                },
            };
        }
        self.finish(out, pass);
        Ok(())
    }

    /// One row of the grid (every value of the last, linear axis) from grid
    /// index `first`, by the closed form.
    fn affine_row(
        &self,
        first: usize,
        out: &mut [SweepResult],
        scratch: &mut RowScratch,
        pass: Pass,
    ) -> Result<(), AnalysisError> {
        let break_even = self.break_even && pass == Pass::Report;
        let (row, start_year) = self.row_form(first, scratch, break_even)?;
        let last = self.spec.axes.len() - 1;
        if pass == Pass::Check {
            // The same figures as below, only counted (see
            // `may_be_outside`): without branches or a division per point.
            let xs = &self.values[last];
            let maybe: u64 = xs
                .iter()
                .map(|x| {
                    let (pv_gains, pv_costs) = row.at(*x);
                    u64::from(may_be_outside(pv_gains, pv_costs, pv_gains - pv_costs))
                })
                .sum();
            if maybe > 0 {
                self.count_outside(row, xs, first, None);
            }
            return Ok(());
        }
        for (slot, x) in out.iter_mut().zip(&self.values[last]) {
            let (pv_gains, pv_costs) = row.at(*x);
            let break_even_year = if break_even {
                // The first year from which the cumulative net stays >= 0:
                // scan back from the horizon while it is >= 0.
                let mut start = None;
                for (t, (a, b)) in scratch
                    .intercept
                    .iter()
                    .zip(&scratch.slope)
                    .enumerate()
                    .rev()
                {
                    if a + b * x >= 0.0 {
                        start = Some(t);
                    } else {
                        break;
                    }
                }
                start
                    .and_then(|t| i32::try_from(t).ok())
                    .and_then(|t| start_year.checked_add(t))
            } else {
                None
            };
            *slot = SweepResult {
                npv: pv_gains - pv_costs,
                pv_gains,
                pv_costs,
                benefit_cost_ratio: (pv_costs != 0.0).then(|| pv_gains / pv_costs),
                break_even_year,
            };
        }
        self.finish(out, pass);
        Ok(())
    }

    /// The NPV alone of one row (as [`Grid::affine_row`] gives it, bit for
    /// bit: the same operations on the same row form) written into `npv`,
    /// without building a result per point. Counts the points outside the
    /// engine's range exactly as [`Grid::write_figures`] does; the caller
    /// counts the row as progress.
    fn affine_row_npv(
        &self,
        first: usize,
        npv: &mut [f64],
        scratch: &mut RowScratch,
        first_outside: &AtomicUsize,
    ) -> Result<(), AnalysisError> {
        let (row, _) = self.row_form(first, scratch, false)?;
        let xs = &self.values[self.spec.axes.len() - 1];
        if row.surely_within(self.last_range) {
            for (out, x) in npv.iter_mut().zip(xs) {
                let (pv_gains, pv_costs) = row.at(*x);
                *out = pv_gains - pv_costs;
            }
            return Ok(());
        }
        let maybe: u64 = npv
            .iter_mut()
            .zip(xs)
            .map(|(out, x)| {
                let (pv_gains, pv_costs) = row.at(*x);
                let net = pv_gains - pv_costs;
                *out = net;
                u64::from(may_be_outside(pv_gains, pv_costs, net))
            })
            .sum();
        if maybe > 0 {
            self.count_outside(row, xs, first, Some(first_outside));
        }
        Ok(())
    }

    /// Counts the points of a row (from grid index `first`, its last axis's
    /// values `xs`) outside the engine's range exactly as
    /// [`SweepResult::within_engine_range`] says (with the benefit-cost
    /// ratio's division), and keeps the first one's index in
    /// `first_outside` when given: for a row where some point failed
    /// [`may_be_outside`]'s bound.
    fn count_outside(
        &self,
        row: RowForm,
        xs: &[f64],
        first: usize,
        first_outside: Option<&AtomicUsize>,
    ) {
        let results = xs.iter().map(|x| {
            let (pv_gains, pv_costs) = row.at(*x);
            SweepResult {
                npv: pv_gains - pv_costs,
                pv_gains,
                pv_costs,
                benefit_cost_ratio: (pv_costs != 0.0).then(|| pv_gains / pv_costs),
                break_even_year: None,
            }
        });
        let mut outside = 0;
        for (i, r) in results.enumerate() {
            if !r.within_engine_range() {
                if outside == 0
                    && let Some(first_outside) = first_outside
                {
                    first_outside.fetch_min(first + i, Ordering::Relaxed);
                }
                outside += 1;
            }
        }
        if outside > 0 {
            self.outside.fetch_add(outside, Ordering::Relaxed);
        }
    }

    /// The closed form of the row from grid index `first`: PV gains and PV
    /// costs as affine functions of the last axis's value, and (when
    /// `break_even`) the cumulative discounted net's intercept and slope by
    /// year in `scratch`; with the fast model's first calendar year.
    fn row_form(
        &self,
        first: usize,
        scratch: &mut RowScratch,
        break_even: bool,
    ) -> Result<(RowForm, i32), AnalysisError> {
        self.check_cancelled()?;
        let last = self.spec.axes.len() - 1;
        let parameter = self.spec.axes[last].parameter;
        scratch.idx.resize(self.spec.axes.len(), 0);
        self.spec.indices(first, &mut scratch.idx);
        let mut built = None;
        let fast = self.model(&scratch.idx, &mut built)?;
        let point = scratch.point.get_or_insert_with(|| self.base_point.clone());
        let mut setter = self.set_linear(fast, &scratch.idx, Some(last), point);
        // The row's figures at x = 0 and at the row's largest |x| give
        // intercept and slope (the difference taken over the whole row's
        // span, so it keeps the precision of the figures themselves).
        let span = self.span;
        setter.set(point, parameter, 0.0);
        setter.finish(point);
        let at0 = fast.evaluate(point);
        if break_even {
            fast.discounted_net_into(point, &mut scratch.net);
            cumulate(&scratch.net, &mut scratch.intercept);
        }
        setter.set(point, parameter, span);
        setter.finish(point);
        let at_span = fast.evaluate(point);
        if break_even {
            fast.discounted_net_into(point, &mut scratch.net);
            cumulate(&scratch.net, &mut scratch.slope);
            for (s, a) in scratch.slope.iter_mut().zip(&scratch.intercept) {
                *s = (*s - a) / span;
            }
        }
        let form = RowForm {
            gains: at0.pv_gains,
            gains_slope: (at_span.pv_gains - at0.pv_gains) / span,
            costs: at0.pv_costs,
            costs_slope: (at_span.pv_costs - at0.pv_costs) / span,
        };
        Ok((form, fast.start_year()))
    }
}

/// Whether a point with these figures may lie outside the exact engine's
/// range: true for every point [`SweepResult::within_engine_range`] refuses,
/// and perhaps for a few near the bound, with no division. The benefit-cost
/// ratio is within range wherever |PV gains| <= ENGINE_MAX / 2 · |PV costs|
/// (the product's and the quotient's roundings cannot take |gains / costs|
/// from ENGINE_MAX / 2 to ENGINE_MAX; where the product overflows, |PV
/// costs| itself is out of range; NaN fails the test). A row where some
/// point fails it is counted again point by point with the ratio
/// ([`Grid::count_outside`]).
#[inline]
fn may_be_outside(pv_gains: f64, pv_costs: f64, npv: f64) -> bool {
    let within = |x: f64| x.abs() <= ENGINE_MAX;
    let inside = within(pv_gains)
        & within(pv_costs)
        & within(npv)
        & ((pv_costs == 0.0) | (pv_gains.abs() <= ENGINE_MAX / 2.0 * pv_costs.abs()));
    !inside
}

/// PV gains and PV costs along one row of the grid, affine in the last
/// axis's value x.
#[derive(Clone, Copy)]
struct RowForm {
    gains: f64,
    gains_slope: f64,
    costs: f64,
    costs_slope: f64,
}

impl RowForm {
    /// PV gains and PV costs at x (every path of a row computes them here,
    /// so they agree bit for bit).
    #[inline]
    fn at(&self, x: f64) -> (f64, f64) {
        (
            self.gains + self.gains_slope * x,
            self.costs + self.costs_slope * x,
        )
    }

    /// Whether every point of a row whose last-axis values lie in `(lo, hi)`
    /// passes [`may_be_outside`]'s test, known from the row's two ends
    /// alone. [`RowForm::at`] is monotone in x (a product by a constant and
    /// a sum with a constant, each rounded once, and rounding is monotone),
    /// so every point's PV gains and PV costs lie between their values at
    /// `lo` and `hi`: when those are at most ENGINE_MAX / 2 in size, so are
    /// every point's, and |NPV| is at most ENGINE_MAX; when PV costs have
    /// one strict sign at both ends, every point's |PV costs| is at least
    /// the smaller end's, so |PV gains| <= ENGINE_MAX / 2 · that bounds the
    /// ratio as the test does (or PV costs are 0 at both ends, so at every
    /// point, and there is no ratio). Not finite ends fail every comparison.
    fn surely_within(&self, (lo, hi): (f64, f64)) -> bool {
        let half = ENGINE_MAX / 2.0;
        let ((g0, c0), (g1, c1)) = (self.at(lo), self.at(hi));
        let small = |x: f64| x.abs() <= half;
        if !(small(g0) && small(g1) && small(c0) && small(c1)) {
            return false;
        }
        let no_costs = c0 == 0.0 && c1 == 0.0;
        let one_sign = (c0 > 0.0 && c1 > 0.0) || (c0 < 0.0 && c1 < 0.0);
        let least = c0.abs().min(c1.abs());
        no_costs || (one_sign && g0.abs() <= half * least && g1.abs() <= half * least)
    }
}

impl Grid<'_, '_> {
    /// The rows with these indices by the closed form, only counting the
    /// points outside the engine's range (see [`Grid::refuse_outside`]).
    fn count_rows(&self, rows: std::ops::Range<usize>) -> Result<(), AnalysisError> {
        let row = self.row_length();
        rows.into_par_iter().try_for_each_init(
            || (RowScratch::default(), vec![SweepResult::default(); row]),
            |(scratch, out), r| self.affine_row(r * row, out, scratch, Pass::Check),
        )
    }

    /// The grid index of the first point outside the engine's range, row by
    /// row (only called when there is one).
    fn first_outside_row(&self, rows: usize) -> Option<usize> {
        let row = self.row_length();
        let mut scratch = RowScratch::default();
        let mut out = vec![SweepResult::default(); row];
        (0..rows).find_map(|r| {
            self.affine_row(r * row, &mut out, &mut scratch, Pass::Count)
                .ok()?;
            out.iter()
                .position(|p| !p.within_engine_range())
                .map(|i| r * row + i)
        })
    }

    /// The length of a row: the last axis's values.
    fn row_length(&self) -> usize {
        self.spec.axes.last().map_or(1, |a| a.values.len())
    }

    /// Evaluates the points `first .. end` (whole rows) by the closed form
    /// and formats them into `buffers`, `block` points each, in parallel.
    fn format_blocks(
        &self,
        first: usize,
        end: usize,
        block: usize,
        buffers: &mut [Vec<u8>],
        format: &Format<'_>,
    ) -> Result<(), AnalysisError> {
        let row = self.row_length();
        let used = (end - first).div_ceil(block);
        buffers[..used]
            .par_iter_mut()
            .enumerate()
            .try_for_each_init(
                || (RowScratch::default(), Vec::with_capacity(block)),
                |(scratch, out), (b, buf)| {
                    let start = first + b * block;
                    let end = (start + block).min(end);
                    // The block's results, a row at a time, then formatted at once.
                    out.resize(end - start, SweepResult::default());
                    for (r, results) in (start..end).step_by(row).zip(out.chunks_mut(row)) {
                        self.affine_row(r, results, scratch, Pass::Report)?;
                    }
                    format(start, out, buf);
                    Ok(())
                },
            )
    }

    /// Writes the figures of the points from grid index `from` into the
    /// columns' parts that start at grid index `start`, one column per
    /// figure of `which`; counts the points outside the engine's range and
    /// keeps the first one's index in `first_outside`.
    fn write_figures(
        &self,
        from: usize,
        results: &[SweepResult],
        start: usize,
        which: &[Column],
        columns: &mut [&mut [f64]],
        first_outside: &AtomicUsize,
    ) {
        let at = from - start;
        for (c, column) in which.iter().zip(columns.iter_mut()) {
            let out = &mut column[at..at + results.len()];
            let pairs = out.iter_mut().zip(results);
            match c {
                Column::Npv => pairs.for_each(|(x, r)| *x = r.npv),
                Column::PvGains => pairs.for_each(|(x, r)| *x = r.pv_gains),
                Column::PvCosts => pairs.for_each(|(x, r)| *x = r.pv_costs),
                Column::BenefitCostRatio => {
                    pairs.for_each(|(x, r)| *x = r.benefit_cost_ratio.unwrap_or(f64::NAN));
                }
                Column::BreakEvenYear => {
                    pairs.for_each(|(x, r)| *x = r.break_even_year.map_or(f64::NAN, f64::from));
                }
            }
        }
        // `SweepResult::within_engine_range` without branches (a missing
        // ratio counts as within range, as 0 does); the first point outside
        // is looked for only when there is one.
        let within = |x: f64| x.abs() <= ENGINE_MAX;
        let outside: u64 = results
            .iter()
            .map(|r| {
                let inside = within(r.pv_gains)
                    & within(r.pv_costs)
                    & within(r.npv)
                    & within(r.benefit_cost_ratio.unwrap_or(0.0));
                u64::from(!inside)
            })
            .sum();
        if outside > 0 {
            self.outside.fetch_add(outside, Ordering::Relaxed);
            if let Some(i) = results.iter().position(|r| !r.within_engine_range()) {
                first_outside.fetch_min(from + i, Ordering::Relaxed);
            }
        }
    }

    /// Stops the sweep when the caller's token (see [`crate::cancel`]) was
    /// cancelled or its deadline passed: checked once per row or block.
    fn check_cancelled(&self) -> Result<(), AnalysisError> {
        match &self.cancel {
            Some(token) if token.is_cancelled() => Err(AnalysisError::Calculation {
                point: "the sweep".into(),
                source: crate::CalcError::Cancelled,
            }),
            _ => Ok(()),
        }
    }

    /// Counts the points outside the engine's range (unless a first pass
    /// has) and, when reporting, the finished points.
    fn finish(&self, out: &[SweepResult], pass: Pass) {
        if !self.checked {
            let outside = out.iter().filter(|r| !r.within_engine_range()).count();
            if outside > 0 {
                self.outside.fetch_add(outside as u64, Ordering::Relaxed);
            }
        }
        if pass == Pass::Report {
            self.progress.add(out.len());
        }
    }
}

/// A worker's reused buffers for [`Grid::fill_block`].
#[derive(Default)]
struct BlockScratch {
    row: RowScratch,
    results: Vec<SweepResult>,
    /// The point-by-point path's axis indices and point.
    at: Option<(Vec<usize>, Point)>,
}

impl Grid<'_, '_> {
    /// The figures `columns` of the points `start .. end` (whole rows when
    /// the last axis is linear) into `figs`, one column part per figure,
    /// each starting at grid index `start`: the NPV alone of a closed-form
    /// grid straight from each row's form, other figures a row's results at
    /// a time, other grids point by point. Counts the points outside the
    /// engine's range (the first one's index in `first_outside`) and the
    /// points as progress.
    fn fill_block(
        &self,
        start: usize,
        end: usize,
        columns: &[Column],
        figs: &mut [&mut [f64]],
        scratch: &mut BlockScratch,
        first_outside: &AtomicUsize,
    ) -> Result<(), AnalysisError> {
        let BlockScratch {
            row: form,
            results,
            at,
        } = scratch;
        match closed_form_row(self.spec) {
            // The NPV alone: written straight from each row's form.
            Some(row) if columns == [Column::Npv] => {
                for (r, npv) in (start..end).step_by(row).zip(figs[0].chunks_mut(row)) {
                    self.affine_row_npv(r, npv, form, first_outside)?;
                }
                // Counted once per block: a shared counter touched by every
                // row from both threads cost more than the rows' own
                // arithmetic.
                self.progress.add(end - start);
            }
            Some(row) => {
                results.resize(row, SweepResult::default());
                for r in (start..end).step_by(row) {
                    self.affine_row(r, results, form, Pass::Report)?;
                    self.write_figures(r, results, start, columns, figs, first_outside);
                }
            }
            None => {
                results.resize(end - start, SweepResult::default());
                let (idx, point) = at.get_or_insert_with(|| {
                    (vec![0; self.spec.axes.len()], self.base_point.clone())
                });
                self.points(start, results, idx, point, Pass::Report)?;
                self.write_figures(start, results, start, columns, figs, first_outside);
            }
        }
        Ok(())
    }

    /// Fills the figure columns of the points `first .. end` (whole rows) a
    /// block of `block` points per slot, and formats each block into its
    /// slot's bytes, in parallel.
    fn format_column_blocks(
        &self,
        first: usize,
        end: usize,
        block: usize,
        columns: &[Column],
        slots: &mut [(Vec<Vec<f64>>, Vec<u8>)],
        format: &ColumnsFormat<'_>,
    ) -> Result<(), AnalysisError> {
        let used = (end - first).div_ceil(block);
        let first_outside = AtomicUsize::new(usize::MAX);
        slots[..used].par_iter_mut().enumerate().try_for_each_init(
            BlockScratch::default,
            |scratch, (b, (figures, buf))| {
                let start = first + b * block;
                let end = (start + block).min(end);
                figures.resize(columns.len(), Vec::new());
                let mut views: Vec<&mut [f64]> = figures
                    .iter_mut()
                    .map(|c| {
                        c.resize(end - start, 0.0);
                        c.as_mut_slice()
                    })
                    .collect();
                self.fill_block(start, end, columns, &mut views, scratch, &first_outside)?;
                let views: Vec<&[f64]> = figures.iter().map(Vec::as_slice).collect();
                format(start, &views, buf);
                Ok(())
            },
        )
    }
}

/// Running sums of `values` into `out`.
fn cumulate(values: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut sum = 0.0;
    out.extend(values.iter().map(|v| {
        sum += v;
        sum
    }));
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

    /// Evaluating in windows gives what evaluating the whole grid gives:
    /// every figure of every point over several windows (the reference is
    /// `sweep`, which holds every result), and the same refusal.
    #[test]
    fn a_sweep_in_windows_is_the_whole_sweep_cut_into_windows() {
        let b = base();
        let s = spec(
            r#"{"parameters": [
                {"name": "discount_rate", "values": [0, 0.04]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.01},
                {"name": "cost:Support", "from": 0, "to": 200000, "step": 100}]}"#,
        )
        .unwrap();
        assert!(s.points() > 2 * WINDOW);
        let whole = sweep(&b, &s).unwrap();
        let mut windows = Vec::new();
        let mut calls = 0;
        sweep_in_windows(&b, &s, &SweepOptions::default(), &|_| {}, |first, rows| {
            assert_eq!(first, windows.len());
            assert_eq!(rows.len() % 2001, 0, "whole rows");
            windows.extend_from_slice(rows);
            calls += 1;
            Ok::<(), AnalysisError>(())
        })
        .unwrap();
        assert!(calls > 2);
        assert_eq!(windows, whole.results);

        let huge = spec(
            r#"{"parameters": [
                {"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.00001}]}"#,
        )
        .unwrap();
        let expected = sweep(&b, &huge).unwrap_err().to_string();
        let mut seen = 0;
        let refused = sweep_in_windows(&b, &huge, &SweepOptions::default(), &|_| {}, |_, _| {
            seen += 1;
            Ok::<(), AnalysisError>(())
        })
        .unwrap_err();
        assert_eq!(refused.to_string(), expected);
        assert_eq!(seen, 0, "nothing is handed out before the refusal");
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

    /// The closed form of a row (the last axis linear) against the fast
    /// model evaluated at each point, for every linear parameter as the last
    /// axis and with a structural axis before it.
    #[test]
    fn the_closed_form_of_a_row_agrees_with_evaluating_every_point() {
        let b = base();
        let lasts = [
            r#"{"name": "net_success_rate", "from": -0.2, "to": 0.6, "step": 0.05}"#,
            r#"{"name": "success_rate", "from": 0, "to": 1, "step": 0.1}"#,
            r#"{"name": "baseline_rate", "values": [0, 0.3, 0.45, 0.9]}"#,
            r#"{"name": "completion_rate", "values": [0, 0.5, 1]}"#,
            r#"{"name": "participants_scale", "values": [0, 0.1, 3, 100]}"#,
            r#"{"name": "cost:Support", "from": 0, "to": 200000, "step": 12500}"#,
            r#"{"name": "price_scale:shelter-day", "values": [0, 0.5, 1.5, 40]}"#,
        ];
        for last in lasts {
            let s = spec(&format!(
                r#"{{"parameters": [
                    {{"name": "horizon_years", "values": [3, 10, 20]}},
                    {{"name": "discount_rate", "values": [0, 0.04]}},
                    {{"name": "cost:Team", "values": [0, 958000]}},
                    {last}]}}"#
            ))
            .unwrap();
            let result = sweep(&b, &s).unwrap();
            for (i, r) in result.results.iter().enumerate() {
                let v = s.point(i);
                let mut m = b.with_horizon(usize::try_from(v[0]).unwrap()).unwrap();
                m.discount_rates = vec![v[1]; m.horizon_years];
                let fast = FastModel::new(&m);
                let mut point = fast.base_point();
                let mut setter = LinearSetter::new(&m);
                setter.set(&mut point, s.axes[2].parameter, to_f64(v[2]));
                setter.set(&mut point, s.axes[3].parameter, to_f64(v[3]));
                setter.finish(&mut point);
                let o = fast.evaluate(&point);
                let scale = o.pv_gains.abs() + o.pv_costs.abs() + 1.0;
                for (a, b) in [
                    (r.npv, o.npv),
                    (r.pv_gains, o.pv_gains),
                    (r.pv_costs, o.pv_costs),
                ] {
                    assert!(
                        (a - b).abs() <= 1e-12 * scale,
                        "{last} point {i}: {a} vs {b}"
                    );
                }
                assert_eq!(
                    r.break_even_year,
                    fast.break_even_year(&point),
                    "{last} point {i}"
                );
            }
        }
    }

    #[test]
    fn a_cancelled_token_stops_a_sweep_in_its_worker_threads() {
        let b = base();
        let s = spec(
            r#"{"parameters": [{"name": "success_rate", "from": 0, "to": 1, "step": 0.001},
                               {"name": "horizon_years", "values": [5, 10]}]}"#,
        )
        .unwrap();
        let token = crate::cancel::Cancel::new();
        token.cancel();
        let stopped = token.run(|| sweep(&b, &s));
        assert!(matches!(
            stopped,
            Err(AnalysisError::Calculation {
                source: crate::CalcError::Cancelled,
                ..
            })
        ));
        assert!(sweep(&b, &s).is_ok());
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

    /// Columns written in place hold, bit for bit, what the whole sweep
    /// holds (the reference is `sweep_with`, which keeps every result):
    /// on a closed-form grid of many blocks, on a point-by-point grid (last
    /// axis structural) and for every choice of columns; the parameters'
    /// columns hold each point's values (`SweepSpec::point`, read by hand
    /// from the spec); a refused grid gives the same error.
    #[test]
    fn a_sweep_into_columns_is_the_whole_sweep_column_by_column() {
        let b = base();
        let grids = [
            r#"{"parameters": [
                {"name": "discount_rate", "values": [0, 0.04]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.01},
                {"name": "cost:Support", "from": 0, "to": 200000, "step": 500}]}"#,
            r#"{"parameters": [
                {"name": "participants_scale", "values": [0.5, 1, 2]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.0002},
                {"name": "horizon_years", "values": [3, 7, 10]}]}"#,
        ];
        let choices = [
            Column::ALL.to_vec(),
            vec![Column::Npv],
            vec![Column::BreakEvenYear, Column::Npv, Column::BenefitCostRatio],
        ];
        for grid in grids {
            let s = spec(grid).unwrap();
            let n = s.points();
            assert!(n > 2 * FORMAT_BLOCK.max(CHUNK), "several blocks");
            for columns in &choices {
                let options = SweepOptions {
                    columns: columns.clone(),
                };
                let whole = sweep_with(&b, &s, &options, &|_| {}).unwrap();
                let mut parameters = vec![vec![f64::NAN; n]; s.axes.len()];
                let mut figures = vec![vec![f64::NAN; n]; columns.len()];
                let done = AtomicU64::new(0);
                sweep_into(
                    &b,
                    &s,
                    &options,
                    &|k| {
                        done.fetch_add(k, Ordering::Relaxed);
                    },
                    &mut parameters
                        .iter_mut()
                        .map(Vec::as_mut_slice)
                        .collect::<Vec<_>>(),
                    &mut figures
                        .iter_mut()
                        .map(Vec::as_mut_slice)
                        .collect::<Vec<_>>(),
                )
                .unwrap();
                // Progress comes in whole steps of PROGRESS_STEP points.
                let steps = n as u64 / PROGRESS_STEP * PROGRESS_STEP;
                assert_eq!(done.load(Ordering::Relaxed), steps, "progress");
                for (i, r) in whole.results.iter().enumerate() {
                    for (a, v) in s.point(i).into_iter().enumerate() {
                        let expected: f64 = v.to_string().parse().unwrap();
                        assert_eq!(parameters[a][i].to_bits(), expected.to_bits(), "{i}");
                    }
                    for (c, column) in columns.iter().zip(&figures) {
                        let expected = match c {
                            Column::Npv => r.npv,
                            Column::PvGains => r.pv_gains,
                            Column::PvCosts => r.pv_costs,
                            Column::BenefitCostRatio => r.benefit_cost_ratio.unwrap_or(f64::NAN),
                            Column::BreakEvenYear => r.break_even_year.map_or(f64::NAN, f64::from),
                        };
                        assert_eq!(column[i].to_bits(), expected.to_bits(), "{i} {c:?}");
                    }
                }
                // Without the parameters' columns: the same figures.
                let mut alone = vec![vec![f64::NAN; n]; columns.len()];
                let mut views: Vec<&mut [f64]> = alone.iter_mut().map(Vec::as_mut_slice).collect();
                sweep_into(&b, &s, &options, &|_| {}, &mut [], &mut views).unwrap();
                assert_eq!(
                    alone
                        .iter()
                        .flatten()
                        .map(|x| x.to_bits())
                        .collect::<Vec<_>>(),
                    figures
                        .iter()
                        .flatten()
                        .map(|x| x.to_bits())
                        .collect::<Vec<_>>()
                );
            }
        }

        let huge = spec(
            r#"{"parameters": [
                {"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.001}]}"#,
        )
        .unwrap();
        let options = SweepOptions::default();
        let expected = sweep_with(&b, &huge, &options, &|_| {}).unwrap_err();
        let mut figures = vec![vec![0.0; huge.points()]; Column::ALL.len()];
        let mut views: Vec<&mut [f64]> = figures.iter_mut().map(Vec::as_mut_slice).collect();
        let refused = sweep_into(&b, &huge, &options, &|_| {}, &mut [], &mut views).unwrap_err();
        assert_eq!(refused, expected);

        // Columns of the wrong length or number are refused, naming both.
        let mut short = vec![0.0; huge.points() - 1];
        let e = sweep_into(&b, &huge, &options, &|_| {}, &mut [], &mut [&mut short]).unwrap_err();
        assert!(
            e.to_string()
                .contains("5 figure columns, each of 802 values"),
            "{e}"
        );
    }

    /// The NPV alone (written straight from each row's closed form, no
    /// result per point) is, bit for bit, the NPV of the sweep of every
    /// figure (the reference is `sweep_with`, which keeps a whole result per
    /// point): grids with the last axis linear (zero among its values,
    /// two structural axes before it, a row of two values, participants
    /// scaled to 0), one whose last axis is structural (point by point) and one
    /// with a single value on the last axis (no closed form); a grid with
    /// points outside the engine's range gives the same refusal (count and
    /// first point) with the NPV alone as with every figure.
    #[test]
    fn the_npv_alone_is_the_npv_of_every_figure_bit_for_bit() {
        let b = base();
        let grids = [
            r#"{"parameters": [
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.01},
                {"name": "participants_scale", "values": [0.5, 1, 2]},
                {"name": "cost:Support", "from": 0, "to": 200000, "step": 700}]}"#,
            r#"{"parameters": [
                {"name": "discount_rate", "values": [0, 0.04]},
                {"name": "horizon_years", "values": [3, 10]},
                {"name": "success_rate", "from": 0, "to": 1, "step": 0.003}]}"#,
            r#"{"parameters": [
                {"name": "cost:Support", "from": 0, "to": 90000, "step": 1000},
                {"name": "participants_scale", "values": [0, 3]}]}"#,
            r#"{"parameters": [
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.001},
                {"name": "horizon_years", "values": [3, 7, 10]}]}"#,
            r#"{"parameters": [
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.001},
                {"name": "cost:Support", "values": [50000]}]}"#,
        ];
        let npv = SweepOptions {
            columns: vec![Column::Npv],
        };
        let all = SweepOptions::default();
        for grid in grids {
            let s = spec(grid).unwrap();
            let n = s.points();
            let whole = sweep_with(&b, &s, &all, &|_| {}).unwrap();
            let mut alone = vec![f64::NAN; n];
            let done = AtomicU64::new(0);
            let progress = |k| {
                done.fetch_add(k, Ordering::Relaxed);
            };
            sweep_into(&b, &s, &npv, &progress, &mut [], &mut [&mut alone]).unwrap();
            assert_eq!(
                done.load(Ordering::Relaxed),
                n as u64 / PROGRESS_STEP * PROGRESS_STEP,
                "progress"
            );
            for (i, (x, r)) in alone.iter().zip(&whole.results).enumerate() {
                assert_eq!(x.to_bits(), r.npv.to_bits(), "{grid} point {i}");
            }
        }

        let huge = spec(
            r#"{"parameters": [
                {"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.001}]}"#,
        )
        .unwrap();
        let expected = sweep_with(&b, &huge, &all, &|_| {}).unwrap_err();
        let mut column = vec![0.0; huge.points()];
        let refused = sweep_into(&b, &huge, &npv, &|_| {}, &mut [], &mut [&mut column]);
        assert_eq!(refused.unwrap_err(), expected);

        // Without fixed costs, PV costs are 0 at a support cost of 0 and
        // about 1e-25 kr. at 1e-27 kr. a participant: there the
        // benefit-cost ratio is beyond the engine's range (PV gains are
        // millions), though PV gains, PV costs and NPV are not. The row's
        // ends do not settle it (PV costs are 0 at one end), so its points
        // are checked one by one, and the sweep is refused as with every
        // figure; a row whose costs keep one sign is settled by its ends.
        let tiny = spec(
            r#"{"parameters": [
                {"name": "cost:Training", "values": [0, 250000]},
                {"name": "cost:Team", "values": [0]},
                {"name": "cost:Support", "values": [0, 0.000000000000000000000000001, 1, 60000]}]}"#,
        )
        .unwrap();
        let expected = sweep_with(&b, &tiny, &all, &|_| {}).unwrap_err();
        assert!(
            expected.to_string().contains("1 of 8 grid points")
                && expected
                    .to_string()
                    .contains("cost:Support = 0.000000000000000000000000001"),
            "{expected}"
        );
        let mut column = vec![0.0; tiny.points()];
        let refused = sweep_into(&b, &tiny, &npv, &|_| {}, &mut [], &mut [&mut column]);
        assert_eq!(refused.unwrap_err(), expected);
        let whole = sweep_with(&b, &tiny, &npv, &|_| {});
        assert_eq!(whole.unwrap_err(), expected);
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
