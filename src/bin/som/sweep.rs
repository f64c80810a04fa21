//! `som sweep`: a grid over a scenario's parameters.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use som::analysis::{Baseline, SweepSpec, sweep};

use crate::args::{ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, Printed, with_progress};

pub const HELP: &str = "\
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
  som sweep --spec examples/analysis/sweep-grid.json        the built-in example
  som sweep examples/housing-first.json --spec examples/analysis/sweep-grid.json --format jsonl > rows.jsonl";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The grid, as JSON (see below).
    #[arg(long, value_name = "SPEC.json")]
    spec: PathBuf,
    /// Output format: CSV with a header row, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    format: SweepFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum SweepFormat {
    Csv,
    Jsonl,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?;
    let base = Baseline::new(&args.scenario.read()?, &kb)?;
    let text = som::read_input(&args.spec)?;
    let spec = SweepSpec::from_json(&text, &args.spec.display().to_string(), base.model())?;
    let sweep = with_progress(spec.points() as u64, |progress| {
        sweep::sweep_with_progress(&base, &spec, progress)
    })?;
    Ok(Outcome {
        body: match args.format {
            SweepFormat::Csv => Printed::SweepCsv(sweep),
            SweepFormat::Jsonl => Printed::SweepJsonLines(sweep),
        },
        success: true,
    })
}
