//! The f64 fast path: a business case's NPV and benefit-cost ratio in a few
//! multiply-adds per evaluation, for sweeps and simulations.
//!
//! NPV is linear in the net success rate s, the completion rate c, the
//! participants (scaled by a factor k), every cost amount and every line's
//! price (DESIGN.md §1.2–§1.7). [`FastModel::new`] precomputes, once, the
//! discounted value of everything that does not change between points:
//!
//! - per line applying to successes: `G_l = -price_l · Σ_t DF(t) · Σ_r n_r · q_l[t-r-lag] · w[t-r-lag]`,
//!   the PV of the line's gains per unit of s · c · k;
//! - per line applying to participants: the same without persistence, per unit of k;
//! - per one-off or yearly cost: `Σ_t DF(t)` over its years, per krone of its amount;
//! - per cost per participant: `Σ_t DF(t) · n_t`, per krone of its amount and unit of k.
//!
//! A point ([`Point`]) then costs one multiply-add per line and per cost:
//!
//! ```text
//! PV gains = Σ_l price_scale_l · G_l · (s·c·k for success lines, k for participant lines)
//! PV costs = Σ_i amount_i · D_i · (k for costs per participant, 1 otherwise)
//! NPV      = PV gains − PV costs
//! ```
//!
//! The yearly discounted values are kept too, so the break-even year costs
//! one pass over the horizon ([`FastModel::break_even_t`]).
//!
//! # Precision
//!
//! Binary floating point: every figure agrees with the exact Decimal engine to
//! within 1e-9 relative to the larger of PV gains and PV costs (checked over
//! random models by the property test `fast_path_agrees_with_the_exact_engine`
//! and its companion at changed points). An NPV that is
//! a small difference of large present values is therefore exact only in
//! absolute terms. The Decimal engine stays the reference for single business
//! cases; use this path for many points.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::model::{AppliesTo, CostKind, Model};

/// The largest magnitude the exact engine represents (`Decimal::MAX`,
/// 79 228 162 514 264 337 593 543 950 335 ≈ 7.9e28), as f64.
pub const ENGINE_MAX: f64 = 79_228_162_514_264_337_593_543_950_335.0;

/// Whether a figure could come out of the exact engine: finite and within
/// ±[`ENGINE_MAX`]. A fast-path figure outside is one `som run` would refuse
/// as an overflow; sweeps and simulations never report or average it.
///
/// ```
/// use som::analysis::fast::within_engine_range;
/// assert!(within_engine_range(-7.9e28) && within_engine_range(0.0));
/// assert!(!within_engine_range(2e36) && !within_engine_range(f64::NAN) && !within_engine_range(f64::INFINITY));
/// ```
pub fn within_engine_range(x: f64) -> bool {
    x.abs() <= ENGINE_MAX
}

/// Converts an exact value to the nearest f64.
pub(crate) fn to_f64(d: Decimal) -> f64 {
    // Decimal's range (±7.9e28) lies well inside f64's: the conversion cannot fail.
    d.to_f64().unwrap_or(f64::NAN)
}

/// A model prepared for fast evaluation. Build it once with [`FastModel::new`],
/// evaluate it at many [`Point`]s.
///
/// ```
/// use som::analysis::FastModel;
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let exact = som::engine::evaluate(&model).unwrap();
/// let fast = FastModel::new(&model);
///
/// let base = fast.evaluate(&fast.base_point());
/// let exact_npv: f64 = exact.summary.npv.total.try_into().unwrap();
/// assert!((base.npv - exact_npv).abs() < 1e-6);
///
/// // Halve the net success rate: a handful of multiply-adds.
/// let mut point = fast.base_point();
/// point.net_success_rate /= 2.0;
/// assert!(fast.evaluate(&point).npv < base.npv);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FastModel {
    start_year: i32,
    horizon_years: usize,
    base: Point,
    lines: Vec<FastLine>,
    costs: Vec<FastCost>,
}

/// One consequence line's discounted gains per unit of its driver.
#[derive(Clone, Debug, PartialEq)]
struct FastLine {
    applies_to: AppliesTo,
    /// DF(t) · gain(t) per unit of driver, t = 0 .. H-1.
    yearly: Vec<f64>,
    /// Σ of `yearly`.
    total: f64,
}

/// One cost's discount sum per krone of its amount.
#[derive(Clone, Debug, PartialEq)]
struct FastCost {
    per_participant: bool,
    /// DF(t) · cost(t) per krone of amount (and per unit of k), t = 0 .. H-1.
    yearly: Vec<f64>,
    /// Σ of `yearly`.
    total: f64,
}

/// The inputs that may change between fast evaluations.
///
/// Start from [`FastModel::base_point`] (the model's own values) and change
/// what varies.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// s = p1 − p0.
    pub net_success_rate: f64,
    /// c.
    pub completion_rate: f64,
    /// k: every cohort's participants are multiplied by it (1 = as in the model).
    pub participants_scale: f64,
    /// The amount of each cost, in the order of [`Model::costs`].
    pub cost_amounts: Vec<f64>,
    /// A factor on each line's unit price (all payers), in the order of
    /// [`Model::lines`] (1 = as in the model).
    pub price_scales: Vec<f64>,
}

/// The totals of one fast evaluation (all payers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Present value of gains.
    pub pv_gains: f64,
    /// Present value of costs.
    pub pv_costs: f64,
    /// PV gains − PV costs.
    pub npv: f64,
    /// PV gains / PV costs; none when PV costs is zero.
    pub benefit_cost_ratio: Option<f64>,
}

impl Outcome {
    /// Whether every figure (PV gains, PV costs, NPV and a defined BCR) is
    /// one the exact engine could give: finite and within its range
    /// ([`within_engine_range`]).
    pub fn within_engine_range(&self) -> bool {
        within_engine_range(self.pv_gains)
            && within_engine_range(self.pv_costs)
            && within_engine_range(self.npv)
            && self.benefit_cost_ratio.is_none_or(within_engine_range)
    }
}

impl FastModel {
    /// Precomputes the discounted streams of a model (O(H · (lines · profile + costs))).
    pub fn new(model: &Model) -> FastModel {
        FastModel::with_overrides(model, None, None)
    }

    /// Like [`FastModel::new`], with one constant discount rate for every
    /// year and/or another annual decay of persistence, given in f64 (for
    /// simulations that draw them).
    ///
    /// ```
    /// use som::analysis::FastModel;
    /// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
    /// let undiscounted = FastModel::with_overrides(&model, Some(0.0), None);
    /// let npv = |f: &FastModel| f.evaluate(&f.base_point()).npv;
    /// assert!(npv(&undiscounted) > npv(&FastModel::new(&model)));
    /// ```
    pub fn with_overrides(
        model: &Model,
        discount_rate: Option<f64>,
        annual_decay: Option<f64>,
    ) -> FastModel {
        let horizon = model.horizon_years;
        let df = match discount_rate {
            Some(r) => (0..horizon)
                .scan(1.0, |df, t| {
                    if t > 0 {
                        *df /= 1.0 + r;
                    }
                    Some(*df)
                })
                .collect(),
            None => discount_factors(&model.discount_rates),
        };
        let participants: Vec<f64> = model.participants.iter().map(|n| to_f64(*n)).collect();
        let kept = 1.0 - annual_decay.unwrap_or_else(|| to_f64(model.persistence.annual_decay));

        let lines = model
            .lines
            .iter()
            .map(|line| {
                let price = to_f64(line.unit_price.kommune)
                    + to_f64(line.unit_price.region)
                    + to_f64(line.unit_price.stat);
                let price = price * to_f64(line.index_factor.numerator)
                    / to_f64(line.index_factor.denominator);
                // q[k]·w[k] (DESIGN.md §1.3); participant lines take the profile as it is.
                let mut w = 1.0;
                let weighted: Vec<f64> = line
                    .profile
                    .iter()
                    .enumerate()
                    .map(|(k, q)| match line.applies_to {
                        AppliesTo::Participants => to_f64(*q),
                        AppliesTo::Successes => {
                            let lasting = model.persistence.duration_years.is_none_or(|d| k < d);
                            let v = if lasting { to_f64(*q) * w } else { 0.0 };
                            w *= kept;
                            v
                        }
                    })
                    .collect();
                let mut quantity = vec![0.0; horizon];
                for (r, n) in participants.iter().enumerate() {
                    if *n == 0.0 {
                        continue;
                    }
                    for (k, q) in weighted.iter().enumerate() {
                        let t = r + model.effect_lag_years + k;
                        if t >= horizon {
                            break;
                        }
                        quantity[t] += n * q;
                    }
                }
                // A fall in use at a positive price is a gain (DESIGN.md §1.6).
                let yearly: Vec<f64> = quantity
                    .iter()
                    .zip(&df)
                    .map(|(q, d)| -q * price * d)
                    .collect();
                FastLine {
                    applies_to: line.applies_to,
                    total: yearly.iter().sum(),
                    yearly,
                }
            })
            .collect();

        let costs = model
            .costs
            .iter()
            .map(|cost| {
                let yearly: Vec<f64> = (0..horizon)
                    .map(|t| match cost.kind {
                        CostKind::OneOff { year } if t == year => df[t],
                        CostKind::PerYear { from_year, to_year }
                            if from_year <= t && t <= to_year =>
                        {
                            df[t]
                        }
                        // The cohorts in year t of their course (§1.5).
                        CostKind::PerParticipant { years } => {
                            participants[(t + 1).saturating_sub(years)..=t]
                                .iter()
                                .sum::<f64>()
                                * df[t]
                        }
                        _ => 0.0,
                    })
                    .collect();
                FastCost {
                    per_participant: matches!(cost.kind, CostKind::PerParticipant { .. }),
                    total: yearly.iter().sum(),
                    yearly,
                }
            })
            .collect();

        FastModel {
            start_year: model.start_year,
            horizon_years: horizon,
            base: Point {
                net_success_rate: to_f64(model.net_success_rate()),
                completion_rate: to_f64(model.completion_rate),
                participants_scale: 1.0,
                cost_amounts: model.costs.iter().map(|c| to_f64(c.amount)).collect(),
                price_scales: vec![1.0; model.lines.len()],
            },
            lines,
            costs,
        }
    }

    /// The point that reproduces the model itself.
    pub fn base_point(&self) -> Point {
        self.base.clone()
    }

    /// The point that reproduces the model itself, borrowed (to reset a
    /// reused point with `clone_from` without allocating).
    pub fn base(&self) -> &Point {
        &self.base
    }

    /// H, the number of years.
    pub fn horizon_years(&self) -> usize {
        self.horizon_years
    }

    /// Calendar year of t = 0.
    pub fn start_year(&self) -> i32 {
        self.start_year
    }

    /// The multiplier of each line's precomputed value at a point.
    fn line_factor(&self, line: &FastLine, point: &Point, price_scale: f64) -> f64 {
        match line.applies_to {
            AppliesTo::Successes => {
                price_scale
                    * point.net_success_rate
                    * point.completion_rate
                    * point.participants_scale
            }
            AppliesTo::Participants => price_scale * point.participants_scale,
        }
    }

    fn cost_factor(cost: &FastCost, point: &Point, amount: f64) -> f64 {
        if cost.per_participant {
            amount * point.participants_scale
        } else {
            amount
        }
    }

    /// PV gains, PV costs, NPV and BCR at a point.
    ///
    /// `point.cost_amounts` and `point.price_scales` must have one entry per
    /// cost and per line (as [`FastModel::base_point`] gives); missing entries
    /// count as zero.
    pub fn evaluate(&self, point: &Point) -> Outcome {
        let pv_gains: f64 = self
            .lines
            .iter()
            .zip(&point.price_scales)
            .map(|(line, scale)| line.total * self.line_factor(line, point, *scale))
            .sum();
        let pv_costs: f64 = self
            .costs
            .iter()
            .zip(&point.cost_amounts)
            .map(|(cost, amount)| cost.total * Self::cost_factor(cost, point, *amount))
            .sum();
        Outcome {
            pv_gains,
            pv_costs,
            npv: pv_gains - pv_costs,
            benefit_cost_ratio: (pv_costs != 0.0).then(|| pv_gains / pv_costs),
        }
    }

    /// The discounted net (all payers) of each year t = 0 .. H-1 at a point.
    pub fn discounted_net_by_year(&self, point: &Point) -> Vec<f64> {
        let mut net = Vec::new();
        self.discounted_net_into(point, &mut net);
        net
    }

    /// [`FastModel::discounted_net_by_year`] into a reused vector.
    pub fn discounted_net_into(&self, point: &Point, net: &mut Vec<f64>) {
        net.clear();
        net.resize(self.horizon_years, 0.0);
        for (line, scale) in self.lines.iter().zip(&point.price_scales) {
            let f = self.line_factor(line, point, *scale);
            net.iter_mut()
                .zip(&line.yearly)
                .for_each(|(n, v)| *n += v * f);
        }
        for (cost, amount) in self.costs.iter().zip(&point.cost_amounts) {
            let f = Self::cost_factor(cost, point, *amount);
            net.iter_mut()
                .zip(&cost.yearly)
                .for_each(|(n, v)| *n -= v * f);
        }
    }

    /// The break-even year index at a point: the first t from which the
    /// cumulative discounted net stays >= 0 to the horizon (DESIGN.md §1.8);
    /// none if never.
    pub fn break_even_t(&self, point: &Point) -> Option<usize> {
        // Year by year without allocating: the same sums, in the same order,
        // as `discounted_net_by_year`.
        let mut cumulative = 0.0;
        let mut start = None;
        for t in 0..self.horizon_years {
            let mut net = 0.0;
            for (line, scale) in self.lines.iter().zip(&point.price_scales) {
                net += line.yearly[t] * self.line_factor(line, point, *scale);
            }
            for (cost, amount) in self.costs.iter().zip(&point.cost_amounts) {
                net -= cost.yearly[t] * Self::cost_factor(cost, point, *amount);
            }
            cumulative += net;
            if cumulative >= 0.0 {
                start.get_or_insert(t);
            } else {
                start = None;
            }
        }
        start
    }

    /// The break-even calendar year at a point (see [`FastModel::break_even_t`]).
    pub fn break_even_year(&self, point: &Point) -> Option<i32> {
        self.break_even_t(point)
            .and_then(|t| i32::try_from(t).ok())
            .and_then(|t| self.start_year.checked_add(t))
    }
}

/// DF(0) = 1, DF(t) = DF(t-1) / (1 + r_t) (DESIGN.md §1.7), in f64.
fn discount_factors(rates: &[Decimal]) -> Vec<f64> {
    let mut df = 1.0;
    rates
        .iter()
        .enumerate()
        .map(|(t, r)| {
            if t > 0 {
                df /= 1.0 + to_f64(*r);
            }
            df
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::evaluate;
    use crate::model::{Cost, IndexFactor, Line, Persistence};
    use crate::model::{Payer, PayerAmounts};
    use proptest::prelude::*;

    fn dec(mantissa: i64, scale: u32) -> Decimal {
        Decimal::new(mantissa, scale)
    }

    prop_compose! {
        fn line()(
            applies_to in prop_oneof![Just(AppliesTo::Successes), Just(AppliesTo::Participants)],
            profile in prop::collection::vec(-5000i64..5000, 1..12),
            kommune in -100_000_000i64..100_000_000,
            region in 0i64..50_000_000,
            stat in -50_000_000i64..50_000_000,
            numerator in 900i64..1200,
            denominator in 900i64..1200,
        ) -> Line {
            Line {
                service: "s".into(),
                label: "s".into(),
                unit: "u".into(),
                area: "a".into(),
                committee: None,
                applies_to,
                profile: profile.into_iter().map(|q| dec(q, 2)).collect(),
                unit_price: PayerAmounts { kommune: dec(kommune, 2), region: dec(region, 2), stat: dec(stat, 2) },
                price_year: 2020,
                index_factor: IndexFactor { numerator: dec(numerator, 1), denominator: dec(denominator, 1) },
                grade: None,
            }
        }
    }

    prop_compose! {
        fn cost(horizon: usize)(
            kind in 0u8..3,
            a in 0..horizon,
            b in 0..horizon,
            amount in 0i64..200_000_000,
            payer in prop_oneof![Just(Payer::Kommune), Just(Payer::Region), Just(Payer::Stat)],
        ) -> Cost {
            let kind = match kind {
                0 => CostKind::OneOff { year: a },
                1 => CostKind::PerYear { from_year: a.min(b), to_year: a.max(b) },
                _ => CostKind::PerParticipant { years: 1 + a % 3 },
            };
            Cost { label: "c".into(), kind, amount: dec(amount, 2), payer, grade: None, committee: None }
        }
    }

    fn model() -> impl Strategy<Value = Model> {
        (1usize..30).prop_flat_map(|horizon| {
            (
                prop::collection::vec(prop_oneof![Just(0i64), 0i64..3000], horizon),
                0i64..=1000,
                0i64..=1000,
                0i64..=1000,
                0usize..4,
                (prop::option::of(1usize..15), 0i64..=500),
                prop::collection::vec(line(), 0..6),
                prop::collection::vec(cost(horizon), 0..5),
                prop::collection::vec(0i64..=80, horizon),
            )
                .prop_map(
                    move |(n, c, p1, p0, lag, (duration, decay), lines, costs, rates)| Model {
                        name: "random".into(),
                        start_year: 2026,
                        horizon_years: horizon,
                        price_year: 2025,
                        participants: n.into_iter().map(|n| dec(n, 1)).collect(),
                        completion_rate: dec(c, 3),
                        success_rate: dec(p1, 3),
                        baseline_rate: dec(p0, 3),
                        effect_lag_years: lag,
                        persistence: Persistence {
                            duration_years: duration,
                            annual_decay: dec(decay, 3),
                        },
                        lines,
                        costs,
                        financing: Vec::new(),
                        discount_rates: rates.into_iter().map(|r| dec(r, 3)).collect(),
                        context: Default::default(),
                    },
                )
        })
    }

    /// |a - b| <= 1e-9 · max(|b|, scale): relative, or absolute against the
    /// size of the present values an NPV is the difference of.
    fn close(a: f64, b: Decimal, scale: f64) -> bool {
        let b = to_f64(b);
        (a - b).abs() <= 1e-9 * b.abs().max(scale).max(1e-6)
    }

    fn check(fast: &Outcome, model: &Model) -> Result<(), TestCaseError> {
        let exact = evaluate(model).map_err(|e| TestCaseError::reject(e.to_string()))?;
        let s = &exact.summary;
        let scale = to_f64(s.pv_gains.total).abs() + to_f64(s.pv_costs.total).abs();
        prop_assert!(
            close(fast.npv, s.npv.total, scale),
            "npv {} vs {}",
            fast.npv,
            s.npv.total
        );
        prop_assert!(close(fast.pv_gains, s.pv_gains.total, scale));
        prop_assert!(close(fast.pv_costs, s.pv_costs.total, scale));
        match (fast.benefit_cost_ratio, s.benefit_cost_ratio) {
            (Some(f), Some(e)) => {
                prop_assert!(close(f, e, 0.0), "bcr {f} vs {e}")
            }
            (None, None) => {}
            // PV costs within rounding of zero: one side may see an exact zero.
            (f, e) => prop_assert!(scale < 1e-6, "bcr {f:?} vs {e:?}"),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn fast_path_agrees_with_the_exact_engine(model in model()) {
            let fast = FastModel::new(&model);
            check(&fast.evaluate(&fast.base_point()), &model)?;
        }

        #[test]
        fn fast_path_agrees_with_the_exact_engine_at_other_points(
            model in model(),
            s in -1000i64..=1000,
            c in 0i64..=1000,
            k in 0i64..=40,
            cost_amount in 0i64..100_000_000,
            price_scale in 0i64..=300,
        ) {
            let fast = FastModel::new(&model);
            let mut point = fast.base_point();
            point.net_success_rate = to_f64(dec(s, 3));
            point.completion_rate = to_f64(dec(c, 3));
            point.participants_scale = to_f64(dec(k, 1));
            point.cost_amounts.iter_mut().for_each(|a| *a = to_f64(dec(cost_amount, 2)));
            point.price_scales.iter_mut().for_each(|p| *p = to_f64(dec(price_scale, 2)));

            let mut changed = model.clone();
            changed.baseline_rate = Decimal::ZERO;
            changed.success_rate = dec(s, 3);
            changed.completion_rate = dec(c, 3);
            changed.participants.iter_mut().for_each(|n| *n *= dec(k, 1));
            changed.costs.iter_mut().for_each(|x| x.amount = dec(cost_amount, 2));
            changed.lines.iter_mut().for_each(|l| {
                l.unit_price = PayerAmounts {
                    kommune: l.unit_price.kommune * dec(price_scale, 2),
                    region: l.unit_price.region * dec(price_scale, 2),
                    stat: l.unit_price.stat * dec(price_scale, 2),
                }
            });
            check(&fast.evaluate(&point), &changed)?;
        }

        #[test]
        fn fast_break_even_year_matches_the_exact_engine(model in model()) {
            let fast = FastModel::new(&model);
            let exact = evaluate(&model).map_err(|e| TestCaseError::reject(e.to_string()))?;
            // Only where no cumulative value sits within rounding of zero.
            let scale = to_f64(exact.summary.pv_gains.total).abs() + to_f64(exact.summary.pv_costs.total).abs();
            let clear = exact.years.iter().all(|y| to_f64(y.cumulative_net_discounted.total).abs() > 1e-9 * scale.max(1.0));
            prop_assume!(clear);
            prop_assert_eq!(fast.break_even_year(&fast.base_point()), exact.summary.break_even_year);
        }
    }

    #[test]
    fn overrides_agree_with_the_exact_engine_on_the_changed_model() {
        let mut model = crate::Scenario::example()
            .resolve(crate::KnowledgeBase::embedded())
            .unwrap();
        let fast = FastModel::with_overrides(&model, Some(0.05), Some(0.25));
        model.discount_rates = vec![dec(5, 2); model.horizon_years];
        model.persistence.annual_decay = dec(25, 2);
        let exact = to_f64(evaluate(&model).unwrap().summary.npv.total);
        let npv = fast.evaluate(&fast.base_point()).npv;
        assert!(
            (npv - exact).abs() <= 1e-9 * exact.abs(),
            "{npv} vs {exact}"
        );
    }

    #[test]
    fn example_scenario_agrees_to_the_last_krone() {
        let model = crate::Scenario::example()
            .resolve(crate::KnowledgeBase::embedded())
            .unwrap();
        let fast = FastModel::new(&model);
        let exact = evaluate(&model).unwrap();
        let outcome = fast.evaluate(&fast.base_point());
        assert!((outcome.npv - to_f64(exact.summary.npv.total)).abs() < 1e-6);
        assert_eq!(
            fast.break_even_year(&fast.base_point()),
            exact.summary.break_even_year
        );
    }
}
