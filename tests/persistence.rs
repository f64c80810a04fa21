//! Persistence and relapse (DESIGN.md §1.3, issue 13 item 3): a scenario
//! without a decay takes the knowledge base's statement for its target group
//! and success measure, and every output says which decay was used and where
//! it came from.

use rust_decimal::Decimal;
use som::knowledge_base::FILES;
use som::model::PersistenceFrom;
use som::report::{Format, Lang, render, render_in};
use som::{BusinessCase, KnowledgeBase, Scenario};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn scenario(group: &str, measure: &str, extra: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"name": "relapse", "target_group": "{group}", "success_measure": "{measure}",
            "start_year": 2026, "horizon_years": 8, "discounting": "none",
            "cohorts": [{{"year": 0, "participants": 100}}],
            "effect": {{"success_rate": 0.5, "baseline_rate": 0.3}}{extra}}}"#
    ))
    .unwrap()
}

fn run(s: &Scenario) -> BusinessCase {
    som::evaluate(s, kb()).unwrap()
}

/// The first set in the knowledge base whose profiles carry relapse, and the
/// first whose do not and whose longest line is longer than a year (so that a
/// decay changes the result).
fn sets() -> (
    &'static som::knowledge_base::ConsequenceSet,
    &'static som::knowledge_base::ConsequenceSet,
) {
    let carries = kb()
        .consequences()
        .iter()
        .find(|s| s.relapse.in_profile)
        .expect("a set whose profiles carry relapse");
    let decays = kb()
        .consequences()
        .iter()
        .find(|s| {
            s.relapse.annual_decay.is_some_and(|d| !d.is_zero())
                && s.lines.iter().any(|l| l.profile.len() > 1)
        })
        .expect("a set with a non-zero default decay and a profile over a year");
    (carries, decays)
}

#[test]
fn without_persistence_a_set_that_does_not_carry_relapse_gets_its_default_decay() {
    let (_, set) = sets();
    let default = set.relapse.annual_decay.unwrap();
    let implicit = run(&scenario(&set.target_group, &set.success_measure, ""));
    assert_eq!(implicit.persistence.annual_decay, default);
    assert_eq!(
        implicit.context.persistence.from,
        PersistenceFrom::KnowledgeBase
    );
    assert_eq!(
        implicit.context.persistence.grade,
        set.relapse.evidence.grade
    );
    // The same as writing the default decay into the scenario.
    let explicit = run(&scenario(
        &set.target_group,
        &set.success_measure,
        &format!(r#", "persistence": {{"annual_decay": "{default}"}}"#),
    ));
    assert_eq!(implicit.summary.npv, explicit.summary.npv);
    assert_eq!(explicit.context.persistence.from, PersistenceFrom::Scenario);
    // And not the same as no decay at all.
    let none = run(&scenario(
        &set.target_group,
        &set.success_measure,
        r#", "persistence": {"annual_decay": 0}"#,
    ));
    assert!(none.summary.pv_gains.total.abs() > implicit.summary.pv_gains.total.abs());
}

#[test]
fn without_persistence_a_set_that_carries_relapse_gets_no_decay() {
    let (set, _) = sets();
    let case = run(&scenario(&set.target_group, &set.success_measure, ""));
    assert_eq!(case.persistence.annual_decay, Decimal::ZERO);
    assert_eq!(case.context.persistence.from, PersistenceFrom::Profile);
}

#[test]
fn a_duration_without_a_decay_keeps_the_duration_and_takes_the_default_decay() {
    let (_, set) = sets();
    let case = run(&scenario(
        &set.target_group,
        &set.success_measure,
        r#", "persistence": {"duration_years": 3}"#,
    ));
    assert_eq!(case.persistence.duration_years, Some(3));
    assert_eq!(
        Some(case.persistence.annual_decay),
        set.relapse.annual_decay
    );
    assert_eq!(
        case.context.persistence.from,
        PersistenceFrom::KnowledgeBase
    );
}

#[test]
fn the_scenarios_own_lines_without_a_decay_are_taken_as_given() {
    let (_, set) = sets();
    let case = run(&scenario(
        &set.target_group,
        &set.success_measure,
        r#", "consequences": [{"service": "shelter-day", "profile": [-1, -1, -1]}]"#,
    ));
    assert_eq!(case.persistence.annual_decay, Decimal::ZERO);
    assert_eq!(
        case.context.persistence.from,
        PersistenceFrom::ScenarioLines
    );
}

#[test]
fn every_format_says_which_decay_was_used_and_where_it_came_from() {
    let (_, set) = sets();
    let case = run(&scenario(&set.target_group, &set.success_measure, ""));
    let json: serde_json::Value =
        serde_json::from_str(&render(&case, Format::Json).unwrap()).unwrap();
    let p = &json["assumptions"]["persistence"];
    assert_eq!(p["from"], "knowledge_base");
    assert_eq!(
        p["annual_decay"]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap(),
        set.relapse.annual_decay.unwrap()
    );
    assert_eq!(p["note"], set.relapse.evidence.note.clone().unwrap());
    for format in [Format::Table, Format::Markdown] {
        let text = render(&case, format).unwrap();
        assert!(
            text.contains("the knowledge base's default for the target group"),
            "{format:?}:\n{text}"
        );
    }
    let da = render_in(&case, Format::Markdown, Lang::Da, Some(kb())).unwrap();
    assert!(
        da.contains("vidensgrundlagets standard for målgruppen"),
        "{da}"
    );
}

#[test]
fn the_loader_refuses_a_relapse_statement_that_contradicts_itself() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let i = FILES
        .iter()
        .position(|f| *f == "consequences.json")
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&files[i].1).unwrap();
    doc["consequences"][0]["relapse"]["in_profile"] = serde_json::Value::Bool(true);
    doc["consequences"][0]["relapse"]["annual_decay"] = serde_json::json!("0.1");
    doc["consequences"][1]["relapse"]["in_profile"] = serde_json::Value::Bool(false);
    doc["consequences"][1]["relapse"]
        .as_object_mut()
        .unwrap()
        .remove("annual_decay");
    files[i].1 = doc.to_string();
    let err = KnowledgeBase::from_texts(&files).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"$.consequences[0].relapse.annual_decay"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"$.consequences[1].relapse.annual_decay"),
        "{paths:?}"
    );
}
