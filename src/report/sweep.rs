//! A sweep's rows as CSV, JSON lines or a NumPy `.npy` file.
//!
//! Rows are formatted in parallel, in blocks, and written in grid order. The
//! parameter values are the spec's exact decimals (formatted once per axis
//! value); figures come from the f64 fast path: in CSV kroner with 2 decimals
//! and ratios with 6 ([`numbers::write_fixed`], the same bytes as `{:.2}`),
//! in JSON the shortest decimal that reads back as the same f64.

use std::io::{self, Write};

use rayon::prelude::*;

use super::numbers;
use crate::analysis::sweep::{Column, Sweep, SweepResult, SweepSpec};

/// Rows formatted per parallel task.
const BLOCK: usize = 16_384;

/// The formats a sweep's rows are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    /// CSV with a header row ([`Sweep::write_csv`]).
    Csv,
    /// One JSON object per line ([`Sweep::write_json_lines`]).
    JsonLines,
    /// A NumPy `.npy` structured array ([`Sweep::write_npy`]).
    Npy,
    /// A NumPy `.npy` structured array shaped as the grid, of the figures
    /// alone ([`Sweep::write_npy_grid`]).
    NpyGrid,
}

/// Writes a sweep's rows in one format, a window of rows at a time: the
/// header once ([`SweepWriter::header`]), then each window in grid order
/// ([`SweepWriter::rows`]), so a sweep evaluated window by window
/// ([`crate::analysis::sweep::sweep_in_windows`]) is written without ever
/// holding all its results.
///
/// ```
/// use som::analysis::{sweep::{sweep_in_windows, SweepOptions}, Baseline, SweepSpec, sweep};
/// use som::report::sweep::{SweepFormat, SweepWriter};
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "success_rate", "from": 0.3, "to": 0.5, "step": 0.01},
///     {"name": "cost:Support", "from": 40000, "to": 80000, "step": 100}]}"#,
///     "spec.json", base.model()).unwrap();
/// let options = SweepOptions::default();
/// let writer = SweepWriter::new(&spec, &options.columns, SweepFormat::Csv);
/// // What can go wrong: the sweep, or writing it.
/// #[derive(Debug)]
/// enum Failed { Sweep(som::analysis::AnalysisError), Write(std::io::Error) }
/// impl From<som::analysis::AnalysisError> for Failed {
///     fn from(e: som::analysis::AnalysisError) -> Failed { Failed::Sweep(e) }
/// }
/// let mut csv = Vec::new();
/// writer.header(&mut csv).unwrap();
/// sweep_in_windows(&base, &spec, &options, &|_| {}, |first, rows| {
///     writer.rows(first, rows, &mut csv).map_err(Failed::Write)
/// }).unwrap();
/// let mut whole = Vec::new();
/// sweep(&base, &spec).unwrap().write_csv(&mut whole).unwrap();
/// assert_eq!(csv, whole);
/// ```
pub struct SweepWriter<'a> {
    spec: &'a SweepSpec,
    columns: &'a [Column],
    format: SweepFormat,
    /// Per axis, per value: the bytes written for it in a row (text formats).
    values: Vec<Vec<Vec<u8>>>,
    /// Per axis, per value: its little-endian f64 (`.npy`).
    npy_values: Vec<Vec<[u8; 8]>>,
    /// The number of values of each axis.
    lengths: Vec<usize>,
    /// JSON lines: `,"<column>":` per column.
    names: Vec<String>,
}

impl<'a> SweepWriter<'a> {
    /// A writer of the grid's rows with these columns in this format; each
    /// axis value is formatted here, once, not once per point.
    pub fn new(spec: &'a SweepSpec, columns: &'a [Column], format: SweepFormat) -> SweepWriter<'a> {
        let texts = |wrap: &dyn Fn(usize, &str) -> Vec<u8>| -> Vec<Vec<Vec<u8>>> {
            spec.axes
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    a.values
                        .iter()
                        .map(|v| wrap(i, &v.normalize().to_string()))
                        .collect()
                })
                .collect()
        };
        let values = match format {
            SweepFormat::Csv => texts(&|_, v| format!("{v},").into_bytes()),
            SweepFormat::JsonLines => texts(&|i, v| {
                let open = if i == 0 { "{" } else { "," };
                format!(
                    "{open}{}:{}",
                    json_string(&spec.axes[i].name),
                    json_string(v)
                )
                .into_bytes()
            }),
            SweepFormat::Npy | SweepFormat::NpyGrid => Vec::new(),
        };
        // The nearest f64 to the exact value (Rust's parsing rounds
        // correctly): 0.3 is Python's 0.3.
        let npy_values = match format {
            SweepFormat::Npy => spec
                .axes
                .iter()
                .map(|a| {
                    a.values
                        .iter()
                        .map(|v| {
                            let text = v.normalize().to_string();
                            text.parse::<f64>().unwrap_or(f64::NAN).to_le_bytes()
                        })
                        .collect()
                })
                .collect(),
            _ => Vec::new(),
        };
        SweepWriter {
            spec,
            columns,
            format,
            values,
            npy_values,
            lengths: spec.axes.iter().map(|a| a.values.len()).collect(),
            names: columns
                .iter()
                .map(|c| format!(",\"{}\":", c.name()))
                .collect(),
        }
    }

    /// Writes what comes before the first row: CSV's header row, the `.npy`
    /// header (its shape is the whole grid: the number of points, or the
    /// axes' lengths for [`SweepFormat::NpyGrid`]); nothing for JSON lines.
    pub fn header(&self, mut out: impl Write) -> io::Result<()> {
        match self.format {
            SweepFormat::Csv => {
                let mut header: Vec<String> =
                    self.spec.axes.iter().map(|a| csv_field(&a.name)).collect();
                header.extend(self.columns.iter().map(|c| c.name().to_owned()));
                writeln!(out, "{}", header.join(","))
            }
            SweepFormat::JsonLines => Ok(()),
            SweepFormat::Npy | SweepFormat::NpyGrid => {
                let grid = self.format == SweepFormat::NpyGrid;
                let mut fields: Vec<String> = match grid {
                    true => Vec::new(),
                    false => self
                        .spec
                        .axes
                        .iter()
                        .map(|a| format!("({}, '<f8')", python_string(&a.name)))
                        .collect(),
                };
                fields.extend(
                    self.columns
                        .iter()
                        .map(|c| format!("('{}', '<f8')", c.name())),
                );
                // A Python tuple: `(n,)` for one dimension.
                let shape = match grid {
                    true => self.lengths.iter().map(usize::to_string).collect(),
                    false => vec![self.spec.points().to_string()],
                };
                let shape = match shape.len() {
                    1 => format!("({},)", shape[0]),
                    _ => format!("({})", shape.join(", ")),
                };
                let dict = format!(
                    "{{'descr': [{}], 'fortran_order': False, 'shape': {shape}, }}",
                    fields.join(", "),
                );
                out.write_all(&npy_header(&dict))
            }
        }
    }

    /// Writes the rows of the points from grid index `first` on, formatted
    /// in parallel blocks and written in order.
    pub fn rows(&self, first: usize, rows: &[SweepResult], mut out: impl Write) -> io::Result<()> {
        let window = BLOCK * 4 * rayon::current_num_threads().max(1);
        for (w, rows) in rows.chunks(window).enumerate() {
            let blocks: Vec<Vec<u8>> = rows
                .par_chunks(BLOCK)
                .enumerate()
                .map(|(b, block)| {
                    let mut buf = Vec::with_capacity(block.len() * 64);
                    self.format(first + w * window + b * BLOCK, block, &mut buf);
                    buf
                })
                .collect();
            for b in blocks {
                out.write_all(&b)?;
            }
        }
        Ok(())
    }

    /// Replaces the contents of `buf` with the rows of the points from grid
    /// index `first` on: the formatter
    /// [`crate::analysis::sweep::sweep_formatted`] takes. `.npy` records
    /// are written over the buffer's old bytes in place.
    pub fn format(&self, first: usize, rows: &[SweepResult], buf: &mut Vec<u8>) {
        if !self.is_npy() {
            buf.clear();
        }
        let odometer = || Odometer {
            idx: self.indices(first),
            lengths: &self.lengths,
        };
        match self.format {
            SweepFormat::Csv => self.csv_rows(&mut odometer(), rows, buf),
            SweepFormat::JsonLines => self.json_rows(&mut odometer(), rows, buf),
            SweepFormat::Npy | SweepFormat::NpyGrid => {
                self.npy_rows(first, rows.len(), Figures::Results(rows), buf);
            }
        }
    }

    /// Replaces the contents of `buf` with the `.npy` records of the points
    /// from grid index `first` on, from one column per figure (NaN where
    /// undefined): the formatter
    /// [`crate::analysis::sweep::sweep_columns_formatted`] takes, for
    /// [`SweepFormat::Npy`] and [`SweepFormat::NpyGrid`] (the same bytes as
    /// [`SweepWriter::format`] gives from the points' results); the text
    /// formats need the results ([`SweepWriter::format`]) and leave the
    /// buffer empty.
    pub fn format_columns(&self, first: usize, figures: &[&[f64]], buf: &mut Vec<u8>) {
        let points = figures.first().map_or(0, |c| c.len());
        match self.is_npy() {
            true => self.npy_rows(first, points, Figures::Columns(figures), buf),
            false => buf.clear(),
        }
    }

    fn is_npy(&self) -> bool {
        matches!(self.format, SweepFormat::Npy | SweepFormat::NpyGrid)
    }

    fn csv_rows(&self, odometer: &mut Odometer, rows: &[SweepResult], buf: &mut Vec<u8>) {
        for r in rows {
            odometer.each(|axis, j| buf.extend_from_slice(&self.values[axis][j]));
            if self.columns.is_empty() {
                buf.pop(); // the comma after the last value
            }
            for (k, c) in self.columns.iter().enumerate() {
                if k > 0 {
                    buf.push(b',');
                }
                match c {
                    Column::Npv => numbers::write_fixed(buf, r.npv, 2),
                    Column::PvGains => numbers::write_fixed(buf, r.pv_gains, 2),
                    Column::PvCosts => numbers::write_fixed(buf, r.pv_costs, 2),
                    Column::BenefitCostRatio => {
                        if let Some(b) = r.benefit_cost_ratio {
                            numbers::write_fixed(buf, b, 6);
                        }
                    }
                    Column::BreakEvenYear => {
                        if let Some(y) = r.break_even_year {
                            numbers::write_integer(buf, y);
                        }
                    }
                }
            }
            buf.push(b'\n');
        }
    }

    fn json_rows(&self, odometer: &mut Odometer, rows: &[SweepResult], buf: &mut Vec<u8>) {
        for r in rows {
            odometer.each(|axis, j| buf.extend_from_slice(&self.values[axis][j]));
            for (c, name) in self.columns.iter().zip(&self.names) {
                buf.extend_from_slice(name.as_bytes());
                let figure = match c {
                    Column::Npv => Some(r.npv),
                    Column::PvGains => Some(r.pv_gains),
                    Column::PvCosts => Some(r.pv_costs),
                    Column::BenefitCostRatio => r.benefit_cost_ratio,
                    Column::BreakEvenYear => {
                        match r.break_even_year {
                            Some(y) => numbers::write_integer(buf, y),
                            None => buf.extend_from_slice(b"null"),
                        }
                        continue;
                    }
                };
                match figure.filter(|v| v.is_finite()) {
                    Some(v) => numbers::write_shortest(buf, v),
                    None => buf.extend_from_slice(b"null"),
                }
            }
            buf.extend_from_slice(b"}\n");
        }
    }

    fn npy_rows(&self, first: usize, points: usize, figures: Figures, buf: &mut Vec<u8>) {
        // Fixed-size records written into place a field at a time over a
        // run of points that differ only in the last axis: each field is
        // one tight loop, and the other axes' values are looked up once a run.
        let axes = self.npy_values.len();
        let record = 8 * (axes + self.columns.len());
        // Of the same length as the last block's, no byte is cleared first.
        buf.resize(points * record, 0);
        let out = &mut buf[..];
        if self.format == SweepFormat::NpyGrid {
            // The figures alone, in grid order.
            for (k, c) in self.columns.iter().enumerate() {
                figures.write(k, *c, 0..points, out, record, k);
            }
            return;
        }
        let mut idx = self.indices(first);
        let last = axes - 1;
        let mut done = 0;
        while done < points {
            let n = (self.lengths[last] - idx[last]).min(points - done);
            let run = &mut out[done * record..(done + n) * record];
            for (a, j) in idx[..last].iter().enumerate() {
                let value = self.npy_values[a][*j];
                npy_field(run, record, a, std::iter::repeat(value));
            }
            npy_field(
                run,
                record,
                last,
                self.npy_values[last][idx[last]..].iter().copied(),
            );
            for (k, c) in self.columns.iter().enumerate() {
                figures.write(k, *c, done..done + n, run, record, axes + k);
            }
            // The next run: a new row, the axes before the last stepped on.
            done += n;
            idx[last] += n;
            if idx[last] == self.lengths[last] {
                idx[last] = 0;
                for a in (0..last).rev() {
                    idx[a] += 1;
                    if idx[a] < self.lengths[a] {
                        break;
                    }
                    idx[a] = 0;
                }
            }
        }
    }

    /// The value index on each axis of the point with this grid index.
    fn indices(&self, mut index: usize) -> Vec<usize> {
        let mut idx = vec![0; self.spec.axes.len()];
        for (axis, slot) in self.spec.axes.iter().zip(idx.iter_mut()).rev() {
            *slot = index % axis.values.len();
            index /= axis.values.len();
        }
        idx
    }
}

impl Sweep {
    /// Writes one CSV row per point: the parameter values, then the chosen
    /// columns: `npv`, `pv_gains`, `pv_costs` (kroner, 2 decimals),
    /// `benefit_cost_ratio` (6 decimals, empty when undefined) and
    /// `break_even_year` (empty if never).
    pub fn write_csv(&self, out: impl Write) -> io::Result<()> {
        self.write(SweepFormat::Csv, out)
    }

    /// Writes one JSON object per line: `{"<parameter>": "<value>", ...,
    /// "npv": ..., ...}` with the chosen columns; parameter values as exact
    /// strings, figures as numbers, undefined ones `null`.
    pub fn write_json_lines(&self, out: impl Write) -> io::Result<()> {
        self.write(SweepFormat::JsonLines, out)
    }

    /// Writes the sweep as a NumPy `.npy` file (format version 1.0, or 3.0
    /// when a name is not ASCII): one record per point with a little-endian
    /// f64 field per parameter (its value) and per chosen column; undefined
    /// figures (no benefit-cost ratio, never breaking even) are NaN.
    /// `numpy.load` reads it in one call as a structured array;
    /// `pandas.DataFrame(numpy.load(f))` and `polars.from_numpy` take that.
    ///
    /// ```
    /// use som::analysis::{sweep, Baseline, SweepSpec};
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let spec = SweepSpec::from_json(
    ///     r#"{"parameters": [{"name": "success_rate", "values": [0.3, 0.4]}]}"#, "s.json", base.model()).unwrap();
    /// let mut npy = Vec::new();
    /// sweep(&base, &spec).unwrap().write_npy(&mut npy).unwrap();
    /// assert!(npy.starts_with(b"\x93NUMPY\x01\x00"));
    /// let data = 10 + u16::from_le_bytes([npy[8], npy[9]]) as usize;
    /// assert_eq!(data % 64, 0);
    /// // Two points, each the parameter and five figures.
    /// assert_eq!(npy.len() - data, 2 * 6 * 8);
    /// ```
    pub fn write_npy(&self, out: impl Write) -> io::Result<()> {
        self.write(SweepFormat::Npy, out)
    }

    /// Writes the sweep as a NumPy `.npy` structured array shaped as the
    /// grid: one dimension per axis, in the spec's order, each as long as
    /// that axis's values (C order: the last axis varies fastest, as in the
    /// rows of [`Sweep::write_npy`]), with a little-endian f64 field per
    /// chosen column and no field for the parameters (their values are the
    /// spec's axes). `numpy.load(f)["npv"]` is then the NPV as an array of
    /// the grid's shape, `[i, j, k]` the point of the first axis's `i`-th
    /// value, the second's `j`-th and the third's `k`-th.
    ///
    /// ```
    /// use som::analysis::{sweep, Baseline, SweepSpec};
    /// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
    /// let spec = SweepSpec::from_json(r#"{"parameters": [
    ///     {"name": "success_rate", "values": [0.3, 0.4]},
    ///     {"name": "cost:Support", "values": [40000, 50000, 60000]}]}"#, "s.json", base.model()).unwrap();
    /// let mut npy = Vec::new();
    /// sweep(&base, &spec).unwrap().write_npy_grid(&mut npy).unwrap();
    /// let data = 10 + u16::from_le_bytes([npy[8], npy[9]]) as usize;
    /// assert!(String::from_utf8_lossy(&npy[10..data]).contains("'shape': (2, 3)"));
    /// // Six points, each the five figures.
    /// assert_eq!(npy.len() - data, 6 * 5 * 8);
    /// ```
    pub fn write_npy_grid(&self, out: impl Write) -> io::Result<()> {
        self.write(SweepFormat::NpyGrid, out)
    }

    /// Writes every row in a format.
    pub fn write(&self, format: SweepFormat, mut out: impl Write) -> io::Result<()> {
        let writer = SweepWriter::new(&self.spec, &self.columns, format);
        writer.header(&mut out)?;
        writer.rows(0, &self.results, &mut out)?;
        out.flush()
    }
}

/// The axis indices of one point, stepped to the next point in grid order
/// (the last axis fastest) without divisions.
struct Odometer<'a> {
    idx: Vec<usize>,
    lengths: &'a [usize],
}

impl Odometer<'_> {
    /// Calls `f(axis, value index)` for each axis of the current point, then
    /// steps to the next point.
    fn each(&mut self, mut f: impl FnMut(usize, usize)) {
        for (axis, j) in self.idx.iter().enumerate() {
            f(axis, *j);
        }
        for (j, len) in self.idx.iter_mut().zip(self.lengths).rev() {
            *j += 1;
            if *j < *len {
                return;
            }
            *j = 0;
        }
    }
}

/// Where a block's figures come from: each point's results, or one column
/// per figure (NaN where undefined, as the `.npy` records hold them).
#[derive(Clone, Copy)]
enum Figures<'r> {
    Results(&'r [SweepResult]),
    Columns(&'r [&'r [f64]]),
}

impl Figures<'_> {
    /// Writes figure `k` (the column `c`) of the block's points `points`
    /// into field `field` of the records of `run`.
    fn write(
        self,
        k: usize,
        c: Column,
        points: std::ops::Range<usize>,
        run: &mut [u8],
        record: usize,
        field: usize,
    ) {
        let bytes = |v: f64| v.to_le_bytes();
        let results = match self {
            Figures::Columns(columns) => {
                let values = columns[k][points].iter();
                return npy_field(run, record, field, values.map(|v| bytes(*v)));
            }
            Figures::Results(rows) => rows[points].iter(),
        };
        match c {
            Column::Npv => npy_field(run, record, field, results.map(|r| bytes(r.npv))),
            Column::PvGains => npy_field(run, record, field, results.map(|r| bytes(r.pv_gains))),
            Column::PvCosts => npy_field(run, record, field, results.map(|r| bytes(r.pv_costs))),
            Column::BenefitCostRatio => npy_field(
                run,
                record,
                field,
                results.map(|r| bytes(r.benefit_cost_ratio.unwrap_or(f64::NAN))),
            ),
            Column::BreakEvenYear => npy_field(
                run,
                record,
                field,
                results.map(|r| bytes(r.break_even_year.map_or(f64::NAN, f64::from))),
            ),
        }
    }
}

/// Writes field `field` (8 bytes at `8 · field`) of each record of `run`,
/// records of `record` bytes, from `values`.
fn npy_field(run: &mut [u8], record: usize, field: usize, values: impl Iterator<Item = [u8; 8]>) {
    let at = 8 * field;
    for (r, v) in run.chunks_exact_mut(record).zip(values) {
        r[at..at + 8].copy_from_slice(&v);
    }
}

/// The magic string, version, header length and header of a `.npy` file,
/// the header padded with spaces and a newline so the data starts at a
/// multiple of 64 bytes (NumPy's format, NEP 1).
fn npy_header(dict: &str) -> Vec<u8> {
    // Version 1.0 has a 2-byte length and a latin-1 header; 3.0 a 4-byte
    // length and UTF-8 (for names such as `cost:Støtte`).
    let version_1 = dict.is_ascii() && dict.len() < 60_000;
    let prefix = if version_1 { 10 } else { 12 };
    let total = (prefix + dict.len() + 1).div_ceil(64) * 64;
    let length = total - prefix;
    let mut header = Vec::with_capacity(total);
    header.extend_from_slice(b"\x93NUMPY");
    if version_1 {
        header.extend_from_slice(&[1, 0]);
        header.extend_from_slice(&(length as u16).to_le_bytes());
    } else {
        header.extend_from_slice(&[3, 0]);
        header.extend_from_slice(&(length as u32).to_le_bytes());
    }
    header.extend_from_slice(dict.as_bytes());
    header.resize(total - 1, b' ');
    header.push(b'\n');
    header
}

/// A Python string literal for a field name.
fn python_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sweep::{
        SweepOptions, sweep, sweep_columns_formatted, sweep_formatted, sweep_with,
    };
    use crate::analysis::{AnalysisError, Baseline};
    use crate::{KnowledgeBase, Scenario};

    /// Evaluated, formatted and written block by block, a grid gives the
    /// bytes the whole sweep's writer gives, in every format, over several
    /// windows (the closed form of a row, the last window short) and point
    /// by point, from each point's results and (`.npy`) from the figures'
    /// columns; a refused grid writes nothing either way.
    #[test]
    fn a_formatted_sweep_is_the_whole_sweep_written() {
        let b = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        let spec = |json: &str| SweepSpec::from_json(json, "spec.json", b.model());
        let grids = [
            r#"{"parameters": [
                {"name": "discount_rate", "values": [0, 0.04]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.01},
                {"name": "cost:Support", "from": 0, "to": 200000, "step": 100}]}"#,
            r#"{"parameters": [
                {"name": "cost:Support", "from": 0, "to": 200000, "step": 20},
                {"name": "discount_rate", "values": [0, 0.02, 0.04]}]}"#,
        ];
        for grid in grids {
            let s = spec(grid).unwrap();
            for columns in [Column::ALL.to_vec(), vec![Column::Npv]] {
                let options = SweepOptions { columns };
                let whole = sweep_with(&b, &s, &options, &|_| {}).unwrap();
                let formats = [
                    SweepFormat::Csv,
                    SweepFormat::JsonLines,
                    SweepFormat::Npy,
                    SweepFormat::NpyGrid,
                ];
                for format in formats {
                    let writer = SweepWriter::new(&s, &options.columns, format);
                    let mut bytes = Vec::new();
                    writer.header(&mut bytes).unwrap();
                    let mut writes = 0;
                    sweep_formatted(
                        &b,
                        &s,
                        &options,
                        &|_| {},
                        &|first, rows, buf| writer.format(first, rows, buf),
                        |block: &[u8]| {
                            bytes.extend_from_slice(block);
                            writes += 1;
                            Ok::<(), AnalysisError>(())
                        },
                    )
                    .unwrap();
                    let mut expected = Vec::new();
                    whole.write(format, &mut expected).unwrap();
                    assert!(bytes == expected, "{grid} {format:?} {:?}", options.columns);
                    assert!(writes > 1);
                    if format == SweepFormat::Csv || format == SweepFormat::JsonLines {
                        continue;
                    }
                    let mut from_columns = Vec::new();
                    writer.header(&mut from_columns).unwrap();
                    sweep_columns_formatted(
                        &b,
                        &s,
                        &options,
                        &|_| {},
                        &|first, figures, buf| writer.format_columns(first, figures, buf),
                        |block: &[u8]| {
                            from_columns.extend_from_slice(block);
                            Ok::<(), AnalysisError>(())
                        },
                    )
                    .unwrap();
                    assert!(from_columns == expected, "{grid} {format:?} columns");
                }
                // The grid-shaped file holds the flat file's records without
                // the parameters' fields, in the same order (read by the
                // format's layout: 8 bytes a field), and says the grid's shape.
                let data = |npy: &[u8]| {
                    let length = u16::from_le_bytes([npy[8], npy[9]]) as usize;
                    let header = String::from_utf8(npy[10..10 + length].to_vec()).unwrap();
                    (header, npy[10 + length..].to_vec())
                };
                let (mut flat, mut shaped) = (Vec::new(), Vec::new());
                whole.write_npy(&mut flat).unwrap();
                whole.write_npy_grid(&mut shaped).unwrap();
                let (flat, (header, shaped)) = (data(&flat).1, data(&shaped));
                let axes = s.axes.len();
                let record = 8 * (axes + options.columns.len());
                let figures: Vec<u8> = flat
                    .chunks_exact(record)
                    .flat_map(|r| r[8 * axes..].iter().copied())
                    .collect();
                assert!(shaped == figures, "{grid}");
                let lengths: Vec<String> =
                    s.axes.iter().map(|a| a.values.len().to_string()).collect();
                assert!(
                    header.contains(&format!("'shape': ({}), ", lengths.join(", "))),
                    "{header}"
                );
                assert!(!header.contains(&s.axes[0].name), "{header}");
            }
        }
        // More than two windows of 8 blocks of 8192 points.
        assert!(spec(grids[0]).unwrap().points() > 2 * 8 * 8192);

        let huge = spec(
            r#"{"parameters": [
                {"name": "price_scale:shelter-day", "values": [1, 70000000000000000000000000000]},
                {"name": "success_rate", "from": 0.2, "to": 0.6, "step": 0.00001}]}"#,
        )
        .unwrap();
        let expected = sweep(&b, &huge).unwrap_err().to_string();
        let mut seen = 0;
        let refused = sweep_formatted(
            &b,
            &huge,
            &SweepOptions::default(),
            &|_| {},
            &|_, _, _| {},
            |_: &[u8]| {
                seen += 1;
                Ok::<(), AnalysisError>(())
            },
        )
        .unwrap_err();
        assert_eq!(refused.to_string(), expected);
        assert_eq!(seen, 0, "nothing is written before the refusal");
        for columns in [vec![Column::Npv], Column::ALL.to_vec()] {
            let refused = sweep_columns_formatted(
                &b,
                &huge,
                &SweepOptions { columns },
                &|_| {},
                &|_, _, _| {},
                |_: &[u8]| {
                    seen += 1;
                    Ok::<(), AnalysisError>(())
                },
            )
            .unwrap_err();
            assert_eq!(refused.to_string(), expected);
            assert_eq!(seen, 0, "nothing is written before the refusal");
        }
    }

    /// A grid of one axis is a one-dimensional array: NumPy's tuple `(n,)`.
    #[test]
    fn a_grid_of_one_axis_has_a_one_element_shape() {
        let b = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        let s = SweepSpec::from_json(
            r#"{"parameters": [{"name": "success_rate", "values": [0.3, 0.4, 0.5]}]}"#,
            "spec.json",
            b.model(),
        )
        .unwrap();
        let mut npy = Vec::new();
        sweep(&b, &s).unwrap().write_npy_grid(&mut npy).unwrap();
        let text = String::from_utf8_lossy(&npy[10..]).into_owned();
        assert!(
            text.starts_with(
                "{'descr': [('npv', '<f8'), ('pv_gains', '<f8'), ('pv_costs', '<f8'), \
                 ('benefit_cost_ratio', '<f8'), ('break_even_year', '<f8')], \
                 'fortran_order': False, 'shape': (3,), }"
            ),
            "{text}"
        );
    }
}
