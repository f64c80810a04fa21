//! The Markdown view: the same content as the text table, for a memo or a wiki.

use super::document::{Block, build, numeric_columns};
use crate::BusinessCase;

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// The business case as Markdown.
pub fn render(case: &BusinessCase) -> String {
    let (title, sections) = build(case);
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
                let numeric = numeric_columns(headers.len(), &rows);
                out.push_str(&format!(
                    "| {} |\n",
                    headers
                        .iter()
                        .map(|h| escape(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                let align: Vec<&str> = (0..headers.len())
                    .map(|i| if numeric[i] { "---:" } else { ":---" })
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
