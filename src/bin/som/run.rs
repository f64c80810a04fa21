//! `som run`: a business case in one of its formats.

use std::path::{Path, PathBuf};

use som::package::Input;
use som::report;

use crate::args::{
    FileFormat, Language, OutputFormat, ScenarioFile, knowledge_base, no_language_in_json,
    output_path,
};
use crate::error::CliError;
use crate::output::{Outcome, Printed, write_file};

pub const HELP: &str = "Examples:\n  som run                                   the built-in Housing First example\n  som run examples/housing-first.json --format json\n  som run --lang da                         labels and numbers in Danish\n  som run examples/housing-first.json --output case.xlsx   the format from the extension\n  som run --format csv --lang da -o sag.csv   semicolons and decimal commas for Danish Excel\n  som --kb my-kb run my-scenario.json --format markdown";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// Output format; without it, the one the --output file's extension
    /// names (.txt, .json, .csv, .md, .xlsx), else table.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write to this file instead of standard output; `-` is standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    lang: Language,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let to_stdout = args.output.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let output = output_path(args.output);
    let format = OutputFormat::choose(args.format, output.as_deref())?;
    if format == OutputFormat::Xlsx && output.is_none() && !to_stdout {
        return Err(CliError::Usage(
            "--format xlsx writes a binary workbook: add --output FILE.xlsx (or -o - to send it to standard output)",
        ));
    }
    let lang = args.lang.get();
    no_language_in_json(format == OutputFormat::Json, lang)?;
    let kb = knowledge_base(kb_dir)?;
    let scenario = match args.scenario.read_input()? {
        Input::Scenario(s) => *s,
        Input::Package(package) => {
            let Some(text_format) = format.text() else {
                let bytes = report::xlsx::render_package(&package, &kb, lang)?;
                return write_bytes(output, bytes);
            };
            let case = som::package::evaluate(&package, &kb)?;
            let text = report::package::render_in(&case, text_format, lang, Some(&kb));
            return match output {
                Some(path) => write_file(&path, text.as_bytes()),
                None => Ok(Outcome::text(text)),
            };
        }
    };
    let Some(text_format) = format.text() else {
        let bytes = report::xlsx::render(&scenario, &kb, lang)?;
        return write_bytes(output, bytes);
    };
    let case = som::evaluate(&scenario, &kb)?;
    let text = report::render_in(&case, text_format, lang, Some(&kb))?;
    match output {
        Some(path) => write_file(&path, text.as_bytes()),
        None => Ok(Outcome::text(text)),
    }
}

/// A workbook's bytes to the output file, or with `-o -` to standard output.
fn write_bytes(output: Option<PathBuf>, bytes: Vec<u8>) -> Result<Outcome, CliError> {
    match output {
        Some(path) => write_file(&path, &bytes),
        None => Ok(Outcome {
            body: Printed::Bytes(bytes),
            success: true,
        }),
    }
}
