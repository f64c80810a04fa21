//! The kommune's side of a business case, added after the calculation: its
//! result by committee (DESIGN.md §1.11) and the grants that pay part of its
//! costs (§1.10). Both are sums over figures the engine has already
//! computed, so the calculation itself is unchanged by them.

use rust_decimal::Decimal;

use super::arith::{Arith, Fast};
use super::costs::flows;
use super::evaluate::{add, mul, sub};
use crate::business_case::{BusinessCase, CommitteeResult, Financing, GrantResult, Split};
use crate::model::{CalcError, Checked, Grant, Model, Payer, PayerAmounts};

/// The case with its committees and financing filled in, on the engine's
/// arithmetic `A`.
pub(super) fn add_kommune_views<A: Arith>(
    model: &Model,
    mut case: BusinessCase,
) -> Result<BusinessCase, CalcError> {
    let df: Vec<Decimal> = case.years.iter().map(|y| y.discount_factor).collect();
    case.committees = case
        .context
        .committees
        .iter()
        .map(|c| committee::<A>(&c.id, &case, model, &df))
        .collect::<Result<_, _>>()?;
    if !model.financing.is_empty() {
        case.financing = Some(financing_with::<A>(&model.financing, &case, &df)?);
    }
    Ok(case)
}

/// Σ_t DF(t) · x(t).
pub(crate) fn present_value(flows: &[Decimal], df: &[Decimal]) -> Result<Decimal, CalcError> {
    present_value_with::<Fast>(flows, df)
}

/// [`present_value`] on the arithmetic `A`.
fn present_value_with<A: Arith>(flows: &[Decimal], df: &[Decimal]) -> Result<Decimal, CalcError> {
    let step = "present value by committee";
    flows.iter().zip(df).try_fold(Decimal::ZERO, |pv, (x, d)| {
        add::<A>(pv, mul::<A>(*x, *d, step)?, step)
    })
}

fn committee<A: Arith>(
    id: &str,
    case: &BusinessCase,
    model: &Model,
    df: &[Decimal],
) -> Result<CommitteeResult, CalcError> {
    let h = case.years.len();
    let mine = |c: &Option<String>| c.as_deref() == Some(id);
    let mut gains = vec![Decimal::ZERO; h];
    let mut line_gains = Vec::with_capacity(h);
    for line in case.lines.iter().filter(|l| mine(&l.committee)) {
        // The kommune's gain from the line in year t: −Q(t) · price_kommune,
        // the product the engine sums into the kommune's gains (§1.6).
        let price = line.unit_price.kommune;
        line_gains.clear();
        for q in &line.quantities {
            line_gains.push(-mul::<A>(*q, price, "value of a quantity change")?);
        }
        for (total, gain) in gains.iter_mut().zip(&line_gains) {
            *total = add::<A>(*total, *gain, "gains by committee")?;
        }
    }
    let own_costs = model
        .costs
        .iter()
        .filter(|c| c.payer == Payer::Kommune && mine(&c.committee));
    let costs: Vec<Decimal> = flows::<A>(own_costs, &model.participants, h)?
        .iter()
        .map(|p| p.kommune)
        .collect();
    let mut financing = vec![Decimal::ZERO; h];
    for grant in model.financing.iter().filter(|g| mine(&g.committee)) {
        for (total, x) in financing.iter_mut().zip(&grant.amounts) {
            *total = add::<A>(*total, *x, "financing by committee")?;
        }
    }
    let pv_gains = present_value_with::<A>(&gains, df)?;
    let pv_costs = present_value_with::<A>(&costs, df)?;
    let pv_financing = present_value_with::<A>(&financing, df)?;
    let npv = sub::<A>(pv_gains, pv_costs, "result by committee")?;
    Ok(CommitteeResult {
        committee: id.to_owned(),
        npv_with_financing: add::<A>(npv, pv_financing, "result by committee")?,
        gains,
        costs,
        financing,
        pv_gains,
        pv_costs,
        pv_financing,
        npv,
    })
}

/// The grants' flows between payers: the kommune receives each grant, the
/// state or the region gives its own, and money from outside the public
/// sector is the total's gain (§1.10). A package total's grants go
/// through here too (§1.12).
pub(crate) fn financing(
    grants: &[Grant],
    case: &BusinessCase,
    df: &[Decimal],
) -> Result<Financing, CalcError> {
    financing_with::<Fast>(grants, case, df)
}

/// [`financing`] on the arithmetic `A`.
fn financing_with<A: Arith>(
    grants: &[Grant],
    case: &BusinessCase,
    df: &[Decimal],
) -> Result<Financing, CalcError> {
    let step = "financing";
    let mut years = vec![PayerAmounts::ZERO; case.years.len()];
    let mut out = Vec::with_capacity(grants.len());
    for grant in grants {
        for (flow, amount) in years.iter_mut().zip(&grant.amounts) {
            flow.add_to(Payer::Kommune, *amount)?;
            if let Some(giver) = grant.from.payer() {
                flow.add_to(giver, -*amount)?;
            }
        }
        out.push(GrantResult {
            label: grant.label.clone(),
            from: grant.from,
            committee: grant.committee.clone(),
            amounts: grant.amounts.clone(),
            total: grant
                .amounts
                .iter()
                .try_fold(Decimal::ZERO, |a, b| a.plus(*b, step))?,
            pv: present_value_with::<A>(&grant.amounts, df)?,
        });
    }
    let net_with_financing = years
        .iter()
        .zip(&case.years)
        .map(|(f, y)| {
            Split::of(&PayerAmounts {
                kommune: y.net.kommune.plus(f.kommune, step)?,
                region: y.net.region.plus(f.region, step)?,
                stat: y.net.stat.plus(f.stat, step)?,
            })
        })
        .collect::<Result<_, _>>()?;
    let years: Vec<Split> = years.iter().map(Split::of).collect::<Result<_, _>>()?;
    let mut pv = PayerAmounts::ZERO;
    for (flow, d) in years.iter().zip(df) {
        for payer in Payer::ALL {
            pv.add_to(payer, flow.get(payer).times(*d, step)?)?;
        }
    }
    let pv = Split::of(&pv)?;
    let npv = case.summary.npv;
    let with = PayerAmounts {
        kommune: npv.kommune.plus(pv.kommune, step)?,
        region: npv.region.plus(pv.region, step)?,
        stat: npv.stat.plus(pv.stat, step)?,
    };
    Ok(Financing {
        grants: out,
        years,
        net_with_financing,
        pv,
        npv_with_financing: Split::of(&with)?,
    })
}
