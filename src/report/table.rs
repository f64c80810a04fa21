//! The text view: what an analyst pastes into a memo.

use super::Lang;
use super::document::{Block, Section, Style, build, column_widths, numeric_columns, push_table};
use crate::{BusinessCase, KnowledgeBase};

/// The business case as aligned text tables, in English.
pub fn render(case: &BusinessCase) -> String {
    render_in(case, Lang::En, None)
}

/// The business case as aligned text tables in a language; names come from
/// `kb` in that language when it is given.
pub fn render_in(case: &BusinessCase, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let document = build(case, lang, kb, Style::Text);
    let title = document.title.clone();
    sections_text(&title, document.sections())
}

/// A title and sections as aligned text.
pub(crate) fn sections_text(title: &str, sections: Vec<Section>) -> String {
    let mut out = format!("{title}\n{}\n", "=".repeat(title.chars().count()));
    for section in sections {
        out.push_str(&format!(
            "\n{}\n{}\n",
            section.heading,
            "-".repeat(section.heading.chars().count())
        ));
        match section.block {
            Block::Facts(facts) => {
                let width = facts
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                for (k, v) in facts {
                    out.push_str(&format!("{k:<width$}  {v}\n"));
                }
            }
            Block::Table(headers, rows) => {
                let numeric = numeric_columns(headers.len(), &rows);
                let widths = column_widths(
                    headers.len(),
                    std::iter::once(headers.as_slice()).chain(rows.iter().map(Vec::as_slice)),
                );
                push_table(&mut out, &headers, &rows, &widths, |i, c, w| {
                    if numeric[i] {
                        format!("{c:>w$}")
                    } else {
                        format!("{c:<w$}")
                    }
                });
            }
        }
    }
    out
}
