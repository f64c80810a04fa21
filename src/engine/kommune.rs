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

/// The kommune's gains by committee and year, summed while the engine
/// values each line's quantities: the kommune's gain from line l in year t
/// is the product −Q(t) · price_kommune the engine computes for its own
/// gains, so the committees reuse it instead of multiplying again. The sums
/// run over the lines in their order, as they always have.
#[derive(Default)]
pub(super) struct KommuneGains {
    horizon: usize,
    /// The committees of each line, as indexes into the model's committees,
    /// line after line: line l's are `member_of[starts[l]..starts[l + 1]]`.
    /// A line of a knowledge base has one committee or none, so a line's
    /// gain goes to its own committee without a look at the others; a model
    /// built in code may repeat a committee's id, and the line's gain then
    /// goes to each of them, as it always has.
    member_of: Vec<usize>,
    starts: Vec<usize>,
    /// Gains by committee, committee-major: `[c · horizon + t]`.
    gains: Vec<Decimal>,
    /// A committee whose sum overflowed, reported where its view is built.
    overflowed: Vec<bool>,
}

impl KommuneGains {
    pub(super) fn new(model: &Model) -> KommuneGains {
        let committees = &model.context.committees;
        let horizon = model.horizon_years;
        let mut member_of = Vec::with_capacity(model.lines.len());
        let mut starts = Vec::with_capacity(model.lines.len() + 1);
        starts.push(0);
        for line in &model.lines {
            if let Some(id) = line.committee.as_deref() {
                for (c, committee) in committees.iter().enumerate() {
                    if committee.id == id {
                        member_of.push(c);
                    }
                }
            }
            starts.push(member_of.len());
        }
        KommuneGains {
            horizon,
            member_of,
            starts,
            gains: vec![Decimal::ZERO; committees.len() * horizon],
            overflowed: vec![false; committees.len()],
        }
    }

    /// Adds the kommune's gain of line `line` in year `t` to its committees.
    #[inline(always)]
    pub(super) fn add<A: Arith>(&mut self, line: usize, t: usize, gain: Decimal) {
        for &c in &self.member_of[self.starts[line]..self.starts[line + 1]] {
            if !self.overflowed[c] {
                let total = &mut self.gains[c * self.horizon + t];
                match A::add(*total, gain) {
                    Some(sum) => *total = sum,
                    None => self.overflowed[c] = true,
                }
            }
        }
    }
}

/// The case with its committees and financing filled in, on the engine's
/// arithmetic `A`, from the gains by committee summed during the calculation.
pub(super) fn add_kommune_views<A: Arith>(
    model: &Model,
    mut case: BusinessCase,
    gains: KommuneGains,
    df: &[Decimal],
) -> Result<BusinessCase, CalcError> {
    let h = case.years.len();
    let mut committees = Vec::with_capacity(case.context.committees.len());
    for (i, c) in case.context.committees.iter().enumerate() {
        if gains.overflowed[i] {
            return Err(CalcError::Overflow {
                step: "gains by committee",
            });
        }
        let own = gains.gains[i * h..(i + 1) * h].to_vec();
        committees.push(committee::<A>(&c.id, own, model, df)?);
    }
    case.committees = committees;
    if !model.financing.is_empty() {
        case.financing = Some(financing_with::<A>(&model.financing, &case, df)?);
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

/// The view of committee `id`, with `gains` the kommune's gains from its
/// lines by year ([`KommuneGains`]).
fn committee<A: Arith>(
    id: &str,
    gains: Vec<Decimal>,
    model: &Model,
    df: &[Decimal],
) -> Result<CommitteeResult, CalcError> {
    let h = gains.len();
    let mine = |c: Option<&str>| c == Some(id);
    let own_costs = model
        .costs
        .iter()
        .filter(|c| c.payer == Payer::Kommune && mine(c.committee.as_deref()));
    let costs = flows::<A, Decimal>(own_costs, &model.participants, h)?;
    let mut financing = vec![Decimal::ZERO; h];
    for grant in model
        .financing
        .iter()
        .filter(|g| mine(g.committee.as_deref()))
    {
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
