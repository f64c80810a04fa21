//! What the shipped knowledge base must satisfy beyond what the loader checks
//! (unknown ids, missing sources and notes, shares outside [0, 1] ... are the
//! loader's): every number shows its reasoning, every target group and service
//! is either used or listed as a gap in knowledge-base/COVERAGE.md, and every
//! source is cited.

use std::collections::BTreeSet;

use som::KnowledgeBase;
use som::knowledge_base::{Basis, Evidence};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The ids in the first column of the table under `heading` in COVERAGE.md.
fn listed_in_coverage(heading: &str) -> BTreeSet<String> {
    let text = read("knowledge-base/COVERAGE.md");
    let mut lines = text.lines().skip_while(|l| l.trim() != heading);
    assert!(
        lines.next().is_some(),
        "COVERAGE.md has no section `{heading}`"
    );
    lines
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// Every evidence in the knowledge base with where it is.
fn evidences(kb: &KnowledgeBase) -> Vec<(String, &Evidence)> {
    kb.figures()
}

#[test]
fn every_derivation_and_assumption_shows_figures_in_its_note() {
    // The loader demands a note; this demands that it says something a
    // reader can check: at least one figure and more than a phrase.
    for (what, evidence) in evidences(kb()) {
        if evidence.basis == Basis::Published {
            continue;
        }
        let note = evidence.note.as_deref().unwrap_or_default();
        assert!(
            note.len() >= 60 && note.chars().any(|c| c.is_ascii_digit()),
            "{what}: a {:?} figure needs a note with the arithmetic or the figures behind it, found {note:?}",
            evidence.basis
        );
    }
}

#[test]
fn every_evidence_cites_only_known_sources_and_published_figures_cite_one() {
    let known: BTreeSet<&str> = kb().sources().iter().map(|s| s.id.as_str()).collect();
    for (what, evidence) in evidences(kb()) {
        for id in &evidence.sources {
            assert!(known.contains(id.as_str()), "{what}: unknown source `{id}`");
        }
        if evidence.basis != Basis::Assumption {
            assert!(!evidence.sources.is_empty(), "{what}: no source");
        }
    }
}

#[test]
fn every_source_is_cited_by_a_figure_or_by_the_documentation() {
    let cited: BTreeSet<&str> = evidences(kb())
        .into_iter()
        .flat_map(|(_, e)| e.sources.iter().map(String::as_str))
        .collect();
    let docs = read("knowledge-base/REPRODUCTIONS.md") + &read("knowledge-base/COVERAGE.md");
    for source in kb().sources() {
        assert!(
            cited.contains(source.id.as_str()) || docs.contains(&format!("`{}`", source.id)),
            "source `{}` is cited by no figure and named in neither REPRODUCTIONS.md nor COVERAGE.md",
            source.id
        );
    }
}

#[test]
fn every_target_group_has_effects_and_consequences_unless_coverage_lists_the_gap() {
    let gaps = listed_in_coverage("## Target groups missing an effect study or consequences");
    for group in kb().target_groups() {
        let has_effect = kb().effects().iter().any(|e| e.target_group == group.id);
        let has_consequences = kb()
            .consequences()
            .iter()
            .any(|c| c.target_group == group.id);
        let listed = gaps.contains(&group.id);
        assert!(
            (has_effect && has_consequences) || listed,
            "target group `{}` lacks an effect study or consequences; add them or list the gap in COVERAGE.md",
            group.id
        );
        assert!(
            !(listed && has_effect && has_consequences),
            "target group `{}` is listed as a gap in COVERAGE.md but has both; remove it there",
            group.id
        );
    }
    for id in &gaps {
        assert!(
            kb().target_group(id).is_some(),
            "COVERAGE.md lists unknown target group `{id}`"
        );
    }
}

#[test]
fn every_target_group_has_an_example_scenario_unless_coverage_lists_the_gap() {
    let gaps = listed_in_coverage("## Target groups without an example scenario");
    let mut with_example = BTreeSet::new();
    for entry in std::fs::read_dir("examples").expect("examples/ exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let scenario = som::Scenario::from_file(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            with_example.insert(scenario.target_group);
        }
    }
    for group in kb().target_groups() {
        let has = with_example.contains(&group.id);
        let listed = gaps.contains(&group.id);
        assert!(
            has || listed,
            "target group `{}` has no scenario in examples/ and is not listed in COVERAGE.md",
            group.id
        );
        assert!(
            !(has && listed),
            "target group `{}` has an example but COVERAGE.md lists it as missing one",
            group.id
        );
    }
}

#[test]
fn every_service_is_used_by_a_consequence_set_or_listed_as_unused() {
    let unused = listed_in_coverage("## Services no consequence set uses yet");
    let used: BTreeSet<&str> = kb()
        .consequences()
        .iter()
        .flat_map(|c| c.lines.iter().map(|l| l.service.as_str()))
        .collect();
    for service in kb().services() {
        let is_used = used.contains(service.id.as_str());
        let listed = unused.contains(&service.id);
        assert!(
            is_used || listed,
            "service `{}` is used by no consequence set and not listed in COVERAGE.md",
            service.id
        );
        assert!(
            !(is_used && listed),
            "service `{}` is used by a consequence set but COVERAGE.md lists it as unused",
            service.id
        );
    }
    for id in &unused {
        assert!(
            kb().service(id).is_some(),
            "COVERAGE.md lists unknown service `{id}`"
        );
    }
}

#[test]
fn every_effect_study_states_its_sample_size_and_follow_up() {
    for e in kb().effects() {
        assert!(e.sample_size.is_some(), "effect `{}`: no sample_size", e.id);
        assert!(
            e.follow_up_months.is_some(),
            "effect `{}`: no follow_up_months",
            e.id
        );
    }
}

#[test]
fn consequence_profiles_stay_within_the_ten_years_soem_data_cover() {
    // SØM's register data follow a target group at most 10 years
    // (som-method.md §2); a longer profile would be extrapolation.
    for set in kb().consequences() {
        for line in &set.lines {
            assert!(
                line.profile.len() <= 10,
                "{} / {} / {}: a profile of {} years",
                set.target_group,
                set.success_measure,
                line.service,
                line.profile.len()
            );
        }
    }
}

/// `som kb show` for a target group: every consequence line, its price, every
/// effect study and the full reference of every source the group's figures cite.
#[test]
fn every_target_group_sheet_shows_its_lines_prices_studies_and_sources() {
    use som::report::{Lang, sheet};
    let kb = KnowledgeBase::embedded();
    for group in kb.target_groups() {
        let sheet = sheet::render(kb, &group.id, Lang::En).unwrap();
        // Notes and references are wrapped: compare with single spaces.
        let text = sheet.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut cited: Vec<&String> = Vec::new();
        for set in kb
            .consequences()
            .iter()
            .filter(|c| c.target_group == group.id)
        {
            for line in &set.lines {
                let service = kb.service(&line.service).unwrap();
                assert!(text.contains(&format!("({})", service.id)), "{text}");
                assert!(
                    text.contains(&format!("(price year {})", service.price.price_year)),
                    "{text}"
                );
                cited.extend(&line.evidence.sources);
                cited.extend(&service.price.evidence.sources);
            }
        }
        for study in kb.effects().iter().filter(|e| e.target_group == group.id) {
            assert!(text.contains(&format!("({})", study.id)), "{text}");
            cited.extend(&study.evidence.sources);
        }
        for id in cited {
            let source = kb.source(id).unwrap();
            assert!(
                text.contains(&format!("[{id}]")),
                "{id} not referenced in\n{text}"
            );
            let publisher = source
                .publisher
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&publisher), "{text}");
            assert!(sheet.contains(&source.url), "URL broken in\n{sheet}");
        }
    }
}

/// Issue 4: consequence profiles "for every target group and success
/// measure". A success measure without one cannot drive a business case.
#[test]
fn every_success_measure_has_a_consequence_set() {
    for group in kb().target_groups() {
        for measure in &group.success_measures {
            assert!(
                kb().consequences_for(&group.id, &measure.id).is_some(),
                "{} / {}: no consequence set",
                group.id,
                measure.id
            );
        }
    }
}

/// README.md states what the knowledge base holds; it must stay true.
#[test]
fn readme_states_the_knowledge_bases_counts() {
    let readme = read("README.md");
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let groups = words.get(kb().target_groups().len()).map_or_else(
        || kb().target_groups().len().to_string(),
        |w| (*w).to_owned(),
    );
    for claim in [
        format!("{groups} target groups"),
        format!("{} services", kb().services().len()),
        format!(
            "{} consequence lines in {} consequence sets",
            kb().consequences()
                .iter()
                .map(|c| c.lines.len())
                .sum::<usize>(),
            kb().consequences().len()
        ),
        format!("{} effect studies", kb().effects().len()),
        format!("{} sources", kb().sources().len()),
    ] {
        let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&claim), "README.md should say `{claim}`");
    }
}

/// Danish reports and sheets show the Danish note: every note has one.
#[test]
fn every_note_has_a_danish_translation() {
    for (what, evidence) in kb().figures() {
        if evidence.note.is_some() {
            assert!(
                evidence
                    .note_da
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty()),
                "{what}: a note without note_da"
            );
        }
    }
}

/// `som kb show --lang da` gives a service's committee reason in Danish:
/// every reason has one.
#[test]
fn every_committee_reason_has_a_danish_translation() {
    let mut reasons = 0;
    for service in kb().services() {
        if service.committee_note.is_some() {
            reasons += 1;
            assert!(
                service
                    .committee_note_da
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty()),
                "{}: a committee_note without committee_note_da",
                service.id
            );
        }
    }
    // knowledge-base/services.json gives 21 reasons (counted with grep).
    assert!(reasons >= 21, "{reasons} committee reasons");
}

/// The Danish report quotes the Danish note of the line it rests on.
#[test]
fn a_danish_report_gives_the_danish_note() {
    use som::report::{Lang, html};
    let case = som::evaluate(&som::Scenario::example(), kb()).unwrap();
    let line = &kb()
        .consequences_for("homeless-adults", "exits-homelessness")
        .unwrap()
        .lines[0];
    let (da, en) = (
        line.evidence.note_da.as_deref().unwrap(),
        line.evidence.note.as_deref().unwrap(),
    );
    let page = html::render(&case, Lang::Da, kb());
    let first_words: String = da.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    assert!(
        page.contains(&first_words),
        "no `{first_words}` in the Danish report"
    );
    let english: String = en.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    assert!(
        !page.contains(&english),
        "the English note in the Danish report"
    );
    assert!(html::render(&case, Lang::En, kb()).contains(&english));
}

#[test]
fn kb_show_puts_the_danish_effect_study_first() {
    // Move the Norwegian IPS trial to the front of effects.json: the sheet and
    // the JSON must still list the Danish trials before it.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
    let mut files: Vec<(String, String)> = som::knowledge_base::FILES
        .iter()
        .map(|f| (f.to_string(), read(&dir.join(f).to_string_lossy())))
        .collect();
    let i = som::knowledge_base::FILES
        .iter()
        .position(|f| *f == "effects.json")
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&files[i].1).unwrap();
    let list = doc["effects"].as_array_mut().unwrap();
    let norway = list
        .iter()
        .position(|e| e["id"] == "ips-norway-18m")
        .unwrap();
    let study = list.remove(norway);
    list.insert(0, study);
    files[i].1 = doc.to_string();
    let kb = KnowledgeBase::from_texts(&files).unwrap();

    let group = "adults-severe-mental-illness";
    let json: serde_json::Value =
        serde_json::from_str(&som::knowledge_base::show(&kb, group).unwrap()).unwrap();
    let countries: Vec<&str> = json["effects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries.first(), Some(&"DK"), "{countries:?}");
    assert_eq!(countries.last(), Some(&"NO"), "{countries:?}");

    let sheet = som::report::sheet::render(&kb, group, som::report::Lang::En).unwrap();
    let danish = sheet.find("(ips-denmark-18m)").unwrap();
    let norwegian = sheet.find("(ips-norway-18m)").unwrap();
    assert!(danish < norwegian, "{sheet}");
}
