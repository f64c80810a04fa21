//! The HTML business-case report: the figures per language, the charts
//! inline, and every source behind the figures cited.

use som::report::{Lang, html};
use som::{BusinessCase, KnowledgeBase, Scenario};

fn case_from(edit: impl FnOnce(&mut serde_json::Value)) -> BusinessCase {
    let json = std::fs::read_to_string("examples/housing-first.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    edit(&mut value);
    let scenario = Scenario::from_json(&value.to_string()).unwrap();
    som::evaluate(&scenario, KnowledgeBase::embedded()).unwrap()
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The titles of the sources behind the case's effect study and its lines'
/// unit prices and consequence profiles.
fn expected_titles(case: &BusinessCase, kb: &KnowledgeBase) -> Vec<String> {
    let mut ids: Vec<&String> = Vec::new();
    if let Some(study) = case.context.effect.study.as_deref() {
        ids.extend(&kb.effect(study).unwrap().evidence.sources);
    }
    for line in &case.lines {
        ids.extend(&kb.service(&line.service).unwrap().price.evidence.sources);
    }
    assert!(!ids.is_empty());
    ids.iter()
        .map(|id| kb.source(id).unwrap().title.clone())
        .collect()
}

#[test]
fn report_states_the_npv_in_each_language_and_cites_every_source() {
    let kb = KnowledgeBase::embedded();
    let case = case_from(|_| {});
    for lang in [Lang::En, Lang::Da] {
        let page = html::render(&case, lang, kb);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains(&format!("<html lang=\"{}\">", lang.id())));
        let npv = lang.money(case.summary.npv.total);
        assert!(page.contains(&npv), "{lang}: no {npv}");
        for title in expected_titles(&case, kb) {
            assert!(page.contains(&escaped(&title)), "{lang}: no source {title}");
        }
        assert_eq!(page.matches("<svg").count(), 2);
        assert_eq!(page.matches("</svg>").count(), 2);
    }
    let en = html::render(&case, Lang::En, kb);
    assert!(en.contains("11,685,965 DKK"));
    assert!(en.contains("The question"));
    let da = html::render(&case, Lang::Da, kb);
    assert!(da.contains("11.685.965 kr."));
    assert!(da.contains("Spørgsmålet"));
    assert!(!da.contains("11,685,965"));
}

#[test]
fn report_cites_the_effect_study_when_the_effect_comes_from_one() {
    let kb = KnowledgeBase::embedded();
    let case = case_from(|v| {
        v["effect"] = serde_json::json!({"study": "housing-first-at-home-1y"});
    });
    let page = html::render(&case, Lang::En, kb);
    let study = kb.effect("housing-first-at-home-1y").unwrap();
    for id in &study.evidence.sources {
        assert!(page.contains(&escaped(&kb.source(id).unwrap().title)));
    }
    assert!(page.contains("Used for: Effect:"));
}

#[test]
fn report_does_not_attribute_an_overridden_price_to_the_knowledge_base() {
    let kb = KnowledgeBase::embedded();
    let case = case_from(|v| {
        v["prices"] = serde_json::json!({
            "shelter-day": {"kommune": 1000, "region": 0, "stat": 0, "price_year": 2025}
        });
    });
    let page = html::render(&case, Lang::En, kb);
    assert!(page.contains("Unit price given in the scenario"));
    assert!(!page.contains("Unit price: Shelter stay"), "{page}");
}

#[test]
fn report_page_is_well_formed_enough_for_an_xml_parser() {
    // The page is HTML5, not XHTML; without the doctype and with void
    // elements closed it must still nest correctly.
    let kb = KnowledgeBase::embedded();
    let page = html::render(&case_from(|_| {}), Lang::Da, kb)
        .replace("<!DOCTYPE html>\n", "")
        .replace("<br>", "<br/>")
        .replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>")
        .replace(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "",
        );
    roxmltree::Document::parse(&page).expect("the report nests correctly");
}

#[test]
fn the_one_sentence_answer_reads_right_for_losses_and_single_years() {
    let kb = KnowledgeBase::embedded();
    let loss =
        case_from(|v| v["effect"] = serde_json::json!({"success_rate": 0.1, "baseline_rate": 0.3}));
    let page = html::render(&loss, Lang::En, kb);
    let loss_npv = Lang::En.money(-loss.summary.npv.total);
    assert!(page.contains(&format!(
        "costs the public sector {loss_npv} more than it saves"
    )));
    assert!(!page.contains("kroner in gains for every krone"));
    let one_year = case_from(|v| {
        v["horizon_years"] = serde_json::json!(1);
        v["cohorts"] = serde_json::json!([{"year": 0, "participants": 40}]);
        v["costs"] = serde_json::json!([]);
    });
    let page = html::render(&one_year, Lang::Da, kb);
    assert!(page.contains("<p class=\"sentence\">I 2026 "));
}

#[test]
fn markdown_report_links_its_charts_and_cites_the_same_sources() {
    let kb = KnowledgeBase::embedded();
    let case = case_from(|_| {});
    let dir = std::env::temp_dir().join(format!("som-md-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sag.md");
    let written = som::report::markdown::write_report(&case, Lang::Da, kb, &path).unwrap();
    assert_eq!(written.len(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&Lang::Da.money(case.summary.npv.total)));
    assert!(text.contains("## Kilder"));
    for title in expected_titles(&case, kb) {
        assert!(text.contains(&title), "no source {title}");
    }
    for chart in ["sag-cumulative.svg", "sag-flows.svg"] {
        assert!(text.contains(&format!("]({chart})")));
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_answer_gives_the_kommunes_result_beside_the_total_and_warns_of_weak_evidence() {
    let kb = KnowledgeBase::embedded();
    let case = som::evaluate(&Scenario::example(), kb).unwrap();
    let npv = &case.summary.npv;
    // The example: kommune 4,453,484 of 17,010,561 (som run's "By payer"
    // table); its only line, shelter stays, is graded 5.
    assert!(npv.kommune > rust_decimal::Decimal::ZERO && npv.kommune < npv.total);
    for (lang, kommune, weak) in [
        (
            Lang::En,
            format!(
                "The kommune alone is {} better off",
                Lang::En.money(npv.kommune)
            ),
            "Caution: 100.0 % of the gains rest on weak evidence",
        ),
        (
            Lang::Da,
            format!(
                "Kommunen alene er {} bedre stillet",
                Lang::Da.money(npv.kommune)
            ),
            "Bemærk: 100,0 % af gevinsterne hviler på svag evidens",
        ),
    ] {
        let page = html::render(&case, lang, kb);
        let answer = page
            .split("<div class=\"answer\">")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .expect("an answer box");
        assert!(answer.contains(&escaped(&kommune)), "{answer}");
        assert!(
            answer.contains(&escaped(&lang.money(npv.total))),
            "{answer}"
        );
        assert!(answer.contains(weak), "{answer}");
    }
}

#[test]
fn no_weak_evidence_warning_when_little_of_the_gain_rests_on_it() {
    // The example with its only line's grade set to 2: no gain rests on
    // grade 4-5 figures.
    let mut case = som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
    for line in &mut case.lines {
        line.grade = Some(2);
    }
    assert_eq!(
        case.share_of_gains_on_weak_evidence(),
        Some(rust_decimal::Decimal::ZERO)
    );
    let page = html::render(&case, Lang::En, KnowledgeBase::embedded());
    assert!(!page.contains("class=\"weak-evidence\""));
    assert!(page.contains("The kommune alone is"));
}

#[test]
fn the_markdown_answer_has_the_same_sentences() {
    let kb = KnowledgeBase::embedded();
    let case = som::evaluate(&Scenario::example(), kb).unwrap();
    let text = som::report::markdown::report(&case, Lang::Da, kb, &[]);
    let answer = text.split("## Svaret").nth(1).unwrap();
    let answer = answer.split("\n## ").next().unwrap();
    assert!(answer.contains(&format!(
        "> Kommunen alene er {} bedre stillet",
        Lang::Da.money(case.summary.npv.kommune)
    )));
    assert!(answer.contains("> **Bemærk: 100,0 % af gevinsterne hviler på svag evidens"));
}
