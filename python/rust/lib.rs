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

use numpy::{IntoPyArray, PyArray1};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use som::analysis::{
    self, Baseline, Column, Simulation, SimulationOptions, SimulationSpec, Sweep, SweepOptions,
    SweepSpec,
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
#[pyfunction]
#[pyo3(signature = (scenario_json, spec_json, kb_dir=None, columns=None))]
fn sweep<'py>(
    py: Python<'py>,
    scenario_json: &str,
    spec_json: &str,
    kb_dir: Option<&str>,
    columns: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let swept: Sweep = py
        .detach(|| {
            let columns = match &columns {
                None => Column::ALL.to_vec(),
                Some(names) => Column::parse_list(&names.join(","))
                    .map_err(|m| error_message_json("invalid_argument", &m))?,
            };
            let kb = knowledge_base(kb_dir)?;
            let scenario = scenario(scenario_json)?;
            let base = Baseline::new(&scenario, &kb).map_err(|e| analysis_error_json(&e))?;
            let spec = SweepSpec::from_json(spec_json, "<spec>", base.model())
                .map_err(|e| analysis_error_json(&e))?;
            analysis::sweep_with(&base, &spec, &SweepOptions { columns }, &|_| {})
                .map_err(|e| analysis_error_json(&e))
        })
        .map_err(raise)?;
    let out = PyDict::new(py);
    let n = swept.results.len();
    let mut stride = n;
    for axis in &swept.spec.axes {
        let len = axis.values.len();
        stride /= len;
        let values: Vec<f64> = axis
            .values
            .iter()
            .map(|v| v.to_string().parse::<f64>().unwrap_or(f64::NAN))
            .collect();
        // Each value `stride` times, the whole pattern repeated for the
        // axes before (grid order: the first axis slowest).
        let mut column = Vec::with_capacity(n);
        while column.len() < n {
            for v in &values {
                column.resize(column.len() + stride, *v);
            }
        }
        out.set_item(&axis.name, f64_array(py, column))?;
    }
    for c in &swept.columns {
        let r = &swept.results;
        let column: Vec<f64> = match c {
            Column::Npv => r.iter().map(|x| x.npv).collect(),
            Column::PvGains => r.iter().map(|x| x.pv_gains).collect(),
            Column::PvCosts => r.iter().map(|x| x.pv_costs).collect(),
            Column::BenefitCostRatio => r
                .iter()
                .map(|x| x.benefit_cost_ratio.unwrap_or(f64::NAN))
                .collect(),
            Column::BreakEvenYear => r
                .iter()
                .map(|x| x.break_even_year.map_or(f64::NAN, f64::from))
                .collect(),
        };
        out.set_item(c.name(), f64_array(py, column))?;
    }
    Ok(out)
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
