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
