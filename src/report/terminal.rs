//! Text for a terminal: control characters escaped.
//!
//! A scenario's name, a label or an id comes from a file, and a file can
//! hold control characters: an escape sequence (`\u{1b}[2J`) would clear the
//! screen, retitle the window or hide text when printed raw, and a bidi
//! override (U+202E) would show text in another order than it is. Text the
//! command line writes for people (its messages, and its output when that
//! is a terminal or the text table) goes through [`printable`]: such
//! characters are written as Rust escapes (`\u{1b}`), visible and harmless;
//! line breaks and tabs stay.

use std::borrow::Cow;

/// `text` with every control character but `\n` and `\t`, and every bidi
/// control, written as `\u{..}`.
///
/// ```
/// use som::report::terminal::printable;
/// assert_eq!(printable("Evil\u{1b}[31m name\u{7}"), "Evil\\u{1b}[31m name\\u{7}");
/// assert_eq!(printable("right\u{202e}left"), "right\\u{202e}left");
/// assert_eq!(printable("Två linjer\n\tog æøå"), "Två linjer\n\tog æøå");
/// ```
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character that acts on a terminal instead of showing: C0 and C1
/// controls and DEL (but not `\n` and `\t`), and the bidi embeddings,
/// overrides and isolates.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}
