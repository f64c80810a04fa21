//! Puts the steps together (DESIGN.md §1.6, §1.8).

use rust_decimal::Decimal;

use super::{cohorts, consequences, costs, discounting, prices};
use crate::business_case::{
    BusinessCase, LineResult, Split, Summary, YearFlows, break_even_index, ratio,
};
use crate::model::{AppliesTo, CalcError, Checked, Model, PayerAmounts};

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
    crate::cancel::check()?;
    let horizon = model.horizon_years;
    let s = model.net_success_rate();
    let df = discounting::factors(&model.discount_rates)?;
    let completers = cohorts::completers(&model.participants, model.completion_rate)?;
    let successes = cohorts::successes(&model.participants, model.completion_rate, s)?;

    // Gains per year and payer, by area and by line; and, for the break-even
    // success rate, the PV of success-driven gains per unit of s.
    let mut gains = vec![PayerAmounts::ZERO; horizon];
    let mut areas: Vec<String> = Vec::new();
    let mut by_area = vec![Vec::<Decimal>::new(); horizon];
    let mut by_line = vec![Vec::<Decimal>::new(); horizon];
    let mut lines = Vec::with_capacity(model.lines.len());
    let mut pv_gains_per_unit_s = Decimal::ZERO;
    let mut pv_gains = PayerAmounts::ZERO;

    for line in &model.lines {
        // A stopped calculation ends within one line (crate::cancel).
        crate::cancel::check()?;
        let area_index = match areas.iter().position(|a| *a == line.area) {
            Some(i) => i,
            None => {
                areas.push(line.area.clone());
                by_area.iter_mut().for_each(|v| v.push(Decimal::ZERO));
                areas.len() - 1
            }
        };
        // The unit price in the scenario's price year: price_p · index(P) / index(py) (§1.4).
        let unit_price = prices::converted(&line.unit_price, &line.index_factor)?;
        let price_total = unit_price.total()?;
        // Quantities per unit of s for lines on successes (s is factored out of
        // Q(t) = Σ_r n_r·c·s·q·w, exactly: products of decimals), as they are otherwise.
        let (base_quantities, scale) = match line.applies_to {
            AppliesTo::Successes => {
                let weights =
                    consequences::persistence_weights(&model.persistence, line.profile.len())?;
                let per_unit_s = consequences::quantities(
                    &completers,
                    &line.profile,
                    Some(&weights),
                    model.effect_lag_years,
                    horizon,
                )?;
                (per_unit_s, s)
            }
            AppliesTo::Participants => (
                consequences::quantities(
                    &model.participants,
                    &line.profile,
                    None,
                    model.effect_lag_years,
                    horizon,
                )?,
                Decimal::ONE,
            ),
        };
        // Σ_t DF(t)·Q(t): one product a year gives every present value of the line.
        let mut discounted = Decimal::ZERO;
        for (q, d) in base_quantities.iter().zip(&df) {
            discounted = discounted.plus(
                q.times(*d, "present value of a line")?,
                "present value of a line",
            )?;
        }
        if line.applies_to == AppliesTo::Successes {
            pv_gains_per_unit_s = pv_gains_per_unit_s.minus(
                discounted.times(price_total, "break-even success rate")?,
                "break-even success rate",
            )?;
        }
        let discounted = discounted.times(scale, "present value of a line")?;
        let pv_line = -discounted.times(price_total, "present value of a line")?;
        pv_gains = pv_gains.plus(
            &unit_price.try_map(|p| Ok(-discounted.times(p, "present value of gains")?))?,
            "present value of gains",
        )?;
        let quantities: Vec<Decimal> = if scale == Decimal::ONE {
            base_quantities
        } else {
            base_quantities
                .iter()
                .map(|q| q.times(scale, "quantity change"))
                .collect::<Result<_, _>>()?
        };
        for (t, q) in quantities.iter().enumerate() {
            // Gains are the negated value of the change in use (§1.6).
            let gain = unit_price.try_map(|p| Ok(-q.times(p, "value of a quantity change")?))?;
            gains[t] = gains[t].plus(&gain, "gains")?;
            let gain_total = gain.total()?;
            by_area[t][area_index] = by_area[t][area_index].plus(gain_total, "gains by area")?;
            by_line[t].push(gain_total);
        }
        lines.push(LineResult {
            service: line.service.clone(),
            label: line.label.clone(),
            unit: line.unit.clone(),
            area: line.area.clone(),
            applies_to: line.applies_to,
            profile: line.profile.clone(),
            unit_price: Split::of(&unit_price)?,
            source_price_year: line.price_year,
            quantities,
            pv_gains: pv_line,
            grade: line.grade,
        });
    }

    let cost_flows = costs::cost_flows(&model.costs, &model.participants, horizon)?;

    let mut years = Vec::with_capacity(horizon);
    let mut cumulative = PayerAmounts::ZERO;
    let mut pv_costs = PayerAmounts::ZERO;
    for t in 0..horizon {
        let net = gains[t].try_zip(&cost_flows[t], |g, c| g.minus(c, "net"))?;
        let discounted = net.try_map(|v| v.times(df[t], "discounted net"))?;
        cumulative = cumulative.plus(&discounted, "cumulative discounted net")?;
        pv_costs = pv_costs.plus(
            &cost_flows[t].try_map(|v| v.times(df[t], "present value of costs"))?,
            "present value of costs",
        )?;
        years.push(YearFlows {
            t,
            year: year_of(model.start_year, t)?,
            discount_factor: df[t],
            costs: Split::of(&cost_flows[t])?,
            gains: Split::of(&gains[t])?,
            net: Split::of(&net)?,
            net_discounted: Split::of(&discounted)?,
            cumulative_net_discounted: Split::of(&cumulative)?,
            gains_by_area: by_area[t].clone(),
            gains_by_line: by_line[t].clone(),
        });
    }

    let npv = Split::of(&cumulative)?;
    let pv_costs = Split::of(&pv_costs)?;
    let pv_gains = Split::of(&pv_gains)?;
    let participants = cohorts::sum(&model.participants, "participants")?;
    let total_successes = cohorts::sum(&successes, "successes")?;
    let cumulative_totals: Vec<Decimal> = years
        .iter()
        .map(|y| y.cumulative_net_discounted.total)
        .collect();
    let break_even_year = match break_even_index(&cumulative_totals) {
        Some(t) => Some(year_of(model.start_year, t)?),
        None => None,
    };
    // NPV is linear in s: NPV(s') = NPV(s) + (s' - s)·B with B the PV of
    // success-driven gains per unit of s, so NPV = 0 at s' = s - NPV(s)/B.
    let break_even_success_rate =
        match ratio(npv.total, pv_gains_per_unit_s, "break-even success rate")? {
            Some(shift) => Some(s.minus(shift, "break-even success rate")?),
            None => None,
        };

    let summary = Summary {
        benefit_cost_ratio: ratio(pv_gains.total, pv_costs.total, "benefit-cost ratio")?,
        return_per_krone: ratio(npv.total, pv_costs.total, "return per krone")?,
        break_even_year,
        break_even_success_rate,
        npv_per_participant: ratio(npv.total, participants, "NPV per participant")?,
        npv_per_success: ratio(npv.total, total_successes, "NPV per success")?,
        participants,
        successes: total_successes,
        pv_costs,
        pv_gains,
        npv,
    };

    Ok(BusinessCase {
        scenario: model.name.clone(),
        start_year: model.start_year,
        horizon_years: horizon,
        price_year: model.price_year,
        context: model.context.clone(),
        success_rate: model.success_rate,
        baseline_rate: model.baseline_rate,
        net_success_rate: s,
        completion_rate: model.completion_rate,
        effect_lag_years: model.effect_lag_years,
        persistence: model.persistence.clone(),
        participants_by_year: model.participants.clone(),
        lines,
        areas,
        costs: model.costs.clone(),
        years,
        summary,
        unadjusted: None,
    })
}

/// Evaluates a model into its summary figures only: the `summary` of
/// [`evaluate`], to the last digit.
///
/// ```
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let summary = som::engine::evaluate_summary(&model).unwrap();
/// assert_eq!(summary, som::engine::evaluate(&model).unwrap().summary);
/// ```
pub fn evaluate_summary(model: &Model) -> Result<Summary, CalcError> {
    evaluate(model).map(|case| case.summary)
}

fn year_of(start_year: i32, t: usize) -> Result<i32, CalcError> {
    i32::try_from(t)
        .ok()
        .and_then(|t| start_year.checked_add(t))
        .ok_or(CalcError::Overflow {
            step: "calendar year",
        })
}
