//! The command line's error: each variant keeps what failed and the
//! library's error behind it, so the message names the file and the cause.

use std::io;
use std::path::{Path, PathBuf};

use som::analysis::AnalysisError;
use som::{KbError, Problem, ScenarioError};

/// What went wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The knowledge base could not be loaded.
    #[error(transparent)]
    KnowledgeBase(#[from] KbError),
    /// A scenario could not be read or resolved.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Resolving or evaluating a scenario failed.
    #[error(transparent)]
    Evaluation(#[from] som::Error),
    /// One of several scenarios failed; the message names its file.
    #[error("{}: {source}", path.display())]
    CaseOf {
        /// The scenario file.
        path: PathBuf,
        /// What failed.
        source: som::Error,
    },
    /// An analysis failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// An input file could not be read.
    #[error("{0}")]
    Input(Problem),
    /// A batch's rows could not be read.
    #[error("{}: cannot read the rows: expected {}, found {}", .0.file, .0.expected, .0.found)]
    Rows(Problem),
    /// A figure left Decimal's range while a view was written.
    #[error(transparent)]
    Calculation(#[from] som::CalcError),
    /// The workbook could not be built or written.
    #[error(transparent)]
    Workbook(#[from] som::report::xlsx::WorkbookError),
    /// An output file could not be written.
    #[error("could not write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A Markdown report could not be written.
    #[error("could not write the report {}: {source}", path.display())]
    WriteReport {
        /// The report's file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The draws of a simulation could not be written.
    #[error("{}: cannot write the draws: {source}", path.display())]
    WriteDraws {
        /// The CSV file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A sweep could not be written to its file.
    #[error("{}: cannot write the sweep: {source}", path.display())]
    WriteSweep {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A directory for a batch's cases could not be created.
    #[error("{}: cannot create the directory: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A batch row's case could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    WriteCase {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// `som serve` could not serve.
    #[cfg(feature = "serve")]
    #[error("serving on {addr}: {source}")]
    Serve {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// Standard output could not be written for a reason other than a
    /// closed pipe (which ends the program quietly).
    #[error("writing the output: {0}")]
    Stdout(io::Error),
    /// Arguments that clap accepts but that do not fit together.
    #[error("{0}")]
    Usage(&'static str),
    /// Arguments that contradict each other or do nothing.
    #[error("{0}")]
    Arguments(String),
    /// Arguments that do not fit the input file they go with.
    #[error("{}: {what}", path.display())]
    FileUsage {
        /// The input file.
        path: PathBuf,
        /// What does not fit.
        what: &'static str,
    },
    /// An input file with problems that leave nothing to compute; each
    /// names its file and place.
    #[error("the input has {} problem(s):\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Problems(Vec<Problem>),
}

impl CliError {
    /// A failed write to `path`.
    pub fn write(path: &Path) -> impl FnOnce(io::Error) -> CliError + '_ {
        move |source| CliError::Write {
            path: path.to_owned(),
            source,
        }
    }
}

impl From<Problem> for CliError {
    fn from(problem: Problem) -> CliError {
        CliError::Input(problem)
    }
}
