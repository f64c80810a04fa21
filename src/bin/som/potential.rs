//! `som potential`: what a target group costs today, by payer, area and the
//! kommune's committee, and what a range of success rates would save a year.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use rust_decimal::Decimal;
use som::package::Package;
use som::potential::{Potential, TargetGroupToday};
use som::report::{self, Format};

use crate::args::{Language, knowledge_base};
use crate::error::CliError;
use crate::output::{Outcome, Printed, write_file};

pub const HELP: &str = "\
The JSON input (every number exact, as in scenarios):
  {\"name\": \"Homeless citizens 2025\", \"citizens\": 60, \"success_keeps\": 0.2,
   \"price_year\": 2025, \"use_year\": 2026, \"success_rates\": [0.1, 0.25, 0.5],
   \"use\": [{\"service\": \"shelter-day\", \"per_citizen\": 129, \"success_keeps\": 0},
           {\"service\": \"cash-benefit-month\", \"total\": 600}],
   \"scenario\": {\"target_group\": \"homeless-adults\", \"success_measure\": \"exits-homelessness\",
                \"start_year\": 2026, \"horizon_years\": 5, \"success_rate\": 0.25}}
`use` may instead name a CSV file beside the JSON file. A CSV file of yearly use has the
columns service, per_citizen or total, and optionally success_keeps; separated by semicolons
(decimal commas, as Danish Excel saves it) or commas (decimal points); UTF-8, or read as
Windows-1252 when it is not UTF-8 (the output says which). Bad cells are reported with row
and column and left out; the rest is computed, and the exit code is 1.
Where a price's payer split follows a refund rule (section 110 shelter stays), the split
follows the citizens' own days per citizen under the rule in force on 1 July of `use_year`
(--use-year for CSV input; the price year when absent).
The kommune's part is also shown by committee (the committee of each service in the
knowledge base, or in the committee table of --package).

Examples:
  som potential examples/potential/homeless.json
  som potential brug.csv --citizens 60 --success-keeps 0.2 --lang da
  som potential examples/potential/homeless.json --chart potential.svg --to-scenario case.json
";

#[derive(clap::Args)]
pub struct Args {
    /// The target group today: JSON, or a CSV file (by its .csv name) of
    /// yearly use with --citizens and --success-keeps.
    input: PathBuf,
    /// With CSV input: the number of citizens in the target group.
    #[arg(long)]
    citizens: Option<Decimal>,
    /// With CSV input: the share of today's use a success keeps (0 to 1),
    /// the calculation's assumption.
    #[arg(long)]
    success_keeps: Option<Decimal>,
    /// With CSV input: a success rate to show (repeat for several);
    /// 10 %, 20 %, 30 %, 40 % and 50 % when absent.
    #[arg(long = "rate", value_name = "RATE")]
    rates: Vec<Decimal>,
    /// With CSV input: a name for the reports.
    #[arg(long)]
    name: Option<String>,
    /// With CSV input: the price year of every amount (the knowledge base's when absent).
    #[arg(long)]
    price_year: Option<i64>,
    /// With CSV input: the calendar year the use is counted in, whose
    /// refund rules (section 110) split the cost (the price year when absent).
    #[arg(long)]
    use_year: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PotentialFormat::Table)]
    format: PotentialFormat,
    #[command(flatten)]
    lang: Language,
    /// Also draw the potential by success rate as SVG to this file.
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    /// The package (a file with `arms`) the calculation is for: its local
    /// services, price overrides and price year value the baseline, its
    /// committee table puts services in their committees, and
    /// --to-scenario carries them, its discounting and its committee table
    /// over.
    #[arg(long, value_name = "FILE.json")]
    package: Option<PathBuf>,
    /// Also write the scenario this implies (a consequence line per
    /// service, per success) to this file, for `som run`; needs the
    /// input's `scenario` outline.
    #[arg(long, value_name = "FILE.json")]
    to_scenario: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PotentialFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

impl From<PotentialFormat> for Format {
    fn from(f: PotentialFormat) -> Format {
        match f {
            PotentialFormat::Table => Format::Table,
            PotentialFormat::Json => Format::Json,
            PotentialFormat::Markdown => Format::Markdown,
            PotentialFormat::Csv => Format::Csv,
        }
    }
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    crate::args::no_language_in_json(
        matches!(args.format, PotentialFormat::Json) && args.chart.is_none(),
        args.lang.get(),
    )?;
    let kb = knowledge_base(kb_dir)?;
    let context = args
        .package
        .as_deref()
        .map(|p| package_context(p, &kb))
        .transpose()?;
    let kb: &som::KnowledgeBase = match &context {
        Some((_, extended)) => extended,
        None => &kb,
    };
    let input = &args.input;
    let csv = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (read, problems) = if csv {
        let (Some(citizens), Some(success_keeps)) = (args.citizens, args.success_keeps) else {
            return Err(CliError::FileUsage {
                path: input.clone(),
                what: "a CSV file holds the yearly use only: give --citizens and --success-keeps",
            });
        };
        let (read, problems) = TargetGroupToday::from_csv_file(
            input,
            args.name,
            citizens,
            success_keeps,
            (!args.rates.is_empty()).then_some(args.rates),
            args.price_year,
        );
        let read = read.map(|r| TargetGroupToday {
            use_year: args.use_year,
            ..r
        });
        (read, problems)
    } else {
        if args.citizens.is_some()
            || args.success_keeps.is_some()
            || !args.rates.is_empty()
            || args.name.is_some()
            || args.price_year.is_some()
            || args.use_year.is_some()
        {
            return Err(CliError::FileUsage {
                path: input.clone(),
                what: "--citizens, --success-keeps, --rate, --name, --price-year and --use-year are for CSV input; a JSON input gives them as fields",
            });
        }
        TargetGroupToday::from_file(input)
    };
    let Some(mut read) = read else {
        return Err(CliError::Problems(problems));
    };
    if let Some((package, _)) = &context {
        match (read.price_year, package.price_year) {
            (None, year) => read.price_year = year,
            (Some(ours), Some(theirs)) if ours != theirs => {
                return Err(CliError::FileUsage {
                    path: input.clone(),
                    what: "the baseline's price year differs from the package's: leave it out to use the package's",
                });
            }
            _ => {}
        }
        crate::output::say(format_args!(
            "note: valued with the local services, prices, price year and committee table of the package {} ({})",
            args.package
                .as_deref()
                .map_or_else(String::new, |p| p.display().to_string()),
            package.name
        ));
    }
    if read.read.encoding == Some("windows-1252") {
        eprintln!(
            "warning: {}: not UTF-8; read as windows-1252 (a spreadsheet's plain CSV). Save as \"CSV UTF-8\" to be sure of æ, ø and å",
            read.read.use_file
        );
    }
    let mut potential = Potential::compute(&read, kb)?;
    potential.problems.splice(0..0, problems);
    for problem in &potential.problems {
        crate::output::say(format_args!("error: {problem}"));
    }
    let lang = args.lang.get();
    if let Some(path) = &args.chart {
        write_file(path, report::chart::potential(&potential, lang).as_bytes())?;
    }
    if let Some(path) = &args.to_scenario {
        let mut scenario = potential.scenario().ok_or_else(|| CliError::FileUsage {
            path: input.clone(),
            what: "--to-scenario needs the input's `scenario` outline (target_group, success_measure, start_year, horizon_years, success_rate)",
        })?;
        if let Some((package, _)) = &context {
            carry_over(package, &mut scenario);
        }
        // A scenario is plain data (strings, exact numbers, lists): it
        // always serializes.
        let mut text =
            serde_json::to_string_pretty(&scenario).expect("a scenario serializes to JSON");
        text.push('\n');
        write_file(path, text.as_bytes())?;
    }
    Ok(Outcome {
        body: Printed::Text(report::potential::render(
            &potential,
            args.format.into(),
            lang,
            kb,
        )),
        success: potential.problems.is_empty(),
    })
}

/// The package of `--package`, checked against the knowledge base, and the
/// knowledge base as its arms see it.
fn package_context(
    path: &Path,
    kb: &som::KnowledgeBase,
) -> Result<(Package, som::KnowledgeBase), CliError> {
    let package = match som::package::Input::from_file(path)? {
        som::package::Input::Package(p) => *p,
        som::package::Input::Scenario(_) => {
            return Err(CliError::FileUsage {
                path: path.to_owned(),
                what: "--package takes a package (a scenario file with `arms`); a single scenario's local services and prices go in the potential's own input",
            });
        }
    };
    package.resolve(kb)?;
    let extended = package.knowledge_base(kb)?;
    Ok((package, extended))
}

/// What the business case written by --to-scenario takes from the package:
/// the local services its lines use (and the sources they cite), the
/// package's prices and committee table for those services, and its
/// discounting.
fn carry_over(package: &Package, scenario: &mut som::Scenario) {
    let used: Vec<String> = scenario
        .consequences
        .iter()
        .flatten()
        .map(|c| c.service.clone())
        .collect();
    scenario.local_services = package
        .local_services
        .iter()
        .filter(|s| used.contains(&s.id))
        .cloned()
        .collect();
    let cited: Vec<&String> = scenario
        .local_services
        .iter()
        .flat_map(|s| &s.price.evidence.sources)
        .collect();
    scenario.local_sources = package
        .local_sources
        .iter()
        .filter(|s| cited.contains(&&s.id))
        .cloned()
        .collect();
    for (id, price) in &package.prices {
        if used.contains(id) {
            scenario.prices.insert(id.clone(), price.clone());
        }
    }
    for (id, committee) in &package.committees {
        if used.contains(id) {
            scenario.committees.insert(id.clone(), committee.clone());
        }
    }
    if scenario.discounting.is_none() {
        scenario.discounting = package.discounting.clone();
    }
}
