//! Puts the steps together (DESIGN.md §1.6, §1.8).
//!
//! One pass over the lines and one over the years, with the lines' names
//! kept where they are (the years hold gains by line and area by index), and
//! every product and sum on [`Fast`] arithmetic: rust_decimal's results to
//! the last bit, on `u128` where they fit ([`super::arith`]).
//! [`evaluate_plain`] is the same calculation on rust_decimal's own
//! operations, the reference a property test holds the engine to.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::arith::{Arith, Fast, Plain, is_one};
use super::costs;
use super::kommune::KommuneGains;
use crate::business_case::{BusinessCase, LineResult, Split, Summary, YearFlows, break_even_index};
use crate::model::{AppliesTo, CalcError, Model, PayerAmounts};

/// Evaluates a model into a business case.
///
/// Signs (DESIGN.md §1.6): everything is the effect on the public budget,
/// positive = better off. `net_p(t) = -costs_p(t) - Σ_l V_lp(t)`, so a fall in
/// service use (negative quantity at a positive price) is a gain.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let model = som::Scenario::example().resolve(kb).unwrap();
/// let case = som::engine::evaluate(&model).unwrap();
/// assert_eq!(case.years.len(), model.horizon_years);
/// ```
pub fn evaluate(model: &Model) -> Result<BusinessCase, CalcError> {
    full::<Fast>(model)
}

/// [`evaluate`] on rust_decimal's own checked operations instead of the
/// engine's `u128` arithmetic: the same business case to the last bit,
/// several times slower. It is the reference the engine is tested against.
///
/// ```
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// assert_eq!(som::engine::evaluate_plain(&model), som::engine::evaluate(&model));
/// ```
pub fn evaluate_plain(model: &Model) -> Result<BusinessCase, CalcError> {
    full::<Plain>(model)
}

/// The business case with its years, lines, committees and financing, on
/// the arithmetic `A`.
fn full<A: Arith>(model: &Model) -> Result<BusinessCase, CalcError> {
    let (summary, mut detail) = calculate::<A>(model, true)?;
    let views = std::mem::take(&mut detail.kommune);
    let df = std::mem::take(&mut detail.df);
    let case = business_case(model, summary, detail);
    super::kommune::add_kommune_views::<A>(model, case, views, &df)
}

/// Evaluates a model into its summary figures only: the `summary` of
/// [`evaluate`], to the last digit, without the years' splits and the lines.
/// As it skips their totals, a model whose only overflow lies in a year's or
/// a line's total over payers gets its figures here where [`evaluate`]
/// reports the overflow.
///
/// ```
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let summary = som::engine::evaluate_summary(&model).unwrap();
/// assert_eq!(summary, som::engine::evaluate(&model).unwrap().summary);
/// ```
pub fn evaluate_summary(model: &Model) -> Result<Summary, CalcError> {
    calculate::<Fast>(model, false).map(|(summary, _)| summary)
}

/// What a full evaluation adds to the summary.
#[derive(Default)]
struct Detail {
    lines: Vec<LineResult>,
    areas: Vec<Arc<str>>,
    years: Vec<YearFlows>,
    kommune: KommuneGains,
    /// DF(t), for the committees' and the grants' present values.
    df: Vec<Decimal>,
}

fn business_case(model: &Model, summary: Summary, detail: Detail) -> BusinessCase {
    BusinessCase {
        scenario: model.name.clone(),
        start_year: model.start_year,
        horizon_years: model.horizon_years,
        price_year: model.price_year,
        context: model.context.clone(),
        success_rate: model.success_rate,
        baseline_rate: model.baseline_rate,
        net_success_rate: model.net_success_rate(),
        completion_rate: model.completion_rate,
        effect_lag_years: model.effect_lag_years,
        persistence: model.persistence.clone(),
        participants_by_year: model.participants.clone(),
        lines: detail.lines,
        areas: detail.areas,
        costs: model.costs.clone(),
        years: detail.years,
        summary,
        unadjusted: None,
        committees: Vec::new(),
        financing: None,
    }
}

#[inline(always)]
pub(super) fn add<A: Arith>(
    a: Decimal,
    b: Decimal,
    step: &'static str,
) -> Result<Decimal, CalcError> {
    A::add(a, b).ok_or(CalcError::Overflow { step })
}

#[inline(always)]
pub(super) fn sub<A: Arith>(
    a: Decimal,
    b: Decimal,
    step: &'static str,
) -> Result<Decimal, CalcError> {
    A::sub(a, b).ok_or(CalcError::Overflow { step })
}

#[inline(always)]
pub(super) fn mul<A: Arith>(
    a: Decimal,
    b: Decimal,
    step: &'static str,
) -> Result<Decimal, CalcError> {
    A::mul(a, b).ok_or(CalcError::Overflow { step })
}

/// a / b; a zero b is a division by zero.
#[inline(always)]
fn div<A: Arith>(a: Decimal, b: Decimal, step: &'static str) -> Result<Decimal, CalcError> {
    if b.is_zero() {
        return Err(CalcError::DivisionByZero { step });
    }
    A::div(a, b).ok_or(CalcError::Overflow { step })
}

/// a / b, none for a zero b (DESIGN.md §5: such ratios are null).
#[inline(always)]
fn ratio<A: Arith>(
    a: Decimal,
    b: Decimal,
    step: &'static str,
) -> Result<Option<Decimal>, CalcError> {
    if b.is_zero() {
        Ok(None)
    } else {
        div::<A>(a, b, step).map(Some)
    }
}

/// DF(0) = 1, DF(t) = DF(t-1) / (1 + r_t) (DESIGN.md §1.7), as
/// [`factors`](super::discounting::factors) computes them.
fn discount_factors<A: Arith>(rates: &[Decimal]) -> Result<Vec<Decimal>, CalcError> {
    let mut out = Vec::with_capacity(rates.len());
    let mut df = Decimal::ONE;
    for (t, r) in rates.iter().enumerate() {
        if t > 0 {
            let growth = add::<A>(Decimal::ONE, *r, "discount factor")?;
            df = div::<A>(df, growth, "discount factor")?;
        }
        out.push(df);
    }
    Ok(out)
}

/// kommune + region + stat, in that order.
#[inline(always)]
fn total<A: Arith>(p: &PayerAmounts) -> Result<Decimal, CalcError> {
    let step = "total over payers";
    add::<A>(add::<A>(p.kommune, p.region, step)?, p.stat, step)
}

#[inline(always)]
fn split<A: Arith>(p: &PayerAmounts) -> Result<Split, CalcError> {
    Ok(Split {
        kommune: p.kommune,
        region: p.region,
        stat: p.stat,
        total: total::<A>(p)?,
    })
}

#[inline(always)]
fn map(
    p: &PayerAmounts,
    mut f: impl FnMut(Decimal) -> Result<Decimal, CalcError>,
) -> Result<PayerAmounts, CalcError> {
    Ok(PayerAmounts {
        kommune: f(p.kommune)?,
        region: f(p.region)?,
        stat: f(p.stat)?,
    })
}

#[inline(always)]
fn plus<A: Arith>(
    a: &PayerAmounts,
    b: &PayerAmounts,
    step: &'static str,
) -> Result<PayerAmounts, CalcError> {
    Ok(PayerAmounts {
        kommune: add::<A>(a.kommune, b.kommune, step)?,
        region: add::<A>(a.region, b.region, step)?,
        stat: add::<A>(a.stat, b.stat, step)?,
    })
}

/// The calculation, step by step as DESIGN.md §1 writes it; each product
/// and sum is the one the engine has always computed, in the same order, so
/// the rounding of every figure is unchanged.
fn calculate<A: Arith>(model: &Model, detail: bool) -> Result<(Summary, Detail), CalcError> {
    crate::cancel::check()?;
    let horizon = model.horizon_years;
    let s = model.net_success_rate();
    let df = discount_factors::<A>(&model.discount_rates)?;
    // Filled with a loop into a vector of the right size: collecting into
    // a `Result` cannot know the length and grows the vector twice.
    let mut completers = Vec::with_capacity(model.participants.len());
    for n in &model.participants {
        completers.push(mul::<A>(
            *n,
            model.completion_rate,
            "completers per cohort",
        )?);
    }
    let mut successes = Vec::with_capacity(completers.len());
    for nc in &completers {
        successes.push(mul::<A>(*nc, s, "successes per cohort")?);
    }
    // Persistence weights w[k] = (1 - decay)^k, 0 from the duration on: the
    // weights of a shorter profile are a prefix of a longer one's.
    let longest = model
        .lines
        .iter()
        .map(|l| l.profile.len())
        .max()
        .unwrap_or(0);
    let weights = persistence_weights::<A>(model, longest)?;

    let mut gains = vec![PayerAmounts::ZERO; horizon];
    let lines_n = model.lines.len();
    let mut out = Detail::default();
    // Gains by line and by area, year-major: [t · lines + l], [t · areas + a].
    let mut by_line = Vec::new();
    let mut area_of_line = Vec::new();
    if detail {
        by_line = vec![Decimal::ZERO; horizon * lines_n];
        out.lines.reserve_exact(lines_n);
        for line in &model.lines {
            let a = match out.areas.iter().position(|a| *a == line.area) {
                Some(a) => a,
                None => {
                    out.areas.push(line.area.clone());
                    out.areas.len() - 1
                }
            };
            area_of_line.push(a);
        }
        out.kommune = KommuneGains::new(model);
    }
    let areas_n = out.areas.len();
    let mut by_area = vec![Decimal::ZERO; if detail { horizon * areas_n } else { 0 }];
    let mut pv_gains_per_unit_s = Decimal::ZERO;
    let mut pv_gains = PayerAmounts::ZERO;
    let mut weighted = Vec::with_capacity(longest);

    for (l, line) in model.lines.iter().enumerate() {
        // A stopped calculation ends within one line (crate::cancel).
        crate::cancel::check()?;
        // The unit price in the scenario's price year: price_p · index(P) / index(py) (§1.4).
        let factor = &line.index_factor;
        let unit_price = map(&line.unit_price, |p| {
            let step = "price index conversion";
            let times = mul::<A>(p, factor.numerator, step)?;
            if is_one(factor.denominator) {
                Ok(times)
            } else {
                div::<A>(times, factor.denominator, step)
            }
        })?;
        let price_total = total::<A>(&unit_price)?;
        // Q(t) = Σ_r base_r · q[t - r - lag] · w[t - r - lag] per unit of s for lines
        // on successes (s is factored out, exactly), as it is for participants (§1.3).
        let (base, scale) = match line.applies_to {
            AppliesTo::Successes => {
                weighted.clear();
                for (q, w) in line.profile.iter().zip(&weights) {
                    weighted.push(mul::<A>(*q, *w, "consequence profile with persistence")?);
                }
                (&completers, s)
            }
            AppliesTo::Participants => {
                weighted.clear();
                weighted.extend_from_slice(&line.profile);
                (&model.participants, Decimal::ONE)
            }
        };
        let mut quantities = quantities::<A>(base, &weighted, model.effect_lag_years, horizon)?;
        // Σ_t DF(t)·Q(t): one product a year gives every present value of the line.
        let step = "present value of a line";
        let discounted = present_value::<A>(&quantities, &df)?;
        if line.applies_to == AppliesTo::Successes {
            let step = "break-even success rate";
            pv_gains_per_unit_s = sub::<A>(
                pv_gains_per_unit_s,
                mul::<A>(discounted, price_total, step)?,
                step,
            )?;
        }
        let discounted = mul::<A>(discounted, scale, step)?;
        let pv_line = -mul::<A>(discounted, price_total, step)?;
        let step = "present value of gains";
        let pv = map(&unit_price, |p| Ok(-mul::<A>(discounted, p, step)?))?;
        pv_gains = plus::<A>(&pv_gains, &pv, step)?;
        if !is_one(scale) {
            for q in &mut quantities {
                *q = mul::<A>(*q, scale, "quantity change")?;
            }
        }
        if detail {
            let by_year = ByYear {
                kommune: &mut out.kommune,
                by_line: &mut by_line,
                by_area: &mut by_area,
                area: area_of_line[l],
                areas: areas_n,
                lines: lines_n,
            };
            value_changes::<A>(&quantities, &unit_price, &mut gains, Some((l, by_year)))?;
        } else {
            value_changes::<A>(&quantities, &unit_price, &mut gains, None)?;
        }
        if detail {
            out.lines.push(LineResult {
                service: line.service.clone(),
                label: line.label.clone(),
                unit: line.unit.clone(),
                area: line.area.clone(),
                applies_to: line.applies_to,
                profile: line.profile.clone(),
                unit_price: split::<A>(&unit_price)?,
                source_price_year: line.price_year,
                quantities,
                pv_gains: pv_line,
                grade: line.grade,
                committee: line.committee.clone(),
            });
        }
    }

    let cost_flows = costs::flows::<A, PayerAmounts>(&model.costs, &model.participants, horizon)?;

    if detail {
        out.years.reserve_exact(horizon);
    }
    let mut cumulative = PayerAmounts::ZERO;
    let mut pv_costs = PayerAmounts::ZERO;
    let mut cumulative_totals = Vec::with_capacity(horizon);
    for t in 0..horizon {
        let cost = &cost_flows[t];
        let net = PayerAmounts {
            kommune: sub::<A>(gains[t].kommune, cost.kommune, "net")?,
            region: sub::<A>(gains[t].region, cost.region, "net")?,
            stat: sub::<A>(gains[t].stat, cost.stat, "net")?,
        };
        let discounted = map(&net, |v| mul::<A>(v, df[t], "discounted net"))?;
        cumulative = plus::<A>(&cumulative, &discounted, "cumulative discounted net")?;
        let step = "present value of costs";
        pv_costs = plus::<A>(&pv_costs, &map(cost, |v| mul::<A>(v, df[t], step))?, step)?;
        let cumulative_split = split::<A>(&cumulative)?;
        cumulative_totals.push(cumulative_split.total);
        if detail {
            out.years.push(YearFlows {
                t,
                year: year_of(model.start_year, t)?,
                discount_factor: df[t],
                costs: split::<A>(cost)?,
                gains: split::<A>(&gains[t])?,
                net: split::<A>(&net)?,
                net_discounted: split::<A>(&discounted)?,
                cumulative_net_discounted: cumulative_split,
                gains_by_area: by_area[t * areas_n..(t + 1) * areas_n].to_vec(),
                gains_by_line: by_line[t * lines_n..(t + 1) * lines_n].to_vec(),
            });
        }
    }

    let npv = split::<A>(&cumulative)?;
    let pv_costs = split::<A>(&pv_costs)?;
    let pv_gains = split::<A>(&pv_gains)?;
    let participants = sum::<A>(&model.participants, "participants")?;
    let total_successes = sum::<A>(&successes, "successes")?;
    let break_even_year = match break_even_index(&cumulative_totals) {
        Some(t) => Some(year_of(model.start_year, t)?),
        None => None,
    };
    // NPV is linear in s: NPV(s') = NPV(s) + (s' - s)·B with B the PV of
    // success-driven gains per unit of s, so NPV = 0 at s' = s - NPV(s)/B.
    let break_even_success_rate =
        match ratio::<A>(npv.total, pv_gains_per_unit_s, "break-even success rate")? {
            Some(shift) => Some(sub::<A>(s, shift, "break-even success rate")?),
            None => None,
        };

    if detail {
        out.df = df;
    }
    let summary = Summary {
        benefit_cost_ratio: ratio::<A>(pv_gains.total, pv_costs.total, "benefit-cost ratio")?,
        return_per_krone: ratio::<A>(npv.total, pv_costs.total, "return per krone")?,
        break_even_year,
        break_even_success_rate,
        npv_per_participant: ratio::<A>(npv.total, participants, "NPV per participant")?,
        npv_per_success: ratio::<A>(npv.total, total_successes, "NPV per success")?,
        participants,
        successes: total_successes,
        pv_costs,
        pv_gains,
        npv,
    };
    Ok((summary, out))
}

/// Q(t) = Σ_r base_r · q_w[t - r - lag] over the cohorts r (§1.3): each
/// cohort's changes added year by year, cohort after cohort.
///
/// This and the other steps of a line are functions of their own, out of
/// line: inlined into [`calculate`] they made one function so large that
/// its loop-invariant figures were kept on the stack and read back in every
/// iteration.
#[inline(never)]
pub(super) fn quantities<A: Arith>(
    base: &[Decimal],
    weighted: &[Decimal],
    lag: usize,
    horizon: usize,
) -> Result<Vec<Decimal>, CalcError> {
    let mut quantities = vec![Decimal::ZERO; horizon];
    for (r, b) in base.iter().enumerate() {
        if b.is_zero() {
            continue;
        }
        for (k, q) in weighted.iter().enumerate() {
            let t = r + lag + k;
            if t >= horizon {
                break;
            }
            let change = mul::<A>(*b, *q, "quantity change")?;
            quantities[t] = add::<A>(quantities[t], change, "quantity change")?;
        }
    }
    Ok(quantities)
}

/// Σ_t DF(t)·Q(t), summed in year order.
#[inline(never)]
fn present_value<A: Arith>(quantities: &[Decimal], df: &[Decimal]) -> Result<Decimal, CalcError> {
    let step = "present value of a line";
    let mut discounted = Decimal::ZERO;
    for (q, d) in quantities.iter().zip(df) {
        discounted = add::<A>(discounted, mul::<A>(*q, *d, step)?, step)?;
    }
    Ok(discounted)
}

/// Where a full evaluation keeps a line's gains by year: its kommune's
/// gains by committee, and the gains by line and by area, year-major.
struct ByYear<'a> {
    kommune: &'a mut KommuneGains,
    by_line: &'a mut [Decimal],
    by_area: &'a mut [Decimal],
    /// The line's area, an index into the areas.
    area: usize,
    areas: usize,
    lines: usize,
}

/// The gains of line `l` year by year, -Q(t) · price_p (§1.6), added to
/// each year's gains and, for a full evaluation, to its views by year.
#[inline(never)]
fn value_changes<A: Arith>(
    quantities: &[Decimal],
    unit_price: &PayerAmounts,
    gains: &mut [PayerAmounts],
    mut detail: Option<(usize, ByYear<'_>)>,
) -> Result<(), CalcError> {
    for (t, q) in quantities.iter().enumerate() {
        // Gains are the negated value of the change in use (§1.6).
        let step = "value of a quantity change";
        let gain = map(unit_price, |p| Ok(-mul::<A>(*q, p, step)?))?;
        gains[t] = plus::<A>(&gains[t], &gain, "gains")?;
        if let Some((l, by_year)) = &mut detail {
            by_year.kommune.add::<A>(*l, t, gain.kommune);
            let gain_total = total::<A>(&gain)?;
            let area = &mut by_year.by_area[t * by_year.areas + by_year.area];
            *area = add::<A>(*area, gain_total, "gains by area")?;
            by_year.by_line[t * by_year.lines + *l] = gain_total;
        }
    }
    Ok(())
}

/// w[k] = (1 - annual_decay)^k for k < duration_years, 0 after; `len` weights.
fn persistence_weights<A: Arith>(model: &Model, len: usize) -> Result<Vec<Decimal>, CalcError> {
    let persistence = &model.persistence;
    let kept = sub::<A>(Decimal::ONE, persistence.annual_decay, "persistence")?;
    let duration = persistence.duration_years.unwrap_or(usize::MAX);
    let mut weights = Vec::with_capacity(len);
    let mut w = Decimal::ONE;
    for k in 0..len {
        if k >= duration {
            weights.push(Decimal::ZERO);
            continue;
        }
        weights.push(w);
        w = mul::<A>(w, kept, "persistence")?;
    }
    Ok(weights)
}

/// The checked sum of a series.
fn sum<A: Arith>(values: &[Decimal], step: &'static str) -> Result<Decimal, CalcError> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| add::<A>(acc, *v, step))
}

fn year_of(start_year: i32, t: usize) -> Result<i32, CalcError> {
    i32::try_from(t)
        .ok()
        .and_then(|t| start_year.checked_add(t))
        .ok_or(CalcError::Overflow {
            step: "calendar year",
        })
}
