//! The C ABI as a C caller sees it: JSON in, JSON out, errors as JSON objects
//! with a code, and the same bytes as the library's JSON entry point.

use std::ffi::{CStr, CString, c_char};
use std::path::{Path, PathBuf};
use std::ptr;

use serde_json::Value;
use som_ffi::{
    som_abi_version, som_evaluate, som_evaluate_summary, som_kb_list, som_kb_show, som_kb_validate,
    som_sensitivity, som_string_free, som_version,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenario_text() -> String {
    std::fs::read_to_string(repo().join("examples/housing-first.json")).unwrap()
}

/// Takes ownership of a returned string, copies it and frees it.
fn take(out: *mut c_char) -> String {
    assert!(!out.is_null(), "som_* functions never return null");
    // SAFETY: `out` came from a som_* function and is freed exactly once here.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { som_string_free(out) };
    text
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn evaluate(scenario: &str, kb_dir: Option<&str>) -> String {
    let scenario = c(scenario);
    let dir = kb_dir.map(c);
    let dir_ptr = dir.as_ref().map_or(ptr::null(), |d| d.as_ptr());
    // SAFETY: valid C strings or null, alive for the call.
    take(unsafe { som_evaluate(scenario.as_ptr(), dir_ptr) })
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn evaluate_returns_the_same_bytes_as_the_json_entry_point() {
    let expected =
        som::api::evaluate_json(&scenario_text(), som::KnowledgeBase::embedded()).unwrap();
    assert_eq!(evaluate(&scenario_text(), None), expected);
}

#[test]
fn evaluate_summary_gives_the_business_case_figures_without_the_years() {
    let text = scenario_text();
    let scenario = c(&text);
    // SAFETY: a valid C string and null, alive for the call.
    let figures = take(unsafe { som_evaluate_summary(scenario.as_ptr(), ptr::null()) });
    let expected = som::api::evaluate_summary_json(&text, som::KnowledgeBase::embedded()).unwrap();
    assert_eq!(figures, expected);
    let figures = json(&figures);
    let full = json(&evaluate(&text, None));
    assert_eq!(figures["summary"], full["summary"]);
    assert_eq!(figures["knowledge_base"], full["knowledge_base"]);
    assert_eq!(figures["scenario"], full["scenario"]);
    assert_eq!(figures["unadjusted"], full["evidence"]["unadjusted"]);
    assert!(figures.get("years").is_none());

    // SAFETY: null is accepted and reported.
    let error = json(&take(unsafe {
        som_evaluate_summary(ptr::null(), ptr::null())
    }));
    assert_eq!(error["error"]["code"], "invalid_argument");
    let bad = c(&text.replace("\"completion_rate\": 0.9", "\"completion_rate\": 1.7"));
    // SAFETY: a valid C string and null, alive for the call.
    let error = json(&take(unsafe {
        som_evaluate_summary(bad.as_ptr(), ptr::null())
    }));
    assert_eq!(error["error"]["problems"][0]["path"], "$.completion_rate");
}

#[test]
fn evaluate_is_byte_identical_across_calls_and_threads() {
    let first = evaluate(&scenario_text(), None);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                (0..5)
                    .map(|_| evaluate(&scenario_text(), None))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for handle in handles {
        for out in handle.join().unwrap() {
            assert_eq!(out, first);
        }
    }
}

#[test]
fn evaluate_with_a_knowledge_base_directory_matches_the_embedded_one() {
    let dir = repo().join("knowledge-base");
    let from_dir = json(&evaluate(&scenario_text(), Some(dir.to_str().unwrap())));
    let embedded = json(&evaluate(&scenario_text(), None));
    assert_eq!(from_dir["summary"], embedded["summary"]);
    assert_eq!(
        from_dir["knowledge_base"]["hash"],
        embedded["knowledge_base"]["hash"]
    );
}

#[test]
fn an_invalid_scenario_is_an_error_object_with_the_json_path() {
    let bad = scenario_text().replace("\"completion_rate\": 0.9", "\"completion_rate\": 1.7");
    let out = json(&evaluate(&bad, None));
    assert_eq!(out["error"]["code"], "invalid_scenario");
    assert_eq!(out["error"]["problems"][0]["path"], "$.completion_rate");
}

#[test]
fn malformed_json_is_an_error_object_not_a_crash() {
    for text in ["", "{", "null", "[1,2", "{\"name\": 1e999999}", "\u{1F600}"] {
        let out = json(&evaluate(text, None));
        assert_eq!(out["error"]["code"], "invalid_scenario", "input {text:?}");
    }
}

#[test]
fn a_missing_knowledge_base_directory_is_an_error_object() {
    let out = json(&evaluate(&scenario_text(), Some("/no/such/som-kb")));
    assert_eq!(out["error"]["code"], "invalid_knowledge_base");
    assert!(!out["error"]["problems"].as_array().unwrap().is_empty());
}

#[test]
fn null_and_non_utf8_arguments_are_invalid_argument_errors() {
    // SAFETY: null is allowed by the contract.
    let out = json(&take(unsafe { som_evaluate(ptr::null(), ptr::null()) }));
    assert_eq!(out["error"]["code"], "invalid_argument");
    // SAFETY: null is allowed by the contract.
    let out = json(&take(unsafe { som_kb_show(ptr::null(), ptr::null()) }));
    assert_eq!(out["error"]["code"], "invalid_argument");
    let latin1 = CString::new(vec![b'{', 0xE6, b'}']).unwrap();
    // SAFETY: a valid NUL-terminated string (not UTF-8, which is the point).
    let out = json(&take(unsafe { som_evaluate(latin1.as_ptr(), ptr::null()) }));
    assert_eq!(out["error"]["code"], "invalid_argument");
}

#[test]
fn kb_list_names_every_id_with_the_version_and_hash() {
    // SAFETY: null selects the embedded knowledge base.
    let out = json(&take(unsafe { som_kb_list(ptr::null()) }));
    let kb = som::KnowledgeBase::embedded();
    assert_eq!(out["knowledge_base"]["hash"], kb.hash());
    assert_eq!(out["ids"].as_array().unwrap().len(), kb.ids().len());
    assert!(out["ids"].as_array().unwrap().contains(
        &serde_json::json!({"kind": "target-group", "id": "homeless-adults",
                "name": {"en": "Homeless adults", "da": "Voksne i hjemløshed"}})
    ));
}

#[test]
fn kb_show_returns_the_record_or_a_suggestion() {
    let id = c("homeless-adults");
    // SAFETY: a valid C string; null selects the embedded knowledge base.
    let out = take(unsafe { som_kb_show(id.as_ptr(), ptr::null()) });
    assert_eq!(
        out,
        som::knowledge_base::show(som::KnowledgeBase::embedded(), "homeless-adults").unwrap()
    );
    let typo = c("homeles-adults");
    // SAFETY: as above.
    let out = json(&take(unsafe { som_kb_show(typo.as_ptr(), ptr::null()) }));
    assert_eq!(out["error"]["code"], "invalid_knowledge_base");
    assert_eq!(
        out["error"]["problems"][0]["did_you_mean"],
        "homeless-adults"
    );
}

#[test]
fn kb_validate_accepts_the_shipped_directory_and_reports_a_broken_one() {
    let dir = c(repo().join("knowledge-base").to_str().unwrap());
    // SAFETY: a valid C string.
    let out = json(&take(unsafe { som_kb_validate(dir.as_ptr()) }));
    assert_eq!(out["valid"], true);
    assert_eq!(
        out["knowledge_base"]["hash"],
        som::KnowledgeBase::embedded().hash()
    );

    let broken = std::env::temp_dir().join(format!("som-ffi-broken-kb-{}", std::process::id()));
    std::fs::create_dir_all(&broken).unwrap();
    for name in som::knowledge_base::FILES {
        std::fs::copy(repo().join("knowledge-base").join(name), broken.join(name)).unwrap();
    }
    std::fs::write(broken.join("areas.json"), "{ not json").unwrap();
    let broken_c = c(broken.to_str().unwrap());
    // SAFETY: a valid C string.
    let out = json(&take(unsafe { som_kb_validate(broken_c.as_ptr()) }));
    std::fs::remove_dir_all(&broken).unwrap();
    assert_eq!(out["error"]["code"], "invalid_knowledge_base");
    assert!(
        out["error"]["problems"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("areas.json")
    );
}

#[test]
fn version_is_the_library_version_and_freeing_null_is_harmless() {
    // SAFETY: som_version returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(som_version()) }.to_str().unwrap();
    assert_eq!(version, som::VERSION);
    assert_eq!(som_abi_version(), som_ffi::SOM_ABI_VERSION);
    // SAFETY: null is accepted.
    unsafe { som_string_free(ptr::null_mut()) };
}

#[test]
fn sensitivity_returns_the_same_bytes_as_the_json_entry_point() {
    let expected =
        som::api::sensitivity_json(&scenario_text(), som::KnowledgeBase::embedded()).unwrap();
    let scenario = c(&scenario_text());
    // SAFETY: a valid C string and null, alive for the call.
    let out = take(unsafe { som_sensitivity(scenario.as_ptr(), ptr::null()) });
    assert_eq!(out, expected);

    let broken = c("{\"target_group\": 1}");
    // SAFETY: as above.
    let error = json(&take(unsafe {
        som_sensitivity(broken.as_ptr(), ptr::null())
    }));
    assert_eq!(error["error"]["code"], "invalid_scenario", "{error}");
    // SAFETY: null is the documented invalid argument.
    let null = json(&take(unsafe { som_sensitivity(ptr::null(), ptr::null()) }));
    assert_eq!(null["error"]["code"], "invalid_argument", "{null}");
}

#[test]
fn hostile_numbers_and_repeated_keys_are_answered_at_once() {
    let read = |name: &str| {
        std::fs::read_to_string(repo().join("tests/hostile-inputs").join(name)).unwrap()
    };
    let kb = repo().join("tests/data/kb");
    let kb = kb.to_str().unwrap();
    let started = std::time::Instant::now();
    // 100 zero amounts written `0e2147483647`: valid, read at once.
    let case = json(&evaluate(&read("zero-with-huge-exponents.json"), Some(kb)));
    assert!(case["summary"].is_object(), "{case}");
    let err = json(&evaluate(&read("duplicate-success-rate.json"), Some(kb)));
    assert_eq!(err["error"]["code"], "invalid_scenario");
    assert_eq!(err["error"]["problems"][0]["path"], "$.effect.success_rate");
    let err = json(&evaluate(&read("participants-1e2147483647.json"), Some(kb)));
    assert_eq!(
        err["error"]["problems"][0]["path"],
        "$.cohorts[0].participants"
    );
    // A hang guard, not a timing.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
