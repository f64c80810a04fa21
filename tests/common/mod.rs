//! Helpers shared by the command-line tests.

use std::path::PathBuf;
use std::process::Command;

/// The `som` binary, run from the repository root.
pub fn som() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_som"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Writes `text` to `name` in a temporary directory of this test process,
/// one directory per `tag`, and returns its path.
pub fn temp_file(tag: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("som-{tag}-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
