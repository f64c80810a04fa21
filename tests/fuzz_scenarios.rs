//! A structure-aware fuzz target on stable Rust (issue 18): proptest mutates
//! the valid scenario `tests/data/valid-base.json` as a JSON tree (members
//! removed, values replaced by any JSON including numbers at and beyond the
//! model's edges, unknown members added, keys repeated) and checks that
//! reading, evaluating and the sensitivity analysis never panic, finish
//! within a time ceiling, and give either a result or problems that each
//! name the file and a JSON path.
//!
//! `cargo test` runs 256 cases of each property (seconds in a debug build);
//! `SOM_FUZZ_CASES=100000 cargo test --release --test fuzz_scenarios` runs
//! longer. Failures are kept in `fuzz_scenarios.proptest-regressions` and
//! replayed first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;

/// The file name problems must carry.
const FILE: &str = "fuzz.json";

/// The longest one case may take: a hang guard, far above the milliseconds a
/// case needs.
const CEILING: Duration = Duration::from_secs(5);

fn cases() -> u32 {
    std::env::var("SOM_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

fn base() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/valid-base.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn kb() -> &'static som::KnowledgeBase {
    static KB: std::sync::OnceLock<som::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| {
        som::KnowledgeBase::load(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kb")).unwrap()
    })
}

/// Numbers, strings and ids at and beyond the edges of what the model
/// accepts, written as JSON.
const EDGES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "0.45",
    "2026",
    "100",
    "101",
    "0e2147483647",
    "1e2147483647",
    "-1e-2147483648",
    "1e28",
    "1e29",
    "1e-29",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "0.0000000000000000000000000001",
    "9223372036854775808",
    "\"958.000\"",
    "\"0,45\"",
    "\"1e3\"",
    "\"\"",
    "\"homeless-adults\"",
    "\"shelter-day\"",
    "\"kommune\"",
    "\"one_off\"",
    "\"per_year\"",
    "\"dk-fm-2021\"",
    "\"\\u0000\\u001b[31m\"",
    "null",
    "true",
    "[]",
    "{}",
];

/// Any JSON value, leaning on the edges above, nested up to three levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        3 => prop::sample::select(EDGES).prop_map(|t| serde_json::from_str::<Value>(t).unwrap()),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => "[a-z_]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,10}", inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// One change to the scenario's tree, at a place chosen by index among the
/// places that exist when it is applied.
#[derive(Clone, Debug)]
enum Mutation {
    /// Take out a member of an object or an item of a list.
    Remove(prop::sample::Index),
    /// Replace any value (the root included) by another.
    Replace(prop::sample::Index, Value),
    /// Add a member the schema does not know to an object.
    AddUnknown(prop::sample::Index, String),
    /// Write a member a second time with another value (in the text).
    Repeat(prop::sample::Index, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Remove),
        (any::<prop::sample::Index>(), any_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<prop::sample::Index>(), "[a-z]{1,8}")
            .prop_map(|(i, k)| Mutation::AddUnknown(i, format!("zz_{k}"))),
        (any::<prop::sample::Index>(), any_json()).prop_map(|(i, v)| Mutation::Repeat(i, v)),
    ]
}

/// JSON pointers of every value in `value`, the root first.
fn places(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                places(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                places(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn all_places(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    places(value, String::new(), &mut out);
    out
}

/// The parent pointer and the last segment of a non-root pointer.
fn split(pointer: &str) -> (&str, String) {
    let cut = pointer.rfind('/').unwrap();
    let last = pointer[cut + 1..].replace("~1", "/").replace("~0", "~");
    (&pointer[..cut], last)
}

/// Applies the mutations to the tree; the repeated members come back as
/// (object pointer, key, value) to be written into the text.
fn apply(value: &mut Value, mutations: &[Mutation]) -> Vec<(String, String, Value)> {
    let mut repeats = Vec::new();
    for m in mutations {
        let places = all_places(value);
        match m {
            Mutation::Remove(i) => {
                if places.len() > 1 {
                    let (parent, last) = split(&places[1 + i.index(places.len() - 1)]);
                    match value.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.shift_remove(&last);
                        }
                        Some(Value::Array(items)) => {
                            items.remove(last.parse::<usize>().unwrap());
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Replace(i, v) => {
                if let Some(slot) = value.pointer_mut(&places[i.index(places.len())]) {
                    *slot = v.clone();
                }
            }
            Mutation::AddUnknown(i, key) => {
                let objects: Vec<&String> = places
                    .iter()
                    .filter(|p| value.pointer(p).is_some_and(Value::is_object))
                    .collect();
                if !objects.is_empty() {
                    let at = objects[i.index(objects.len())].clone();
                    if let Some(Value::Object(map)) = value.pointer_mut(&at) {
                        map.insert(key.clone(), Value::from(1));
                    }
                }
            }
            Mutation::Repeat(i, v) => {
                let members: Vec<&String> = places
                    .iter()
                    .skip(1)
                    .filter(|p| value.pointer(split(p).0).is_some_and(Value::is_object))
                    .collect();
                if !members.is_empty() {
                    let (parent, key) = split(members[i.index(members.len())]);
                    repeats.push((parent.to_owned(), key, v.clone()));
                }
            }
        }
    }
    repeats
}

/// The tree as text, with each repeated member written once more before the
/// object's first member: `{"k": repeated, ...the members...}`.
fn write(value: &Value, repeats: &[(String, String, Value)], at: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            let repeated = repeats
                .iter()
                .filter(|(parent, key, _)| parent == at && map.contains_key(key))
                .map(|(_, key, v)| format!("{}: {v}", Value::from(key.as_str())));
            let members = map.iter().map(|(k, v)| {
                let mut s = format!("{}: ", Value::from(k.as_str()));
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                write(v, repeats, &child, &mut s);
                s
            });
            out.push('{');
            out.push_str(&repeated.chain(members).collect::<Vec<_>>().join(","));
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            let items: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut s = String::new();
                    write(v, repeats, &format!("{at}/{i}"), &mut s);
                    s
                })
                .collect();
            out.push_str(&items.join(","));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Reads, evaluates and analyses `text` as a user's file would be: the
/// problems when it fails.
fn run(text: &str) -> Result<(), Vec<som::Problem>> {
    let scenario = som::Scenario::from_json_named(text, FILE).map_err(|e| e.problems().to_vec())?;
    let case = som::evaluate(&scenario, kb()).map_err(|e| e.problems().to_vec())?;
    assert!(!case.years.is_empty());
    let base = som::analysis::Baseline::new(&scenario, kb()).map_err(|e| e.problems().to_vec())?;
    som::analysis::sensitivity_by_grade(&base, som::Decimal::new(2, 1), kb().evidence_scale())
        .map_err(|e| e.problems().to_vec())?;
    Ok(())
}

/// Runs `text` under the ceilings and checks what came back.
fn check(text: &str) -> Result<Result<(), Vec<som::Problem>>, TestCaseError> {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| run(text)));
    let took = started.elapsed();
    prop_assert!(took < CEILING, "took {:?} on {}", took, text);
    let outcome = outcome.map_err(|_| TestCaseError::fail(format!("panicked on {text}")))?;
    if let Err(problems) = &outcome {
        prop_assert!(
            !problems.is_empty(),
            "an error without problems on {}",
            text
        );
        for p in problems {
            prop_assert_eq!(&p.file, FILE, "{}", p);
            prop_assert!(p.path.starts_with('$'), "{}", p);
            prop_assert!(!p.expected.is_empty(), "{}", p);
            prop_assert!(!p.path.contains("serde_json"), "{}", p);
        }
    }
    Ok(outcome)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_mutation_of_a_scenario_gives_a_result_or_located_problems_in_time(
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut value = base();
        let repeats = apply(&mut value, &mutations);
        let mut text = String::new();
        write(&value, &repeats, "", &mut text);
        // A result or located problems: both are fine here.
        let _ = check(&text)?;
    }

    #[test]
    fn every_unknown_member_is_reported_at_once(
        added in prop::collection::vec((any::<prop::sample::Index>(), "[a-z]{1,8}"), 1..8),
    ) {
        // Independent faults: each added member is its own problem, all in
        // one answer, at its own JSON path.
        let mut value = base();
        let mutations: Vec<Mutation> = added
            .iter()
            .map(|(i, k)| Mutation::AddUnknown(*i, format!("zz_{k}")))
            .collect();
        apply(&mut value, &mutations);
        let mut expected: Vec<String> = Vec::new();
        for place in all_places(&value) {
            let name = place.rsplit('/').next().unwrap_or("");
            if name.starts_with("zz_") {
                let path: String = split(&place)
                    .0
                    .split('/')
                    .skip(1)
                    .map(|s| if s.parse::<usize>().is_ok() { format!("[{s}]") } else { format!(".{s}") })
                    .collect();
                expected.push(format!("${path}.{name}"));
            }
        }
        let problems = check(&value.to_string())?.unwrap_err();
        let mut found: Vec<String> = problems.iter().map(|p| p.path.clone()).collect();
        found.sort();
        expected.sort();
        prop_assert_eq!(found, expected);
    }
}

#[test]
fn the_writer_gives_the_base_back_and_repeats_a_member() {
    // The fuzz target's own text writer, checked against serde_json.
    let value = base();
    let mut text = String::new();
    write(&value, &[], "", &mut text);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    let repeats = vec![(
        String::from("/effect"),
        String::from("success_rate"),
        Value::from(0.99),
    )];
    let mut text = String::new();
    write(&value, &repeats, "", &mut text);
    assert!(
        text.contains(r#""effect": {"success_rate": 0.99,"success_rate": 0.45"#),
        "{text}"
    );
    let err = som::Scenario::from_json_named(&text, FILE).unwrap_err();
    assert_eq!(err.problems()[0].path, "$.effect.success_rate");
}
