//! `som report`: a business case with its sensitivity, as a printable HTML
//! page or Markdown with SVG charts beside it.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::analysis;
use som::report;

use crate::args::{Language, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, write_file};

pub const HELP: &str = "Examples:\n  som report --output case.html\n  som report examples/housing-first.json --lang da --output sag.html\n  som report --format markdown --output case.md   also writes case-cumulative.svg, case-flows.svg, case-tornado.svg";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The file to write.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// html: one self-contained page; markdown: a .md file and two SVG charts beside it.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    #[command(flatten)]
    lang: Language,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Markdown,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?;
    let reported = analysis::ReportedCase::new(&args.scenario.read()?, &kb)?;
    let lang = args.lang.get();
    match args.format {
        ReportFormat::Html => {
            let page =
                report::html::render_with_sensitivity(&reported.case, lang, &kb, &reported.tornado);
            write_file(&args.output, page.as_bytes())
        }
        ReportFormat::Markdown => {
            report::markdown::write_report_with_sensitivity(
                &reported.case,
                lang,
                &kb,
                &reported.tornado,
                &args.output,
            )
            .map_err(|source| CliError::WriteReport {
                path: args.output.clone(),
                source,
            })?;
            Ok(Outcome::nothing())
        }
    }
}
