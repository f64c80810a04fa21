//! The C ABI gives byte-identical output for the same input across calls and
//! across processes: the test runs itself again as child processes (each
//! with its own hash seed) and compares what they return.

use std::ffi::{CStr, CString};
use std::path::Path;
use std::process::Command;

const CHILD_OUT: &str = "SOM_FFI_DETERMINISM_OUT";
const RUNS: usize = 3;

fn evaluate_example() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/housing-first.json");
    let scenario = CString::new(std::fs::read_to_string(path).unwrap()).unwrap();
    // SAFETY: a valid C string; null selects the embedded knowledge base.
    let out = unsafe { som_ffi::som_evaluate(scenario.as_ptr(), std::ptr::null()) };
    // SAFETY: `out` came from som_evaluate and is freed once, right after.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { som_ffi::som_string_free(out) };
    text
}

#[test]
fn c_abi_output_is_byte_identical_across_processes() {
    if let Some(out) = std::env::var_os(CHILD_OUT) {
        std::fs::write(out, evaluate_example()).unwrap();
        return;
    }
    let here = evaluate_example();
    assert!(!here.contains("\"error\""), "{here}");
    assert_eq!(evaluate_example(), here, "two calls in one process differ");
    let exe = std::env::current_exe().unwrap();
    for run in 0..RUNS {
        let out = std::env::temp_dir().join(format!(
            "som-ffi-determinism-{}-{run}.json",
            std::process::id()
        ));
        let status = Command::new(&exe)
            .args(["c_abi_output_is_byte_identical_across_processes", "--exact"])
            .env(CHILD_OUT, &out)
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "child process {run} failed");
        let child = std::fs::read_to_string(&out).unwrap();
        std::fs::remove_file(&out).unwrap();
        assert!(child == here, "process {run} returned different bytes");
    }
}
