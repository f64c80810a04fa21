//! `som run`: a business case in one of its formats.

use std::path::{Path, PathBuf};

use som::report;

use crate::args::{Language, OutputFormat, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, write_file};

pub const HELP: &str = "Examples:\n  som run                                   the built-in Housing First example\n  som run examples/housing-first.json --format json\n  som run --lang da                         labels and numbers in Danish\n  som run examples/housing-first.json --format xlsx --output case.xlsx\n  som --kb my-kb run my-scenario.json --format markdown";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    lang: Language,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?;
    let scenario = args.scenario.read()?;
    let lang = args.lang.get();
    let Some(format) = args.format.text() else {
        let path = args.output.ok_or(CliError::Usage(
            "--format xlsx writes a binary workbook and needs a file: add --output FILE.xlsx",
        ))?;
        report::xlsx::write(&scenario, &kb, lang, &path)?;
        return Ok(Outcome::nothing());
    };
    let case = som::evaluate(&scenario, &kb)?;
    let text = report::render_in(&case, format, lang, Some(&kb))?;
    match args.output {
        Some(path) => write_file(&path, text.as_bytes()),
        None => Ok(Outcome::text(text)),
    }
}
