//! The Markdown view: the same content as the text table, for a memo or a wiki.

use super::Lang;
use super::document::{Block, Style, build};
use crate::{BusinessCase, KnowledgeBase};

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// The business case as Markdown, in English.
pub fn render(case: &BusinessCase) -> String {
    render_in(case, Lang::En, None)
}

/// The business case as Markdown in a language; names come from `kb` in that
/// language when it is given.
pub fn render_in(case: &BusinessCase, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    let document = build(case, lang, kb, Style::Text);
    let title = document.title.clone();
    let sections = document.sections();
    let mut out = format!("# {}\n", escape(&title));
    for section in sections {
        out.push_str(&format!("\n## {}\n\n", section.heading));
        match section.block {
            Block::Facts(facts) => {
                for (k, v) in facts {
                    out.push_str(&format!("- **{}**: {}\n", escape(&k), escape(&v)));
                }
            }
            Block::Table(headers, rows) => {
                out.push_str(&format!(
                    "| {} |\n",
                    headers
                        .iter()
                        .map(|h| escape(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                let align: Vec<&str> = (0..headers.len())
                    .map(|i| if i == 0 { ":---" } else { "---:" })
                    .collect();
                out.push_str(&format!("| {} |\n", align.join(" | ")));
                for row in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        row.iter()
                            .map(|c| escape(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ));
                }
            }
        }
    }
    out
}
