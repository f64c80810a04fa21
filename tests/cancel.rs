//! Calculations that can be stopped (issue 18): a deadline or a
//! cancellation token checked inside the engine. Every time bound here is a
//! hang guard, far above what the work needs, not a timing.

use std::time::{Duration, Instant};

use som::analysis::{AnalysisError, Baseline, sensitivity};
use som::cancel::Cancel;
use som::{CalcError, KnowledgeBase, Scenario};

/// A valid scenario whose sensitivity analysis takes minutes (2.000 costs
/// over 100 years: each of its ~4.000 evaluations handles 200.000 cost flows).
fn heavy_scenario() -> String {
    let costs: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"label": "c{i}", "kind": "per_year", "from_year": 0, "to_year": 99, "amount": {}, "payer": "kommune"}}"#,
                1000 + i
            )
        })
        .collect();
    let cohorts: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"year": {i}, "participants": 40}}"#))
        .collect();
    format!(
        r#"{{"name": "heavy", "target_group": "homeless-adults", "success_measure": "exits-homelessness",
        "start_year": 2026, "horizon_years": 100, "price_year": 2025, "discounting": "dk-fm-2021",
        "cohorts": [{}], "completion_rate": 0.9, "effect": {{"success_rate": 0.45, "baseline_rate": 0.2}},
        "costs": [{}]}}"#,
        cohorts.join(","),
        costs.join(",")
    )
}

#[test]
fn a_deadline_stops_a_long_sensitivity_analysis() {
    let scenario = Scenario::from_json(&heavy_scenario()).unwrap();
    let base = Baseline::new(&scenario, KnowledgeBase::embedded()).unwrap();
    let started = Instant::now();
    let token = Cancel::with_deadline(started + Duration::from_millis(300));
    let result = token.run(|| sensitivity(&base, rust_decimal::Decimal::new(2, 1)));
    assert!(
        matches!(
            result,
            Err(AnalysisError::Calculation {
                source: CalcError::Cancelled,
                ..
            })
        ),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped only after {:?}",
        started.elapsed()
    );
}

#[test]
fn cancelling_from_another_thread_stops_an_evaluation_in_progress() {
    let scenario = Scenario::from_json(&heavy_scenario()).unwrap();
    let base = Baseline::new(&scenario, KnowledgeBase::embedded()).unwrap();
    let token = Cancel::new();
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            token.cancel();
            Instant::now()
        })
    };
    let result = token.run(|| sensitivity(&base, rust_decimal::Decimal::new(2, 1)));
    let cancelled_at = canceller.join().unwrap();
    assert!(result.is_err(), "finished before it was cancelled");
    assert!(cancelled_at.elapsed() < Duration::from_secs(2));
    // Without a token the same work is not stopped: a plain evaluation runs.
    assert!(som::evaluate(&scenario, KnowledgeBase::embedded()).is_ok());
}
