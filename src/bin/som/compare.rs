//! `som compare`: business cases side by side.

use std::path::{Path, PathBuf};

use som::{Comparison, Scenario, report};

use crate::args::{TextFormat, knowledge_base};
use crate::error::CliError;
use crate::output::Outcome;

pub const HELP: &str = "Rows are the summary figures (participants, successes, PV of costs and gains, NPV per payer\nand in total, NPV per participant, benefit-cost ratio, break-even year, break-even success rate);\ncolumns are the scenarios. Cases that use different knowledge bases, price years or discount\nschedules are flagged as not comparable as they stand.\n\nExamples:\n  som compare examples/housing-first.json my-variant.json\n  som compare a.json b.json c.json --format markdown > comparison.md\n  som compare a.json b.json --format csv";

#[derive(clap::Args)]
pub struct Args {
    /// One or more scenario files (JSON), one column each.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO.json")]
    scenarios: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    format: TextFormat,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?;
    let mut cases = Vec::with_capacity(args.scenarios.len());
    for path in args.scenarios {
        let scenario = Scenario::from_file(&path)?;
        let case =
            som::evaluate(&scenario, &kb).map_err(|source| CliError::CaseOf { path, source })?;
        cases.push(case);
    }
    let comparison = Comparison::of(&cases);
    for warning in comparison.warnings() {
        crate::output::say(format_args!("warning: {warning}"));
    }
    let format = args.format.into();
    Ok(Outcome::text(report::render_comparison(
        &comparison,
        format,
    )))
}
