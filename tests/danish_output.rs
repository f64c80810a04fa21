//! Danish output and formats that do what they say (issue 16, items 2 and
//! 5): the Danish CSV for a spreadsheet with Danish settings, study texts in
//! Danish, `kb list` with names, the output format from `--format` or the
//! file's extension, and no flag ignored silently.

mod common;

use common::som;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use som::report::{Lang, csv};
use som::{KnowledgeBase, Scenario};

fn example_case() -> som::BusinessCase {
    som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
}

/// A Danish amount ("-1437318,81") as a decimal.
fn danish(cell: &str) -> Decimal {
    Decimal::from_str(&cell.replace(',', ".")).unwrap()
}

#[test]
fn the_danish_csv_has_semicolons_decimal_commas_a_summary_and_the_years() {
    let case = example_case();
    let text = csv::render_in(&case, Lang::Da, Some(KnowledgeBase::embedded()));
    let (summary, years) = text.split_once("\n\n").expect("two blocks");
    let rows = |block: &str| -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(block.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let summary = rows(summary);
    let npv = summary
        .iter()
        .find(|r| r[0] == "Nettonutidsværdi (kr.)")
        .unwrap();
    // The exact NPV (the JSON's) rounded to øre, per payer and in total.
    let s = &case.summary.npv;
    for (cell, exact) in npv[1..].iter().zip([s.kommune, s.region, s.stat, s.total]) {
        assert_eq!(danish(cell), exact.round_dp(2), "{cell}");
        assert!(!cell.contains('.'), "{cell}");
    }
    let years = rows(years);
    assert_eq!(years[0][0], "År");
    assert_eq!(years.len(), 1 + case.years.len());
    // Every year's discounted net equals the English CSV's exact figure, rounded.
    let english = csv::render(&case);
    let mut en = ::csv::Reader::from_reader(english.as_bytes());
    let column = en
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "net_discounted_total")
        .unwrap();
    let da_column = years[0]
        .iter()
        .position(|h| h == "Diskonteret netto, i alt (kr.)")
        .unwrap();
    for (record, row) in en.records().zip(&years[1..]) {
        let exact = Decimal::from_str(&record.unwrap()[column]).unwrap();
        assert_eq!(danish(&row[da_column]), exact.round_dp(2));
    }
    // Danish names in the header: the example's only line is shelter stays.
    assert!(
        years[0].iter().any(|h| h.contains("herberg")),
        "{:?}",
        years[0]
    );
}

#[test]
fn every_study_has_its_population_and_outcome_in_danish() {
    let kb = KnowledgeBase::embedded();
    for study in kb.effects() {
        let (population, outcome) = (
            study.population_da.as_deref().unwrap_or_default(),
            study.outcome_da.as_deref().unwrap_or_default(),
        );
        assert!(!population.trim().is_empty(), "{}: population_da", study.id);
        assert!(!outcome.trim().is_empty(), "{}: outcome_da", study.id);
        assert_ne!(population, study.population, "{}", study.id);
    }
    let sheet = som::report::sheet::render(kb, "homeless-adults", Lang::Da).unwrap();
    assert!(sheet.contains("Effektmål: Bor i stabil bolig"), "{sheet}");
    assert!(!sheet.contains("Residing in stable housing"), "{sheet}");
}

#[test]
fn a_translated_study_text_with_other_numbers_is_refused() {
    let dir = std::env::temp_dir().join(format!("som-danish-kb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir("knowledge-base").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let effects = std::fs::read_to_string(dir.join("effects.json")).unwrap();
    let changed = effects.replacen("\"population_da\": \"950 ", "\"population_da\": \"905 ", 1);
    assert_ne!(changed, effects);
    std::fs::write(dir.join("effects.json"), changed).unwrap();
    let error = KnowledgeBase::load(&dir).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        error.contains("population_da") && error.contains("the numbers of the English text"),
        "{error}"
    );
}

// The command line.

fn run(args: &[&str]) -> (bool, String, String) {
    let out = som().args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn kb_list_shows_names_in_either_language_and_as_json() {
    let (ok, en, _) = run(&["kb", "list"]);
    assert!(ok);
    assert!(en.contains("Target groups:"));
    assert!(
        en.lines()
            .any(|l| l.contains("homeless-adults") && l.contains("Homeless adults"))
    );
    let (ok, da, _) = run(&["kb", "list", "--lang", "da"]);
    assert!(ok);
    assert!(
        da.lines()
            .any(|l| l.contains("homeless-adults") && l.contains("Voksne i hjemløshed"))
    );
    assert!(!da.contains("Target groups"));
    let (ok, json, _) = run(&["kb", "list", "--format", "json"]);
    assert!(ok);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids = value["ids"].as_array().unwrap();
    assert_eq!(ids.len(), KnowledgeBase::embedded().ids().len());
    assert!(
        ids.iter()
            .any(|i| i["id"] == "shelter-day" && i["kind"] == "service")
    );
}

#[test]
fn the_output_file_extension_chooses_the_format() {
    let dir = common::temp_file("formats", "placeholder", "")
        .parent()
        .unwrap()
        .to_owned();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    // A workbook: a ZIP file, as xlsx is.
    let (ok, _, err) = run(&["run", "-o", &path("case.xlsx")]);
    assert!(ok, "{err}");
    assert!(
        std::fs::read(path("case.xlsx"))
            .unwrap()
            .starts_with(b"PK\x03\x04")
    );
    let (ok, _, _) = run(&["run", "-o", &path("case.json")]);
    assert!(ok);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("case.json")).unwrap()).unwrap();
    assert!(json["summary"]["npv"].is_object());
    let (ok, _, _) = run(&["run", "-o", &path("case.csv"), "--lang", "da"]);
    assert!(ok);
    assert!(
        std::fs::read_to_string(path("case.csv"))
            .unwrap()
            .starts_with("Nøgletal;")
    );
    let (ok, _, _) = run(&["report", "-o", &path("case.md")]);
    assert!(ok);
    assert!(
        std::fs::read_to_string(path("case.md"))
            .unwrap()
            .starts_with("# ")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_format_that_contradicts_the_extension_is_an_error() {
    let target = std::env::temp_dir().join(format!("som-mismatch-{}.json", std::process::id()));
    let (ok, _, err) = run(&["run", "-o", &target.to_string_lossy(), "--format", "csv"]);
    assert!(!ok);
    assert!(err.contains("--format csv does not match"), "{err}");
    assert!(!target.exists());
    let (ok, _, err) = run(&["run", "-o", "case.html"]);
    assert!(!ok);
    assert!(err.contains("cannot tell the format"), "{err}");
}

#[test]
fn a_dash_is_standard_output() {
    let (ok, out, _) = run(&["run", "-o", "-", "--format", "json"]);
    assert!(ok);
    assert!(out.starts_with('{'));
    let bytes = som()
        .args(["run", "-o", "-", "--format", "xlsx"])
        .output()
        .unwrap();
    assert!(bytes.status.success());
    assert!(bytes.stdout.starts_with(b"PK\x03\x04"));
    let (ok, page, _) = run(&["report", "-o", "-", "--lang", "da"]);
    assert!(ok);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("lang=\"da\""));
}

#[test]
fn formats_no_longer_offered_are_refused_by_the_parser() {
    // compare and batch write text: xlsx is not among their formats.
    let (ok, _, err) = run(&["compare", "examples/housing-first.json", "--format", "xlsx"]);
    assert!(!ok);
    assert!(err.contains("invalid value 'xlsx'"), "{err}");
    let help = run(&["compare", "--help"]).1;
    assert!(!help.contains("xlsx"), "{help}");
}

#[test]
fn no_language_flag_is_ignored_silently() {
    for args in [
        &["run", "--format", "json", "--lang", "da"][..],
        &["kb", "list", "--format", "json", "--lang", "da"],
        &[
            "kb",
            "show",
            "shelter-day",
            "--format",
            "json",
            "--lang",
            "da",
        ],
        &["sensitivity", "--format", "json", "--lang", "da"],
        &[
            "simulate",
            "--grade-defaults",
            "--draws",
            "10",
            "--format",
            "json",
            "--lang",
            "da",
        ],
        &[
            "compare",
            "examples/housing-first.json",
            "--format",
            "json",
            "--lang",
            "da",
        ],
        &[
            "batch",
            "examples/batch/template.json",
            "examples/batch/municipalities.csv",
            "--format",
            "json",
            "--lang",
            "da",
        ],
    ] {
        let (ok, out, err) = run(args);
        assert!(!ok, "{args:?} succeeded: {out}");
        assert!(err.contains("--lang da"), "{args:?}: {err}");
    }
}
