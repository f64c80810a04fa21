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

use numpy::{IntoPyArray, IxDyn, PyArray, PyArray1, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use som::analysis::sweep::Axis;
use som::analysis::{
    self, Baseline, Column, Simulation, SimulationOptions, SimulationSpec, SweepOptions, SweepSpec,
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

/// A sweep over a grid: a dict of numpy float64 arrays, one per parameter
/// and one per column. By default each is as long as the grid, in grid
/// order (a parameter's array holds its value at each point); with `grid`,
/// a parameter's array holds its axis's values and a column's array has the
/// grid's shape (one dimension per axis, in axis order: the same values in
/// the same order), so no array is written per point for the parameters.
///
/// The arrays are numpy's own (numpy's allocator asks the kernel for huge
/// pages for large arrays, which a fresh 8 MB column needs to be written at
/// memory speed), created uninitialised, and the library's workers write
/// every value of them in one pass over the grid (`sweep_into`: the closed
/// form of a row when the last axis is linear), each its blocks' part of
/// every column: no result is held per point beyond the arrays.
#[pyfunction]
#[pyo3(signature = (scenario_json, spec_json, kb_dir=None, columns=None, grid=false))]
fn sweep<'py>(
    py: Python<'py>,
    scenario_json: &str,
    spec_json: &str,
    kb_dir: Option<&str>,
    columns: Option<Vec<String>>,
    grid: bool,
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
    let shape: Vec<usize> = match grid {
        true => spec.axes.iter().map(|a| a.values.len()).collect(),
        false => vec![n],
    };
    // SAFETY (both): an uninitialised array of f64 (no invalid bit
    // patterns); `sweep_into` writes every value before it succeeds, and on
    // an error the arrays are dropped unread.
    let axes: Vec<_> = match grid {
        true => Vec::new(),
        false => spec
            .axes
            .iter()
            .map(|_| unsafe { PyArray::<f64, IxDyn>::new(py, &shape[..], false) })
            .collect(),
    };
    let figures: Vec<_> = columns
        .iter()
        .map(|_| unsafe { PyArray::<f64, IxDyn>::new(py, &shape[..], false) })
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
        let options = SweepOptions {
            columns: columns.clone(),
        };
        py.detach(|| {
            analysis::sweep_into(
                &base,
                &spec,
                &options,
                &|_| {},
                &mut axis_values,
                &mut figure_values,
            )
        })
        .map_err(|e| raise(analysis_error_json(&e)))?;
    }
    let out = PyDict::new(py);
    if grid {
        for axis in &spec.axes {
            out.set_item(&axis.name, axis_values(axis).into_pyarray(py))?;
        }
    } else {
        for (axis, values) in spec.axes.iter().zip(axes) {
            out.set_item(&axis.name, values)?;
        }
    }
    for (c, values) in columns.iter().zip(figures) {
        out.set_item(c.name(), values)?;
    }
    Ok(out)
}

/// An axis's values as f64: the nearest to each exact value, as in the
/// parameters' columns (Rust's parsing rounds correctly: 0.3 is Python's 0.3).
fn axis_values(axis: &Axis) -> Vec<f64> {
    axis.values
        .iter()
        .map(|v| v.normalize().to_string().parse::<f64>().unwrap_or(f64::NAN))
        .collect()
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
