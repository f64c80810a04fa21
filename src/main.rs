//! `som`: the command line. It parses arguments, calls the library and
//! prints; errors go to stderr with a non-zero exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use som::analysis;
use som::report::chart::ChartKind;
use som::report::{self, Format, Lang};
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
        after_help = "Examples:\n  som run                                   the built-in Housing First example\n  som run examples/housing-first.json --format json\n  som run --lang da                         labels and numbers in Danish\n  som run examples/housing-first.json --output case.xlsx   the format from the extension\n  som run --format csv --lang da -o sag.csv   semicolons and decimal commas for Danish Excel\n  som --kb my-kb run my-scenario.json --format markdown"
    )]
    Run {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// Output format; without it, the one the --output file's extension
        /// names (.txt, .json, .csv, .md, .xlsx), else table.
        #[arg(long, value_enum)]
        format: Option<OutputFormat>,
        /// Write to this file instead of standard output; `-` is standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the labels and number formatting (table, markdown,
        /// csv, xlsx; JSON has none).
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Draw a chart of a business case as SVG.
    #[command(
        after_help = "Examples:\n  som chart --kind cumulative --output cumulative.svg\n  som chart examples/housing-first.json --kind flows --lang da --output flows.svg"
    )]
    Chart {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// Which chart: the cumulative discounted net with the break-even
        /// year, or costs and gains per year by payer.
        #[arg(long, value_enum, default_value_t = ChartChoice::Cumulative)]
        kind: ChartChoice,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the labels and numbers.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Write a business-case report: one self-contained, printable HTML page,
    /// or Markdown with its charts as SVG files beside it.
    #[command(
        after_help = "Examples:\n  som report --output case.html\n  som report examples/housing-first.json --lang da --output sag.html\n  som report --format markdown --output case.md   also writes case-cumulative.svg, case-flows.svg, case-tornado.svg"
    )]
    Report {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The file to write; `-` writes the HTML page to standard output.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// html: one self-contained page; markdown: a .md file and three SVG
        /// charts beside it. Without it, the one the file's extension names
        /// (.html, .htm, .md), else html.
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        /// Language of the labels and numbers.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Set business cases side by side, the best value of each figure marked.
    #[command(
        after_help = "Rows are the summary figures (participants, successes, PV of costs and gains, NPV per payer\nand in total, NPV per participant, benefit-cost ratio, break-even year, break-even success rate);\ncolumns are the scenarios. Cases that use different knowledge bases, price years or discount\nschedules are flagged as not comparable as they stand.\n\nExamples:\n  som compare examples/housing-first.json my-variant.json\n  som compare a.json b.json c.json --format markdown > comparison.md\n  som compare a.json b.json --format csv"
    )]
    Compare {
        /// One or more scenario files (JSON), one column each.
        #[arg(required = true, num_args = 1.., value_name = "SCENARIO.json")]
        scenarios: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
    },
    /// Compute one business case per CSV row: a scenario template with the row's values.
    #[command(after_help = BATCH_HELP)]
    Batch {
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
    },
    /// One-way sensitivity (tornado): NPV with each input moved by ± a range, with break-even figures.
    #[command(
        after_help = "Each input moves on its own by ± RANGE of its value: net success rate (p0 fixed),\ncompletion rate, each cost, each line's unit price, persistence decay, every year's\ndiscount rate; the horizon by round(H · (1 ± RANGE)) years, within 1..=100.\nEvery point is an exact Decimal evaluation.\n\nExamples:\n  som sensitivity                                 the built-in example, ± 20 %\n  som sensitivity examples/housing-first.json --range 0.1 --format json"
    )]
    Sensitivity {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The share every input moves by, between 0 and 1 (0.2 = ± 20 %).
        /// Without it, consequence lines move by their confidence grade's
        /// uncertainty (grade 1 ± 10 % ... grade 5 ± 50 %) and other inputs by ± 20 %.
        #[arg(long)]
        range: Option<rust_decimal::Decimal>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
        /// Also draw the tornado as SVG to this file.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// Language of the chart (--chart); the table and JSON are in English,
        /// so --lang without --chart is an error.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// A grid over scenario parameters: one row per point with NPV, BCR and break-even year.
    #[command(after_help = SWEEP_HELP)]
    Sweep {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
        /// The grid, as JSON (see below).
        #[arg(long, value_name = "SPEC.json")]
        spec: PathBuf,
        /// Output format: CSV with a header row, one JSON object per line, or
        /// a NumPy .npy file (a structured array, one f64 field per column).
        #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
        format: SweepFormat,
        /// The figures after the parameter values: `all`, or a comma-separated
        /// list of npv, pv_gains, pv_costs, benefit_cost_ratio, break_even_year.
        /// Without break_even_year a sweep is O(1) per point.
        #[arg(long, default_value = "all", value_parser = parse_columns)]
        columns: std::vec::Vec<analysis::Column>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Monte Carlo: distributions on uncertain inputs; NPV and BCR statistics and P(NPV > 0).
    #[command(after_help = SIMULATE_HELP)]
    Simulate {
        /// A scenario file (JSON); the built-in example when absent.
        scenario: Option<PathBuf>,
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
        /// Language of the chart (--chart); the table and JSON are in English,
        /// so --lang without --chart is an error.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Browse and validate the knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Serve business cases as a local HTTP JSON service until stopped.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Routes: POST /v1/business-case, POST /v1/sensitivity, GET /v1/knowledge-base, GET /v1/knowledge-base/{id}, GET /health.\nExample:\n  som serve &\n  curl -d @examples/housing-first.json http://127.0.0.1:8787/v1/business-case"
    )]
    Serve {
        /// The address to listen on; port 0 picks a free port. There is no
        /// authentication: keep it on a loopback address.
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: std::net::SocketAddr,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = som::serve::DEFAULT_BODY_LIMIT)]
        body_limit: usize,
        /// The time limit for one request, in seconds.
        #[arg(long, default_value_t = som::serve::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
        /// The time a client has to send a request's headers, in seconds;
        /// idle connections are closed after as long.
        #[arg(long, default_value_t = som::serve::DEFAULT_HEADER_TIMEOUT.as_secs(),
              value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout: u64,
        /// The most calculations running at once [default: 4 per processor].
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        max_calculations: Option<u64>,
        /// The most connections open at once.
        #[arg(long, default_value_t = som::serve::DEFAULT_MAX_CONNECTIONS as u64,
              value_parser = clap::value_parser!(u64).range(1..))]
        max_connections: u64,
        /// After SIGTERM or Ctrl-C, the seconds requests in flight get to finish.
        #[arg(long, default_value_t = som::serve::DEFAULT_SHUTDOWN_GRACE.as_secs())]
        shutdown_grace: u64,
    },
}

const BATCH_HELP: &str = "\
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
  som batch template.json rows.csv --format json --out-dir cases/   one JSON file per row too";

#[derive(Subcommand)]
enum KbCommand {
    /// List every id by kind, with its name.
    List {
        /// A readable list, or JSON (kind, id and name in both languages).
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
        /// Language of the names and headings (table).
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
    },
    /// Show one record by id: a readable sheet, or the record as JSON.
    ///
    /// A target group's sheet has its success measures, every consequence
    /// line with its service's price for each payer, the effect studies, the
    /// evidence of every figure and the sources cited.
    #[command(
        after_help = "Examples:\n  som kb show homeless-adults\n  som kb show homeless-adults --lang da\n  som kb show shelter-day --format json"
    )]
    Show {
        /// A target group, service, effect, discount schedule, area, source or price index id.
        id: String,
        /// A readable sheet, or the record as it stands in its file (JSON).
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
        /// Language of the sheet's labels and number formatting.
        #[arg(long, value_enum, default_value_t = OutputLang::En)]
        lang: OutputLang,
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
Figures use the f64 fast path (agrees with the exact engine to 1e-9); with a
linear parameter (all but discount_rate, annual_decay, horizon_years) as the
last axis, each row goes through the closed form. A grid point whose figures
the exact engine could not represent (beyond ±7.9e28) refuses the sweep.
--columns npv gives only the NPV after the parameters; --format npy writes a
NumPy structured array: numpy.load(\"grid.npy\"), pandas.DataFrame(numpy.load(...)).

Examples:
  som sweep --spec examples/analysis/sweep-grid.json        the built-in example
  som sweep examples/housing-first.json --spec examples/analysis/sweep-grid.json --format jsonl > rows.jsonl
  som sweep --spec examples/analysis/sweep-grid.json --columns npv --format npy --output grid.npy";

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
  som simulate --spec examples/analysis/simulate-inputs.json --draws 100000 --seed 7
  som simulate examples/housing-first.json --spec examples/analysis/simulate-inputs.json --format json --every-draw draws.csv";

#[derive(Clone, Copy, ValueEnum)]
enum SweepFormat {
    Csv,
    Jsonl,
    Npy,
}

fn parse_columns(text: &str) -> Result<Vec<analysis::Column>, String> {
    analysis::Column::parse_list(text)
}

#[derive(Clone, Copy, ValueEnum)]
enum AnalysisFormat {
    Table,
    Json,
}

/// The formats of `som compare` and `som batch`: text only.
#[derive(Clone, Copy, ValueEnum)]
enum TextFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// An Excel workbook; needs --output.
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Html,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChartChoice {
    Cumulative,
    Flows,
}

impl From<ChartChoice> for ChartKind {
    fn from(c: ChartChoice) -> ChartKind {
        match c {
            ChartChoice::Cumulative => ChartKind::Cumulative,
            ChartChoice::Flows => ChartKind::Flows,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputLang {
    En,
    Da,
}

impl From<OutputLang> for Lang {
    fn from(l: OutputLang) -> Lang {
        match l {
            OutputLang::En => Lang::En,
            OutputLang::Da => Lang::Da,
        }
    }
}

impl OutputFormat {
    /// The name on the command line.
    fn id(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Csv => "csv",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Xlsx => "xlsx",
        }
    }

    /// The text format, or none for the binary xlsx.
    fn text(self) -> Option<Format> {
        match self {
            OutputFormat::Table => Some(Format::Table),
            OutputFormat::Json => Some(Format::Json),
            OutputFormat::Csv => Some(Format::Csv),
            OutputFormat::Markdown => Some(Format::Markdown),
            OutputFormat::Xlsx => None,
        }
    }
}

/// What a command prints, and whether it succeeded; a batch prints its
/// good rows even when others failed.
struct Outcome {
    body: Printed,
    success: bool,
}

impl From<String> for Outcome {
    fn from(text: String) -> Outcome {
        Outcome {
            body: Printed::Text(text),
            success: true,
        }
    }
}

/// What a command prints on success.
enum Printed {
    Text(String),
    Bytes(Vec<u8>),
    Batch(som::batch::Report, Format),
    Sweep(analysis::Sweep, SweepFormat),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = run(cli).and_then(|Outcome { body, success }| {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        match body {
            Printed::Text(text) => out.write_all(text.as_bytes()),
            Printed::Bytes(bytes) => out.write_all(&bytes),
            Printed::Batch(batch, format) => report::write_batch_report(&batch, format, &mut out),
            Printed::Sweep(sweep, format) => write_sweep(&sweep, format, &mut out),
        }
        .and_then(|()| out.flush())
        .map(|()| success)
        .map_err(|e| format!("writing the output: {e}"))
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads an analysis spec file, with the file named in any error.
fn read_spec(path: &Path) -> Result<String, String> {
    som::read_input(path).map_err(|p| p.to_string())
}

fn knowledge_base(
    dir: Option<&PathBuf>,
) -> Result<std::borrow::Cow<'static, KnowledgeBase>, String> {
    match dir {
        Some(dir) => KnowledgeBase::load(dir)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| e.to_string()),
        None => KnowledgeBase::try_embedded()
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| e.to_string()),
    }
}

fn run(cli: Cli) -> Result<Outcome, String> {
    match cli.command {
        Command::Batch {
            template,
            rows,
            format,
            out_dir,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let template = Scenario::from_file(&template).map_err(|e| e.to_string())?;
            let file = som::batch::read_rows(&rows).map_err(|p| {
                format!(
                    "{}: cannot read the rows: expected {}, found {}",
                    p.file, p.expected, p.found
                )
            })?;
            if let Some(encoding) = file.transcoded_from {
                eprintln!(
                    "warning: {}: not UTF-8; read as {encoding} (a spreadsheet's plain CSV). Save as \"CSV UTF-8\" to be sure of æ, ø and å",
                    rows.display()
                );
            }
            let format = Format::from(format);
            if let Some(dir) = &out_dir {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("{}: cannot create the directory: {e}", dir.display()))?;
            }
            // Rows are evaluated, reported and written one at a time; only
            // their summary figures are kept for the tables at the end.
            let (header_problems, outcomes) = som::batch::rows(&template, &file.text, &kb);
            for problem in &header_problems {
                eprintln!("error: {}: {problem}", rows.display());
            }
            let mut batch = som::batch::Report::new(header_problems);
            for outcome in outcomes {
                match &outcome.result {
                    Ok(case) => {
                        if let Some(dir) = &out_dir {
                            write_case(case, outcome.row, dir, format)?;
                        }
                    }
                    Err(problems) => {
                        for problem in problems {
                            eprintln!("error: {}: {problem}", rows.display());
                        }
                    }
                }
                batch.push(&outcome);
            }
            for warning in batch.comparison().warnings() {
                eprintln!("warning: {warning}");
            }
            let success = batch.is_ok();
            Ok(Outcome {
                body: Printed::Batch(batch, format),
                success,
            })
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            addr,
            body_limit,
            timeout,
            header_timeout,
            max_calculations,
            max_connections,
            shutdown_grace,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?.into_owned();
            let seconds = std::time::Duration::from_secs;
            let options = som::serve::Options {
                body_limit,
                timeout: seconds(timeout),
                header_timeout: seconds(header_timeout),
                max_calculations: max_calculations
                    .map_or_else(som::serve::default_max_calculations, |n| {
                        usize::try_from(n).unwrap_or(usize::MAX)
                    }),
                max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
                shutdown_grace: seconds(shutdown_grace),
                ..som::serve::Options::new(kb)
            };
            if !addr.ip().is_loopback() {
                eprintln!(
                    "warning: listening on {addr}, not a loopback address: the service has no authentication and no TLS"
                );
            }
            som::serve::run(addr, options, |bound| {
                use std::io::Write;
                // The first line tells scripts and tests which port was picked.
                println!("som serve: listening on http://{bound}");
                let _ = std::io::stdout().flush();
            })
            .map_err(|e| format!("serving on {addr}: {e}"))?;
            eprintln!("som serve: stopped");
            Ok(Outcome::from(String::new()))
        }
        Command::Run {
            scenario,
            format,
            output,
            lang,
        } => {
            let to_stdout = output.as_ref().is_some_and(|p| p.as_os_str() == "-");
            let output = output.filter(|p| p.as_os_str() != "-");
            let format = output_format(format, output.as_deref())?;
            if matches!(format, OutputFormat::Xlsx) && output.is_none() && !to_stdout {
                return Err(
                    "--format xlsx writes a binary workbook: add --output FILE.xlsx (or -o - to send it to standard output)"
                        .to_owned(),
                );
            }
            let lang = Lang::from(lang);
            no_language_in_json(matches!(format, OutputFormat::Json), lang)?;
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let Some(text_format) = format.text() else {
                // `-o -`: the workbook's bytes on standard output.
                let bytes =
                    report::xlsx::render(&scenario, &kb, lang).map_err(|e| e.to_string())?;
                return match output {
                    Some(path) => write_file(&path, &bytes).map(Outcome::from),
                    None => Ok(Outcome {
                        body: Printed::Bytes(bytes),
                        success: true,
                    }),
                };
            };
            let case = som::evaluate(&scenario, &kb).map_err(|e| e.to_string())?;
            let text = report::render_in(&case, text_format, lang, Some(&kb))
                .map_err(|e| e.to_string())?;
            match output {
                None => Ok(Outcome::from(text)),
                Some(path) => write_file(&path, text.as_bytes()).map(Outcome::from),
            }
        }
        Command::Chart {
            scenario,
            kind,
            output,
            lang,
        } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let case = business_case(scenario, &kb)?;
            let svg = report::chart::render(&case, kind.into(), lang.into());
            match output.filter(|p| p.as_os_str() != "-") {
                Some(path) => write_file(&path, svg.as_bytes()).map(Outcome::from),
                None => Ok(svg.into()),
            }
        }
        Command::Report {
            scenario,
            output,
            format,
            lang,
        } => {
            let format = report_format(format, &output)?;
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let case = som::evaluate(&scenario, &kb).map_err(|e| e.to_string())?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let tornado = analysis::sensitivity_by_grade(
                &base,
                rust_decimal::Decimal::new(2, 1),
                kb.evidence_scale(),
            )
            .map_err(|e| e.to_string())?;
            let written = match format {
                ReportFormat::Html => {
                    let page =
                        report::html::render_with_sensitivity(&case, lang.into(), &kb, &tornado);
                    if output.as_os_str() == "-" {
                        return Ok(Outcome::from(page));
                    }
                    write_file(&output, page.as_bytes())
                }
                ReportFormat::Markdown => report::markdown::write_report_with_sensitivity(
                    &case,
                    lang.into(),
                    &kb,
                    &tornado,
                    &output,
                )
                .map(|_| String::new())
                .map_err(|e| format!("could not write the report {}: {e}", output.display())),
            };
            written.map(Outcome::from)
        }
        Command::Compare { scenarios, format } => {
            let kb = knowledge_base(cli.kb.as_ref())?;
            let mut cases = Vec::with_capacity(scenarios.len());
            for path in scenarios {
                let scenario = Scenario::from_file(&path).map_err(|e| e.to_string())?;
                let case = som::evaluate(&scenario, &kb)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                cases.push(case);
            }
            let comparison = som::Comparison::of(&cases);
            for warning in comparison.warnings() {
                eprintln!("warning: {warning}");
            }
            Ok(report::render_comparison(&comparison, format.into()).into())
        }
        Command::Kb { command } => kb_command(command, cli.kb.as_ref()).map(Outcome::from),
        Command::Sensitivity {
            scenario,
            range,
            format,
            chart,
            lang,
        } => {
            chart_language(chart.is_some(), lang.into())?;
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let tornado = match range {
                Some(range) => analysis::sensitivity(&base, range),
                None => analysis::sensitivity_by_grade(
                    &base,
                    rust_decimal::Decimal::new(2, 1),
                    kb.evidence_scale(),
                ),
            }
            .map_err(|e| e.to_string())?;
            if let Some(path) = chart {
                write_file(
                    &path,
                    report::chart::tornado(&tornado, lang.into(), Some(&kb)).as_bytes(),
                )?;
            }
            let break_even = analysis::break_even(base.model()).map_err(|e| e.to_string())?;
            Ok(Outcome::from(match format {
                AnalysisFormat::Table => {
                    format!(
                        "{}\n{}",
                        som::report::sensitivity::tornado_table(&tornado),
                        som::report::sensitivity::break_even_text(&break_even)
                    )
                }
                AnalysisFormat::Json => {
                    let mut json = som::report::sensitivity::tornado_json(&tornado);
                    json["break_even"] =
                        serde_json::to_value(&break_even).map_err(|e| e.to_string())?;
                    format!("{json:#}\n")
                }
            }))
        }
        Command::Sweep {
            scenario,
            spec,
            format,
            columns,
            output,
        } => {
            if output.is_none()
                && matches!(format, SweepFormat::Npy)
                && std::io::stdout().is_terminal()
            {
                return Err(
                    "--format npy is binary: give --output FILE.npy or redirect standard output"
                        .to_owned(),
                );
            }
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let text = read_spec(&spec)?;
            let spec =
                analysis::SweepSpec::from_json(&text, &spec.display().to_string(), base.model())
                    .map_err(|e| e.to_string())?;
            let bar = progress_bar(spec.points() as u64);
            let options = analysis::SweepOptions { columns };
            let sweep = analysis::sweep_with(&base, &spec, &options, &|n| {
                if let Some(bar) = &bar {
                    bar.inc(n);
                }
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let sweep = sweep.map_err(|e| e.to_string())?;
            if let Some(path) = output {
                let written = std::fs::File::create(&path).and_then(|f| {
                    write_sweep(
                        &sweep,
                        format,
                        std::io::BufWriter::with_capacity(1 << 20, f),
                    )
                });
                written.map_err(|e| format!("{}: cannot write the sweep: {e}", path.display()))?;
                return Ok(Outcome::from(String::new()));
            }
            Ok(Outcome {
                body: Printed::Sweep(sweep, format),
                success: true,
            })
        }
        Command::Simulate {
            scenario,
            spec,
            grade_defaults,
            draws,
            seed,
            every_draw,
            format,
            chart,
            lang,
        } => {
            chart_language(chart.is_some(), lang.into())?;
            let kb = knowledge_base(cli.kb.as_ref())?;
            let scenario = read_scenario(scenario)?;
            let base = analysis::Baseline::new(&scenario, &kb).map_err(|e| e.to_string())?;
            let mut spec = match spec {
                Some(path) => analysis::SimulationSpec::from_json(
                    &read_spec(&path)?,
                    &path.display().to_string(),
                    base.model(),
                )
                .map_err(|e| e.to_string())?,
                None => analysis::SimulationSpec::default(),
            };
            if grade_defaults {
                spec = spec.with_grade_defaults(base.model(), kb.evidence_scale());
            }
            if spec.inputs.is_empty() {
                return Err("nothing is uncertain: the spec names no input and no consequence line has a grade".to_owned());
            }
            let options = analysis::SimulationOptions {
                draws,
                seed,
                keep_draws: every_draw.is_some() || chart.is_some(),
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
            if let Some(path) = chart {
                write_file(
                    &path,
                    report::chart::npv_distribution(&sim, lang.into()).as_bytes(),
                )?;
            }
            if let Some(path) = every_draw {
                let written = std::fs::File::create(&path).and_then(|f| {
                    let mut out = std::io::BufWriter::new(f);
                    sim.write_draws_csv(&mut out)?;
                    out.flush()
                });
                written.map_err(|e| format!("{}: cannot write the draws: {e}", path.display()))?;
            }
            Ok(Outcome::from(match format {
                AnalysisFormat::Table => sim.to_text(),
                AnalysisFormat::Json => format!("{:#}\n", sim.to_json()),
            }))
        }
    }
}

fn write_sweep(
    sweep: &analysis::Sweep,
    format: SweepFormat,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        SweepFormat::Csv => sweep.write_csv(out),
        SweepFormat::Jsonl => sweep.write_json_lines(out),
        SweepFormat::Npy => sweep.write_npy(out),
    }
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

fn kb_command(command: KbCommand, kb_dir: Option<&PathBuf>) -> Result<String, String> {
    match command {
        KbCommand::List { format, lang } => {
            let lang = Lang::from(lang);
            no_language_in_json(matches!(format, AnalysisFormat::Json), lang)?;
            let kb = knowledge_base(kb_dir)?;
            Ok(match format {
                AnalysisFormat::Table => report::sheet::list(&kb, lang),
                AnalysisFormat::Json => format!("{:#}\n", som::api::kb_list_json(&kb)),
            })
        }
        KbCommand::Show { id, format, lang } => {
            no_language_in_json(matches!(format, AnalysisFormat::Json), lang.into())?;
            let kb = knowledge_base(kb_dir)?;
            match format {
                AnalysisFormat::Table => report::sheet::render(&kb, &id, lang.into()),
                AnalysisFormat::Json => som::knowledge_base::show(&kb, &id),
            }
            .map_err(|e| e.to_string())
        }
        KbCommand::Validate { dir } => {
            let kb = knowledge_base(dir.as_ref().or(kb_dir))?;
            Ok(som::knowledge_base::summary(&kb))
        }
    }
}

/// Writes each computed row's business case to `dir/row-<row>.<ext>`.
/// Writes one batch row's business case to `DIR/row-N.EXT`.
fn write_case(
    case: &som::BusinessCase,
    row: usize,
    dir: &std::path::Path,
    format: Format,
) -> Result<(), String> {
    let ext = match format {
        Format::Table => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Markdown => "md",
    };
    let text = report::render(case, format).map_err(|e| e.to_string())?;
    let path = dir.join(format!("row-{row}.{ext}"));
    std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// The format `som run` writes: `--format`, else the one the output file's
/// extension names, else a table; a `--format` that contradicts the
/// extension is an error, as is an extension that names no format.
fn output_format(
    format: Option<OutputFormat>,
    output: Option<&Path>,
) -> Result<OutputFormat, String> {
    let extension = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_lowercase());
    let named = match extension.as_deref() {
        None => None,
        Some("txt") => Some(OutputFormat::Table),
        Some("json") => Some(OutputFormat::Json),
        Some("csv") => Some(OutputFormat::Csv),
        Some("md") | Some("markdown") => Some(OutputFormat::Markdown),
        Some("xlsx") => Some(OutputFormat::Xlsx),
        Some(other) if format.is_none() => {
            return Err(format!(
                "cannot tell the format from the extension `.{other}`: add --format table|json|csv|markdown|xlsx, or write to a .txt, .json, .csv, .md or .xlsx file"
            ));
        }
        Some(_) => None,
    };
    match (format, named) {
        (Some(f), Some(n)) if f != n => Err(format!(
            "--format {} does not match the output file's extension `.{}` ({}): change one of them",
            f.id(),
            extension.unwrap_or_default(),
            n.id()
        )),
        (Some(f), _) => Ok(f),
        (None, Some(n)) => Ok(n),
        (None, None) => Ok(OutputFormat::Table),
    }
}

/// The format `som report` writes: `--format`, else the one the file's
/// extension names, else HTML; a contradiction is an error.
fn report_format(format: Option<ReportFormat>, output: &Path) -> Result<ReportFormat, String> {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let named = match extension.as_deref() {
        Some("html") | Some("htm") => Some(ReportFormat::Html),
        Some("md") | Some("markdown") => Some(ReportFormat::Markdown),
        _ => None,
    };
    match (format, named) {
        (Some(f), Some(n)) if f != n => Err(format!(
            "--format {} does not match the output file's extension `.{}`: change one of them",
            match f {
                ReportFormat::Html => "html",
                ReportFormat::Markdown => "markdown",
            },
            extension.unwrap_or_default()
        )),
        (Some(ReportFormat::Markdown), _) if output.as_os_str() == "-" => Err(
            "--format markdown writes a .md file and SVG charts beside it: give --output FILE.md"
                .to_owned(),
        ),
        (Some(f), _) => Ok(f),
        (None, Some(n)) => Ok(n),
        (None, None) => Ok(ReportFormat::Html),
    }
}

/// `--lang da` with JSON output is an error, not silently ignored: JSON's
/// keys and numbers are for programs and have no language.
fn no_language_in_json(json: bool, lang: Lang) -> Result<(), String> {
    if json && lang != Lang::En {
        Err(format!(
            "--lang {lang} does not apply to JSON, whose keys and numbers are for programs: leave out --lang, or choose a format for people"
        ))
    } else {
        Ok(())
    }
}

/// `--lang` of `som sensitivity` and `som simulate` names the chart's
/// language; without `--chart` it would do nothing, so it is an error.
fn chart_language(chart: bool, lang: Lang) -> Result<(), String> {
    if !chart && lang != Lang::En {
        Err(format!(
            "--lang {lang} sets the language of the chart: add --chart FILE.svg (the table and JSON are in English)"
        ))
    } else {
        Ok(())
    }
}

impl From<TextFormat> for Format {
    fn from(f: TextFormat) -> Format {
        match f {
            TextFormat::Table => Format::Table,
            TextFormat::Json => Format::Json,
            TextFormat::Csv => Format::Csv,
            TextFormat::Markdown => Format::Markdown,
        }
    }
}

fn business_case(
    scenario: Option<PathBuf>,
    kb: &KnowledgeBase,
) -> Result<som::BusinessCase, String> {
    som::evaluate(&read_scenario(scenario)?, kb).map_err(|e| e.to_string())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<String, String> {
    std::fs::write(path, bytes)
        .map(|()| String::new())
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}
