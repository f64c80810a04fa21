//! A batch of 100.000 rows (issue 18): linear in its rows, streamed, with
//! the comparison's warnings summarised once per footing instead of once per
//! pair of rows. Before, 10.000 rows took 5,8 GB and aborted; 3.000 took
//! 22 s and wrote 331 MB of warnings.
//!
//! The ceilings are runaway guards for a debug build on a shared machine:
//! a quadratic batch would need hours and terabytes, a linear one takes
//! about 20 s and 300 MB here (and under 3 s in a release build).
#![cfg(unix)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Address space `som` may use: 1 GiB.
const MEMORY_KIB: u64 = 1024 * 1024;

const ROWS: usize = 100_000;

#[test]
fn a_hundred_thousand_rows_in_linear_time_and_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("som-batch-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A small template: the cost under test is the batch's, not the engine's.
    let template = dir.join("tiny.json");
    std::fs::write(
        &template,
        r#"{"name": "Tiny", "target_group": "homeless-adults", "success_measure": "exits-homelessness",
        "start_year": 2026, "horizon_years": 2, "price_year": 2025, "discounting": "dk-fm-2021",
        "cohorts": [{"year": 0, "participants": 10}], "completion_rate": 0.9,
        "effect": {"success_rate": 0.45, "baseline_rate": 0.2},
        "costs": [{"label": "Support", "kind": "per_participant", "amount": 60000, "payer": "kommune"}],
        "consequences": [{"service": "shelter-day", "profile": [-10]}]}"#,
    )
    .unwrap();
    // Half the rows in 2024 prices: not comparable with the other half.
    // Every 10.000th row has a bad participant count.
    let mut csv = String::from("name,participants,price_year\n");
    for i in 0..ROWS {
        let participants = if i % 10_000 == 5 {
            "many".to_owned()
        } else {
            (10 + i % 50).to_string()
        };
        let year = if i % 2 == 0 { 2024 } else { 2025 };
        csv.push_str(&format!("Kommune {i},{participants},{year}\n"));
    }
    let rows = dir.join("rows.csv");
    std::fs::write(&rows, csv).unwrap();

    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_som"))
        .args(["batch", template.to_str().unwrap(), rows.to_str().unwrap()])
        .args(["--kb", root().join("tests/data/kb").to_str().unwrap()])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        elapsed < Duration::from_secs(300),
        "100.000 rows took {elapsed:?}"
    );
    // Ten bad rows: exit 1, each reported once on its row.
    assert_eq!(output.status.code(), Some(1), "{stderr:.2000}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 10, "{stderr:.2000}");
    assert!(
        errors[0].contains("row 7, column `participants`"),
        "{}",
        errors[0]
    );
    // One warning for the two footings, not one per pair of rows (there
    // are 50.000 · 49.990 such pairs: the bad rows are odd, in 2025 prices).
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{:.2000}", stderr);
    assert!(
        warnings[0].contains("price year: 2024 vs 2025")
            && warnings[0].contains("all 50000 case(s)")
            && warnings[0].contains("all 49990 on that"),
        "{}",
        warnings[0]
    );
    // The output holds every row, in order.
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let out_rows = value["rows"].as_array().unwrap();
    assert_eq!(out_rows.len(), ROWS);
    assert_eq!(out_rows[ROWS - 1]["row"], ROWS + 1);
    assert_eq!(
        value["comparison"]["scenarios"].as_array().unwrap().len(),
        ROWS - 10
    );
}
