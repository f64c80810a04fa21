//! One-way sensitivity (a tornado): each input moved by ± a range on its own,
//! every other input at its base value, the NPV at each end, sorted by swing.
//!
//! # What "± 20 %" means for each input
//!
//! With range r (0.2 for ± 20 %), the low and high ends are:
//!
//! | input                  | low end / high end                                          |
//! |------------------------|-------------------------------------------------------------|
//! | net success rate s     | s · (1 − r) / s · (1 + r); the baseline rate p0 stays, p1 = p0 + s |
//! | completion rate c      | c · (1 − r) / c · (1 + r)                                   |
//! | each cost              | its amount · (1 − r) / · (1 + r)                            |
//! | each line's price      | its unit price, every payer, · (1 − r) / · (1 + r)          |
//! | persistence decay      | the annual decay · (1 − r) / · (1 + r)                      |
//! | discount rate          | every year's rate r_t · (1 − r) / · (1 + r)                 |
//! | horizon H              | round(H · (1 − r)) / round(H · (1 + r)), rounded half away from zero, kept within 1 ..= 100 years |
//!
//! Moves are relative, so an input at zero (no decay, no discounting) has no
//! swing. Shares stay shares: an end that would leave [0, 1] is cut at its
//! edge (c · 1.2 = 1.08 when c = 0.9 is cut to 1), and the bar says so
//! ([`Bar::within`], [`Bar::low_cut_from`], [`Bar::high_cut_from`]) for every
//! view to show. The shares are the completion rate, the persistence decay
//! and the success rate p1 = p0 + s, so the net success rate stays within
//! [−p0, 1 − p0]. The horizon stays within 1 ..= 100 years the same way.
//! Costs and prices only move by a factor between 0 and 2 and cannot leave
//! their range; a discount rate is not a share and is not cut.
//!
//! [`sensitivity_by_grade`] takes each consequence line's range from its
//! confidence grade instead (issue: evidence grading): grade 1 ± 10 % up to
//! grade 5 ± 50 %, as `evidence.json` sources them; `som sensitivity` does
//! this unless `--range` is given.
//!
//! Every point is an exact Decimal evaluation (tens of microseconds each).

use rust_decimal::{Decimal, RoundingStrategy};

use super::{AnalysisError, Baseline, BreakEven, break_even};
use crate::business_case::BusinessCase;
use crate::engine::{self, prices};
use crate::knowledge_base::EvidenceScale;
use crate::knowledge_base::KnowledgeBase;
use crate::model::PayerAmounts;
use crate::model::{self, Line, Model};
use crate::scenario::Scenario;

/// The result of a one-way sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tornado {
    /// The scenario's name.
    pub scenario: String,
    /// r: each input moves by ± r of its value.
    pub range: Decimal,
    /// NPV (total) at the base values.
    pub base_npv: Decimal,
    /// One bar per input, largest swing first.
    pub bars: Vec<Bar>,
}

/// Which input a [`Bar`] moves, for a report to name it in its language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The net success rate s (p0 fixed).
    NetSuccessRate,
    /// The completion rate.
    CompletionRate,
    /// A cost, by its label.
    Cost(String),
    /// A consequence line's unit price: its service id, its label and, when
    /// moved by its confidence grade, the grade and its range.
    Price {
        /// The service id.
        service: String,
        /// The line's label (the service's English name).
        label: String,
        /// The grade and its range (0.5 for ± 50 %), when moved by grade.
        grade: Option<(u8, Decimal)>,
    },
    /// The persistence's annual decay.
    PersistenceDecay,
    /// Every year's discount rate.
    DiscountRate,
    /// The horizon in years.
    Horizon,
}

impl std::fmt::Display for Input {
    /// The English name, as [`Bar::input`] and the JSON give it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::NetSuccessRate => f.write_str("net success rate"),
            Input::CompletionRate => f.write_str("completion rate"),
            Input::Cost(label) => write!(f, "cost: {label}"),
            Input::Price {
                label,
                grade: Some((grade, r)),
                ..
            } => write!(
                f,
                "price: {label} (grade {grade}, ± {} %)",
                (*r * Decimal::ONE_HUNDRED).normalize()
            ),
            Input::Price { label, .. } => write!(f, "price: {label}"),
            Input::PersistenceDecay => f.write_str("persistence decay"),
            Input::DiscountRate => f.write_str("discount rate"),
            Input::Horizon => f.write_str("horizon (years)"),
        }
    }
}

/// One input's bar in a [`Tornado`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// The input, e.g. `net success rate`, `cost: Team`, `price: Shelter nights`.
    pub input: String,
    /// The same input, for naming it in another language.
    pub what: Input,
    /// The input's base value (for a price: the unit price, all payers, in the
    /// scenario's price year; for the discount rate: r_1).
    pub base_value: Decimal,
    /// The input's value at the low end.
    pub low_value: Decimal,
    /// The input's value at the high end.
    pub high_value: Decimal,
    /// NPV (total) at the low end.
    pub npv_low: Decimal,
    /// NPV (total) at the high end.
    pub npv_high: Decimal,
    /// |npv_high − npv_low|.
    pub swing: Decimal,
    /// The values the input may take, when a range can carry it past them:
    /// [0, 1] for a share, [−p0, 1 − p0] for the net success rate, [1, 100]
    /// for the horizon; none for costs, prices and the discount rate.
    pub within: Option<(Decimal, Decimal)>,
    /// The low end the range would have given, when that lay outside
    /// [`Bar::within`] and `low_value` is the edge it was cut at.
    pub low_cut_from: Option<Decimal>,
    /// The high end the range would have given, when that lay outside
    /// [`Bar::within`] and `high_value` is the edge it was cut at.
    pub high_cut_from: Option<Decimal>,
}

impl Bar {
    /// Whether either end was cut at the edge of [`Bar::within`].
    pub fn is_cut(&self) -> bool {
        self.low_cut_from.is_some() || self.high_cut_from.is_some()
    }
}

/// An end of a bar: the value used, the value the range gave when it was
/// cut, and the model at the value used.
type End = (Decimal, Option<Decimal>, Model);

/// `value` kept within `[lo, hi]`: the edge and the value when it lay outside.
fn cut(value: Decimal, (lo, hi): (Decimal, Decimal)) -> (Decimal, Option<Decimal>) {
    if value < lo {
        (lo, Some(value))
    } else if value > hi {
        (hi, Some(value))
    } else {
        (value, None)
    }
}

/// Runs a one-way sensitivity analysis with range r, 0 < r < 1.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::analysis::{sensitivity, Baseline};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let tornado = sensitivity(&base, Decimal::new(2, 1)).unwrap();
/// assert!(tornado.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
/// assert!(tornado.bars.iter().any(|b| b.input == "net success rate"));
/// ```
pub fn sensitivity(base: &Baseline<'_>, range: Decimal) -> Result<Tornado, AnalysisError> {
    tornado(base, range, |_| None)
}

/// One-way sensitivity with each consequence line's range taken from its
/// confidence grade: the line's unit price (and so its value) moves by ± the
/// grade's `uncertainty` in `evidence.json` (grade 1 ± 10 % ... grade 5
/// ± 50 %). Ungraded lines and every other input move by ± `range`.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::analysis::{sensitivity_by_grade, Baseline};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let tornado = sensitivity_by_grade(&base, Decimal::new(2, 1), kb.evidence_scale()).unwrap();
/// // The example's shelter-day line is graded 4: ± 40 %, so 0.6 and 1.4 times its value.
/// let price = tornado.bars.iter().find(|b| b.input.starts_with("price: Shelter")).unwrap();
/// assert_eq!(price.low_value * Decimal::from(7), price.high_value * Decimal::from(3));
/// ```
pub fn sensitivity_by_grade(
    base: &Baseline<'_>,
    range: Decimal,
    scale: &EvidenceScale,
) -> Result<Tornado, AnalysisError> {
    tornado(base, range, |line| {
        line.grade
            .and_then(|g| scale.grade(g))
            .map(|g| (g.grade, g.uncertainty))
    })
}

/// The tornado, with `graded(line)` giving a line's own (grade, range) when
/// it has one; a failure names the scenario's file.
fn tornado(
    base: &Baseline<'_>,
    range: Decimal,
    graded: impl Fn(&Line) -> Option<(u8, Decimal)>,
) -> Result<Tornado, AnalysisError> {
    tornado_of(base, range, graded).map_err(|e| e.in_file(base.file()))
}

fn tornado_of(
    base: &Baseline<'_>,
    range: Decimal,
    graded: impl Fn(&Line) -> Option<(u8, Decimal)>,
) -> Result<Tornado, AnalysisError> {
    if range <= Decimal::ZERO || range >= Decimal::ONE {
        return Err(AnalysisError::OutOfRange {
            what: "range".into(),
            value: range.to_string(),
            expected: "a share greater than 0 and less than 1 (0.2 for ± 20 %)".into(),
        });
    }
    let model = base.model();
    let base_npv = npv(model, "the base scenario")?;
    let low = Decimal::ONE - range;
    let high = Decimal::ONE + range;
    let mut bars = Vec::new();

    let share = Some((Decimal::ZERO, Decimal::ONE));
    let s = model.net_success_rate();
    // p1 = p0 + s within [0, 1].
    let p0 = model.baseline_rate;
    bars.push(relative(
        model,
        Input::NetSuccessRate,
        s,
        (low, high),
        Some((-p0, Decimal::ONE - p0)),
        |m, v| {
            m.success_rate = m.baseline_rate + v;
        },
    )?);
    bars.push(relative(
        model,
        Input::CompletionRate,
        model.completion_rate,
        (low, high),
        share,
        |m, v| m.completion_rate = v,
    )?);
    for (i, cost) in model.costs.iter().enumerate() {
        bars.push(relative(
            model,
            Input::Cost(cost.label.to_string()),
            cost.amount,
            (low, high),
            None,
            |m, v| m.costs[i].amount = v,
        )?);
    }
    for (i, line) in model.lines.iter().enumerate() {
        let price = prices::converted(&line.unit_price, &line.index_factor)
            .and_then(|p| p.total())
            .map_err(AnalysisError::at(format!("the price of {}", line.label)))?;
        let original = line.unit_price;
        let at = |factor: Decimal| -> Result<Model, AnalysisError> {
            let mut m = model.clone();
            m.lines[i].unit_price = scale_price(&original, factor)?;
            Ok(m)
        };
        let grade = graded(line);
        let (line_low, line_high) = match grade {
            Some((_, r)) => (Decimal::ONE - r, Decimal::ONE + r),
            None => (low, high),
        };
        let input = Input::Price {
            service: line.service.to_string(),
            label: line.label.to_string(),
            grade,
        };
        bars.push(bar(
            input,
            price,
            None,
            (times(price, line_low)?, None, at(line_low)?),
            (times(price, line_high)?, None, at(line_high)?),
        )?);
    }
    bars.push(relative(
        model,
        Input::PersistenceDecay,
        model.persistence.annual_decay,
        (low, high),
        share,
        |m, v| m.persistence.annual_decay = v,
    )?);
    {
        let at = |factor: Decimal| -> Result<Model, AnalysisError> {
            let mut m = model.clone();
            for r in &mut m.discount_rates {
                *r = times(*r, factor)?;
            }
            Ok(m)
        };
        let r1 = model.discount_rates.get(1).copied().unwrap_or_default();
        bars.push(bar(
            Input::DiscountRate,
            r1,
            None,
            (times(r1, low)?, None, at(low)?),
            (times(r1, high)?, None, at(high)?),
        )?);
    }
    {
        let h = Decimal::from(model.horizon_years);
        let years_within = (
            Decimal::ONE,
            Decimal::from(model::limits::MAX_HORIZON_YEARS),
        );
        let end = |factor: Decimal| -> Result<End, AnalysisError> {
            let (years, cut_from) = cut(
                times(h, factor)?.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
                years_within,
            );
            let n = usize::try_from(years).map_err(|_| AnalysisError::OutOfRange {
                what: "horizon_years".into(),
                value: years.to_string(),
                expected: "a whole number of years".into(),
            })?;
            Ok((years, cut_from, base.with_horizon(n)?))
        };
        bars.push(bar(
            Input::Horizon,
            h,
            Some(years_within),
            end(low)?,
            end(high)?,
        )?);
    }

    // Stable: equal swings keep the order above.
    bars.sort_by_key(|b| std::cmp::Reverse(b.swing));
    Ok(Tornado {
        scenario: model.name.clone(),
        range,
        base_npv,
        bars,
    })
}

fn npv(model: &Model, point: &str) -> Result<Decimal, AnalysisError> {
    Ok(engine::evaluate(model)
        .map_err(AnalysisError::at(point))?
        .summary
        .npv
        .total)
}

fn times(a: Decimal, b: Decimal) -> Result<Decimal, AnalysisError> {
    a.checked_mul(b).ok_or(AnalysisError::Calculation {
        point: format!("{a} × {b}"),
        source: crate::CalcError::Overflow {
            step: "sensitivity end",
        },
    })
}

fn scale_price(price: &PayerAmounts, factor: Decimal) -> Result<PayerAmounts, AnalysisError> {
    Ok(PayerAmounts {
        kommune: times(price.kommune, factor)?,
        region: times(price.region, factor)?,
        stat: times(price.stat, factor)?,
    })
}

/// A bar for an input moved to value · low and value · high by `set`,
/// each end cut at the edge of `within` when it would leave it.
fn relative(
    model: &Model,
    input: Input,
    value: Decimal,
    (low, high): (Decimal, Decimal),
    within: Option<(Decimal, Decimal)>,
    set: impl Fn(&mut Model, Decimal),
) -> Result<Bar, AnalysisError> {
    let end = |factor: Decimal| -> Result<End, AnalysisError> {
        let moved = times(value, factor)?;
        let (v, cut_from) = within.map_or((moved, None), |w| cut(moved, w));
        let mut m = model.clone();
        set(&mut m, v);
        Ok((v, cut_from, m))
    };
    bar(input, value, within, end(low)?, end(high)?)
}

fn bar(
    what: Input,
    base_value: Decimal,
    within: Option<(Decimal, Decimal)>,
    (low_value, low_cut_from, low_model): End,
    (high_value, high_cut_from, high_model): End,
) -> Result<Bar, AnalysisError> {
    let input = what.to_string();
    let npv_low = npv(&low_model, &format!("{input} = {low_value}"))?;
    let npv_high = npv(&high_model, &format!("{input} = {high_value}"))?;
    let swing = npv_high
        .checked_sub(npv_low)
        .ok_or(AnalysisError::Calculation {
            point: format!("the swing of {input}"),
            source: crate::CalcError::Overflow {
                step: "sensitivity swing",
            },
        })?
        .abs();
    Ok(Bar {
        input,
        what,
        base_value: base_value.normalize(),
        low_value: low_value.normalize(),
        high_value: high_value.normalize(),
        npv_low,
        npv_high,
        swing,
        within: within.map(|(lo, hi)| (lo.normalize(), hi.normalize())),
        low_cut_from: low_cut_from.map(|d| d.normalize()),
        high_cut_from: high_cut_from.map(|d| d.normalize()),
    })
}

/// The share every input moves by in a one-way sensitivity when none is
/// given: ± 20 %. Consequence lines with a confidence grade move by their
/// grade's uncertainty instead ([`Range::ByGrade`]).
pub const DEFAULT_RANGE: Decimal = Decimal::from_parts(2, 0, 0, false, 1);

/// How far a one-way sensitivity moves each input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Range {
    /// Each graded consequence line by its grade's uncertainty (grade 1
    /// ± 10 % ... grade 5 ± 50 %), every other input by ± [`DEFAULT_RANGE`].
    #[default]
    ByGrade,
    /// Every input by ± this share, greater than 0 and less than 1.
    Uniform(Decimal),
}

/// A one-way sensitivity with the break-even figures: what `som
/// sensitivity`, the service's `POST /v1/sensitivity` and the C ABI's
/// `som_sensitivity` report.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SensitivityAnalysis {
    /// NPV with each input moved on its own.
    pub tornado: Tornado,
    /// The break-even figures of the unchanged scenario.
    pub break_even: BreakEven,
}

/// The tornado and the break-even figures of a scenario.
///
/// ```
/// use som::analysis::{Baseline, Range, analyse_sensitivity};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let analysed = analyse_sensitivity(&base, Range::ByGrade).unwrap();
/// assert!(analysed.break_even.horizon_years.is_some());
/// ```
pub fn analyse_sensitivity(
    base: &Baseline<'_>,
    range: Range,
) -> Result<SensitivityAnalysis, AnalysisError> {
    Ok(SensitivityAnalysis {
        tornado: tornado_in(base, range)?,
        break_even: break_even(base.model()).map_err(|e| e.in_file(base.file()))?,
    })
}

/// The tornado for a [`Range`].
pub fn tornado_in(base: &Baseline<'_>, range: Range) -> Result<Tornado, AnalysisError> {
    match range {
        Range::ByGrade => {
            sensitivity_by_grade(base, DEFAULT_RANGE, base.knowledge_base().evidence_scale())
        }
        Range::Uniform(share) => sensitivity(base, share),
    }
}

/// A business case with the sensitivity of its NPV by grade: what a full
/// report (`som report`) shows.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ReportedCase {
    /// The business case.
    pub case: BusinessCase,
    /// Its tornado, consequence lines moved by their grade.
    pub tornado: Tornado,
}

impl ReportedCase {
    /// Evaluates the scenario and its sensitivity.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let reported = som::analysis::ReportedCase::new(&som::Scenario::example(), kb).unwrap();
    /// assert_eq!(reported.tornado.base_npv, reported.case.summary.npv.total);
    /// ```
    pub fn new(scenario: &Scenario, kb: &KnowledgeBase) -> Result<ReportedCase, AnalysisError> {
        let case = crate::evaluate(scenario, kb)?;
        let tornado = tornado_in(&Baseline::new(scenario, kb)?, Range::ByGrade)?;
        Ok(ReportedCase { case, tornado })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KnowledgeBase, Scenario};

    fn tornado() -> Tornado {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        sensitivity(&base, Decimal::new(2, 1)).unwrap()
    }

    fn bar<'a>(t: &'a Tornado, input: &str) -> &'a Bar {
        t.bars.iter().find(|b| b.input == input).unwrap()
    }

    #[test]
    fn bars_are_sorted_by_swing() {
        let t = tornado();
        assert!(t.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
    }

    #[test]
    fn linear_inputs_swing_symmetrically_around_the_base() {
        // NPV is linear in s, c, every cost and price: the ends sit equally far
        // from the base NPV. (The example's completion rate, 0.9, is cut at 1
        // at its high end, so its bar is not symmetric.)
        let t = tornado();
        for input in ["net success rate", "cost: Team", "cost: Support"] {
            let b = bar(&t, input);
            let up = b.npv_high - t.base_npv;
            let down = t.base_npv - b.npv_low;
            assert!(
                (up - down).abs() < Decimal::new(1, 12),
                "{input}: {up} vs {down}"
            );
        }
    }

    #[test]
    fn a_cost_moved_by_twenty_percent_moves_npv_by_its_discounted_fifth() {
        // Training: 250 000 kr. one-off in year 0 (DF 1): ±50 000 kr.
        let t = tornado();
        let b = bar(&t, "cost: Training");
        assert_eq!(b.low_value, Decimal::from(200_000));
        assert_eq!(b.npv_low - t.base_npv, Decimal::from(50_000));
        assert_eq!(b.swing, Decimal::from(100_000));
    }

    #[test]
    fn horizon_ends_are_rounded_years() {
        let t = tornado();
        let b = bar(&t, "horizon (years)");
        assert_eq!(
            (b.low_value, b.high_value),
            (Decimal::from(8), Decimal::from(12))
        );
    }

    #[test]
    fn a_range_outside_zero_to_one_is_an_error() {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        for r in [Decimal::ZERO, Decimal::ONE, Decimal::from(-1)] {
            assert!(matches!(
                sensitivity(&base, r)
                    .as_ref()
                    .map_err(AnalysisError::unlocated),
                Err(AnalysisError::OutOfRange { .. })
            ));
        }
    }
}
