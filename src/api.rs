//! JSON in, JSON out: the entry point for tools written in other languages.

use serde_json::{Value, json};

use crate::{Error, KnowledgeBase, Scenario, evaluate, report};

/// Evaluates a scenario given as JSON text and returns the business case as
/// JSON text in the shape of DESIGN.md §5 (what `som run --format json` prints).
///
/// ```
/// let input = std::fs::read_to_string("examples/housing-first.json").unwrap();
/// let output = som::api::evaluate_json(&input, som::KnowledgeBase::embedded()).unwrap();
/// let value: serde_json::Value = serde_json::from_str(&output).unwrap();
/// assert!(value["summary"]["npv"]["total"].is_string());
/// ```
pub fn evaluate_json(scenario_json: &str, kb: &KnowledgeBase) -> Result<String, Error> {
    let scenario = Scenario::from_json(scenario_json)?;
    let case = evaluate(&scenario, kb)?;
    Ok(report::json::render(&case))
}

/// The error as JSON: `{"error": {"code", "message", "problems": [{"file", "path", "found", "expected", "did_you_mean"}]}}`.
///
/// ```
/// let err = som::api::evaluate_json("{}", som::KnowledgeBase::embedded()).unwrap_err();
/// let value = som::api::error_json(&err);
/// assert_eq!(value["error"]["code"], "invalid_scenario");
/// assert_eq!(value["error"]["problems"][0]["path"], "$");
/// ```
pub fn error_json(error: &Error) -> Value {
    json!({
        "error": {
            "code": error.code(),
            "message": error.to_string(),
            "problems": error.problems(),
        }
    })
}
