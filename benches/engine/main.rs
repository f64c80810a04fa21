//! The exact engine (issue 17): one business case, and how its time grows
//! with the horizon and the number of consequence lines.
//!
//! Every group measures the engine against a baseline in the same run: the
//! engine as it was before issue 17, kept in `previous_engine.rs` (the same
//! Decimal operations, with per-year vectors and service names cloned per
//! year and line). Function names say what is measured:
//!
//! - `exact_case_ten_lines/engine` — `som::engine::evaluate` on
//!   `benches/ten-lines.json` (10 years, 3 cohorts, 10 consequence lines,
//!   3 payers) resolved against the embedded knowledge base;
//! - `exact_case_ten_lines/previous_engine` — the baseline on the same model;
//! - `exact_case_ten_lines/engine_summary_only` — `som::engine::evaluate_summary`,
//!   the same figures without the years and lines;
//! - `exact_case_ten_lines/json_writer` — writing that business case as the
//!   JSON of `som run --format json` (`report::json::render`);
//! - `exact_case_ten_lines/summary_json_writer` — writing only its figures
//!   (`report::json::render_summary`);
//! - `exact_case_ten_lines/api_evaluate_json` and `api_evaluate_summary_json`
//!   — JSON text in, JSON text out through `som::api` (parse, resolve,
//!   evaluate, write);
//! - `exact_case_ten_lines/resolve` — reading and resolving the scenario;
//! - `exact_scaling_horizon/{engine,previous_engine}/H` — a synthetic model
//!   with 5 lines and 3 cohorts over H = 10, 20, 40, 80 years;
//! - `exact_scaling_lines/{engine,previous_engine}/L` — the synthetic model
//!   over 20 years with L = 1, 5, 10, 20 lines.
//!
//! The C ABI itself (C strings in and out) is measured against the engine
//! in `ffi/benches/c_abi.rs`.
//!
//! `cargo bench --bench engine` (about 2 minutes).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group};
use rust_decimal::Decimal;
use som::engine::evaluate;
use som::model::{AppliesTo, Cost, CostKind, IndexFactor, Line, Model, Persistence};
use som::{KnowledgeBase, Payer, PayerAmounts, Scenario};

mod previous_engine;

const TEN_LINES: &str = include_str!("../ten-lines.json");

/// The case: 10 years, 3 cohorts, 10 consequence lines, 3 payers.
fn ten_lines() -> Model {
    let scenario = Scenario::from_json(TEN_LINES).expect("benches/ten-lines.json is valid");
    let model = scenario
        .resolve(KnowledgeBase::embedded())
        .expect("benches/ten-lines.json resolves against the embedded knowledge base");
    assert_eq!(model.lines.len(), 10);
    assert_eq!(model.horizon_years, 10);
    model
}

/// A synthetic model: `horizon` years, 3 cohorts of 40, `lines` success
/// lines with 10-year profiles and prices for all three payers, index
/// factors that need a division, three costs, 3.5 % discounting.
fn synthetic(horizon: usize, lines: usize) -> Model {
    let d = |m: i64, s: u32| Decimal::new(m, s);
    let cohorts = 3;
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
                area: ["housing", "health", "justice"][i % 3].into(),
                committee: None,
                applies_to: AppliesTo::Successes,
                profile: (0..10).map(|k| d(-(100 - 7 * k), 1)).collect(),
                unit_price: PayerAmounts {
                    kommune: d(161_100 + i as i64, 2),
                    region: d(12_345, 2),
                    stat: d(50_000, 2),
                },
                price_year: 2020,
                index_factor: IndexFactor {
                    numerator: d(1123, 1),
                    denominator: d(1017, 1),
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
                    to_year: cohorts - 1,
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
                payer: Payer::Region,
                grade: None,
                committee: None,
            },
        ],
        financing: Vec::new(),
        discount_rates: vec![d(35, 3); horizon],
        context: Default::default(),
    }
}

/// The baseline must compute the same business case, or the ratio means nothing.
fn assert_same_figures(model: &Model) {
    let now = evaluate(model).expect("evaluates");
    let before = previous_engine::evaluate(model).expect("the previous engine evaluates");
    assert_eq!(now.summary.npv.total, before.summary.npv.total);
    assert_eq!(now.summary.pv_gains.total, before.summary.pv_gains.total);
    assert_eq!(now.years.len(), before.years.len());
    for (a, b) in now.years.iter().zip(&before.years) {
        assert_eq!(
            a.cumulative_net_discounted.total,
            b.cumulative_net_discounted.total
        );
    }
}

fn exact_case(c: &mut Criterion) {
    let model = ten_lines();
    assert_same_figures(&model);
    let kb = KnowledgeBase::embedded();
    let case = evaluate(&model).expect("evaluates");
    let mut group = c.benchmark_group("exact_case_ten_lines");
    group.bench_function("engine", |b| {
        b.iter(|| evaluate(black_box(&model)).expect("evaluates"))
    });
    group.bench_function("previous_engine", |b| {
        b.iter(|| previous_engine::evaluate(black_box(&model)).expect("evaluates"))
    });
    group.bench_function("engine_summary_only", |b| {
        b.iter(|| som::engine::evaluate_summary(black_box(&model)).expect("evaluates"))
    });
    group.bench_function("json_writer", |b| {
        b.iter(|| som::report::json::render(black_box(&case)))
    });
    let figures = som::evaluate_summary(&Scenario::from_json(TEN_LINES).expect("valid"), kb)
        .expect("evaluates");
    group.bench_function("summary_json_writer", |b| {
        b.iter(|| som::report::json::render_summary(black_box(&figures)))
    });
    group.bench_function("resolve", |b| {
        b.iter(|| {
            Scenario::from_json(black_box(TEN_LINES))
                .expect("valid")
                .resolve(kb)
                .expect("resolves")
        })
    });
    group.bench_function("api_evaluate_json", |b| {
        b.iter(|| som::api::evaluate_json(black_box(TEN_LINES), kb).expect("evaluates"))
    });
    group.bench_function("api_evaluate_summary_json", |b| {
        b.iter(|| som::api::evaluate_summary_json(black_box(TEN_LINES), kb).expect("evaluates"))
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact_scaling_horizon");
    for h in [10, 20, 40, 80] {
        let m = synthetic(h, 5);
        assert_same_figures(&m);
        group.bench_function(BenchmarkId::new("engine", h), |b| {
            b.iter(|| evaluate(black_box(&m)).expect("evaluates"))
        });
        group.bench_function(BenchmarkId::new("previous_engine", h), |b| {
            b.iter(|| previous_engine::evaluate(black_box(&m)).expect("evaluates"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("exact_scaling_lines");
    for l in [1, 5, 10, 20] {
        let m = synthetic(20, l);
        assert_same_figures(&m);
        group.bench_function(BenchmarkId::new("engine", l), |b| {
            b.iter(|| evaluate(black_box(&m)).expect("evaluates"))
        });
        group.bench_function(BenchmarkId::new("previous_engine", l), |b| {
            b.iter(|| previous_engine::evaluate(black_box(&m)).expect("evaluates"))
        });
    }
    group.finish();
}

criterion_group!(benches, exact_case, scaling);

/// `SOM_BENCH_REPEAT=N` runs one path N times and nothing else, for counting
/// instructions under callgrind, which is stable while other work loads the
/// machine: `SOM_BENCH_REPEAT=101 SOM_BENCH_PATH=engine valgrind
/// --tool=callgrind target/release/deps/engine-HASH` minus the same with 1,
/// divided by 100. Paths: `engine`, `engine_summary_only`,
/// `previous_engine`, `json_writer`, `resolve`, `api_evaluate_json`,
/// `api_evaluate_summary_json`.
fn repeat_for_callgrind(times: usize, path: &str) {
    let model = ten_lines();
    let case = evaluate(&model).expect("evaluates");
    let kb = KnowledgeBase::embedded();
    for _ in 0..times {
        match path {
            "engine" => drop(black_box(evaluate(black_box(&model)))),
            "engine_summary_only" => {
                drop(black_box(som::engine::evaluate_summary(black_box(&model))))
            }
            "previous_engine" => drop(black_box(previous_engine::evaluate(black_box(&model)))),
            "json_writer" => drop(black_box(som::report::json::render(black_box(&case)))),
            "resolve" => drop(black_box(
                Scenario::from_json(black_box(TEN_LINES)).map(|s| s.resolve(kb)),
            )),
            "api_evaluate_json" => {
                drop(black_box(som::api::evaluate_json(black_box(TEN_LINES), kb)))
            }
            "api_evaluate_summary_json" => drop(black_box(som::api::evaluate_summary_json(
                black_box(TEN_LINES),
                kb,
            ))),
            other => panic!("SOM_BENCH_PATH: unknown path `{other}`"),
        }
    }
}

fn main() {
    if let Some(times) = std::env::var("SOM_BENCH_REPEAT")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let path = std::env::var("SOM_BENCH_PATH").unwrap_or_else(|_| "engine".to_owned());
        repeat_for_callgrind(times, &path);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
