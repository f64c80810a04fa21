//! The engine computes on `u128` where rust_decimal's result fits
//! (`som::engine::arith`); `evaluate_plain` is the same calculation on
//! rust_decimal's own operations. On random models — ordinary ones and ones
//! whose figures come near Decimal's limit of about 7.9e28 — both give the
//! same business case to the last bit (compared through `Debug`, which
//! shows every digit and the scale of each amount), or the same error; and
//! the summary-only evaluation gives the same summary.

use proptest::prelude::*;
use rust_decimal::Decimal;
use som::engine::{evaluate, evaluate_plain, evaluate_summary};
use som::model::{
    AppliesTo, Cost, CostKind, IndexFactor, Line, Model, Payer, PayerAmounts, Persistence,
};

/// A decimal with up to `digits` significant digits and `max_scale` decimals.
fn decimal(digits: u32, max_scale: u32, negative: bool) -> impl Strategy<Value = Decimal> {
    let bound = 10i128.pow(digits);
    (0..bound, 0..=max_scale, any::<bool>()).prop_map(move |(m, scale, sign)| {
        let m = if negative && sign { -m } else { m };
        Decimal::from_i128_with_scale(m, scale)
    })
}

fn payer() -> impl Strategy<Value = Payer> {
    prop_oneof![Just(Payer::Kommune), Just(Payer::Region), Just(Payer::Stat)]
}

/// Index factors as the price index gives them (one decimal each) or with
/// long fractions, so that converted prices carry 28 digits.
fn index_factor() -> impl Strategy<Value = IndexFactor> {
    prop_oneof![
        Just(IndexFactor::ONE),
        (900i64..1300, 900i64..1300).prop_map(|(n, d)| IndexFactor {
            numerator: Decimal::new(n, 1),
            denominator: Decimal::new(d, 1),
        }),
        (decimal(12, 6, false), 1i64..1_000_000).prop_map(|(n, d)| IndexFactor {
            numerator: n,
            denominator: Decimal::new(d, 3),
        }),
    ]
}

fn line(i: usize, big: bool) -> impl Strategy<Value = Line> {
    let price_digits = if big { 24 } else { 8 };
    (
        prop_oneof![Just(AppliesTo::Successes), Just(AppliesTo::Participants)],
        prop::collection::vec(decimal(6, 4, true), 0..12),
        decimal(price_digits, 2, true),
        decimal(price_digits, 2, true),
        decimal(price_digits, 2, true),
        index_factor(),
        0..3usize,
    )
        .prop_map(
            move |(applies_to, profile, k, r, s, index_factor, area)| Line {
                service: format!("service-{i}").into(),
                label: format!("Service {i}").into(),
                unit: "day".into(),
                area: ["housing", "health", "justice"][area].into(),
                committee: None,
                applies_to,
                profile,
                unit_price: PayerAmounts {
                    kommune: k,
                    region: r,
                    stat: s,
                },
                price_year: 2020,
                index_factor,
                grade: None,
            },
        )
}

fn cost(horizon: usize, big: bool) -> impl Strategy<Value = Cost> {
    (
        0..3u8,
        0..horizon,
        0..horizon,
        decimal(if big { 26 } else { 9 }, 2, false),
        payer(),
    )
        .prop_map(|(kind, a, b, amount, payer)| Cost {
            label: format!("cost {kind}").into(),
            kind: match kind {
                0 => CostKind::OneOff { year: a },
                1 => CostKind::PerYear {
                    from_year: a.min(b),
                    to_year: a.max(b),
                },
                // A course of 1 to 3 years.
                _ => CostKind::PerParticipant { years: 1 + b % 3 },
            },
            amount,
            payer,
            grade: None,
            committee: None,
        })
}

/// A model of 1-40 years with 0-6 lines; `big` puts prices, participants and
/// costs near the limit, so that some sums and products overflow.
fn model(big: bool) -> impl Strategy<Value = Model> {
    (1usize..40).prop_flat_map(move |horizon| {
        let lines =
            (0usize..7).prop_flat_map(move |n| (0..n).map(|i| line(i, big)).collect::<Vec<_>>());
        (
            prop::collection::vec(decimal(if big { 8 } else { 3 }, 1, false), horizon),
            decimal(3, 3, false),
            (0i64..=1000, 0i64..=1000),
            0usize..4,
            (prop::option::of(0usize..15), decimal(3, 3, false)),
            lines,
            prop::collection::vec(cost(horizon, big), 0..4),
            prop::collection::vec(decimal(3, 3, false), horizon),
        )
            .prop_map(
                move |(
                    participants,
                    completion,
                    (p1, p0),
                    lag,
                    (duration, decay),
                    lines,
                    costs,
                    rates,
                )| {
                    let one = Decimal::ONE;
                    Model {
                        name: "random".into(),
                        start_year: 2026,
                        horizon_years: horizon,
                        price_year: 2025,
                        participants,
                        completion_rate: completion.min(one),
                        success_rate: Decimal::new(p1.max(p0), 3),
                        baseline_rate: Decimal::new(p1.min(p0), 3),
                        effect_lag_years: lag,
                        persistence: Persistence {
                            duration_years: duration,
                            annual_decay: decay.min(one),
                        },
                        lines,
                        costs,
                        financing: Vec::new(),
                        discount_rates: rates.into_iter().map(|r| r / Decimal::TEN).collect(),
                        context: Default::default(),
                    }
                },
            )
    })
}

fn same(model: &Model) -> Result<(), TestCaseError> {
    let fast = evaluate(model);
    let plain = evaluate_plain(model);
    prop_assert_eq!(format!("{fast:?}"), format!("{plain:?}"));
    if let Ok(case) = &fast {
        let summary = evaluate_summary(model);
        prop_assert_eq!(
            format!("{:?}", summary),
            format!("{:?}", Ok::<_, ()>(&case.summary))
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn fast_and_plain_arithmetic_give_the_same_business_case(m in model(false)) {
        same(&m)?;
    }

    #[test]
    fn near_decimals_limit_they_agree_too_and_fail_alike(m in model(true)) {
        same(&m)?;
    }
}

/// The big models do reach the limit: at least some of them overflow, so the
/// second property also covers failing alike.
#[test]
fn the_big_models_reach_decimals_limit() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = model(true);
    let overflowed = (0..200)
        .filter(|_| {
            let m = strategy.new_tree(&mut runner).expect("a model").current();
            evaluate_plain(&m).is_err()
        })
        .count();
    assert!(overflowed > 0, "no big model overflowed");
}
