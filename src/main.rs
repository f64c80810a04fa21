//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with a non-zero exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use som::report::chart::ChartKind;
use som::report::{self, Format, Lang};
use som::{KnowledgeBase, Scenario};

/// SØM-style social investment business cases.
#[derive(Parser)]
#[command(name = "som", version, about, long_about = None)]
struct Cli {
    /// Use the knowledge base in this directory instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    kb: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute a business case.
    #[command(
        after_help = "Examples:\n  som run                                   the built-in Housing First example\n  som run examples/housing-first.json --format json\n  som run --lang da                         labels and numbers in Danish\n  som run examples/housing-first.json --format xlsx --output case.xlsx\n  som --kb my-kb run my-scenario.json --format markdown"
    )]
    Run {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the labels and number formatting (table and markdown).
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Draw a chart of a business case as SVG.
    #[command(
        after_help = "Examples:\n  som chart --kind cumulative --output cumulative.svg\n  som chart examples/housing-first.json --kind flows --lang da --output flows.svg"
    )]
    Chart {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// Which chart: the cumulative discounted net with the break-even
        /// year, or costs and gains per year by payer.
        #[arg(long, value_enum, default_value_t = ChartChoice::Cumulative)]
        kind: ChartChoice,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the labels and numbers.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Write a business-case report: one self-contained, printable HTML page,
    /// or Markdown with its charts as SVG files beside it.
    #[command(
        after_help = "Examples:\n  som report --output case.html\n  som report examples/housing-first.json --lang da --output sag.html\n  som report --format markdown --output case.md   also writes case-cumulative.svg, case-flows.svg"
    )]
    Report {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The file to write.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// html: one self-contained page; markdown: a .md file and two SVG charts beside it.
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Language of the labels and numbers.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Browse and validate the knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
}

#[derive(Subcommand)]
enum KbCommand {
    /// List every id by kind.
    List,
    /// Show one record by id, as JSON.
    Show {
        /// A target group, service, effect, discount schedule, area, source or price index id.
        id: String,
    },
    /// Validate a knowledge-base directory (the --kb one, or the embedded one) and list every problem.
    Validate {
        /// The directory to validate.
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// An Excel workbook; needs --output.
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChartChoice {
    Cumulative,
    Flows,
}

impl From<ChartChoice> for ChartKind {
    fn from(c: ChartChoice) -> ChartKind {
        match c {
            ChartChoice::Cumulative => ChartKind::Cumulative,
            ChartChoice::Flows => ChartKind::Flows,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputLang {
    En,
    Da,
}

impl From<OutputLang> for Lang {
    fn from(l: OutputLang) -> Lang {
        match l {
            OutputLang::En => Lang::En,
            OutputLang::Da => Lang::Da,
        }
    }
}

impl OutputFormat {
    /// The text format, or none for the binary xlsx.
    fn text(self) -> Option<Format> {
        match self {
            OutputFormat::Table => Some(Format::Table),
            OutputFormat::Json => Some(Format::Json),
            OutputFormat::Csv => Some(Format::Csv),
            OutputFormat::Markdown => Some(Format::Markdown),
            OutputFormat::Xlsx => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn knowledge_base(
    dir: Option<&PathBuf>,
) -> Result<std::borrow::Cow<'static, KnowledgeBase>, String> {
    match dir {
        Some(dir) => KnowledgeBase::load(dir)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| e.to_string()),
        None => Ok(std::borrow::Cow::Borrowed(KnowledgeBase::embedded())),
    }
}

fn run(cli: Cli) -> Result<String, String> {
    match cli.command {
        Command::Run {
            scenario,
            format,
            output,
            lang,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let case = business_case(scenario, &kb)?;
            let lang = Lang::from(lang);
            match (format.text(), output) {
                (Some(format), None) => {
                    report::render_in(&case, format, lang, Some(&kb)).map_err(|e| e.to_string())
                }
                (Some(format), Some(path)) => {
                    let text = report::render_in(&case, format, lang, Some(&kb))
                        .map_err(|e| e.to_string())?;
                    write_file(&path, text.as_bytes())
                }
                (None, Some(path)) => report::xlsx::write(&case, lang, Some(&kb), &path)
                    .map(|()| String::new())
                    .map_err(|e| e.to_string()),
                (None, None) => Err(
                    "--format xlsx writes a binary workbook and needs a file: add --output FILE.xlsx"
                        .to_owned(),
                ),
            }
        }
        Command::Chart {
            scenario,
            kind,
            output,
            lang,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let case = business_case(scenario, &kb)?;
            let svg = report::chart::render(&case, kind.into(), lang.into());
            match output {
                Some(path) => write_file(&path, svg.as_bytes()),
                None => Ok(svg),
            }
        }
        Command::Report {
            scenario,
            output,
            format,
            lang,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let case = business_case(scenario, &kb)?;
            match format {
                ReportFormat::Html => write_file(
                    &output,
                    report::html::render(&case, lang.into(), &kb).as_bytes(),
                ),
                ReportFormat::Markdown => {
                    report::markdown::write_report(&case, lang.into(), &kb, &output)
                        .map(|_| String::new())
                        .map_err(|e| {
                            format!("could not write the report {}: {e}", output.display())
                        })
                }
            }
        }
        Command::Kb { command } => match command {
            KbCommand::List => {
                let kb = knowledge_base(cli.kb.as_ref())?;
                Ok(kb_list(&kb))
            }
            KbCommand::Show { id } => {
                let kb = knowledge_base(cli.kb.as_ref())?;
                som::knowledge_base::show(&kb, &id).map_err(|e| e.to_string())
            }
            KbCommand::Validate { dir } => {
                let kb = knowledge_base(dir.as_ref().or(cli.kb.as_ref()))?;
                Ok(format!(
                    "ok: knowledge base version {} is valid ({} target groups, {} services, {} effect studies; sha256 {})\n",
                    kb.version(),
                    kb.target_groups().len(),
                    kb.services().len(),
                    kb.effects().len(),
                    kb.hash()
                ))
            }
        },
    }
}

fn business_case(
    scenario: Option<PathBuf>,
    kb: &KnowledgeBase,
) -> Result<som::BusinessCase, String> {
    let scenario = match scenario {
        Some(path) => Scenario::from_file(path).map_err(|e| e.to_string())?,
        None => Scenario::example(),
    };
    som::evaluate(&scenario, kb).map_err(|e| e.to_string())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<String, String> {
    std::fs::write(path, bytes)
        .map(|()| String::new())
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

fn kb_list(kb: &KnowledgeBase) -> String {
    let mut out = format!(
        "knowledge base version {} (sha256 {})\n",
        kb.version(),
        kb.hash()
    );
    let mut current = "";
    for (kind, id) in kb.ids() {
        if kind != current {
            out.push_str(&format!("\n{kind}:\n"));
            current = kind;
        }
        out.push_str(&format!("  {id}\n"));
    }
    out
}
