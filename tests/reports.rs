//! The council-facing reports, read back: labels and numbers per language.

use som::report::{Format, Lang, render, render_in};
use som::{BusinessCase, KnowledgeBase, Scenario};

fn example() -> BusinessCase {
    som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
}

#[test]
fn english_rendering_in_a_language_is_the_original_rendering() {
    let case = example();
    let kb = KnowledgeBase::embedded();
    for format in [Format::Table, Format::Markdown, Format::Json, Format::Csv] {
        assert_eq!(
            render_in(&case, format, Lang::En, Some(kb)).unwrap(),
            render(&case, format).unwrap()
        );
    }
}

#[test]
fn danish_table_uses_danish_labels_names_and_number_formatting() {
    let case = example();
    let kb = KnowledgeBase::embedded();
    let text = render_in(&case, Format::Table, Lang::Da, Some(kb)).unwrap();
    let npv = Lang::Da.kroner(case.summary.npv.total);
    assert!(npv.contains('.'), "{npv}");
    assert!(text.contains(&format!("Nettonutidsværdi (NNV)       {npv} kr.")));
    assert!(text.contains("Forudsætninger"));
    assert!(text.contains("Voksne i hjemløshed"));
    assert!(text.contains("Finansministeriets diskonteringsrente"));
    assert!(text.contains("2,17"));
    // No English thousands separator is left in any amount.
    assert!(!text.contains(&Lang::En.kroner(case.summary.npv.total)));
}

#[test]
fn danish_markdown_has_danish_headings() {
    let case = example();
    let text = render_in(
        &case,
        Format::Markdown,
        Lang::Da,
        Some(KnowledgeBase::embedded()),
    )
    .unwrap();
    assert!(text.contains("## Resultat"));
    assert!(text.contains("| År | Omkostninger |"));
}
