//! Business cases side by side.
//!
//! A social investment pool asks every applicant municipality for a business
//! case, and someone has to set them next to each other. A [`Comparison`] has
//! one row per summary figure (participants, successes, present values, NPV
//! per payer, NPV per participant, benefit-cost ratio, break-even year and
//! break-even success rate) and one column per business case, with the best
//! value of each row marked.
//!
//! Figures are only comparable when they rest on the same footing. Two cases
//! that use different knowledge bases (version or content hash), price years or
//! discount schedules are listed in [`Comparison::not_comparable`]: their
//! figures are not comparable as they stand.
//!
//! Values are compared exactly, before rounding for display. Break-even years
//! are compared as calendar years, so cases with different start years are
//! best compared on their years after the start (shown in
//! [`Column::start_year`]). Different horizons are not flagged, but a longer
//! horizon counts more years of gains: compare cases over the same horizon
//! unless the difference is the question.
//!
//! ```
//! use som::compare::Comparison;
//! use som::{KnowledgeBase, Scenario};
//!
//! let kb = KnowledgeBase::embedded();
//! let a = som::evaluate(&Scenario::example(), kb).unwrap();
//! let mut smaller = Scenario::example();
//! smaller.name = "Housing First, 20 a year".into();
//! for cohort in &mut smaller.cohorts {
//!     cohort.participants = 20.into();
//! }
//! let b = som::evaluate(&smaller, kb).unwrap();
//!
//! let comparison = Comparison::of(&[a, b]);
//! let npv = comparison.row("npv_total").unwrap();
//! assert_eq!(npv.best, vec![true, false]);      // the larger programme has the larger NPV
//! assert!(comparison.not_comparable.is_empty()); // same knowledge base, prices, discounting
//! ```

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::BusinessCase;

/// Which way a row's figures are better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// The highest value is best (e.g. NPV).
    Higher,
    /// The lowest value is best (e.g. present value of costs, break-even year).
    Lower,
}

impl Better {
    /// `"higher"` or `"lower"`.
    ///
    /// ```
    /// assert_eq!(som::compare::Better::Lower.id(), "lower");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
}

/// What a row's values measure, for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of people.
    People,
    /// Kroner.
    Kroner,
    /// A ratio such as the benefit-cost ratio.
    Ratio,
    /// A share in [0, 1] (shown as a percentage).
    Share,
    /// A calendar year.
    Year,
}

/// One row of a comparison: a summary figure for every business case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// A stable id, e.g. `npv_total`.
    pub metric: &'static str,
    /// A label for reports.
    pub label: &'static str,
    /// What the values measure.
    pub unit: Unit,
    /// Which way is better.
    pub better: Better,
    /// Why that way is better, in a few words.
    pub why: &'static str,
    /// One value per business case, in the order given; none where the figure
    /// does not exist (a ratio with a zero denominator, no break-even).
    pub values: Vec<Option<Decimal>>,
    /// One flag per business case: true for the best value of the row. Ties
    /// are all marked; a missing value is never best.
    pub best: Vec<bool>,
}

/// A business case's footing: what its figures rest on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The scenario's name.
    pub name: String,
    /// Calendar year of t = 0.
    pub start_year: i32,
    /// Years of the horizon.
    pub horizon_years: usize,
    /// The price year of every amount.
    pub price_year: i32,
    /// The discount schedule, described.
    pub discounting: String,
    /// Knowledge-base version.
    pub knowledge_base_version: String,
    /// Knowledge-base content hash.
    pub knowledge_base_hash: String,
}

/// A way in which two business cases differ that makes their figures not
/// comparable as they stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// Different knowledge-base versions or content hashes: different
    /// prices, consequences or effects may lie behind the figures.
    KnowledgeBase,
    /// Different price years: kroner of different years.
    PriceYear,
    /// Different discount factors in the years both horizons cover.
    Discounting,
}

impl Difference {
    /// `knowledge_base`, `price_year` or `discounting`.
    ///
    /// ```
    /// assert_eq!(som::compare::Difference::PriceYear.id(), "price_year");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Difference::KnowledgeBase => "knowledge_base",
            Difference::PriceYear => "price_year",
            Difference::Discounting => "discounting",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Difference::KnowledgeBase => "knowledge base",
            Difference::PriceYear => "price year",
            Difference::Discounting => "discounting",
        }
    }
}

/// One difference between two business cases, with what each uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// What differs.
    pub kind: Difference,
    /// What the first case uses.
    pub first: String,
    /// What the second case uses.
    pub second: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} vs {}",
            self.kind.label(),
            self.first,
            self.second
        )
    }
}

/// A pair of business cases whose figures are not comparable as they stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotComparable {
    /// Index of the first case (in the order given).
    pub first: usize,
    /// Index of the second case (after the first).
    pub second: usize,
    /// Every difference between the two.
    pub differences: Vec<Mismatch>,
}

/// Business cases side by side: a row per summary figure, a column per case,
/// the best value of each row marked, and the pairs that are not comparable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// One per business case, in the order given.
    pub columns: Vec<Column>,
    /// The summary figures, in a fixed order.
    pub rows: Vec<Row>,
    /// Pairs of cases that use different knowledge bases, price years or
    /// discount schedules.
    pub not_comparable: Vec<NotComparable>,
}

/// The rows of a comparison: id, label, unit, which way is better and why.
const METRICS: [(&str, &str, Unit, Better, &str); 12] = [
    (
        "participants",
        "Participants",
        Unit::People,
        Better::Higher,
        "more citizens reached",
    ),
    (
        "successes",
        "Successes (net of baseline)",
        Unit::People,
        Better::Higher,
        "more citizens helped",
    ),
    (
        "pv_costs",
        "PV of costs",
        Unit::Kroner,
        Better::Lower,
        "a smaller investment",
    ),
    (
        "pv_gains",
        "PV of gains",
        Unit::Kroner,
        Better::Higher,
        "larger savings",
    ),
    (
        "npv_kommune",
        "NPV, kommune",
        Unit::Kroner,
        Better::Higher,
        "the public budget better off",
    ),
    (
        "npv_region",
        "NPV, region",
        Unit::Kroner,
        Better::Higher,
        "the public budget better off",
    ),
    (
        "npv_stat",
        "NPV, stat",
        Unit::Kroner,
        Better::Higher,
        "the public budget better off",
    ),
    (
        "npv_total",
        "NPV, total",
        Unit::Kroner,
        Better::Higher,
        "the public budget better off",
    ),
    (
        "npv_per_participant",
        "NPV per participant",
        Unit::Kroner,
        Better::Higher,
        "more value per citizen",
    ),
    (
        "benefit_cost_ratio",
        "Benefit-cost ratio",
        Unit::Ratio,
        Better::Higher,
        "more gain per krone spent",
    ),
    (
        "break_even_year",
        "Break-even year",
        Unit::Year,
        Better::Lower,
        "pays off sooner; never is worst",
    ),
    (
        "break_even_success_rate",
        "Break-even net success rate",
        Unit::Share,
        Better::Lower,
        "pays off with a smaller effect",
    ),
];

fn value_of(case: &BusinessCase, metric: &str) -> Option<Decimal> {
    let s = &case.summary;
    match metric {
        "participants" => Some(s.participants),
        "successes" => Some(s.successes),
        "pv_costs" => Some(s.pv_costs.total),
        "pv_gains" => Some(s.pv_gains.total),
        "npv_kommune" => Some(s.npv.kommune),
        "npv_region" => Some(s.npv.region),
        "npv_stat" => Some(s.npv.stat),
        "npv_total" => Some(s.npv.total),
        "npv_per_participant" => s.npv_per_participant,
        "benefit_cost_ratio" => s.benefit_cost_ratio,
        "break_even_year" => s.break_even_year.map(Decimal::from),
        "break_even_success_rate" => s.break_even_success_rate,
        _ => None,
    }
}

/// Marks the best of `values`: every value equal to the maximum (or minimum),
/// compared exactly; missing values are never best.
fn best_of(values: &[Option<Decimal>], better: Better) -> Vec<bool> {
    let present = values.iter().flatten();
    let best = match better {
        Better::Higher => present.max(),
        Better::Lower => present.min(),
    };
    values
        .iter()
        .map(|v| v.is_some() && v.as_ref() == best)
        .collect()
}

fn column(case: &BusinessCase) -> Column {
    Column {
        name: case.scenario.clone(),
        start_year: case.start_year,
        horizon_years: case.horizon_years,
        price_year: case.price_year,
        discounting: case.context.discounting.clone(),
        knowledge_base_version: case.context.knowledge_base_version.clone(),
        knowledge_base_hash: case.context.knowledge_base_hash.clone(),
    }
}

fn knowledge_base(case: &BusinessCase) -> String {
    let hash = &case.context.knowledge_base_hash;
    format!(
        "version {} (sha256 {})",
        case.context.knowledge_base_version,
        hash.get(..12).unwrap_or(hash)
    )
}

/// Every difference between two cases that makes their figures not comparable.
///
/// Discounting is compared by its effect, not its name: the discount factors
/// of the years both horizons cover. A constant 3.5 % and the Ministry of
/// Finance's schedule agree over 36 years, so two ten-year cases using one or
/// the other are comparable.
fn differences(a: &BusinessCase, b: &BusinessCase) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let (ka, kb) = (&a.context, &b.context);
    if ka.knowledge_base_version != kb.knowledge_base_version
        || ka.knowledge_base_hash != kb.knowledge_base_hash
    {
        out.push(Mismatch {
            kind: Difference::KnowledgeBase,
            first: knowledge_base(a),
            second: knowledge_base(b),
        });
    }
    if a.price_year != b.price_year {
        out.push(Mismatch {
            kind: Difference::PriceYear,
            first: a.price_year.to_string(),
            second: b.price_year.to_string(),
        });
    }
    let factors_differ = a
        .years
        .iter()
        .zip(&b.years)
        .any(|(x, y)| x.discount_factor != y.discount_factor);
    if factors_differ {
        out.push(Mismatch {
            kind: Difference::Discounting,
            first: ka.discounting.clone(),
            second: kb.discounting.clone(),
        });
    }
    out
}

impl Comparison {
    /// Sets business cases side by side, in the order given.
    ///
    /// ```
    /// use som::compare::{Better, Comparison};
    /// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let c = Comparison::of(&[case.clone(), case]);
    /// let costs = c.row("pv_costs").unwrap();
    /// assert_eq!(costs.better, Better::Lower);
    /// assert_eq!(costs.best, vec![true, true]); // a tie: both marked
    /// ```
    pub fn of(cases: &[BusinessCase]) -> Comparison {
        let rows = METRICS
            .iter()
            .map(|&(metric, label, unit, better, why)| {
                let values: Vec<Option<Decimal>> =
                    cases.iter().map(|c| value_of(c, metric)).collect();
                let best = best_of(&values, better);
                Row {
                    metric,
                    label,
                    unit,
                    better,
                    why,
                    values,
                    best,
                }
            })
            .collect();
        let mut not_comparable = Vec::new();
        for (i, a) in cases.iter().enumerate() {
            for (j, b) in cases.iter().enumerate().skip(i + 1) {
                let differences = differences(a, b);
                if !differences.is_empty() {
                    not_comparable.push(NotComparable {
                        first: i,
                        second: j,
                        differences,
                    });
                }
            }
        }
        Comparison {
            columns: cases.iter().map(column).collect(),
            rows,
            not_comparable,
        }
    }

    /// The row with a metric id (`participants`, `successes`, `pv_costs`,
    /// `pv_gains`, `npv_kommune`, `npv_region`, `npv_stat`, `npv_total`,
    /// `npv_per_participant`, `benefit_cost_ratio`, `break_even_year`,
    /// `break_even_success_rate`).
    ///
    /// ```
    /// let c = som::compare::Comparison::of(&[]);
    /// assert!(c.row("npv_total").is_some());
    /// assert!(c.row("npv").is_none());
    /// ```
    pub fn row(&self, metric: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.metric == metric)
    }

    /// Whether every pair of cases is comparable as it stands.
    ///
    /// ```
    /// assert!(som::compare::Comparison::of(&[]).is_comparable());
    /// ```
    pub fn is_comparable(&self) -> bool {
        self.not_comparable.is_empty()
    }

    /// One line per pair that is not comparable, naming both cases and every
    /// difference: `"A" and "B": price year: 2025 vs 2024; ...`.
    pub fn warnings(&self) -> Vec<String> {
        self.not_comparable
            .iter()
            .map(|p| {
                let name = |i: usize| self.columns.get(i).map_or("?", |c| c.name.as_str());
                format!(
                    "\"{}\" and \"{}\" are not comparable as they stand: {}",
                    name(p.first),
                    name(p.second),
                    p.differences
                        .iter()
                        .map(Mismatch::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Option<Decimal> {
        Some(Decimal::from(v))
    }

    #[test]
    fn best_marks_every_tie_and_never_a_missing_value() {
        assert_eq!(
            best_of(&[d(3), d(5), d(5), None], Better::Higher),
            vec![false, true, true, false]
        );
        assert_eq!(
            best_of(&[None, d(2030), d(2029)], Better::Lower),
            vec![false, false, true]
        );
        assert_eq!(best_of(&[None, None], Better::Lower), vec![false, false]);
    }
}
