//! A target group's yearly use from CSV as a spreadsheet saves it:
//! semicolons and decimal commas, or commas and decimal points; UTF-8 or
//! Windows-1252.

use super::*;

/// A CSV file's text and how it was read.
pub(super) struct CsvFile {
    pub(super) file: String,
    pub(super) text: String,
    pub(super) encoding: &'static str,
    pub(super) separator: char,
}

pub(super) fn read_csv_file(path: &Path) -> Result<CsvFile, Problem> {
    let rows = crate::batch::read_rows(path)?;
    let separator = crate::batch::delimiter(&rows.text) as char;
    Ok(CsvFile {
        file: path.display().to_string(),
        encoding: rows.transcoded_from.unwrap_or("utf-8"),
        text: rows.text,
        separator,
    })
}

/// Reads a target group's yearly use from CSV text as a spreadsheet saves
/// it. Columns: `service` (an id in the knowledge base), `per_citizen` or
/// `total` (one of them in each row), and optionally `success_keeps`.
/// Columns are separated by semicolons (then the comma is the decimal
/// mark: `129,5`, `1.506,85`) or by commas (then the point is), as
/// [`crate::batch`] reads them. Each bad cell is a problem naming its row
/// (the header is row 1) and column, and its row is left out; the other
/// rows are kept.
///
/// ```
/// let (uses, problems) = som::potential::uses_from_csv(
///     "service;per_citizen;total\nshelter-day;129,5;\nprison-day;;abc\n", "use.csv");
/// assert_eq!(uses.len(), 1);
/// assert_eq!(uses[0].amount, som::potential::UseAmount::PerCitizen("129.5".parse().unwrap()));
/// assert_eq!(problems[0].path, "row 3, column `total`");
/// ```
pub fn uses_from_csv(text: &str, file: &str) -> (Vec<ServiceUse>, Vec<Problem>) {
    use crate::number::notation::{self, DecimalMark};
    let separator = crate::batch::delimiter(text);
    let mark = if separator == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    let mut problems = Vec::new();
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => {
            problems.push(Problem::new(
                file,
                "row 1",
                "",
                format!("a CSV header: {e}"),
            ));
            return (Vec::new(), problems);
        }
    };
    let mut columns: Vec<Option<usize>> = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        match CSV_COLUMNS.iter().position(|c| c == name) {
            Some(k) if columns.contains(&Some(k)) => {
                problems.push(Problem::new(
                    file,
                    format!("row 1, column {}", i + 1),
                    format!("`{name}` a second time"),
                    "each column once",
                ));
                columns.push(None);
            }
            Some(k) => columns.push(Some(k)),
            None if name.is_empty() => columns.push(None),
            None => {
                problems.push(
                    Problem::new(
                        file,
                        format!("row 1, column {}", i + 1),
                        format!("`{name}`"),
                        format!("one of the columns {}", CSV_COLUMNS.join(", ")),
                    )
                    .suggest(name, CSV_COLUMNS),
                );
                columns.push(None);
            }
        }
    }
    if !columns.contains(&Some(0)) {
        problems.push(Problem::new(
            file,
            "row 1",
            header.join(&(separator as char).to_string()),
            "a header with a `service` column",
        ));
        return (Vec::new(), problems);
    }
    let mut uses = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let row = k + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(
                    file,
                    format!("row {row}"),
                    "",
                    format!("a CSV row: {e}"),
                ));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells: [Option<&str>; 4] = [None; 4];
        let mut bad = false;
        for (i, cell) in record.iter().enumerate() {
            let cell = cell.trim();
            match columns.get(i).copied().flatten() {
                Some(c) if !cell.is_empty() => cells[c] = Some(cell),
                None if !cell.is_empty() => {
                    problems.push(Problem::new(
                        file,
                        format!("row {row}, column {}", i + 1),
                        format!("`{cell}`"),
                        "an empty cell: the column has no known name",
                    ));
                    bad = true;
                }
                _ => {}
            }
        }
        let mut number = |column: usize, share: bool| -> Option<Decimal> {
            let cell = cells[column]?;
            let at = format!("row {row}, column `{}`", CSV_COLUMNS[column]);
            match notation::read(cell, mark) {
                Ok(d) if d < Decimal::ZERO || (share && d > Decimal::ONE) => {
                    let expected = if share {
                        "a share between 0 and 1"
                    } else {
                        "a number of at least 0"
                    };
                    problems.push(Problem::new(file, at, format!("`{cell}`"), expected));
                    bad = true;
                    None
                }
                Ok(d) => Some(d),
                Err(message) => {
                    problems.push(if notation::refusal_in(cell, mark).is_some() {
                        Problem::new(file, at, "", message)
                    } else {
                        Problem::new(file, at, format!("`{cell}`"), "a number")
                    });
                    bad = true;
                    None
                }
            }
        };
        let per_citizen = number(1, false);
        let total = number(2, false);
        let keeps = number(3, true);
        let Some(service) = cells[0] else {
            problems.push(Problem::new(
                file,
                format!("row {row}, column `service`"),
                "an empty cell",
                "a service id",
            ));
            continue;
        };
        let amount = match (per_citizen, total, cells[1], cells[2]) {
            (Some(u), None, _, None) => UseAmount::PerCitizen(u),
            (None, Some(u), None, _) => UseAmount::Total(u),
            (_, _, Some(_), Some(_)) => {
                problems.push(Problem::new(
                    file,
                    format!("row {row}"),
                    "both `per_citizen` and `total`",
                    "one of `per_citizen` and `total`",
                ));
                continue;
            }
            (_, _, None, None) => {
                problems.push(Problem::new(
                    file,
                    format!("row {row}"),
                    "neither `per_citizen` nor `total`",
                    "the yearly use per citizen (`per_citizen`) or in all (`total`)",
                ));
                continue;
            }
            // A bad number, already a problem.
            _ => continue,
        };
        if bad {
            continue;
        }
        uses.push(ServiceUse {
            service: service.to_owned(),
            amount,
            success_keeps: keeps,
            at: format!("row {row}"),
        });
    }
    (uses, problems)
}
