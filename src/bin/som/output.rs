//! What a command prints, and printing it: a closed pipe
//! (`som sweep … | head -1`) ends the program quietly with success, as the
//! reader has all it wanted; any other failed write is an error. Output to
//! a terminal, and every message on stderr, has its control characters
//! escaped ([`som::report::terminal::printable`]): a name from a file
//! cannot clear the screen or retitle the window.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use som::KnowledgeBase;
use som::analysis::Sweep;
use som::report::{Format, Lang};
use std::borrow::Cow;

use crate::args::AnalysisFormat;
use crate::error::CliError;
use crate::sweep::SweepFormat;

/// What a command prints, and whether it succeeded; a batch prints its
/// good rows even when others failed.
pub struct Outcome {
    /// What goes to standard output.
    pub body: Printed,
    /// Whether the command succeeded (exit code 0).
    pub success: bool,
}

impl Outcome {
    /// Text printed by a command that succeeded.
    pub fn text(text: impl Into<String>) -> Outcome {
        Outcome {
            body: Printed::Text(text.into()),
            success: true,
        }
    }

    /// Nothing printed: the command wrote its files.
    pub fn nothing() -> Outcome {
        Outcome::text(String::new())
    }
}

/// What a command prints on success.
pub enum Printed {
    /// Text, printed as it is.
    Text(String),
    /// Bytes, such as a workbook sent to standard output (`-o -`).
    Bytes(Vec<u8>),
    /// A batch's tables, written from its rows' summary figures, in a
    /// language, with names from the knowledge base.
    Batch {
        report: Box<som::batch::Report>,
        format: Format,
        lang: Lang,
        kb: Box<Cow<'static, KnowledgeBase>>,
    },
    /// A sweep's rows, streamed in a format.
    Sweep(Sweep, SweepFormat),
}

/// Writes a message line to stderr, its control characters escaped.
pub fn say(line: impl std::fmt::Display) {
    eprintln!("{}", som::report::terminal::printable(&line.to_string()));
}

/// Writes what a command printed into `out`.
fn render(body: &Printed, out: &mut impl Write) -> io::Result<()> {
    match body {
        Printed::Text(text) => out.write_all(text.as_bytes()),
        Printed::Bytes(bytes) => out.write_all(bytes),
        Printed::Batch {
            report,
            format,
            lang,
            kb,
        } => som::report::batch::write_report_in(report, *format, *lang, Some(kb), out),
        Printed::Sweep(sweep, format) => crate::sweep::write(sweep, *format, out),
    }
}

/// Prints the outcome; true when the command succeeded.
pub fn print(outcome: Outcome) -> Result<bool, CliError> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = if terminal {
        // For people: the output whole, its control characters escaped.
        let mut bytes = Vec::new();
        render(&outcome.body, &mut bytes).and_then(|()| {
            let text = String::from_utf8_lossy(&bytes);
            out.write_all(som::report::terminal::printable(&text).as_bytes())
        })
    } else {
        render(&outcome.body, &mut out)
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(outcome.success),
        // The reader has stopped reading: the rest would go nowhere.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(outcome.success),
        Err(e) => Err(CliError::Stdout(e)),
    }
}

/// Writes `bytes` to the file at `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<Outcome, CliError> {
    std::fs::write(path, bytes).map_err(CliError::write(path))?;
    Ok(Outcome::nothing())
}

/// A table or JSON of an analysis.
pub fn analysis_text(
    format: AnalysisFormat,
    table: impl FnOnce() -> String,
    json: impl FnOnce() -> serde_json::Value,
) -> Outcome {
    Outcome::text(match format {
        AnalysisFormat::Table => table(),
        AnalysisFormat::Json => format!("{:#}\n", json()),
    })
}

/// Points from which a sweep or simulation counts as long (about a second or more).
const LONG_RUN: u64 = 2_000_000;

/// A progress bar on stderr for a long run, only when stdout is a terminal.
pub fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    (total >= LONG_RUN && io::stdout().is_terminal()).then(|| indicatif::ProgressBar::new(total))
}

/// Runs `work` with a progress bar fed by its `progress(n)` calls.
pub fn with_progress<T>(total: u64, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    let bar = progress_bar(total);
    let result = work(&|n| {
        if let Some(bar) = &bar {
            bar.inc(n);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    result
}
