//! Views over a [`Comparison`]: a text table, CSV, JSON and Markdown.
//!
//! Every view shows which way each row is better, marks the best values and
//! lists the pairs of cases that are not comparable as they stand.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::csv::{comma, semicolons};
use super::document::{column_widths, push_table};
use super::{Format, Lang, exact};
use crate::KnowledgeBase;
use crate::compare::{Better, Comparison, Difference, Mismatch, Row, Unit};

/// Renders a comparison in a format, in English.
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
/// In the table and Markdown a break-even year carries the years after the
/// case's start it is ranked by: `2030 (+4)`.
///
/// ```
/// use som::compare::Comparison;
/// use som::report::{Format, render_comparison};
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let c = Comparison::of(&[case]);
/// let csv = render_comparison(&c, Format::Csv);
/// assert!(csv.contains("npv_total,higher,11685964.974"));
/// ```
pub fn render(comparison: &Comparison, format: Format) -> String {
    render_in(comparison, format, Lang::En, None)
}

/// Renders a comparison in a format and a language. In Danish the table and
/// Markdown have Danish labels and numbers (1.234.567, 2,17, 11,5 %), with
/// discount schedules named from `kb`; the CSV is for a spreadsheet with
/// Danish settings: semicolons, Danish labels instead of metric ids, amounts
/// to the øre and ratios and shares to four decimals with a decimal comma.
/// JSON is for programs and does not change.
///
/// ```
/// use som::compare::Comparison;
/// use som::report::{Format, Lang, comparison};
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let c = Comparison::of(&[case]);
/// let csv = comparison::render_in(&c, Format::Csv, Lang::Da, Some(kb));
/// assert!(csv.contains("NNV, i alt (kr.);højere;11685964,97;"));
/// let table = comparison::render_in(&c, Format::Table, Lang::Da, Some(kb));
/// assert!(table.contains("11.685.965 *"));
/// ```
pub fn render_in(
    comparison: &Comparison,
    format: Format,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
) -> String {
    match format {
        Format::Table => table(comparison, lang, kb),
        Format::Markdown => markdown(comparison, lang, kb),
        Format::Csv => csv_with_rows(comparison, None, lang),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value(comparison)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// A value rounded for display: kroner without decimals, ratios with two,
/// shares as percentages with one, people with one when fractional; a
/// break-even year with the years after the case's start (`start_year`).
fn display(unit: Unit, v: Option<Decimal>, start_year: i32, lang: Lang) -> String {
    let Some(v) = v else {
        return match unit {
            Unit::Year => lang.pick("never", "aldrig").to_owned(),
            _ => lang.not_applicable().to_owned(),
        };
    };
    match unit {
        Unit::Kroner => lang.kroner(v),
        Unit::Ratio => lang.fixed(Some(v), 2),
        Unit::Share => lang.percent(v),
        Unit::Year => format!(
            "{} (+{})",
            v.normalize(),
            (v - Decimal::from(start_year)).normalize()
        ),
        Unit::People if v.fract().is_zero() => lang.fixed(Some(v), 0),
        Unit::People => lang.fixed(Some(v), 1),
    }
}

/// A row's label in a language; amounts say they are in kroner.
fn label(row: &Row, lang: Lang) -> String {
    let text = match lang {
        Lang::En => row.label,
        Lang::Da => danish_label(row.metric).unwrap_or(row.label),
    };
    match row.unit {
        Unit::Kroner => format!("{text} (kr.)"),
        _ => text.to_owned(),
    }
}

/// The Danish label of a metric, as `som run --lang da` names the figure.
fn danish_label(metric: &str) -> Option<&'static str> {
    Some(match metric {
        "participants" => "Deltagere",
        "successes" => "Succeser (netto)",
        "pv_costs" => "Nutidsværdi af omkostninger",
        "pv_gains" => "Nutidsværdi af gevinster",
        "npv_kommune" => "NNV, kommune",
        "npv_region" => "NNV, region",
        "npv_stat" => "NNV, stat",
        "npv_total" => "NNV, i alt",
        "npv_per_participant" => "NNV pr. deltager",
        "benefit_cost_ratio" => "Gevinst-omkostningsforhold",
        "break_even_year" => "Break-even-år",
        "break_even_success_rate" => "Break-even netto-succesrate",
        _ => return None,
    })
}

/// Which way is better, in a language.
fn better(b: Better, lang: Lang) -> &'static str {
    match b {
        Better::Higher => lang.pick("higher", "højere"),
        Better::Lower => lang.pick("lower", "lavere"),
    }
}

/// A difference between footings, in a language.
fn difference(d: Difference, lang: Lang) -> &'static str {
    match d {
        Difference::KnowledgeBase => lang.pick("knowledge_base", "vidensgrundlag"),
        Difference::PriceYear => lang.pick("price_year", "prisår"),
        Difference::Discounting => lang.pick("discounting", "diskontering"),
    }
}

/// What one case of a mismatch uses, in a language.
fn used(m: &Mismatch, text: &str, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    match m.kind {
        Difference::Discounting => lang.discounting_described(text, kb),
        Difference::KnowledgeBase | Difference::PriceYear => text.to_owned(),
    }
}

/// One line per pair of cases that is not comparable, in a language: what
/// [`Comparison::warnings`] gives in English.
///
/// ```
/// use som::compare::Comparison;
/// use som::report::{Lang, comparison};
/// let kb = som::KnowledgeBase::embedded();
/// let a = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let mut other = som::Scenario::example();
/// other.name = "B".into();
/// other.discounting = Some(som::scenario::Discounting::None);
/// let b = som::evaluate(&other, kb).unwrap();
/// let c = Comparison::of(&[a, b]);
/// let lines = comparison::warnings(&c, Lang::Da, Some(kb));
/// assert!(lines[0].ends_with("er ikke sammenlignelige, som de står: diskontering: Finansministeriets diskonteringsrente fra 2021 (dk-fm-2021) mod ingen"), "{}", lines[0]);
/// assert_eq!(comparison::warnings(&c, Lang::En, Some(kb)), c.warnings());
/// ```
pub fn warnings(c: &Comparison, lang: Lang, kb: Option<&KnowledgeBase>) -> Vec<String> {
    if lang == Lang::En {
        return c.warnings();
    }
    let mut counts: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for &f in &c.same_footing_as {
        *counts.entry(f).or_default() += 1;
    }
    c.not_comparable
        .iter()
        .map(|p| {
            let name = |i: usize| c.columns.get(i).map_or("?", |col| col.name.as_str());
            let differences: Vec<String> = p
                .differences
                .iter()
                .map(|m| {
                    let what = match m.kind {
                        Difference::KnowledgeBase => "vidensgrundlag",
                        Difference::PriceYear => "prisår",
                        Difference::Discounting => "diskontering",
                    };
                    format!(
                        "{what}: {} mod {}",
                        used(m, &m.first, lang, kb),
                        used(m, &m.second, lang, kb)
                    )
                })
                .collect();
            let mut line = format!(
                "\"{}\" og \"{}\" er ikke sammenlignelige, som de står: {}",
                name(p.first),
                name(p.second),
                differences.join("; ")
            );
            if c.by_footing() {
                let (a, b) = (counts[&p.first], counts[&p.second]);
                if a > 1 || b > 1 {
                    line.push_str(&format!(
                        " (det gælder alle {a} sag(er) på grundlaget for \"{}\" over for alle {b} på grundlaget for \"{}\")",
                        name(p.first),
                        name(p.second)
                    ));
                }
            }
            line
        })
        .collect()
}

/// A case's footing in words: price year, discounting, knowledge base.
fn footing(col: &crate::compare::Column, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let discounting = lang.discounting_described(&col.discounting, kb);
    match lang {
        Lang::En => format!(
            "{} prices, {discounting}, knowledge base {}",
            col.price_year, col.knowledge_base_version
        ),
        Lang::Da => format!(
            "{}-priser, {discounting}, vidensgrundlag {}",
            col.price_year, col.knowledge_base_version
        ),
    }
}

fn cells(row: &Row, c: &Comparison, lang: Lang) -> impl Iterator<Item = (String, bool)> {
    row.values
        .iter()
        .zip(&row.best)
        .zip(&c.columns)
        .map(move |((v, best), col)| (display(row.unit, *v, col.start_year, lang), *best))
}

fn table(c: &Comparison, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let title = lang.pick(
        "Comparison of business cases",
        "Sammenligning af business cases",
    );
    let mut out = format!("{title}\n{}\n\n", "=".repeat(title.chars().count()));
    for (i, col) in c.columns.iter().enumerate() {
        out.push_str(&format!(
            "#{}  {} ({})\n",
            i + 1,
            col.name,
            footing(col, lang, kb)
        ));
    }
    let mut headers = vec![
        lang.pick("Figure", "Nøgletal").to_owned(),
        lang.pick("Better", "Bedst er").to_owned(),
    ];
    headers.extend((1..=c.columns.len()).map(|i| format!("#{i}")));
    let rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|row| {
            let mut line = vec![label(row, lang), better(row.better, lang).to_owned()];
            line.extend(cells(row, c, lang).map(|(shown, best)| {
                if best {
                    format!("{shown} *")
                } else {
                    format!("{shown}  ")
                }
            }));
            line
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
    out.push('\n');
    out.push_str(lang.pick(
        "* best in the row (ties all marked); \"Better\" says which way is better.\n",
        "* bedst i rækken (ved lighed er alle markeret); \"Bedst er\" siger, hvilken vej der er bedst.\n",
    ));
    out.push_str(lang.pick(
        "Break-even is ranked by the years after each case's start (+N), not by calendar year.\n",
        "Break-even rangeres efter årene efter hver sags start (+N), ikke efter kalenderår.\n",
    ));
    out.push_str(&warnings_text(c, lang, kb));
    out
}

fn warnings_text(c: &Comparison, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let warnings = warnings(c, lang, kb);
    if warnings.is_empty() {
        return lang
            .pick(
                "All cases use the same knowledge base, price year and discounting.\n",
                "Alle sager bruger samme vidensgrundlag, prisår og diskontering.\n",
            )
            .to_owned();
    }
    let mut out = format!(
        "\n{}\n",
        lang.pick(
            "NOT COMPARABLE AS THEY STAND",
            "IKKE SAMMENLIGNELIGE, SOM DE STÅR"
        )
    );
    for w in warnings {
        out.push_str(&format!("- {w}\n"));
    }
    out
}

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

fn markdown(c: &Comparison, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let mut out = format!(
        "# {}\n\n",
        lang.pick(
            "Comparison of business cases",
            "Sammenligning af business cases"
        )
    );
    let mut headers = vec![
        lang.pick("Figure", "Nøgletal").to_owned(),
        lang.pick("Better", "Bedst er").to_owned(),
    ];
    headers.extend(c.columns.iter().map(|col| escape(&col.name)));
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    let align: Vec<&str> = (0..headers.len())
        .map(|i| if i < 2 { ":---" } else { "---:" })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in &c.rows {
        let mut line = vec![label(row, lang), better(row.better, lang).to_owned()];
        line.extend(cells(row, c, lang).map(
            |(shown, best)| {
                if best { format!("**{shown}**") } else { shown }
            },
        ));
        out.push_str(&format!("| {} |\n", line.join(" | ")));
    }
    out.push_str(lang.pick(
        "\nBest value in each row in **bold** (ties all marked). Break-even is ranked by the years after each case's start (+N), not by calendar year.\n\n",
        "\nBedste værdi i hver række med **fed** (ved lighed er alle markeret). Break-even rangeres efter årene efter hver sags start (+N), ikke efter kalenderår.\n\n",
    ));
    out.push_str(lang.pick("## Footing\n\n", "## Grundlag\n\n"));
    for col in &c.columns {
        out.push_str(&format!(
            "- **{}**: {} (sha256 {})\n",
            escape(&col.name),
            footing(col, lang, kb),
            col.knowledge_base_hash
        ));
    }
    let warnings = warnings(c, lang, kb);
    if !warnings.is_empty() {
        out.push_str(lang.pick(
            "\n## Not comparable as they stand\n\n",
            "\n## Ikke sammenlignelige, som de står\n\n",
        ));
        for w in warnings {
            out.push_str(&format!("- {}\n", escape(&w)));
        }
    }
    out
}

/// A value in the Danish CSV: amounts to the øre, ratios and shares to four
/// decimals, people to two, years whole; empty when there is none.
fn danish_cell(unit: Unit, v: Option<Decimal>) -> String {
    let Some(v) = v else {
        return String::new();
    };
    match unit {
        Unit::Kroner => comma(v, 2),
        Unit::Ratio | Unit::Share => comma(v, 4),
        Unit::People => comma(v, 2),
        Unit::Year => v.normalize().to_string(),
    }
}

/// The CSV view; with `rows`, a `row` line under the header gives each
/// column's row in a batch's CSV. In Danish: semicolons, Danish labels and
/// decimal commas ([`render_in`]).
pub(crate) fn csv_with_rows(c: &Comparison, rows: Option<&[usize]>, lang: Lang) -> String {
    let mut header = vec![
        lang.pick("metric", "Nøgletal").to_owned(),
        lang.pick("better", "Bedst er").to_owned(),
    ];
    header.extend(c.columns.iter().map(|col| col.name.clone()));
    header.push(lang.pick("best", "Bedst").to_owned());
    let mut records = vec![header];
    if let Some(rows) = rows {
        let mut record = vec![lang.pick("row", "Række").to_owned(), String::new()];
        record.extend(rows.iter().map(usize::to_string));
        record.push(String::new());
        records.push(record);
    }
    for row in &c.rows {
        let mut record = match lang {
            Lang::En => vec![row.metric.to_owned(), row.better.id().to_owned()],
            Lang::Da => vec![label(row, lang), better(row.better, lang).to_owned()],
        };
        record.extend(row.values.iter().map(|v| match lang {
            Lang::En => v.map_or_else(String::new, exact),
            Lang::Da => danish_cell(row.unit, *v),
        }));
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
    let mut flags = vec![
        lang.pick("not_comparable_with", "Ikke sammenlignelig med")
            .to_owned(),
        String::new(),
    ];
    // Each case's list, built once from the pairs: linear in cases and pairs.
    let mut with: std::collections::HashMap<usize, Vec<String>> = std::collections::HashMap::new();
    for p in &c.not_comparable {
        let why = p
            .differences
            .iter()
            .map(|d| difference(d.kind, lang))
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
            Some(list) if list.len() > 5 => format!(
                "{}; {} {} {}",
                list[..5].join("; "),
                lang.pick("and", "og"),
                list.len() - 5,
                lang.pick("more", "flere")
            ),
            Some(list) => list.join("; "),
        }
    }));
    flags.push(String::new());
    records.push(flags);
    match lang {
        Lang::Da => semicolons(records),
        Lang::En => {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            for record in records {
                // Writing to a Vec cannot fail.
                let _ = w.write_record(&record);
            }
            w.into_inner()
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_default()
        }
    }
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
