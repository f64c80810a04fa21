//! The C ABI against the engine (issue 17: "the C ABI on the same case
//! costs at most twice the engine"), both measured in this one run on the
//! case of the engine's benches, `benches/ten-lines.json` (10 years, 3
//! cohorts, 10 consequence lines, 3 payers) on the embedded knowledge base:
//!
//! - `c_abi_ten_lines/som_evaluate` — what a C caller pays: a
//!   NUL-terminated scenario in, `som_evaluate` (reading the argument,
//!   parsing, resolving, evaluating, writing the JSON, handing it over as a
//!   C string), and `som_string_free` of the answer;
//! - `c_abi_ten_lines/som_evaluate_summary` — the same through the summary
//!   call;
//! - `c_abi_ten_lines/engine` — `som::engine::evaluate` on the resolved
//!   model: the engine alone, the ratio's denominator.
//!
//! `cargo bench -p som-ffi --bench c_abi` (about 20 seconds).

use std::ffi::{CStr, CString, c_char};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use som::{KnowledgeBase, Scenario};
use som_ffi::{som_evaluate, som_evaluate_summary, som_string_free};

const TEN_LINES: &str = include_str!("../../benches/ten-lines.json");

/// One call through the C ABI: the answer's length, after checking that it
/// is a business case and not an error object.
fn through_c(
    call: unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_char,
    scenario: &CStr,
) -> usize {
    // SAFETY: a NUL-terminated string that outlives the call, and null for
    // the embedded knowledge base.
    let answer = unsafe { call(scenario.as_ptr(), std::ptr::null()) };
    // SAFETY: som_evaluate's answer is a NUL-terminated string, read before
    // it is freed, once, below.
    let len = unsafe { CStr::from_ptr(answer) }.to_bytes().len();
    unsafe { som_string_free(answer) };
    len
}

fn c_abi(c: &mut Criterion) {
    let scenario = CString::new(TEN_LINES).expect("benches/ten-lines.json has no NUL byte");
    // The answers are business cases, not error objects.
    for call in [som_evaluate, som_evaluate_summary] {
        // SAFETY: as in `through_c`.
        let answer = unsafe { call(scenario.as_ptr(), std::ptr::null()) };
        // SAFETY: read before it is freed, once.
        let text = unsafe { CStr::from_ptr(answer) }
            .to_str()
            .expect("UTF-8")
            .to_owned();
        unsafe { som_string_free(answer) };
        assert!(
            text.contains("\"npv\"") && !text.contains("\"error\""),
            "{text}"
        );
    }
    let model = Scenario::from_json(TEN_LINES)
        .expect("benches/ten-lines.json is valid")
        .resolve(KnowledgeBase::embedded())
        .expect("benches/ten-lines.json resolves against the embedded knowledge base");

    let mut group = c.benchmark_group("c_abi_ten_lines");
    group.bench_function("som_evaluate", |b| {
        b.iter(|| through_c(som_evaluate, black_box(&scenario)))
    });
    group.bench_function("som_evaluate_summary", |b| {
        b.iter(|| through_c(som_evaluate_summary, black_box(&scenario)))
    });
    group.bench_function("engine", |b| {
        b.iter(|| som::engine::evaluate(black_box(&model)).expect("evaluates"))
    });
    group.finish();
}

criterion_group!(benches, c_abi);
criterion_main!(benches);
