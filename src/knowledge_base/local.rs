//! Records a scenario defines itself (local services and their sources):
//! checked as the knowledge base's own are, and added to a copy of the
//! knowledge base so that a scenario's lines and a case's views find them as
//! they find the knowledge base's.

use std::borrow::Cow;

use super::{Basis, Evidence, KnowledgeBase, Label, Service, Source, UnitPrice};
use crate::model::{CaseContext, LocalService, LocalSource};

impl KnowledgeBase {
    /// This knowledge base with `services` and `sources` added after its own.
    /// Its version and hash stay the knowledge base's: the additions belong
    /// to the scenario, which every case records beside them.
    pub(crate) fn with_records(&self, sources: &[Source], services: &[Service]) -> KnowledgeBase {
        let mut kb = self.clone();
        kb.sources.extend(sources.iter().cloned());
        kb.services.extend(services.iter().cloned());
        kb
    }

    /// The knowledge base a case's views read: this one with the local
    /// services and sources the case's scenario defined, so that a local
    /// service has its names in either language and its price's evidence
    /// and sources are cited like the knowledge base's. Borrowed when the
    /// case has none.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
    /// assert!(matches!(kb.with_local(&case.context), std::borrow::Cow::Borrowed(_)));
    /// ```
    pub fn with_local(&self, context: &CaseContext) -> Cow<'_, KnowledgeBase> {
        if context.local_services.is_empty() && context.local_sources.is_empty() {
            return Cow::Borrowed(self);
        }
        let sources: Vec<Source> = context.local_sources.iter().map(source).collect();
        let services: Vec<Service> = context.local_services.iter().map(service).collect();
        Cow::Owned(self.with_records(&sources, &services))
    }
}

/// A local service as a case records it.
pub(crate) fn local_service(s: &Service) -> LocalService {
    let e = &s.price.evidence;
    LocalService {
        id: s.id.clone(),
        name_en: s.name.en.clone(),
        name_da: s.name.da.clone(),
        unit_en: s.unit.en.clone(),
        unit_da: s.unit.da.clone(),
        area: s.area.clone(),
        committee: s.committee.clone(),
        price: s.price.amounts(),
        price_year: s.price.price_year,
        basis: e.basis.id().to_owned(),
        grade: e.grade,
        sources: e.sources.clone(),
        note: e.note.clone(),
        note_da: e.note_da.clone(),
    }
}

/// A local source as a case records it.
pub(crate) fn local_source(s: &Source) -> LocalSource {
    LocalSource {
        id: s.id.clone(),
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        year: s.year,
        url: s.url.clone(),
    }
}

fn service(s: &LocalService) -> Service {
    Service {
        id: s.id.clone(),
        name: Label {
            da: s.name_da.clone(),
            en: s.name_en.clone(),
        },
        unit: Label {
            da: s.unit_da.clone(),
            en: s.unit_en.clone(),
        },
        area: s.area.clone(),
        committee: s.committee.clone(),
        committee_note: None,
        committee_note_da: None,
        price: UnitPrice {
            price_year: s.price_year,
            kommune: s.price.kommune,
            region: s.price.region,
            stat: s.price.stat,
            dated_splits: Vec::new(),
            evidence: Evidence {
                basis: Basis::from_id(&s.basis).unwrap_or(Basis::Assumption),
                sources: s.sources.clone(),
                note: s.note.clone(),
                note_da: s.note_da.clone(),
                grade: s.grade,
            },
        },
    }
}

fn source(s: &LocalSource) -> Source {
    Source {
        id: s.id.clone(),
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        year: s.year,
        url: s.url.clone(),
    }
}
