//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with a non-zero exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
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
    /// Browse and validate the knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Serve business cases as a local HTTP JSON service until stopped.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Routes: POST /v1/business-case, GET /v1/knowledge-base, GET /v1/knowledge-base/{id}, GET /health.\nExample:\n  som serve &\n  curl -d @examples/housing-first.json http://127.0.0.1:8787/v1/business-case"
    )]
    Serve {
        /// The address to listen on; port 0 picks a free port. There is no
        /// authentication: keep it on a loopback address.
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: std::net::SocketAddr,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = som::serve::DEFAULT_BODY_LIMIT)]
        body_limit: usize,
        /// The time limit for one request, in seconds.
        #[arg(long, default_value_t = som::serve::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
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
            let scenario = match scenario {
                Some(path) => Scenario::from_file(path).map_err(|e| e.to_string())?,
                None => Scenario::example(),
            };
            let case = som::evaluate(&scenario, &kb).map_err(|e| e.to_string())?;
            report::render(&case, format.into()).map_err(|e| e.to_string())
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            addr,
            body_limit,
            timeout,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?.into_owned();
            let options = som::serve::Options {
                body_limit,
                timeout: std::time::Duration::from_secs(timeout),
                ..som::serve::Options::new(kb)
            };
            if !addr.ip().is_loopback() {
                eprintln!(
                    "warning: listening on {addr}, not a loopback address: the service has no authentication and no TLS"
                );
            }
            som::serve::run(addr, options, |bound| {
                use std::io::Write;
                // The first line tells scripts and tests which port was picked.
                println!("som serve: listening on http://{bound}");
                let _ = std::io::stdout().flush();
            })
            .map_err(|e| format!("serving on {addr}: {e}"))?;
            Ok(String::new())
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
