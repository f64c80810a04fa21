//! A package's total from its arms' business cases (DESIGN.md §1.10).

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::KnowledgeBase;
use crate::business_case::{
    BusinessCase, CommitteeResult, Split, Summary, YearFlows, break_even_index, ratio,
};
use crate::model::{
    CalcError, CaseContext, Checked, CommitteeName, EffectDescription, Grant, PayerAmounts,
};

fn plus(a: &Split, b: &Split, step: &'static str) -> Result<Split, CalcError> {
    Split::of(&PayerAmounts {
        kommune: a.kommune.plus(b.kommune, step)?,
        region: a.region.plus(b.region, step)?,
        stat: a.stat.plus(b.stat, step)?,
    })
}

fn sum_splits<'a>(
    splits: impl IntoIterator<Item = &'a Split>,
    step: &'static str,
) -> Result<Split, CalcError> {
    splits
        .into_iter()
        .try_fold(Split::default(), |acc, s| plus(&acc, s, step))
}

fn sum<'a>(
    values: impl IntoIterator<Item = &'a Decimal>,
    step: &'static str,
) -> Result<Decimal, CalcError> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.plus(*v, step))
}

/// The package total of `arms` (at least one, sharing start year, horizon,
/// price year and discounting, as a package's arms do):
///
/// - per year and payer, costs, gains, net and discounted net are the sums
///   of the arms' (the model is linear in its flows); the cumulative
///   discounted net is the running sum of the total's discounted net;
/// - gains by area are summed area by area over the union of the arms'
///   areas (in the order they first appear); the lines, their gains and the
///   costs are the arms' one after the other;
/// - present values of costs, gains and NPV are the sums of the arms';
///   the benefit-cost ratio, return per krone, break-even year and NPV per
///   participant and per success are computed from those sums as for one
///   case (§1.8);
/// - the break-even success rate is absent: the arms have their own net
///   success rates, and no one rate makes the package's NPV zero (each
///   arm's own is in its case);
/// - the effect figures are pooled over the arms' completers
///   (Σ_a C_a · p_a / Σ_a C_a with C_a = c_a · Σ_r n_ar), so the net rate
///   times the completers is the package's successes; the effect lag and
///   persistence are the first arm's. Views show these per arm, not here.
///
/// - the kommune's result by committee is summed committee by committee
///   (yearly gains, costs and their present values), over the union of the
///   arms' committees in the order they first appear; the arms have no
///   grants ([`with_grants`] adds the package's and puts the committees in
///   the knowledge base's order).
///
/// None when there are no arms.
pub fn combine(name: &str, arms: &[BusinessCase]) -> Result<Option<BusinessCase>, CalcError> {
    let Some(first) = arms.first() else {
        return Ok(None);
    };
    let horizon = first.horizon_years;
    let mut areas: Vec<Arc<str>> = Vec::new();
    for arm in arms {
        for area in &arm.areas {
            if !areas.contains(area) {
                areas.push(area.clone());
            }
        }
    }
    let mut years = Vec::with_capacity(horizon);
    let mut cumulative = Split::default();
    let mut cumulative_totals = Vec::with_capacity(horizon);
    for t in 0..horizon {
        let of_year =
            |f: fn(&YearFlows) -> &Split| arms.iter().filter_map(move |a| a.years.get(t).map(f));
        let costs = sum_splits(of_year(|y| &y.costs), "package costs")?;
        let gains = sum_splits(of_year(|y| &y.gains), "package gains")?;
        let net = sum_splits(of_year(|y| &y.net), "package net")?;
        let net_discounted = sum_splits(of_year(|y| &y.net_discounted), "package discounted net")?;
        cumulative = plus(
            &cumulative,
            &net_discounted,
            "package cumulative discounted net",
        )?;
        cumulative_totals.push(cumulative.total);
        let mut gains_by_area = vec![Decimal::ZERO; areas.len()];
        let mut gains_by_line = Vec::new();
        for arm in arms {
            let Some(y) = arm.years.get(t) else { continue };
            for (area, g) in arm.areas.iter().zip(&y.gains_by_area) {
                if let Some(k) = areas.iter().position(|a| a == area) {
                    gains_by_area[k] = gains_by_area[k].plus(*g, "package gains by area")?;
                }
            }
            gains_by_line.extend_from_slice(&y.gains_by_line);
        }
        years.push(YearFlows {
            t,
            year: first.years.get(t).map_or(first.start_year, |y| y.year),
            discount_factor: first
                .years
                .get(t)
                .map_or(Decimal::ONE, |y| y.discount_factor),
            costs,
            gains,
            net,
            net_discounted,
            cumulative_net_discounted: cumulative,
            gains_by_area,
            gains_by_line,
        });
    }

    let pv_costs = sum_splits(
        arms.iter().map(|a| &a.summary.pv_costs),
        "package PV of costs",
    )?;
    let pv_gains = sum_splits(
        arms.iter().map(|a| &a.summary.pv_gains),
        "package PV of gains",
    )?;
    let npv = sum_splits(arms.iter().map(|a| &a.summary.npv), "package NPV")?;
    let participants = sum(
        arms.iter().map(|a| &a.summary.participants),
        "package participants",
    )?;
    let successes = sum(
        arms.iter().map(|a| &a.summary.successes),
        "package successes",
    )?;
    let break_even_year = break_even_index(&cumulative_totals)
        .and_then(|t| years.get(t))
        .map(|y| y.year);
    let summary = Summary {
        benefit_cost_ratio: ratio(pv_gains.total, pv_costs.total, "benefit-cost ratio")?,
        return_per_krone: ratio(npv.total, pv_costs.total, "return per krone")?,
        break_even_year,
        break_even_success_rate: None,
        npv_per_participant: ratio(npv.total, participants, "NPV per participant")?,
        npv_per_success: ratio(npv.total, successes, "NPV per success")?,
        participants,
        successes,
        pv_costs,
        pv_gains,
        npv,
    };

    let mut participants_by_year = vec![Decimal::ZERO; horizon];
    for arm in arms {
        for (p, n) in participants_by_year
            .iter_mut()
            .zip(&arm.participants_by_year)
        {
            *p = p.plus(*n, "package participants")?;
        }
    }
    // Pooled effect figures, weighted by each arm's completers.
    let mut completers = Decimal::ZERO;
    let mut with = Decimal::ZERO;
    let mut without = Decimal::ZERO;
    for arm in arms {
        let c = arm
            .summary
            .participants
            .times(arm.completion_rate, "package completers")?;
        completers = completers.plus(c, "package completers")?;
        with = with.plus(
            c.times(arm.success_rate, "pooled success rate")?,
            "pooled success rate",
        )?;
        without = without.plus(
            c.times(arm.baseline_rate, "pooled baseline rate")?,
            "pooled baseline rate",
        )?;
    }
    let pooled = |x: Decimal, step| ratio(x, completers, step).map(Option::unwrap_or_default);
    let success_rate = pooled(with, "pooled success rate")?;
    let baseline_rate = pooled(without, "pooled baseline rate")?;
    let completion_rate =
        ratio(completers, participants, "pooled completion rate")?.unwrap_or_default();

    let mut context = CaseContext {
        target_group: String::new(),
        target_group_name: String::new(),
        success_measure: String::new(),
        success_measure_name: String::new(),
        effect: EffectDescription::default(),
        persistence: Default::default(),
        ..(*first.context).clone()
    };
    context.evidence.effect_design = None;
    context.evidence.effect_factor = None;
    context.evidence.lines = arms
        .iter()
        .flat_map(|a| a.context.evidence.lines.iter().cloned())
        .collect();
    context.dated_splits = Vec::new();
    for arm in arms {
        for split in &arm.context.dated_splits {
            if !context.dated_splits.contains(split) {
                context.dated_splits.push(split.clone());
            }
        }
    }

    let mut committees: Vec<CommitteeResult> = Vec::new();
    for arm in arms {
        for c in &arm.committees {
            match committees.iter_mut().find(|t| t.committee == c.committee) {
                Some(t) => add_committee(t, c)?,
                None => committees.push(c.clone()),
            }
        }
        for name in &arm.context.committees {
            if !context.committees.contains(name) {
                context.committees.push(name.clone());
            }
        }
        for remap in &arm.context.committee_remaps {
            if !context.committee_remaps.contains(remap) {
                context.committee_remaps.push(remap.clone());
            }
        }
    }

    Ok(Some(BusinessCase {
        scenario: name.to_owned(),
        start_year: first.start_year,
        horizon_years: horizon,
        price_year: first.price_year,
        context: Arc::new(context),
        success_rate,
        baseline_rate,
        net_success_rate: success_rate.minus(baseline_rate, "pooled net success rate")?,
        completion_rate,
        effect_lag_years: first.effect_lag_years,
        persistence: first.persistence.clone(),
        participants_by_year,
        lines: arms.iter().flat_map(|a| a.lines.iter().cloned()).collect(),
        areas,
        costs: arms.iter().flat_map(|a| a.costs.iter().cloned()).collect(),
        years,
        summary,
        unadjusted: None,
        committees,
        financing: None,
    }))
}

/// Adds an arm's committee result into the total's.
fn add_committee(total: &mut CommitteeResult, arm: &CommitteeResult) -> Result<(), CalcError> {
    let step = "package result by committee";
    for (into, from) in [
        (&mut total.gains, &arm.gains),
        (&mut total.costs, &arm.costs),
        (&mut total.financing, &arm.financing),
    ] {
        for (t, a) in into.iter_mut().zip(from) {
            *t = t.plus(*a, step)?;
        }
    }
    for (t, a) in [
        (&mut total.pv_gains, arm.pv_gains),
        (&mut total.pv_costs, arm.pv_costs),
        (&mut total.pv_financing, arm.pv_financing),
        (&mut total.npv, arm.npv),
        (&mut total.npv_with_financing, arm.npv_with_financing),
    ] {
        *t = t.plus(a, step)?;
    }
    Ok(())
}

/// The package total of [`combine`] with the package's grants (DESIGN.md
/// §1.10, §1.12): the financing is computed on the total's flows as for one
/// case (the kommune receives each grant, the state or region gives its
/// own), each grant is added to its committee's result, and the committees
/// are put in `kb`'s order, the order of one case's.
pub fn with_grants(
    mut total: BusinessCase,
    grants: &[Grant],
    kb: &KnowledgeBase,
) -> Result<BusinessCase, CalcError> {
    let df: Vec<Decimal> = total.years.iter().map(|y| y.discount_factor).collect();
    let h = total.years.len();
    let step = "financing by committee";
    for grant in grants {
        let Some(id) = &grant.committee else { continue };
        let k = match total.committees.iter().position(|c| &c.committee == id) {
            Some(k) => k,
            None => {
                total.committees.push(CommitteeResult {
                    committee: id.clone(),
                    gains: vec![Decimal::ZERO; h],
                    costs: vec![Decimal::ZERO; h],
                    financing: vec![Decimal::ZERO; h],
                    pv_gains: Decimal::ZERO,
                    pv_costs: Decimal::ZERO,
                    pv_financing: Decimal::ZERO,
                    npv: Decimal::ZERO,
                    npv_with_financing: Decimal::ZERO,
                });
                total.committees.len() - 1
            }
        };
        let c = &mut total.committees[k];
        for (f, a) in c.financing.iter_mut().zip(&grant.amounts) {
            *f = f.plus(*a, step)?;
        }
    }
    for c in &mut total.committees {
        c.pv_financing = crate::engine::present_value(&c.financing, &df)?;
        c.npv_with_financing = c.npv.plus(c.pv_financing, step)?;
    }
    let order = |id: &str| kb.committees().iter().position(|c| c.id == id);
    total
        .committees
        .sort_by_key(|c| order(&c.committee).unwrap_or(usize::MAX));
    Arc::make_mut(&mut total.context).committees = kb
        .committees()
        .iter()
        .filter(|c| total.committees.iter().any(|r| r.committee == c.id))
        .map(|c| CommitteeName {
            id: c.id.clone(),
            name_en: c.name.en.clone(),
            name_da: c.name.da.clone(),
        })
        .collect();
    if !grants.is_empty() {
        total.financing = Some(crate::engine::financing(grants, &total, &df)?);
    }
    Ok(total)
}
