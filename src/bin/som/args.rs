//! The arguments several commands share, declared once and flattened into
//! each command's own.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::package::Input;
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

    /// The scenario or package (a file with `arms`), read from its file, or
    /// the built-in example.
    pub fn read_input(&self) -> Result<Input, CliError> {
        Ok(match &self.scenario {
            Some(path) => Input::from_file(path)?,
            None => Input::Scenario(Box::new(Scenario::example())),
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

/// The formats of a business case.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
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
}

impl FileFormat for OutputFormat {
    const DEFAULT: Self = OutputFormat::Table;
    const HINT: &'static str = "add --format table|json|csv|markdown|xlsx, or write to a .txt, .json, .csv, .md or .xlsx file";

    fn id(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Csv => "csv",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Xlsx => "xlsx",
        }
    }

    fn named_by(extension: &str) -> Option<Self> {
        match extension {
            "txt" => Some(OutputFormat::Table),
            "json" => Some(OutputFormat::Json),
            "csv" => Some(OutputFormat::Csv),
            "md" | "markdown" => Some(OutputFormat::Markdown),
            "xlsx" => Some(OutputFormat::Xlsx),
            _ => None,
        }
    }
}

/// A format that `--format` names, or the `--output` file's extension.
pub trait FileFormat: Copy {
    /// The format when neither names one (no `--output`, or no extension).
    const DEFAULT: Self;
    /// What to do about an extension that names no format.
    const HINT: &'static str;

    /// The name on the command line.
    fn id(self) -> &'static str;

    /// The format a lower-case extension names.
    fn named_by(extension: &str) -> Option<Self>;

    /// Whether `--format self` may be written to a file whose extension
    /// names `named`.
    fn fits(self, named: Self) -> bool {
        self.id() == named.id()
    }

    /// The format to write: `--format`, else the one the output file's
    /// extension names, else the default. A `--format` that contradicts the
    /// extension is an error, as is an extension that names no format when
    /// `--format` is absent: a table written into `case.xlsx`, or CSV into
    /// `grid.npy`, would only fail later, in the program that opens it.
    fn choose(format: Option<Self>, output: Option<&Path>) -> Result<Self, CliError> {
        let extension = output
            .and_then(|p| p.extension())
            .map(|e| e.to_string_lossy().to_lowercase());
        let named = extension.as_deref().and_then(Self::named_by);
        match (format, named, &extension) {
            (None, None, Some(other)) => Err(CliError::Arguments(format!(
                "cannot tell the format from the extension `.{other}`: {}",
                Self::HINT
            ))),
            (Some(f), Some(n), Some(extension)) if !f.fits(n) => Err(CliError::Arguments(format!(
                "--format {} does not match the output file's extension `.{extension}` ({}): change one of them",
                f.id(),
                n.id()
            ))),
            (Some(f), _, _) => Ok(f),
            (None, Some(n), _) => Ok(n),
            (None, None, None) => Ok(Self::DEFAULT),
        }
    }
}

/// The formats of `som compare` and `som batch`: text only.
#[derive(Clone, Copy, ValueEnum)]
pub enum TextFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<TextFormat> for Format {
    fn from(f: TextFormat) -> Format {
        match f {
            TextFormat::Table => Format::Table,
            TextFormat::Json => Format::Json,
            TextFormat::Csv => Format::Csv,
            TextFormat::Markdown => Format::Markdown,
        }
    }
}

/// `--lang da` with JSON output is an error, not silently ignored: JSON's
/// keys and numbers are for programs and have no language.
pub fn no_language_in_json(json: bool, lang: Lang) -> Result<(), CliError> {
    if json && lang != Lang::En {
        Err(CliError::Arguments(format!(
            "--lang {lang} does not apply to JSON, whose keys and numbers are for programs: leave out --lang, or choose a format for people"
        )))
    } else {
        Ok(())
    }
}

/// An output path, with `-` meaning standard output (none).
pub fn output_path(output: Option<PathBuf>) -> Option<PathBuf> {
    output.filter(|p| p.as_os_str() != "-")
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
