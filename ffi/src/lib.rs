//! # som-ffi — the C ABI of `som`
//!
//! A small, stable surface for tools written in C, C#, Java, Python or
//! JavaScript: every function takes NUL-terminated UTF-8 strings and returns
//! a newly allocated NUL-terminated UTF-8 JSON document, which the caller
//! gives back with [`som_string_free`]. The header is `ffi/som.h`, generated
//! by cbindgen and checked by a test.
//!
//! A result is either the answer or an error object,
//! `{"error": {"code", "message", "problems": [{"file", "path", "found", "expected", "did_you_mean"}]}}`
//! (the shape of `som::api::error_json`): a caller tells them apart by the
//! top-level `"error"` key. Codes: `invalid_scenario`, `invalid_knowledge_base`,
//! `calculation_failed` (from the library), `invalid_argument` (a null or
//! non-UTF-8 argument) and `internal_error` (a panic, caught at the boundary:
//! a bug, reported rather than unwound into foreign code).
//!
//! Every function is thread-safe: there is no global mutable state besides
//! the embedded knowledge base, which is built once.
//!
//! ```
//! use std::ffi::{CStr, CString};
//! let scenario = CString::new(std::fs::read_to_string("../examples/housing-first.json").unwrap()).unwrap();
//! // SAFETY: a valid C string and null for the embedded knowledge base.
//! let out = unsafe { som_ffi::som_evaluate(scenario.as_ptr(), std::ptr::null()) };
//! // SAFETY: `out` came from som_evaluate and is freed once, below.
//! let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
//! unsafe { som_ffi::som_string_free(out) };
//! assert!(json.contains("\"npv\""));
//! ```

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use serde_json::Value;
use som::KnowledgeBase;
use som::api::{self, error_json, error_message_json};

/// The version of this C ABI: raised when a function's signature or meaning
/// changes incompatibly; adding a function does not raise it.
pub const SOM_ABI_VERSION: u32 = 1;

/// Evaluates a scenario and returns the business case as JSON (what
/// `som run --format json` prints), or an error object.
///
/// `scenario_json` is the scenario as JSON text (DESIGN.md §4). `kb_dir` is a
/// knowledge-base directory, or null for the knowledge base compiled into the
/// library.
///
/// # Safety
///
/// `scenario_json` and `kb_dir` must each be null or point to a NUL-terminated
/// string that stays valid and unchanged for the duration of the call. The
/// returned pointer is never null and must be freed with [`som_string_free`]
/// exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_evaluate(
    scenario_json: *const c_char,
    kb_dir: *const c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract above.
    unsafe {
        with_scenario(scenario_json, kb_dir, |scenario, kb| {
            api::evaluate_json(scenario, kb).map_err(|e| error_json(&e))
        })
    }
}

/// Evaluates a scenario and returns only its figures as JSON,
/// `{"scenario", "knowledge_base", "summary", "unadjusted"}`, each member as
/// in [`som_evaluate`]'s answer (`unadjusted` is its `evidence.unadjusted`),
/// or an error object. For callers that need the answer rather than the
/// years: the years and lines are neither built nor written.
///
/// # Safety
///
/// As [`som_evaluate`]: `scenario_json` and `kb_dir` must each be null or
/// point to a NUL-terminated string that stays valid and unchanged for the
/// duration of the call. The returned pointer is never null and must be freed
/// with [`som_string_free`] exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_evaluate_summary(
    scenario_json: *const c_char,
    kb_dir: *const c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract above.
    unsafe {
        with_scenario(scenario_json, kb_dir, |scenario, kb| {
            api::evaluate_summary_json(scenario, kb).map_err(|e| error_json(&e))
        })
    }
}

/// One-way sensitivity of a scenario, as JSON (what `som sensitivity
/// --format json` prints): the tornado, with consequence lines moved by their
/// confidence grade's range and every other input by ± 20 %, and the exact
/// break-even figures; or an error object.
///
/// # Safety
///
/// As [`som_evaluate`]: `scenario_json` and `kb_dir` must each be null or
/// point to a NUL-terminated string that stays valid and unchanged for the
/// duration of the call. The returned pointer is never null and must be freed
/// with [`som_string_free`] exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_sensitivity(
    scenario_json: *const c_char,
    kb_dir: *const c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract above.
    unsafe {
        with_scenario(scenario_json, kb_dir, |scenario, kb| {
            api::sensitivity_json(scenario, kb).map_err(|e| api::analysis_error_json(&e))
        })
    }
}

/// Lists every id in the knowledge base with its kind:
/// `{"knowledge_base": {"version", "hash"}, "ids": [{"kind", "id"}]}`, or an
/// error object.
///
/// # Safety
///
/// `kb_dir` must be null (the embedded knowledge base) or point to a
/// NUL-terminated string that stays valid for the duration of the call. The
/// returned pointer is never null and must be freed with [`som_string_free`]
/// exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_kb_list(kb_dir: *const c_char) -> *mut c_char {
    guarded(|| {
        // SAFETY: the caller's contract above.
        let dir = unsafe { optional(kb_dir, "kb_dir") }?;
        let kb = knowledge_base(dir)?;
        Ok(api::kb_list_json(&kb).to_string())
    })
}

/// Shows one knowledge-base record by id as JSON (what `som kb show ID`
/// prints), or an error object (`invalid_knowledge_base` with a suggestion
/// for an unknown id).
///
/// # Safety
///
/// `id` must point to a NUL-terminated string, and `kb_dir` must be null (the
/// embedded knowledge base) or point to one; both must stay valid for the
/// duration of the call. The returned pointer is never null and must be freed
/// with [`som_string_free`] exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_kb_show(id: *const c_char, kb_dir: *const c_char) -> *mut c_char {
    guarded(|| {
        // SAFETY: the caller's contract above.
        let id = unsafe { required(id, "id") }?;
        // SAFETY: the caller's contract above.
        let dir = unsafe { optional(kb_dir, "kb_dir") }?;
        let kb = knowledge_base(dir)?;
        som::knowledge_base::show(&kb, id).map_err(|e| error_json(&som::Error::from(e)))
    })
}

/// Loads and validates a knowledge-base directory (null: the embedded one)
/// and returns `{"valid": true, "knowledge_base": {"version", "hash"},
/// "counts": {...}}`, or an error object listing every problem with file and
/// JSON path.
///
/// # Safety
///
/// `kb_dir` must be null or point to a NUL-terminated string that stays valid
/// for the duration of the call. The returned pointer is never null and must
/// be freed with [`som_string_free`] exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_kb_validate(kb_dir: *const c_char) -> *mut c_char {
    guarded(|| {
        // SAFETY: the caller's contract above.
        let dir = unsafe { optional(kb_dir, "kb_dir") }?;
        let kb = knowledge_base(dir)?;
        Ok(api::kb_validated_json(&kb).to_string())
    })
}

/// Frees a string returned by any `som_*` function. Null is accepted and
/// ignored.
///
/// # Safety
///
/// `s` must be null or a pointer returned by a `som_*` function of this
/// library that has not been freed yet; it must not be used afterwards.
/// Strings from [`som_version`] are static and must not be passed here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn som_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller's contract: `s` came from CString::into_raw in
        // `guarded` and is freed once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The library's version, e.g. `"0.1.0"`: a static string, not to be freed.
///
/// # Safety
///
/// Always safe to call. The returned pointer is valid for the life of the
/// program and must not be freed or written to.
#[unsafe(no_mangle)]
pub extern "C" fn som_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    VERSION
        .get_or_init(|| CString::new(som::VERSION).unwrap_or_default())
        .as_ptr()
}

/// The version of the C ABI ([`SOM_ABI_VERSION`]), for a caller to check it
/// was built against a compatible header.
///
/// # Safety
///
/// Always safe to call.
#[unsafe(no_mangle)]
pub extern "C" fn som_abi_version() -> u32 {
    SOM_ABI_VERSION
}

/// Runs `body`, turns its answer or error into an owned C string, and catches
/// a panic so that it never unwinds into foreign code.
/// The body of the functions that take a scenario and a knowledge-base
/// directory: reads both arguments, loads the knowledge base, and answers.
///
/// # Safety
///
/// `scenario_json` and `kb_dir` as in [`som_evaluate`].
unsafe fn with_scenario(
    scenario_json: *const c_char,
    kb_dir: *const c_char,
    answer: impl FnOnce(&str, &KnowledgeBase) -> Result<String, Value>,
) -> *mut c_char {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        let scenario = unsafe { required(scenario_json, "scenario_json") }?;
        // SAFETY: forwarded from the caller.
        let dir = unsafe { optional(kb_dir, "kb_dir") }?;
        let kb = knowledge_base(dir)?;
        answer(scenario, &kb)
    })
}

fn guarded(body: impl FnOnce() -> Result<String, Value>) -> *mut c_char {
    let text = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(text)) => text,
        Ok(Err(error)) => error.to_string(),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            error_message_json(
                "internal_error",
                &format!("som panicked (a bug; please report it): {what}"),
            )
            .to_string()
        }
    };
    into_c_string(text)
}

fn into_c_string(text: String) -> *mut c_char {
    // JSON text escapes U+0000, so a NUL can only come from a bug; report it
    // rather than truncate. The search is memchr's (vectorised): the
    // standard library's `CString::new` searches a word at a time, which
    // was 3 % of a business case's call.
    let bytes = text.into_bytes();
    let c = match memchr::memchr(0, &bytes) {
        // SAFETY: the search just above found no NUL byte in `bytes`.
        None => unsafe { CString::from_vec_unchecked(bytes) },
        Some(_) => CString::new(
            error_message_json("internal_error", "the result contained a NUL byte").to_string(),
        )
        .unwrap_or_default(),
    };
    c.into_raw()
}

/// Reads an argument that must be present.
///
/// # Safety
///
/// `ptr` must be null or point to a NUL-terminated string valid for `'a`.
unsafe fn required<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Value> {
    // SAFETY: forwarded from the caller.
    unsafe { optional(ptr, name) }?.ok_or_else(|| {
        error_message_json("invalid_argument", &format!("`{name}` is a null pointer"))
    })
}

/// Reads an argument that may be null.
///
/// # Safety
///
/// `ptr` must be null or point to a NUL-terminated string valid for `'a`.
unsafe fn optional<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Value> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null, and NUL-terminated and valid for 'a by the caller's contract.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map(Some).map_err(|e| {
        error_message_json(
            "invalid_argument",
            &format!("`{name}` is not valid UTF-8: {e}"),
        )
    })
}

fn knowledge_base(dir: Option<&str>) -> Result<Cow<'static, KnowledgeBase>, Value> {
    match dir {
        None => Ok(Cow::Borrowed(KnowledgeBase::embedded())),
        Some(dir) => KnowledgeBase::load(dir)
            .map(Cow::Owned)
            .map_err(|e| error_json(&som::Error::from(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer as Rust text, freed.
    fn taken(ptr: *mut c_char) -> String {
        // SAFETY: `ptr` came from `into_c_string` and is freed once, after it is read.
        let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned();
        // SAFETY: as above.
        unsafe { som_string_free(ptr) };
        text
    }

    #[test]
    fn a_text_without_nul_is_handed_over_whole() {
        // Long enough that the search runs over many vector widths, with a
        // multi-byte character and bytes 1 and 255 beside where a NUL would be.
        let text = format!("{{\"a\":\"{}æ\u{1}\u{ff}\"}}", "x".repeat(4099));
        assert_eq!(taken(into_c_string(text.clone())), text);
        assert_eq!(taken(into_c_string(String::new())), "");
    }

    #[test]
    fn a_nul_anywhere_is_reported_not_truncated() {
        for at in [0, 1, 63, 64, 4096, 5000] {
            let mut text = "y".repeat(5001);
            text.replace_range(at..=at, "\0");
            let answer: Value = serde_json::from_str(&taken(into_c_string(text))).unwrap();
            assert_eq!(answer["error"]["code"], "internal_error", "NUL at {at}");
        }
    }
}
