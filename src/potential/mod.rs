//! Potential calculations (potentialeberegning): what a municipality's
//! target group costs today, and what a given success rate would save.
//!
//! A potential calculation starts from the municipality's own citizens
//! rather than from an intervention: how many are in the target group
//! today ([`TargetGroupToday::citizens`]) and how much of each public
//! service they use a year ([`ServiceUse`], per citizen or as a total).
//! With the knowledge base's unit prices, brought to the price year with
//! its PL index exactly as the engine does (DESIGN.md §1.4,
//! [`crate::engine::prices`]), that gives today's yearly cost by payer and
//! by area, and the kommune's part by committee (the committee each service
//! belongs to in the knowledge base, or in a package's committee table,
//! [`crate::package::Package::knowledge_base`]):
//!
//! ```text
//! cost_sp = U_s · price_sp · index(price year) / index(price year of the price)
//! ```
//!
//! with U_s the target group's yearly use of service s (the total, or
//! citizens × use per citizen). What a success's use becomes is an
//! assumption the input states: a success keeps a share k_s of today's use
//! ([`TargetGroupToday::success_keeps`], per service where it differs). A
//! success then saves (1 − k_s) of a citizen's cost, and at a success rate r
//! the potential is
//!
//! ```text
//! potential_p(r) = r · Σ_s (1 − k_s) · cost_sp
//! ```
//!
//! a gain for the public budget (positive = better off, DESIGN.md §1.6).
//! [`Potential::scenario`] writes the consequence lines this implies as a
//! scenario for `som run`: each success's yearly change in use,
//! −(1 − k_s) · U_s / citizens.
//!
//! ```
//! use som::potential::{Potential, TargetGroupToday};
//! let (input, problems) = TargetGroupToday::from_json(r#"{
//!     "name": "Homeless citizens today",
//!     "citizens": 60,
//!     "success_keeps": 0,
//!     "success_rates": [0.5],
//!     "use": [{"service": "prison-day", "per_citizen": 10}]
//! }"#, "<input>");
//! assert!(problems.is_empty());
//! let potential = Potential::compute(&input.unwrap(), som::KnowledgeBase::embedded()).unwrap();
//! // 60 × 10 prison days at 1.469 kr. (2015, the state's) brought to 2025 prices.
//! assert_eq!(potential.today.kommune, rust_decimal::Decimal::ZERO);
//! // Half of the citizens succeed and use no prison days: half of today's cost.
//! assert_eq!(potential.rates[0].saving.stat * rust_decimal::Decimal::TWO, potential.today.stat);
//! ```

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::engine::prices;
use crate::knowledge_base::{Basis, DatedSplit, Label, RefundRule};
use crate::model::{CalcError, Checked, IndexFactor, PayerAmounts};
use crate::scenario::{Cohort, ConsequenceSpec, Effect, PriceOverride, Scenario};
use crate::{KnowledgeBase, Problem};

/// The success rates a potential is shown at when the input names none:
/// 10 %, 20 %, 30 %, 40 % and 50 %.
pub const DEFAULT_SUCCESS_RATES: [Decimal; 5] = [
    Decimal::from_parts(1, 0, 0, false, 1),
    Decimal::from_parts(2, 0, 0, false, 1),
    Decimal::from_parts(3, 0, 0, false, 1),
    Decimal::from_parts(4, 0, 0, false, 1),
    Decimal::from_parts(5, 0, 0, false, 1),
];

/// The target group as it is today: the input of a potential calculation.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetGroupToday {
    /// A name for reports.
    pub name: String,
    /// The number of citizens in the target group today.
    pub citizens: Decimal,
    /// The price year of every amount; the knowledge base's default when absent.
    pub price_year: Option<i64>,
    /// The calendar year the use is counted in: the refund rules in force
    /// on 1 July of that year split the cost of a service whose price has
    /// them ([`AppliedRefund`]); the price year when absent.
    pub use_year: Option<i64>,
    /// The assumption: the share of today's use of each service that a
    /// success keeps (0: a success uses none of it; 1: no change).
    pub success_keeps: Decimal,
    /// The success rates to show the potential at.
    pub success_rates: Vec<Decimal>,
    /// The yearly use of each service.
    pub uses: Vec<ServiceUse>,
    /// What `--to-scenario` needs beyond the use: a business case's outline.
    pub outline: Option<ScenarioOutline>,
    /// Where the input came from and how it was read.
    pub read: InputRead,
}

/// How an input was read: its file, its format, and the encoding a CSV file
/// was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRead {
    /// The file the target group was read from.
    pub file: String,
    /// The file the yearly use was read from (the same file, or a CSV file
    /// the JSON input names).
    pub use_file: String,
    /// `json` or `csv`.
    pub format: &'static str,
    /// For CSV: `utf-8` or `windows-1252` (what a spreadsheet's plain CSV is
    /// on a Danish Windows machine).
    pub encoding: Option<&'static str>,
    /// For CSV: the column separator, `;` or `,`.
    pub separator: Option<char>,
}

/// One service's yearly use by the target group.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceUse {
    /// The service id in the knowledge base.
    pub service: String,
    /// How much of it the target group uses a year.
    pub amount: UseAmount,
    /// This service's own success-keeps share, where it differs from the
    /// input's.
    pub success_keeps: Option<Decimal>,
    /// Where it was given: a JSON path (`$.use[2]`) or a CSV row (`row 3`).
    pub at: String,
}

/// A yearly use, given per citizen or as the whole group's total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseAmount {
    /// Units per citizen a year.
    PerCitizen(Decimal),
    /// Units a year for the whole target group.
    Total(Decimal),
}

/// A business case's outline, for writing the potential as a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioOutline {
    /// Target group id in the knowledge base.
    pub target_group: String,
    /// Success measure id of that target group.
    pub success_measure: String,
    /// Calendar year of t = 0.
    pub start_year: i64,
    /// The horizon, and the years a success's changed use lasts.
    pub horizon_years: i64,
    /// The success rate of the scenario's effect (against a baseline of 0:
    /// the potential counts every success).
    pub success_rate: Decimal,
}

/// A potential calculation's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Potential {
    /// The input's name.
    pub name: String,
    /// How the input was read.
    pub read: InputRead,
    /// The number of citizens.
    pub citizens: Decimal,
    /// The price year of every amount.
    pub price_year: i64,
    /// The calendar year whose refund rules split the costs.
    pub use_year: i64,
    /// The input's success-keeps share.
    pub success_keeps: Decimal,
    /// The knowledge base's version.
    pub kb_version: String,
    /// The knowledge base's content hash.
    pub kb_hash: String,
    /// Each service with its use, price and cost.
    pub services: Vec<ServiceCost>,
    /// Today's yearly cost by payer, all services.
    pub today: PayerAmounts,
    /// Today's yearly cost by area, in the knowledge base's order of areas.
    pub by_area: Vec<(String, PayerAmounts)>,
    /// The kommune's yearly cost and potential by committee, in the
    /// knowledge base's order of committees: every committee a service
    /// belongs to (a committee that is not the kommune's shows 0). Empty
    /// when the knowledge base has no committees.
    pub by_committee: Vec<CommitteeCost>,
    /// What one success saves a year, by payer.
    pub per_success: PayerAmounts,
    /// The potential at each success rate.
    pub rates: Vec<RatePotential>,
    /// Problems with single cells or services, which were left out; the
    /// rest was computed.
    pub problems: Vec<Problem>,
    /// What `--to-scenario` needs, when the input gave it.
    pub outline: Option<ScenarioOutline>,
}

/// The kommune's side of one committee in a potential calculation: the sum
/// over the services that belong to it of the kommune's part of
///
/// ```text
/// today_c       = Σ_{s in c} cost_s,kommune
/// per_success_c = Σ_{s in c} saving_if_all_s,kommune / citizens
/// potential_c(r) = r · Σ_{s in c} saving_if_all_s,kommune
/// ```
///
/// so the committees add up to the kommune's column of [`Potential::today`],
/// [`Potential::per_success`] and each [`RatePotential::saving`].
#[derive(Clone, Debug, PartialEq)]
pub struct CommitteeCost {
    /// The committee's id in the knowledge base.
    pub committee: String,
    /// The kommune's yearly cost today of the committee's services.
    pub today: Decimal,
    /// What one success saves the kommune a year in this committee.
    pub per_success: Decimal,
    /// The kommune's yearly saving in this committee at each success rate,
    /// in the order of [`Potential::rates`].
    pub potential: Vec<Decimal>,
}

/// One service in a potential calculation.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCost {
    /// The service id.
    pub service: String,
    /// Its name.
    pub name: Label,
    /// Its unit.
    pub unit: Label,
    /// Its area id.
    pub area: String,
    /// The kommune's committee it belongs to, when the knowledge base has
    /// committees.
    pub committee: Option<String>,
    /// Units a year for the whole target group.
    pub total_use: Decimal,
    /// Units a year per citizen.
    pub per_citizen: Decimal,
    /// The share of today's use a success keeps.
    pub success_keeps: Decimal,
    /// The unit price by payer as the knowledge base gives it.
    pub source_price: PayerAmounts,
    /// The year of that price.
    pub source_price_year: i32,
    /// The PL-index factor from the price's year to the calculation's.
    pub index_factor: IndexFactor,
    /// The unit price by payer in the calculation's price year.
    pub unit_price: PayerAmounts,
    /// Today's yearly cost of the target group's use, by payer.
    pub cost: PayerAmounts,
    /// What the service's cost would fall by a year if every citizen
    /// succeeded, by payer: `(1 − k) · cost`, or under a refund rule the
    /// split of the days avoided (see [`AppliedRefund`]).
    pub saving_if_all: PayerAmounts,
    /// The refund rule that split the cost between kommune and state, where
    /// the service's price has one in force in the price year.
    pub refund: Option<AppliedRefund>,
    /// The sources of the price (ids in `sources.json`).
    pub sources: Vec<String>,
    /// Whether the price is published, derived or an assumption.
    pub basis: Basis,
    /// The price's confidence grade, when it has one.
    pub grade: Option<u8>,
}

/// A refund rule applied to the target group's own days (DESIGN.md §1.4):
/// with `d` days per citizen a year, `N` citizens, the public (kommune and
/// state) price per day `P` and a success keeping a share `k` of its days,
///
/// ```text
/// stat cost    = P · N · stat_share · min(d, first_days)
/// kommune cost = P · N · d − stat cost
/// stat saving  = P · N · stat_share · (min(d, first_days) − min(k·d, first_days))
/// ```
///
/// and the kommune saves the rest of `(1 − k)` of the public cost: the days
/// a success avoids are its last in the running year, which the kommune pays
/// alone once the refunded days are used (the region's part, if any, is
/// split as the price gives it).
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedRefund {
    /// The first day of the rule's period, if it has one.
    pub from: Option<String>,
    /// The last day of the rule's period, if it has one.
    pub to: Option<String>,
    /// The rule.
    pub rule: RefundRule,
    /// The state's days per citizen a year: `stat_share · min(d, first_days)`.
    pub refunded_days_per_citizen: Decimal,
}

/// Today's cost, the saving if every citizen succeeded, and the rule
/// applied, for a service whose split follows a refund rule.
#[allow(clippy::too_many_arguments)]
fn refunded_cost(
    split: &DatedSplit,
    rule: &RefundRule,
    source_price: &PayerAmounts,
    index_factor: &IndexFactor,
    citizens: Decimal,
    per_citizen: Decimal,
    total_use: Decimal,
    keeps: Decimal,
) -> Result<(PayerAmounts, PayerAmounts, Option<AppliedRefund>), CalcError> {
    let public_price = source_price
        .kommune
        .plus(source_price.stat, "public price per day")?;
    let region = index_factor.apply(total_use.times(source_price.region, "region's cost")?)?;
    let public = index_factor.apply(total_use.times(public_price, "public cost")?)?;
    let refunded = rule.refunded_days(per_citizen)?;
    let stat = index_factor.apply(
        refunded
            .times(citizens, "refunded days")?
            .times(public_price, "state's cost")?,
    )?;
    let cost = PayerAmounts {
        kommune: public.minus(stat, "kommune's cost")?,
        region,
        stat,
    };
    let lost = Decimal::ONE.minus(keeps, "share a success saves")?;
    let kept_days = per_citizen.times(keeps, "days a success keeps")?;
    let stat_days_saved = refunded.minus(rule.refunded_days(kept_days)?, "refunded days saved")?;
    let stat_saved = index_factor.apply(
        stat_days_saved
            .times(citizens, "refunded days saved")?
            .times(public_price, "state's saving")?,
    )?;
    let public_saved = public.times(lost, "public saving")?;
    let saving = PayerAmounts {
        kommune: public_saved.minus(stat_saved, "kommune's saving")?,
        region: region.times(lost, "region's saving")?,
        stat: stat_saved,
    };
    let applied = AppliedRefund {
        from: split.from.clone(),
        to: split.to.clone(),
        rule: rule.clone(),
        refunded_days_per_citizen: refunded,
    };
    Ok((cost, saving, Some(applied)))
}

/// The kommune's cost and potential by committee ([`CommitteeCost`]), in
/// the knowledge base's order of committees.
fn by_committee(
    kb: &KnowledgeBase,
    services: &[ServiceCost],
    citizens: Decimal,
    rates: &[Decimal],
) -> Result<Vec<CommitteeCost>, CalcError> {
    let mut out = Vec::new();
    for committee in kb.committees() {
        let mine = || {
            services
                .iter()
                .filter(|s| s.committee.as_deref() == Some(committee.id.as_str()))
        };
        if mine().next().is_none() {
            continue;
        }
        let (mut today, mut saved) = (Decimal::ZERO, Decimal::ZERO);
        for s in mine() {
            today = today.plus(s.cost.kommune, "today's cost by committee")?;
            saved = saved.plus(s.saving_if_all.kommune, "saving by committee")?;
        }
        out.push(CommitteeCost {
            committee: committee.id.clone(),
            today,
            per_success: saved.over(citizens, "saving per success by committee")?,
            potential: rates
                .iter()
                .map(|&r| saved.times(r, "potential by committee"))
                .collect::<Result<_, _>>()?,
        });
    }
    Ok(out)
}

/// The potential at one success rate.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePotential {
    /// The success rate r.
    pub rate: Decimal,
    /// Citizens × r.
    pub successes: Decimal,
    /// The yearly saving by payer (positive = the public budget is better off).
    pub saving: PayerAmounts,
}

mod csv;
mod input;

pub use csv::uses_from_csv;
use csv::{CsvFile, read_csv_file};
pub use input::CSV_COLUMNS;

impl Potential {
    /// Computes the potential of a target group. A service the knowledge
    /// base lacks, or given twice, is a problem in [`Potential::problems`]
    /// and is left out; an arithmetic overflow stops the calculation.
    pub fn compute(input: &TargetGroupToday, kb: &KnowledgeBase) -> Result<Potential, CalcError> {
        let price_year = input
            .price_year
            .unwrap_or(i64::from(kb.manifest().default_price_year));
        let use_year = input.use_year.unwrap_or(price_year);
        let mut problems = Vec::new();
        let file = &input.read.use_file;
        let mut services: Vec<ServiceCost> = Vec::new();
        let at_field = |at: &str| {
            if at.starts_with('$') {
                format!("{at}.service")
            } else {
                format!("{at}, column `service`")
            }
        };
        for u in &input.uses {
            let Some(service) = kb.service(&u.service) else {
                problems.push(
                    Problem::new(
                        file,
                        at_field(&u.at),
                        format!("`{}`", u.service),
                        "a known service id",
                    )
                    .suggest(&u.service, kb.services().iter().map(|s| s.id.as_str())),
                );
                continue;
            };
            if services.iter().any(|s| s.service == u.service) {
                problems.push(Problem::new(
                    file,
                    at_field(&u.at),
                    format!("`{}` a second time", u.service),
                    "each service once",
                ));
                continue;
            }
            let factor = i32::try_from(price_year)
                .ok()
                .and_then(|y| kb.price_index().factor(service.price.price_year, y));
            let Some(index_factor) = factor else {
                let years = kb.price_index().years();
                problems.push(Problem::new(
                    &input.read.file,
                    "$.price_year",
                    format!("price year {} to {price_year}", service.price.price_year),
                    format!(
                        "price years the price index covers ({}-{})",
                        years.start(),
                        years.end()
                    ),
                ));
                continue;
            };
            let (total_use, per_citizen) = match u.amount {
                UseAmount::Total(t) => (t, t.over(input.citizens, "use per citizen")?),
                UseAmount::PerCitizen(p) => (p.times(input.citizens, "use by the group")?, p),
            };
            let source_price = service.price.amounts();
            let keeps = u.success_keeps.unwrap_or(input.success_keeps);
            let rule = i32::try_from(use_year)
                .ok()
                .and_then(|y| service.price.split_in(y))
                .and_then(|split| Some((split, split.refund.as_ref()?)));
            let (cost, saving_if_all, refund) = match rule {
                None => {
                    let cost = prices::value(total_use, &source_price, &index_factor)?;
                    let lost = Decimal::ONE.minus(keeps, "share a success saves")?;
                    let saved = cost.try_map(|c| c.times(lost, "saving of all successes"))?;
                    (cost, saved, None)
                }
                Some((split, rule)) => refunded_cost(
                    split,
                    rule,
                    &source_price,
                    &index_factor,
                    input.citizens,
                    per_citizen,
                    total_use,
                    keeps,
                )?,
            };
            services.push(ServiceCost {
                service: service.id.clone(),
                name: service.name.clone(),
                unit: service.unit.clone(),
                area: service.area.clone(),
                committee: service.committee.clone(),
                total_use,
                per_citizen,
                success_keeps: keeps,
                source_price,
                source_price_year: service.price.price_year,
                index_factor,
                unit_price: prices::converted(&source_price, &index_factor)?,
                cost,
                saving_if_all,
                refund,
                sources: service.price.evidence.sources.clone(),
                basis: service.price.evidence.basis,
                grade: service.price.evidence.grade,
            });
        }
        let mut today = PayerAmounts::ZERO;
        let mut saved_by_all = PayerAmounts::ZERO;
        let mut by_area: Vec<(String, PayerAmounts)> = Vec::new();
        for s in &services {
            today = today.plus(&s.cost, "today's cost by payer")?;
            saved_by_all = saved_by_all.plus(&s.saving_if_all, "saving by payer")?;
        }
        for area in kb.areas() {
            let mut sum = PayerAmounts::ZERO;
            let mut any = false;
            for s in services.iter().filter(|s| s.area == area.id) {
                sum = sum.plus(&s.cost, "today's cost by area")?;
                any = true;
            }
            if any {
                by_area.push((area.id.clone(), sum));
            }
        }
        let per_success = saved_by_all.try_map(|a| a.over(input.citizens, "saving per success"))?;
        let rates = input
            .success_rates
            .iter()
            .map(|&rate| {
                Ok(RatePotential {
                    rate,
                    successes: input.citizens.times(rate, "successes")?,
                    saving: saved_by_all.try_map(|a| a.times(rate, "potential"))?,
                })
            })
            .collect::<Result<Vec<_>, CalcError>>()?;
        let by_committee = by_committee(kb, &services, input.citizens, &input.success_rates)?;
        // The views show each amount's sum over payers: check them here.
        let shown = std::iter::once(&today)
            .chain([&per_success])
            .chain(by_area.iter().map(|(_, a)| a))
            .chain(services.iter().map(|s| &s.cost))
            .chain(rates.iter().map(|r| &r.saving));
        for amounts in shown {
            amounts.total()?;
        }
        Ok(Potential {
            name: input.name.clone(),
            read: input.read.clone(),
            citizens: input.citizens,
            price_year,
            use_year,
            success_keeps: input.success_keeps,
            kb_version: kb.version().to_owned(),
            kb_hash: kb.hash().to_owned(),
            services,
            today,
            by_area,
            by_committee,
            per_success,
            rates,
            problems,
            outline: input.outline.clone(),
        })
    }

    /// For each service whose split followed a refund rule, the price a
    /// business case should use for the days a success avoids: the knowledge
    /// base's price and price year, with the state's part the rule's share
    /// of the avoided days, `P · (refunded(d) − refunded(k·d)) / ((1 − k) · d)`
    /// to the øre, and the kommune the rest of the public price `P`.
    fn refund_prices(&self) -> std::collections::BTreeMap<String, PriceOverride> {
        self.services
            .iter()
            .filter_map(|s| {
                let r = s.refund.as_ref()?;
                let public = s.source_price.kommune.checked_add(s.source_price.stat)?;
                let kept = s.per_citizen.checked_mul(s.success_keeps)?;
                let avoided = s.per_citizen.checked_sub(kept)?;
                if avoided <= Decimal::ZERO {
                    return None;
                }
                let state_days = r
                    .refunded_days_per_citizen
                    .checked_sub(r.rule.refunded_days(kept).ok()?)?;
                let stat = public
                    .checked_mul(state_days)?
                    .checked_div(avoided)?
                    .round_dp(2);
                Some((
                    s.service.clone(),
                    PriceOverride {
                        kommune: public.checked_sub(stat)?.normalize(),
                        region: s.source_price.region.normalize(),
                        stat: stat.normalize(),
                        price_year: i64::from(s.source_price_year),
                        grade: s.grade,
                    },
                ))
            })
            .collect()
    }

    /// The scenario this potential implies, for a business case: the
    /// citizens as one cohort in year 0, the outline's success rate against
    /// a baseline of 0, no effect lag (a success's use changes in the year
    /// it succeeds, as in the potential), the calculation's price year, and
    /// for every service a consequence line of −(1 − k_s) × use per citizen
    /// in each year of the horizon; where a refund rule split a service's
    /// cost, a price override that splits the avoided days as the rule does
    /// ([`AppliedRefund`]). Costs are the intervention's and are left for
    /// the analyst to add. `None` without an outline.
    pub fn scenario(&self) -> Option<Scenario> {
        let o = self.outline.as_ref()?;
        let consequences = self
            .services
            .iter()
            .filter_map(|s| {
                let lost = Decimal::ONE.checked_sub(s.success_keeps)?;
                let change = s.per_citizen.checked_mul(lost)?;
                let years = usize::try_from(o.horizon_years).ok()?;
                Some(ConsequenceSpec {
                    service: s.service.clone(),
                    profile: vec![-change.normalize(); years],
                    applies_to: Default::default(),
                    grade: None,
                })
            })
            .collect();
        Some(Scenario {
            name: format!(
                "{}: potential at a success rate of {}",
                self.name, o.success_rate
            ),
            target_group: o.target_group.clone(),
            success_measure: o.success_measure.clone(),
            start_year: o.start_year,
            horizon_years: o.horizon_years,
            price_year: Some(self.price_year),
            discounting: None,
            cohorts: vec![Cohort {
                year: 0,
                participants: self.citizens,
            }],
            completion_rate: None,
            effect: Effect {
                success_rate: Some(o.success_rate),
                baseline_rate: Some(Decimal::ZERO),
                ..Effect::default()
            },
            effect_lag_years: Some(0),
            persistence: None,
            costs: Vec::new(),
            consequences: Some(consequences),
            prices: self.refund_prices(),
            committees: Default::default(),
            financing: Vec::new(),
            local_services: Vec::new(),
            local_sources: Vec::new(),
            evidence_adjustment: None,
            origin: None,
        })
    }
}
