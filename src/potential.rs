//! Potential calculations (potentialeberegning): what a municipality's
//! target group costs today, and what a given success rate would save.
//!
//! A potential calculation starts from the municipality's own citizens
//! rather than from an intervention: how many are in the target group
//! today ([`TargetGroupToday::citizens`]) and how much of each public
//! service they use a year ([`ServiceUse`], per citizen or as a total).
//! With the knowledge base's unit prices, brought to the price year with
//! its PL index exactly as the engine does (DESIGN.md §1.4,
//! [`crate::engine::prices`]), that gives today's yearly cost by payer and
//! by area:
//!
//! ```text
//! cost_sp = U_s · price_sp · index(price year) / index(price year of the price)
//! ```
//!
//! with U_s the target group's yearly use of service s (the total, or
//! citizens × use per citizen). What a success's use becomes is an
//! assumption the input states: a success keeps a share k_s of today's use
//! ([`TargetGroupToday::success_keeps`], per service where it differs). A
//! success then saves (1 − k_s) of a citizen's cost, and at a success rate r
//! the potential is
//!
//! ```text
//! potential_p(r) = r · Σ_s (1 − k_s) · cost_sp
//! ```
//!
//! a gain for the public budget (positive = better off, DESIGN.md §1.6).
//! [`Potential::scenario`] writes the consequence lines this implies as a
//! scenario for `som run`: each success's yearly change in use,
//! −(1 − k_s) · U_s / citizens.
//!
//! ```
//! use som::potential::{Potential, TargetGroupToday};
//! let (input, problems) = TargetGroupToday::from_json(r#"{
//!     "name": "Homeless citizens today",
//!     "citizens": 60,
//!     "success_keeps": 0,
//!     "success_rates": [0.5],
//!     "use": [{"service": "prison-day", "per_citizen": 10}]
//! }"#, "<input>");
//! assert!(problems.is_empty());
//! let potential = Potential::compute(&input.unwrap(), som::KnowledgeBase::embedded()).unwrap();
//! // 60 × 10 prison days at 1.469 kr. (2015, the state's) brought to 2025 prices.
//! assert_eq!(potential.today.kommune, rust_decimal::Decimal::ZERO);
//! // Half of the citizens succeed and use no prison days: half of today's cost.
//! assert_eq!(potential.rates[0].saving.stat * rust_decimal::Decimal::TWO, potential.today.stat);
//! ```

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::engine::prices;
use crate::knowledge_base::{Basis, Label};
use crate::model::{CalcError, Checked, IndexFactor, PayerAmounts};
use crate::scenario::{Cohort, ConsequenceSpec, Effect, Scenario};
use crate::{KnowledgeBase, Problem};

/// The success rates a potential is shown at when the input names none:
/// 10 %, 20 %, 30 %, 40 % and 50 %.
pub const DEFAULT_SUCCESS_RATES: [Decimal; 5] = [
    Decimal::from_parts(1, 0, 0, false, 1),
    Decimal::from_parts(2, 0, 0, false, 1),
    Decimal::from_parts(3, 0, 0, false, 1),
    Decimal::from_parts(4, 0, 0, false, 1),
    Decimal::from_parts(5, 0, 0, false, 1),
];

/// The target group as it is today: the input of a potential calculation.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetGroupToday {
    /// A name for reports.
    pub name: String,
    /// The number of citizens in the target group today.
    pub citizens: Decimal,
    /// The price year of every amount; the knowledge base's default when absent.
    pub price_year: Option<i64>,
    /// The assumption: the share of today's use of each service that a
    /// success keeps (0: a success uses none of it; 1: no change).
    pub success_keeps: Decimal,
    /// The success rates to show the potential at.
    pub success_rates: Vec<Decimal>,
    /// The yearly use of each service.
    pub uses: Vec<ServiceUse>,
    /// What `--to-scenario` needs beyond the use: a business case's outline.
    pub outline: Option<ScenarioOutline>,
    /// Where the input came from and how it was read.
    pub read: InputRead,
}

/// How an input was read: its file, its format, and the encoding a CSV file
/// was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRead {
    /// The file the target group was read from.
    pub file: String,
    /// The file the yearly use was read from (the same file, or a CSV file
    /// the JSON input names).
    pub use_file: String,
    /// `json` or `csv`.
    pub format: &'static str,
    /// For CSV: `utf-8` or `windows-1252` (what a spreadsheet's plain CSV is
    /// on a Danish Windows machine).
    pub encoding: Option<&'static str>,
    /// For CSV: the column separator, `;` or `,`.
    pub separator: Option<char>,
}

/// One service's yearly use by the target group.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceUse {
    /// The service id in the knowledge base.
    pub service: String,
    /// How much of it the target group uses a year.
    pub amount: UseAmount,
    /// This service's own success-keeps share, where it differs from the
    /// input's.
    pub success_keeps: Option<Decimal>,
    /// Where it was given: a JSON path (`$.use[2]`) or a CSV row (`row 3`).
    pub at: String,
}

/// A yearly use, given per citizen or as the whole group's total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseAmount {
    /// Units per citizen a year.
    PerCitizen(Decimal),
    /// Units a year for the whole target group.
    Total(Decimal),
}

/// A business case's outline, for writing the potential as a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioOutline {
    /// Target group id in the knowledge base.
    pub target_group: String,
    /// Success measure id of that target group.
    pub success_measure: String,
    /// Calendar year of t = 0.
    pub start_year: i64,
    /// The horizon, and the years a success's changed use lasts.
    pub horizon_years: i64,
    /// The success rate of the scenario's effect (against a baseline of 0:
    /// the potential counts every success).
    pub success_rate: Decimal,
}

/// A potential calculation's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Potential {
    /// The input's name.
    pub name: String,
    /// How the input was read.
    pub read: InputRead,
    /// The number of citizens.
    pub citizens: Decimal,
    /// The price year of every amount.
    pub price_year: i64,
    /// The input's success-keeps share.
    pub success_keeps: Decimal,
    /// The knowledge base's version.
    pub kb_version: String,
    /// The knowledge base's content hash.
    pub kb_hash: String,
    /// Each service with its use, price and cost.
    pub services: Vec<ServiceCost>,
    /// Today's yearly cost by payer, all services.
    pub today: PayerAmounts,
    /// Today's yearly cost by area, in the knowledge base's order of areas.
    pub by_area: Vec<(String, PayerAmounts)>,
    /// What one success saves a year, by payer.
    pub per_success: PayerAmounts,
    /// The potential at each success rate.
    pub rates: Vec<RatePotential>,
    /// Problems with single cells or services, which were left out; the
    /// rest was computed.
    pub problems: Vec<Problem>,
    /// What `--to-scenario` needs, when the input gave it.
    pub outline: Option<ScenarioOutline>,
}

/// One service in a potential calculation.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCost {
    /// The service id.
    pub service: String,
    /// Its name.
    pub name: Label,
    /// Its unit.
    pub unit: Label,
    /// Its area id.
    pub area: String,
    /// Units a year for the whole target group.
    pub total_use: Decimal,
    /// Units a year per citizen.
    pub per_citizen: Decimal,
    /// The share of today's use a success keeps.
    pub success_keeps: Decimal,
    /// The unit price by payer as the knowledge base gives it.
    pub source_price: PayerAmounts,
    /// The year of that price.
    pub source_price_year: i32,
    /// The PL-index factor from the price's year to the calculation's.
    pub index_factor: IndexFactor,
    /// The unit price by payer in the calculation's price year.
    pub unit_price: PayerAmounts,
    /// Today's yearly cost of the target group's use, by payer.
    pub cost: PayerAmounts,
    /// The sources of the price (ids in `sources.json`).
    pub sources: Vec<String>,
    /// Whether the price is published, derived or an assumption.
    pub basis: Basis,
    /// The price's confidence grade, when it has one.
    pub grade: Option<u8>,
}

/// The potential at one success rate.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePotential {
    /// The success rate r.
    pub rate: Decimal,
    /// Citizens × r.
    pub successes: Decimal,
    /// The yearly saving by payer (positive = the public budget is better off).
    pub saving: PayerAmounts,
}

/// The columns a CSV of yearly use may have.
pub const CSV_COLUMNS: [&str; 4] = ["service", "per_citizen", "total", "success_keeps"];

const FIELDS: [&str; 7] = [
    "name",
    "citizens",
    "price_year",
    "success_keeps",
    "success_rates",
    "use",
    "scenario",
];

/// Collects problems for one input file.
struct Reader<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn push(&mut self, path: impl Into<String>, found: impl Into<String>, expected: &str) {
        self.problems
            .push(Problem::new(self.file, path, found, expected));
    }

    fn decimal(&mut self, path: &str, value: &Value) -> Option<Decimal> {
        match crate::number::from_value(value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(path, shown(value), &format!("a number ({e})"));
                None
            }
        }
    }

    fn share(&mut self, path: &str, value: &Value) -> Option<Decimal> {
        let d = self.decimal(path, value)?;
        if d < Decimal::ZERO || d > Decimal::ONE {
            self.push(path, d.to_string(), "a share between 0 and 1");
            return None;
        }
        Some(d)
    }

    fn whole(&mut self, path: &str, value: &Value) -> Option<i64> {
        let d = self.decimal(path, value)?;
        if d.fract() != Decimal::ZERO {
            self.push(path, d.to_string(), "a whole number");
            return None;
        }
        i64::try_from(d).ok().or_else(|| {
            self.push(path, d.to_string(), "a whole number");
            None
        })
    }

    fn non_negative(&mut self, path: &str, value: &Value) -> Option<Decimal> {
        let d = self.decimal(path, value)?;
        if d < Decimal::ZERO {
            self.push(path, d.to_string(), "a number of at least 0");
            return None;
        }
        Some(d)
    }

    fn text(&mut self, path: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            other => {
                self.push(path, shown(other), "a non-empty string");
                None
            }
        }
    }

    fn unknown_fields(&mut self, path: &str, object: &Map<String, Value>, known: &[&str]) {
        for key in object.keys() {
            if !known.contains(&key.as_str()) {
                let p = Problem::new(
                    self.file,
                    format!("{path}.{key}"),
                    format!("the field `{key}`"),
                    format!("one of the fields {}", known.join(", ")),
                )
                .suggest(key, known.iter().copied());
                self.problems.push(p);
            }
        }
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        Value::Number(n) => n.to_string(),
        other => crate::problem::kind_of(other).to_owned(),
    }
}

impl TargetGroupToday {
    /// Reads a target group from JSON text, naming `file` in problems. A bad
    /// field or service is a problem and is left out; the rest is kept. The
    /// input is `None` when what is left cannot be computed (malformed
    /// JSON, no valid number of citizens or success-keeps share).
    ///
    /// Fields: `name`, `citizens`, `success_keeps` (required); `price_year`,
    /// `success_rates` (10 % to 50 % when absent), `scenario` (the outline
    /// `--to-scenario` needs: `target_group`, `success_measure`,
    /// `start_year`, `horizon_years`, `success_rate`); `use`: a list of
    /// `{"service", "per_citizen" | "total", "success_keeps"?}`.
    pub fn from_json(text: &str, file: &str) -> (Option<TargetGroupToday>, Vec<Problem>) {
        TargetGroupToday::from_json_with(text, file, |_| None)
    }

    /// Reads a target group from a JSON file. Its `use` may be a list, or
    /// the name of a CSV file (relative to the JSON file) with the yearly use.
    pub fn from_file(path: &Path) -> (Option<TargetGroupToday>, Vec<Problem>) {
        let shown = path.display().to_string();
        let text = match crate::read_input(path) {
            Ok(t) => t,
            Err(p) => return (None, vec![p]),
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        TargetGroupToday::from_json_with(&text, &shown, |name| Some(read_csv_file(&dir.join(name))))
    }

    fn from_json_with(
        text: &str,
        file: &str,
        csv_file: impl FnOnce(&str) -> Option<Result<CsvFile, Problem>>,
    ) -> (Option<TargetGroupToday>, Vec<Problem>) {
        let mut r = Reader {
            file,
            problems: Vec::new(),
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                r.push("$", "", &format!("malformed JSON: {e}"));
                return (None, r.problems);
            }
        };
        let repeated = crate::json_keys::duplicate_keys(file, text);
        if !repeated.is_empty() {
            return (None, repeated);
        }
        let Value::Object(root) = value else {
            r.push(
                "$",
                crate::problem::kind_of(&value),
                "a JSON object describing the target group today",
            );
            return (None, r.problems);
        };
        r.unknown_fields("$", &root, &FIELDS);
        let name = match root.get("name") {
            Some(v) => r.text("$.name", v),
            None => {
                r.push("$.name", "nothing", "the name of the target group");
                None
            }
        };
        let citizens = match root.get("citizens") {
            Some(v) => r.decimal("$.citizens", v).filter(|c| {
                let positive = *c > Decimal::ZERO;
                if !positive {
                    r.push("$.citizens", c.to_string(), "a number of citizens above 0");
                }
                positive
            }),
            None => {
                r.push(
                    "$.citizens",
                    "nothing",
                    "the number of citizens in the target group today",
                );
                None
            }
        };
        let success_keeps = match root.get("success_keeps") {
            Some(v) => r.share("$.success_keeps", v),
            None => {
                r.push(
                    "$.success_keeps",
                    "nothing",
                    "the share of today's use a success keeps (0: none; 1: all), the calculation's assumption",
                );
                None
            }
        };
        let price_year = root
            .get("price_year")
            .and_then(|v| r.whole("$.price_year", v));
        let success_rates = match root.get("success_rates") {
            None => DEFAULT_SUCCESS_RATES.to_vec(),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| r.share(&format!("$.success_rates[{i}]"), v))
                .collect(),
            Some(other) => {
                r.push(
                    "$.success_rates",
                    shown(other),
                    "a non-empty list of success rates between 0 and 1",
                );
                DEFAULT_SUCCESS_RATES.to_vec()
            }
        };
        let outline = root.get("scenario").and_then(|v| outline(&mut r, v));
        let mut read = InputRead {
            file: file.to_owned(),
            use_file: file.to_owned(),
            format: "json",
            encoding: None,
            separator: None,
        };
        let uses = match root.get("use") {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| use_from_json(&mut r, &format!("$.use[{i}]"), v))
                .collect(),
            Some(Value::String(name)) => match csv_file(name) {
                Some(Ok(csv)) => {
                    let (uses, problems) = uses_from_csv(&csv.text, &csv.file);
                    r.problems.extend(problems);
                    read.use_file = csv.file;
                    read.format = "json+csv";
                    read.encoding = Some(csv.encoding);
                    read.separator = Some(csv.separator);
                    uses
                }
                Some(Err(p)) => {
                    r.problems.push(p);
                    Vec::new()
                }
                None => {
                    r.push(
                        "$.use",
                        format!("`{name}`"),
                        "a list of service uses (a CSV file can be named only in a JSON file read from disk)",
                    );
                    Vec::new()
                }
            },
            other => {
                r.push(
                    "$.use",
                    other.map_or("nothing".into(), shown),
                    "a list of `{\"service\", \"per_citizen\" or \"total\"}`, or the name of a CSV file",
                );
                Vec::new()
            }
        };
        let (Some(citizens), Some(success_keeps)) = (citizens, success_keeps) else {
            return (None, r.problems);
        };
        let input = TargetGroupToday {
            name: name.unwrap_or_else(|| file.to_owned()),
            citizens,
            price_year,
            success_keeps,
            success_rates,
            uses,
            outline,
            read,
        };
        (Some(input), r.problems)
    }

    /// Reads a target group's yearly use from a CSV file, with the number
    /// of citizens and the success-keeps share given apart (on the command
    /// line), as is the price year (the knowledge base's when `None`). See
    /// [`uses_from_csv`] for the columns.
    pub fn from_csv_file(
        path: &Path,
        name: Option<String>,
        citizens: Decimal,
        success_keeps: Decimal,
        success_rates: Option<Vec<Decimal>>,
        price_year: Option<i64>,
    ) -> (Option<TargetGroupToday>, Vec<Problem>) {
        let csv = match read_csv_file(path) {
            Ok(c) => c,
            Err(p) => return (None, vec![p]),
        };
        let (uses, problems) = uses_from_csv(&csv.text, &csv.file);
        let input = TargetGroupToday {
            name: name.unwrap_or_else(|| csv.file.clone()),
            citizens,
            price_year,
            success_keeps,
            success_rates: success_rates.unwrap_or_else(|| DEFAULT_SUCCESS_RATES.to_vec()),
            uses,
            outline: None,
            read: InputRead {
                file: csv.file.clone(),
                use_file: csv.file,
                format: "csv",
                encoding: Some(csv.encoding),
                separator: Some(csv.separator),
            },
        };
        (Some(input), problems)
    }
}

fn outline(r: &mut Reader<'_>, value: &Value) -> Option<ScenarioOutline> {
    let Value::Object(o) = value else {
        r.push(
            "$.scenario",
            shown(value),
            "an object with target_group, success_measure, start_year, horizon_years and success_rate",
        );
        return None;
    };
    r.unknown_fields(
        "$.scenario",
        o,
        &[
            "target_group",
            "success_measure",
            "start_year",
            "horizon_years",
            "success_rate",
        ],
    );
    fn missing<T>(r: &mut Reader<'_>, key: &str, what: &str) -> Option<T> {
        r.push(format!("$.scenario.{key}"), "nothing", what);
        None
    }
    let target_group = match o.get("target_group") {
        Some(v) => r.text("$.scenario.target_group", v),
        None => missing(r, "target_group", "a target group id"),
    };
    let success_measure = match o.get("success_measure") {
        Some(v) => r.text("$.scenario.success_measure", v),
        None => missing(r, "success_measure", "a success measure id"),
    };
    let start_year = match o.get("start_year") {
        Some(v) => r.whole("$.scenario.start_year", v),
        None => missing(r, "start_year", "the calendar year of the first year"),
    };
    let horizon_years = match o.get("horizon_years") {
        Some(v) => r.whole("$.scenario.horizon_years", v),
        None => missing(
            r,
            "horizon_years",
            "the years a success's changed use lasts, 1 to 100",
        ),
    };
    let horizon_years = horizon_years.filter(|h| {
        let ok = (1..=crate::model::limits::MAX_HORIZON_YEARS as i64).contains(h);
        if !ok {
            r.push("$.scenario.horizon_years", h.to_string(), "1 to 100 years");
        }
        ok
    });
    let success_rate = match o.get("success_rate") {
        Some(v) => r.share("$.scenario.success_rate", v),
        None => missing(r, "success_rate", "the success rate of the business case"),
    };
    Some(ScenarioOutline {
        target_group: target_group?,
        success_measure: success_measure?,
        start_year: start_year?,
        horizon_years: horizon_years?,
        success_rate: success_rate?,
    })
}

fn use_from_json(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<ServiceUse> {
    let Value::Object(o) = value else {
        r.push(
            path,
            shown(value),
            "an object `{\"service\", \"per_citizen\" or \"total\"}`",
        );
        return None;
    };
    r.unknown_fields(path, o, &CSV_COLUMNS);
    let service = match o.get("service") {
        Some(v) => r.text(&format!("{path}.service"), v),
        None => {
            r.push(format!("{path}.service"), "nothing", "a service id");
            None
        }
    };
    let per_citizen = o
        .get("per_citizen")
        .map(|v| r.non_negative(&format!("{path}.per_citizen"), v));
    let total = o
        .get("total")
        .map(|v| r.non_negative(&format!("{path}.total"), v));
    let keeps = o
        .get("success_keeps")
        .map(|v| r.share(&format!("{path}.success_keeps"), v));
    let amount = match (per_citizen, total) {
        (Some(Some(u)), None) => UseAmount::PerCitizen(u),
        (None, Some(Some(u))) => UseAmount::Total(u),
        (Some(_), Some(_)) => {
            r.push(
                path,
                "both `per_citizen` and `total`",
                "one of `per_citizen` and `total`",
            );
            return None;
        }
        (None, None) => {
            r.push(
                path,
                "neither `per_citizen` nor `total`",
                "the yearly use per citizen (`per_citizen`) or in all (`total`)",
            );
            return None;
        }
        // The bad number is already a problem.
        _ => return None,
    };
    let success_keeps = match keeps {
        Some(None) => return None,
        Some(k) => k,
        None => None,
    };
    Some(ServiceUse {
        service: service?,
        amount,
        success_keeps,
        at: path.to_owned(),
    })
}

/// A CSV file's text and how it was read.
struct CsvFile {
    file: String,
    text: String,
    encoding: &'static str,
    separator: char,
}

fn read_csv_file(path: &Path) -> Result<CsvFile, Problem> {
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
    let mut reader = csv::ReaderBuilder::new()
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

impl Potential {
    /// Computes the potential of a target group. A service the knowledge
    /// base lacks, or given twice, is a problem in [`Potential::problems`]
    /// and is left out; an arithmetic overflow stops the calculation.
    pub fn compute(input: &TargetGroupToday, kb: &KnowledgeBase) -> Result<Potential, CalcError> {
        let price_year = input
            .price_year
            .unwrap_or(i64::from(kb.manifest().default_price_year));
        let mut problems = Vec::new();
        let file = &input.read.use_file;
        let mut services: Vec<ServiceCost> = Vec::new();
        let at_field = |at: &str| {
            if at.starts_with('$') {
                format!("{at}.service")
            } else {
                format!("{at}, column `service`")
            }
        };
        for u in &input.uses {
            let Some(service) = kb.service(&u.service) else {
                problems.push(
                    Problem::new(
                        file,
                        at_field(&u.at),
                        format!("`{}`", u.service),
                        "a known service id",
                    )
                    .suggest(&u.service, kb.services().iter().map(|s| s.id.as_str())),
                );
                continue;
            };
            if services.iter().any(|s| s.service == u.service) {
                problems.push(Problem::new(
                    file,
                    at_field(&u.at),
                    format!("`{}` a second time", u.service),
                    "each service once",
                ));
                continue;
            }
            let factor = i32::try_from(price_year)
                .ok()
                .and_then(|y| kb.price_index().factor(service.price.price_year, y));
            let Some(index_factor) = factor else {
                let years = kb.price_index().years();
                problems.push(Problem::new(
                    &input.read.file,
                    "$.price_year",
                    format!("price year {} to {price_year}", service.price.price_year),
                    format!(
                        "price years the price index covers ({}-{})",
                        years.start(),
                        years.end()
                    ),
                ));
                continue;
            };
            let (total_use, per_citizen) = match u.amount {
                UseAmount::Total(t) => (t, t.over(input.citizens, "use per citizen")?),
                UseAmount::PerCitizen(p) => (p.times(input.citizens, "use by the group")?, p),
            };
            let source_price = service.price.amounts();
            services.push(ServiceCost {
                service: service.id.clone(),
                name: service.name.clone(),
                unit: service.unit.clone(),
                area: service.area.clone(),
                total_use,
                per_citizen,
                success_keeps: u.success_keeps.unwrap_or(input.success_keeps),
                source_price,
                source_price_year: service.price.price_year,
                index_factor,
                unit_price: prices::converted(&source_price, &index_factor)?,
                cost: prices::value(total_use, &source_price, &index_factor)?,
                sources: service.price.evidence.sources.clone(),
                basis: service.price.evidence.basis,
                grade: service.price.evidence.grade,
            });
        }
        let mut today = PayerAmounts::ZERO;
        let mut saved_by_all = PayerAmounts::ZERO;
        let mut by_area: Vec<(String, PayerAmounts)> = Vec::new();
        for s in &services {
            today = today.plus(&s.cost, "today's cost by payer")?;
            let lost = Decimal::ONE.minus(s.success_keeps, "share a success saves")?;
            let saved = s
                .cost
                .try_map(|c| c.times(lost, "saving of all successes"))?;
            saved_by_all = saved_by_all.plus(&saved, "saving by payer")?;
        }
        for area in kb.areas() {
            let mut sum = PayerAmounts::ZERO;
            let mut any = false;
            for s in services.iter().filter(|s| s.area == area.id) {
                sum = sum.plus(&s.cost, "today's cost by area")?;
                any = true;
            }
            if any {
                by_area.push((area.id.clone(), sum));
            }
        }
        let per_success = saved_by_all.try_map(|a| a.over(input.citizens, "saving per success"))?;
        let rates = input
            .success_rates
            .iter()
            .map(|&rate| {
                Ok(RatePotential {
                    rate,
                    successes: input.citizens.times(rate, "successes")?,
                    saving: saved_by_all.try_map(|a| a.times(rate, "potential"))?,
                })
            })
            .collect::<Result<Vec<_>, CalcError>>()?;
        // The views show each amount's sum over payers: check them here.
        let shown = std::iter::once(&today)
            .chain([&per_success])
            .chain(by_area.iter().map(|(_, a)| a))
            .chain(services.iter().map(|s| &s.cost))
            .chain(rates.iter().map(|r| &r.saving));
        for amounts in shown {
            amounts.total()?;
        }
        Ok(Potential {
            name: input.name.clone(),
            read: input.read.clone(),
            citizens: input.citizens,
            price_year,
            success_keeps: input.success_keeps,
            kb_version: kb.version().to_owned(),
            kb_hash: kb.hash().to_owned(),
            services,
            today,
            by_area,
            per_success,
            rates,
            problems,
            outline: input.outline.clone(),
        })
    }

    /// The scenario this potential implies, for a business case: the
    /// citizens as one cohort in year 0, the outline's success rate against
    /// a baseline of 0, no effect lag (a success's use changes in the year
    /// it succeeds, as in the potential), the calculation's price year, and
    /// for every service a consequence line of −(1 − k_s) × use per citizen
    /// in each year of the horizon. Costs are the intervention's and are
    /// left for the analyst to add. `None` without an outline.
    pub fn scenario(&self) -> Option<Scenario> {
        let o = self.outline.as_ref()?;
        let consequences = self
            .services
            .iter()
            .filter_map(|s| {
                let lost = Decimal::ONE.checked_sub(s.success_keeps)?;
                let change = s.per_citizen.checked_mul(lost)?;
                let years = usize::try_from(o.horizon_years).ok()?;
                Some(ConsequenceSpec {
                    service: s.service.clone(),
                    profile: vec![-change.normalize(); years],
                    applies_to: Default::default(),
                    grade: None,
                })
            })
            .collect();
        Some(Scenario {
            name: format!(
                "{}: potential at a success rate of {}",
                self.name, o.success_rate
            ),
            target_group: o.target_group.clone(),
            success_measure: o.success_measure.clone(),
            start_year: o.start_year,
            horizon_years: o.horizon_years,
            price_year: Some(self.price_year),
            discounting: None,
            cohorts: vec![Cohort {
                year: 0,
                participants: self.citizens,
            }],
            completion_rate: None,
            effect: Effect {
                success_rate: Some(o.success_rate),
                baseline_rate: Some(Decimal::ZERO),
                ..Effect::default()
            },
            effect_lag_years: Some(0),
            persistence: None,
            costs: Vec::new(),
            consequences: Some(consequences),
            prices: Default::default(),
            local_services: Vec::new(),
            local_sources: Vec::new(),
            evidence_adjustment: None,
            origin: None,
        })
    }
}
