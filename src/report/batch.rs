//! Views over a [`Batch`]: one summary line per row, then the good rows'
//! business cases side by side (the [`comparison`] views).
//!
//! Problems are part of the JSON view; the other views leave them to the
//! caller (`som batch` prints them to stderr) and only say how many rows failed.

use serde_json::{Value, json};

use super::document::{column_widths, push_table};
use super::{Format, comparison, fixed, kroner};
use crate::batch::Batch;

/// Renders a batch in a format.
///
/// - `Table` and `Markdown`: a summary line per row (NPV in total and for the
///   kommune, benefit-cost ratio, break-even year; or how many problems the
///   row has), then the comparison.
/// - `Csv`: the comparison CSV with a `row` line under the header giving each
///   column's spreadsheet row.
/// - `Json`: `{"rows": [{"row", "name", "ok", "summary" | "problems"}],
///   "header_problems", "comparison"}`, the summary as in `som run --format json`.
///
/// ```
/// use som::report::{Format, render_batch};
/// let b = som::batch::run(&som::Scenario::example(), "name\nA\n", som::KnowledgeBase::embedded());
/// let text = render_batch(&b, Format::Table);
/// assert!(text.contains("  2  A "));
/// assert!(text.contains("17,010,561"));
/// ```
pub fn render(batch: &Batch, format: Format) -> String {
    let c = batch.comparison();
    let good_rows: Vec<usize> = batch
        .rows
        .iter()
        .filter(|r| r.result.is_ok())
        .map(|r| r.row)
        .collect();
    match format {
        Format::Table => {
            let mut out = summary_table(batch);
            out.push('\n');
            out.push_str(&comparison::render(&c, Format::Table));
            out
        }
        Format::Markdown => {
            let mut out = String::from("# Batch of business cases\n\n");
            let lines = summary_lines(batch);
            out.push_str("| Row | Scenario | NPV, total (kr.) | NPV, kommune (kr.) | Benefit-cost ratio | Break-even year |\n");
            out.push_str("| ---: | :--- | ---: | ---: | ---: | ---: |\n");
            for cells in lines {
                let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out.push('\n');
            out.push_str(&counts(batch));
            out.push_str("\n\n");
            out.push_str(&comparison::render(&c, Format::Markdown).replacen("# ", "## ", 1));
            out
        }
        Format::Csv => comparison::csv_with_rows(&c, Some(&good_rows)),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value(batch)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

fn counts(batch: &Batch) -> String {
    let failed = batch.rows.iter().filter(|r| r.result.is_err()).count();
    let mut out = format!(
        "{} row(s): {} computed, {} with problems",
        batch.rows.len(),
        batch.rows.len() - failed,
        failed
    );
    if !batch.header_problems.is_empty() {
        out.push_str(&format!(
            "; {} problem(s) with the header",
            batch.header_problems.len()
        ));
    }
    out.push('.');
    out
}

fn summary_lines(batch: &Batch) -> Vec<Vec<String>> {
    batch
        .rows
        .iter()
        .map(|r| match &r.result {
            Ok(case) => {
                let s = &case.summary;
                vec![
                    r.row.to_string(),
                    r.name.clone(),
                    kroner(s.npv.total),
                    kroner(s.npv.kommune),
                    fixed(s.benefit_cost_ratio, 2),
                    s.break_even_year
                        .map_or_else(|| "never".to_owned(), |y| y.to_string()),
                ]
            }
            Err(problems) => vec![
                r.row.to_string(),
                r.name.clone(),
                format!("not computed: {} problem(s)", problems.len()),
                String::new(),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

fn summary_table(batch: &Batch) -> String {
    let headers: Vec<String> = [
        "Row",
        "Scenario",
        "NPV, total (kr.)",
        "NPV, kommune (kr.)",
        "Benefit-cost ratio",
        "Break-even year",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let rows = summary_lines(batch);
    // A failed row's message spans the figure columns: keep it out of their widths.
    let widths = column_widths(
        headers.len(),
        std::iter::once(headers.as_slice()).chain(rows.iter().map(|row| {
            if row[3].is_empty() {
                &row[..2]
            } else {
                &row[..]
            }
        })),
    );
    let mut out = String::from("Batch of business cases\n=======================\n\n");
    push_table(&mut out, &headers, &rows, &widths, |i, c, w| match i {
        1 => format!("{c:<w$}"),
        _ if c.starts_with("not computed") => c.to_owned(),
        _ => format!("{c:>w$}"),
    });
    out.push('\n');
    out.push_str(&counts(batch));
    if !batch.is_ok() {
        out.push_str(" The problems are listed on stderr.");
    }
    out.push('\n');
    out
}

/// The batch as a JSON value (what `--format json` prints).
pub fn value(batch: &Batch) -> Value {
    let rows: Vec<Value> = batch
        .rows
        .iter()
        .map(|r| match &r.result {
            Ok(case) => json!({
                "row": r.row,
                "name": r.name,
                "ok": true,
                "summary": super::json::summary_value(&case.summary),
            }),
            Err(problems) => json!({
                "row": r.row,
                "name": r.name,
                "ok": false,
                "problems": problems,
            }),
        })
        .collect();
    json!({
        "rows": rows,
        "header_problems": batch.header_problems,
        "comparison": comparison::value(&batch.comparison()),
    })
}
