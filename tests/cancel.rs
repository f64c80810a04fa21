//! Calculations that can be stopped (issue 18): a deadline or a
//! cancellation token checked inside the engine. Every time bound here is a
//! hang guard, far above what the work needs, not a timing.

use std::time::{Duration, Instant};

use som::analysis::{AnalysisError, Baseline, sensitivity};
use som::cancel::Cancel;
use som::{CalcError, KnowledgeBase, Scenario};

#[path = "common/heavy.rs"]
mod heavy;
use heavy::heavy_scenario;

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
