//! Reading the knowledge-base files: from the copy compiled into the library
//! or from a directory.

use std::path::Path;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::files::{self, FILES};
use super::shared::Shared;
use super::{ConsequenceSet, KbError, KnowledgeBase, Service, validate};
use crate::Problem;
use crate::problem;

/// The optional committees file, the last of [`FILES`].
const COMMITTEES_FILE: &str = FILES[10];

const EMBEDDED: [&str; 11] = [
    include_str!("../../knowledge-base/manifest.json"),
    include_str!("../../knowledge-base/sources.json"),
    include_str!("../../knowledge-base/areas.json"),
    include_str!("../../knowledge-base/target-groups.json"),
    include_str!("../../knowledge-base/services.json"),
    include_str!("../../knowledge-base/consequences.json"),
    include_str!("../../knowledge-base/effects.json"),
    include_str!("../../knowledge-base/price-index.json"),
    include_str!("../../knowledge-base/discounting.json"),
    include_str!("../../knowledge-base/evidence.json"),
    include_str!("../../knowledge-base/committees.json"),
];

/// The SHA-256 of [`EMBEDDED`] as [`files::hash`] takes it, computed by the
/// build script from the same files (checked by a test against the hash of
/// these bytes taken at run time).
const EMBEDDED_HASH: &str = env!("SOM_EMBEDDED_KB_SHA256");

impl KnowledgeBase {
    /// The knowledge base shipped with the library, compiled in.
    ///
    /// It is validated the first time it is used; a test checks that it is
    /// valid, so this cannot fail in a released build. Use
    /// [`KnowledgeBase::try_embedded`] to get the problems instead of a panic
    /// while editing the shipped files.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// assert!(!kb.version().is_empty());
    /// ```
    pub fn embedded() -> &'static KnowledgeBase {
        match KnowledgeBase::try_embedded() {
            Ok(kb) => kb,
            // Unreachable for a released build: tests load the embedded copy.
            Err(e) => panic!("the embedded knowledge base is invalid: {e}"),
        }
    }

    /// The knowledge base shipped with the library, or every problem in it.
    ///
    /// ```
    /// assert!(som::KnowledgeBase::try_embedded().is_ok());
    /// ```
    pub fn try_embedded() -> Result<&'static KnowledgeBase, &'static KbError> {
        static KB: OnceLock<Result<KnowledgeBase, KbError>> = OnceLock::new();
        KB.get_or_init(|| {
            let names = FILES.map(|name| format!("<embedded>/{name}"));
            let files: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(EMBEDDED).collect();
            KnowledgeBase::from_named_texts(&files, EMBEDDED_HASH.to_owned())
        })
        .as_ref()
    }

    /// Loads and validates the knowledge base in `dir` (the files in
    /// [`FILES`]; `committees.json` when it is there).
    ///
    /// Every problem in every file is reported, each with file and JSON path.
    ///
    /// ```
    /// let err = som::KnowledgeBase::load("/no/such/dir").unwrap_err();
    /// assert_eq!(err.problems().len(), som::knowledge_base::FILES.len() - 1);
    /// ```
    pub fn load(dir: impl AsRef<Path>) -> Result<KnowledgeBase, KbError> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for name in FILES {
            let path = dir.join(name);
            // Whether the manifest registers it is checked with the files' contents.
            if name == COMMITTEES_FILE && !path.exists() {
                continue;
            }
            let shown = path.display().to_string();
            match crate::read_input(&path) {
                Ok(text) => files.push((shown, text)),
                Err(problem) => problems.push(problem),
            }
        }
        if !problems.is_empty() {
            return Err(KbError::Invalid(problems));
        }
        KnowledgeBase::from_texts(&files)
    }

    /// Builds a knowledge base from the texts of [`FILES`], in that order,
    /// each with the name to use in problems; the last, `committees.json`,
    /// may be left out.
    pub fn from_texts(files: &[(String, String)]) -> Result<KnowledgeBase, KbError> {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        let hash = files::hash(files.iter().map(|(_, text)| *text));
        KnowledgeBase::from_named_texts(&files, hash)
    }

    /// [`KnowledgeBase::from_texts`] with the files borrowed and their hash
    /// ([`files::hash`]) given: the embedded copy's is taken at build time.
    fn from_named_texts(files: &[(&str, &str)], hash: String) -> Result<KnowledgeBase, KbError> {
        let mut problems = Vec::new();
        if files.len() != FILES.len() && files.len() != FILES.len() - 1 {
            problems.push(Problem::new(
                "<input>",
                "$",
                format!("{} files", files.len()),
                format!(
                    "the {} files {} (the last may be left out)",
                    FILES.len(),
                    FILES.join(", ")
                ),
            ));
            return Err(KbError::Invalid(problems));
        }
        // The committees file's name in problems, also when it is missing.
        let committees_name = match files.get(10) {
            Some((name, _)) => (*name).to_owned(),
            None => files[9].0.strip_suffix(FILES[9]).map_or_else(
                || COMMITTEES_FILE.to_owned(),
                |dir| format!("{dir}{COMMITTEES_FILE}"),
            ),
        };
        let file = |i: usize| files.get(i).map_or(committees_name.as_str(), |f| f.0);
        // Ids of records that could not be read: their problems are
        // reported, and references to them are not also called unknown.
        let mut broken = std::collections::HashSet::new();
        // Objects (file, JSON path) that hold a stand-in for a faulty value:
        // the cross-checks' problems there are not reported.
        let mut masked = Vec::new();
        // A file that reads whole is read straight from its text (see
        // `read_directly`); any other goes through a tree of values that
        // reports every problem in it.
        let whole = |i: usize| (file(i), files[i].1);
        let records = |i: usize, key: &'static str| (file(i), files[i].1, key);
        let manifest = read_whole(whole(0), &mut problems);
        let sources = read_records(
            records(1, "sources"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let areas = read_records(records(2, "areas"), &mut problems, &mut broken, &mut masked);
        let target_groups = read_records(
            records(3, "target_groups"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let services = read_records(
            records(4, "services"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let consequences = read_records(
            records(5, "consequences"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let effects = read_records(
            records(6, "effects"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let price_index = read_whole(whole(7), &mut problems);
        let schedules = read_records(
            records(8, "schedules"),
            &mut problems,
            &mut broken,
            &mut masked,
        );
        let evidence_scale = read_whole(whole(9), &mut problems);
        let committees = if files.len() > 10 {
            read_records(
                records(10, "committees"),
                &mut problems,
                &mut broken,
                &mut masked,
            )
        } else {
            None
        };
        let registered = manifest
            .as_ref()
            .and_then(|m: &super::Manifest| m.committees.clone());
        match (&registered, files.len() > 10) {
            (Some(name), _) if name != COMMITTEES_FILE => problems.push(Problem::new(
                file(0),
                "$.committees",
                format!("`{name}`"),
                format!("`{COMMITTEES_FILE}`, the committees file's name"),
            )),
            (Some(_), false) => problems.push(Problem::new(
                file(10),
                "$",
                "no such file",
                "the committees file that manifest.json registers",
            )),
            (None, true) => problems.push(Problem::new(
                file(0),
                "$.committees",
                "nothing",
                format!("`\"committees\": \"{COMMITTEES_FILE}\"`, as the knowledge base has a committees file"),
            )),
            _ => {}
        }

        let parsed = validate::Parsed {
            broken,
            files: FILES
                .iter()
                .enumerate()
                .map(|(i, _)| file(i).to_owned())
                .collect(),
            manifest,
            sources: sources.unwrap_or_default(),
            areas: areas.unwrap_or_default(),
            target_groups: target_groups.unwrap_or_default(),
            services: services.unwrap_or_default(),
            consequences: consequences.unwrap_or_default(),
            effects: effects.unwrap_or_default(),
            price_index,
            evidence_scale,
            schedules: schedules.unwrap_or_default(),
            committees: committees.unwrap_or_default(),
        };
        let read_problems = problems.len();
        validate::check(&parsed, &mut problems);
        let mut index = 0;
        problems.retain(|p| {
            index += 1;
            index <= read_problems
                || !masked.iter().any(|(file, object)| {
                    p.file == *file
                        && p.path.starts_with(object.as_str())
                        && p.path[object.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| c == '.' || c == '[')
                })
        });
        if !problems.is_empty() {
            return Err(KbError::Invalid(problems));
        }
        match (parsed.manifest, parsed.price_index, parsed.evidence_scale) {
            (Some(manifest), Some(price_index), Some(evidence_scale)) => {
                let services: Vec<Service> = parsed.services.into_iter().map(|(_, x)| x).collect();
                let consequences: Vec<ConsequenceSet> =
                    parsed.consequences.into_iter().map(|(_, x)| x).collect();
                Ok(KnowledgeBase {
                    manifest,
                    hash,
                    sources: parsed.sources.into_iter().map(|(_, x)| x).collect(),
                    areas: parsed.areas.into_iter().map(|(_, x)| x).collect(),
                    target_groups: parsed.target_groups.into_iter().map(|(_, x)| x).collect(),
                    shared: Shared::of(&services, &consequences),
                    services,
                    consequences,
                    effects: parsed.effects.into_iter().map(|(_, x)| x).collect(),
                    price_index,
                    discount_schedules: parsed.schedules.into_iter().map(|(_, x)| x).collect(),
                    evidence_scale,
                    committees: parsed.committees.into_iter().map(|(_, x)| x).collect(),
                })
            }
            // A missing manifest, index or evidence scale has already been reported as a problem.
            _ => Err(KbError::Invalid(problems)),
        }
    }
}

fn parse_document(file: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Value> {
    if text.trim().is_empty() {
        problems.push(Problem::new(file, "$", "an empty file", "a JSON object"));
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => {
            problems.extend(crate::json_keys::duplicate_keys_of_valid(file, text));
            Some(v)
        }
        Err(e) => {
            problems.push(Problem::new(file, "$", "", format!("malformed JSON: {e}")));
            None
        }
    }
}

/// A file `(name, text)` read as one `T`: straight from its text when it
/// reads ([`read_directly`]), else through a tree of values.
fn read_whole<T: DeserializeOwned>(
    (file, text): (&str, &str),
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match read_directly(text) {
        Some(x) => {
            problems.extend(crate::json_keys::duplicate_keys_of_valid(file, text));
            Some(x)
        }
        None => parse_document(file, text, problems).and_then(|v| parse_whole(file, v, problems)),
    }
}

/// A file `(name, text, key)` of records: straight from its text when the
/// whole file reads ([`read_records_directly`]), else through a tree of
/// values ([`parse_records`]).
fn read_records<T: DeserializeOwned>(
    (file, text, key): (&str, &str, &str),
    problems: &mut Vec<Problem>,
    broken: &mut std::collections::HashSet<String>,
    masked: &mut Vec<(String, String)>,
) -> Option<Vec<(String, T)>> {
    match read_records_directly(text, key) {
        Some(records) => {
            problems.extend(crate::json_keys::duplicate_keys_of_valid(file, text));
            Some(records)
        }
        None => parse_document(file, text, problems)
            .map(|v| parse_records(file, v, key, problems, broken, masked)),
    }
}

/// A whole file read straight from its text, without a tree of values in
/// between (most of the time of loading a knowledge base went into building
/// that tree and reading the records out of it); none when the text does
/// not read as a `T`, and the file then takes the route through the tree
/// ([`parse_document`], [`parse_whole`]), which reports every problem. Both
/// routes read the same text with the same types, so a file that reads gives
/// the same value either way (tested on the shipped files); a repeated key,
/// which a reader of the text alone would not see, is reported by the
/// caller the same way on both routes.
fn read_directly<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// `{"<key>": [record, ...]}` read straight from its text (see
/// [`read_directly`]), each record with its JSON path as [`parse_records`]
/// gives it; none unless the object has that key alone and every record
/// reads.
fn read_records_directly<T: DeserializeOwned>(text: &str, key: &str) -> Option<Vec<(String, T)>> {
    let file: std::collections::BTreeMap<String, Vec<T>> = read_directly(text)?;
    if file.len() != 1 {
        return None;
    }
    let (only, records) = file.into_iter().next()?;
    if only != key {
        return None;
    }
    Some(
        records
            .into_iter()
            .enumerate()
            .map(|(i, x)| (format!("$.{key}[{i}]"), x))
            .collect(),
    )
}

fn parse_whole<T: DeserializeOwned>(
    file: &str,
    value: Value,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_path_to_error::deserialize(value) {
        Ok(x) => Some(x),
        Err(e) => {
            problems.push(problem::from_serde(file, "$", e));
            None
        }
    }
}

/// Reads `{"<key>": [record, ...]}`, each record on its own so that a
/// problem in one record does not hide problems in the others. Returns the
/// records that could be read, with their JSON paths.
fn parse_records<T: DeserializeOwned>(
    file: &str,
    value: Value,
    key: &str,
    problems: &mut Vec<Problem>,
    broken: &mut std::collections::HashSet<String>,
    masked: &mut Vec<(String, String)>,
) -> Vec<(String, T)> {
    let Value::Object(mut map) = value else {
        problems.push(Problem::new(
            file,
            "$",
            problem::kind_of(&value),
            format!("an object {{\"{key}\": [...]}}"),
        ));
        return Vec::new();
    };
    for other in map.keys().filter(|k| *k != key) {
        problems.push(Problem::new(
            file,
            format!("$.{other}"),
            format!("unknown field `{other}`"),
            format!("only `{key}`"),
        ));
    }
    let Some(list) = map.remove(key) else {
        problems.push(Problem::new(
            file,
            format!("$.{key}"),
            "nothing",
            format!("a list `{key}`"),
        ));
        return Vec::new();
    };
    let Value::Array(items) = list else {
        problems.push(Problem::new(
            file,
            format!("$.{key}"),
            problem::kind_of(&list),
            "a list",
        ));
        return Vec::new();
    };
    let read: Vec<Result<T, _>> = items.iter().map(serde_path_to_error::deserialize).collect();
    // A record that reads as it stands: the stand-in values for a broken
    // record's faulty fields come from it.
    let template = read.iter().position(Result::is_ok).map(|i| &items[i]);
    let mut out = Vec::with_capacity(items.len());
    for (i, (item, first)) in items.iter().zip(read).enumerate() {
        let path = format!("$.{key}[{i}]");
        match first {
            Ok(x) => out.push((path, x)),
            Err(e) => {
                broken.extend(item.get("id").and_then(Value::as_str).map(str::to_owned));
                if let Some(x) = read_every_fault(file, &path, item, e, template, problems, masked)
                {
                    out.push((path, x));
                }
            }
        }
    }
    out
}

/// At most this many faults are read out of one record; a record with more
/// is beyond repair by hand anyway.
const MAX_FAULTS_PER_RECORD: usize = 16;

/// Reports every fault of a record that does not read, not only the first:
/// each faulty value is reported, then replaced by the value at the same
/// place in `template` (a record of the same kind that reads), and the record
/// read again. When it then reads, the stand-in record is returned, so the
/// cross-checks see the record's other fields (an area typo beside a bad
/// number); the object around each stand-in value goes into `masked`, and the
/// cross-checks' problems there are not reported, as they could come from the
/// stand-in. Without a template, or for a fault in the record's id, only the
/// first fault is reported.
fn read_every_fault<T: DeserializeOwned>(
    file: &str,
    path: &str,
    item: &Value,
    first: serde_path_to_error::Error<serde_json::Error>,
    template: Option<&Value>,
    problems: &mut Vec<Problem>,
    masked: &mut Vec<(String, String)>,
) -> Option<T> {
    let mut item = item.clone();
    let mut error = first;
    let mut stand_ins = Vec::new();
    for _ in 0..MAX_FAULTS_PER_RECORD {
        let segments: Vec<Segment> = error.path().iter().cloned().collect();
        let message = error.inner().to_string();
        problems.push(problem::from_serde(file, path, error));
        let template = template?;
        let object = stand_in(&mut item, template, &segments, &message)?;
        stand_ins.push(problem::join_path(path, &object));
        match serde_path_to_error::deserialize(&item) {
            Ok(x) => {
                masked.extend(stand_ins.into_iter().map(|p| (file.to_owned(), p)));
                return Some(x);
            }
            Err(e) => error = e,
        }
    }
    None
}

/// Puts the value at `segments` of `template` in place of the faulty one in
/// `item` (for a missing field, adds the template's; for an unknown field,
/// removes it). Returns the path of the object that holds the stand-in, in
/// serde_path_to_error's notation, or none where no stand-in can be made.
fn stand_in(
    item: &mut Value,
    template: &Value,
    segments: &[Segment],
    message: &str,
) -> Option<String> {
    let field_in = |prefix: &str| {
        message
            .strip_prefix(prefix)?
            .split('`')
            .next()
            .map(str::to_owned)
    };
    let (mut target, mut model) = (&mut *item, template);
    let mut object = Vec::new();
    for (depth, segment) in segments.iter().enumerate() {
        let last = depth + 1 == segments.len();
        match segment {
            Segment::Map { key } => {
                if key == "id" && depth == 0 {
                    return None;
                }
                if last && field_in("unknown field `").as_ref() == Some(key) {
                    target.as_object_mut()?.remove(key)?;
                    return Some(mask(&object, &format!(".{key}")));
                }
                model = model.get(key)?;
                if last {
                    *target.get_mut(key)? = model.clone();
                    return Some(mask(&object, &format!(".{key}")));
                }
                target = target.get_mut(key)?;
                object.push(format!(".{key}"));
            }
            Segment::Seq { index } => {
                model = model.get(index).or_else(|| model.get(0))?;
                if last {
                    *target.get_mut(index)? = model.clone();
                    return Some(mask(&object, &format!("[{index}]")));
                }
                target = target.get_mut(index)?;
                object.push(format!("[{index}]"));
            }
            Segment::Enum { .. } | Segment::Unknown => return None,
        }
    }
    // The fault is the object itself: a field missing, or one it must not have.
    if let Some(field) = field_in("missing field `") {
        let value = model.get(&field)?.clone();
        target.as_object_mut()?.insert(field.clone(), value);
        Some(mask(&object, &format!(".{field}")))
    } else if let Some(field) = field_in("unknown field `") {
        target.as_object_mut()?.remove(&field)?;
        Some(mask(&object, &format!(".{field}")))
    } else {
        None
    }
}

/// The part of a record whose cross-check problems are not reported after a
/// stand-in at `leaf` inside the object at `object`: the stand-in's whole
/// object when it is nested (a price's payers are checked together), the
/// field alone when it is one of the record's own, so the record's other
/// fields are still checked. In serde_path_to_error's notation
/// (`price.kommune`), as [`problem::join_path`] takes it.
fn mask(object: &[String], leaf: &str) -> String {
    let path = if object.is_empty() {
        leaf.to_owned()
    } else {
        object.concat()
    };
    path.trim_start_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped files as owned (name, text) pairs, to edit and load with
    /// [`KnowledgeBase::from_texts`].
    fn shipped() -> Vec<(String, String)> {
        FILES
            .iter()
            .zip(EMBEDDED)
            .map(|(name, text)| (name.to_string(), text.to_owned()))
            .collect()
    }

    #[test]
    fn embedded_knowledge_base_is_valid() {
        let files = shipped();
        if let Err(e) = KnowledgeBase::from_texts(&files) {
            panic!("{e}");
        }
    }

    /// Each file of the shipped knowledge base and of the tests' frozen one
    /// reads straight from its text to the same records (with the same JSON
    /// paths) as through the tree of values that reports problems.
    #[test]
    fn a_file_read_straight_from_its_text_is_what_the_tree_of_values_gives() {
        use super::super::types::*;
        fn same_records<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str, key: &str) {
            let direct: Vec<(String, T)> = read_records_directly(text, key).expect(key);
            let mut problems = Vec::new();
            let value = parse_document("f", text, &mut problems).unwrap();
            let (mut broken, mut masked) = (Default::default(), Vec::new());
            let tree: Vec<(String, T)> =
                parse_records("f", value, key, &mut problems, &mut broken, &mut masked);
            assert!(problems.is_empty() && broken.is_empty(), "{key}");
            assert!(!direct.is_empty() && direct == tree, "{key}");
        }
        fn same_whole<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
            let direct: T = read_directly(text).unwrap();
            let mut problems = Vec::new();
            let value = parse_document("f", text, &mut problems).unwrap();
            assert_eq!(Some(direct), parse_whole("f", value, &mut problems));
        }
        let frozen = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kb");
        let frozen: Vec<String> = FILES
            .iter()
            .map(|name| std::fs::read_to_string(format!("{frozen}/{name}")).unwrap_or_default())
            .collect();
        for files in [EMBEDDED.map(str::to_owned).to_vec(), frozen] {
            same_whole::<Manifest>(&files[0]);
            same_records::<Source>(&files[1], "sources");
            same_records::<Area>(&files[2], "areas");
            same_records::<TargetGroup>(&files[3], "target_groups");
            same_records::<Service>(&files[4], "services");
            same_records::<ConsequenceSet>(&files[5], "consequences");
            same_records::<EffectStudy>(&files[6], "effects");
            same_whole::<PriceIndex>(&files[7]);
            same_records::<DiscountSchedule>(&files[8], "schedules");
            same_whole::<EvidenceScale>(&files[9]);
            if !files[10].is_empty() {
                same_records::<Committee>(&files[10], "committees");
            }
        }
    }

    /// A repeated key is a problem whether the file reads straight from its
    /// text (a list given twice: the reader keeps the last) or not (a
    /// record's field given twice, which the typed reader refuses).
    #[test]
    fn a_repeated_key_is_reported_whichever_way_the_file_is_read() {
        let mut files = shipped();
        files[2].1 = files[2].1.replacen('{', r#"{"areas": [],"#, 1);
        assert!(read_records_directly::<super::super::Area>(&files[2].1, "areas").is_some());
        let e = KnowledgeBase::from_texts(&files).unwrap_err().to_string();
        assert!(
            e.contains("areas.json: $.areas: expected each key at most once")
                && e.contains("found the key `areas` a second time"),
            "{e}"
        );

        let mut files = shipped();
        files[2].1 = files[2]
            .1
            .replacen(r#""id":"#, r#""id": "twice", "id":"#, 1);
        assert!(read_records_directly::<super::super::Area>(&files[2].1, "areas").is_none());
        let e = KnowledgeBase::from_texts(&files).unwrap_err().to_string();
        assert!(
            e.contains("areas.json: $.areas[0].id: expected each key at most once")
                && e.contains("found the key `id` a second time"),
            "{e}"
        );
    }

    /// The hash the build script took of `knowledge-base/` is the one of
    /// the bytes the library compiled in, taken at run time: the same
    /// files, in the same order, none stale. (Python's hashlib over the same
    /// framing gave the same value by hand: 0880443d… for knowledge base
    /// 2026.1 as of this test's writing.)
    #[test]
    fn the_embedded_hash_taken_at_build_time_is_that_of_the_compiled_bytes() {
        let files = shipped();
        let at_run_time = KnowledgeBase::from_texts(&files).unwrap().hash;
        assert_eq!(EMBEDDED_HASH, at_run_time);
        assert_eq!(KnowledgeBase::embedded().hash(), at_run_time);
        // The framing written out another way: one buffer of name, zero
        // byte, text, zero byte, file after file.
        let mut bytes = Vec::new();
        for (name, text) in FILES.iter().zip(EMBEDDED) {
            bytes.extend_from_slice(name.as_bytes());
            bytes.push(0);
            bytes.extend_from_slice(text.as_bytes());
            bytes.push(0);
        }
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(EMBEDDED_HASH, hex);
    }

    /// The shipped files are vouched for by the byte scan (so loading them
    /// does not walk them again), and wherever a repeated key is put into
    /// them, at any depth, the scan defers to the walk: the problems are
    /// the walk's, and loading reports them.
    #[test]
    fn repeated_keys_in_knowledge_base_files_are_the_walks_whether_or_not_scanned() {
        use crate::json_keys::{duplicate_keys, duplicate_keys_of_valid, surely_no_repeated_keys};
        for (name, text) in FILES.iter().zip(EMBEDDED) {
            assert!(surely_no_repeated_keys(text), "{name}");
            assert!(duplicate_keys_of_valid(name, text).is_empty(), "{name}");
        }
        // (file, the text to find, what to put in its place): a key
        // repeated at the top, in a record, in a nested object, in a list
        // of objects.
        let edits = [
            (2, "{", r#"{"areas": [],"#),
            (2, r#""id":"#, r#""id": "twice", "id":"#),
            (4, r#""kommune":"#, r#""kommune": 1, "kommune":"#),
            (5, r#""service":"#, r#""service": "x", "service":"#),
            (0, r#""version":"#, r#""version": "0", "version":"#),
        ];
        for (i, find, replace) in edits {
            let mut files = shipped();
            assert!(files[i].1.contains(find), "{find}");
            files[i].1 = files[i].1.replacen(find, replace, 1);
            let text = &files[i].1;
            assert!(serde_json::from_str::<Value>(text).is_ok());
            let walk = duplicate_keys(&files[i].0, text);
            assert_eq!(walk.len(), 1, "{replace}");
            assert_eq!(duplicate_keys_of_valid(&files[i].0, text), walk);
            let problems = KnowledgeBase::from_texts(&files).unwrap_err();
            assert!(
                problems.problems().contains(&walk[0]),
                "{replace}: {problems}"
            );
        }
    }

    #[test]
    fn the_hash_changes_with_any_byte() {
        let mut files = shipped();
        let before = KnowledgeBase::from_texts(&files).map(|kb| kb.hash).ok();
        files[0].1.push(' ');
        let after = KnowledgeBase::from_texts(&files).map(|kb| kb.hash).ok();
        assert!(before.is_some() && after.is_some());
        assert_ne!(before, after);
    }
}
