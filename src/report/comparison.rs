//! Views over a [`Comparison`]: a text table, CSV, JSON and Markdown.
//!
//! Every view shows which way each row is better, marks the best values and
//! lists the pairs of cases that are not comparable as they stand.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::document::{column_widths, push_table};
use super::{Format, exact, fixed, kroner};
use crate::compare::{Comparison, Row, Unit};

/// Renders a comparison in a format.
///
/// - `Table`: aligned text; columns are numbered `#1`, `#2` ... with the
///   names listed above; the best value of a row carries a `*`.
/// - `Markdown`: a table with the scenario names as headers; best values in bold.
/// - `Csv`: one line per metric (`metric,better,<name>...,best`) at full
///   precision, `best` naming the best cases (`; `-separated), and a final
///   `not_comparable_with` line giving, per case, the cases it is not
///   comparable with and why.
/// - `Json`: `{"scenarios", "rows", "not_comparable"}`, decimals as strings
///   at full precision, break-even years as numbers, missing values as `null`.
///
/// ```
/// use som::compare::Comparison;
/// use som::report::{Format, render_comparison};
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let c = Comparison::of(&[case]);
/// let csv = render_comparison(&c, Format::Csv);
/// assert!(csv.contains("npv_total,higher,11701234.359"));
/// ```
pub fn render(comparison: &Comparison, format: Format) -> String {
    match format {
        Format::Table => table(comparison),
        Format::Markdown => markdown(comparison),
        Format::Csv => csv_with_rows(comparison, None),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value(comparison)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// A value rounded for display: kroner without decimals, ratios with two,
/// shares as percentages with one, people with one when fractional.
fn display(unit: Unit, v: Option<Decimal>) -> String {
    let Some(v) = v else {
        return match unit {
            Unit::Year => "never".to_owned(),
            _ => "n/a".to_owned(),
        };
    };
    match unit {
        Unit::Kroner => kroner(v),
        Unit::Ratio => fixed(Some(v), 2),
        Unit::Share => format!("{} %", fixed(Some(v * Decimal::ONE_HUNDRED), 1)),
        Unit::Year => v.normalize().to_string(),
        Unit::People if v.fract().is_zero() => fixed(Some(v), 0),
        Unit::People => fixed(Some(v), 1),
    }
}

fn label(row: &Row) -> String {
    match row.unit {
        Unit::Kroner => format!("{} (kr.)", row.label),
        _ => row.label.to_owned(),
    }
}

fn table(c: &Comparison) -> String {
    let mut out = String::from("Comparison of business cases\n============================\n\n");
    for (i, col) in c.columns.iter().enumerate() {
        out.push_str(&format!(
            "#{}  {} ({} prices, {}, knowledge base {})\n",
            i + 1,
            col.name,
            col.price_year,
            col.discounting,
            col.knowledge_base_version
        ));
    }
    let mut headers = vec!["Figure".to_owned(), "Better".to_owned()];
    headers.extend((1..=c.columns.len()).map(|i| format!("#{i}")));
    let rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![label(row), row.better.id().to_owned()];
            cells.extend(row.values.iter().zip(&row.best).map(|(v, best)| {
                let shown = display(row.unit, *v);
                if *best {
                    format!("{shown} *")
                } else {
                    format!("{shown}  ")
                }
            }));
            cells
        })
        .collect();
    let widths = column_widths(
        headers.len(),
        std::iter::once(headers.as_slice()).chain(rows.iter().map(Vec::as_slice)),
    );
    out.push('\n');
    // Headers of value columns line up with the numbers, not with the markers.
    let mut header_cells = headers.clone();
    for h in header_cells.iter_mut().skip(2) {
        h.push_str("  ");
    }
    push_table(&mut out, &header_cells, &rows, &widths, |i, cell, w| {
        if i < 2 {
            format!("{cell:<w$}")
        } else {
            format!("{cell:>w$}")
        }
    });
    out.push_str("\n* best in the row (ties all marked); \"Better\" says which way is better.\n");
    out.push_str(&warnings_text(c));
    out
}

fn warnings_text(c: &Comparison) -> String {
    let warnings = c.warnings();
    if warnings.is_empty() {
        return "All cases use the same knowledge base, price year and discounting.\n".to_owned();
    }
    let mut out = String::from("\nNOT COMPARABLE AS THEY STAND\n");
    for w in warnings {
        out.push_str(&format!("- {w}\n"));
    }
    out
}

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

fn markdown(c: &Comparison) -> String {
    let mut out = String::from("# Comparison of business cases\n\n");
    let mut headers = vec!["Figure".to_owned(), "Better".to_owned()];
    headers.extend(c.columns.iter().map(|col| escape(&col.name)));
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    let align: Vec<&str> = (0..headers.len())
        .map(|i| if i < 2 { ":---" } else { "---:" })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in &c.rows {
        let mut cells = vec![label(row), row.better.id().to_owned()];
        cells.extend(row.values.iter().zip(&row.best).map(|(v, best)| {
            let shown = display(row.unit, *v);
            if *best { format!("**{shown}**") } else { shown }
        }));
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push_str("\nBest value in each row in **bold** (ties all marked).\n\n");
    out.push_str("## Footing\n\n");
    for col in &c.columns {
        out.push_str(&format!(
            "- **{}**: {} prices, {}, knowledge base {} (sha256 {})\n",
            escape(&col.name),
            col.price_year,
            col.discounting,
            col.knowledge_base_version,
            col.knowledge_base_hash
        ));
    }
    let warnings = c.warnings();
    if !warnings.is_empty() {
        out.push_str("\n## Not comparable as they stand\n\n");
        for w in warnings {
            out.push_str(&format!("- {}\n", escape(&w)));
        }
    }
    out
}

/// The CSV view; with `rows`, a `row` line under the header gives each
/// column's row in a batch's CSV.
pub(crate) fn csv_with_rows(c: &Comparison, rows: Option<&[usize]>) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["metric".to_owned(), "better".to_owned()];
    header.extend(c.columns.iter().map(|col| col.name.clone()));
    header.push("best".to_owned());
    let mut records = vec![header];
    if let Some(rows) = rows {
        let mut record = vec!["row".to_owned(), String::new()];
        record.extend(rows.iter().map(usize::to_string));
        record.push(String::new());
        records.push(record);
    }
    for row in &c.rows {
        let mut record = vec![row.metric.to_owned(), row.better.id().to_owned()];
        record.extend(row.values.iter().map(|v| v.map_or_else(String::new, exact)));
        record.push(
            c.columns
                .iter()
                .zip(&row.best)
                .filter(|(_, best)| **best)
                .map(|(col, _)| col.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
        records.push(record);
    }
    let mut flags = vec!["not_comparable_with".to_owned(), String::new()];
    // Each case's list, built once from the pairs: linear in cases and pairs.
    let mut with: std::collections::HashMap<usize, Vec<String>> = std::collections::HashMap::new();
    for p in &c.not_comparable {
        let why = p
            .differences
            .iter()
            .map(|d| d.kind.id())
            .collect::<Vec<_>>()
            .join(", ");
        for (me, other) in [(p.first, p.second), (p.second, p.first)] {
            let name = c.columns.get(other).map_or("?", |col| col.name.as_str());
            with.entry(me).or_default().push(format!("{name} ({why})"));
        }
    }
    flags.extend((0..c.columns.len()).map(|i| {
        // A batch pairs footings: a case takes the list of its footing's first case.
        let key = if c.by_footing() {
            c.same_footing_as.get(i).copied().unwrap_or(i)
        } else {
            i
        };
        match with.get(&key) {
            None => String::new(),
            Some(list) if list.len() > 5 => {
                format!("{}; and {} more", list[..5].join("; "), list.len() - 5)
            }
            Some(list) => list.join("; "),
        }
    }));
    flags.push(String::new());
    records.push(flags);
    for record in records {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&record);
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The comparison as a JSON value (what `--format json` prints).
///
/// ```
/// use som::compare::Comparison;
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let v = som::report::comparison::value(&Comparison::of(&[case]));
/// assert_eq!(v["rows"][10]["metric"], "break_even_year");
/// assert_eq!(v["rows"][10]["values"][0], 2030);
/// ```
pub fn value(c: &Comparison) -> Value {
    let rows: Vec<Value> = c.rows.iter().map(row_value).collect();
    json!({
        "scenarios": c.columns,
        "rows": rows,
        "comparable": c.is_comparable(),
        "not_comparable": c.not_comparable,
    })
}

fn row_value(row: &Row) -> Value {
    let values: Vec<Value> = row
        .values
        .iter()
        .map(|v| match (row.unit, v) {
            (_, None) => Value::Null,
            (Unit::Year, Some(y)) => {
                serde_json::from_str(&y.normalize().to_string()).unwrap_or(Value::Null)
            }
            (_, Some(v)) => Value::String(exact(*v)),
        })
        .collect();
    json!({
        "metric": row.metric,
        "label": row.label,
        "unit": row.unit,
        "better": row.better,
        "why": row.why,
        "values": values,
        "best": row.best,
    })
}

/// `value` pretty-printed as if nested `depth` levels deep (two spaces a level).
pub(crate) fn pretty_at(value: &Value, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// Writes a JSON array of `items` pretty-printed at `depth`, one item at a time.
pub(crate) fn write_array<T>(
    items: &[T],
    depth: usize,
    item: impl Fn(&T) -> Value,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let inner = "  ".repeat(depth + 1);
    out.write_all(b"[\n")?;
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(inner.as_bytes())?;
        out.write_all(pretty_at(&item(x), depth + 1).as_bytes())?;
    }
    write!(out, "\n{}]", "  ".repeat(depth))
}

/// Writes [`value`] pretty-printed at `depth`, byte for byte, without
/// building the JSON tree of every column at once (a batch may have 100.000).
pub(crate) fn write_json_at(
    c: &Comparison,
    depth: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let pad = "  ".repeat(depth + 1);
    write!(out, "{{\n{pad}\"scenarios\": ")?;
    write_array(
        &c.columns,
        depth + 1,
        |col| serde_json::to_value(col).unwrap_or(Value::Null),
        out,
    )?;
    write!(out, ",\n{pad}\"rows\": ")?;
    write_array(&c.rows, depth + 1, row_value, out)?;
    write!(out, ",\n{pad}\"comparable\": {}", c.is_comparable())?;
    write!(out, ",\n{pad}\"not_comparable\": ")?;
    write_array(
        &c.not_comparable,
        depth + 1,
        |p| serde_json::to_value(p).unwrap_or(Value::Null),
        out,
    )?;
    write!(out, "\n{}}}", "  ".repeat(depth))
}
