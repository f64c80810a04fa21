// Why this file is over 500 lines: every chart shares one small SVG writer,
// its scales, axes and legend; the charts are a few functions each over those
// helpers.

//! Charts as SVG: the cumulative discounted net with the break-even year
//! marked, and costs against gains per year by payer.
//!
//! A small hand-written writer: the charts are a few dozen shapes, and plain
//! SVG text embeds in the HTML report, opens in any browser and prints
//! sharply. Coordinates are `f64`: a chart is a picture of the exact figures,
//! rounded only to place them.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Lang;
use crate::{BusinessCase, Payer};

/// Which chart to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Cumulative discounted net (total) by year, with the break-even year marked.
    Cumulative,
    /// Costs and gains per year, stacked by payer.
    Flows,
}

/// Draws a chart of a business case as an SVG document.
///
/// ```
/// use som::report::{chart, Lang};
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let svg = chart::render(&case, chart::ChartKind::Cumulative, Lang::En);
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("class=\"break-even\""));
/// ```
pub fn render(case: &BusinessCase, kind: ChartKind, lang: Lang) -> String {
    match kind {
        ChartKind::Cumulative => cumulative(case, lang),
        ChartKind::Flows => flows(case, lang),
    }
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 440.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 90.0;

/// Colours per payer (kommune, region, stat): costs warm, gains cool.
const COST_COLOURS: [&str; 3] = ["#b2182b", "#ef8a62", "#f4c3a8"];
const GAIN_COLOURS: [&str; 3] = ["#2166ac", "#67a9cf", "#a6cfe6"];
const LINE_COLOUR: &str = "#1b7837";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn float(d: Decimal) -> f64 {
    // Every Decimal has an f64 approximation; the fallback is unreachable.
    d.to_f64().unwrap_or(0.0)
}

/// An SVG document under construction.
struct Svg {
    out: String,
}

impl Svg {
    fn new(title: &str) -> Svg {
        Svg::with_height(title, HEIGHT)
    }

    /// A chart of the usual width and a height of its own.
    fn with_height(title: &str, height: f64) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
             width=\"{WIDTH}\" height=\"{height}\" font-family=\"Helvetica, Arial, sans-serif\" \
             font-size=\"12\" role=\"img\">\n<title>{}</title>\n\
             <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"white\"/>\n",
            escape(title)
        );
        let mut svg = Svg { out };
        svg.text(
            WIDTH / 2.0,
            28.0,
            title,
            "middle",
            "font-size=\"16\" font-weight=\"bold\"",
        );
        svg
    }

    fn text(&mut self, x: f64, y: f64, text: &str, anchor: &str, extra: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" {extra}>{}</text>",
            escape(text)
        );
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), extra: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" {extra}/>"
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, extra: &str) {
        let _ = writeln!(
            self.out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" {extra}/>"
        );
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// A linear scale from amounts to the plot's vertical pixels, with round ticks.
struct Scale {
    low: f64,
    high: f64,
    step: f64,
}

impl Scale {
    /// A scale that covers every value and zero, with about five ticks.
    fn covering(values: impl IntoIterator<Item = f64>) -> Scale {
        let (mut low, mut high) = (0.0f64, 0.0f64);
        for v in values {
            low = low.min(v);
            high = high.max(v);
        }
        if high - low <= 0.0 {
            high = 1.0;
        }
        let raw = (high - low) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        Scale {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            step,
        }
    }

    fn y(&self, v: f64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        TOP + plot * (self.high - v) / (self.high - self.low)
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.high - self.low) / self.step).round() as i64;
        (0..=n).map(|i| self.low + i as f64 * self.step).collect()
    }

    /// Amounts on the axis in millions, thousands or kroner, whichever fits.
    fn unit(&self, lang: Lang) -> (f64, &'static str) {
        let biggest = self.low.abs().max(self.high.abs());
        if biggest >= 1e6 {
            (1e6, lang.pick("DKK million", "mio. kr."))
        } else if biggest >= 1e3 {
            (1e3, lang.pick("DKK thousand", "1.000 kr."))
        } else {
            (1.0, lang.pick("DKK", "kr."))
        }
    }

    /// Decimals that tell the ticks apart in a unit.
    fn decimals(&self, divisor: f64) -> u32 {
        let places = -(self.step / divisor).log10().floor();
        places.clamp(0.0, 6.0) as u32
    }
}

/// Horizontal grid, tick labels and the zero line; returns nothing, draws on `svg`.
fn axes(svg: &mut Svg, scale: &Scale, case: &BusinessCase, lang: Lang) {
    value_axis(svg, scale, lang);
    let band = band(case);
    let every = (case.years.len() / 12).max(1);
    for (t, y) in case.years.iter().enumerate() {
        if t % every == 0 {
            svg.text(
                x_centre(band, t),
                HEIGHT - BOTTOM + 18.0,
                &y.year.to_string(),
                "middle",
                "fill=\"#333\"",
            );
        }
    }
}

/// The vertical amount axis: horizontal grid, tick labels, the zero line and the unit.
fn value_axis(svg: &mut Svg, scale: &Scale, lang: Lang) {
    let (divisor, unit) = scale.unit(lang);
    let decimals = scale.decimals(divisor);
    for tick in scale.ticks() {
        let y = scale.y(tick);
        svg.line((LEFT, y), (WIDTH - RIGHT, y), "stroke=\"#e0e0e0\"");
        let label = Decimal::from_f64_retain(tick / divisor)
            .map(|d| lang.fixed(Some(d), decimals))
            .unwrap_or_default();
        svg.text(LEFT - 8.0, y + 4.0, &label, "end", "fill=\"#333\"");
    }
    let zero = scale.y(0.0);
    svg.line(
        (LEFT, zero),
        (WIDTH - RIGHT, zero),
        "stroke=\"#333\" stroke-width=\"1\"",
    );
    let middle = (TOP + HEIGHT - BOTTOM) / 2.0;
    svg.text(
        20.0,
        middle,
        unit,
        "middle",
        &format!("transform=\"rotate(-90 20 {middle:.1})\" fill=\"#333\""),
    );
}

fn band(case: &BusinessCase) -> f64 {
    (WIDTH - LEFT - RIGHT) / case.years.len().max(1) as f64
}

fn x_centre(band: f64, t: usize) -> f64 {
    LEFT + band * (t as f64 + 0.5)
}

fn legend(svg: &mut Svg, entries: &[(String, &str)]) {
    let columns = 3;
    for (i, (label, colour)) in entries.iter().enumerate() {
        let x = LEFT + (i % columns) as f64 * 230.0;
        let y = HEIGHT - BOTTOM + 40.0 + (i / columns) as f64 * 20.0;
        svg.rect(x, y - 10.0, 12.0, 12.0, &format!("fill=\"{colour}\""));
        svg.text(x + 18.0, y, label, "start", "fill=\"#333\"");
    }
}

/// The cumulative discounted net (total) as a line with a point per year,
/// and the break-even year as a dashed vertical line.
fn cumulative(case: &BusinessCase, lang: Lang) -> String {
    let title = lang.pick(
        "Cumulative discounted net, all payers",
        "Akkumuleret diskonteret netto, alle betalere",
    );
    let mut svg = Svg::new(title);
    let values: Vec<f64> = case
        .years
        .iter()
        .map(|y| float(y.cumulative_net_discounted.total))
        .collect();
    let scale = Scale::covering(values.iter().copied());
    axes(&mut svg, &scale, case, lang);
    let band = band(case);

    if let Some(year) = case.summary.break_even_year {
        if let Some(t) = case.years.iter().position(|y| y.year == year) {
            let x = x_centre(band, t);
            let _ = writeln!(
                svg.out,
                "<g class=\"break-even\"><line x1=\"{x:.1}\" y1=\"{TOP:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" \
                 stroke=\"#555\" stroke-dasharray=\"6 4\"/><text x=\"{:.1}\" y=\"{:.1}\" \
                 text-anchor=\"start\" fill=\"#333\">{}</text></g>",
                HEIGHT - BOTTOM,
                x + 6.0,
                TOP + 14.0,
                escape(&format!(
                    "{} {year}",
                    lang.pick("Break-even", "Break-even-år")
                ))
            );
        }
    } else {
        svg.text(
            WIDTH - RIGHT - 6.0,
            TOP + 14.0,
            lang.pick(
                "No break-even within the horizon",
                "Ingen break-even inden for tidshorisonten",
            ),
            "end",
            "class=\"no-break-even\" fill=\"#b2182b\"",
        );
    }

    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(t, v)| (x_centre(band, t), scale.y(*v)))
        .collect();
    let path = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(
        svg.out,
        "<polyline points=\"{path}\" fill=\"none\" stroke=\"{LINE_COLOUR}\" stroke-width=\"2.5\"/>"
    );
    for ((x, y), year) in points.iter().zip(&case.years) {
        let fill = if year.cumulative_net_discounted.total >= Decimal::ZERO {
            LINE_COLOUR
        } else {
            "#b2182b"
        };
        let _ = writeln!(
            svg.out,
            "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{fill}\">\
             <title>{}: {}</title></circle>",
            year.year,
            escape(&lang.money(year.cumulative_net_discounted.total))
        );
    }
    legend(
        &mut svg,
        &[(
            lang.pick(
                "Cumulative discounted net (NPV to date)",
                "Akkumuleret diskonteret netto (NNV til dato)",
            )
            .to_owned(),
            LINE_COLOUR,
        )],
    );
    svg.finish()
}

/// Per year two stacked bars: the intervention's costs and the gains, each
/// split by payer. Negative parts (a payer that loses) stack below zero.
fn flows(case: &BusinessCase, lang: Lang) -> String {
    let title = lang.pick(
        "Costs and gains per year by payer",
        "Omkostninger og gevinster pr. år fordelt på betaler",
    );
    let mut svg = Svg::new(title);
    // The stack heights bound the scale: sums of the positive and of the negative parts.
    let extent = |parts: [f64; 3]| {
        let up: f64 = parts.iter().filter(|v| **v > 0.0).sum();
        let down: f64 = parts.iter().filter(|v| **v < 0.0).sum();
        [up, down]
    };
    let parts = |split: &crate::Split| Payer::ALL.map(|p| float(split.get(p)));
    let scale = Scale::covering(
        case.years
            .iter()
            .flat_map(|y| [extent(parts(&y.costs)), extent(parts(&y.gains))])
            .flatten(),
    );
    axes(&mut svg, &scale, case, lang);
    let band = band(case);
    let bar = (band * 0.38).min(40.0);
    for (t, y) in case.years.iter().enumerate() {
        let centre = x_centre(band, t);
        for (x, split, colours, what) in [
            (
                centre - bar - 1.0,
                &y.costs,
                COST_COLOURS,
                lang.pick("costs", "omkostninger"),
            ),
            (
                centre + 1.0,
                &y.gains,
                GAIN_COLOURS,
                lang.pick("gains", "gevinster"),
            ),
        ] {
            let (mut up, mut down) = (0.0f64, 0.0f64);
            for (i, payer) in Payer::ALL.iter().enumerate() {
                let amount = split.get(*payer);
                let v = float(amount);
                if amount.is_zero() {
                    continue;
                }
                let (from, to) = if v > 0.0 {
                    up += v;
                    (up - v, up)
                } else {
                    down += v;
                    (down - v, down)
                };
                let (top, bottom) = (scale.y(from.max(to)), scale.y(from.min(to)));
                let _ = writeln!(
                    svg.out,
                    "<rect class=\"bar\" x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" \
                     fill=\"{}\"><title>{} {what}, {payer}: {}</title></rect>",
                    (bottom - top).max(0.5),
                    colours[i],
                    y.year,
                    escape(&lang.money(amount))
                );
            }
        }
    }
    let mut entries = Vec::new();
    for (i, payer) in Payer::ALL.iter().enumerate() {
        entries.push((
            format!("{}, {payer}", lang.pick("Costs", "Omkostninger")),
            COST_COLOURS[i],
        ));
    }
    for (i, payer) in Payer::ALL.iter().enumerate() {
        entries.push((
            format!("{}, {payer}", lang.pick("Gains", "Gevinster")),
            GAIN_COLOURS[i],
        ));
    }
    legend(&mut svg, &entries);
    svg.finish()
}

/// A horizontal amount axis for the analysis charts: round ticks from
/// [`Scale`], placed between `left` and the right margin.
struct Horizontal {
    scale: Scale,
    left: f64,
}

impl Horizontal {
    fn x(&self, v: f64) -> f64 {
        let plot = WIDTH - RIGHT - self.left;
        self.left + plot * (v - self.scale.low) / (self.scale.high - self.scale.low)
    }

    /// Vertical grid lines with tick labels below the plot, and the unit.
    fn axis(&self, svg: &mut Svg, top: f64, bottom: f64, lang: Lang) {
        let (divisor, unit) = self.scale.unit(lang);
        let decimals = self.scale.decimals(divisor);
        for tick in self.scale.ticks() {
            let x = self.x(tick);
            svg.line((x, top), (x, bottom), "stroke=\"#e0e0e0\"");
            let label = Decimal::from_f64_retain(tick / divisor)
                .map(|d| lang.fixed(Some(d), decimals))
                .unwrap_or_default();
            svg.text(x, bottom + 16.0, &label, "middle", "fill=\"#333\"");
        }
        let middle = (self.left + WIDTH - RIGHT) / 2.0;
        svg.text(middle, bottom + 34.0, unit, "middle", "fill=\"#333\"");
    }
}

/// Colours of a tornado's two ends (ColorBrewer PuOr, readable with
/// red-green colour blindness): the input at its low end, at its high end.
const LOW_END_COLOUR: &str = "#e08214";
const HIGH_END_COLOUR: &str = "#5e3c99";

/// Characters per line of a tornado's input label; longer labels wrap.
const LABEL_CHARS: usize = 42;

/// The tornado of a one-way sensitivity analysis: per input, a bar from the
/// base NPV to the NPV with the input at its low end and one to the NPV at
/// its high end, in two colours with a legend, largest swing on top, and the
/// base NPV as a vertical line. Inputs are named in `lang` (services by
/// their names in `kb`, when given); long names wrap onto more lines, never
/// cut, and the chart grows to fit them. An end cut at the edge of its
/// range (a share at 0 or 1) is marked † beside its bar and said below the
/// axis, as the table says it.
///
/// ```
/// use som::analysis::{sensitivity, Baseline};
/// use som::report::{chart, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let t = sensitivity(&base, rust_decimal::Decimal::new(2, 1)).unwrap();
/// let svg = chart::tornado(&t, Lang::En, Some(kb));
/// assert_eq!(svg.matches("class=\"bar low\"").count(), t.bars.len());
/// assert_eq!(svg.matches("class=\"bar high\"").count(), t.bars.len());
/// ```
pub fn tornado(
    t: &crate::analysis::Tornado,
    lang: Lang,
    kb: Option<&crate::KnowledgeBase>,
) -> String {
    let title = lang.pick(
        "Sensitivity of NPV (tornado)",
        "Nutidsværdiens følsomhed (tornado)",
    );
    const LINE: f64 = 15.0;
    const LEGEND: f64 = 30.0;
    let labels: Vec<Vec<String>> = t
        .bars
        .iter()
        .map(|b| {
            textwrap::wrap(&lang.sensitivity_input(&b.what, kb), LABEL_CHARS)
                .into_iter()
                .map(|l| l.into_owned())
                .collect()
        })
        .collect();
    let heights: Vec<f64> = labels
        .iter()
        .map(|l| (l.len() as f64 * LINE + 12.0).max(34.0))
        .collect();
    let top = TOP + LEGEND;
    let bottom = top + heights.iter().sum::<f64>().max(34.0);
    // Ends cut at the edge of their range, marked † at the bar's end and
    // listed below the axis, as the table lists them.
    let cuts: Vec<String> = super::sensitivity::cut_lines(t, lang, kb)
        .into_iter()
        .flat_map(|line| {
            textwrap::wrap(&format!("† {line}"), 100)
                .into_iter()
                .map(|l| l.into_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut svg = Svg::with_height(title, bottom + 50.0 + LINE * cuts.len() as f64);
    let scale = Scale::covering(
        t.bars
            .iter()
            .flat_map(|b| [float(b.npv_low), float(b.npv_high)])
            .chain([float(t.base_npv)]),
    );
    let axis = Horizontal { scale, left: 300.0 };
    axis.axis(&mut svg, top, bottom, lang);
    let graded = t
        .bars
        .iter()
        .any(|b| matches!(b.what, crate::analysis::Input::Price { grade: Some(_), .. }));
    let pct = (t.range * Decimal::ONE_HUNDRED).normalize().to_string();
    let pct = match lang {
        Lang::En => pct,
        Lang::Da => pct.replace('.', ","),
    };
    let (low_name, high_name) = if graded {
        (
            lang.pick("Input at its low end", "Forudsætning ved lav ende")
                .to_owned(),
            lang.pick("Input at its high end", "Forudsætning ved høj ende")
                .to_owned(),
        )
    } else {
        (
            format!("{} −{pct} %", lang.pick("Input", "Forudsætning")),
            format!("{} +{pct} %", lang.pick("Input", "Forudsætning")),
        )
    };
    let base_x = axis.x(float(t.base_npv));
    let mut y = top;
    for ((b, lines), h) in t.bars.iter().zip(&labels).zip(&heights) {
        let bar_h = ((h - 12.0) / 2.0).min(14.0);
        let middle = y + h / 2.0;
        for (end, npv, colour, class, offset) in [
            (&low_name, b.npv_low, LOW_END_COLOUR, "low", -bar_h),
            (&high_name, b.npv_high, HIGH_END_COLOUR, "high", 0.0),
        ] {
            let x = axis.x(float(npv));
            let (from, w) = (x.min(base_x), (x - base_x).abs().max(1.0));
            let _ = writeln!(
                svg.out,
                "<rect class=\"bar {class}\" x=\"{from:.1}\" y=\"{:.1}\" width=\"{w:.1}\" \
                 height=\"{bar_h:.1}\" fill=\"{colour}\"><title>{}: {}</title></rect>",
                middle + offset,
                escape(end),
                escape(&lang.money(npv)),
            );
            let cut = match class {
                "low" => b.low_cut_from,
                _ => b.high_cut_from,
            };
            if cut.is_some() {
                // Beyond the bar's far end from the base line.
                let (mark_x, anchor) = if x < base_x {
                    (from - 3.0, "end")
                } else {
                    (from + w + 3.0, "start")
                };
                svg.text(
                    mark_x,
                    middle + offset + bar_h - 2.0,
                    "†",
                    anchor,
                    "class=\"cut\" fill=\"#333\"",
                );
            }
        }
        let first = middle - (lines.len() as f64 - 1.0) * LINE / 2.0 + 4.0;
        for (i, line) in lines.iter().enumerate() {
            svg.text(
                axis.left - 8.0,
                first + i as f64 * LINE,
                line,
                "end",
                "class=\"label\" fill=\"#333\"",
            );
        }
        y += h;
    }
    let _ = writeln!(
        svg.out,
        "<g class=\"base\"><line x1=\"{base_x:.1}\" y1=\"{top:.1}\" x2=\"{base_x:.1}\" y2=\"{bottom:.1}\" \
         stroke=\"#333\" stroke-width=\"1.5\"/></g>"
    );
    let zero = axis.x(0.0);
    svg.line(
        (zero, top),
        (zero, bottom),
        "stroke=\"#b2182b\" stroke-dasharray=\"4 3\"",
    );
    for (i, line) in cuts.iter().enumerate() {
        svg.text(
            8.0,
            bottom + 50.0 + LINE * i as f64,
            line,
            "start",
            "class=\"cut-note\" fill=\"#333\"",
        );
    }
    // The legend, above the plot.
    let legend_y = TOP + 8.0;
    let entries = [
        (low_name.as_str(), LOW_END_COLOUR),
        (high_name.as_str(), HIGH_END_COLOUR),
        (lang.pick("Base NPV", "Basis-nutidsværdi"), "#333"),
    ];
    // About 7 px a character at 12 px: the entries side by side, centred.
    let width = |label: &str| 18.0 + label.chars().count() as f64 * 7.0 + 24.0;
    let total: f64 = entries.iter().map(|(label, _)| width(label)).sum();
    let mut x = ((WIDTH - total) / 2.0).max(8.0);
    for (i, (label, colour)) in entries.iter().enumerate() {
        if i == 2 {
            svg.line(
                (x + 6.0, legend_y - 11.0),
                (x + 6.0, legend_y + 3.0),
                "stroke=\"#333\" stroke-width=\"1.5\"",
            );
        } else {
            svg.rect(
                x,
                legend_y - 10.0,
                12.0,
                12.0,
                &format!("fill=\"{colour}\""),
            );
        }
        let _ = writeln!(
            svg.out,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{legend_y:.1}\" text-anchor=\"start\" fill=\"#333\">{}</text>",
            x + 18.0,
            escape(label)
        );
        x += width(label);
    }
    svg.finish()
}

/// The distribution of NPV over a simulation's draws: a histogram of 30
/// bins when every draw was kept, the 5th, 50th and 95th percentiles as
/// lines, and zero marked.
///
/// ```
/// use som::analysis::{simulate, Baseline, SimulationOptions, SimulationSpec};
/// use som::report::{chart, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let base = Baseline::new(&som::Scenario::example(), kb).unwrap();
/// let spec = SimulationSpec::default().with_grade_defaults(base.model(), kb.evidence_scale());
/// let options = SimulationOptions { draws: 1000, seed: 1, keep_draws: true };
/// let sim = simulate(&base, &spec, options).unwrap();
/// let svg = chart::npv_distribution(&sim, Lang::En);
/// assert_eq!(svg.matches("class=\"bin\"").count(), 30);
/// ```
pub fn npv_distribution(sim: &crate::analysis::Simulation, lang: Lang) -> String {
    const BINS: usize = 30;
    let title = lang.pick(
        "Distribution of NPV over the simulation's draws",
        "Nutidsværdiens fordeling over simulationens træk",
    );
    let mut svg = Svg::new(title);
    let column = sim.inputs.len();
    let npvs: Vec<f64> = sim
        .every_draw
        .iter()
        .filter_map(|d| d.get(column).copied())
        .filter(|v| v.is_finite())
        .collect();
    let stats = &sim.npv;
    let (min, max) = if npvs.is_empty() {
        (stats.p5, stats.p95)
    } else {
        (stats.min, stats.max)
    };
    let axis = Horizontal {
        scale: Scale::covering([min, max]),
        left: LEFT,
    };
    let bottom = HEIGHT - BOTTOM;
    axis.axis(&mut svg, TOP, bottom, lang);
    if !npvs.is_empty() {
        let width = (max - min) / BINS as f64;
        let mut counts = [0usize; BINS];
        for v in &npvs {
            let i = if width > 0.0 {
                ((v - min) / width) as usize
            } else {
                0
            };
            counts[i.min(BINS - 1)] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        for (i, n) in counts.iter().enumerate() {
            let from = min + width * i as f64;
            let (x0, x1) = (axis.x(from), axis.x(from + width));
            let h = (bottom - TOP) * (*n as f64) / most;
            let fill = if from + width <= 0.0 {
                COST_COLOURS[1]
            } else {
                GAIN_COLOURS[1]
            };
            let _ = writeln!(
                svg.out,
                "<rect class=\"bin\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{fill}\" \
                 stroke=\"white\"><title>{n}</title></rect>",
                bottom - h,
                (x1 - x0).max(0.5),
            );
        }
    }
    for (label, value) in [("p5", stats.p5), ("p50", stats.p50), ("p95", stats.p95)] {
        let x = axis.x(value);
        let _ = writeln!(
            svg.out,
            "<g class=\"percentile\"><line x1=\"{x:.1}\" y1=\"{TOP:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" \
             stroke=\"#333\" stroke-dasharray=\"6 4\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" \
             fill=\"#333\">{label}</text></g>",
            TOP - 6.0
        );
    }
    let zero = axis.x(0.0);
    svg.line(
        (zero, TOP),
        (zero, bottom),
        "stroke=\"#b2182b\" stroke-width=\"1.5\"",
    );
    // As a percentage, at the resolution of the draws (two decimals fewer
    // than the share's): 99.98 % for 9 998 of 10 000, never a rounded 100.
    let percent = Decimal::from(sim.draws_npv_positive) * Decimal::ONE_HUNDRED
        / Decimal::from(sim.npv.draws.max(1));
    let decimals = sim.probability_decimals().saturating_sub(2);
    let share = format!(
        "{}: {} %",
        lang.pick("P(NPV > 0)", "P(NNV > 0)"),
        lang.fixed(Some(percent), u32::try_from(decimals).unwrap_or(0))
    );
    svg.text(WIDTH - RIGHT, HEIGHT - 20.0, &share, "end", "fill=\"#333\"");
    svg.finish()
}

/// A potential calculation's yearly saving at each success rate: one bar
/// per rate, stacked by payer (a payer whose saving is negative stacks
/// below zero), with the success rates on the horizontal axis.
///
/// ```
/// use som::potential::{Potential, TargetGroupToday};
/// use som::report::{chart, Lang};
/// let (input, _) = TargetGroupToday::from_json(r#"{"name": "Today", "citizens": 10,
///     "success_keeps": 0, "use": [{"service": "shelter-day", "per_citizen": 129}]}"#, "<input>");
/// let p = Potential::compute(&input.unwrap(), som::KnowledgeBase::embedded()).unwrap();
/// let svg = chart::potential(&p, Lang::En);
/// // Five default rates, each a kommune and a stat part (shelters have no regional part).
/// assert_eq!(svg.matches("class=\"bar\"").count(), 10);
/// ```
pub fn potential(p: &crate::potential::Potential, lang: Lang) -> String {
    let title = lang.pick(
        "Potential: yearly saving by success rate and payer",
        "Potentiale: årlig besparelse efter succesrate og betaler",
    );
    let mut svg = Svg::new(title);
    let parts = |a: &crate::PayerAmounts| Payer::ALL.map(|payer| float(a.get(payer)));
    let scale = Scale::covering(p.rates.iter().flat_map(|r| {
        let v = parts(&r.saving);
        let up: f64 = v.iter().filter(|x| **x > 0.0).sum();
        let down: f64 = v.iter().filter(|x| **x < 0.0).sum();
        [up, down]
    }));
    value_axis(&mut svg, &scale, lang);
    let band = (WIDTH - LEFT - RIGHT) / p.rates.len().max(1) as f64;
    let bar = (band * 0.6).min(60.0);
    for (k, r) in p.rates.iter().enumerate() {
        let centre = x_centre(band, k);
        svg.text(
            centre,
            HEIGHT - BOTTOM + 18.0,
            &lang.percent(r.rate),
            "middle",
            "fill=\"#333\"",
        );
        let (mut up, mut down) = (0.0f64, 0.0f64);
        for (i, payer) in Payer::ALL.iter().enumerate() {
            let amount = r.saving.get(*payer);
            if amount.is_zero() {
                continue;
            }
            let v = float(amount);
            let (from, to) = if v > 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down - v, down)
            };
            let (top, bottom) = (scale.y(from.max(to)), scale.y(from.min(to)));
            let _ = writeln!(
                svg.out,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" \
                 fill=\"{}\"><title>{} {}, {payer}: {}</title></rect>",
                centre - bar / 2.0,
                (bottom - top).max(0.5),
                GAIN_COLOURS[i],
                lang.pick("success rate", "succesrate"),
                escape(&lang.percent(r.rate)),
                escape(&lang.money(amount))
            );
        }
    }
    let entries: Vec<(String, &str)> = Payer::ALL
        .iter()
        .enumerate()
        .map(|(i, payer)| {
            (
                format!("{}, {payer}", lang.pick("Saving", "Besparelse")),
                GAIN_COLOURS[i],
            )
        })
        .collect();
    legend(&mut svg, &entries);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_covers_zero_and_every_value_with_round_steps() {
        let s = Scale::covering([-3_608_000.0, 17_010_561.0]);
        assert!(s.low <= -3_608_000.0 && s.high >= 17_010_561.0);
        assert_eq!(s.step, 5_000_000.0);
        assert!(s.ticks().contains(&0.0));
        let flat = Scale::covering([0.0]);
        assert!(flat.high > flat.low);
    }

    #[test]
    fn tick_labels_have_enough_decimals_to_differ() {
        let big = Scale::covering([-3_608_000.0, 17_010_561.0]);
        assert_eq!(big.unit(Lang::En).0, 1e6);
        assert_eq!(big.decimals(1e6), 0);
        let small = Scale::covering([-1.0]);
        assert_eq!(small.unit(Lang::Da), (1.0, "kr."));
        assert_eq!(small.decimals(1.0), 1);
        let thousands = Scale::covering([0.0, 2_500.0]);
        assert_eq!(thousands.unit(Lang::En).0, 1e3);
        assert_eq!(thousands.decimals(1e3), 1);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
