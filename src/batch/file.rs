//! A batch's rows file: read as UTF-8 or as a spreadsheet's Windows-1252,
//! and its column separator.

use super::*;

/// A batch's rows as read from a file: the text, and how it was encoded
/// when that was not UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowsFile {
    /// The rows as text, without a byte-order mark.
    pub text: String,
    /// `Some("windows-1252")` when the file was not UTF-8 and was read as
    /// Windows-1252 (what a spreadsheet's plain "CSV" saves on a Danish
    /// Windows machine); the caller says so.
    pub transcoded_from: Option<&'static str>,
}

/// Reads a batch's rows: UTF-8 (with or without a byte-order mark) as it is;
/// any other file that is text as Windows-1252, which a spreadsheet's plain
/// "CSV" uses on a Danish Windows machine (æ, ø, å are single bytes there).
/// A UTF-16 file, a workbook or a file with NUL bytes is refused with "save
/// as CSV UTF-8".
///
/// ```
/// let dir = std::env::temp_dir().join("som-doc-read-rows");
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("rows.csv");
/// std::fs::write(&path, b"name;participants\n\xC5rhus;10\n").unwrap();
/// let rows = som::batch::read_rows(&path).unwrap();
/// assert_eq!(rows.text, "name;participants\nÅrhus;10\n");
/// assert_eq!(rows.transcoded_from, Some("windows-1252"));
/// ```
pub fn read_rows(path: &std::path::Path) -> Result<RowsFile, Problem> {
    let bytes = crate::problem::read_input_bytes(path)?;
    let refuse = |found: &str| {
        Problem::new(
            path.display().to_string(),
            "$",
            found.to_owned(),
            "CSV text: save the sheet as \"CSV UTF-8\" (in Danish Excel: \"CSV UTF-8 (kommasepareret)\")",
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(refuse("a UTF-16 file (a spreadsheet's \"Unicode text\")"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(refuse("a workbook (xlsx), not CSV"));
    }
    if bytes.contains(&0) {
        return Err(refuse("binary data (NUL bytes), not CSV"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(RowsFile {
            text: text.to_owned(),
            transcoded_from: None,
        }),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(RowsFile {
                text: text.into_owned(),
                transcoded_from: Some("windows-1252"),
            })
        }
    }
}

/// `;` when the header line has semicolons and no commas (as a spreadsheet
/// with Danish settings exports), `,` otherwise.
pub(crate) fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    }
}
