//! Benchmarks of the exact engine and the analysis layer. Figures and the
//! machine are recorded in benches/README.md; run with
//! `cargo bench --bench analysis -- --measurement-time 2 --warm-up-time 1`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use som::analysis::{
    Baseline, FastModel, SimulationOptions, SimulationSpec, SweepSpec, simulate, sweep,
};
use som::engine::evaluate;
use som::model::{AppliesTo, Cost, CostKind, IndexFactor, Line, Model, Persistence};
use som::{KnowledgeBase, Payer, PayerAmounts, Scenario};

/// The built-in example: 10 years, 3 cohorts, 1 consequence line.
fn example() -> Model {
    Scenario::example()
        .resolve(KnowledgeBase::embedded())
        .expect("the example resolves")
}

/// Ten consequence lines: the embedded knowledge base has six services, so
/// the scenario in six-lines.json uses each once and four copies are added
/// at the model level (10 years, 3 cohorts).
fn ten_lines() -> Model {
    let scenario = Scenario::from_json(include_str!("six-lines.json")).expect("valid scenario");
    let mut model = scenario
        .resolve(KnowledgeBase::embedded())
        .expect("the scenario resolves");
    let copies: Vec<Line> = model.lines[..4]
        .iter()
        .map(|l| Line {
            service: format!("{}-copy", l.service).into(),
            ..l.clone()
        })
        .collect();
    model.lines.extend(copies);
    model
}

/// A synthetic model: `horizon` years, `cohorts` cohorts of 40, `lines`
/// success lines with 10-year profiles, three costs, 3.5 % discounting.
fn synthetic(horizon: usize, cohorts: usize, lines: usize) -> Model {
    let d = |m: i64, s: u32| Decimal::new(m, s);
    Model {
        name: "synthetic".into(),
        start_year: 2026,
        horizon_years: horizon,
        price_year: 2025,
        participants: (0..horizon)
            .map(|t| if t < cohorts { d(40, 0) } else { Decimal::ZERO })
            .collect(),
        completion_rate: d(9, 1),
        success_rate: d(45, 2),
        baseline_rate: d(20, 2),
        effect_lag_years: 1,
        persistence: Persistence {
            duration_years: Some(10),
            annual_decay: d(1, 1),
        },
        lines: (0..lines)
            .map(|i| Line {
                service: format!("s{i}").into(),
                label: format!("Service {i}").into(),
                unit: "day".into(),
                area: "housing".into(),
                committee: None,
                applies_to: AppliesTo::Successes,
                profile: (0..10).map(|k| d(-(100 - 7 * k), 1)).collect(),
                unit_price: PayerAmounts {
                    kommune: d(161_100, 2),
                    region: d(12_345, 2),
                    stat: d(50_000, 2),
                },
                price_year: 2020,
                index_factor: IndexFactor {
                    numerator: d(1123, 1),
                    denominator: d(1000, 1),
                },
                grade: None,
            })
            .collect(),
        costs: vec![
            Cost {
                label: "Training".into(),
                kind: CostKind::OneOff { year: 0 },
                amount: d(250_000, 0),
                payer: Payer::Kommune,
                grade: None,
                committee: None,
            },
            Cost {
                label: "Team".into(),
                kind: CostKind::PerYear {
                    from_year: 0,
                    to_year: cohorts.saturating_sub(1),
                },
                amount: d(958_000, 0),
                payer: Payer::Kommune,
                grade: None,
                committee: None,
            },
            Cost {
                label: "Support".into(),
                kind: CostKind::PerParticipant { years: 1 },
                amount: d(60_000, 0),
                payer: Payer::Kommune,
                grade: None,
                committee: None,
            },
        ],
        financing: Vec::new(),
        discount_rates: vec![d(35, 3); horizon],
        context: Default::default(),
    }
}

/// One business case: the exact engine against the fast path on the same model.
fn per_point(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_point");
    for (name, model) in [("example", example()), ("ten_lines", ten_lines())] {
        group.bench_function(BenchmarkId::new("decimal", name), |b| {
            b.iter(|| evaluate(black_box(&model)).expect("evaluates"))
        });
        let fast = FastModel::new(&model);
        let mut point = fast.base_point();
        group.bench_function(BenchmarkId::new("fast", name), |b| {
            b.iter(|| {
                point.net_success_rate = black_box(0.25);
                fast.evaluate(black_box(&point))
            })
        });
        group.bench_function(BenchmarkId::new("fast_with_break_even_year", name), |b| {
            b.iter(|| fast.break_even_year(black_box(&point)))
        });
        group.bench_function(BenchmarkId::new("fast_build", name), |b| {
            b.iter(|| FastModel::new(black_box(&model)))
        });
    }
    group.finish();
}

/// 10^6 sweep points and 10^6 simulation draws on every core, against 10^3
/// exact evaluations as the per-point baseline.
fn bulk(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    let base = Baseline::new(&Scenario::example(), kb).expect("the example resolves");
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));

    group.throughput(Throughput::Elements(1_000));
    group.bench_function("decimal_1e3_points", |b| {
        let model = base.model().clone();
        b.iter(|| {
            for i in 0..1_000 {
                let mut m = model.clone();
                m.success_rate = Decimal::new(250 + i % 300, 3);
                black_box(evaluate(&m).expect("evaluates"));
            }
        })
    });

    group.throughput(Throughput::Elements(1_000_000));
    let grid = SweepSpec::from_json(
        r#"{"parameters": [
            {"name": "success_rate", "from": 0.2, "to": 0.6995, "step": 0.0005},
            {"name": "participants_scale", "from": 0.01, "to": 10, "step": 0.01}]}"#,
        "bench.json",
        base.model(),
    )
    .expect("valid grid");
    assert_eq!(grid.points(), 1_000_000);
    group.bench_function("sweep_1e6_points", |b| {
        b.iter(|| sweep(&base, black_box(&grid)).expect("sweeps"))
    });

    let inputs = SimulationSpec::from_json(
        r#"{"inputs": [
            {"name": "success_rate", "distribution": "triangular", "min": 0.35, "mode": 0.45, "max": 0.55},
            {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
            {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
            {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2}]}"#,
        "bench.json",
        base.model(),
    )
    .expect("valid inputs");
    let options = SimulationOptions {
        draws: 1_000_000,
        seed: 1,
        keep_draws: false,
    };
    group.bench_function("monte_carlo_1e6_draws", |b| {
        b.iter(|| simulate(&base, black_box(&inputs), options).expect("simulates"))
    });
    group.finish();
}

/// The exact engine's time against horizon, lines and cohorts.
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.sample_size(20);
    for h in [10, 20, 40, 80] {
        let m = synthetic(h, 3, 5);
        group.bench_function(BenchmarkId::new("horizon", h), |b| {
            b.iter(|| evaluate(black_box(&m)).expect("evaluates"))
        });
    }
    for l in [1, 5, 10, 20] {
        let m = synthetic(20, 3, l);
        group.bench_function(BenchmarkId::new("lines", l), |b| {
            b.iter(|| evaluate(black_box(&m)).expect("evaluates"))
        });
    }
    for n in [1, 5, 10, 20] {
        let m = synthetic(30, n, 5);
        group.bench_function(BenchmarkId::new("cohorts", n), |b| {
            b.iter(|| evaluate(black_box(&m)).expect("evaluates"))
        });
    }
    group.finish();
}

criterion_group!(benches, per_point, bulk, scaling);
criterion_main!(benches);
