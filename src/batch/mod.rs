// Why this file is over 500 lines: it is a batch's run, its result types and
// their summary tables, and the stream of rows that evaluates each one; the
// cells of a row (cells.rs) and the rows file (file.rs) are apart.

//! Batches: one scenario template, one CSV row per municipality or variant.
//!
//! A social investment pool asks every applicant municipality for a business
//! case of the same intervention. The cases differ in a few inputs (how many
//! citizens, what the team costs, the local shelter price); the rest is
//! shared. A batch writes the shared part once, as a scenario template, and
//! the differences as a CSV table whose columns override scenario fields.
//!
//! # Columns
//!
//! Every column is optional; an empty cell keeps the template's value.
//! Columns are separated by commas, or by semicolons when the header line
//! has semicolons and no commas (a spreadsheet with Danish settings saves
//! CSV that way). With commas, numbers use a decimal point (`0.45`) and no
//! thousands separators; with semicolons, the comma is the decimal mark
//! (`0,45`, `1.506,85`). A number that could be misread (`958.000`: 958
//! thousand, or 958?) is refused with what it probably means, as
//! [`crate::number::notation`] describes. Columns without a name (a spreadsheet's
//! trailing empty columns) are ignored while their cells are empty.
//!
//! | column | sets |
//! |---|---|
//! | `name` | the scenario's name (default: the template's name and the row number) |
//! | `participants` | participants of every cohort in the template |
//! | `participants.<year>` | participants of the cohort entering in year index `<year>` (added when the template has none) |
//! | `success_rate`, `baseline_rate` | `effect.success_rate`, `effect.baseline_rate` |
//! | `completion_rate` | `completion_rate` |
//! | `horizon_years`, `start_year`, `price_year`, `effect_lag_years` | the same fields |
//! | `persistence.duration_years`, `persistence.annual_decay` | the same fields |
//! | `discounting` | a schedule id, `none`, or a number for a constant rate |
//! | `cost.<label>` | the `amount` of the template's cost with that label |
//! | `price.<service>.kommune`, `.region`, `.stat` | a unit price override (`prices.<service>`) |
//! | `price.<service>.price_year` | the price year of that override |
//!
//! A price override needs a price year: the row's `price.<service>.price_year`,
//! else the template's override's, else the scenario's `price_year`. A service
//! the template has no override for needs all three payers in the row.
//!
//! # Problems
//!
//! Rows are numbered as in a spreadsheet: the header is row 1, the first data
//! row row 2. Every bad cell is reported with its row and column; a value that
//! reads but fails when the scenario is resolved (a success rate of 1.7) also
//! gives the JSON path of the problem. An unknown column is reported on row 1
//! and makes every row with a value in it fail. The good rows are computed all
//! the same.
//!
//! ```
//! use som::batch;
//! use som::{KnowledgeBase, Scenario};
//!
//! let csv = "name,participants,success_rate\n\
//!            Small,10,0.45\n\
//!            Large,forty,0.45\n\
//!            Optimistic,40,1.7\n";
//! let result = batch::run(&Scenario::example(), csv, KnowledgeBase::embedded());
//! assert_eq!(result.cases().count(), 1);
//! let problems: Vec<String> = result.problems().map(|p| p.to_string()).collect();
//! assert_eq!(problems, [
//!     "row 3, column `participants`: expected a number, found `forty`",
//!     "row 4, column `success_rate` ($.effect.success_rate): expected a share between 0 and 1, found 1.7",
//! ]);
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::number::notation::{self, DecimalMark};
use crate::scenario::{Cohort, Discounting, PersistenceSpec, PriceOverride};
use crate::{BusinessCase, Comparison, Error, KnowledgeBase, Payer, Problem, Scenario};

/// A problem with one cell (or, for a problem from the template, one row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    /// The spreadsheet row: the header is row 1, the first data row row 2.
    pub row: usize,
    /// The columns whose values caused it; empty when it comes from the
    /// template rather than from a cell.
    pub columns: Vec<String>,
    /// The JSON path in the row's scenario, when the problem was found while
    /// resolving it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What was found (empty when `expected` is the whole message).
    pub found: String,
    /// What was expected.
    pub expected: String,
    /// A known name close to a misspelt one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

impl CellProblem {
    fn cell(
        row: usize,
        column: &str,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        CellProblem {
            row,
            columns: vec![column.to_owned()],
            path: None,
            found: found.into(),
            expected: expected.into(),
            did_you_mean: None,
        }
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        match self.columns.len() {
            0 => {}
            1 => write!(f, ", column `{}`", self.columns[0])?,
            _ => write!(f, ", columns `{}`", self.columns.join("`, `"))?,
        }
        match (&self.path, self.columns.is_empty()) {
            (Some(path), false) => write!(f, " ({path})")?,
            (Some(path), true) => write!(f, " ({path}, from the template)")?,
            (None, _) => {}
        }
        if self.found.is_empty() {
            write!(f, ": {}", self.expected)?;
        } else {
            write!(f, ": expected {}, found {}", self.expected, self.found)?;
        }
        if let Some(name) = &self.did_you_mean {
            write!(f, " (did you mean `{name}`?)")?;
        }
        Ok(())
    }
}

/// The outcome of one CSV row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOutcome {
    /// The spreadsheet row (the first data row is 2).
    pub row: usize,
    /// The scenario's name for this row.
    pub name: String,
    /// The business case, or every problem with the row.
    pub result: Result<BusinessCase, Vec<CellProblem>>,
}

/// The outcome of a batch: problems with the header, and one outcome per row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Problems with the CSV as a whole or its header (row 1), e.g. an unknown column.
    pub header_problems: Vec<CellProblem>,
    /// One outcome per data row, in order.
    pub rows: Vec<RowOutcome>,
}

impl Batch {
    /// The business cases of the good rows, in order.
    pub fn cases(&self) -> impl Iterator<Item = &BusinessCase> {
        self.rows.iter().filter_map(|r| r.result.as_ref().ok())
    }

    /// Every problem: the header's first, then each row's.
    pub fn problems(&self) -> impl Iterator<Item = &CellProblem> {
        self.header_problems.iter().chain(
            self.rows
                .iter()
                .filter_map(|r| r.result.as_ref().err())
                .flatten(),
        )
    }

    /// Whether the header and every row are free of problems.
    pub fn is_ok(&self) -> bool {
        self.problems().next().is_none()
    }

    /// The good rows' business cases side by side.
    ///
    /// ```
    /// let csv = "name,participants\nA,10\nB,20\n";
    /// let b = som::batch::run(&som::Scenario::example(), csv, som::KnowledgeBase::embedded());
    /// let c = b.comparison();
    /// assert_eq!(c.columns.len(), 2);
    /// assert_eq!(c.row("npv_total").unwrap().best, vec![false, true]);
    /// ```
    pub fn comparison(&self) -> Comparison {
        let mut builder = crate::compare::Builder::default();
        for case in self.cases() {
            builder.push(case);
        }
        builder.finish(true)
    }
}

/// What the batch reports need of each row, kept as rows stream by: the
/// summary figures of a computed row (not its year-by-year flows) or its
/// problems. `som batch` builds it from [`rows`] so that memory stays small
/// however many rows there are.
///
/// ```
/// let csv = "name,participants\nA,10\nB,20\n";
/// let template = som::Scenario::example();
/// let kb = som::KnowledgeBase::embedded();
/// let (header_problems, rows) = som::batch::rows(&template, csv, kb);
/// let mut report = som::batch::Report::new(header_problems);
/// for row in rows {
///     report.push(&row);
/// }
/// assert!(report.is_ok());
/// assert_eq!(report.comparison().columns.len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Report {
    header_problems: Vec<CellProblem>,
    lines: Vec<Line>,
    comparison: crate::compare::Builder,
}

/// One row of a [`Report`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The spreadsheet row.
    pub row: usize,
    /// The scenario's name for this row.
    pub name: String,
    /// The summary figures, or every problem with the row.
    pub result: Result<crate::Summary, Vec<CellProblem>>,
}

impl Report {
    /// An empty report with the header's problems.
    pub fn new(header_problems: Vec<CellProblem>) -> Report {
        Report {
            header_problems,
            ..Report::default()
        }
    }

    /// The report of a whole batch.
    pub fn of(batch: &Batch) -> Report {
        let mut report = Report::new(batch.header_problems.clone());
        for row in &batch.rows {
            report.push(row);
        }
        report
    }

    /// Adds a row.
    pub fn push(&mut self, outcome: &RowOutcome) {
        let result = match &outcome.result {
            Ok(case) => {
                self.comparison.push(case);
                Ok(case.summary.clone())
            }
            Err(problems) => Err(problems.clone()),
        };
        self.lines.push(Line {
            row: outcome.row,
            name: outcome.name.clone(),
            result,
        });
    }

    /// The header's problems.
    pub fn header_problems(&self) -> &[CellProblem] {
        &self.header_problems
    }

    /// One line per row, in order.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Whether the header and every row are free of problems.
    pub fn is_ok(&self) -> bool {
        self.header_problems.is_empty() && self.lines.iter().all(|l| l.result.is_ok())
    }

    /// The computed rows side by side, as [`Batch::comparison`].
    pub fn comparison(&self) -> Comparison {
        self.comparison.finish(true)
    }
}

mod cells;
mod file;

use cells::{Field, apply, from_problem, parse_column};
pub(crate) use file::delimiter;
pub use file::{RowsFile, read_rows};

/// Runs a batch: `rows_csv` (with a header line) applied row by row to
/// `template`, each row resolved against `kb` and evaluated.
///
/// Never fails as a whole: a CSV that cannot be read at all gives a header
/// problem and no rows.
///
/// ```
/// let csv = "name,cost.Team\nCheap team,500000\nDear team,1500000\n";
/// let b = som::batch::run(&som::Scenario::example(), csv, som::KnowledgeBase::embedded());
/// assert!(b.is_ok());
/// let costs = b.comparison().row("pv_costs").unwrap().best.clone();
/// assert_eq!(costs, vec![true, false]);
/// ```
pub fn run(template: &Scenario, rows_csv: &str, kb: &KnowledgeBase) -> Batch {
    let (header_problems, rows) = rows(template, rows_csv, kb);
    Batch {
        header_problems,
        rows: rows.collect(),
    }
}

/// The header's problems and the rows, evaluated one at a time as the
/// iterator is advanced: for batches too large to hold every business case
/// at once (`som batch` streams 100.000 rows this way). Time is linear in
/// the rows.
pub fn rows<'a>(
    template: &'a Scenario,
    rows_csv: &'a str,
    kb: &'a KnowledgeBase,
) -> (Vec<CellProblem>, Rows<'a>) {
    let separator = delimiter(rows_csv);
    // A spreadsheet that separates columns with semicolons writes decimal commas.
    let mark = if separator == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(separator)
        .from_reader(rows_csv.as_bytes());
    let mut header_problems = Vec::new();
    let mut rows = Rows {
        template,
        kb,
        text: rows_csv,
        reader: None,
        names: Vec::new(),
        columns: Vec::new(),
        next_row: 2,
        lines: LineCounter::default(),
        mark,
    };
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            header_problems.push(CellProblem {
                row: 1,
                columns: Vec::new(),
                path: None,
                found: String::new(),
                expected: format!("a readable CSV header line: {e}"),
                did_you_mean: None,
            });
            return (header_problems, rows);
        }
    };
    let mut seen = std::collections::HashSet::new();
    for name in header.iter() {
        let name = name.trim().trim_start_matches('\u{feff}').to_owned();
        if name.is_empty() {
            // Spreadsheets export trailing empty columns; a value under one
            // is reported with its row.
            rows.columns.push(None);
            rows.names.push(name);
            continue;
        }
        let parsed = if seen.contains(&name) {
            Err((
                String::new(),
                "the same column a second time".to_owned(),
                None,
            ))
        } else {
            parse_column(&name, template)
        };
        match parsed {
            Ok(field) => rows.columns.push(Some((name.clone(), field))),
            Err((found, expected, did_you_mean)) => {
                header_problems.push(CellProblem {
                    row: 1,
                    columns: vec![name.clone()],
                    path: None,
                    found,
                    expected,
                    did_you_mean,
                });
                rows.columns.push(None);
            }
        }
        seen.insert(name.clone());
        rows.names.push(name);
    }
    if rows.names.iter().all(|n| n.is_empty()) {
        header_problems.push(CellProblem {
            row: 1,
            columns: Vec::new(),
            path: None,
            found: "an empty header".into(),
            expected: "a header line naming the columns".into(),
            did_you_mean: None,
        });
    }
    rows.reader = Some(reader);
    (header_problems, rows)
}

/// The rows of a batch, evaluated as the iterator advances (see [`rows`]).
pub struct Rows<'a> {
    template: &'a Scenario,
    kb: &'a KnowledgeBase,
    text: &'a str,
    /// None when the header could not be read, or after the last row.
    reader: Option<csv::Reader<&'a [u8]>>,
    names: Vec<String>,
    columns: Vec<Option<(String, Field)>>,
    next_row: usize,
    lines: LineCounter,
    /// How the cells write decimals.
    mark: DecimalMark,
}

impl Iterator for Rows<'_> {
    type Item = RowOutcome;

    fn next(&mut self) -> Option<RowOutcome> {
        let mut record = csv::StringRecord::new();
        loop {
            let reader = self.reader.as_mut()?;
            let row = self.next_row;
            match reader.read_record(&mut record) {
                Ok(false) => {
                    self.reader = None;
                    return None;
                }
                Ok(true) => {}
                Err(e) => {
                    let row = e
                        .position()
                        .map_or(row, |p| self.lines.line_at(self.text, p.byte()));
                    self.next_row = row + 1;
                    return Some(RowOutcome {
                        row,
                        name: format!("{} (row {row})", self.template.name),
                        result: Err(vec![CellProblem {
                            row,
                            columns: Vec::new(),
                            path: None,
                            found: String::new(),
                            expected: format!("a readable CSV row: {e}"),
                            did_you_mean: None,
                        }]),
                    });
                }
            }
            let row = record
                .position()
                .map_or(row, |p| self.lines.line_at(self.text, p.byte()));
            self.next_row = row + 1;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Some(evaluate_row(
                self.template,
                &self.names,
                &self.columns,
                &record,
                row,
                self.kb,
                self.mark,
            ));
        }
    }
}

/// The 1-based line of the record starting at a byte offset. The CSV
/// reader's own line count, and its offset, pass over blank lines before a
/// record; a spreadsheet's row numbers count them. Records come in order, so
/// the count goes on from the previous record: linear in the text overall.
#[derive(Debug, Default)]
struct LineCounter {
    /// Bytes counted so far, and the newlines among them.
    upto: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: u64) -> usize {
        let bytes = text.as_bytes();
        let mut end = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end < self.upto {
            // Not in order (never for the CSV reader): count from the start.
            *self = LineCounter::default();
        }
        self.newlines += bytes[self.upto..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.upto = end;
        1 + self.newlines
    }
}

fn evaluate_row(
    template: &Scenario,
    names: &[String],
    columns: &[Option<(String, Field)>],
    record: &csv::StringRecord,
    row: usize,
    kb: &KnowledgeBase,
    mark: DecimalMark,
) -> RowOutcome {
    let default_name = format!("{} (row {row})", template.name);
    let mut problems = Vec::new();
    if record.len() != names.len() {
        problems.push(CellProblem {
            row,
            columns: Vec::new(),
            path: None,
            found: format!("{} fields", record.len()),
            expected: format!("{} fields, one per column of the header", names.len()),
            did_you_mean: None,
        });
    }
    // Cells in columns that were not understood: name them by the header.
    for (i, column) in columns.iter().enumerate() {
        let cell = record.get(i).unwrap_or("").trim();
        if column.is_none() && !cell.is_empty() {
            let problem = match names.get(i).filter(|n| !n.is_empty()) {
                Some(name) => CellProblem::cell(
                    row,
                    name,
                    "",
                    format!("a value (`{cell}`) in a column that is not understood (see row 1)"),
                ),
                None => CellProblem::cell(
                    row,
                    &format!("#{}", i + 1),
                    "",
                    format!("a value (`{cell}`) in a column without a name"),
                ),
            };
            problems.push(problem);
        }
    }
    let applied = apply(template, columns, record, row, mark);
    let name = match &applied {
        Ok((s, _)) => s.name.clone(),
        Err(_) => names
            .iter()
            .position(|n| n == "name")
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or(default_name, str::to_owned),
    };
    let result = match applied {
        Err(cell_problems) => {
            problems.extend(cell_problems);
            Err(problems)
        }
        Ok(_) if !problems.is_empty() => Err(problems),
        Ok((scenario, written)) => match crate::evaluate(&scenario, kb) {
            Ok(case) => Ok(case),
            Err(Error::Calculation { source: e, .. }) => Err(vec![CellProblem {
                row,
                columns: Vec::new(),
                path: None,
                found: String::new(),
                expected: format!("the calculation failed: {e}"),
                did_you_mean: None,
            }]),
            Err(e) => Err(e
                .problems()
                .iter()
                .map(|p| from_problem(row, p, &written))
                .collect()),
        },
    };
    RowOutcome { row, name, result }
}
