//! Runs the Python example's tests (`python/test_som.py`, stdlib unittest)
//! against the shared library and the `som` binary that `cargo test` has
//! just built. Builds nothing itself. Skipped, with a note, when python3 is
//! not installed; on CI (`CI` set) a missing library or binary is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

/// target/debug/deps (or the profile this test was built in): where the test
/// binary lives, and where `cargo test` leaves the cdylib it builds
/// (`cargo build` also copies it up to target/debug).
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.parent().expect("target/<profile>/deps").to_path_buf()
}

fn python3() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    found.then_some("python3")
}

#[test]
fn python_example_agrees_with_som_run() {
    let Some(python) = python3() else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    let deps = deps_dir();
    let lib = deps.join(format!(
        "{}som_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    let bin = deps
        .parent()
        .expect("target/<profile>")
        .join(format!("som{}", std::env::consts::EXE_SUFFIX));
    for needed in [&lib, &bin] {
        if !needed.is_file() {
            let message = format!(
                "{} is not built; `cargo test` at the repository root builds it",
                needed.display()
            );
            assert!(std::env::var_os("CI").is_none(), "{message}");
            eprintln!("skipped: {message}");
            return;
        }
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(python)
        .args(["-m", "unittest", "discover", "-s", "python", "-v"])
        .current_dir(&repo)
        .env("SOM_LIB", &lib)
        .env("SOM_BIN", &bin)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&output.stderr);
    println!("{report}");
    assert!(
        output.status.success(),
        "python/test_som.py failed:\n{report}"
    );
    assert!(report.contains("\nOK"), "no Python test ran:\n{report}");
}
