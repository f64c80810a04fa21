//! Danish input, read safely (issue 16, item 3): a number in Danish notation
//! is never read silently as something else, and the same rule holds in
//! scenario JSON, batch CSV and over HTTP (`som::number::notation` documents it).
//!
//! - `958.000` is ambiguous (958 thousand in Danish, 958 as a decimal):
//!   refused everywhere, with both readings.
//! - `1.506,85` and `0,45`: refused with what was meant (1506.85, 0.45) in
//!   JSON and comma-separated CSV; read as 1506.85 and 0.45 in a
//!   semicolon-separated CSV, where the comma is the decimal mark.
//! - A Windows-1252 CSV is read as Windows-1252 with a warning; a UTF-16
//!   one is refused with "save as CSV UTF-8".

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use common::som;
use rust_decimal::Decimal;
use som::{KnowledgeBase, Scenario, batch};

fn example_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/housing-first.json"
    ))
    .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut json);
    json.to_string()
}

/// The example with the team's yearly cost (958000 in the file) written as `amount`.
fn team_cost(amount: serde_json::Value) -> String {
    example_with(|j| j["costs"][1]["amount"] = amount)
}

fn scenario_error(json: &str) -> String {
    match Scenario::from_json(json) {
        Ok(s) => match som::evaluate(&s, KnowledgeBase::embedded()) {
            Ok(case) => panic!("read and computed, NPV {}", case.summary.npv.total),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    }
}

// Scenario JSON, through the library.

#[test]
fn danish_thousands_in_a_json_string_are_refused_with_both_readings() {
    let message = scenario_error(&team_cost("958.000".into()));
    assert!(message.contains("$.costs[1].amount"), "{message}");
    assert!(
        message.contains("`958.000` is ambiguous") && message.contains("write 958000, or 958"),
        "{message}"
    );
}

#[test]
fn danish_thousands_as_a_json_number_are_refused_too() {
    // `958.000` unquoted: JSON reads it as 958, which a Dane did not mean.
    let json = example_with(|_| {}).replace("958000", "958.000");
    assert!(
        json.contains("958.000"),
        "the example's team cost is 958000"
    );
    let message = scenario_error(&json);
    assert!(message.contains("write 958000, or 958"), "{message}");
}

#[test]
fn a_danish_amount_with_decimals_is_refused_with_what_was_meant() {
    let message = scenario_error(&team_cost("1.506,85".into()));
    assert!(
        message.contains("`1.506,85` is written in Danish notation: write 1506.85"),
        "{message}"
    );
}

#[test]
fn a_decimal_comma_gets_a_hint() {
    let json = example_with(|j| j["completion_rate"] = "0,45".into());
    let message = scenario_error(&json);
    assert!(message.contains("$.completion_rate"), "{message}");
    assert!(
        message.contains("`0,45` has a decimal comma: write 0.45"),
        "{message}"
    );
}

#[test]
fn what_the_hint_suggests_reads_and_gives_the_intended_case() {
    // The hint's 958000 is the example's own figure: the same NPV.
    let intended = som::evaluate(
        &Scenario::from_json(&team_cost("958000".into())).unwrap(),
        KnowledgeBase::embedded(),
    )
    .unwrap();
    let example = som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
    assert_eq!(intended.summary.npv.total, example.summary.npv.total);
    // A decimal with three places and a leading zero is plain: 0.450 is 0.45.
    let rate = example_with(|j| j["effect"]["success_rate"] = "0.450".into());
    assert!(Scenario::from_json(&rate).is_ok());
}

#[test]
fn a_whole_number_in_danish_notation_gets_the_hint() {
    let json = example_with(|j| j["cohorts"][0]["year"] = "1.000".into());
    let message = scenario_error(&json);
    assert!(message.contains("write 1000, or 1"), "{message}");
}

#[test]
fn the_command_line_shows_the_hint_and_fails() {
    let path = common::temp_file("danish-input", "team.json", &team_cost("958.000".into()));
    let out = som().arg("run").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("write 958000, or 958"), "{stderr}");
    assert!(out.stdout.is_empty());
}

// Batch CSV.

fn problems(b: &batch::Batch) -> Vec<String> {
    b.problems().map(|p| p.to_string()).collect()
}

fn only_npv(b: &batch::Batch) -> Decimal {
    assert!(b.is_ok(), "{:?}", problems(b));
    let cases: Vec<_> = b.cases().collect();
    assert_eq!(cases.len(), 1);
    cases[0].summary.npv.total
}

#[test]
fn a_semicolon_csv_reads_decimal_commas_and_danish_thousands() {
    let kb = KnowledgeBase::embedded();
    let danish = batch::run(
        &Scenario::example(),
        "name;success_rate;cost.Support;price.shelter-day.kommune;price.shelter-day.region;price.shelter-day.stat\n\
         A;0,45;1.506,85;1.234,5;0;617\n",
        kb,
    );
    // The same figures with decimal points, in a comma-separated file.
    let plain = batch::run(
        &Scenario::example(),
        "name,success_rate,cost.Support,price.shelter-day.kommune,price.shelter-day.region,price.shelter-day.stat\n\
         A,0.45,1506.85,1234.5,0,617\n",
        kb,
    );
    assert_eq!(only_npv(&danish), only_npv(&plain));
}

#[test]
fn an_ambiguous_number_is_refused_in_either_kind_of_csv() {
    let kb = KnowledgeBase::embedded();
    let semicolons = batch::run(&Scenario::example(), "cost.Team;name\n958.000;A\n", kb);
    assert_eq!(
        problems(&semicolons),
        [
            "row 2, column `cost.Team`: `958.000` is ambiguous: in Danish notation the point separates thousands (958000), as a decimal it is 958; write 958000, or 958 for the decimal (a decimal comma and no thousands separators)"
        ]
    );
    let commas = batch::run(&Scenario::example(), "cost.Team,name\n958.000,A\n", kb);
    assert_eq!(
        problems(&commas),
        [
            "row 2, column `cost.Team`: `958.000` is ambiguous: in Danish notation the point separates thousands (958000), as a decimal it is 958; write 958000, or 958 for the decimal (a decimal point and no thousands separators)"
        ]
    );
}

#[test]
fn a_comma_csv_refuses_danish_decimals_with_the_hint() {
    let b = batch::run(
        &Scenario::example(),
        "name,cost.Team\nA,\"1.506,85\"\n",
        KnowledgeBase::embedded(),
    );
    assert_eq!(
        problems(&b),
        [
            "row 2, column `cost.Team`: `1.506,85` is written in Danish notation: write 1506.85 (a decimal point and no thousands separators)"
        ]
    );
}

fn write_bytes(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = common::temp_file("danish-input", name, "");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_windows_1252_csv_is_read_with_a_warning() {
    // "Århus" and "Køge" as a Danish Windows spreadsheet saves them: Å = 0xC5, ø = 0xF8.
    let rows = write_bytes(
        "cp1252.csv",
        b"name;participants;success_rate\n\xC5rhus;10;0,45\nK\xF8ge;20;0,4\n",
    );
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not UTF-8; read as windows-1252") && stderr.contains("CSV UTF-8"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Århus") && stdout.contains("Køge"),
        "{stdout}"
    );
}

#[test]
fn a_utf16_csv_is_refused_with_save_as_csv_utf8() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "name\nA\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let rows = write_bytes("utf16.csv", &bytes);
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("UTF-16") && stderr.contains("save the sheet as \"CSV UTF-8\""),
        "{stderr}"
    );
}

#[test]
fn a_utf8_csv_with_a_byte_order_mark_reads_as_it_is() {
    let rows = write_bytes(
        "bom.csv",
        "\u{feff}name,participants\nÅrhus,10\n".as_bytes(),
    );
    let read = batch::read_rows(&rows).unwrap();
    assert_eq!(read.transcoded_from, None);
    assert_eq!(read.text, "name,participants\nÅrhus,10\n");
}

// Over HTTP: the same reader, so the same rule.

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_som"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("som serve: listening on ")
        .unwrap()
        .to_owned();
    Server(child, base)
}

#[cfg(feature = "serve")]
#[test]
fn the_service_refuses_danish_notation_with_the_same_hint() {
    let server = serve();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for (body, hint) in [
        (team_cost("958.000".into()), "write 958000, or 958"),
        (team_cost("1.506,85".into()), "write 1506.85"),
        (
            example_with(|j| j["completion_rate"] = "0,45".into()),
            "write 0.45",
        ),
    ] {
        let mut response = agent
            .post(format!("{}/v1/business-case", server.1))
            .header("content-type", "application/json")
            .send(&body)
            .unwrap();
        let status = response.status().as_u16();
        let mut text = String::new();
        response
            .body_mut()
            .as_reader()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(status, 400, "{text}");
        assert!(text.contains(hint), "{hint}: {text}");
    }
}
