//! The arguments several commands share, declared once and flattened into
//! each command's own.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::report::{Format, Lang};
use som::{KbError, KnowledgeBase, Scenario};

use crate::error::CliError;

/// The scenario a command works on.
#[derive(clap::Args)]
pub struct ScenarioFile {
    /// A scenario file (JSON); the built-in example when absent.
    pub scenario: Option<PathBuf>,
}

impl ScenarioFile {
    /// The scenario, read from its file, or the built-in example.
    pub fn read(&self) -> Result<Scenario, CliError> {
        Ok(match &self.scenario {
            Some(path) => Scenario::from_file(path)?,
            None => Scenario::example(),
        })
    }
}

/// The language of labels and number formatting.
#[derive(clap::Args)]
pub struct Language {
    /// Language of the labels and number formatting.
    #[arg(long, value_enum, default_value_t = OutputLang::En)]
    pub lang: OutputLang,
}

impl Language {
    /// The report language.
    pub fn get(&self) -> Lang {
        match self.lang {
            OutputLang::En => Lang::En,
            OutputLang::Da => Lang::Da,
        }
    }
}

/// A language on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutputLang {
    En,
    Da,
}

/// The formats of a business case or a comparison.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// An Excel workbook; needs --output.
    Xlsx,
}

impl OutputFormat {
    /// The text format, or none for the binary xlsx.
    pub fn text(self) -> Option<Format> {
        match self {
            OutputFormat::Table => Some(Format::Table),
            OutputFormat::Json => Some(Format::Json),
            OutputFormat::Csv => Some(Format::Csv),
            OutputFormat::Markdown => Some(Format::Markdown),
            OutputFormat::Xlsx => None,
        }
    }

    /// The text format of a command that has no binary output.
    pub fn text_only(self) -> Result<Format, CliError> {
        self.text().ok_or(CliError::Usage(
            "--format xlsx is only for `som run`; use table, json, csv or markdown",
        ))
    }
}

/// The formats of an analysis or a knowledge-base record.
#[derive(Clone, Copy, ValueEnum)]
pub enum AnalysisFormat {
    Table,
    Json,
}

/// The knowledge base in `dir`, or the embedded one.
pub fn knowledge_base(dir: Option<&Path>) -> Result<Cow<'static, KnowledgeBase>, CliError> {
    Ok(match dir {
        Some(dir) => Cow::Owned(KnowledgeBase::load(dir)?),
        None => Cow::Borrowed(KnowledgeBase::try_embedded().map_err(KbError::clone)?),
    })
}
