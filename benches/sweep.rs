//! Sweeps and simulations at 10^6 points: the closed form of a row against
//! evaluating every point, each output format, and a simulation on one
//! thread against every thread. benches/README.md is generated from these
//! figures by `python3 benches/generate_readme.py`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::io::Write;

use som::analysis::sweep::{
    Column, SweepOptions, sweep_columns_formatted, sweep_formatted, sweep_with,
};
use som::analysis::{
    AnalysisError, Baseline, SimulationOptions, SimulationSpec, SweepSpec, simulate,
};
use som::report::sweep::{SweepFormat, SweepWriter};
use som::{KnowledgeBase, Scenario};

/// 100 × 100 × 100 points: success rate × participants scale × cost per
/// participant, the grid of the numpy comparison (benches/numpy_compare.py).
const AFFINE: &str = r#"{"parameters": [
    {"name": "success_rate", "from": 0.3, "to": 0.597, "step": 0.003},
    {"name": "participants_scale", "from": 0.1, "to": 10, "step": 0.1},
    {"name": "cost:Support", "from": 40000, "to": 89500, "step": 500}]}"#;

/// The same 10^6 points with a structural last axis (two discount rates):
/// every point goes through the fast model, none through a row's closed form.
const POINT_BY_POINT: &str = r#"{"parameters": [
    {"name": "success_rate", "from": 0.3, "to": 0.597, "step": 0.003},
    {"name": "participants_scale", "from": 0.1, "to": 10, "step": 0.1},
    {"name": "cost:Support", "from": 40000, "to": 64500, "step": 500},
    {"name": "discount_rate", "values": [0.035, 0.04]}]}"#;

const INPUTS: &str = r#"{"inputs": [
    {"name": "success_rate", "distribution": "triangular", "min": 0.35, "mode": 0.45, "max": 0.55},
    {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
    {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
    {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2}]}"#;

fn options(columns: &[Column]) -> SweepOptions {
    SweepOptions {
        columns: columns.to_vec(),
    }
}

fn sweeps(c: &mut Criterion) {
    let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).expect("resolves");
    let affine = SweepSpec::from_json(AFFINE, "bench.json", base.model()).expect("valid grid");
    let each = SweepSpec::from_json(POINT_BY_POINT, "bench.json", base.model()).expect("valid");
    assert_eq!((affine.points(), each.points()), (1_000_000, 1_000_000));
    let mut group = c.benchmark_group("sweep_1e6");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(1_000_000));
    let npv = options(&[Column::Npv]);
    let all = options(&Column::ALL);
    for (name, spec, options) in [
        ("closed_form_npv", &affine, &npv),
        ("closed_form_all_figures", &affine, &all),
        ("point_by_point_npv", &each, &npv),
        ("point_by_point_all_figures", &each, &all),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| sweep_with(&base, black_box(spec), options, &|_| {}).expect("sweeps"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("sweep_output_1e6");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(1_000_000));
    let npv_only = sweep_with(&base, &affine, &npv, &|_| {}).expect("sweeps");
    let every = sweep_with(&base, &affine, &all, &|_| {}).expect("sweeps");
    group.bench_function("npy_npv", |b| {
        b.iter(|| npv_only.write_npy(std::io::sink()).expect("writes"))
    });
    group.bench_function("npy_all_figures", |b| {
        b.iter(|| every.write_npy(std::io::sink()).expect("writes"))
    });
    group.bench_function("csv_npv", |b| {
        b.iter(|| npv_only.write_csv(std::io::sink()).expect("writes"))
    });
    group.bench_function("csv_all_figures", |b| {
        b.iter(|| every.write_csv(std::io::sink()).expect("writes"))
    });
    group.bench_function("jsonl_all_figures", |b| {
        b.iter(|| every.write_json_lines(std::io::sink()).expect("writes"))
    });
    group.finish();

    // What `som sweep --output` does in the process: evaluated, formatted
    // and handed on block by block (here to a sink), against holding every
    // result and then writing it.
    let mut group = c.benchmark_group("sweep_to_npy_1e6");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(1_000_000));
    for (name, options) in [("npv", &npv), ("all_figures", &all)] {
        let writer = SweepWriter::new(&affine, &options.columns, SweepFormat::Npy);
        group.bench_function(format!("block_by_block_{name}"), |b| {
            b.iter(|| {
                sweep_formatted(
                    &base,
                    black_box(&affine),
                    options,
                    &|_| {},
                    &|first, rows, buf| writer.format(first, rows, buf),
                    |bytes: &[u8]| {
                        std::io::sink()
                            .write_all(bytes)
                            .map_err(|_| unreachable_sink())
                    },
                )
                .expect("sweeps")
            })
        });
        group.bench_function(format!("whole_then_written_{name}"), |b| {
            b.iter(|| {
                sweep_with(&base, black_box(&affine), options, &|_| {})
                    .expect("sweeps")
                    .write_npy(std::io::sink())
                    .expect("writes")
            })
        });
    }
    // The NPV alone from its column (what `som sweep --columns npv --format
    // npy` does: the closed form of a row written straight into the
    // column), as records with the parameters and shaped as the grid.
    for (name, format) in [
        ("from_column_npv", SweepFormat::Npy),
        ("grid_shaped_npv", SweepFormat::NpyGrid),
    ] {
        let writer = SweepWriter::new(&affine, &npv.columns, format);
        group.bench_function(name, |b| {
            b.iter(|| {
                sweep_columns_formatted(
                    &base,
                    black_box(&affine),
                    &npv,
                    &|_| {},
                    &|first, figures, buf| writer.format_columns(first, figures, buf),
                    |bytes: &[u8]| {
                        std::io::sink()
                            .write_all(bytes)
                            .map_err(|_| unreachable_sink())
                    },
                )
                .expect("sweeps")
            })
        });
    }
    group.finish();
}

/// A sink never fails; the error type the sweep needs.
fn unreachable_sink() -> AnalysisError {
    AnalysisError::InvalidSpec(Vec::new())
}

fn simulations(c: &mut Criterion) {
    let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).expect("resolves");
    let inputs = SimulationSpec::from_json(INPUTS, "bench.json", base.model()).expect("valid");
    let options = SimulationOptions {
        draws: 1_000_000,
        seed: 1,
        keep_draws: false,
    };
    let mut group = c.benchmark_group("simulate_1e6");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(1_000_000));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (name, n) in [("one_thread", 1), ("every_thread", threads)] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("a thread pool");
        group.bench_function(name, |b| {
            b.iter(|| pool.install(|| simulate(&base, black_box(&inputs), options).expect("runs")))
        });
    }
    group.finish();
}

criterion_group!(benches, sweeps, simulations);
criterion_main!(benches);
