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

/// What a column sets.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Participants,
    ParticipantsIn(i64),
    SuccessRate,
    BaselineRate,
    CompletionRate,
    HorizonYears,
    StartYear,
    PriceYear,
    EffectLagYears,
    PersistenceDuration,
    PersistenceDecay,
    Discounting,
    Cost(String),
    Price(String, PricePart),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PricePart {
    Payer(Payer),
    PriceYear,
}

/// The fixed column names, for suggestions.
const FIXED: [&str; 13] = [
    "name",
    "participants",
    "success_rate",
    "baseline_rate",
    "completion_rate",
    "horizon_years",
    "start_year",
    "price_year",
    "effect_lag_years",
    "persistence.duration_years",
    "persistence.annual_decay",
    "discounting",
    "cost.<label>",
];

/// Reads a column name; the error is (found, expected, did you mean).
fn parse_column(
    name: &str,
    template: &Scenario,
) -> Result<Field, (String, String, Option<String>)> {
    let unknown = |expected: String, suggestion: Option<&str>| {
        Err((String::new(), expected, suggestion.map(str::to_owned)))
    };
    let field = match name {
        "name" => Field::Name,
        "participants" => Field::Participants,
        "success_rate" => Field::SuccessRate,
        "baseline_rate" => Field::BaselineRate,
        "completion_rate" => Field::CompletionRate,
        "horizon_years" => Field::HorizonYears,
        "start_year" => Field::StartYear,
        "price_year" => Field::PriceYear,
        "effect_lag_years" => Field::EffectLagYears,
        "persistence.duration_years" => Field::PersistenceDuration,
        "persistence.annual_decay" => Field::PersistenceDecay,
        "discounting" => Field::Discounting,
        _ => {
            if let Some(year) = name.strip_prefix("participants.") {
                return match i64::from_str(year) {
                    Ok(y) => Ok(Field::ParticipantsIn(y)),
                    Err(_) => unknown(
                        "unknown column: a cohort's column is `participants.<year index>`, e.g. `participants.0`".into(),
                        None,
                    ),
                };
            }
            if let Some(label) = name.strip_prefix("cost.") {
                if template.costs.iter().any(|c| c.label == label) {
                    return Ok(Field::Cost(label.to_owned()));
                }
                let labels: Vec<&str> = template.costs.iter().map(|c| c.label.as_str()).collect();
                return unknown(
                    format!(
                        "unknown cost label `{label}`: the template's costs are {}",
                        if labels.is_empty() {
                            "none".to_owned()
                        } else {
                            labels.join(", ")
                        }
                    ),
                    crate::problem::closest(label, labels.iter().copied())
                        .map(|l| format!("cost.{l}"))
                        .as_deref(),
                );
            }
            if let Some(rest) = name.strip_prefix("price.") {
                let part = rest.rsplit_once('.').and_then(|(service, part)| {
                    let part = match part {
                        "kommune" => PricePart::Payer(Payer::Kommune),
                        "region" => PricePart::Payer(Payer::Region),
                        "stat" => PricePart::Payer(Payer::Stat),
                        "price_year" => PricePart::PriceYear,
                        _ => return None,
                    };
                    (!service.is_empty()).then(|| Field::Price(service.to_owned(), part))
                });
                return match part {
                    Some(field) => Ok(field),
                    None => unknown(
                        "unknown column: a price column is `price.<service>.kommune`, `.region`, `.stat` or `.price_year`".into(),
                        None,
                    ),
                };
            }
            let suggestion = crate::problem::closest(name, FIXED.iter().copied());
            return unknown(
                "unknown column (the columns are listed in `som batch --help`)".into(),
                suggestion,
            );
        }
    };
    Ok(field)
}

/// Why a cell could not be read: what a number was expected to look like,
/// or a whole message with what the cell probably meant.
enum Unread {
    Expected(String),
    Notation(String),
}

fn decimal(text: &str, mark: DecimalMark) -> Result<Decimal, Unread> {
    notation::read(text, mark).map_err(|message| {
        if notation::refusal_in(text, mark).is_some() {
            Unread::Notation(message)
        } else {
            Unread::Expected("a number".to_owned())
        }
    })
}

fn whole(text: &str, mark: DecimalMark) -> Result<i64, Unread> {
    i64::from_str(text).map_err(|_| match notation::refusal_in(text, mark) {
        Some(message) => Unread::Notation(message),
        None => Unread::Expected("a whole number".to_owned()),
    })
}

/// A row's values for one service's price override.
#[derive(Default)]
struct PriceCells {
    parts: Vec<(PricePart, String, Decimal)>,
}

/// (column, JSON path) pairs: where each column wrote its value.
type Written = Vec<(String, String)>;

/// Applies one row to a copy of the template. Returns the scenario and, for
/// each column it wrote, the JSON paths it set.
fn apply(
    template: &Scenario,
    columns: &[Option<(String, Field)>],
    record: &csv::StringRecord,
    row: usize,
    mark: DecimalMark,
) -> Result<(Scenario, Written), Vec<CellProblem>> {
    let mut s = template.clone();
    s.name = format!("{} (row {row})", template.name);
    let mut problems = Vec::new();
    let mut written: Written = Vec::new();
    let mut prices: Vec<(String, PriceCells)> = Vec::new();

    // `participants` before `participants.<year>`: the specific one wins.
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| !matches!(columns[i], Some((_, Field::Participants))));

    for i in order {
        let cell = record.get(i).unwrap_or("").trim();
        // Cells of columns that were not understood are reported by the caller.
        let (Some((column, field)), false) = (&columns[i], cell.is_empty()) else {
            continue;
        };
        let mut bad = |unread: Unread| {
            problems.push(match unread {
                Unread::Expected(expected) => {
                    CellProblem::cell(row, column, format!("`{cell}`"), expected)
                }
                Unread::Notation(message) => CellProblem::cell(row, column, "", message),
            });
        };
        let mut wrote = |path: String| written.push((column.clone(), path));
        match field {
            Field::Name => s.name = cell.to_owned(),
            Field::Participants => match decimal(cell, mark) {
                Ok(_) if s.cohorts.is_empty() => bad(Unread::Expected(
                    "`participants.<year>` columns: the template has no cohorts to set".into(),
                )),
                Ok(n) => {
                    for (k, cohort) in s.cohorts.iter_mut().enumerate() {
                        cohort.participants = n;
                        wrote(format!("$.cohorts[{k}].participants"));
                    }
                }
                Err(e) => bad(e),
            },
            Field::ParticipantsIn(year) => match decimal(cell, mark) {
                Ok(n) => {
                    let k = match s.cohorts.iter().position(|c| c.year == *year) {
                        Some(k) => k,
                        None => {
                            s.cohorts.push(Cohort {
                                year: *year,
                                participants: n,
                            });
                            s.cohorts.len() - 1
                        }
                    };
                    s.cohorts[k].participants = n;
                    wrote(format!("$.cohorts[{k}]"));
                }
                Err(e) => bad(e),
            },
            Field::SuccessRate => match decimal(cell, mark) {
                Ok(v) => {
                    s.effect.success_rate = Some(v);
                    wrote("$.effect.success_rate".into());
                }
                Err(e) => bad(e),
            },
            Field::BaselineRate => match decimal(cell, mark) {
                Ok(v) => {
                    s.effect.baseline_rate = Some(v);
                    wrote("$.effect.baseline_rate".into());
                }
                Err(e) => bad(e),
            },
            Field::CompletionRate => match decimal(cell, mark) {
                Ok(v) => {
                    s.completion_rate = Some(v);
                    wrote("$.completion_rate".into());
                }
                Err(e) => bad(e),
            },
            Field::HorizonYears => match whole(cell, mark) {
                Ok(v) => {
                    s.horizon_years = v;
                    wrote("$.horizon_years".into());
                }
                Err(e) => bad(e),
            },
            Field::StartYear => match whole(cell, mark) {
                Ok(v) => {
                    s.start_year = v;
                    wrote("$.start_year".into());
                }
                Err(e) => bad(e),
            },
            Field::PriceYear => match whole(cell, mark) {
                Ok(v) => {
                    s.price_year = Some(v);
                    wrote("$.price_year".into());
                }
                Err(e) => bad(e),
            },
            Field::EffectLagYears => match whole(cell, mark) {
                Ok(v) => {
                    s.effect_lag_years = Some(v);
                    wrote("$.effect_lag_years".into());
                }
                Err(e) => bad(e),
            },
            Field::PersistenceDuration => match whole(cell, mark) {
                Ok(v) => {
                    s.persistence
                        .get_or_insert_with(PersistenceSpec::default)
                        .duration_years = Some(v);
                    wrote("$.persistence.duration_years".into());
                }
                Err(e) => bad(e),
            },
            Field::PersistenceDecay => match decimal(cell, mark) {
                Ok(v) => {
                    s.persistence
                        .get_or_insert_with(PersistenceSpec::default)
                        .annual_decay = Some(v);
                    wrote("$.persistence.annual_decay".into());
                }
                Err(e) => bad(e),
            },
            Field::Discounting => {
                s.discounting = Some(match cell {
                    "none" => Discounting::None,
                    _ => match decimal(cell, mark) {
                        Ok(rate) => Discounting::Constant(rate),
                        Err(Unread::Notation(message)) => {
                            bad(Unread::Notation(message));
                            continue;
                        }
                        Err(Unread::Expected(_)) => Discounting::Schedule(cell.to_owned()),
                    },
                });
                wrote("$.discounting".into());
            }
            Field::Cost(label) => match decimal(cell, mark) {
                Ok(v) => {
                    for (k, cost) in s.costs.iter_mut().enumerate() {
                        if cost.label == *label {
                            cost.amount = v;
                            wrote(format!("$.costs[{k}].amount"));
                        }
                    }
                }
                Err(e) => bad(e),
            },
            Field::Price(service, part) => {
                let value = match part {
                    PricePart::PriceYear => whole(cell, mark).map(Decimal::from),
                    PricePart::Payer(_) => decimal(cell, mark),
                };
                match value {
                    Ok(v) => {
                        let k = match prices.iter().position(|(id, _)| id == service) {
                            Some(k) => k,
                            None => {
                                prices.push((service.clone(), PriceCells::default()));
                                prices.len() - 1
                            }
                        };
                        prices[k].1.parts.push((*part, column.clone(), v));
                    }
                    Err(e) => bad(e),
                }
            }
        }
    }

    for (service, cells) in prices {
        let existing = s.prices.get(&service).cloned();
        let get = |part: PricePart| {
            cells
                .parts
                .iter()
                .find(|(p, _, _)| *p == part)
                .map(|(_, _, v)| *v)
        };
        let payer = |p: Payer| {
            get(PricePart::Payer(p)).or_else(|| {
                existing.as_ref().map(|o| match p {
                    Payer::Kommune => o.kommune,
                    Payer::Region => o.region,
                    Payer::Stat => o.stat,
                })
            })
        };
        let columns: Vec<String> = cells.parts.iter().map(|(_, c, _)| c.clone()).collect();
        let mut missing = Vec::new();
        for p in Payer::ALL {
            if payer(p).is_none() {
                missing.push(format!("price.{service}.{p}"));
            }
        }
        let price_year = match get(PricePart::PriceYear) {
            Some(y) => i64::try_from(y).ok(),
            None => existing.as_ref().map(|o| o.price_year).or(s.price_year),
        };
        if price_year.is_none() {
            missing.push(format!("price.{service}.price_year"));
        }
        match (payer(Payer::Kommune), payer(Payer::Region), payer(Payer::Stat), price_year) {
            (Some(kommune), Some(region), Some(stat), Some(price_year)) => {
                // A municipality's own price keeps the template's grade for it, if any.
                let grade = s.prices.get(&service).and_then(|o| o.grade);
                s.prices.insert(
                    service.clone(),
                    PriceOverride {
                        kommune,
                        region,
                        stat,
                        price_year,
                        grade,
                    },
                );
                for (part, column, _) in &cells.parts {
                    let field = match part {
                        PricePart::Payer(p) => p.id(),
                        PricePart::PriceYear => "price_year",
                    };
                    written.push((column.clone(), format!("$.prices.{service}.{field}")));
                }
            }
            _ => problems.push(CellProblem {
                row,
                columns,
                path: Some(format!("$.prices.{service}")),
                found: String::new(),
                expected: format!(
                    "an incomplete price override for `{service}`, missing {}: a service the template has no price for needs kommune, region and stat, and a price year",
                    missing.join(", ")
                ),
                did_you_mean: None,
            }),
        }
    }

    if problems.is_empty() {
        Ok((s, written))
    } else {
        Err(problems)
    }
}

/// Whether a problem at `problem` concerns the value a column wrote at `written`:
/// one path lies within the other (the root `$` concerns no column in particular).
fn concerns(problem: &str, written: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    problem != "$" && (within(problem, written) || within(written, problem))
}

fn from_problem(row: usize, p: &Problem, written: &[(String, String)]) -> CellProblem {
    let mut columns: Vec<String> = Vec::new();
    for (column, path) in written {
        if concerns(&p.path, path) && !columns.contains(column) {
            columns.push(column.clone());
        }
    }
    CellProblem {
        row,
        columns,
        path: Some(p.path.clone()),
        found: p.found.clone(),
        expected: p.expected.clone(),
        did_you_mean: p.did_you_mean.clone(),
    }
}

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

/// A batch's rows as read from a file: the text, and how it was encoded
/// when that was not UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowsFile {
    /// The rows as text, without a byte-order mark.
    pub text: String,
    /// `Some("windows-1252")` when the file was not UTF-8 and was read as
    /// Windows-1252 (what a spreadsheet's plain "CSV" saves on a Danish
    /// Windows machine); the caller says so.
    pub transcoded_from: Option<&'static str>,
}

/// Reads a batch's rows: UTF-8 (with or without a byte-order mark) as it is;
/// any other file that is text as Windows-1252, which a spreadsheet's plain
/// "CSV" uses on a Danish Windows machine (æ, ø, å are single bytes there).
/// A UTF-16 file, a workbook or a file with NUL bytes is refused with "save
/// as CSV UTF-8".
///
/// ```
/// let dir = std::env::temp_dir().join("som-doc-read-rows");
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("rows.csv");
/// std::fs::write(&path, b"name;participants\n\xC5rhus;10\n").unwrap();
/// let rows = som::batch::read_rows(&path).unwrap();
/// assert_eq!(rows.text, "name;participants\nÅrhus;10\n");
/// assert_eq!(rows.transcoded_from, Some("windows-1252"));
/// ```
pub fn read_rows(path: &std::path::Path) -> Result<RowsFile, Problem> {
    let bytes = crate::problem::read_input_bytes(path)?;
    let refuse = |found: &str| {
        Problem::new(
            path.display().to_string(),
            "$",
            found.to_owned(),
            "CSV text: save the sheet as \"CSV UTF-8\" (in Danish Excel: \"CSV UTF-8 (kommasepareret)\")",
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(refuse("a UTF-16 file (a spreadsheet's \"Unicode text\")"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(refuse("a workbook (xlsx), not CSV"));
    }
    if bytes.contains(&0) {
        return Err(refuse("binary data (NUL bytes), not CSV"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(RowsFile {
            text: text.to_owned(),
            transcoded_from: None,
        }),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(RowsFile {
                text: text.into_owned(),
                transcoded_from: Some("windows-1252"),
            })
        }
    }
}

/// `;` when the header line has semicolons and no commas (as a spreadsheet
/// with Danish settings exports), `,` otherwise.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_concerns_a_column_when_one_path_lies_within_the_other() {
        assert!(concerns("$.effect.success_rate", "$.effect.success_rate"));
        assert!(concerns("$.effect", "$.effect.success_rate"));
        assert!(concerns("$.cohorts[2].participants", "$.cohorts[2]"));
        assert!(!concerns("$.cohorts[12]", "$.cohorts[1]"));
        assert!(!concerns("$", "$.price_year"));
        assert!(!concerns("$.price_year_x", "$.price_year"));
    }
}
