//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with a non-zero exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use som::analysis;
use som::report::{self, Format};
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
        after_help = "Examples:\n  som run                                   the built-in Housing First example\n  som run examples/housing-first.json --format json\n  som --kb my-kb run my-scenario.json --format markdown"
    )]
    Run {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// One-way sensitivity (tornado): NPV with each input moved by ± a range, with break-even figures.
    #[command(
        after_help = "Each input moves on its own by ± RANGE of its value: net success rate (p0 fixed),\ncompletion rate, each cost, each line's unit price, persistence decay, every year's\ndiscount rate; the horizon by round(H · (1 ± RANGE)) years, within 1..=100.\nEvery point is an exact Decimal evaluation.\n\nExamples:\n  som sensitivity                                 the built-in example, ± 20 %\n  som sensitivity examples/housing-first.json --range 0.1 --format json"
    )]
    Sensitivity {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The share each input moves by, between 0 and 1 (0.2 = ± 20 %).
        #[arg(long, default_value = "0.2")]
        range: rust_decimal::Decimal,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
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
enum AnalysisFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Markdown => Format::Markdown,
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
        Command::Run { scenario, format } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let case = som::evaluate(&scenario, &kb).map_err(|e| e.to_string())?;
            report::render(&case, format.into()).map_err(|e| e.to_string())
        }
        Command::Sensitivity {
            scenario,
            range,
            format,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let tornado = analysis::sensitivity(&base, range).map_err(|e| e.to_string())?;
            let break_even = analysis::break_even(base.model()).map_err(|e| e.to_string())?;
            Ok(match format {
                AnalysisFormat::Table => {
                    format!("{}\n{}", tornado.to_table(), break_even.to_text())
                }
                AnalysisFormat::Json => {
                    let mut json = tornado.to_json();
                    json["break_even"] =
                        serde_json::to_value(&break_even).map_err(|e| e.to_string())?;
                    format!("{json:#}\n")
                }
            })
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

fn read_scenario(path: Option<PathBuf>) -> Result<Scenario, String> {
    match path {
        Some(path) => Scenario::from_file(path).map_err(|e| e.to_string()),
        None => Ok(Scenario::example()),
    }
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
