//! Invariants of the model (DESIGN.md §1), checked with proptest over random
//! valid scenarios on the embedded knowledge base, with explicit consequence
//! lines for `shelter-day`, `prison-day` and `cash-benefit-month`.

use std::collections::BTreeMap;
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use som::model::AppliesTo;
use som::scenario::{
    Cohort, ConsequenceSpec, CostKindName, CostSpec, Discounting, Effect, PersistenceSpec,
    PriceOverride,
};
use som::{BusinessCase, KnowledgeBase, Payer, Scenario, Split};

const SERVICES: [&str; 3] = ["shelter-day", "prison-day", "cash-benefit-month"];

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

/// A decimal `units / 10^scale`.
fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn share() -> impl Strategy<Value = Decimal> {
    (0i64..=1000).prop_map(|u| dec(u, 3))
}

fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000_000).prop_map(|u| dec(u, 2))
}

fn payer() -> impl Strategy<Value = Payer> {
    prop_oneof![Just(Payer::Kommune), Just(Payer::Region), Just(Payer::Stat)]
}

fn cost(horizon: i64) -> impl Strategy<Value = CostSpec> {
    (0..3u8, 0..horizon, 0..horizon, amount(), payer()).prop_map(
        move |(kind, a, b, amount, payer)| {
            let (kind, year, from_year, to_year, years) = match kind {
                0 => (CostKindName::OneOff, Some(a), None, None, None),
                1 => (
                    CostKindName::PerYear,
                    None,
                    Some(a.min(b)),
                    Some(a.max(b)),
                    None,
                ),
                // A course of 1 to 3 years (1 written out or left to its default).
                _ => (
                    CostKindName::PerParticipant,
                    None,
                    None,
                    None,
                    (b % 3 > 0).then_some(1 + b % 3),
                ),
            };
            CostSpec {
                label: format!("{kind:?}"),
                kind,
                year,
                from_year,
                to_year,
                years,
                amount,
                payer,
                grade: None,
                committee: None,
            }
        },
    )
}

fn line(service: &'static str) -> impl Strategy<Value = ConsequenceSpec> {
    (
        prop::collection::vec((-2000i64..=2000).prop_map(|u| dec(u, 1)), 1..=8),
        prop::bool::weighted(0.3),
    )
        .prop_map(move |(profile, participants)| ConsequenceSpec {
            service: service.to_owned(),
            profile,
            applies_to: if participants {
                AppliesTo::Participants
            } else {
                AppliesTo::Successes
            },
            grade: None,
        })
}

fn price() -> impl Strategy<Value = PriceOverride> {
    (amount(), amount(), amount(), 2015i64..=2025).prop_map(|(kommune, region, stat, year)| {
        PriceOverride {
            kommune,
            region,
            stat,
            price_year: year,
            grade: None,
        }
    })
}

fn discounting(horizon: usize) -> impl Strategy<Value = Option<Discounting>> {
    prop_oneof![
        Just(None),
        Just(Some(Discounting::None)),
        Just(Some(Discounting::Schedule("dk-fm-2013".to_owned()))),
        share().prop_map(|r| Some(Discounting::Constant(r))),
        prop::collection::vec(share(), horizon - 1).prop_map(|r| Some(Discounting::Rates(r))),
    ]
}

/// A random valid scenario.
fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..=15)
        .prop_flat_map(|h| {
            let lines = (
                prop::option::of(line(SERVICES[0])),
                prop::option::of(line(SERVICES[1])),
                line(SERVICES[2]),
            );
            let prices = (
                prop::option::of(price()),
                prop::option::of(price()),
                prop::option::of(price()),
            );
            (
                Just(h),
                prop::collection::vec(prop::option::of((0i64..=5000).prop_map(|u| dec(u, 1))), h),
                (share(), share(), share()),
                (
                    0i64..=3,
                    prop::option::of(0i64..=10),
                    prop::option::of(share()),
                ),
                lines,
                prices,
                prop::collection::vec(cost(h as i64), 0..=4),
                discounting(h),
            )
        })
        .prop_map(
            |(
                h,
                cohorts,
                (c, p1, p0),
                (lag, duration, decay),
                lines,
                prices,
                costs,
                discounting,
            )| {
                let mut cohorts: Vec<Cohort> = cohorts
                    .into_iter()
                    .enumerate()
                    .filter_map(|(year, n)| {
                        n.map(|participants| Cohort {
                            year: year as i64,
                            participants,
                        })
                    })
                    .collect();
                if cohorts.is_empty() {
                    cohorts.push(Cohort {
                        year: 0,
                        participants: Decimal::from(10),
                    });
                }
                let consequences: Vec<ConsequenceSpec> = [lines.0, lines.1, Some(lines.2)]
                    .into_iter()
                    .flatten()
                    .collect();
                let mut price_overrides = BTreeMap::new();
                for (service, price) in SERVICES.iter().zip([prices.0, prices.1, prices.2]) {
                    if let Some(p) = price
                        && consequences.iter().any(|l| l.service == *service)
                    {
                        price_overrides.insert((*service).to_owned(), p);
                    }
                }
                let prison_with_kommune_part = price_overrides
                    .get("prison-day")
                    .is_some_and(|p: &PriceOverride| !p.kommune.is_zero());
                Scenario {
                    name: "property".to_owned(),
                    target_group: "homeless-adults".to_owned(),
                    success_measure: "exits-homelessness".to_owned(),
                    start_year: 2026,
                    horizon_years: h as i64,
                    price_year: Some(2025),
                    discounting,
                    cohorts,
                    completion_rate: Some(c),
                    effect: Effect {
                        success_rate: Some(p1),
                        baseline_rate: Some(p0),
                        ..Effect::default()
                    },
                    effect_lag_years: Some(lag),
                    persistence: Some(PersistenceSpec {
                        duration_years: duration,
                        annual_decay: decay,
                    }),
                    costs,
                    consequences: Some(consequences),
                    prices: price_overrides,
                    // Prison days are not the kommune's; a drawn price with a
                    // kommune part needs a committee of the kommune.
                    committees: if prison_with_kommune_part {
                        BTreeMap::from([("prison-day".to_owned(), "social".to_owned())])
                    } else {
                        BTreeMap::new()
                    },
                    financing: Vec::new(),
                    local_services: Vec::new(),
                    local_sources: Vec::new(),
                    evidence_adjustment: None,
                    origin: None,
                }
            },
        )
}

fn evaluate(s: &Scenario) -> BusinessCase {
    som::evaluate(s, kb()).unwrap_or_else(|e| panic!("a valid scenario failed: {e}\n{s:?}"))
}

/// |a - b| <= relative · max(|a|, |b|, 1): equal up to Decimal's last digits.
fn close(a: Decimal, b: Decimal, relative: &str) -> bool {
    let scale = a.abs().max(b.abs()).max(Decimal::ONE);
    (a - b).abs() <= Decimal::from_str(relative).unwrap() * scale
}

fn splits(case: &BusinessCase) -> Vec<(String, Split)> {
    let mut out = Vec::new();
    for y in &case.years {
        out.push((format!("costs t={}", y.t), y.costs));
        out.push((format!("gains t={}", y.t), y.gains));
        out.push((format!("net t={}", y.t), y.net));
        out.push((format!("net_discounted t={}", y.t), y.net_discounted));
        out.push((format!("cumulative t={}", y.t), y.cumulative_net_discounted));
    }
    out.push(("pv_costs".to_owned(), case.summary.pv_costs));
    out.push(("pv_gains".to_owned(), case.summary.pv_gains));
    out.push(("npv".to_owned(), case.summary.npv));
    out
}

/// Costs that depend on participants in year t: Σ amount · n_r over the
/// per-participant costs and the cohorts r in year t of their course
/// (t − years < r <= t; a course of 1 year when `years` is absent).
fn per_participant_costs(s: &Scenario, t: usize, payer: Payer) -> Decimal {
    s.costs
        .iter()
        .filter(|c| c.kind == CostKindName::PerParticipant && c.payer == payer)
        .map(|c| {
            let years = c.years.unwrap_or(1);
            let n: Decimal = s
                .cohorts
                .iter()
                .filter(|cohort| cohort.year <= t as i64 && t as i64 - cohort.year < years)
                .map(|cohort| cohort.participants)
                .sum();
            c.amount * n
        })
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn doubling_participants_doubles_every_participant_driven_flow(s in scenario()) {
        let mut doubled = s.clone();
        for c in &mut doubled.cohorts {
            c.participants *= Decimal::TWO;
        }
        let one = evaluate(&s);
        let two = evaluate(&doubled);
        prop_assert_eq!(two.summary.participants, one.summary.participants * Decimal::TWO);
        prop_assert_eq!(two.summary.successes, one.summary.successes * Decimal::TWO);
        for (a, b) in one.years.iter().zip(&two.years) {
            for payer in Payer::ALL {
                // Gains come from successes or participants: all double.
                let (g1, g2) = (a.gains.get(payer), b.gains.get(payer));
                prop_assert!(close(g2, g1 * Decimal::TWO, "1e-20"), "gains {payer} t={}: {g2} vs 2 x {g1}", a.t);
                // Costs: one-off and per-year stay, per-participant double.
                let extra = per_participant_costs(&s, a.t, payer);
                prop_assert_eq!(b.costs.get(payer), a.costs.get(payer) + extra, "costs {} t={}", payer, a.t);
            }
            for ((area, g1), g2) in one.areas.iter().zip(&a.gains_by_area).zip(&b.gains_by_area) {
                prop_assert!(close(*g2, *g1 * Decimal::TWO, "1e-20"), "area {area} t={}", a.t);
            }
        }
        for (l1, l2) in one.lines.iter().zip(&two.lines) {
            for (q1, q2) in l1.quantities.iter().zip(&l2.quantities) {
                // Exact unless persistence weights carry more digits than Decimal holds.
                prop_assert!(close(*q2, *q1 * Decimal::TWO, "1e-20"), "quantities of {}: {q2} vs 2 x {q1}", &l1.service);
            }
        }
    }

    #[test]
    fn payers_add_up_to_the_total_in_every_split(s in scenario()) {
        let case = evaluate(&s);
        for (what, split) in splits(&case) {
            prop_assert_eq!(split.kommune + split.region + split.stat, split.total, "{}", what);
        }
        for y in &case.years {
            let by_area: Decimal = y.gains_by_area.iter().sum();
            let by_line: Decimal = y.gains_by_line.iter().sum();
            prop_assert!(close(by_area, y.gains.total, "1e-24"), "areas t={}: {by_area} vs {}", y.t, y.gains.total);
            prop_assert!(close(by_line, y.gains.total, "1e-24"), "lines t={}: {by_line} vs {}", y.t, y.gains.total);
        }
    }

    #[test]
    fn without_discounting_present_values_are_plain_sums(mut s in scenario()) {
        s.discounting = Some(Discounting::None);
        let case = evaluate(&s);
        prop_assert!(case.years.iter().all(|y| y.discount_factor == Decimal::ONE));
        for payer in Payer::ALL {
            let costs: Decimal = case.years.iter().map(|y| y.costs.get(payer)).sum();
            let gains: Decimal = case.years.iter().map(|y| y.gains.get(payer)).sum();
            let net: Decimal = case.years.iter().map(|y| y.net.get(payer)).sum();
            prop_assert_eq!(case.summary.pv_costs.get(payer), costs);
            prop_assert!(close(case.summary.pv_gains.get(payer), gains, "1e-24"));
            prop_assert!(close(case.summary.npv.get(payer), net, "1e-24"));
        }
        for y in &case.years {
            prop_assert_eq!(y.net_discounted, y.net);
        }
    }

    #[test]
    fn npv_is_linear_in_the_net_success_rate(
        s in scenario(),
        rates in prop::collection::btree_set(0i64..=1000, 3),
    ) {
        // p0 = 0, so s = p1: three distinct values s_a < s_b < s_c.
        let rates: Vec<Decimal> = rates.into_iter().map(|u| dec(u, 3)).collect();
        let npv = |rate: Decimal| {
            let mut v = s.clone();
            v.effect.baseline_rate = Some(Decimal::ZERO);
            v.effect.success_rate = Some(rate);
            evaluate(&v).summary.npv.total
        };
        let (a, b, c) = (rates[0], rates[1], rates[2]);
        let (na, nb, nc) = (npv(a), npv(b), npv(c));
        // Collinear: (NPV_b - NPV_a)(c - a) = (NPV_c - NPV_a)(b - a).
        let left = (nb - na) * (c - a);
        let right = (nc - na) * (b - a);
        let scale = na.abs().max(nb.abs()).max(nc.abs()).max(Decimal::ONE);
        prop_assert!((left - right).abs() <= Decimal::from_str("1e-18").unwrap() * scale,
            "NPV({a}) = {na}, NPV({b}) = {nb}, NPV({c}) = {nc}");
    }

    #[test]
    fn zero_net_success_means_zero_success_driven_gains(mut s in scenario()) {
        s.effect.success_rate = s.effect.baseline_rate;
        let case = evaluate(&s);
        prop_assert_eq!(case.summary.successes, Decimal::ZERO);
        for (i, line) in case.lines.iter().enumerate() {
            if line.applies_to == AppliesTo::Successes {
                prop_assert!(line.quantities.iter().all(|q| q.is_zero()), "{}", &line.service);
                prop_assert!(line.pv_gains.is_zero());
                for y in &case.years {
                    prop_assert!(y.gains_by_line[i].is_zero());
                }
            }
        }
        if case.lines.iter().all(|l| l.applies_to == AppliesTo::Successes) {
            prop_assert!(case.years.iter().all(|y| y.gains.total.is_zero()));
        }
    }

    #[test]
    fn discount_factors_are_positive_and_non_increasing(
        rates in prop::collection::vec(
            prop_oneof![(0i64..=1000).prop_map(|u| dec(u, 3)), Just(Decimal::ONE)],
            1..=100,
        ),
    ) {
        let factors = som::engine::discounting::factors(&rates).unwrap();
        prop_assert_eq!(factors[0], Decimal::ONE);
        // Π (1 + r_t) up to t; DF(t) is its inverse. Decimal keeps 28 decimal
        // places, so a DF below 1e-28 (e.g. rate 1 for 94 years) rounds to 0:
        // positivity is only claimed while the product stays below 1e20.
        let mut growth = Decimal::ONE;
        let limit = Decimal::from_str("1e20").unwrap();
        for t in 1..factors.len() {
            growth = growth.saturating_mul(Decimal::ONE + rates[t]);
            if growth <= limit {
                prop_assert!(factors[t] > Decimal::ZERO, "DF({t}) = {} with rates {rates:?}", factors[t]);
            }
            prop_assert!(factors[t] >= Decimal::ZERO, "DF({t}) = {}", factors[t]);
            prop_assert!(factors[t] <= factors[t - 1], "DF({t}) > DF({})", t - 1);
        }
    }

    #[test]
    fn break_even_success_rate_fed_back_gives_zero_npv(s in scenario()) {
        let case = evaluate(&s);
        let Some(s_star) = case.summary.break_even_success_rate else {
            return Ok(());
        };
        let p0 = case.baseline_rate;
        let p1 = p0 + s_star;
        prop_assume!(p1 >= Decimal::ZERO && p1 <= Decimal::ONE);
        let mut fed = s.clone();
        fed.effect.success_rate = Some(p1);
        let back = evaluate(&fed);
        let scale = Decimal::ONE
            + case.summary.pv_costs.total.abs()
            + case.summary.pv_gains.total.abs()
            + back.summary.pv_gains.total.abs();
        let npv = back.summary.npv.total;
        prop_assert!(npv.abs() < Decimal::from_str("1e-12").unwrap() * scale,
            "s* = {s_star}: NPV = {npv} (scale {scale})");
    }
}
