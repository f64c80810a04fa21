//! The result of a calculation: flows per year and payer, and the summary
//! figures of DESIGN.md §1.8.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{
    AppliesTo, CalcError, CaseContext, Checked, Cost, Funder, Payer, PayerAmounts, Persistence,
};

/// An amount per payer and its total over payers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    /// The municipality's part.
    pub kommune: Decimal,
    /// The region's part.
    pub region: Decimal,
    /// The state's part.
    pub stat: Decimal,
    /// kommune + region + stat.
    pub total: Decimal,
}

impl Split {
    /// A split with its total computed.
    pub fn of(amounts: &PayerAmounts) -> Result<Split, CalcError> {
        Ok(Split {
            kommune: amounts.kommune,
            region: amounts.region,
            stat: amounts.stat,
            total: amounts.total()?,
        })
    }

    /// The part of one payer.
    pub fn get(&self, payer: Payer) -> Decimal {
        self.payers().get(payer)
    }

    /// The three payers' parts.
    pub fn payers(&self) -> PayerAmounts {
        PayerAmounts {
            kommune: self.kommune,
            region: self.region,
            stat: self.stat,
        }
    }
}

/// The flows of one year t of the horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearFlows {
    /// The year index (0 = the first year of the intervention).
    pub t: usize,
    /// The calendar year.
    pub year: i32,
    /// DF(t).
    pub discount_factor: Decimal,
    /// The intervention's costs (positive).
    pub costs: Split,
    /// Gains to the public budget from the consequences (positive = better off).
    pub gains: Split,
    /// gains - costs.
    pub net: Split,
    /// DF(t) · net.
    pub net_discounted: Split,
    /// Σ of `net_discounted` from year 0 to t.
    pub cumulative_net_discounted: Split,
    /// Gains (all payers) by area, one per entry of [`BusinessCase::areas`].
    pub gains_by_area: Vec<Decimal>,
    /// Gains (all payers) by consequence line, one per entry of
    /// [`BusinessCase::lines`].
    pub gains_by_line: Vec<Decimal>,
}

/// A consequence line as used, with its yearly quantities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineResult {
    /// The service id.
    pub service: Arc<str>,
    /// The service's name.
    pub label: Arc<str>,
    /// The unit of quantity.
    pub unit: Arc<str>,
    /// The area.
    pub area: Arc<str>,
    /// Whom the line applies to.
    pub applies_to: AppliesTo,
    /// The profile per success (or participant).
    pub profile: Vec<Decimal>,
    /// The unit price per payer in the scenario's price year.
    pub unit_price: Split,
    /// The price year of the source price.
    pub source_price_year: i32,
    /// Q(t): change in quantity per year.
    pub quantities: Vec<Decimal>,
    /// Present value of the line's gains (all payers).
    pub pv_gains: Decimal,
    /// Confidence grade 1 (best) to 5 of the weaker of the line's profile
    /// and price; none when ungraded.
    pub grade: Option<u8>,
    /// The kommune's committee the line's service belongs to, when the
    /// knowledge base has committees.
    pub committee: Option<Arc<str>>,
}

/// The kommune's result in one of its committees (DESIGN.md §1.11): the
/// kommune's part of the gains of the lines, the costs and the grants that
/// belong to it, by year and as present values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitteeResult {
    /// The committee id.
    pub committee: String,
    /// The kommune's gains from the committee's lines, by year.
    pub gains: Vec<Decimal>,
    /// The kommune's costs in the committee, by year.
    pub costs: Vec<Decimal>,
    /// Grants the committee receives, by year.
    pub financing: Vec<Decimal>,
    /// Σ DF(t) · gains(t).
    pub pv_gains: Decimal,
    /// Σ DF(t) · costs(t).
    pub pv_costs: Decimal,
    /// Σ DF(t) · financing(t).
    pub pv_financing: Decimal,
    /// pv_gains − pv_costs: the committee's result without financing.
    pub npv: Decimal,
    /// npv + pv_financing.
    pub npv_with_financing: Decimal,
}

/// A grant as a case used it (DESIGN.md §1.10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantResult {
    /// Who gives it.
    pub label: String,
    /// Where the money comes from.
    pub from: Funder,
    /// The committee that receives it, when the knowledge base has committees.
    pub committee: Option<String>,
    /// The amount in each year of the horizon.
    pub amounts: Vec<Decimal>,
    /// Σ amount(t), undiscounted.
    pub total: Decimal,
    /// Σ DF(t) · amount(t).
    pub pv: Decimal,
}

/// What the grants move between payers, and each payer's result with them
/// (DESIGN.md §1.10). The case's summary is without financing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Financing {
    /// The grants.
    pub grants: Vec<GrantResult>,
    /// Per year: the kommune receives every grant; the state or region gives
    /// its own; the total is what comes from outside the public sector.
    pub years: Vec<Split>,
    /// Per year: the year's net (without financing) plus `years`.
    pub net_with_financing: Vec<Split>,
    /// Σ DF(t) · years(t).
    pub pv: Split,
    /// The NPV without financing (the summary's) plus `pv`.
    pub npv_with_financing: Split,
}

/// The summary figures of DESIGN.md §1.8.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Present value of costs.
    pub pv_costs: Split,
    /// Present value of gains.
    pub pv_gains: Split,
    /// Net present value: Σ DF(t) · net(t).
    pub npv: Split,
    /// PV gains / PV costs (total); none when PV costs is zero.
    pub benefit_cost_ratio: Option<Decimal>,
    /// NPV / PV costs (total); none when PV costs is zero.
    pub return_per_krone: Option<Decimal>,
    /// The first calendar year from which the cumulative discounted net
    /// (total) stays at or above zero to the horizon; none if never.
    pub break_even_year: Option<i32>,
    /// The net success rate s at which NPV (total) = 0; none when NPV does
    /// not depend on s (no line applies to successes, or their value is zero).
    pub break_even_success_rate: Option<Decimal>,
    /// NPV (total) per participant; none without participants.
    pub npv_per_participant: Option<Decimal>,
    /// NPV (total) per success; none without successes.
    pub npv_per_success: Option<Decimal>,
    /// Σ n_r.
    pub participants: Decimal,
    /// Σ S_r = Σ n_r · c · s.
    pub successes: Decimal,
}

/// A business case: what an intervention costs and what it saves the public
/// sector, year by year and per payer, with the summary figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BusinessCase {
    /// The scenario's name.
    pub scenario: String,
    /// Calendar year of t = 0.
    pub start_year: i32,
    /// Number of years.
    pub horizon_years: usize,
    /// Price year of all amounts.
    pub price_year: i32,
    /// Where the inputs came from.
    pub context: Arc<CaseContext>,
    /// p1.
    pub success_rate: Decimal,
    /// p0.
    pub baseline_rate: Decimal,
    /// s = p1 - p0.
    pub net_success_rate: Decimal,
    /// c.
    pub completion_rate: Decimal,
    /// Years from entry to the first consequences.
    pub effect_lag_years: usize,
    /// The persistence of a success as used (DESIGN.md §1.3); where it came
    /// from is in `context.persistence`.
    pub persistence: Persistence,
    /// Participants entering per year.
    pub participants_by_year: Vec<Decimal>,
    /// The consequence lines used.
    pub lines: Vec<LineResult>,
    /// The lines' areas, each once, in the order they first appear among the
    /// lines: the order of [`YearFlows::gains_by_area`].
    pub areas: Vec<Arc<str>>,
    /// The intervention's costs.
    pub costs: Vec<Cost>,
    /// One entry per year of the horizon.
    pub years: Vec<YearFlows>,
    /// The summary figures.
    pub summary: Summary,
    /// With an evidence adjustment: the summary of the same scenario
    /// without it, to show next to the adjusted one.
    pub unadjusted: Option<Summary>,
    /// The kommune's result by committee, in the order of
    /// `context.committees`; empty when the knowledge base has none.
    pub committees: Vec<CommitteeResult>,
    /// The grants and the result with them, when the scenario has any.
    pub financing: Option<Financing>,
}

/// The figures of a business case without its years and lines, for callers
/// that need the answer rather than the table: what
/// [`evaluate_summary`](crate::evaluate_summary) returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BusinessCaseSummary {
    /// The scenario's name.
    pub scenario: String,
    /// Where the inputs came from.
    pub context: Arc<CaseContext>,
    /// The summary figures, exactly as in the full [`BusinessCase`].
    pub summary: Summary,
    /// With an evidence adjustment: the summary of the same scenario
    /// without it.
    pub unadjusted: Option<Summary>,
}

impl BusinessCase {
    /// The PV of gains by confidence grade of the lines they come from, best
    /// grade first, ungraded (`None`) last.
    pub fn pv_gains_by_grade(&self) -> Vec<(Option<u8>, Decimal)> {
        let mut out: Vec<(Option<u8>, Decimal)> = Vec::new();
        for line in &self.lines {
            match out.iter_mut().find(|(g, _)| *g == line.grade) {
                Some((_, v)) => *v = v.saturating_add(line.pv_gains),
                None => out.push((line.grade, line.pv_gains)),
            }
        }
        out.sort_by_key(|(g, _)| g.unwrap_or(u8::MAX));
        out
    }

    /// The share of the PV of gains that rests on figures of grade 4 or 5
    /// (weak: secondary sources or assumptions), measured on absolute values
    /// so that gains and losses both count; none when there are no gains.
    ///
    /// ```
    /// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// // The example's only line (shelter days) is graded 5: an assumption.
    /// assert_eq!(case.share_of_gains_on_weak_evidence(), Some(rust_decimal::Decimal::ONE));
    /// ```
    pub fn share_of_gains_on_weak_evidence(&self) -> Option<Decimal> {
        let total = self
            .lines
            .iter()
            .fold(Decimal::ZERO, |a, l| a.saturating_add(l.pv_gains.abs()));
        let weak = self
            .lines
            .iter()
            .filter(|l| l.grade.is_some_and(|g| g >= 4))
            .fold(Decimal::ZERO, |a, l| a.saturating_add(l.pv_gains.abs()));
        if total.is_zero() {
            None
        } else {
            weak.checked_div(total)
        }
    }
}

/// Divides, giving none for a zero denominator (DESIGN.md §5: such ratios are null).
pub(crate) fn ratio(
    numerator: Decimal,
    denominator: Decimal,
    step: &'static str,
) -> Result<Option<Decimal>, CalcError> {
    if denominator.is_zero() {
        Ok(None)
    } else {
        numerator.over(denominator, step).map(Some)
    }
}

/// The first year index from which every value to the end is >= 0.
pub(crate) fn break_even_index(cumulative: &[Decimal]) -> Option<usize> {
    let trailing_non_negative = cumulative
        .iter()
        .rev()
        .take_while(|v| **v >= Decimal::ZERO)
        .count();
    if trailing_non_negative == 0 {
        None
    } else {
        Some(cumulative.len() - trailing_non_negative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_the_start_of_the_final_non_negative_run() {
        let d = |v: i64| Decimal::from(v);
        assert_eq!(break_even_index(&[d(-5), d(1), d(-1), d(0), d(3)]), Some(3));
        assert_eq!(break_even_index(&[d(1), d(2)]), Some(0));
        assert_eq!(break_even_index(&[d(1), d(-2)]), None);
        assert_eq!(break_even_index(&[]), None);
    }
}
