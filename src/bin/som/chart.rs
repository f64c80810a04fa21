//! `som chart`: a chart of a business case as SVG.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::report::chart::{self, ChartKind};

use crate::args::{Language, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, write_file};

pub const HELP: &str = "Examples:\n  som chart --kind cumulative --output cumulative.svg\n  som chart examples/housing-first.json --kind flows --lang da --output flows.svg";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// Which chart: the cumulative discounted net with the break-even
    /// year, or costs and gains per year by payer.
    #[arg(long, value_enum, default_value_t = ChartChoice::Cumulative)]
    kind: ChartChoice,
    /// Write to this file instead of standard output; `-` is standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    lang: Language,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChartChoice {
    Cumulative,
    Flows,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?;
    let case = som::evaluate(&args.scenario.read()?, &kb)?;
    let kind = match args.kind {
        ChartChoice::Cumulative => ChartKind::Cumulative,
        ChartChoice::Flows => ChartKind::Flows,
    };
    let svg = chart::render(&case, kind, args.lang.get());
    match crate::args::output_path(args.output) {
        Some(path) => write_file(&path, svg.as_bytes()),
        None => Ok(Outcome::text(svg)),
    }
}
