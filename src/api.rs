//! JSON in, JSON out: the entry point for tools written in other languages.

use serde_json::{Value, json};

use crate::analysis::{self, AnalysisError};
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

/// Evaluates a scenario given as JSON text and returns only its figures as
/// JSON text: `{"scenario", "knowledge_base", "summary", "unadjusted"}`, each
/// member as in [`evaluate_json`]'s output (`unadjusted` is its
/// `evidence.unadjusted`). For callers that need the answer, not the years:
/// it skips building and writing them.
///
/// ```
/// let input = std::fs::read_to_string("examples/housing-first.json").unwrap();
/// let kb = som::KnowledgeBase::embedded();
/// let figures = som::api::evaluate_summary_json(&input, kb).unwrap();
/// let figures: serde_json::Value = serde_json::from_str(&figures).unwrap();
/// let full: serde_json::Value =
///     serde_json::from_str(&som::api::evaluate_json(&input, kb).unwrap()).unwrap();
/// assert_eq!(figures["summary"], full["summary"]);
/// ```
pub fn evaluate_summary_json(scenario_json: &str, kb: &KnowledgeBase) -> Result<String, Error> {
    let scenario = Scenario::from_json(scenario_json)?;
    let figures = crate::evaluate_summary(&scenario, kb)?;
    Ok(report::json::render_summary(&figures))
}

/// One-way sensitivity of a scenario given as JSON: the tornado (consequence
/// lines moved by their confidence grade's range, every other input by
/// ± 20 %) and the exact break-even figures, as JSON text — what
/// `som sensitivity --format json` prints.
///
/// ```
/// let input = std::fs::read_to_string("examples/housing-first.json").unwrap();
/// let output = som::api::sensitivity_json(&input, som::KnowledgeBase::embedded()).unwrap();
/// let value: serde_json::Value = serde_json::from_str(&output).unwrap();
/// assert!(value["bars"].as_array().unwrap().len() > 3);
/// assert!(value["break_even"].is_object());
/// ```
pub fn sensitivity_json(scenario_json: &str, kb: &KnowledgeBase) -> Result<String, AnalysisError> {
    let scenario = Scenario::from_json(scenario_json).map_err(Error::from)?;
    let base = analysis::Baseline::new(&scenario, kb)?;
    let analysed = analysis::analyse_sensitivity(&base, analysis::Range::ByGrade)?;
    Ok(format!("{:#}\n", report::sensitivity::json(&analysed)))
}

/// Every error code the library, the C ABI and the service answer with, and
/// what it means. The README's list is this list (a test checks both
/// against the code).
pub const ERROR_CODES: &[(&str, &str)] = &[
    (
        "invalid_scenario",
        "the scenario has problems, each with file and JSON path (service: 400)",
    ),
    (
        "invalid_knowledge_base",
        "the knowledge base has problems, each with file and JSON path; also an unknown id asked of it (service: 404)",
    ),
    (
        "invalid_analysis_spec",
        "an analysis spec has problems, each with file and JSON path",
    ),
    (
        "calculation_failed",
        "a figure left Decimal's range, named by the step, at the scenario's file (service: 422)",
    ),
    (
        "analysis_failed",
        "an analysis could not be computed at one of its points, e.g. a tornado end that overflows; the problem names the scenario's file (service: 422)",
    ),
    (
        "cancelled",
        "the calculation was stopped by a shutdown before it finished (service: 503)",
    ),
    (
        "timeout",
        "the request took longer than the time limit; its calculation is stopped (service: 503)",
    ),
    (
        "busy",
        "the service is at its limit of calculations or connections; try again (service: 503)",
    ),
    (
        "invalid_request",
        "the request is not valid HTTP/1.1, its body is not UTF-8 text, or its path is not valid percent-encoding (service: 400)",
    ),
    (
        "uri_too_long",
        "the request's path is over 64 KiB (service: 414)",
    ),
    (
        "headers_too_large",
        "the request's headers are over the service's buffer (service: 431)",
    ),
    (
        "payload_too_large",
        "the request body is over the limit (service: 413)",
    ),
    ("not_found", "no such route (service: 404)"),
    (
        "method_not_allowed",
        "the route exists but not with this method (service: 405)",
    ),
    ("invalid_argument", "a null or non-UTF-8 argument (C ABI)"),
    (
        "internal_error",
        "a caught panic: a bug (C ABI, service: 500)",
    ),
];

/// An analysis error as JSON, in the shape of [`error_json`]: a scenario's
/// problems keep their code and paths; other failures are `analysis_failed`.
pub fn analysis_error_json(error: &AnalysisError) -> Value {
    match error {
        AnalysisError::Scenario(e) => error_json(e),
        AnalysisError::InvalidSpec(problems) => json!({
            "error": {"code": "invalid_analysis_spec", "message": error.to_string(), "problems": problems}
        }),
        other if other.is_cancelled() => json!({
            "error": {"code": "cancelled", "message": other.to_string(), "problems": []}
        }),
        other => json!({
            "error": {"code": "analysis_failed", "message": other.to_string(), "problems": other.problems()}
        }),
    }
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

/// An error that arises outside the library's own layers (a bad argument at
/// the C boundary, a request that is too large, an internal failure), in the
/// same shape as [`error_json`] with no problems.
///
/// ```
/// let value = som::api::error_message_json("invalid_argument", "scenario_json is null");
/// assert_eq!(value["error"]["code"], "invalid_argument");
/// assert_eq!(value["error"]["problems"], serde_json::json!([]));
/// ```
pub fn error_message_json(code: &str, message: &str) -> Value {
    json!({
        "error": {
            "code": code,
            "message": message,
            "problems": [],
        }
    })
}

/// Every id in the knowledge base with its kind, and the knowledge base's
/// version and hash: `{"knowledge_base": {"version", "hash"}, "ids": [{"kind", "id"}]}`.
///
/// ```
/// let value = som::api::kb_list_json(som::KnowledgeBase::embedded());
/// let ids = value["ids"].as_array().unwrap();
/// let group = ids.iter().find(|i| i["id"] == "homeless-adults").unwrap();
/// assert_eq!(group["name"]["da"], "Voksne i hjemløshed");
/// ```
pub fn kb_list_json(kb: &KnowledgeBase) -> Value {
    let ids: Vec<Value> = kb
        .names()
        .into_iter()
        .map(|(kind, id, en, da)| json!({"kind": kind, "id": id, "name": {"en": en, "da": da}}))
        .collect();
    json!({
        "knowledge_base": {"version": kb.version(), "hash": kb.hash()},
        "ids": ids,
    })
}

/// What `som kb validate` reports for a knowledge base that loaded: version,
/// hash and how many records of the main kinds it holds.
///
/// ```
/// let value = som::api::kb_validated_json(som::KnowledgeBase::embedded());
/// assert_eq!(value["valid"], true);
/// ```
pub fn kb_validated_json(kb: &KnowledgeBase) -> Value {
    json!({
        "valid": true,
        "knowledge_base": {"version": kb.version(), "hash": kb.hash()},
        "counts": {
            "target_groups": kb.target_groups().len(),
            "services": kb.services().len(),
            "effects": kb.effects().len(),
        },
    })
}
