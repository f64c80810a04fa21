//! The exact engine as it was before issue 17 (commit af69aab), kept here
//! only as the baseline the `engine` benchmark measures against in the same
//! run. It is the same calculation step for step — the same Decimal
//! operations in the same order, per-year vectors and service names cloned
//! per year and line — so a ratio against it shows what the rewrite gained.
//! Its result has the shape the business case had then; the benchmark checks
//! once that its present values equal the current engine's.

// The result's fields are built as the previous engine built them, and not read.
#![allow(dead_code)]

use rust_decimal::Decimal;
use som::PayerAmounts;
use som::model::{AppliesTo, Cost, CostKind, Model, Persistence};

/// The overflow every checked step reports.
#[derive(Debug)]
pub struct Overflow;

fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}
fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}
fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}
fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    if b.is_zero() {
        return Err(Overflow);
    }
    a.checked_div(b).ok_or(Overflow)
}

fn map(
    p: &PayerAmounts,
    mut f: impl FnMut(Decimal) -> Result<Decimal, Overflow>,
) -> Result<PayerAmounts, Overflow> {
    Ok(PayerAmounts {
        kommune: f(p.kommune)?,
        region: f(p.region)?,
        stat: f(p.stat)?,
    })
}
fn zip(
    a: &PayerAmounts,
    b: &PayerAmounts,
    mut f: impl FnMut(Decimal, Decimal) -> Result<Decimal, Overflow>,
) -> Result<PayerAmounts, Overflow> {
    Ok(PayerAmounts {
        kommune: f(a.kommune, b.kommune)?,
        region: f(a.region, b.region)?,
        stat: f(a.stat, b.stat)?,
    })
}
fn total(p: &PayerAmounts) -> Result<Decimal, Overflow> {
    add(add(p.kommune, p.region)?, p.stat)
}

/// An amount per payer with its total, as the business case held it.
#[derive(Clone, Copy, Debug)]
pub struct Split {
    pub kommune: Decimal,
    pub region: Decimal,
    pub stat: Decimal,
    pub total: Decimal,
}

impl Split {
    fn of(p: &PayerAmounts) -> Result<Split, Overflow> {
        Ok(Split {
            kommune: p.kommune,
            region: p.region,
            stat: p.stat,
            total: total(p)?,
        })
    }
}

/// One year's flows, with gains by area and by line keyed by cloned names.
#[derive(Debug)]
pub struct YearFlows {
    pub t: usize,
    pub year: i32,
    pub discount_factor: Decimal,
    pub costs: Split,
    pub gains: Split,
    pub net: Split,
    pub net_discounted: Split,
    pub cumulative_net_discounted: Split,
    pub gains_by_area: Vec<(String, Decimal)>,
    pub gains_by_line: Vec<(String, Decimal)>,
}

/// A consequence line as used.
#[derive(Debug)]
pub struct LineResult {
    pub service: String,
    pub label: String,
    pub unit: String,
    pub area: String,
    pub applies_to: AppliesTo,
    pub profile: Vec<Decimal>,
    pub unit_price: Split,
    pub source_price_year: i32,
    pub quantities: Vec<Decimal>,
    pub pv_gains: Decimal,
    pub grade: Option<u8>,
}

/// The summary figures.
#[derive(Debug)]
pub struct Summary {
    pub pv_costs: Split,
    pub pv_gains: Split,
    pub npv: Split,
    pub benefit_cost_ratio: Option<Decimal>,
    pub return_per_krone: Option<Decimal>,
    pub break_even_year: Option<i32>,
    pub break_even_success_rate: Option<Decimal>,
    pub npv_per_participant: Option<Decimal>,
    pub npv_per_success: Option<Decimal>,
    pub participants: Decimal,
    pub successes: Decimal,
}

/// The business case as the previous engine built it.
#[derive(Debug)]
pub struct Case {
    pub scenario: String,
    pub context: som::model::CaseContext,
    pub participants_by_year: Vec<Decimal>,
    pub lines: Vec<LineResult>,
    pub costs: Vec<Cost>,
    pub years: Vec<YearFlows>,
    pub summary: Summary,
}

fn persistence_weights(persistence: &Persistence, len: usize) -> Result<Vec<Decimal>, Overflow> {
    let kept = sub(Decimal::ONE, persistence.annual_decay)?;
    let duration = persistence.duration_years.unwrap_or(len);
    let mut weights = Vec::with_capacity(len);
    let mut w = Decimal::ONE;
    for k in 0..len {
        if k >= duration {
            weights.push(Decimal::ZERO);
            continue;
        }
        weights.push(w);
        w = mul(w, kept)?;
    }
    Ok(weights)
}

fn quantities(
    base: &[Decimal],
    profile: &[Decimal],
    weights: Option<&[Decimal]>,
    lag: usize,
    horizon: usize,
) -> Result<Vec<Decimal>, Overflow> {
    let weighted: Vec<Decimal> = match weights {
        Some(w) => profile
            .iter()
            .zip(w)
            .map(|(q, w)| mul(*q, *w))
            .collect::<Result<_, _>>()?,
        None => profile.to_vec(),
    };
    let mut out = vec![Decimal::ZERO; horizon];
    for (r, b) in base.iter().enumerate() {
        if b.is_zero() {
            continue;
        }
        for (k, q) in weighted.iter().enumerate() {
            let t = r + lag + k;
            if t >= horizon {
                break;
            }
            out[t] = add(out[t], mul(*b, *q)?)?;
        }
    }
    Ok(out)
}

fn factors(rates: &[Decimal]) -> Result<Vec<Decimal>, Overflow> {
    let mut out = Vec::with_capacity(rates.len());
    let mut df = Decimal::ONE;
    for (t, r) in rates.iter().enumerate() {
        if t > 0 {
            df = div(df, add(Decimal::ONE, *r)?)?;
        }
        out.push(df);
    }
    Ok(out)
}

fn add_to(p: &mut PayerAmounts, payer: som::Payer, amount: Decimal) -> Result<(), Overflow> {
    let slot = p.get_mut(payer);
    *slot = add(*slot, amount)?;
    Ok(())
}

fn cost_flows(
    costs: &[Cost],
    participants: &[Decimal],
    horizon: usize,
) -> Result<Vec<PayerAmounts>, Overflow> {
    let mut flows = vec![PayerAmounts::ZERO; horizon];
    for cost in costs {
        match cost.kind {
            CostKind::OneOff { year } => {
                if let Some(flow) = flows.get_mut(year) {
                    add_to(flow, cost.payer, cost.amount)?;
                }
            }
            CostKind::PerYear { from_year, to_year } => {
                for flow in flows
                    .iter_mut()
                    .take(to_year.saturating_add(1))
                    .skip(from_year)
                {
                    add_to(flow, cost.payer, cost.amount)?;
                }
            }
            CostKind::PerParticipant { years } => {
                for (entry, n) in participants.iter().enumerate() {
                    let amount = mul(cost.amount, *n)?;
                    for flow in flows.iter_mut().skip(entry).take(years) {
                        add_to(flow, cost.payer, amount)?;
                    }
                }
            }
        }
    }
    Ok(flows)
}

fn ratio(n: Decimal, d: Decimal) -> Result<Option<Decimal>, Overflow> {
    if d.is_zero() {
        Ok(None)
    } else {
        div(n, d).map(Some)
    }
}

fn sum(values: &[Decimal]) -> Result<Decimal, Overflow> {
    values.iter().try_fold(Decimal::ZERO, |a, v| add(a, *v))
}

/// The previous engine's `evaluate`.
pub fn evaluate(model: &Model) -> Result<Case, Overflow> {
    let horizon = model.horizon_years;
    let s = model.net_success_rate();
    let df = factors(&model.discount_rates)?;
    let completers: Vec<Decimal> = model
        .participants
        .iter()
        .map(|n| mul(*n, model.completion_rate))
        .collect::<Result<_, _>>()?;
    let successes: Vec<Decimal> = completers
        .iter()
        .map(|nc| mul(*nc, s))
        .collect::<Result<_, _>>()?;

    let mut gains = vec![PayerAmounts::ZERO; horizon];
    let mut areas: Vec<String> = Vec::new();
    let mut by_area = vec![Vec::<Decimal>::new(); horizon];
    let mut by_line = vec![Vec::<Decimal>::new(); horizon];
    let mut lines = Vec::with_capacity(model.lines.len());
    let mut pv_gains_per_unit_s = Decimal::ZERO;
    let mut pv_gains = PayerAmounts::ZERO;

    for line in &model.lines {
        let area_index = match areas.iter().position(|a| **a == *line.area) {
            Some(i) => i,
            None => {
                areas.push(line.area.to_string());
                by_area.iter_mut().for_each(|v| v.push(Decimal::ZERO));
                areas.len() - 1
            }
        };
        let f = line.index_factor;
        let unit_price = map(&line.unit_price, |p| {
            if f.denominator == Decimal::ONE {
                mul(p, f.numerator)
            } else {
                div(mul(p, f.numerator)?, f.denominator)
            }
        })?;
        let price_total = total(&unit_price)?;
        let (base_quantities, scale) = match line.applies_to {
            AppliesTo::Successes => {
                let weights = persistence_weights(&model.persistence, line.profile.len())?;
                (
                    quantities(
                        &completers,
                        &line.profile,
                        Some(&weights),
                        model.effect_lag_years,
                        horizon,
                    )?,
                    s,
                )
            }
            AppliesTo::Participants => (
                quantities(
                    &model.participants,
                    &line.profile,
                    None,
                    model.effect_lag_years,
                    horizon,
                )?,
                Decimal::ONE,
            ),
        };
        let mut discounted = Decimal::ZERO;
        for (q, d) in base_quantities.iter().zip(&df) {
            discounted = add(discounted, mul(*q, *d)?)?;
        }
        if line.applies_to == AppliesTo::Successes {
            pv_gains_per_unit_s = sub(pv_gains_per_unit_s, mul(discounted, price_total)?)?;
        }
        let discounted = mul(discounted, scale)?;
        let pv_line = -mul(discounted, price_total)?;
        pv_gains = zip(
            &pv_gains,
            &map(&unit_price, |p| Ok(-mul(discounted, p)?))?,
            add,
        )?;
        let quantities: Vec<Decimal> = if scale == Decimal::ONE {
            base_quantities
        } else {
            base_quantities
                .iter()
                .map(|q| mul(*q, scale))
                .collect::<Result<_, _>>()?
        };
        for (t, q) in quantities.iter().enumerate() {
            let gain = map(&unit_price, |p| Ok(-mul(*q, p)?))?;
            gains[t] = zip(&gains[t], &gain, add)?;
            let gain_total = total(&gain)?;
            by_area[t][area_index] = add(by_area[t][area_index], gain_total)?;
            by_line[t].push(gain_total);
        }
        lines.push(LineResult {
            service: line.service.to_string(),
            label: line.label.to_string(),
            unit: line.unit.to_string(),
            area: line.area.to_string(),
            applies_to: line.applies_to,
            profile: line.profile.clone(),
            unit_price: Split::of(&unit_price)?,
            source_price_year: line.price_year,
            quantities,
            pv_gains: pv_line,
            grade: line.grade,
        });
    }

    let cost_flows = cost_flows(&model.costs, &model.participants, horizon)?;
    let mut years = Vec::with_capacity(horizon);
    let mut cumulative = PayerAmounts::ZERO;
    let mut pv_costs = PayerAmounts::ZERO;
    for t in 0..horizon {
        let net = zip(&gains[t], &cost_flows[t], sub)?;
        let discounted = map(&net, |v| mul(v, df[t]))?;
        cumulative = zip(&cumulative, &discounted, add)?;
        pv_costs = zip(&pv_costs, &map(&cost_flows[t], |v| mul(v, df[t]))?, add)?;
        years.push(YearFlows {
            t,
            year: model.start_year + t as i32,
            discount_factor: df[t],
            costs: Split::of(&cost_flows[t])?,
            gains: Split::of(&gains[t])?,
            net: Split::of(&net)?,
            net_discounted: Split::of(&discounted)?,
            cumulative_net_discounted: Split::of(&cumulative)?,
            gains_by_area: areas
                .iter()
                .cloned()
                .zip(by_area[t].iter().copied())
                .collect(),
            gains_by_line: model
                .lines
                .iter()
                .map(|l| l.service.to_string())
                .zip(by_line[t].iter().copied())
                .collect(),
        });
    }

    let npv = Split::of(&cumulative)?;
    let pv_costs = Split::of(&pv_costs)?;
    let pv_gains = Split::of(&pv_gains)?;
    let participants = sum(&model.participants)?;
    let total_successes = sum(&successes)?;
    let trailing = years
        .iter()
        .rev()
        .take_while(|y| y.cumulative_net_discounted.total >= Decimal::ZERO)
        .count();
    let break_even_year =
        (trailing > 0).then(|| model.start_year + (years.len() - trailing) as i32);
    let break_even_success_rate = match ratio(npv.total, pv_gains_per_unit_s)? {
        Some(shift) => Some(sub(s, shift)?),
        None => None,
    };
    let summary = Summary {
        benefit_cost_ratio: ratio(pv_gains.total, pv_costs.total)?,
        return_per_krone: ratio(npv.total, pv_costs.total)?,
        break_even_year,
        break_even_success_rate,
        npv_per_participant: ratio(npv.total, participants)?,
        npv_per_success: ratio(npv.total, total_successes)?,
        participants,
        successes: total_successes,
        pv_costs,
        pv_gains,
        npv,
    };
    Ok(Case {
        scenario: model.name.clone(),
        context: (*model.context).clone(),
        participants_by_year: model.participants.clone(),
        lines,
        costs: model.costs.clone(),
        years,
        summary,
    })
}
