//! The command line (DESIGN.md §5) and exact reading of numbers (DESIGN.md §4).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use som::{KnowledgeBase, Scenario};

fn som(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn som_run_without_a_scenario_prints_the_example_as_a_table() {
    let text = stdout(&som(&["run"]));
    assert!(text.contains("Net present value"), "{text}");
    assert!(text.contains("Housing First"), "{text}");
    assert!(text.contains("Break-even year"), "{text}");
    assert!(text.contains("kommune") && text.contains("region") && text.contains("stat"));
}

fn assert_split(value: &Value, what: &str) {
    for payer in ["kommune", "region", "stat", "total"] {
        let amount = &value[payer];
        let text = amount
            .as_str()
            .unwrap_or_else(|| panic!("{what}.{payer} is not a string: {amount}"));
        Decimal::from_str(text).unwrap_or_else(|e| panic!("{what}.{payer} = {text}: {e}"));
    }
    // The payers add up to the total, exactly.
    let part = |p: &str| d(value[p].as_str().unwrap());
    assert_eq!(
        part("kommune") + part("region") + part("stat"),
        part("total"),
        "{what}"
    );
}

fn assert_amount(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{what} = {text}: {e}"));
}

#[test]
fn som_run_json_has_every_field_of_the_contract() {
    let text = stdout(&som(&["run", "--format", "json"]));
    let case: Value = serde_json::from_str(&text).unwrap();
    assert!(case["scenario"].as_str().unwrap().contains("Housing First"));
    assert!(
        !case["knowledge_base"]["version"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(case["knowledge_base"]["hash"].as_str().unwrap().len(), 64);
    let years = case["years"].as_array().unwrap();
    assert_eq!(years.len(), 10);
    for (t, y) in years.iter().enumerate() {
        assert_eq!(y["t"], t);
        assert_eq!(y["year"], 2026 + t as i64);
        assert_amount(&y["discount_factor"], "discount_factor");
        for key in [
            "costs",
            "gains",
            "net",
            "net_discounted",
            "cumulative_net_discounted",
        ] {
            assert_split(&y[key], &format!("years[{t}].{key}"));
        }
        let areas = y["gains_by_area"].as_object().unwrap();
        assert!(!areas.is_empty());
        for (area, amount) in areas {
            assert_amount(amount, &format!("years[{t}].gains_by_area.{area}"));
        }
    }
    assert_eq!(years[0]["discount_factor"], "1");
    let s = &case["summary"];
    for key in ["pv_costs", "pv_gains", "npv"] {
        assert_split(&s[key], key);
    }
    for key in [
        "benefit_cost_ratio",
        "return_per_krone",
        "break_even_success_rate",
        "npv_per_participant",
        "participants",
        "successes",
    ] {
        assert_amount(&s[key], key);
    }
    assert!(s["break_even_year"].is_i64(), "{}", s["break_even_year"]);
}

#[test]
fn som_run_json_gives_null_for_a_ratio_with_a_zero_denominator() {
    // No costs: PV costs 0, so the benefit-cost ratio and return per krone are null.
    let dir = std::env::temp_dir().join(format!("som-cli-null-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("no-costs.json");
    std::fs::write(
        &file,
        r#"{"name": "no costs", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": 2026,
            "horizon_years": 3, "cohorts": [{"year": 0, "participants": 10}],
            "effect": {"success_rate": 0.4, "baseline_rate": 0.2}}"#,
    )
    .unwrap();
    let text = stdout(&som(&["run", file.to_str().unwrap(), "--format", "json"]));
    let case: Value = serde_json::from_str(&text).unwrap();
    assert!(case["summary"]["benefit_cost_ratio"].is_null());
    assert!(case["summary"]["return_per_krone"].is_null());
    assert_eq!(case["summary"]["pv_costs"]["total"], "0");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn som_run_prints_csv_and_markdown() {
    let csv = stdout(&som(&["run", "--format", "csv"]));
    let mut rows = csv.lines();
    let header = rows.next().unwrap();
    assert!(header.starts_with("t,year,discount_factor,"), "{header}");
    assert_eq!(rows.count(), 10);
    let markdown = stdout(&som(&["run", "--format", "markdown"]));
    assert!(markdown.starts_with("# "), "{markdown}");
    assert!(markdown.contains("| --- |") || markdown.contains("| :--- |"));
}

#[test]
fn som_run_rejects_an_unknown_format() {
    let output = som(&["run", "--format", "xml"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
}

#[test]
fn som_run_names_a_missing_scenario_file() {
    let output = som(&["run", "no/such/scenario.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/scenario.json: $"), "{stderr}");
}

#[test]
fn som_kb_list_lists_ids_by_kind() {
    let text = stdout(&som(&["kb", "list"]));
    for id in [
        "homeless-adults",
        "shelter-day",
        "dk-fm-2021",
        "housing-first-at-home-1y",
    ] {
        assert!(text.contains(id), "{id} missing in\n{text}");
    }
    assert!(text.contains("version"));
}

#[test]
fn som_kb_show_prints_a_target_group_as_json() {
    let text = stdout(&som(&["kb", "show", "homeless-adults", "--format", "json"]));
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["target_group"]["id"], "homeless-adults");
    assert!(text.contains("exits-homelessness"));
}

#[test]
fn som_kb_show_finds_every_kind_of_record() {
    for (id, kind) in [
        ("shelter-day", "service"),
        ("housing-first-at-home-1y", "effect"),
        ("dk-fm-2021", "discount_schedule"),
        ("housing", "area"),
        ("athome-2014", "source"),
        ("pl-general", "price_index"),
    ] {
        let text = stdout(&som(&["kb", "show", id, "--format", "json"]));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[kind]["id"], id, "{text}");
        let sheet = stdout(&som(&["kb", "show", id]));
        assert!(sheet.contains(&format!("({id})")), "{sheet}");
    }
}

#[test]
fn som_kb_show_sheet_gives_a_target_groups_lines_prices_and_sources() {
    let text = stdout(&som(&["kb", "show", "homeless-adults"]));
    assert!(
        text.starts_with("Homeless adults (homeless-adults)\n"),
        "{text}"
    );
    assert!(
        text.contains("Change a year: years 1-10: -129 day; then 0"),
        "{text}"
    );
    // services.json, the split in force from 1 April 2026: kommune 981,20 and
    // stat 525,65 a day; 981,20 + 525,65 = 1.506,85; the earlier split is listed.
    assert!(
        text.contains("kommune 981.2 + region 0 + stat 525.65 = 1,506.85 DKK"),
        "{text}"
    );
    assert!(
        text.contains("split 2023-10-01 - 2026-03-31: kommune 805.99 + region 0 + stat 700.86"),
        "{text}"
    );
    assert!(
        text.contains("success rate 73.0 % against 31.0 %"),
        "{text}"
    );
    assert!(
        text.contains("[dst-herberger-2020] Flere overnatninger"),
        "{text}"
    );

    let service = stdout(&som(&["kb", "show", "shelter-day"]));
    assert!(
        service.contains("Used by the consequences of:\n  homeless-adults / exits-homelessness"),
        "{service}"
    );
    let unused = stdout(&som(&["kb", "show", "jail-day"]));
    assert!(
        unused.contains("No consequence set uses it yet"),
        "{unused}"
    );

    let da = stdout(&som(&["kb", "show", "homeless-adults", "--lang", "da"]));
    assert!(
        da.starts_with("Voksne i hjemløshed (homeless-adults)\n"),
        "{da}"
    );
    assert!(
        da.contains("kommune 981,2 + region 0 + stat 525,65 = 1.506,85 kr."),
        "{da}"
    );
    assert!(da.contains("Kilder"), "{da}");
}

#[test]
fn som_kb_show_suggests_the_id_meant() {
    let output = som(&["kb", "show", "homeles-adults"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean `homeless-adults`"),
        "{stderr}"
    );
}

#[test]
fn som_kb_validate_accepts_the_shipped_knowledge_base() {
    let text = stdout(&som(&["kb", "validate"]));
    assert!(text.starts_with("ok:"), "{text}");
    let text = stdout(&som(&["kb", "validate", "knowledge-base"]));
    assert!(text.starts_with("ok:"), "{text}");
}

#[test]
fn som_kb_validate_prints_areas_lines_by_grade_and_the_examples_weak_evidence() {
    let text = stdout(&som(&["kb", "validate"]));
    let kb = som::KnowledgeBase::embedded();
    // Lines by grade, counted independently here.
    let lines: Vec<_> = kb.consequences().iter().flat_map(|c| &c.lines).collect();
    let grade = |g: u8| lines.iter().filter(|l| l.evidence.grade == Some(g)).count();
    let expected = format!(
        "consequence lines by grade: grade 1: {}, grade 2: {}, grade 3: {}, grade 4: {}, grade 5: {} (grade 5: {} %)",
        grade(1),
        grade(2),
        grade(3),
        grade(4),
        grade(5),
        grade(5) * 100 / lines.len()
    );
    assert!(text.contains(&expected), "{expected}\n{text}");
    // Areas per target group: the homeless set's six lines fall in five areas.
    assert!(
        text.contains("6 lines in 5 areas: housing, social, employment, health, justice"),
        "{text}"
    );
    // Each example with its share on grade 4-5 figures and its rising lines.
    let example = text
        .lines()
        .find(|l| l.trim_start().starts_with("housing-first.json "))
        .unwrap_or_else(|| panic!("no housing-first.json row in\n{text}"));
    let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
    let share =
        case.share_of_gains_on_weak_evidence().unwrap() * rust_decimal::Decimal::ONE_HUNDRED;
    assert!(example.contains(&format!("{share:.1} %")), "{example}");
    assert!(example.contains("3 of 6 lines"), "{example}");
    let none = stdout(&som(&["kb", "validate", "--examples", "no/such/dir"]));
    assert!(none.contains("none: no such directory"), "{none}");
}

#[test]
fn som_kb_validate_lists_the_payers_each_service_has_no_price_for() {
    let text = stdout(&som(&["kb", "validate"]));
    let line = |payer: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(payer))
            .unwrap_or_else(|| panic!("no `{payer}` line in\n{text}"))
            .to_owned()
    };
    // services.json: a shelter day is kommune and stat, a child-psychiatry
    // patient-year region only, a prison day stat only.
    let region = line("region ");
    assert!(region.contains("shelter-day"), "{region}");
    assert!(
        !region.contains("child-psychiatry-patient-year"),
        "{region}"
    );
    let kommune = line("kommune ");
    assert!(kommune.contains("prison-day"), "{kommune}");
    assert!(
        kommune.contains("child-psychiatry-patient-year"),
        "{kommune}"
    );
    assert!(!kommune.contains("shelter-day"), "{kommune}");
    assert!(
        text.contains("services no consequence line uses:"),
        "{text}"
    );
}

#[test]
fn som_kb_validate_fails_on_a_missing_directory() {
    let output = som(&["kb", "validate", "no/such/kb"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("manifest.json"), "{stderr}");
}

// ---------------------------------------------------------------------------
// Numbers are read exactly, as JSON numbers or strings (DESIGN.md §4).
// ---------------------------------------------------------------------------

fn frozen_kb() -> KnowledgeBase {
    KnowledgeBase::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb")).unwrap()
}

fn scenario_with(completion_rate: &str, participants: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"name": "exact", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": 2026,
            "horizon_years": 3, "completion_rate": {completion_rate},
            "cohorts": [{{"year": 0, "participants": {participants}}}],
            "effect": {{"success_rate": 0.3, "baseline_rate": 0.1}}}}"#
    ))
    .unwrap()
}

#[test]
fn completion_rate_0_1_as_a_json_number_is_exactly_one_tenth() {
    let model = scenario_with("0.1", "10").resolve(&frozen_kb()).unwrap();
    assert_eq!(model.completion_rate, Decimal::from_str("0.1").unwrap());
    assert_eq!(model.completion_rate, Decimal::new(1, 1));
    // f64 0.1 is 0.1000000000000000055511151231257827...: not what we hold.
    assert_ne!(
        model.completion_rate,
        Decimal::from_str("0.1000000000000000055511151231").unwrap()
    );
    // 10 participants · 0.1 · (0.3 - 0.1) = 0.2 successes, exactly.
    let case = som::engine::evaluate(&model).unwrap();
    assert_eq!(case.summary.successes, d("0.2"));
}

#[test]
fn completion_rate_0_1_as_a_string_is_exactly_one_tenth() {
    let model = scenario_with("\"0.1\"", "10")
        .resolve(&frozen_kb())
        .unwrap();
    assert_eq!(model.completion_rate, Decimal::from_str("0.1").unwrap());
}

#[test]
fn long_decimals_as_json_numbers_keep_every_digit() {
    // 28 digits after the point: no f64 could carry them.
    let model = scenario_with("0.1234567890123456789012345678", "10")
        .resolve(&frozen_kb())
        .unwrap();
    assert_eq!(model.completion_rate, d("0.1234567890123456789012345678"));
    let model = scenario_with("0.30", "10").resolve(&frozen_kb()).unwrap();
    assert_eq!(model.completion_rate, d("0.3"));
}

#[test]
fn integers_beyond_64_bits_are_read_exactly_as_json_numbers() {
    // 10^20 does not fit in a u64 (about 1.8 · 10^19) but does in a Decimal.
    let number = scenario_with("1", "100000000000000000000")
        .resolve(&frozen_kb())
        .unwrap();
    let string = scenario_with("1", "\"100000000000000000000\"")
        .resolve(&frozen_kb())
        .unwrap();
    assert_eq!(number.participants[0], d("100000000000000000000"));
    assert_eq!(number.participants, string.participants);
}

/// A sweep of 4,001 rows (about 200 KB of CSV, more than a pipe holds).
fn long_sweep_spec() -> tempfile_path::TempSpec {
    tempfile_path::TempSpec::new(
        r#"{"parameters": [{"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.0001}]}"#,
    )
}

mod tempfile_path {
    /// A spec file in the temporary directory, removed when dropped.
    pub struct TempSpec(pub std::path::PathBuf);

    impl TempSpec {
        pub fn new(text: &str) -> TempSpec {
            let path = std::env::temp_dir().join(format!(
                "som-cli-spec-{}-{:?}.json",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::write(&path, text).unwrap();
            TempSpec(path)
        }
    }

    impl Drop for TempSpec {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[test]
fn a_reader_that_stops_early_ends_som_quietly_with_success() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let spec = long_sweep_spec();
    let mut child = Command::new(env!("CARGO_BIN_EXE_som"))
        .args(["sweep", "--spec"])
        .arg(&spec.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the header line only, then close the pipe, as `| head -1` does.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("success_rate,npv"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_standard_output_is_an_error() {
    let spec = long_sweep_spec();
    let out = Command::new(env!("CARGO_BIN_EXE_som"))
        .args(["sweep", "--spec"])
        .arg(&spec.0)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: writing the output:"), "{stderr}");
}
