//! Hashes the shipped knowledge base (`knowledge-base/`) at build time. The
//! library compiles those files in (`KnowledgeBase::embedded`) and records
//! their SHA-256 in every business case; taking it here spares every
//! program that starts with the embedded copy ~0,2 ms of hashing. A test
//! (`knowledge_base::load`) checks the value against the hash of the bytes
//! the library compiled in, taken at run time.

#[path = "src/knowledge_base/files.rs"]
mod files;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
    let mut texts = Vec::with_capacity(files::FILES.len());
    for name in files::FILES {
        let path = dir.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        match std::fs::read_to_string(&path) {
            Ok(text) => texts.push(text),
            Err(e) => panic!(
                "cannot read the shipped knowledge base's {}: {e}",
                path.display()
            ),
        }
    }
    println!("cargo::rerun-if-changed=src/knowledge_base/files.rs");
    println!(
        "cargo::rustc-env=SOM_EMBEDDED_KB_SHA256={}",
        files::hash(texts.iter().map(String::as_str))
    );
}
