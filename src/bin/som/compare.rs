//! `som compare`: business cases side by side.

use std::path::{Path, PathBuf};

use som::{Comparison, Scenario, report};

use crate::args::{Language, TextFormat, knowledge_base, no_language_in_json};
use crate::error::CliError;
use crate::output::Outcome;

pub const HELP: &str = "Rows are the summary figures (participants, successes, PV of costs and gains, NPV per payer\nand in total, NPV per participant, benefit-cost ratio, break-even year, break-even success rate);\ncolumns are the scenarios. Break-even is ranked by the years after each case's start (shown\nas +N), not by calendar year. Cases that use different knowledge bases, price years or discount\nschedules are flagged as not comparable as they stand.\n\nExamples:\n  som compare examples/housing-first.json my-variant.json\n  som compare a.json b.json c.json --format markdown > comparison.md\n  som compare a.json b.json --format csv\n  som compare a.json b.json --lang da                Danish labels and numbers\n  som compare a.json b.json --format csv --lang da   for a spreadsheet with Danish settings";

#[derive(clap::Args)]
pub struct Args {
    /// One or more scenario files (JSON), one column each.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO.json")]
    scenarios: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    format: TextFormat,
    #[command(flatten)]
    lang: Language,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let lang = args.lang.get();
    no_language_in_json(matches!(args.format, TextFormat::Json), lang)?;
    let kb = knowledge_base(kb_dir)?;
    let mut cases = Vec::with_capacity(args.scenarios.len());
    for path in args.scenarios {
        let scenario = Scenario::from_file(&path)?;
        let case =
            som::evaluate(&scenario, &kb).map_err(|source| CliError::CaseOf { path, source })?;
        cases.push(case);
    }
    let comparison = Comparison::of(&cases);
    for warning in report::comparison::warnings(&comparison, lang, Some(&kb)) {
        crate::output::say(format_args!("{}: {warning}", warning_word(lang)));
    }
    let format = args.format.into();
    Ok(Outcome::text(report::comparison::render_in(
        &comparison,
        format,
        lang,
        Some(&kb),
    )))
}

/// "warning" or "advarsel".
pub fn warning_word(lang: som::report::Lang) -> &'static str {
    lang.pick("warning", "advarsel")
}
