//! The names and profiles that every resolved consequence line shares with
//! the knowledge base: a service's id, label, unit, area and committee, and
//! a knowledge-base line's profile, each made once as an [`Arc`] when the
//! knowledge base is loaded. Resolving a scenario clones these (a count
//! goes up) instead of copying each string into a new allocation for every
//! line of every case, and dropping a case counts them down again.
//!
//! A knowledge base's records stay plain, public types ([`Service`],
//! [`ConsequenceLine`](super::ConsequenceLine)) that the crate may change after loading (a
//! package's knowledge base puts its own prices and committees in place,
//! a scenario's local services are added after the others). So each shared
//! value is used only while it still equals its record, checked where it is
//! taken, and made afresh otherwise: whatever way a knowledge base was
//! built or changed, a line carries its record's own names and figures.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::{ConsequenceSet, KnowledgeBase, Service};

/// The shared values of a knowledge base, by position: `services[i]` was
/// made from the knowledge base's `services[i]`, `profiles[s][l]` from line
/// `l` of consequence set `s`.
#[derive(Clone, Default)]
pub(crate) struct Shared {
    services: Vec<ServiceNames>,
    profiles: Vec<Vec<Arc<[Decimal]>>>,
}

impl Shared {
    /// The shared values of these records.
    pub(crate) fn of(services: &[Service], consequences: &[ConsequenceSet]) -> Shared {
        Shared {
            services: services.iter().map(ServiceNames::of).collect(),
            profiles: consequences
                .iter()
                .map(|set| {
                    set.lines
                        .iter()
                        .map(|l| l.profile.as_slice().into())
                        .collect()
                })
                .collect(),
        }
    }
}

/// A cache says nothing about a knowledge base's contents: two knowledge
/// bases with the same records are equal whatever each has shared.
impl PartialEq for Shared {
    fn eq(&self, _: &Shared) -> bool {
        true
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Shared {{ {} services, {} consequence sets }}",
            self.services.len(),
            self.profiles.len()
        )
    }
}

/// A service's names as a resolved line carries them (`crate::model::Line`).
#[derive(Clone, Debug)]
pub(crate) struct ServiceNames {
    pub(crate) id: Arc<str>,
    pub(crate) label: Arc<str>,
    pub(crate) unit: Arc<str>,
    pub(crate) area: Arc<str>,
    pub(crate) committee: Option<Arc<str>>,
}

impl ServiceNames {
    fn of(s: &Service) -> ServiceNames {
        ServiceNames {
            id: s.id.as_str().into(),
            label: s.name.en.as_str().into(),
            unit: s.unit.en.as_str().into(),
            area: s.area.as_str().into(),
            committee: s.committee.as_deref().map(Arc::from),
        }
    }

    fn names(&self, s: &Service) -> bool {
        *self.id == *s.id
            && *self.label == *s.name.en
            && *self.unit == *s.unit.en
            && *self.area == *s.area
            && self.committee.as_deref() == s.committee.as_deref()
    }
}

/// The same figures, digit for digit: `1.50` and `1.5` are equal decimals
/// but a profile keeps the scale it was written with.
fn same_figures(a: &[Decimal], b: &[Decimal]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.serialize() == y.serialize())
}

impl KnowledgeBase {
    /// The position of a service in [`KnowledgeBase::services`].
    pub(crate) fn service_position(&self, id: &str) -> Option<usize> {
        self.services.iter().position(|s| s.id == id)
    }

    /// The names of the service at `position` in [`KnowledgeBase::services`]:
    /// the shared ones while they are still its names.
    pub(crate) fn service_names(&self, position: usize) -> ServiceNames {
        let service = &self.services[position];
        match self.shared.services.get(position) {
            Some(names) if names.names(service) => names.clone(),
            _ => ServiceNames::of(service),
        }
    }

    /// The position of the consequence set for a target group and success
    /// measure in [`KnowledgeBase::consequences`].
    pub(crate) fn consequences_position(
        &self,
        target_group: &str,
        success_measure: &str,
    ) -> Option<usize> {
        self.consequences
            .iter()
            .position(|c| c.target_group == target_group && c.success_measure == success_measure)
    }

    /// The profile of line `line` of the consequence set at `set`: the
    /// shared one while it still holds the line's figures.
    pub(crate) fn line_profile(&self, set: usize, line: usize) -> Arc<[Decimal]> {
        let profile = &self.consequences[set].lines[line].profile;
        match self.shared.profiles.get(set).and_then(|p| p.get(line)) {
            Some(shared) if same_figures(shared, profile) => Arc::clone(shared),
            _ => profile.as_slice().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every service of the embedded knowledge base gets its shared names,
    /// the same allocation each time, equal to its record's.
    #[test]
    fn a_loaded_knowledge_base_shares_each_services_names() {
        let kb = KnowledgeBase::embedded();
        assert_eq!(kb.shared.services.len(), kb.services.len());
        for (i, s) in kb.services.iter().enumerate() {
            let (a, b) = (kb.service_names(i), kb.service_names(i));
            assert!(Arc::ptr_eq(&a.id, &b.id) && Arc::ptr_eq(&a.label, &b.label));
            assert!(a.names(s), "{}", s.id);
        }
        for (s, set) in kb.consequences.iter().enumerate() {
            for (l, line) in set.lines.iter().enumerate() {
                let (a, b) = (kb.line_profile(s, l), kb.line_profile(s, l));
                assert!(Arc::ptr_eq(&a, &b));
                assert!(same_figures(&a, &line.profile));
            }
        }
    }

    /// A record changed after loading (as a package's knowledge base changes
    /// prices and committees) is named as it now stands, never as it was.
    #[test]
    fn a_record_changed_after_loading_is_named_as_it_now_stands() {
        let mut kb = KnowledgeBase::embedded().clone();
        let i = kb.service_position("shelter-day").expect("a service");
        kb.services[i].committee = Some("schools".to_owned());
        kb.services[i].name.en = "Shelter night".to_owned();
        let names = kb.service_names(i);
        assert_eq!(names.committee.as_deref(), Some("schools"));
        assert_eq!(&*names.label, "Shelter night");
        let set = 0;
        let old = kb.line_profile(set, 0);
        // The same value at another scale is another profile as written.
        let first = kb.consequences[set].lines[0].profile[0];
        let mut rescaled = first;
        rescaled.rescale(first.scale() + 1);
        kb.consequences[set].lines[0].profile[0] = rescaled;
        let new = kb.line_profile(set, 0);
        assert!(!Arc::ptr_eq(&old, &new));
        assert_eq!(new[0].scale(), first.scale() + 1);
        assert_eq!(&new[1..], &old[1..]);
    }

    /// A service added after loading (a scenario's local service) has no
    /// shared names yet and gets its own.
    #[test]
    fn a_service_added_after_loading_gets_its_own_names() {
        let kb = KnowledgeBase::embedded();
        let mut local = kb.services[0].clone();
        local.id = "local-service".to_owned();
        let extended = kb.with_records(&[], &[local]);
        let i = extended.service_position("local-service").expect("added");
        assert_eq!(i, kb.services.len());
        assert_eq!(&*extended.service_names(i).id, "local-service");
        assert_eq!(extended, {
            let mut fresh = extended.clone();
            fresh.shared = Shared::default();
            fresh
        });
    }
}
