//! `som._native`: the Python extension behind the `som` package.
//!
//! The business case, sensitivity and knowledge-base calls answer with the
//! same JSON text as the C ABI (`ffi/`); sweeps and simulations answer with
//! numpy arrays built straight from the f64 results, with no text between.
//! Every call releases the GIL while it computes. An error raises
//! `NativeError` whose one argument is the error object's JSON text
//! (`{"error": {"code", "message", "problems"}}`); the Python package turns
//! it into `som.SomError`.

use std::borrow::Cow;

use numpy::{IntoPyArray, PyArray1, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use som::analysis::{
    self, AnalysisError, Baseline, Column, Simulation, SimulationOptions, SimulationSpec,
    SweepOptions, SweepResult, SweepSpec,
};
use som::api::{self, analysis_error_json, error_json, error_message_json};
use som::{KnowledgeBase, Scenario};

create_exception!(
    _native,
    NativeError,
    PyException,
    "An error object from som, as JSON text."
);

fn raise(error: Value) -> PyErr {
    NativeError::new_err(error.to_string())
}

fn knowledge_base(dir: Option<&str>) -> Result<Cow<'static, KnowledgeBase>, Value> {
    match dir {
        None => Ok(Cow::Borrowed(KnowledgeBase::embedded())),
        Some(dir) => KnowledgeBase::load(dir)
            .map(Cow::Owned)
            .map_err(|e| error_json(&som::Error::from(e))),
    }
}

fn scenario(text: &str) -> Result<Scenario, Value> {
    Scenario::from_json(text).map_err(|e| error_json(&som::Error::from(e)))
}

/// The business case as JSON text (what `som run --format json` prints).
#[pyfunction]
#[pyo3(signature = (scenario_json, kb_dir=None))]
fn evaluate_json(py: Python<'_>, scenario_json: &str, kb_dir: Option<&str>) -> PyResult<String> {
    py.detach(|| {
        let kb = knowledge_base(kb_dir)?;
        api::evaluate_json(scenario_json, &kb).map_err(|e| error_json(&e))
    })
    .map_err(raise)
}

/// One-way sensitivity as JSON text (what `som sensitivity --format json` prints).
#[pyfunction]
#[pyo3(signature = (scenario_json, kb_dir=None))]
fn sensitivity_json(py: Python<'_>, scenario_json: &str, kb_dir: Option<&str>) -> PyResult<String> {
    py.detach(|| {
        let kb = knowledge_base(kb_dir)?;
        api::sensitivity_json(scenario_json, &kb).map_err(|e| analysis_error_json(&e))
    })
    .map_err(raise)
}

/// Every id in the knowledge base, as JSON text.
#[pyfunction]
#[pyo3(signature = (kb_dir=None))]
fn kb_list_json(py: Python<'_>, kb_dir: Option<&str>) -> PyResult<String> {
    py.detach(|| {
        let kb = knowledge_base(kb_dir)?;
        Ok::<_, Value>(api::kb_list_json(&kb).to_string())
    })
    .map_err(raise)
}

/// One knowledge-base record by id, as JSON text.
#[pyfunction]
#[pyo3(signature = (id, kb_dir=None))]
fn kb_show_json(py: Python<'_>, id: &str, kb_dir: Option<&str>) -> PyResult<String> {
    py.detach(|| {
        let kb = knowledge_base(kb_dir)?;
        som::knowledge_base::show(&kb, id).map_err(|e| error_json(&som::Error::from(e)))
    })
    .map_err(raise)
}

/// Validates a knowledge-base directory, as JSON text.
#[pyfunction]
#[pyo3(signature = (kb_dir=None))]
fn kb_validate_json(py: Python<'_>, kb_dir: Option<&str>) -> PyResult<String> {
    py.detach(|| {
        let kb = knowledge_base(kb_dir)?;
        Ok::<_, Value>(api::kb_validated_json(&kb).to_string())
    })
    .map_err(raise)
}

/// The library's version.
#[pyfunction]
fn version() -> &'static str {
    som::VERSION
}

fn f64_array<'py>(py: Python<'py>, values: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    values.into_pyarray(py)
}

/// A sweep over a grid: a dict of equally long numpy float64 arrays, one per
/// parameter (its value at each point, in grid order) and one per column.
///
/// The arrays are numpy's own (numpy's allocator asks the kernel for huge
/// pages for large arrays, which a fresh 8 MB column needs to be written at
/// memory speed), and the library fills the columns block by block as it
/// evaluates the grid (`sweep_formatted`: the closed form of a row when the
/// last axis is linear): no result is held per point beyond the arrays.
#[pyfunction]
#[pyo3(signature = (scenario_json, spec_json, kb_dir=None, columns=None))]
fn sweep<'py>(
    py: Python<'py>,
    scenario_json: &str,
    spec_json: &str,
    kb_dir: Option<&str>,
    columns: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (kb, scenario, columns) = py
        .detach(|| {
            let columns = match &columns {
                None => Column::ALL.to_vec(),
                Some(names) => Column::parse_list(&names.join(","))
                    .map_err(|m| error_message_json("invalid_argument", &m))?,
            };
            Ok::<_, Value>((knowledge_base(kb_dir)?, scenario(scenario_json)?, columns))
        })
        .map_err(raise)?;
    let base = Baseline::new(&scenario, &kb).map_err(|e| raise(analysis_error_json(&e)))?;
    let spec = SweepSpec::from_json(spec_json, "<spec>", base.model())
        .map_err(|e| raise(analysis_error_json(&e)))?;
    let n = spec.points();
    let axes: Vec<_> = spec
        .axes
        .iter()
        .map(|_| PyArray1::<f64>::zeros(py, n, false))
        .collect();
    let figures: Vec<_> = columns
        .iter()
        .map(|_| PyArray1::<f64>::zeros(py, n, false))
        .collect();
    {
        let mut axis_values = Vec::with_capacity(axes.len());
        for a in &axes {
            // SAFETY: the array was created just above and no other view
            // of it exists until it is returned.
            axis_values.push(unsafe { a.as_slice_mut() }?);
        }
        let mut figure_values = Vec::with_capacity(figures.len());
        for f in &figures {
            // SAFETY: as above.
            figure_values.push(unsafe { f.as_slice_mut() }?);
        }
        // The parameters' values are written on a thread of their own
        // while the library's workers evaluate the grid.
        py.detach(|| {
            std::thread::scope(|s| {
                s.spawn(|| fill_axes(&spec, &mut axis_values));
                sweep_columns(&base, &spec, &columns, &mut figure_values)
            })
        })
        .map_err(raise)?;
    }
    let out = PyDict::new(py);
    for (axis, values) in spec.axes.iter().zip(axes) {
        out.set_item(&axis.name, values)?;
    }
    for (c, values) in columns.iter().zip(figures) {
        out.set_item(c.name(), values)?;
    }
    Ok(out)
}

/// Each parameter's value at every grid point: each value `stride` times,
/// the whole pattern repeated for the axes before (grid order: the first
/// axis slowest).
fn fill_axes(spec: &SweepSpec, out: &mut [&mut [f64]]) {
    let mut stride = spec.points();
    for (axis, column) in spec.axes.iter().zip(out.iter_mut()) {
        let len = axis.values.len();
        stride /= len;
        let values: Vec<f64> = axis
            .values
            .iter()
            .map(|v| v.to_string().parse::<f64>().unwrap_or(f64::NAN))
            .collect();
        for (k, run) in column.chunks_mut(stride.max(1)).enumerate() {
            run.fill(values[k % len]);
        }
    }
}

/// One figure of a sweep result as an f64 (NaN where it is undefined).
fn figure(c: Column, r: &SweepResult) -> f64 {
    match c {
        Column::Npv => r.npv,
        Column::PvGains => r.pv_gains,
        Column::PvCosts => r.pv_costs,
        Column::BenefitCostRatio => r.benefit_cost_ratio.unwrap_or(f64::NAN),
        Column::BreakEvenYear => r.break_even_year.map_or(f64::NAN, f64::from),
    }
}

/// Fills every column of the sweep, in grid order, block by block through
/// `sweep_formatted`: each block is formatted (in parallel) as its columns
/// one after the other, 8 native-endian bytes a figure, and copied into the
/// columns in grid order while the next blocks are evaluated.
fn sweep_columns(
    base: &Baseline<'_>,
    spec: &SweepSpec,
    columns: &[Column],
    out: &mut [&mut [f64]],
) -> Result<(), Value> {
    let format = |_first: usize, rows: &[SweepResult], buf: &mut Vec<u8>| {
        buf.clear();
        buf.reserve(rows.len() * 8 * columns.len());
        for &c in columns {
            buf.extend(rows.iter().flat_map(|r| figure(c, r).to_ne_bytes()));
        }
    };
    let mut next = 0;
    let write = |bytes: &[u8]| {
        let points = bytes.len() / (8 * columns.len().max(1));
        for (column, part) in out.iter_mut().zip(bytes.chunks_exact(8 * points.max(1))) {
            let into = &mut column[next..next + points];
            for (x, b) in into.iter_mut().zip(part.chunks_exact(8)) {
                let mut le = [0; 8];
                le.copy_from_slice(b);
                *x = f64::from_ne_bytes(le);
            }
        }
        next += points;
        Ok::<(), AnalysisError>(())
    };
    let options = SweepOptions {
        columns: columns.to_vec(),
    };
    analysis::sweep::sweep_formatted(base, spec, &options, &|_| {}, &format, write)
        .map_err(|e| analysis_error_json(&e))
}

/// A Monte Carlo simulation: `(summary, draws)`, the summary as JSON text
/// (what `som simulate --format json` prints) and, when `keep_draws`, a dict
/// of numpy arrays (each input's draws, `npv`, `benefit_cost_ratio`; NaN
/// where undefined or outside the exact engine's range), else None.
#[pyfunction]
#[pyo3(signature = (scenario_json, spec_json, draws=10_000, seed=1, kb_dir=None, keep_draws=false, grade_defaults=false))]
#[allow(clippy::too_many_arguments)]
fn simulate<'py>(
    py: Python<'py>,
    scenario_json: &str,
    spec_json: Option<&str>,
    draws: u64,
    seed: u64,
    kb_dir: Option<&str>,
    keep_draws: bool,
    grade_defaults: bool,
) -> PyResult<(String, Option<Bound<'py, PyDict>>)> {
    let sim: Simulation = py
        .detach(|| {
            let kb = knowledge_base(kb_dir)?;
            let scenario = scenario(scenario_json)?;
            let base = Baseline::new(&scenario, &kb).map_err(|e| analysis_error_json(&e))?;
            let mut spec = match spec_json {
                Some(text) => SimulationSpec::from_json(text, "<spec>", base.model())
                    .map_err(|e| analysis_error_json(&e))?,
                None => SimulationSpec::default(),
            };
            if grade_defaults {
                spec = spec.with_grade_defaults(base.model(), kb.evidence_scale());
            }
            if spec.inputs.is_empty() {
                return Err(error_message_json(
                    "invalid_argument",
                    "nothing is uncertain: the spec names no input and no consequence line has a grade",
                ));
            }
            let options = SimulationOptions {
                draws,
                seed,
                keep_draws,
            };
            analysis::simulate(&base, &spec, options).map_err(|e| analysis_error_json(&e))
        })
        .map_err(raise)?;
    let summary = format!("{:#}\n", sim.to_json());
    if !keep_draws {
        return Ok((summary, None));
    }
    let out = PyDict::new(py);
    let names = sim
        .inputs
        .iter()
        .map(String::as_str)
        .chain(["npv", "benefit_cost_ratio"]);
    for (k, name) in names.enumerate() {
        let column: Vec<f64> = sim.every_draw.iter().map(|row| row[k]).collect();
        out.set_item(name, f64_array(py, column))?;
    }
    Ok((summary, Some(out)))
}

/// The module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add_function(wrap_pyfunction!(evaluate_json, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity_json, m)?)?;
    m.add_function(wrap_pyfunction!(kb_list_json, m)?)?;
    m.add_function(wrap_pyfunction!(kb_show_json, m)?)?;
    m.add_function(wrap_pyfunction!(kb_validate_json, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    Ok(())
}
