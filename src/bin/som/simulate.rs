//! `som simulate`: Monte Carlo over a scenario's uncertain inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use som::analysis::{Baseline, SimulationOptions, SimulationSpec, monte_carlo};
use som::report;

use crate::args::{AnalysisFormat, Language, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, analysis_text, with_progress};

pub const HELP: &str = "\
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
  som simulate --spec examples/analysis/simulate-inputs.json --draws 100000 --seed 7
  som simulate examples/housing-first.json --spec examples/analysis/simulate-inputs.json --format json --every-draw draws.csv
  som simulate --spec examples/analysis/simulate-inputs.json --lang da   Danish labels and numbers";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The uncertain inputs, as JSON (see below). Optional with --grade-defaults.
    #[arg(
        long,
        value_name = "SPEC.json",
        required_unless_present = "grade_defaults"
    )]
    spec: Option<PathBuf>,
    /// Give every graded consequence line that the spec leaves out a
    /// triangular price scale of 1 ± its grade's uncertainty (grade 1
    /// ± 10 % ... grade 5 ± 50 %).
    #[arg(long)]
    grade_defaults: bool,
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
    /// Also draw the NPV distribution (a histogram) as SVG to this file.
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    lang: Language,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let lang = args.lang.get();
    crate::args::no_language_in_json(
        matches!(args.format, AnalysisFormat::Json) && args.chart.is_none(),
        lang,
    )?;
    let kb = knowledge_base(kb_dir)?;
    let base = Baseline::new(&args.scenario.read()?, &kb)?;
    let mut spec = match &args.spec {
        Some(path) => SimulationSpec::from_json(
            &som::read_input(path)?,
            &path.display().to_string(),
            base.model(),
        )?,
        None => SimulationSpec::default(),
    };
    if args.grade_defaults {
        spec = spec.with_grade_defaults(base.model(), kb.evidence_scale());
    }
    if spec.inputs.is_empty() {
        return Err(CliError::Usage(
            "nothing is uncertain: the spec names no input and no consequence line has a grade",
        ));
    }
    let options = SimulationOptions {
        draws: args.draws,
        seed: args.seed,
        keep_draws: args.every_draw.is_some() || args.chart.is_some(),
    };
    let sim = with_progress(args.draws, |progress| {
        monte_carlo::simulate_with_progress(&base, &spec, options, progress)
    })?;
    if let Some(path) = &args.chart {
        let svg = report::chart::npv_distribution(&sim, lang);
        std::fs::write(path, svg).map_err(CliError::write(path))?;
    }
    if let Some(path) = &args.every_draw {
        let written = std::fs::File::create(path).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            sim.write_draws_csv(&mut out)?;
            out.flush()
        });
        written.map_err(|source| CliError::WriteDraws {
            path: path.clone(),
            source,
        })?;
    }
    Ok(analysis_text(
        args.format,
        || sim.to_text_in(lang),
        || sim.to_json(),
    ))
}
