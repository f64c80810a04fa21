//! The tornado and NPV-distribution charts: valid SVG with one bar per
//! input, one bin count per draw, and the percentiles marked.

use rust_decimal::Decimal;
use som::analysis::{Baseline, SimulationOptions, SimulationSpec, sensitivity, simulate};
use som::report::{Lang, chart};
use som::{KnowledgeBase, Scenario};

#[test]
fn the_tornado_has_a_bar_per_input_and_the_base_line() {
    let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
    let t = sensitivity(&base, Decimal::new(2, 1)).unwrap();
    for lang in [Lang::En, Lang::Da] {
        let svg = chart::tornado(&t, lang, Some(som::KnowledgeBase::embedded()));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let bars = |class: &str| -> Vec<_> {
            doc.descendants()
                .filter(|n| n.attribute("class") == Some(class))
                .collect()
        };
        let (low, high) = (bars("bar low"), bars("bar high"));
        assert_eq!(low.len(), t.bars.len());
        assert_eq!(high.len(), t.bars.len());
        // Two colours, one per end.
        let fill = |n: &roxmltree::Node| n.attribute("fill").unwrap().to_owned();
        assert!(low.iter().all(|n| fill(n) == fill(&low[0])));
        assert!(high.iter().all(|n| fill(n) == fill(&high[0])));
        assert_ne!(fill(&low[0]), fill(&high[0]));
        // Each bar says which end and the NPV there.
        let title = |n: &roxmltree::Node| {
            n.descendants()
                .find(|c| c.has_tag_name("title"))
                .unwrap()
                .text()
                .unwrap()
                .to_owned()
        };
        for (i, b) in t.bars.iter().enumerate() {
            assert!(
                title(&low[i]).ends_with(&lang.money(b.npv_low)),
                "{}",
                title(&low[i])
            );
            assert!(title(&high[i]).ends_with(&lang.money(b.npv_high)));
        }
        // A bar per end grows from the base line: the widest pair is the first.
        let width = |n: &roxmltree::Node| n.attribute("width").unwrap().parse::<f64>().unwrap();
        let swing = |i: usize| width(&low[i]) + width(&high[i]);
        assert!((1..t.bars.len()).all(|i| swing(i - 1) + 0.5 >= swing(i)));
        assert_eq!(bars("base").len(), 1);
        // A legend names both ends in the chart's language.
        let legend: Vec<String> = bars("legend")
            .iter()
            .map(|n| n.text().unwrap().to_owned())
            .collect();
        assert_eq!(
            legend,
            match lang {
                Lang::En => ["Input −20 %", "Input +20 %", "Base NPV"],
                Lang::Da => [
                    "Forudsætning −20 %",
                    "Forudsætning +20 %",
                    "Basis-nutidsværdi"
                ],
            }
        );
        // No label is cut: its lines put together give the input's whole name.
        let lines: Vec<String> = bars("label")
            .iter()
            .map(|n| n.text().unwrap().to_owned())
            .collect();
        let whole = lines.join(" ");
        for b in &t.bars {
            let name = lang.sensitivity_input(&b.what, Some(KnowledgeBase::embedded()));
            assert!(whole.contains(&name), "{name} in {whole}");
        }
        assert!(!whole.contains('…'));
        // 42 characters at about 7 px fit in the 292 px left of the plot.
        assert!(lines.iter().all(|l| l.chars().count() <= 42), "{lines:?}");
    }
}

#[test]
fn the_distribution_counts_every_draw_once_and_marks_the_percentiles() {
    let kb = KnowledgeBase::embedded();
    let base = Baseline::new(&Scenario::example(), kb).unwrap();
    let spec = SimulationSpec::default().with_grade_defaults(base.model(), kb.evidence_scale());
    let options = SimulationOptions {
        draws: 5000,
        seed: 4,
        keep_draws: true,
    };
    let sim = simulate(&base, &spec, options).unwrap();
    let svg = chart::npv_distribution(&sim, Lang::En);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let counted: u64 = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bin"))
        .map(|n| {
            n.descendants()
                .find(|c| c.has_tag_name("title"))
                .unwrap()
                .text()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(counted, 5000);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("percentile"))
            .count(),
        3
    );
}

#[test]
fn som_report_includes_the_sensitivity_and_the_evidence() {
    let out = std::env::temp_dir().join(format!("som-report-{}.html", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_som"))
        .args(["report", "--lang", "da", "--output"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let page = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).ok();
    assert!(page.contains("class=\"sensitivity\""));
    assert!(page.contains("<h2>Følsomhed</h2>"));
    assert!(page.contains("<h2>Evidens</h2>"));
    // The example's lines are all graded 4 (the shelter line among them), so
    // each moves by ± 40 % in the tornado (evidence.json: grade 4, 40 %).
    assert!(page.contains("(grad 4, ± 40 %)"));
    assert!(!page.contains("(grade 4"));
}

/// A simulation with 9 998 of 10 000 draws positive (issue 18: the chart
/// said 100,0 % and the text 0,9998 for such a run).
fn nearly_all_positive() -> som::analysis::Simulation {
    let stats = som::analysis::monte_carlo::Stats::of(&[-1.0, 2.0, 3.0]).unwrap();
    som::analysis::Simulation {
        scenario: "nearly all positive".into(),
        draws: 10_000,
        seed: 1,
        inputs: vec!["success_rate".into()],
        npv: som::analysis::monte_carlo::Stats {
            draws: 10_000,
            ..stats
        },
        benefit_cost_ratio: None,
        draws_with_ratio: 0,
        probability_npv_positive: 0.9998,
        draws_npv_positive: 9_998,
        out_of_range_draws: 0,
        outside_engine_range_draws: 0,
        every_draw: Vec::new(),
    }
}

#[test]
fn p_npv_positive_is_shown_at_the_precision_of_the_draws() {
    let sim = nearly_all_positive();
    // 9 998 / 10 000 = 99.98 %: two decimals in percent, never 100.
    assert!(chart::npv_distribution(&sim, Lang::En).contains("P(NPV &gt; 0): 99.98 %"));
    assert!(chart::npv_distribution(&sim, Lang::Da).contains("P(NNV &gt; 0): 99,98 %"));
    assert!(
        sim.to_text()
            .contains("P(NPV > 0) = 0.9998 (9998 of 10000 draws)"),
        "{}",
        sim.to_text()
    );
}
