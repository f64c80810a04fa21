//! The `som` command line's report options, run as a user would.

use std::path::PathBuf;
use std::process::Command;

fn som(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `som ARGS --output DIR/FILE` in a fresh temporary directory named
/// after `tag`, asserts success, and returns the directory and the file.
fn written(tag: &str, file: &str, args: &[&str]) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("som-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(file);
    let mut all = args.to_vec();
    all.extend(["--output", path.to_str().unwrap()]);
    let out = som(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, path)
}

#[test]
fn run_in_danish_prints_danish_amounts() {
    let out = som(&["run", "--lang", "da"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Nettonutidsværdi (NNV)"));
    assert!(text.contains(" kr."));
}

#[test]
fn xlsx_without_output_is_a_clear_error() {
    let out = som(&["run", "--format", "xlsx"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--output"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn xlsx_with_output_writes_a_workbook() {
    let (dir, path) = written(
        "xlsx",
        "case.xlsx",
        &["run", "examples/housing-first.json", "--format", "xlsx"],
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A package's workbook, its format from the extension, in Danish: the
/// library's package workbook, byte for byte (its content is checked in
/// tests/xlsx.rs).
#[test]
fn package_to_an_xlsx_file_writes_the_package_workbook() {
    let file = "examples/package/homeless-60.json";
    let (dir, path) = written("package-xlsx", "pakke.xlsx", &["run", file, "--lang", "da"]);
    let bytes = std::fs::read(&path).unwrap();
    let package = som::package::Package::from_file(file).unwrap();
    let kb = som::KnowledgeBase::embedded();
    let expected = som::report::xlsx::render_package(&package, kb, som::report::Lang::Da).unwrap();
    assert!(
        bytes == expected,
        "the CLI's workbook differs from render_package's"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unwritable_output_is_an_error_naming_the_file() {
    let out = som(&[
        "run",
        "--format",
        "xlsx",
        "--output",
        "/nonexistent-dir/case.xlsx",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/nonexistent-dir/case.xlsx"), "{err}");
}

#[test]
fn chart_prints_svg_or_writes_it_to_a_file() {
    let out = som(&["chart", "--kind", "flows"]);
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("<svg"));
    let out = som(&["chart", "no-such-scenario.json"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no-such-scenario.json")
    );
}

/// `som report -o x.txt` used to write HTML into a text file without a
/// word; an extension that names no report format is now an error that
/// names it and the way out, and nothing is written. With `--format html`
/// the user has said what they want, so the file is written.
#[test]
fn report_to_an_extension_that_names_no_report_format_is_an_error() {
    let dir = std::env::temp_dir().join(format!("som-cli-report-txt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.txt");
    let out = som(&["report", "--output", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`.txt`"), "{err}");
    assert!(err.contains("--format html|markdown"), "{err}");
    assert!(!path.exists());
    let (_, written) = written(
        "report-txt-html",
        "report.txt",
        &["report", "--format", "html"],
    );
    assert!(
        std::fs::read_to_string(written)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn report_writes_an_html_page_in_the_chosen_language() {
    let dir = std::env::temp_dir().join(format!("som-cli-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sag.html");
    let out = som(&["report", "--lang", "da", "--output", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.contains("<html lang=\"da\">"));
    std::fs::remove_dir_all(&dir).unwrap();
    let out = som(&["report"]);
    assert!(!out.status.success(), "--output is required");
}

#[test]
fn markdown_report_writes_the_page_and_its_charts() {
    let (dir, path) = written("md", "case.md", &["report", "--format", "markdown"]);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("11,685,965 DKK")
    );
    assert!(dir.join("case-flows.svg").exists());
    assert!(dir.join("case-cumulative.svg").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn markdown_report_has_the_sensitivity_of_the_html_report() {
    use som::analysis::{Baseline, sensitivity_by_grade};
    use som::report::Lang;
    let (dir, path) = written(
        "md-tornado",
        "sag.md",
        &["report", "--format", "markdown", "--lang", "da"],
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\n## Følsomhed\n"), "{text}");
    assert!(text.contains("](sag-tornado.svg)"), "{text}");
    // The amounts are right-aligned numbers, the unit in the header.
    assert!(
        text.contains("| Forudsætning | Nutidsværdi ved lav (kr.) | Nutidsværdi ved høj (kr.) | Udsving (kr.) |\n| :--- | ---: | ---: | ---: |"),
        "{text}"
    );
    // The example's lines are all graded 4 (the shelter line among them), so
    // each moves by ± 40 % in the tornado (evidence.json: grade 4, 40 %).
    assert!(text.contains("(grad 4, ± 40 %)"), "{text}");
    let svg = std::fs::read_to_string(dir.join("sag-tornado.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    // Every bar of the library's tornado is a row, with its two NPVs.
    let kb = som::KnowledgeBase::embedded();
    let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
    let tornado =
        sensitivity_by_grade(&base, rust_decimal::Decimal::new(2, 1), kb.evidence_scale()).unwrap();
    for bar in &tornado.bars {
        // An input with an end cut at the edge of its range is marked †.
        let input = Lang::Da.sensitivity_input(&bar.what, Some(kb));
        let input = if bar.is_cut() {
            format!("{input} †")
        } else {
            input
        };
        let row = format!(
            "| {} | {} | {} |",
            input.replace('|', "\\|"),
            Lang::Da.kroner(bar.npv_low),
            Lang::Da.kroner(bar.npv_high)
        );
        assert!(text.contains(&row), "no row {row} in\n{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
