// Why this file is over 500 lines: the comparison's rows, their units and
// which value is better, and the footing check (knowledge base, price year,
// discounting) are one concept; a third of the file is the metric table
// itself.

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
//! Values are compared exactly, before rounding for display. Break-even is
//! ranked by the years after each case's start (the break-even year minus
//! [`Column::start_year`]), not by calendar year: a case starting in 2030
//! that breaks even in 2033 pays off sooner than one starting in 2026 that
//! breaks even in 2031. The row's values stay calendar years. Different
//! horizons are not flagged, but a longer horizon counts more years of gains:
//! compare cases over the same horizon unless the difference is the question.
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

use std::collections::HashMap;
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
    /// are all marked; a missing value is never best. Break-even years are
    /// ranked by the years after each case's start, not as calendar years.
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
    /// discount schedules. From [`Comparison::of`]: every such pair. From a
    /// batch ([`crate::batch::Batch::comparison`]), which may have 100.000
    /// rows: the first case of each footing that differs from the first
    /// row's, paired with the first row (see [`Comparison::same_footing_as`]).
    pub not_comparable: Vec<NotComparable>,
    /// For each case, the first case with exactly the same footing
    /// (knowledge base, price year and discount factors): itself when it is
    /// the first.
    pub same_footing_as: Vec<usize>,
    /// Whether `not_comparable` pairs footings (a batch) rather than cases.
    #[serde(skip)]
    by_footing: bool,
}

/// What a case's figures rest on: the knowledge base, the price year and the
/// discount factors, with the discounting's description for messages.
#[derive(Clone, Debug)]
pub(crate) struct Footing {
    knowledge_base_version: String,
    knowledge_base_hash: String,
    price_year: i32,
    factors: Vec<Decimal>,
    discounting: String,
}

impl Footing {
    fn of(case: &BusinessCase) -> Footing {
        Footing {
            knowledge_base_version: case.context.knowledge_base_version.clone(),
            knowledge_base_hash: case.context.knowledge_base_hash.clone(),
            price_year: case.price_year,
            factors: case.years.iter().map(|y| y.discount_factor).collect(),
            discounting: case.context.discounting.clone(),
        }
    }

    fn key(&self) -> (String, String, i32, Vec<Decimal>) {
        (
            self.knowledge_base_version.clone(),
            self.knowledge_base_hash.clone(),
            self.price_year,
            self.factors.clone(),
        )
    }
}

/// What a comparison keeps of one case: its column, its figures and the
/// index of its footing. A batch keeps this instead of the whole case.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    column: Column,
    values: Vec<Option<Decimal>>,
    footing: usize,
}

/// Builds a comparison case by case, keeping one footing per distinct
/// footing: memory and time linear in the cases.
#[derive(Clone, Debug, Default)]
pub(crate) struct Builder {
    footings: Vec<Footing>,
    index: HashMap<(String, String, i32, Vec<Decimal>), usize>,
    entries: Vec<Entry>,
}

impl Builder {
    pub(crate) fn push(&mut self, case: &BusinessCase) {
        let footing = Footing::of(case);
        let next = self.footings.len();
        let index = *self.index.entry(footing.key()).or_insert(next);
        if index == next {
            self.footings.push(footing);
        }
        self.entries.push(Entry {
            column: column(case),
            values: METRICS
                .iter()
                .map(|(metric, ..)| value_of(case, metric))
                .collect(),
            footing: index,
        });
    }

    fn rows(&self) -> Vec<Row> {
        METRICS
            .iter()
            .enumerate()
            .map(|(m, &(metric, label, unit, better, why))| {
                let values: Vec<Option<Decimal>> =
                    self.entries.iter().map(|e| e.values[m]).collect();
                let best = if metric == "break_even_year" {
                    // Ranked by years after each case's own start.
                    let after_start: Vec<Option<Decimal>> = self
                        .entries
                        .iter()
                        .zip(&values)
                        .map(|(e, v)| v.map(|year| year - Decimal::from(e.column.start_year)))
                        .collect();
                    best_of(&after_start, better)
                } else {
                    best_of(&values, better)
                };
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
            .collect()
    }

    /// The first case of each footing, by footing index.
    fn firsts(&self) -> Vec<usize> {
        let mut first = vec![usize::MAX; self.footings.len()];
        for (i, e) in self.entries.iter().enumerate() {
            if first[e.footing] == usize::MAX {
                first[e.footing] = i;
            }
        }
        first
    }

    /// Pairs of footings, compared once each: every pair of cases (`of`)
    /// or each footing against the first case's (`by_footing`).
    pub(crate) fn finish(&self, by_footing: bool) -> Comparison {
        let firsts = self.firsts();
        let same_footing_as: Vec<usize> = self.entries.iter().map(|e| firsts[e.footing]).collect();
        let mut not_comparable = Vec::new();
        if by_footing {
            if let Some(first) = self.entries.first() {
                for (f, footing) in self.footings.iter().enumerate() {
                    if f == first.footing {
                        continue;
                    }
                    let differences = differences(&self.footings[first.footing], footing);
                    if !differences.is_empty() {
                        not_comparable.push(NotComparable {
                            first: 0,
                            second: firsts[f],
                            differences,
                        });
                    }
                }
            }
        } else {
            let mut between: HashMap<(usize, usize), Vec<Mismatch>> = HashMap::new();
            for (i, a) in self.entries.iter().enumerate() {
                for (j, b) in self.entries.iter().enumerate().skip(i + 1) {
                    if a.footing == b.footing {
                        continue;
                    }
                    let differences = between
                        .entry((a.footing, b.footing))
                        .or_insert_with(|| {
                            differences(&self.footings[a.footing], &self.footings[b.footing])
                        })
                        .clone();
                    if !differences.is_empty() {
                        not_comparable.push(NotComparable {
                            first: i,
                            second: j,
                            differences,
                        });
                    }
                }
            }
        }
        Comparison {
            columns: self.entries.iter().map(|e| e.column.clone()).collect(),
            rows: self.rows(),
            not_comparable,
            same_footing_as,
            by_footing,
        }
    }
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
        "pays off sooner after the start; never is worst",
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

fn knowledge_base(f: &Footing) -> String {
    let hash = &f.knowledge_base_hash;
    format!(
        "version {} (sha256 {})",
        f.knowledge_base_version,
        hash.get(..12).unwrap_or(hash)
    )
}

/// Every difference between two footings that makes figures not comparable.
///
/// Discounting is compared by its effect, not its name: the discount factors
/// of the years both horizons cover.
fn differences(a: &Footing, b: &Footing) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if a.knowledge_base_version != b.knowledge_base_version
        || a.knowledge_base_hash != b.knowledge_base_hash
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
    let factors_differ = a.factors.iter().zip(&b.factors).any(|(x, y)| x != y);
    if factors_differ {
        out.push(Mismatch {
            kind: Difference::Discounting,
            first: a.discounting.clone(),
            second: b.discounting.clone(),
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
        let mut builder = Builder::default();
        for case in cases {
            builder.push(case);
        }
        builder.finish(false)
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

    /// Whether `not_comparable` pairs footings (a batch's comparison) rather
    /// than cases.
    pub(crate) fn by_footing(&self) -> bool {
        self.by_footing
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
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &f in &self.same_footing_as {
            *counts.entry(f).or_default() += 1;
        }
        self.not_comparable
            .iter()
            .map(|p| {
                let name = |i: usize| self.columns.get(i).map_or("?", |c| c.name.as_str());
                let mut line = format!(
                    "\"{}\" and \"{}\" are not comparable as they stand: {}",
                    name(p.first),
                    name(p.second),
                    p.differences
                        .iter()
                        .map(Mismatch::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                if self.by_footing {
                    // One line per footing, not per pair of rows.
                    let (a, b) = (counts[&p.first], counts[&p.second]);
                    if a > 1 || b > 1 {
                        line.push_str(&format!(
                            " (this holds for all {a} case(s) on the footing of \"{}\" against all {b} on that of \"{}\")",
                            name(p.first),
                            name(p.second)
                        ));
                    }
                }
                line
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
