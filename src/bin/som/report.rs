//! `som report`: a business case with its sensitivity, as a printable HTML
//! page or Markdown with SVG charts beside it.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::KnowledgeBase;
use som::analysis;
use som::package::{Input, Package};
use som::report;
use som::report::Lang;

use crate::args::{Language, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, write_file};

pub const HELP: &str = "Examples:\n  som report --output case.html\n  som report examples/housing-first.json --lang da --output sag.html\n  som report --format markdown --output case.md   also writes case-cumulative.svg, case-flows.svg, case-tornado.svg";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The file to write; `-` writes the HTML page to standard output.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// html: one self-contained page; markdown: a .md file and three SVG
    /// charts beside it. Without it, the one the file's extension names
    /// (.html, .htm, .md), else html when the file has no extension; any
    /// other extension needs --format.
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    #[command(flatten)]
    lang: Language,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Html,
    Markdown,
}

/// The format `som report` writes: `--format`, else the one the file's
/// extension names, else HTML (no extension, or `-`); a contradiction is an
/// error, as is an extension that names no report format without `--format`.
fn choose(format: Option<ReportFormat>, output: &Path) -> Result<ReportFormat, CliError> {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let named = match extension.as_deref() {
        Some("html" | "htm") => Some(ReportFormat::Html),
        Some("md" | "markdown") => Some(ReportFormat::Markdown),
        Some(other) if format.is_none() => {
            return Err(CliError::Arguments(format!(
                "cannot tell the report's format from the extension `.{other}`: write to a .html or .md file, or add --format html|markdown"
            )));
        }
        _ => None,
    };
    match (format, named) {
        (Some(f), Some(n)) if f != n => Err(CliError::Arguments(format!(
            "--format {} does not match the output file's extension `.{}`: change one of them",
            match f {
                ReportFormat::Html => "html",
                ReportFormat::Markdown => "markdown",
            },
            extension.unwrap_or_default()
        ))),
        (Some(ReportFormat::Markdown), _) if output.as_os_str() == "-" => Err(CliError::Usage(
            "--format markdown writes a .md file and SVG charts beside it: give --output FILE.md",
        )),
        (Some(f), _) => Ok(f),
        (None, Some(n)) => Ok(n),
        (None, None) => Ok(ReportFormat::Html),
    }
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let format = choose(args.format, &args.output)?;
    let kb = knowledge_base(kb_dir)?;
    let lang = args.lang.get();
    let scenario = match args.scenario.read_input()? {
        Input::Scenario(s) => *s,
        Input::Package(package) => {
            return package_report(&package, &kb, lang, format, &args.output);
        }
    };
    let reported = analysis::ReportedCase::new(&scenario, &kb)?;
    match format {
        ReportFormat::Html => {
            let page =
                report::html::render_with_sensitivity(&reported.case, lang, &kb, &reported.tornado);
            if args.output.as_os_str() == "-" {
                return Ok(Outcome::text(page));
            }
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

/// A package's report: each arm and the total (no sensitivity section: the
/// tornado varies one intervention's inputs; run `som report` on an arm
/// written as a scenario for its own).
fn package_report(
    package: &Package,
    kb: &KnowledgeBase,
    lang: Lang,
    format: ReportFormat,
    output: &Path,
) -> Result<Outcome, CliError> {
    let case = som::package::evaluate(package, kb)?;
    match format {
        ReportFormat::Html => {
            let page = report::package::html(&case, lang, kb);
            if output.as_os_str() == "-" {
                return Ok(Outcome::text(page));
            }
            write_file(output, page.as_bytes())
        }
        ReportFormat::Markdown => {
            report::package::write_markdown_report(&case, lang, kb, output).map_err(|source| {
                CliError::WriteReport {
                    path: output.to_owned(),
                    source,
                }
            })?;
            Ok(Outcome::nothing())
        }
    }
}
