//! The header and the shared library work from C: `ffi/c/example.c` is
//! compiled with the system C compiler (strict warnings) against `som.h` and
//! the cdylib that `cargo test` built, and its output is the library's.
//! Skipped, with a note, when no `cc` is installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ffi_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_c_example_compiles_against_the_header_and_matches_the_library() {
    if cfg!(windows) || !has("cc") {
        eprintln!("skipped: no Unix C compiler `cc`");
        return;
    }
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let lib = deps.join(format!(
        "{}som_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    assert!(lib.is_file(), "{} was not built", lib.display());
    let exe = std::env::temp_dir().join(format!("som-ffi-example-{}", std::process::id()));
    let compiled = Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I"])
        .arg(ffi_dir())
        .arg(ffi_dir().join("c/example.c"))
        .arg("-L")
        .arg(&deps)
        .arg("-lsom_ffi")
        .arg(format!("-Wl,-rpath,{}", deps.display()))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc runs");
    assert!(
        compiled.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/housing-first.json");
    // The library just built, not a stale copy that `cargo build` once put
    // in target/debug (cargo test puts that directory on the search path).
    let run = Command::new(&exe)
        .arg(&scenario)
        .env("LD_LIBRARY_PATH", &deps)
        .env("DYLD_LIBRARY_PATH", &deps)
        .output()
        .expect("the example runs");
    std::fs::remove_file(&exe).unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let expected = som::api::evaluate_json(
        &std::fs::read_to_string(&scenario).unwrap(),
        som::KnowledgeBase::embedded(),
    )
    .unwrap();
    assert_eq!(String::from_utf8(run.stdout).unwrap(), expected);
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        format!("som {}\n", som::VERSION)
    );
}

#[test]
fn the_header_compiles_as_cpp() {
    if !has("c++") {
        eprintln!("skipped: no C++ compiler `c++`");
        return;
    }
    let out = Command::new("c++")
        .args(["-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-x", "c++"])
        .arg(ffi_dir().join("som.h"))
        .output()
        .expect("c++ runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
