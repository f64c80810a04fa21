//! The knowledge base (vidensdatabase): target groups and their success
//! measures, services with unit prices, consequence profiles, effect studies,
//! the price index and discount schedules (DESIGN.md §3).
//!
//! It is plain JSON under `knowledge-base/`, one concern a file, human-edited
//! and diff-friendly. Every number carries [`Evidence`]: whether it is a
//! published figure, derived from published figures, or an assumption, with
//! its sources and, for derivations and assumptions, the reasoning.
//!
//! The shipped files are compiled into the library ([`KnowledgeBase::embedded`]);
//! a municipality can load its own directory ([`KnowledgeBase::load`]).
//! Loading validates everything and reports every problem at once.

mod files;
mod load;
mod local;
mod shared;
mod types;
mod validate;

pub use files::FILES;
pub(crate) use local::{local_service, local_source};
pub use types::*;
pub(crate) use validate::check_local;

use crate::Problem;

/// A knowledge base that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    /// One or more problems in the files; all of them, not just the first.
    #[error("the knowledge base has {} problem(s):\n{}", .0.len(), crate::problem::list(.0))]
    Invalid(Vec<Problem>),
    /// An id that names no record.
    #[error("{0}")]
    UnknownId(Problem),
}

impl KbError {
    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        match self {
            KbError::Invalid(p) => p,
            KbError::UnknownId(p) => std::slice::from_ref(p),
        }
    }
}

/// Shows one record by id as pretty JSON: the record as it stands in its
/// file, plus, for a target group, its consequence sets and effect studies.
///
/// ```
/// let text = som::knowledge_base::show(som::KnowledgeBase::embedded(), "homeless-adults").unwrap();
/// assert!(text.contains("exits-homelessness"));
/// ```
pub fn show(kb: &KnowledgeBase, id: &str) -> Result<String, KbError> {
    let value = if let Some(g) = kb.target_group(id) {
        let consequences: Vec<_> = kb
            .consequences()
            .iter()
            .filter(|c| c.target_group == id)
            .collect();
        let effects = kb.effects_for(id);
        serde_json::json!({"target_group": g, "consequences": consequences, "effects": effects})
    } else if let Some(s) = kb.service(id) {
        serde_json::json!({"service": s})
    } else if let Some(e) = kb.effect(id) {
        serde_json::json!({"effect": e})
    } else if let Some(d) = kb.discount_schedule(id) {
        serde_json::json!({"discount_schedule": d})
    } else if let Some(a) = kb.area(id) {
        serde_json::json!({"area": a})
    } else if let Some(s) = kb.source(id) {
        serde_json::json!({"source": s})
    } else if let Some(c) = kb.committee(id) {
        let services: Vec<&str> = kb
            .services()
            .iter()
            .filter(|s| s.committee.as_deref() == Some(id))
            .map(|s| s.id.as_str())
            .collect();
        serde_json::json!({"committee": c, "services": services})
    } else if kb.price_index().id == id {
        serde_json::json!({"price_index": kb.price_index()})
    } else {
        return Err(unknown_id(kb, id));
    };
    Ok(format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    ))
}

/// The error for an id that names no record, with the nearest known ids.
pub(crate) fn unknown_id(kb: &KnowledgeBase, id: &str) -> KbError {
    let known: Vec<&str> = kb.ids().into_iter().map(|(_, id)| id).collect();
    let problem = Problem::new(
        "<knowledge base>",
        "$",
        format!("`{id}`"),
        "a known id (see `som kb list`)",
    )
    .suggest(id, known);
    KbError::UnknownId(problem)
}

/// The summary `som kb validate` prints for a valid knowledge base: counts,
/// the share of figures by basis and grade, and coverage per target group.
///
/// ```
/// let text = som::knowledge_base::summary(som::KnowledgeBase::embedded());
/// assert!(text.contains("published"));
/// ```
pub fn summary(kb: &KnowledgeBase) -> String {
    let lines: usize = kb.consequences().iter().map(|c| c.lines.len()).sum();
    let mut out = format!(
        "ok: knowledge base version {} is valid (sha256 {})\n\n\
         {} target groups, {} services, {} consequence lines, {} effect studies, {} sources\n",
        kb.version(),
        kb.hash(),
        kb.target_groups().len(),
        kb.services().len(),
        lines,
        kb.effects().len(),
        kb.sources().len(),
    );
    let figures = kb.figures();
    let count = |basis: Basis| figures.iter().filter(|(_, e)| e.basis == basis).count();
    let share = |n: usize| n * 100 / figures.len().max(1);
    let (published, derived, assumed) = (
        count(Basis::Published),
        count(Basis::Derived),
        count(Basis::Assumption),
    );
    out.push_str(&format!(
        "{} figures: {published} published ({} %), {derived} derived ({} %), {assumed} assumptions ({} %)\n",
        figures.len(),
        share(published),
        share(derived),
        share(assumed),
    ));
    let graded: Vec<String> = (1..=5u8)
        .map(|g| {
            let n = figures
                .iter()
                .filter(|(what, e)| e.grade == Some(g) && !what.starts_with("evidence grade"))
                .count();
            format!("grade {g}: {n}")
        })
        .collect();
    out.push_str(&format!(
        "prices and consequence lines by grade: {}\n",
        graded.join(", ")
    ));
    let all_lines: Vec<&ConsequenceLine> =
        kb.consequences().iter().flat_map(|c| &c.lines).collect();
    let by_grade: Vec<String> = (1..=5u8)
        .map(|g| {
            let n = all_lines
                .iter()
                .filter(|l| l.evidence.grade == Some(g))
                .count();
            format!("grade {g}: {n}")
        })
        .collect();
    let grade_5 = all_lines
        .iter()
        .filter(|l| l.evidence.grade == Some(5))
        .count();
    out.push_str(&format!(
        "consequence lines by grade: {} (grade 5: {} %)\n",
        by_grade.join(", "),
        grade_5 * 100 / all_lines.len().max(1)
    ));
    out.push_str("\ncoverage:\n");
    for c in kb.coverage() {
        let gap = if c.consequence_sets == 0 || c.effect_studies == 0 {
            "  (gap: see COVERAGE.md)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {:<38} consequences for {}/{} success measures, {} effect studies{gap}\n",
            c.target_group, c.consequence_sets, c.success_measures, c.effect_studies
        ));
        out.push_str(&format!(
            "  {:<38} {} lines in {} areas: {}\n",
            "",
            c.lines,
            c.areas.len(),
            if c.areas.is_empty() {
                "none".to_owned()
            } else {
                c.areas.join(", ")
            }
        ));
    }
    out.push_str("\nservices without a price for a payer (that payer's part is 0):\n");
    for payer in crate::Payer::ALL {
        let unpriced: Vec<&str> = kb
            .services()
            .iter()
            .filter(|s| s.price.amounts().get(payer).is_zero())
            .map(|s| s.id.as_str())
            .collect();
        out.push_str(&format!(
            "  {:<8} {} of {}: {}\n",
            payer.id(),
            unpriced.len(),
            kb.services().len(),
            if unpriced.is_empty() {
                "none".to_owned()
            } else {
                unpriced.join(", ")
            }
        ));
    }
    let used: std::collections::BTreeSet<&str> = kb
        .consequences()
        .iter()
        .flat_map(|c| c.lines.iter().map(|l| l.service.as_str()))
        .collect();
    let unused: Vec<&str> = kb
        .services()
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| !used.contains(id))
        .collect();
    out.push_str(&format!(
        "services no consequence line uses: {} of {} (see COVERAGE.md)\n",
        unused.len(),
        kb.services().len()
    ));
    out
}
