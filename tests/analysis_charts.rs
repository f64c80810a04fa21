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
        let svg = chart::tornado(&t, lang);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let bars: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar"))
            .collect();
        assert_eq!(bars.len(), t.bars.len());
        // The widest bar is the first (largest swing first).
        let width = |n: &roxmltree::Node| n.attribute("width").unwrap().parse::<f64>().unwrap();
        assert!(bars.windows(2).all(|w| width(&w[0]) + 0.2 >= width(&w[1])));
        assert_eq!(
            doc.descendants()
                .filter(|n| n.attribute("class") == Some("base"))
                .count(),
            1
        );
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
    // The shelter line is graded 5, so it moves by ± 50 % in the tornado.
    assert!(page.contains("(grade 5, ± 50 %)"));
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
