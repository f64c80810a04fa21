//! `som potential --package`: a baseline valued as the package's arms see
//! the knowledge base (its local services, prices and price year), and the
//! scenario `--to-scenario` writes from it carrying the package's local
//! services, committee table and discounting over (docs/DESIGN.md §4.1).
//!
//! The baseline is `examples/package/homeless-60-baseline.csv`, as Danish
//! Excel saves it (semicolons, decimal commas, CRLF). By hand, for the line
//! the knowledge base lacks: 60 citizens × 1,5 psychiatric emergency visits
//! = 90 visits a year at the package's illustrative 3.000 kr. to the region
//! (2025 prices, the package's price year, so no index factor): 270.000 kr.
//! for the region, 0 for the kommune and the state. A success keeps half of
//! its visits, so if every citizen succeeded the region would save
//! 135.000 kr.; at a success rate of 50 %, 67.500 kr.

use std::process::Command;

use serde_json::{Value, json};

const BASELINE: &str = "examples/package/homeless-60-baseline.csv";
const PACKAGE: &str = "examples/package/homeless-60.json";

fn som(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .output()
        .unwrap()
}

fn potential_json(extra: &[&str]) -> Value {
    let mut args = vec![
        "potential",
        BASELINE,
        "--citizens",
        "60",
        "--success-keeps",
        "0.2",
        "--use-year",
        "2026",
        "--rate",
        "0.5",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = som(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn service<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == id)
        .unwrap_or_else(|| panic!("no service {id}"))
}

#[test]
fn the_packages_local_service_values_the_baseline() {
    let json = potential_json(&["--package", PACKAGE]);
    let visit = service(&json, "psychiatric-emergency-visit");
    assert_eq!(visit["cost"]["region"], "270000");
    assert_eq!(visit["cost"]["kommune"], "0");
    assert_eq!(visit["cost"]["stat"], "0");
    assert_eq!(visit["saving_if_all_succeed"]["region"], "135000");
    assert_eq!(json["price_year"], 2025);
    // Without the package the knowledge base lacks the service: it is
    // reported with its row and column, and the rest is still computed.
    let out = som(&[
        "potential",
        BASELINE,
        "--citizens",
        "60",
        "--success-keeps",
        "0.2",
        "--use-year",
        "2026",
        "--format",
        "json",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("psychiatric-emergency-visit"), "{err}");
    let without: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        service(&without, "shelter-day")["cost"],
        service(&json, "shelter-day")["cost"]
    );
}

#[test]
fn to_scenario_carries_the_packages_local_services_committees_and_discounting() {
    let dir = std::env::temp_dir().join(format!("som-potential-package-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut package: Value =
        serde_json::from_str(&std::fs::read_to_string(PACKAGE).unwrap()).unwrap();
    // A kommune that puts shelter stays under its health committee.
    package["committees"] = json!({"shelter-day": "health"});
    let package_file = dir.join("package.json");
    std::fs::write(&package_file, package.to_string()).unwrap();
    let outline = json!({
        "name": "Homeless citizens today",
        "citizens": 60, "success_keeps": 0.2, "use_year": 2026,
        "use": "baseline.csv",
        "scenario": {"target_group": "homeless-adults", "success_measure": "exits-homelessness",
                     "start_year": 2026, "horizon_years": 5, "success_rate": 0.25}
    });
    std::fs::copy(BASELINE, dir.join("baseline.csv")).unwrap();
    let input = dir.join("today.json");
    std::fs::write(&input, outline.to_string()).unwrap();
    let case = dir.join("case.json");
    let out = som(&[
        "potential",
        input.to_str().unwrap(),
        "--package",
        package_file.to_str().unwrap(),
        "--to-scenario",
        case.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scenario: Value = serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
    assert_eq!(
        scenario["local_services"][0]["id"],
        "psychiatric-emergency-visit"
    );
    assert_eq!(scenario["committees"], json!({"shelter-day": "health"}));
    assert_eq!(scenario["discounting"], "dk-fm-2021");
    assert_eq!(scenario["price_year"], 2025);
    // The business case runs, with the local line marked and shelter stays
    // in the health committee.
    let out = som(&["run", case.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = run["lines"].as_array().unwrap();
    let visit = lines
        .iter()
        .find(|l| l["service"] == "psychiatric-emergency-visit")
        .unwrap();
    assert_eq!(visit["local"], true);
    let shelter = lines
        .iter()
        .find(|l| l["service"] == "shelter-day")
        .unwrap();
    assert_eq!(shelter["committee"], "health");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_package_that_does_not_resolve_or_a_single_scenario_is_refused() {
    let out = som(&[
        "potential",
        BASELINE,
        "--citizens",
        "60",
        "--success-keeps",
        "0.2",
        "--package",
        "examples/housing-first.json",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`arms`"), "{err}");
    let dir = std::env::temp_dir().join(format!("som-potential-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut package: Value =
        serde_json::from_str(&std::fs::read_to_string(PACKAGE).unwrap()).unwrap();
    package["financing"][0]["amounts"][0]["amount"] = json!(-1);
    let file = dir.join("bad.json");
    std::fs::write(&file, package.to_string()).unwrap();
    let out = som(&[
        "potential",
        BASELINE,
        "--citizens",
        "60",
        "--success-keeps",
        "0.2",
        "--package",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("$.financing[0].amounts[0].amount"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
