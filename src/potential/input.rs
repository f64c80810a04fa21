//! Reading a target group today: the JSON input, field by field, every
//! problem with its JSON path, and the CSV of yearly use it may name.

use super::*;

/// The columns a CSV of yearly use may have.
pub const CSV_COLUMNS: [&str; 4] = ["service", "per_citizen", "total", "success_keeps"];

const FIELDS: [&str; 8] = [
    "name",
    "citizens",
    "price_year",
    "use_year",
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
    /// `use_year` (the calendar year whose refund rules apply; the price
    /// year when absent), `success_rates` (10 % to 50 % when absent), `scenario` (the outline
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
        let use_year = root.get("use_year").and_then(|v| r.whole("$.use_year", v));
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
            use_year,
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
    /// line), as is the price year (the knowledge base's when `None`); set
    /// [`TargetGroupToday::use_year`] on the result where it differs. See
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
            use_year: None,
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
