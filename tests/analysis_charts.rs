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
