//! Evidence grading: grades in the knowledge base, the adjustment in a
//! business case, and both results shown.

use std::str::FromStr;

use rust_decimal::Decimal;
use som::{KnowledgeBase, Scenario};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// One cohort of 100, no discounting, one line of -10 prison days per success
/// in year 1 at the scenario's own price (graded as given), no costs but one
/// of 1,000 kr.
fn scenario(adjustment: &str, design: &str, grade: u8) -> Scenario {
    let design = if design.is_empty() {
        String::new()
    } else {
        format!(r#", "design": "{design}""#)
    };
    Scenario::from_json(&format!(
        r#"{{
        "name": "evidence test", "target_group": "homeless-adults", "success_measure": "exits-homelessness",
        "start_year": 2026, "horizon_years": 2, "price_year": 2025, "discounting": "none",
        "cohorts": [{{"year": 0, "participants": 100}}],
        "effect": {{"success_rate": 0.45, "baseline_rate": 0.2{design}}},
        "consequences": [{{"service": "prison-day", "profile": [-10], "grade": {grade}}}],
        "prices": {{"prison-day": {{"kommune": 0, "region": 0, "stat": 1000, "price_year": 2025, "grade": 1}}}},
        "costs": [{{"label": "c", "kind": "one_off", "year": 0, "amount": 1000, "payer": "kommune"}}]
        {adjustment}
    }}"#
    ))
    .unwrap()
}

#[test]
fn default_adjustment_by_hand() {
    let kb = KnowledgeBase::embedded();
    // Unadjusted: s = 0.25, successes 25, -250 prison days at 1,000 kr. = 250,000 kr. gain;
    // NPV = 250,000 - 1,000 = 249,000.
    // Adjusted: before-after design factor 0.5 -> s' = 0.125; line grade = max(5, 1) = 5,
    // bias 0.41 -> profile -10 * 0.59 = -5.9; gain 100 * 0.125 * 5.9 * 1,000 = 73,750;
    // NPV = 73,750 - 1,000 = 72,750.
    let case = som::evaluate(
        &scenario(r#", "evidence_adjustment": "default""#, "before_after", 5),
        kb,
    )
    .unwrap();
    assert_eq!(case.net_success_rate, dec("0.125"));
    assert_eq!(case.summary.npv.total, dec("72750"));
    let plain = case
        .unadjusted
        .as_ref()
        .expect("the unadjusted summary is kept");
    assert_eq!(plain.npv.total, dec("249000"));
    assert!(case.summary.npv.total < plain.npv.total);
    assert_eq!(case.context.evidence.effect_factor, Some(dec("0.5")));
    assert_eq!(case.lines[0].grade, Some(5));
}

#[test]
fn custom_factors_replace_the_defaults() {
    let kb = KnowledgeBase::embedded();
    // design factor 0.8 -> s' = 0.2; grade 2 bias replaced by 0.5 -> profile -5;
    // gain 100 * 0.2 * 5 * 1,000 = 100,000; NPV 99,000.
    let custom = r#", "evidence_adjustment": {"custom": {"design_factors": {"quasi_experiment": 0.8}, "optimism_bias": {"2": 0.5}}}"#;
    let case = som::evaluate(&scenario(custom, "quasi_experiment", 2), kb).unwrap();
    assert_eq!(case.summary.npv.total, dec("99000"));
}

#[test]
fn no_adjustment_leaves_the_case_as_it_is() {
    let kb = KnowledgeBase::embedded();
    let case = som::evaluate(&scenario("", "before_after", 5), kb).unwrap();
    assert_eq!(case.summary.npv.total, dec("249000"));
    assert!(case.unadjusted.is_none());
    let json = som::report::json::value(&case);
    assert_eq!(json["evidence"]["adjustment"], "none");
    assert_eq!(json["evidence"]["pv_gains_by_grade"]["5"], "250000");
}

#[test]
fn a_randomised_trial_is_not_discounted_and_an_unknown_design_is_not_guessed() {
    let kb = KnowledgeBase::embedded();
    // design unknown: only the grade-5 bias applies: 100 * 0.25 * 5.9 * 1,000 = 147,500; NPV 146,500
    let case = som::evaluate(
        &scenario(r#", "evidence_adjustment": "default""#, "", 5),
        kb,
    )
    .unwrap();
    assert_eq!(case.summary.npv.total, dec("146500"));
    assert_eq!(case.context.evidence.effect_factor, None);
    let case = som::evaluate(
        &scenario(
            r#", "evidence_adjustment": "default""#,
            "randomised_trial",
            1,
        ),
        kb,
    )
    .unwrap();
    assert_eq!(case.summary.npv.total, dec("249000"));
}

#[test]
fn bad_custom_factors_are_errors_with_their_path() {
    let kb = KnowledgeBase::embedded();
    let custom = r#", "evidence_adjustment": {"custom": {"optimism_bias": {"7": 0.5, "3": 1.5}}}"#;
    let err = som::evaluate(&scenario(custom, "", 3), kb).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"$.evidence_adjustment.custom.optimism_bias.7"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"$.evidence_adjustment.custom.optimism_bias.3"),
        "{paths:?}"
    );
}

#[test]
fn every_price_and_consequence_line_in_the_knowledge_base_has_a_grade() {
    let kb = KnowledgeBase::embedded();
    for s in kb.services() {
        assert!(
            s.price.evidence.grade.is_some(),
            "service {} has no grade",
            s.id
        );
    }
    for set in kb.consequences() {
        for line in &set.lines {
            assert!(
                line.evidence.grade.is_some(),
                "{}/{} {}",
                set.target_group,
                set.success_measure,
                line.service
            );
        }
    }
    for e in kb.effects() {
        assert!(
            kb.evidence_scale().design(e.design).is_some(),
            "effect {} has a design without a factor",
            e.id
        );
    }
}

/// The embedded knowledge base's files copied to a fresh directory with one
/// file's JSON edited, then loaded from there.
fn load_edited(
    tag: &str,
    file: &str,
    edit: &dyn Fn(&mut serde_json::Value),
) -> Result<KnowledgeBase, som::knowledge_base::KbError> {
    let dir = std::env::temp_dir().join(format!("som-evidence-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in som::knowledge_base::FILES {
        let text =
            std::fs::read_to_string(std::path::Path::new("knowledge-base").join(name)).unwrap();
        let text = if name == file {
            let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
            edit(&mut value);
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            text
        };
        std::fs::write(dir.join(name), text).unwrap();
    }
    let result = KnowledgeBase::load(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

#[test]
fn loading_rejects_a_price_without_a_grade() {
    let err = load_edited("grade", "services.json", &|v| {
        v["services"][0]["price"]["evidence"]
            .as_object_mut()
            .unwrap()
            .remove("grade");
    })
    .unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.path == "$.services[0].price.evidence.grade"
                && p.file.ends_with("services.json")),
        "{err}"
    );
}

#[test]
fn sensitivity_takes_a_lines_range_from_its_grade() {
    use som::analysis::{Baseline, sensitivity_by_grade};
    let kb = KnowledgeBase::embedded();
    // The no-adjustment scenario above: NPV 249,000, of which 250,000 kr. of
    // gains on one line graded max(3, 1) = 3, whose uncertainty is ± 30 %:
    // NPV at the low end 249,000 - 0.3 * 250,000 = 174,000; high 324,000.
    let base = Baseline::new(&scenario("", "before_after", 3), kb).unwrap();
    let tornado = sensitivity_by_grade(&base, dec("0.2"), kb.evidence_scale()).unwrap();
    let line = tornado
        .bars
        .iter()
        .find(|b| b.input.starts_with("price:"))
        .unwrap();
    assert!(line.input.contains("grade 3, ± 30 %"), "{}", line.input);
    assert_eq!(line.npv_low, dec("174000"));
    assert_eq!(line.npv_high, dec("324000"));
    // Inputs without a grade keep the given range: completion 1 -> 0.8, and
    // 1.2 at the high end, which a share cannot be: cut to 1, and said so.
    let completion = tornado
        .bars
        .iter()
        .find(|b| b.input == "completion rate")
        .unwrap();
    assert_eq!(completion.low_value, dec("0.8"));
    assert_eq!(completion.low_cut_from, None);
    assert_eq!(completion.high_value, dec("1"));
    assert_eq!(completion.high_cut_from, Some(dec("1.2")));
    assert_eq!(completion.within, Some((dec("0"), dec("1"))));
    // At the cut end nothing changes: the high end is the base, NPV 249,000.
    assert_eq!(completion.npv_high, dec("249000"));
}

#[test]
fn simulation_defaults_come_from_grades() {
    use som::analysis::{Baseline, SimulationOptions, SimulationSpec, simulate};
    let kb = KnowledgeBase::embedded();
    // Graded line (grade 3, ± 30 %): price scale triangular(0.7, 1, 1.3), whose
    // standard deviation is 0.3 / sqrt(6) = 0.12247. NPV = 250,000 * scale - 1,000,
    // so its sd is 250,000 * 0.12247 = 30,619 and its mean 249,000.
    let base = Baseline::new(&scenario("", "before_after", 3), kb).unwrap();
    let spec = SimulationSpec::default().with_grade_defaults(base.model(), kb.evidence_scale());
    assert_eq!(spec.inputs.len(), 1);
    let options = SimulationOptions {
        draws: 200_000,
        seed: 11,
        keep_draws: false,
    };
    let sim = simulate(&base, &spec, options).unwrap();
    assert!(
        (sim.npv.mean - 249_000.0).abs() < 0.01 * 249_000.0,
        "{}",
        sim.npv.mean
    );
    assert!(
        (sim.npv.sd - 30_619.0).abs() < 0.03 * 30_619.0,
        "{}",
        sim.npv.sd
    );

    // An ungraded line gets no default.
    let mut ungraded = scenario("", "before_after", 3);
    ungraded.consequences.as_mut().unwrap()[0].grade = None;
    ungraded.prices.get_mut("prison-day").unwrap().grade = None;
    let base = Baseline::new(&ungraded, kb).unwrap();
    let spec = SimulationSpec::default().with_grade_defaults(base.model(), kb.evidence_scale());
    assert!(spec.inputs.is_empty());
}

#[test]
fn a_danish_note_must_carry_the_numbers_of_the_english_note() {
    // consequences.json's first line: "129 days a person in 2020 ... 10 years".
    let load_with = |note_da: &str| {
        let tag = format!("note-da-{}", note_da.len());
        load_edited(&tag, "consequences.json", &|v| {
            v["consequences"][0]["lines"][0]["evidence"]["note_da"] = note_da.into();
        })
    };
    let english = KnowledgeBase::embedded().consequences()[0].lines[0]
        .evidence
        .note
        .clone()
        .unwrap();
    // The same numbers in other words loads; the note is then shown in Danish.
    let mut numbers: Vec<String> = english
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|w| w.trim_end_matches(['.', ',']).to_owned())
        .collect();
    let faithful = format!("Tal: {}", numbers.join(" og "));
    let kb = load_with(&faithful).unwrap_or_else(|e| panic!("{e}"));
    let evidence = &kb.consequences()[0].lines[0].evidence;
    assert_eq!(evidence.note_in(true), Some(faithful.as_str()));
    // The same numbers in another order load too (a translation may turn a
    // sentence around); with one of them changed, the message lists the
    // English numbers sorted.
    let mut reordered = numbers.clone();
    reordered.reverse();
    assert_ne!(reordered, numbers);
    assert!(load_with(&format!("Tal: {}", reordered.join(" og "))).is_ok());
    let mut sorted = numbers.clone();
    sorted.sort();
    reordered[0] = "130".to_owned();
    let err = load_with(&format!("Tal: {} og", reordered.join(" og ")))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "the numbers of the English text, {} (a translation",
            sorted.join(" ")
        )),
        "{err}"
    );
    // A changed figure is refused, naming the file and path.
    numbers[0] = "130".to_owned();
    let err = load_with(&format!("Tal: {}", numbers.join(" og "))).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("consequences.json"), "{text}");
    assert!(
        text.contains("$.consequences[0].lines[0].evidence.note_da"),
        "{text}"
    );
    assert!(text.contains("the numbers of the English text"), "{text}");
}

#[test]
fn a_danish_committee_reason_must_carry_the_numbers_and_have_an_english_reason() {
    // services.json: prison-day's reason is "The state pays all of it
    // (kommune 0): not municipal." (one number, 0).
    let index = KnowledgeBase::embedded()
        .services()
        .iter()
        .position(|s| s.id == "prison-day")
        .unwrap();
    let load_with = |tag: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        load_edited(tag, "services.json", &|v| edit(&mut v["services"][index]))
    };
    let path = format!("$.services[{index}].committee_note_da");
    // Another figure in the Danish reason is refused at its path.
    let err = load_with("number", &|s| {
        s["committee_note_da"] = "Staten betaler det hele (kommune 1): ikke kommunalt.".into();
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("services.json"), "{err}");
    assert!(err.contains(&path), "{err}");
    assert!(err.contains("the numbers of the English text, 0"), "{err}");
    // A Danish reason without the English one it translates is refused.
    let err = load_with("alone", &|s| {
        s.as_object_mut().unwrap().remove("committee_note");
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains(&path), "{err}");
    assert!(err.contains("without an English one"), "{err}");
    // The same numbers in other words load.
    let kb = load_with("faithful", &|s| {
        s["committee_note_da"] = "Kun staten betaler (kommune 0).".into();
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kb.services()[index].committee_note_da.as_deref(),
        Some("Kun staten betaler (kommune 0).")
    );
}
