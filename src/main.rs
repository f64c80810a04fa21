//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with a non-zero exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
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
    /// A grid over scenario parameters: one row per point with NPV, BCR and break-even year.
    #[command(after_help = SWEEP_HELP)]
    Sweep {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The grid, as JSON (see below).
        #[arg(long, value_name = "SPEC.json")]
        spec: PathBuf,
        /// Output format: CSV with a header row, or one JSON object per line.
        #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
        format: SweepFormat,
    },
    /// Monte Carlo: distributions on uncertain inputs; NPV and BCR statistics and P(NPV > 0).
    #[command(after_help = SIMULATE_HELP)]
    Simulate {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The uncertain inputs, as JSON (see below).
        #[arg(long, value_name = "SPEC.json")]
        spec: PathBuf,
        /// The number of draws, 1 to 10,000,000.
        #[arg(long, default_value_t = 10_000)]
        draws: u64,
        /// The seed: the same seed gives the same result on any number of threads.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write every draw (inputs, NPV, BCR) to this CSV file.
        #[arg(long, value_name = "FILE.csv")]
        every_draw: Option<PathBuf>,
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

const SWEEP_HELP: &str = "\
The spec lists the grid's axes; each is a parameter with `values` or `from`/`to`/`step`:

  {
    \"parameters\": [
      {\"name\": \"success_rate\", \"from\": 0.25, \"to\": 0.50, \"step\": 0.05},
      {\"name\": \"participants_scale\", \"values\": [0.5, 1, 2]},
      {\"name\": \"discount_rate\", \"values\": [0, 0.035]},
      {\"name\": \"cost:Support\", \"from\": 40000, \"to\": 80000, \"step\": 20000}
    ]
  }

Parameters: success_rate, baseline_rate, net_success_rate, completion_rate,
participants_scale (factor on every cohort), discount_rate (one constant rate),
annual_decay, horizon_years, cost:<label> (that cost's amount),
price_scale:<service id> (factor on that line's unit price).
Rows come in grid order, the first axis varying slowest; at most 10,000,000 points.
Figures use the f64 fast path (agrees with the exact engine to 1e-9).

Examples:
  som sweep --spec examples/sweep-grid.json        the built-in example
  som sweep examples/housing-first.json --spec examples/sweep-grid.json --format jsonl > rows.jsonl";

const SIMULATE_HELP: &str = "\
The spec gives each uncertain input a distribution:

  {
    \"inputs\": [
      {\"name\": \"success_rate\", \"distribution\": \"triangular\", \"min\": 0.35, \"mode\": 0.45, \"max\": 0.55},
      {\"name\": \"completion_rate\", \"distribution\": \"beta\", \"alpha\": 18, \"beta\": 2},
      {\"name\": \"cost:Support\", \"distribution\": \"normal\", \"mean\": 60000, \"sd\": 5000},
      {\"name\": \"price_scale:shelter-day\", \"distribution\": \"lognormal\", \"mu\": 0, \"sigma\": 0.1},
      {\"name\": \"participants_scale\", \"distribution\": \"uniform\", \"min\": 0.8, \"max\": 1.2},
      {\"name\": \"annual_decay\", \"distribution\": \"pert\", \"min\": 0.05, \"mode\": 0.1, \"max\": 0.2},
      {\"name\": \"baseline_rate\", \"distribution\": \"fixed\", \"value\": 0.2}
    ]
  }

Distributions: fixed (value), uniform (min, max), triangular (min, mode, max),
normal (mean, sd), lognormal (mu, sigma of the logarithm), beta (alpha, beta,
optional min, max), pert (min, mode, max). Inputs are the sweep parameters
except horizon_years (see `som sweep --help`). Draws are used as drawn, never
clamped; draws with an input outside its range are counted in the output.

Examples:
  som simulate --spec examples/simulate-inputs.json --draws 100000 --seed 7
  som simulate examples/housing-first.json --spec examples/simulate-inputs.json --format json --every-draw draws.csv";

#[derive(Clone, Copy, ValueEnum)]
enum SweepFormat {
    Csv,
    Jsonl,
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

/// What a command prints on success.
enum Printed {
    Text(String),
    Sweep(analysis::Sweep, SweepFormat),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let printed = run(cli).and_then(|p| {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        match p {
            Printed::Text(text) => out.write_all(text.as_bytes()),
            Printed::Sweep(sweep, SweepFormat::Csv) => sweep.write_csv(&mut out),
            Printed::Sweep(sweep, SweepFormat::Jsonl) => sweep.write_json_lines(&mut out),
        }
        .and_then(|()| out.flush())
        .map_err(|e| format!("writing the output: {e}"))
    });
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads an analysis spec file, with the file named in any error.
fn read_spec(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("{}: $: cannot read the spec file: {e}", path.display()))
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

fn run(cli: Cli) -> Result<Printed, String> {
    let text = match cli.command {
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
        Command::Sweep {
            scenario,
            spec,
            format,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let text = read_spec(&spec)?;
            let spec =
                analysis::SweepSpec::from_json(&text, &spec.display().to_string(), base.model())
                    .map_err(|e| e.to_string())?;
            let bar = progress_bar(spec.points() as u64);
            let sweep = analysis::sweep::sweep_with_progress(&base, &spec, &|n| {
                if let Some(bar) = &bar {
                    bar.inc(n);
                }
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let sweep = sweep.map_err(|e| e.to_string())?;
            return Ok(Printed::Sweep(sweep, format));
        }
        Command::Simulate {
            scenario,
            spec,
            draws,
            seed,
            every_draw,
            format,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let text = read_spec(&spec)?;
            let spec = analysis::SimulationSpec::from_json(
                &text,
                &spec.display().to_string(),
                base.model(),
            )
            .map_err(|e| e.to_string())?;
            let options = analysis::SimulationOptions {
                draws,
                seed,
                keep_draws: every_draw.is_some(),
            };
            let bar = progress_bar(draws);
            let sim = analysis::monte_carlo::simulate_with_progress(&base, &spec, options, &|n| {
                if let Some(bar) = &bar {
                    bar.inc(n);
                }
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let sim = sim.map_err(|e| e.to_string())?;
            if let Some(path) = every_draw {
                let written = std::fs::File::create(&path).and_then(|f| {
                    let mut out = std::io::BufWriter::new(f);
                    sim.write_draws_csv(&mut out)?;
                    out.flush()
                });
                written.map_err(|e| format!("{}: cannot write the draws: {e}", path.display()))?;
            }
            Ok(match format {
                AnalysisFormat::Table => sim.to_text(),
                AnalysisFormat::Json => format!("{:#}\n", sim.to_json()),
            })
        }
    };
    text.map(Printed::Text)
}

/// Points from which a sweep or simulation counts as long (about a second or more).
const LONG_RUN: u64 = 2_000_000;

/// A progress bar on stderr for a long run, only when stdout is a terminal.
fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    (total >= LONG_RUN && std::io::stdout().is_terminal())
        .then(|| indicatif::ProgressBar::new(total))
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
