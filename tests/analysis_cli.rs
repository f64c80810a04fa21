//! The analysis commands end to end: output on success, a message on stderr
//! and a non-zero exit on bad input, never a panic.

use std::process::{Command, Output};

fn som(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .output()
        .expect("the som binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn sensitivity_prints_a_tornado_and_break_even_figures() {
    let o = som(&["sensitivity", "examples/housing-first.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("net success rate"));
    assert!(out.contains("Break-even cost per participant"));
}

#[test]
fn sensitivity_json_is_one_object() {
    let o = som(&["sensitivity", "--range", "0.1", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["range"], "0.1");
    assert!(v["bars"].as_array().is_some_and(|b| !b.is_empty()));
}

#[test]
fn sensitivity_rejects_a_range_of_one() {
    let o = som(&["sensitivity", "--range", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("range = 1"), "{}", stderr(&o));
}

fn spec_file(name: &str, json: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("som-analysis-{}-{name}", std::process::id()));
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn sweep_writes_one_csv_row_per_point_in_grid_order() {
    let spec = spec_file(
        "grid.json",
        r#"{"parameters": [{"name": "success_rate", "from": 0.25, "to": 0.5, "step": 0.05},
                           {"name": "horizon_years", "values": [5, 10]}]}"#,
    );
    let o = som(&["sweep", "--spec", spec.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 6 * 2);
    assert!(lines[0].starts_with("success_rate,horizon_years,npv,"));
    assert!(lines[1].starts_with("0.25,5,") && lines[2].starts_with("0.25,10,"));
}

#[test]
fn sweep_names_the_file_and_json_path_of_a_bad_spec() {
    let spec = spec_file(
        "bad.json",
        r#"{"parameters": [{"name": "participants_scale", "from": 1, "to": 2, "step": 0}]}"#,
    );
    let o = som(&["sweep", "--spec", spec.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("bad.json: $.parameters[0].step"), "{err}");
    assert!(!err.contains("panicked"));
}

const MC: &str = r#"{"inputs": [
    {"name": "success_rate", "distribution": "triangular", "min": 0.3, "mode": 0.45, "max": 0.55},
    {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000}]}"#;

#[test]
fn simulate_is_reproducible_from_its_seed() {
    let spec = spec_file("mc.json", MC);
    let args = [
        "simulate",
        "--spec",
        spec.to_str().unwrap(),
        "--draws",
        "5000",
        "--seed",
        "11",
        "--format",
        "json",
    ];
    let one = som(&args);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(stdout(&one), stdout(&som(&args)));
    let v: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(v["draws"], 5000);
    assert!(v["probability_npv_positive"].as_f64().is_some());
}

#[test]
fn simulate_writes_every_draw_when_asked() {
    let spec = spec_file("mc2.json", MC);
    let draws = std::env::temp_dir().join(format!("som-analysis-{}-draws.csv", std::process::id()));
    let o = som(&[
        "simulate",
        "--spec",
        spec.to_str().unwrap(),
        "--draws",
        "10",
        "--every-draw",
        draws.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("P(NPV > 0)"));
    let csv = std::fs::read_to_string(&draws).unwrap();
    assert_eq!(csv.lines().count(), 11);
    assert!(csv.starts_with("draw,success_rate,cost:Support,npv,benefit_cost_ratio"));
}

#[test]
fn simulate_rejects_bad_distributions_and_draw_counts() {
    let spec = spec_file(
        "bad-mc.json",
        r#"{"inputs": [{"name": "success_rate", "distribution": "normal", "mean": 0.4, "sd": -1}]}"#,
    );
    let o = som(&["simulate", "--spec", spec.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("bad-mc.json: $.inputs[0].sd"),
        "{}",
        stderr(&o)
    );
    let good = spec_file("mc3.json", MC);
    let o = som(&["simulate", "--spec", good.to_str().unwrap(), "--draws", "0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("draws = 0"));
}

#[test]
fn the_example_specs_run_on_the_example_scenario() {
    let o = som(&[
        "sweep",
        "examples/housing-first.json",
        "--spec",
        "examples/analysis/sweep-grid.json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1 + 6 * 3 * 2 * 3);
    let o = som(&[
        "simulate",
        "--spec",
        "examples/analysis/simulate-inputs.json",
        "--draws",
        "2000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A newcomer's scenario: another target group, the effect from a study,
/// explicit consequences, a constant discount rate.
const NEWCOMER: &str = r#"{
  "name": "IPS job support, 25 citizens a year",
  "target_group": "adults-severe-mental-illness",
  "success_measure": "employment-or-education",
  "start_year": 2026,
  "horizon_years": 8,
  "discounting": {"constant": 0.035},
  "cohorts": [{"year": 0, "participants": 25}, {"year": 1, "participants": 25}],
  "effect": {"study": "ips-denmark-18m"},
  "consequences": [
    {"service": "cash-benefit-month", "profile": [-4, -6, -6, -6, -6]},
    {"service": "special-psychiatric-place-day", "profile": [-2, -2, -1]}
  ],
  "costs": [
    {"label": "IPS consultants", "kind": "per_year", "from_year": 0, "to_year": 1, "amount": 1200000, "payer": "kommune"},
    {"label": "Per citizen", "kind": "per_participant", "amount": 15000, "payer": "kommune"}
  ]
}"#;

#[test]
fn all_three_commands_run_on_a_newcomers_scenario() {
    let scenario = spec_file("ips.json", NEWCOMER);
    let scenario = scenario.to_str().unwrap();
    let o = som(&["sensitivity", scenario]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("cost: IPS consultants"));

    let grid = spec_file(
        "ips-grid.json",
        r#"{"parameters": [{"name": "net_success_rate", "from": 0, "to": 0.2, "step": 0.05},
                           {"name": "cost:IPS consultants", "values": [800000, 1200000]},
                           {"name": "horizon_years", "values": [5, 8, 12]}]}"#,
    );
    let o = som(&[
        "sweep",
        scenario,
        "--spec",
        grid.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 5 * 2 * 3);

    let inputs = spec_file(
        "ips-mc.json",
        r#"{"inputs": [{"name": "success_rate", "distribution": "beta", "alpha": 60, "beta": 40},
                       {"name": "baseline_rate", "distribution": "beta", "alpha": 46.5, "beta": 53.5},
                       {"name": "discount_rate", "distribution": "uniform", "min": 0.02, "max": 0.05}]}"#,
    );
    let o = som(&[
        "simulate",
        scenario,
        "--spec",
        inputs.to_str().unwrap(),
        "--draws",
        "2000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("P(NPV > 0)"));
}

#[test]
fn a_sweep_with_figures_beyond_the_exact_engines_range_is_refused() {
    // Issue 18: a price scale of 7e28 on the example's only line gives PV
    // gains of about 2.7e7 · 7e28 = 1.9e36, which `som run` refuses as an
    // overflow; the sweep printed such NPVs. Now it refuses, naming the point.
    let spec = spec_file(
        "huge.json",
        r#"{"parameters": [{"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]},
                           {"name": "success_rate", "values": [0.3, 0.4]}]}"#,
    );
    let o = som(&["sweep", "--spec", spec.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("2 of 4 grid points"), "{err}");
    assert!(
        err.contains("price_scale:shelter-day = 70000000000000000000000000000, success_rate = 0.3"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_simulation_whose_every_draw_overflows_is_refused() {
    // Issue 18: lognormal mu = 700 gave mean inf, NaN percentiles and
    // P(NPV > 0) = 1.0000 with exit 0.
    let spec = spec_file(
        "mu700.json",
        r#"{"inputs": [{"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 700, "sigma": 1}]}"#,
    );
    let o = som(&[
        "simulate",
        "--spec",
        spec.to_str().unwrap(),
        "--draws",
        "500",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("500 of 500 draws"), "{err}");
    assert!(err.contains("outside the exact engine's range"), "{err}");
}

#[test]
fn a_simulation_leaves_out_and_reports_draws_beyond_the_engines_range() {
    let spec = spec_file(
        "mu50.json",
        r#"{"inputs": [{"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 50, "sigma": 4}]}"#,
    );
    let o = som(&[
        "simulate",
        "--spec",
        spec.to_str().unwrap(),
        "--draws",
        "2000",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let outside = v["outside_engine_range_draws"].as_u64().unwrap();
    assert!(outside > 0 && outside < 2000, "{outside}");
    assert_eq!(v["npv"]["draws"].as_u64().unwrap() + outside, 2000);
    assert!(v["npv"]["max"].as_f64().unwrap() <= 7.93e28);
    let o = som(&[
        "simulate",
        "--spec",
        spec.to_str().unwrap(),
        "--draws",
        "2000",
    ]);
    assert!(
        stdout(&o).contains(&format!(
            "warning: {outside} of 2000 draws gave figures outside"
        )),
        "{}",
        stdout(&o)
    );
}

/// Reads a `.npy` file of f64 records (NumPy format 1.0): the header's
/// dictionary and the values, from the format's description (NEP 1), not
/// from the writer's code.
fn read_npy(bytes: &[u8]) -> (String, Vec<f64>) {
    assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
    let length = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    assert_eq!((10 + length) % 64, 0, "data aligned to 64 bytes");
    let header = String::from_utf8(bytes[10..10 + length].to_vec()).unwrap();
    assert!(header.ends_with('\n'));
    let values = bytes[10 + length..]
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    (header.trim_end().to_owned(), values)
}

#[test]
fn a_sweep_writes_chosen_columns_and_a_numpy_file() {
    let spec = spec_file(
        "npy-grid.json",
        r#"{"parameters": [{"name": "success_rate", "from": 0.25, "to": 0.5, "step": 0.05},
                           {"name": "horizon_years", "values": [5, 10]},
                           {"name": "participants_scale", "values": [0.5, 1, 2]}]}"#,
    );
    let spec = spec.to_str().unwrap();
    let csv = som(&["sweep", "--spec", spec, "--columns", "npv,break_even_year"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let csv = stdout(&csv);
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("success_rate,horizon_years,participants_scale,npv,break_even_year")
    );
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 36);

    let npy = std::env::temp_dir().join(format!("som-analysis-{}-grid.npy", std::process::id()));
    let o = som(&[
        "sweep",
        "--spec",
        spec,
        "--columns",
        "npv,break_even_year",
        "--format",
        "npy",
        "--output",
        npy.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let (header, values) = read_npy(&std::fs::read(&npy).unwrap());
    assert_eq!(
        header,
        "{'descr': [('success_rate', '<f8'), ('horizon_years', '<f8'), ('participants_scale', '<f8'), \
         ('npv', '<f8'), ('break_even_year', '<f8')], 'fortran_order': False, 'shape': (36,), }"
    );
    assert_eq!(values.len(), 36 * 5);
    // Each record is the CSV row: values, NPV to the øre, the year or NaN.
    for (record, row) in values.chunks(5).zip(&rows) {
        for k in 0..3 {
            assert_eq!(record[k], row[k].parse::<f64>().unwrap());
        }
        assert!((record[3] - row[3].parse::<f64>().unwrap()).abs() <= 0.005);
        match row[4] {
            "" => assert!(record[4].is_nan()),
            year => assert_eq!(record[4], year.parse::<f64>().unwrap()),
        }
    }

    // Shaped as the grid: the figures alone, in the same order, the shape
    // the axes' lengths (6 success rates, 2 horizons, 3 scales).
    let npy_grid = |columns: &str| {
        let o = som(&[
            "sweep",
            "--spec",
            spec,
            "--columns",
            columns,
            "--format",
            "npy-grid",
            "--output",
            npy.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        read_npy(&std::fs::read(&npy).unwrap())
    };
    let (header, shaped) = npy_grid("npv,break_even_year");
    assert_eq!(
        header,
        "{'descr': [('npv', '<f8'), ('break_even_year', '<f8')], 'fortran_order': False, \
         'shape': (6, 2, 3), }"
    );
    let figures: Vec<f64> = values.chunks(5).flat_map(|r| r[3..].to_vec()).collect();
    assert_eq!(
        shaped.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        figures.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    let (header, npv) = npy_grid("npv");
    assert!(header.starts_with("{'descr': [('npv', '<f8')]"), "{header}");
    assert!(header.ends_with("'shape': (6, 2, 3), }"), "{header}");
    assert!(
        npv.iter()
            .zip(values.chunks(5))
            .all(|(x, r)| x.to_bits() == r[3].to_bits())
    );

    let o = som(&["sweep", "--spec", spec, "--columns", "npv,bcr"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("unknown column `bcr`"),
        "{}",
        stderr(&o)
    );
}

/// `som sweep --format npy --output FILE` writes an existing file over in
/// place and cuts it to its new length: the bytes are those of a new file,
/// whether the old one was longer or shorter, and a refused sweep leaves the
/// old file as it was.
#[test]
fn a_numpy_file_written_over_is_the_new_sweep_alone() {
    let big = spec_file(
        "in-place-big.json",
        r#"{"parameters": [{"name": "success_rate", "from": 0.2, "to": 0.5, "step": 0.001},
                           {"name": "cost:Support", "from": 0, "to": 100000, "step": 250}]}"#,
    );
    let small = spec_file(
        "in-place-small.json",
        r#"{"parameters": [{"name": "participants_scale", "values": [0.5, 1, 2]}]}"#,
    );
    let huge = spec_file(
        "in-place-huge.json",
        r#"{"parameters": [{"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]}]}"#,
    );
    let dir = std::env::temp_dir();
    let path = |name: &str| dir.join(format!("som-analysis-{}-{name}.npy", std::process::id()));
    let sweep = |spec: &std::path::Path, out: &std::path::Path| {
        som(&[
            "sweep",
            "--spec",
            spec.to_str().unwrap(),
            "--format",
            "npy",
            "--output",
            out.to_str().unwrap(),
        ])
    };
    let (fresh_big, fresh_small, over) = (path("fresh-big"), path("fresh-small"), path("over"));
    for (spec, out) in [(&big, &fresh_big), (&small, &fresh_small), (&big, &over)] {
        let _ = std::fs::remove_file(out);
        let o = sweep(spec, out);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let read = |p: &std::path::Path| std::fs::read(p).unwrap();
    // 301 × 401 points of 2 parameters and 5 figures each.
    assert_eq!(read_npy(&read(&fresh_big)).1.len(), 301 * 401 * 7);
    assert_eq!(read(&over), read(&fresh_big));
    // Shorter over longer, then longer over shorter.
    assert!(sweep(&small, &over).status.success());
    assert_eq!(read(&over), read(&fresh_small));
    assert!(sweep(&big, &over).status.success());
    assert_eq!(read(&over), read(&fresh_big));
    let o = sweep(&huge, &over);
    assert!(!o.status.success());
    assert_eq!(
        read(&over),
        read(&fresh_big),
        "a refused sweep leaves the file"
    );
    for p in [fresh_big, fresh_small, over] {
        let _ = std::fs::remove_file(p);
    }
}

/// `som sweep`'s format follows `--format` or the output file's extension,
/// and a mismatch is an error, as for `som run`: a CSV written into
/// `grid.npy` would only fail later, in numpy.
#[test]
fn sweep_takes_its_format_from_the_output_extension_and_refuses_a_mismatch() {
    let spec = "examples/analysis/sweep-grid.json";
    let dir = std::env::temp_dir();
    let path = |name: &str| dir.join(format!("som-analysis-{}-ext-{name}", std::process::id()));

    // `.npy` alone gives NumPy records (the magic string), `.csv` a header row.
    let npy = path("grid.npy");
    let o = som(&["sweep", "--spec", spec, "-o", npy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&npy).unwrap().starts_with(b"\x93NUMPY"));
    let csv = path("grid.CSV");
    let o = som(&["sweep", "--spec", spec, "--output", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("success_rate,")
    );
    // npy-grid is a .npy file too.
    let grid = path("shaped.npy");
    let o = som(&[
        "sweep",
        "--spec",
        spec,
        "--format",
        "npy-grid",
        "-o",
        grid.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&grid).unwrap().starts_with(b"\x93NUMPY"));

    // A contradiction, and an extension that names no format, are refused
    // before anything is written.
    let wrong = path("wrong.csv");
    let o = som(&[
        "sweep",
        "--spec",
        spec,
        "--format",
        "npy",
        "-o",
        wrong.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--format npy does not match the output file's extension `.csv`"),
        "{}",
        stderr(&o)
    );
    assert!(!wrong.exists());
    let text = path("rows.txt");
    let o = som(&["sweep", "--spec", spec, "-o", text.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot tell the format from the extension `.txt`"),
        "{}",
        stderr(&o)
    );
    assert!(!text.exists());

    // `-o -` is standard output.
    let o = som(&["sweep", "--spec", spec, "--format", "jsonl", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("{\"success_rate\":"));

    for p in [npy, csv, grid] {
        std::fs::remove_file(p).unwrap();
    }
}
