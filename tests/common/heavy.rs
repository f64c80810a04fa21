//! A valid scenario that is costly to analyse, shared by the tests that cancel
//! an analysis (tests/cancel.rs) and that abuse the service (tests/serve_abuse.rs).

/// A valid scenario whose sensitivity analysis takes minutes: 2.000 costs
/// over a 100-year horizon, so each of its 4.000-odd evaluations handles
/// 200.000 cost flows. Its body is about 210 KB, within the 1 MiB limit.
pub fn heavy_scenario() -> String {
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
