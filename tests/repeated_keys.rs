//! A key repeated in any object of a scenario is refused, with the file,
//! the repeated key's JSON path and the same words, at every depth and in
//! every kind of object a scenario has: the top level, structs, lists of
//! structs, maps by id (`prices`, `committees`, the custom evidence
//! factors), the one-key objects of `discounting` and `evidence_adjustment`,
//! and the knowledge-base records a scenario may define (`local_services`).
//!
//! A valid scenario is read straight from its text, and that reading itself
//! must fail at a repeated key (serde alone keeps a map's last value, and
//! ignores nothing it is not told to); these tests fail when any of those
//! places lets one through.

use serde_json::{Value, json};
use som::Scenario;

/// A scenario with every kind of object a scenario's text can hold. It is
/// only read here, not resolved.
fn every_kind_of_object(discounting: Value) -> Value {
    json!({
        "name": "every kind of object",
        "target_group": "homeless-adults",
        "success_measure": "exits-homelessness",
        "start_year": 2026,
        "horizon_years": 5,
        "price_year": 2025,
        "discounting": discounting,
        "cohorts": [{"year": 0, "participants": 20}, {"year": 1, "participants": "10"}],
        "completion_rate": 0.9,
        "effect": {
            "effect_size": {"kind": "cohens_d", "value": 0.3},
            "baseline_rate": 0.2,
            "design": "randomised_trial"
        },
        "effect_lag_years": 1,
        "persistence": {"duration_years": 5, "annual_decay": 0.1},
        "costs": [{
            "label": "Team", "kind": "per_year", "from_year": 0, "to_year": 2,
            "amount": 1000, "payer": "kommune", "grade": 3, "committee": "social"
        }],
        "consequences": [
            {"service": "shelter-day", "profile": [-1, "-0.5"], "applies_to": "participants", "grade": 2},
            {"service": "local-visit", "profile": [-2]}
        ],
        "prices": {
            "shelter-day": {"kommune": 500, "region": 0, "stat": 0, "price_year": 2024, "grade": 2},
            "prison-day": {"kommune": 1, "region": 2, "stat": 3, "price_year": 2024}
        },
        "local_services": [{
            "id": "local-visit",
            "name": {"da": "Besøg", "en": "Visit"},
            "unit": {"da": "besøg", "en": "visit"},
            "area": "health",
            "committee": "health",
            "committee_note": "Run by the health committee, 2 visits",
            "committee_note_da": "Drives af sundhedsudvalget, 2 besøg",
            "price": {
                "price_year": 2024, "kommune": 500, "region": 0, "stat": 0,
                "dated_splits": [
                    {"to": "2025-12-31", "kommune": 250, "region": 0, "stat": 250,
                     "refund": {"stat_share": 0.5, "first_days": 120}},
                    {"from": "2026-01-01", "kommune": 500, "region": 0, "stat": 0}
                ],
                "evidence": {
                    "basis": "derived", "sources": ["local-list"],
                    "note": "500 a visit", "note_da": "500 pr. besøg", "grade": 3
                }
            }
        }],
        "committees": {"shelter-day": "health", "prison-day": "social"},
        "financing": [{
            "label": "Pool", "from": "stat", "committee": "social",
            "amounts": [{"year": 0, "amount": 100}, {"year": 1, "amount": 50}]
        }],
        "local_sources": [{
            "id": "local-list", "title": "Price list", "publisher": "Kommune",
            "year": 2024, "url": "https://example.org"
        }],
        "evidence_adjustment": {"custom": {
            "design_factors": {"randomised_trial": 1, "quasi_experiment": 0.8},
            "optimism_bias": {"4": 0.3, "5": 0.5}
        }}
    })
}

/// The scenarios the tests change: every kind of object, with each form of
/// discounting that is an object, and the shipped example.
fn scenarios() -> Vec<Value> {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/housing-first.json"
    ))
    .expect("the example");
    vec![
        every_kind_of_object(json!({"rates": [0.035, "0.03", 0.03, 0.025]})),
        every_kind_of_object(json!({"constant": 0.035})),
        serde_json::from_str(&example).expect("the example is JSON"),
    ]
}

/// How an object is changed.
#[derive(Clone, Copy)]
enum Repeat {
    /// Its first key again, with the same value, after all its keys.
    FirstKey,
    /// A key no object of a scenario has, twice.
    UnknownKey,
}

const UNKNOWN: &str = "a_key_no_scenario_has";

/// JSON text of `value` with the `target`-th object (counted as they open,
/// from 0) changed by `repeat`; `count` counts the objects written, and
/// `found` gets the JSON path of the repeated key and the key.
fn write(
    value: &Value,
    path: &str,
    target: usize,
    repeat: Repeat,
    count: &mut usize,
    found: &mut Option<(String, String)>,
) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, v)| write(v, &format!("{path}[{i}]"), target, repeat, count, found))
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let this = *count;
            *count += 1;
            let mut entries: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let text = write(v, &format!("{path}.{k}"), target, repeat, count, found);
                    format!("{}: {text}", Value::from(k.as_str()))
                })
                .collect();
            if this == target {
                let key = match repeat {
                    Repeat::FirstKey => {
                        let first = map.keys().next().expect("no empty objects here");
                        entries.push(entries[0].clone());
                        first.clone()
                    }
                    Repeat::UnknownKey => {
                        entries.push(format!("\"{UNKNOWN}\": 1"));
                        entries.push(format!("\"{UNKNOWN}\": 2"));
                        UNKNOWN.to_owned()
                    }
                };
                *found = Some((format!("{path}.{key}"), key));
            }
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

/// Checks every object of every scenario changed by `repeat`; returns how
/// many texts were checked.
fn each_object_refuses(repeat: Repeat) -> usize {
    let mut checked = 0;
    for scenario in scenarios() {
        let plain = scenario.to_string();
        assert!(
            Scenario::from_json_named(&plain, "s.json").is_ok(),
            "{plain}"
        );
        for target in 0.. {
            let (mut count, mut found) = (0, None);
            let text = write(&scenario, "$", target, repeat, &mut count, &mut found);
            let Some((path, key)) = found else {
                break;
            };
            let err = Scenario::from_json_named(&text, "s.json")
                .expect_err(&format!("{path} repeated, yet read: {text}"));
            let problems: Vec<(String, String, String, String)> = err
                .problems()
                .iter()
                .map(|p| {
                    (
                        p.file.clone(),
                        p.path.clone(),
                        p.found.clone(),
                        p.expected.clone(),
                    )
                })
                .collect();
            assert_eq!(
                problems,
                [(
                    "s.json".to_owned(),
                    path,
                    format!("the key `{key}` a second time in the same object"),
                    "each key at most once (JSON readers would keep only the last value)"
                        .to_owned()
                )],
                "{text}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn a_key_repeated_in_any_object_of_a_scenario_is_refused_with_its_path() {
    let checked = each_object_refuses(Repeat::FirstKey);
    // Every object of the three scenarios (each of the first two has over 20).
    assert!(checked > 40, "{checked} objects");
}

#[test]
fn an_unknown_key_repeated_in_any_object_of_a_scenario_is_refused_as_repeated() {
    let checked = each_object_refuses(Repeat::UnknownKey);
    assert!(checked > 40, "{checked} objects");
}
