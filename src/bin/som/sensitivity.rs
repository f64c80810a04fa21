//! `som sensitivity`: the tornado and the break-even figures.

use std::path::{Path, PathBuf};

use som::Decimal;
use som::analysis::{self, Baseline, Range};
use som::report;

use crate::args::{AnalysisFormat, Language, ScenarioFile, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, analysis_text};

pub const HELP: &str = "Each input moves on its own by ± RANGE of its value: net success rate (p0 fixed),\ncompletion rate, each cost, each line's unit price, persistence decay, every year's\ndiscount rate; the horizon by round(H · (1 ± RANGE)) years. Shares stay within [0, 1]\n(the completion rate, the persistence decay, and the success rate p0 + net success rate)\nand the horizon within 1..=100 years: an end that would leave its range is cut at the\nedge, marked † in the table and listed under it, and given in the JSON as\nlow_cut_from/high_cut_from. Every point is an exact Decimal evaluation.\n\nExamples:\n  som sensitivity                                 the built-in example, ± 20 %\n  som sensitivity examples/housing-first.json --range 0.1 --format json\n  som sensitivity examples/housing-first.json --lang da   Danish labels and numbers";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The share every input moves by, between 0 and 1 (0.2 = ± 20 %).
    /// Without it, consequence lines move by their confidence grade's
    /// uncertainty (grade 1 ± 10 % ... grade 5 ± 50 %) and other inputs by ± 20 %.
    #[arg(long)]
    range: Option<Decimal>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
    format: AnalysisFormat,
    /// Also draw the tornado as SVG to this file.
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
    let range = args.range.map_or(Range::ByGrade, Range::Uniform);
    let analysed = analysis::analyse_sensitivity(&base, range)?;
    if let Some(path) = &args.chart {
        let svg = report::chart::tornado(&analysed.tornado, lang, Some(&kb));
        std::fs::write(path, svg).map_err(CliError::write(path))?;
    }
    Ok(analysis_text(
        args.format,
        || report::sensitivity::text_in(&analysed, lang, Some(&kb)),
        || report::sensitivity::json(&analysed),
    ))
}
