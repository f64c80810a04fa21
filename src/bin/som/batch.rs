//! `som batch`: one business case per row of a CSV table over a scenario
//! template.

use std::path::{Path, PathBuf};

use som::report::{self, Format, Lang};
use som::{BusinessCase, KnowledgeBase, Scenario};

use crate::args::{Language, TextFormat, knowledge_base, no_language_in_json};
use crate::error::CliError;
use crate::output::{Outcome, Printed};

pub const HELP: &str = "\
Columns (all optional; an empty cell keeps the template's value), separated by commas, or
by semicolons when the header line has no commas. With commas, numbers take a decimal point
and no thousands separators (0.45, 958000); with semicolons, as a spreadsheet with Danish
settings saves them, a decimal comma (0,45; 1.506,85). A number that could be misread
(958.000: 958 thousand, or 958?) is refused with what it probably means. A file that is not
UTF-8 is read as Windows-1252 (a spreadsheet's plain CSV), with a warning:
  name                          the scenario's name
  participants                  participants of every cohort in the template
  participants.<year>           participants of the cohort entering in year index <year>
  success_rate, baseline_rate   the effect's rates
  completion_rate, horizon_years, start_year, price_year, effect_lag_years
  persistence.duration_years, persistence.annual_decay
  discounting                   a schedule id, none, or a number (a constant rate)
  cost.<label>                  the amount of the template's cost with that label
  price.<service>.kommune|region|stat|price_year
                                a unit price override for a service

Rows are numbered as in a spreadsheet (the header is row 1). Every bad cell is reported on
stderr with its row and column; the good rows are still computed and printed. The exit code
is 1 when any row (or the header) has a problem.

Examples:
  som batch examples/batch/template.json examples/batch/municipalities.csv
  som batch examples/batch/template.json examples/batch/municipalities.csv --format csv > pool.csv
  som batch examples/batch/template.json examples/batch/with-errors.csv
  som batch template.json rows.csv --format json --out-dir cases/   one JSON file per row too
  som batch examples/batch/template.json examples/batch/municipalities.csv --lang da --format csv > pulje.csv";

#[derive(clap::Args)]
pub struct Args {
    /// The scenario template (JSON).
    template: PathBuf,
    /// The rows (CSV with a header line).
    rows: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    format: TextFormat,
    /// Also write each computed row's full business case, in the same
    /// format, to DIR/row-<row>.<txt|json|csv|md>.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    #[command(flatten)]
    lang: Language,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let lang = args.lang.get();
    no_language_in_json(matches!(args.format, TextFormat::Json), lang)?;
    let kb = knowledge_base(kb_dir)?;
    let template = Scenario::from_file(&args.template)?;
    let file = som::batch::read_rows(&args.rows).map_err(CliError::Rows)?;
    if let Some(encoding) = file.transcoded_from {
        eprintln!(
            "warning: {}: not UTF-8; read as {encoding} (a spreadsheet's plain CSV). Save as \"CSV UTF-8\" to be sure of æ, ø and å",
            args.rows.display()
        );
    }
    let format = Format::from(args.format);
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| CliError::CreateDir {
            path: dir.clone(),
            source,
        })?;
    }
    // Rows are evaluated, reported and written one at a time; only their
    // summary figures are kept for the tables at the end.
    let (header_problems, outcomes) = som::batch::rows(&template, &file.text, &kb);
    for problem in &header_problems {
        crate::output::say(format_args!("error: {}: {problem}", args.rows.display()));
    }
    let mut batch = som::batch::Report::new(header_problems);
    for outcome in outcomes {
        match &outcome.result {
            Ok(case) => {
                if let Some(dir) = &args.out_dir {
                    write_case(case, outcome.row, dir, format, lang, &kb)?;
                }
            }
            Err(problems) => {
                for problem in problems {
                    crate::output::say(format_args!("error: {}: {problem}", args.rows.display()));
                }
            }
        }
        batch.push(&outcome);
    }
    for warning in report::comparison::warnings(&batch.comparison(), lang, Some(&kb)) {
        crate::output::say(format_args!(
            "{}: {warning}",
            crate::compare::warning_word(lang)
        ));
    }
    let success = batch.is_ok();
    Ok(Outcome {
        body: Printed::Batch {
            report: Box::new(batch),
            format,
            lang,
            kb: Box::new(kb),
        },
        success,
    })
}

/// Writes one batch row's business case to `DIR/row-N.EXT`.
fn write_case(
    case: &BusinessCase,
    row: usize,
    dir: &Path,
    format: Format,
    lang: Lang,
    kb: &KnowledgeBase,
) -> Result<(), CliError> {
    let ext = match format {
        Format::Table => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Markdown => "md",
    };
    let text = report::render_in(case, format, lang, Some(kb))?;
    let path = dir.join(format!("row-{row}.{ext}"));
    std::fs::write(&path, text).map_err(|source| CliError::WriteCase { path, source })
}
