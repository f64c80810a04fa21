//! Views over a [`Batch`]: one summary line per row, then the good rows'
//! business cases side by side (the [`comparison`] views).
//!
//! Problems are part of the JSON view; the other views leave them to the
//! caller (`som batch` prints them to stderr) and only say how many rows failed.

use serde_json::{Value, json};

use super::document::{column_widths, push_table};
use super::{Format, Lang, comparison};
use crate::KnowledgeBase;
use crate::batch::{Batch, Report};

/// Renders a batch in a format, in English.
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
/// assert!(text.contains("11,685,965"));
/// ```
pub fn render(batch: &Batch, format: Format) -> String {
    render_report(&Report::of(batch), format)
}

/// Renders a batch's [`Report`] (what `som batch` keeps as rows stream by)
/// in a format, as [`render`] renders the whole batch.
pub fn render_report(batch: &Report, format: Format) -> String {
    render_report_in(batch, format, Lang::En, None)
}

/// Renders a batch's [`Report`] in a format and a language: in Danish the
/// table and Markdown have Danish labels and numbers, and the CSV is the
/// Danish comparison CSV ([`comparison::render_in`]); JSON does not change.
///
/// ```
/// use som::report::{Format, Lang, batch};
/// let kb = som::KnowledgeBase::embedded();
/// let b = som::batch::run(&som::Scenario::example(), "name\nA\n", kb);
/// let report = som::batch::Report::of(&b);
/// let text = batch::render_report_in(&report, Format::Table, Lang::Da, Some(kb));
/// assert!(text.contains("Række"));
/// assert!(text.contains("11.685.965"));
/// ```
pub fn render_report_in(
    batch: &Report,
    format: Format,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
) -> String {
    let c = batch.comparison();
    let good_rows: Vec<usize> = batch
        .lines()
        .iter()
        .filter(|r| r.result.is_ok())
        .map(|r| r.row)
        .collect();
    match format {
        Format::Table => {
            let mut out = summary_table(batch, lang);
            out.push('\n');
            out.push_str(&comparison::render_in(&c, Format::Table, lang, kb));
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "# {}\n\n",
                lang.pick("Batch of business cases", "Kørsel af business cases")
            );
            let lines = summary_lines(batch, lang);
            out.push_str(&format!("| {} |\n", headers(lang).join(" | ")));
            out.push_str("| ---: | :--- | ---: | ---: | ---: | ---: |\n");
            for cells in lines {
                let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out.push('\n');
            out.push_str(&counts(batch, lang));
            out.push_str("\n\n");
            out.push_str(
                &comparison::render_in(&c, Format::Markdown, lang, kb).replacen("# ", "## ", 1),
            );
            out
        }
        Format::Csv => comparison::csv_with_rows(&c, Some(&good_rows), lang),
        Format::Json => report_json(batch, &c),
    }
}

/// The summary table's column headers.
fn headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => [
            "Row",
            "Scenario",
            "NPV, total (kr.)",
            "NPV, kommune (kr.)",
            "Benefit-cost ratio",
            "Break-even year",
        ],
        Lang::Da => [
            "Række",
            "Scenarie",
            "NNV, i alt (kr.)",
            "NNV, kommune (kr.)",
            "Gevinst-omkostningsforhold",
            "Break-even-år",
        ],
    }
}

fn counts(batch: &Report, lang: Lang) -> String {
    let lines = batch.lines();
    let failed = lines.iter().filter(|r| r.result.is_err()).count();
    let (all, computed) = (lines.len(), lines.len() - failed);
    let header = batch.header_problems().len();
    let mut out = match lang {
        Lang::En => format!("{all} row(s): {computed} computed, {failed} with problems"),
        Lang::Da => format!("{all} række(r): {computed} beregnet, {failed} med problemer"),
    };
    if header > 0 {
        out.push_str(&match lang {
            Lang::En => format!("; {header} problem(s) with the header"),
            Lang::Da => format!("; {header} problem(er) med overskriftslinjen"),
        });
    }
    out.push('.');
    out
}

fn summary_lines(batch: &Report, lang: Lang) -> Vec<Vec<String>> {
    batch
        .lines()
        .iter()
        .map(|r| match &r.result {
            Ok(s) => {
                vec![
                    r.row.to_string(),
                    r.name.clone(),
                    lang.kroner(s.npv.total),
                    lang.kroner(s.npv.kommune),
                    lang.fixed(s.benefit_cost_ratio, 2),
                    s.break_even_year.map_or_else(
                        || lang.pick("never", "aldrig").to_owned(),
                        |y| y.to_string(),
                    ),
                ]
            }
            Err(problems) => vec![
                r.row.to_string(),
                r.name.clone(),
                match lang {
                    Lang::En => format!("{NOT_COMPUTED}: {} problem(s)", problems.len()),
                    Lang::Da => format!("{IKKE_BEREGNET}: {} problem(er)", problems.len()),
                },
                String::new(),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

/// How a failed row starts, in English and in Danish.
const NOT_COMPUTED: &str = "not computed";
const IKKE_BEREGNET: &str = "ikke beregnet";

fn summary_table(batch: &Report, lang: Lang) -> String {
    let headers: Vec<String> = headers(lang).iter().map(|h| (*h).to_owned()).collect();
    let rows = summary_lines(batch, lang);
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
    let title = lang.pick("Batch of business cases", "Kørsel af business cases");
    let mut out = format!("{title}\n{}\n\n", "=".repeat(title.chars().count()));
    push_table(&mut out, &headers, &rows, &widths, |i, c, w| match i {
        1 => format!("{c:<w$}"),
        _ if c.starts_with(NOT_COMPUTED) || c.starts_with(IKKE_BEREGNET) => c.to_owned(),
        _ => format!("{c:>w$}"),
    });
    out.push('\n');
    out.push_str(&counts(batch, lang));
    if !batch.is_ok() {
        out.push_str(lang.pick(
            " The problems are listed on stderr.",
            " Problemerne står på stderr.",
        ));
    }
    out.push('\n');
    out
}

/// The batch as a JSON value (what `--format json` prints).
pub fn value(batch: &Batch) -> Value {
    let report = Report::of(batch);
    report_value(&report, &report.comparison())
}

fn row_value(r: &crate::batch::Line) -> Value {
    match &r.result {
        Ok(summary) => json!({
            "row": r.row,
            "name": r.name,
            "ok": true,
            "summary": super::json::summary_value(summary),
        }),
        Err(problems) => json!({
            "row": r.row,
            "name": r.name,
            "ok": false,
            "problems": problems,
        }),
    }
}

fn report_value(batch: &Report, comparison: &crate::Comparison) -> Value {
    let rows: Vec<Value> = batch.lines().iter().map(row_value).collect();
    json!({
        "rows": rows,
        "header_problems": batch.header_problems(),
        "comparison": comparison::value(comparison),
    })
}

/// The JSON text of [`report_value`], byte for byte, written row by row so
/// that no JSON tree of every row is built at once.
fn report_json(batch: &Report, comparison: &crate::Comparison) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(batch, comparison, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn write_json(
    batch: &Report,
    comparison: &crate::Comparison,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(b"{\n  \"rows\": ")?;
    comparison::write_array(batch.lines(), 1, row_value, out)?;
    out.write_all(b",\n  \"header_problems\": ")?;
    comparison::write_array(
        batch.header_problems(),
        1,
        |p| serde_json::to_value(p).unwrap_or(Value::Null),
        out,
    )?;
    out.write_all(b",\n  \"comparison\": ")?;
    comparison::write_json_at(comparison, 1, out)?;
    out.write_all(b"\n}\n")
}

/// Writes a batch's [`Report`] in a format, as [`render_report`] renders it;
/// the JSON rows go out one at a time instead of as one string.
pub fn write_report(
    batch: &Report,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_report_in(batch, format, Lang::En, None, out)
}

/// Writes a batch's [`Report`] in a format and a language, as
/// [`render_report_in`] renders it.
pub fn write_report_in(
    batch: &Report,
    format: Format,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(batch, &batch.comparison(), out),
        _ => out.write_all(render_report_in(batch, format, lang, kb).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_written_row_by_row_equals_the_json_tree() {
        let kb = crate::KnowledgeBase::embedded();
        let template = crate::Scenario::example();
        for csv in [
            "name,participants\nA,10\nB,x\n\nC,30\n",
            "name,bogus\n",
            "name\n",
            "name,price_year,participants\nA,2025,1\nB,2024,2\nC,2024,3\n",
        ] {
            let report = Report::of(&crate::batch::run(&template, csv, kb));
            let c = report.comparison();
            let mut tree = serde_json::to_string_pretty(&report_value(&report, &c)).unwrap();
            tree.push('\n');
            assert_eq!(report_json(&report, &c), tree, "{csv}");
        }
    }
}
