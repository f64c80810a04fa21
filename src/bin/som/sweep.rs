//! `som sweep`: a grid over a scenario's parameters.

use std::fs::File;
use std::io::{self, IsTerminal, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use som::analysis::{
    Baseline, Column, Sweep, SweepOptions, SweepSpec, sweep_columns_formatted, sweep_formatted,
    sweep_with,
};
use som::report::sweep::SweepWriter;

use crate::args::{FileFormat, ScenarioFile, knowledge_base, output_path};
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
Figures use the f64 fast path (agrees with the exact engine to 1e-9); with a
linear parameter (all but discount_rate, annual_decay, horizon_years) as the
last axis, each row goes through the closed form. A grid point whose figures
the exact engine could not represent (beyond ±7.9e28) refuses the sweep.
--columns npv gives only the NPV after the parameters; --format npy writes a
NumPy structured array: numpy.load(\"grid.npy\"), pandas.DataFrame(numpy.load(...)).
--format npy-grid writes the figures alone, shaped as the grid: one dimension
per axis in the spec's order (C order, the last axis fastest), each as long as
its values; numpy.load(\"grid.npy\")[\"npv\"][i, j, k] is the NPV at the first
axis's i-th value, the second's j-th, the third's k-th.

Examples:
  som sweep --spec examples/analysis/sweep-grid.json        the built-in example
  som sweep examples/housing-first.json --spec examples/analysis/sweep-grid.json --format jsonl > rows.jsonl
  som sweep --spec examples/analysis/sweep-grid.json --columns npv --format npy --output grid.npy
  som sweep --spec examples/analysis/sweep-grid.json --columns npv --format npy-grid --output npv.npy";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioFile,
    /// The grid, as JSON (see below).
    #[arg(long, value_name = "SPEC.json")]
    spec: PathBuf,
    /// Output format: CSV with a header row, one JSON object per line,
    /// a NumPy .npy file (a structured array, one f64 field per parameter
    /// and per column, one record per point), or npy-grid: a NumPy .npy
    /// structured array shaped as the grid, one f64 field per column.
    /// Without it, the output file's extension (.csv, .jsonl, .npy) names
    /// the format, else CSV.
    #[arg(long, value_enum)]
    format: Option<SweepFormat>,
    /// The figures after the parameter values: `all`, or a comma-separated
    /// list of npv, pv_gains, pv_costs, benefit_cost_ratio, break_even_year.
    /// Without break_even_year a sweep is O(1) per point.
    #[arg(long, default_value = "all", value_parser = Column::parse_list)]
    columns: std::vec::Vec<Column>,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// How a sweep's rows are written.
#[derive(Clone, Copy, ValueEnum)]
pub enum SweepFormat {
    Csv,
    Jsonl,
    Npy,
    NpyGrid,
}

impl SweepFormat {
    fn is_npy(self) -> bool {
        matches!(self, SweepFormat::Npy | SweepFormat::NpyGrid)
    }
}

impl FileFormat for SweepFormat {
    const DEFAULT: Self = SweepFormat::Csv;
    const HINT: &'static str =
        "add --format csv|jsonl|npy|npy-grid, or write to a .csv, .jsonl or .npy file";

    fn id(self) -> &'static str {
        match self {
            SweepFormat::Csv => "csv",
            SweepFormat::Jsonl => "jsonl",
            SweepFormat::Npy => "npy",
            SweepFormat::NpyGrid => "npy-grid",
        }
    }

    fn named_by(extension: &str) -> Option<Self> {
        match extension {
            "csv" => Some(SweepFormat::Csv),
            "jsonl" | "ndjson" => Some(SweepFormat::Jsonl),
            "npy" => Some(SweepFormat::Npy),
            _ => None,
        }
    }

    /// `npy-grid` goes in a `.npy` file too.
    fn fits(self, named: Self) -> bool {
        self.id() == named.id() || (self.is_npy() && named.is_npy())
    }
}

impl From<SweepFormat> for som::report::sweep::SweepFormat {
    fn from(format: SweepFormat) -> Self {
        match format {
            SweepFormat::Csv => Self::Csv,
            SweepFormat::Jsonl => Self::JsonLines,
            SweepFormat::Npy => Self::Npy,
            SweepFormat::NpyGrid => Self::NpyGrid,
        }
    }
}

/// Writes a sweep's rows in a format.
pub fn write(sweep: &Sweep, format: SweepFormat, out: impl Write) -> io::Result<()> {
    sweep.write(format.into(), out)
}

pub fn run(mut args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    args.output = output_path(args.output);
    let format = SweepFormat::choose(args.format, args.output.as_deref())?;
    if args.output.is_none() && format.is_npy() && io::stdout().is_terminal() {
        return Err(CliError::Usage(
            "--format npy and npy-grid are binary: give --output FILE.npy or redirect standard output",
        ));
    }
    let kb = knowledge_base(kb_dir)?;
    let base = Baseline::new(&args.scenario.read()?, &kb)?;
    let text = som::read_input(&args.spec)?;
    let spec = SweepSpec::from_json(&text, &args.spec.display().to_string(), base.model())?;
    let options = SweepOptions {
        columns: args.columns,
    };
    if let Some(path) = args.output {
        // Evaluated, formatted and written a window at a time: the file is
        // opened once the grid is known to be within the engine's range.
        let writer = SweepWriter::new(&spec, &options.columns, format.into());
        let failed = |source| CliError::WriteSweep {
            path: path.clone(),
            source,
        };
        let mut file = None;
        let write = |bytes: &[u8]| {
            let out = match &mut file {
                Some(out) => out,
                None => file.insert(SweepFile::open(&path, &writer, format).map_err(failed)?),
            };
            out.write(bytes).map_err(failed)
        };
        with_progress(spec.points() as u64, |progress| {
            // The NPV alone as `.npy` records from its column, which a
            // closed-form grid fills straight from each row's form; other
            // figures and text formats from each point's results (for
            // several figures the columns' extra copy cost more than it
            // saved: measured on a 10^6-point grid).
            match format.is_npy() && options.columns == [Column::Npv] {
                true => sweep_columns_formatted(
                    &base,
                    &spec,
                    &options,
                    progress,
                    &|first, figures, buf| writer.format_columns(first, figures, buf),
                    write,
                ),
                false => sweep_formatted(
                    &base,
                    &spec,
                    &options,
                    progress,
                    &|first, rows, buf| writer.format(first, rows, buf),
                    write,
                ),
            }
        })?;
        if let Some(out) = file {
            out.finish().map_err(failed)?;
        }
        return Ok(Outcome::nothing());
    }
    let sweep = with_progress(spec.points() as u64, |progress| {
        sweep_with(&base, &spec, &options, progress)
    })?;
    Ok(Outcome {
        body: Printed::Sweep(sweep, format),
        success: true,
    })
}

/// The file a sweep is written to.
///
/// A `.npy` file that already exists as a regular file is written over in
/// place and cut to its new length at the end, instead of being truncated
/// first: on this kind of file system, truncating a file of many megabytes
/// and writing it again costs several times the writing itself (the old
/// pages are freed and the new ones flushed when the file is closed). The
/// first bytes, NumPy's magic string, are written last, so a sweep stopped
/// half way leaves a file `numpy.load` refuses, never an old file's rows
/// mixed with new ones. Other formats, and other kinds of file (a pipe,
/// `/dev/stdout`), are created or truncated and written from the start.
struct SweepFile {
    file: File,
    /// Bytes written so far.
    length: u64,
    /// The magic string still to write over the start, when written in place.
    magic: Option<Vec<u8>>,
}

impl SweepFile {
    fn open(path: &Path, writer: &SweepWriter, format: SweepFormat) -> io::Result<SweepFile> {
        let mut header = Vec::new();
        writer.header(&mut header)?;
        let in_place = format.is_npy() && std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let (mut file, magic) = if in_place {
            let file = File::options().write(true).open(path)?;
            let magic = header[..6].to_vec();
            header[..6].fill(0);
            (file, Some(magic))
        } else {
            (File::create(path)?, None)
        };
        file.write_all(&header)?;
        Ok(SweepFile {
            file,
            length: header.len() as u64,
            magic,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.length += bytes.len() as u64;
        Ok(())
    }

    /// Cuts a file written in place to its length and writes its magic string.
    fn finish(mut self) -> io::Result<()> {
        if let Some(magic) = self.magic.take() {
            self.file.set_len(self.length)?;
            self.file.seek(SeekFrom::Start(0))?;
            self.file.write_all(&magic)?;
        }
        self.file.flush()
    }
}
