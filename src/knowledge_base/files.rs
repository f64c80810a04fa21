//! The knowledge base's file names and how its hash is taken, shared by the
//! loader and by the build script (`build.rs`), which hashes the shipped
//! files once at build time so that a program using the embedded copy does
//! not hash ~320 KB at every start.

use sha2::{Digest, Sha256};

/// The files of a knowledge base, in the order they are hashed. The last,
/// `committees.json`, is there only when `manifest.json` registers it
/// (`"committees": "committees.json"`); a knowledge base without it has no
/// committees, and its hash is that of the other files.
pub const FILES: [&str; 11] = [
    "manifest.json",
    "sources.json",
    "areas.json",
    "target-groups.json",
    "services.json",
    "consequences.json",
    "effects.json",
    "price-index.json",
    "discounting.json",
    "evidence.json",
    "committees.json",
];

/// SHA-256 (hex) of a knowledge base's files, given as their texts in the
/// order of [`FILES`]: each file's name, a zero byte, its text, a zero byte.
pub(crate) fn hash<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for (text, name) in texts.into_iter().zip(FILES) {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
