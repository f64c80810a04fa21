//! A problem found in an input file, located by file and JSON path.
//!
//! Loading a knowledge base or resolving a scenario collects every problem it
//! finds instead of stopping at the first, so an analyst can fix a file in one
//! pass. Each problem says where (file and JSON path), what was found, what was
//! expected, and, for a misspelt id, which known id was probably meant.

use std::fmt;

/// One problem in an input file.
///
/// ```
/// use som::Problem;
/// let p = Problem::new("scenario.json", "$.completion_rate", "1.7", "a share between 0 and 1");
/// assert_eq!(
///     p.to_string(),
///     "scenario.json: $.completion_rate: expected a share between 0 and 1, found 1.7"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file (or `<embedded>/name.json`, or `<input>` for JSON passed in memory).
    pub file: String,
    /// JSON path to the offending value, `$` for the document root.
    pub path: String,
    /// What was found there (empty when `expected` is a reader's whole message).
    pub found: String,
    /// What was expected instead.
    pub expected: String,
    /// A known id close to a misspelt one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

impl Problem {
    /// A problem without a suggestion.
    pub fn new(
        file: impl Into<String>,
        path: impl Into<String>,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Problem {
        Problem {
            file: file.into(),
            path: path.into(),
            found: found.into(),
            expected: expected.into(),
            did_you_mean: None,
        }
    }

    /// Adds the closest of `known` to `unknown` as a suggestion, if one is close enough.
    ///
    /// ```
    /// use som::Problem;
    /// let p = Problem::new("s.json", "$.target_group", "homeles-adults", "a known target group")
    ///     .suggest("homeles-adults", ["homeless-adults", "young-drug-users"]);
    /// assert_eq!(p.did_you_mean.as_deref(), Some("homeless-adults"));
    /// ```
    pub fn suggest<'a>(
        mut self,
        unknown: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Problem {
        self.did_you_mean = closest(unknown, known).map(str::to_owned);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.is_empty() {
            // A reader's own message (from serde) already says what was wrong.
            write!(f, "{}: {}: {}", self.file, self.path, self.expected)?;
        } else {
            write!(
                f,
                "{}: {}: expected {}, found {}",
                self.file, self.path, self.expected, self.found
            )?;
        }
        if let Some(id) = &self.did_you_mean {
            write!(f, " (did you mean `{id}`?)")?;
        }
        Ok(())
    }
}

/// The known id most similar to `unknown`, when the similarity is high enough
/// to be a likely typo (Jaro-Winkler similarity of at least 0.8).
pub(crate) fn closest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Formats a list of problems, one per line.
pub(crate) fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Turns a serde error with its path into a problem. serde's messages already say
/// what was expected ("invalid type: string \"x\", expected a decimal"); the path
/// comes from `serde_path_to_error`.
pub(crate) fn from_serde(
    file: &str,
    prefix: &str,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> Problem {
    let inner = err.path().to_string();
    let path = join_path(prefix, &inner);
    let message = err.into_inner().to_string();
    Problem::new(file, path, "", message)
}

/// Joins a JSON path prefix like `$.services[2]` with a serde_path_to_error path
/// like `price.kommune` (or `.` for the root).
pub(crate) fn join_path(prefix: &str, inner: &str) -> String {
    if inner.is_empty() || inner == "." {
        prefix.to_owned()
    } else if inner.starts_with('[') {
        format!("{prefix}{inner}")
    } else {
        format!("{prefix}.{inner}")
    }
}

/// What kind of JSON value `value` is, for "found" in a problem.
pub(crate) fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The largest input file read: a scenario, a knowledge-base file, a batch's
/// rows or an analysis spec. Real ones are kilobytes; the limit keeps a
/// mistaken path (a data dump, a disk image) from being read into memory.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a UTF-8 text file of at most [`MAX_INPUT_BYTES`], or says why not.
///
/// Only regular files (or links to them) are read: a device such as
/// `/dev/zero`, a FIFO or a directory is refused before it is opened, so
/// it can neither fill memory nor block. The read itself stops after the
/// limit, whatever the file's metadata says.
///
/// ```
/// let p = som::read_input(std::path::Path::new("/no/such/file.json")).unwrap_err();
/// assert_eq!(p.path, "$");
/// # #[cfg(unix)]
/// assert!(som::read_input(std::path::Path::new("/dev/zero")).unwrap_err().found.contains("device"));
/// ```
pub fn read_input(path: &std::path::Path) -> Result<String, Problem> {
    let bytes = read_input_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        Problem::new(
            path.display().to_string(),
            "$",
            format!(
                "bytes that are not UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ),
            "a readable UTF-8 text file",
        )
    })
}

/// Reads a regular file of at most [`MAX_INPUT_BYTES`] as bytes, or says why not.
pub fn read_input_bytes(path: &std::path::Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let shown = path.display().to_string();
    let too_big = |size: u64| {
        Problem::new(
            &shown,
            "$",
            format!("{size} bytes"),
            format!("a file of at most {MAX_INPUT_BYTES} bytes (16 MiB)"),
        )
    };
    let unreadable =
        |e: std::io::Error| Problem::new(&shown, "$", e.to_string(), "a readable UTF-8 text file");
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Problem::new(
            &shown,
            "$",
            kind_of_file(&metadata.file_type()),
            "a regular file",
        ));
    }
    if metadata.len() > MAX_INPUT_BYTES {
        return Err(too_big(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        // It grew after its size was read.
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What kind of file something that is not a regular file is.
fn kind_of_file(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "something that is not a regular file"
    }
}

/// The most readings [`deserialize_all`] makes of a document of `bytes`
/// bytes (one per problem, and one per stand-in tried): enough to list every
/// problem of a hand-written file, while the work stays within a fixed
/// multiple of the input's size (32 MiB of documents read in all).
fn passes_for(bytes: usize) -> usize {
    (32 * 1024 * 1024 / bytes.max(1)).clamp(1, 2000)
}

/// Values tried in place of a wrong or missing one, so that reading can go
/// on to the problems after it. The first that the field accepts is kept.
fn stand_ins() -> [serde_json::Value; 6] {
    use serde_json::Value;
    [
        Value::Null,
        Value::from(0),
        Value::from("0"),
        Value::Array(Vec::new()),
        Value::Object(serde_json::Map::new()),
        Value::Bool(false),
    ]
}

/// A JSON path as serde_path_to_error's segments: keys and list indices.
type Segments = Vec<serde_path_to_error::Segment>;

/// Whether `path` is `place` or lies inside it.
fn inside(path: &str, place: &str) -> bool {
    path.strip_prefix(place)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// Deserialises `value` into `T`, or lists every problem its structure has
/// at once: unknown fields, missing fields and values of the wrong kind,
/// each with `file` and its JSON path below `prefix`.
///
/// serde stops at the first error. After each one the offending value is
/// taken out (an unknown field), or replaced by a stand-in of the kind the
/// field accepts (a wrong or missing value), and reading starts again; a
/// stand-in's own parts are never reported. `bytes` is the document's size:
/// the number of passes is bounded so the work stays linear in it, and a
/// last problem says so when the bound stops the listing.
pub(crate) fn deserialize_all<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    file: &str,
    prefix: &str,
    bytes: usize,
) -> Result<T, Vec<Problem>> {
    use serde_json::Value;
    use serde_path_to_error::Segment;
    // A value that reads needs no repairs: read it as it is, without the copy
    // the repairs below work on.
    if let Ok(t) = T::deserialize(value) {
        return Ok(t);
    }
    let mut value = value.clone();
    let mut problems: Vec<Problem> = Vec::new();
    // Paths of stand-ins and of values taken out: problems inside them
    // follow from the repair, not from the file.
    let mut repaired: Vec<String> = Vec::new();
    let mut passes = passes_for(bytes);
    loop {
        if passes == 0 {
            problems.push(Problem::new(
                file,
                prefix,
                "more problems than are listed here",
                "a file whose problems above are fixed first (the listing stops to keep the work bounded)",
            ));
            return Err(problems);
        }
        passes -= 1;
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) if problems.is_empty() => return Ok(t),
            Ok(_) => return Err(problems),
            Err(e) => e,
        };
        let mut segments: Segments = err.path().iter().cloned().collect();
        let problem = from_serde(file, prefix, err);
        let message = problem.expected.clone();
        let missing = quoted_after(&message, "missing field `");
        let mut place = problem.path.clone();
        if let Some(field) = &missing {
            place = join_path(&problem.path, field);
            segments.push(Segment::Map { key: field.clone() });
        }
        if !repaired.iter().any(|r| inside(&place, r)) {
            problems.push(problem);
        }
        repaired.push(place.clone());
        let navigable = !segments.is_empty()
            && segments
                .iter()
                .all(|s| matches!(s, Segment::Seq { .. } | Segment::Map { .. }));
        let fixed = navigable
            && if message.starts_with("unknown field `") {
                let (parent, last) = segments.split_at(segments.len() - 1);
                match (pointer_mut(&mut value, parent), last) {
                    (Some(Value::Object(map)), [Segment::Map { key }]) => {
                        map.shift_remove(key).is_some()
                    }
                    _ => false,
                }
            } else {
                let named = quoted_after(&message, "expected one of `")
                    .or_else(|| quoted_after(&message, "expected `"))
                    .map(Value::from);
                let (parent, last) = segments.split_at(segments.len() - 1);
                named.into_iter().chain(stand_ins()).any(|stand_in| {
                    let slot = match (pointer_mut(&mut value, parent), last) {
                        (Some(Value::Object(map)), [Segment::Map { key }]) if missing.is_some() => {
                            map.insert(key.clone(), Value::Null);
                            map.get_mut(key)
                        }
                        (Some(v), _) => pointer_mut(v, last),
                        (None, _) => None,
                    };
                    match slot {
                        // Each try is a reading too (passes may end at 0: the
                        // loop then stops with the last problem).
                        Some(slot) if passes > 0 => {
                            *slot = stand_in;
                            passes -= 1;
                            accepted::<T>(&value, prefix, &place)
                        }
                        _ => false,
                    }
                })
            };
        if !fixed && passes > 0 {
            return Err(problems);
        }
    }
}

/// Whether reading `value` no longer fails at `place` (or inside it): any
/// other error, or one about a missing part of a stand-in, counts as
/// accepted.
fn accepted<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    prefix: &str,
    place: &str,
) -> bool {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => true,
        Err(err) => {
            let path = join_path(prefix, &err.path().to_string());
            err.into_inner().to_string().starts_with("missing field `") || !inside(&path, place)
        }
    }
}

/// The text between `marker` and the next backtick in `message`.
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let start = message.find(marker)? + marker.len();
    let rest = &message[start..];
    rest.find('`').map(|end| rest[..end].to_owned())
}

/// The value at `segments` (object keys and list indices) in `value`.
fn pointer_mut<'a>(
    value: &'a mut serde_json::Value,
    segments: &[serde_path_to_error::Segment],
) -> Option<&'a mut serde_json::Value> {
    use serde_json::Value;
    use serde_path_to_error::Segment;
    segments.iter().try_fold(value, |v, s| match (s, v) {
        (Segment::Map { key }, Value::Object(map)) => map.get_mut(key),
        (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index),
        _ => None,
    })
}

/// Reads JSON `text` into `T`, listing every problem of its structure at
/// once (see [`deserialize_all`]); malformed JSON is one problem at `$`.
/// Repeated keys are the caller's to check (`json_keys`).
pub(crate) fn parse_all<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<T, Vec<Problem>> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| vec![Problem::new(file, "$", "", format!("malformed JSON: {e}"))])?;
    deserialize_all(&value, file, "$", text.len())
}
