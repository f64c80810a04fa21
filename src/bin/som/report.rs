//! `som report`: a business case with its sensitivity, as a printable HTML
//! page or Markdown with SVG charts beside it.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::KnowledgeBase;
use som::analysis;
use som::package::{Input, Package};
use som::report;
use som::report::Lang;

use crate::args::{FileFormat, Language, ScenarioFile, knowledge_base};
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

impl FileFormat for ReportFormat {
    const DEFAULT: Self = ReportFormat::Html;
    const HINT: &'static str = "write to a .html or .md file, or add --format html|markdown";

    fn id(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "markdown",
        }
    }

    fn named_by(extension: &str) -> Option<Self> {
        match extension {
            "html" | "htm" => Some(ReportFormat::Html),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            _ => None,
        }
    }
}

/// The format `som report` writes: `--format`, else the one the file's
/// extension names, else HTML (no extension, or `-`); Markdown, whose charts
/// go in files beside it, needs a file.
fn choose(format: Option<ReportFormat>, output: &Path) -> Result<ReportFormat, CliError> {
    match FileFormat::choose(format, Some(output))? {
        ReportFormat::Markdown if output.as_os_str() == "-" => Err(CliError::Usage(
            "--format markdown writes a .md file and SVG charts beside it: give --output FILE.md",
        )),
        chosen => Ok(chosen),
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
