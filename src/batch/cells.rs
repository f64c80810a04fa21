//! A row's cells: which scenario field each column sets, reading each cell
//! in the file's decimal notation, and applying a row to the template, every
//! bad cell a problem with its row and column.

use super::*;

/// What a column sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Field {
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
pub(super) enum PricePart {
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
pub(super) fn parse_column(
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
pub(super) fn apply(
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

pub(super) fn from_problem(row: usize, p: &Problem, written: &[(String, String)]) -> CellProblem {
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
