//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with exit code 1. One file per command; the
//! arguments several commands share are declared once, in `args.rs`.

// A command's error ends the program once; it keeps every cause whole
// rather than boxed, and its size costs nothing that matters.
#![allow(clippy::result_large_err)]

mod args;
mod batch;
mod chart;
mod compare;
mod error;
mod kb;
mod output;
mod potential;
mod report;
mod run;
mod sensitivity;
#[cfg(feature = "serve")]
mod serve;
mod simulate;
mod sweep;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use error::CliError;
use output::Outcome;

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
    #[command(after_help = run::HELP)]
    Run(run::Args),
    /// Draw a chart of a business case as SVG.
    #[command(after_help = chart::HELP)]
    Chart(chart::Args),
    /// Write a business-case report: one self-contained, printable HTML page,
    /// or Markdown with its charts as SVG files beside it.
    #[command(after_help = report::HELP)]
    Report(report::Args),
    /// Set business cases side by side, the best value of each figure marked.
    #[command(after_help = compare::HELP)]
    Compare(compare::Args),
    /// Compute one business case per CSV row: a scenario template with the row's values.
    #[command(after_help = batch::HELP)]
    Batch(batch::Args),
    /// One-way sensitivity (tornado): NPV with each input moved by ± a range, with break-even figures.
    #[command(after_help = sensitivity::HELP)]
    Sensitivity(sensitivity::Args),
    /// A grid over scenario parameters: one row per point with NPV, BCR and break-even year.
    #[command(after_help = sweep::HELP)]
    Sweep(sweep::Args),
    /// Monte Carlo: distributions on uncertain inputs; NPV and BCR statistics and P(NPV > 0).
    #[command(after_help = simulate::HELP)]
    Simulate(simulate::Args),
    /// A potential calculation: what the target group costs today, by payer,
    /// area and committee, and what a range of success rates would save a year.
    #[command(after_help = potential::HELP)]
    Potential(potential::Args),
    /// Browse and validate the knowledge base.
    Kb {
        #[command(subcommand)]
        command: kb::Command,
    },
    /// Serve business cases as a local HTTP JSON service until stopped.
    #[cfg(feature = "serve")]
    #[command(after_help = serve::HELP)]
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli).and_then(output::print) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            output::say(format_args!("error: {error}"));
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<Outcome, CliError> {
    let kb = cli.kb.as_deref();
    match cli.command {
        Command::Run(args) => run::run(args, kb),
        Command::Chart(args) => chart::run(args, kb),
        Command::Report(args) => report::run(args, kb),
        Command::Compare(args) => compare::run(args, kb),
        Command::Batch(args) => batch::run(args, kb),
        Command::Sensitivity(args) => sensitivity::run(args, kb),
        Command::Sweep(args) => sweep::run(args, kb),
        Command::Simulate(args) => simulate::run(args, kb),
        Command::Potential(args) => potential::run(args, kb),
        Command::Kb { command } => kb::run(command, kb),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args, kb),
    }
}
