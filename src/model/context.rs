//! Where a business case's inputs came from: ids, names, the effect's
//! source and the evidence adjustment, recorded in every result.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{PayerAmounts, StudyDesign};

/// Where a business case's inputs came from, recorded in every result.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct CaseContext {
    /// Target group id.
    pub target_group: String,
    /// Target group name, for reports.
    pub target_group_name: String,
    /// Success measure id.
    pub success_measure: String,
    /// Success measure name, for reports.
    pub success_measure_name: String,
    /// How the success rate was obtained.
    pub effect: EffectDescription,
    /// The discount schedule, described.
    pub discounting: String,
    /// Knowledge-base version.
    pub knowledge_base_version: String,
    /// Knowledge-base content hash.
    pub knowledge_base_hash: String,
    /// The evidence adjustment applied before the calculation.
    pub evidence: EvidenceApplied,
    /// Where the persistence (the decay of successes) came from.
    pub persistence: PersistenceOrigin,
    /// The dated payer splits used, for lines whose refund rules changed
    /// over time: the split in force in the case's first year.
    pub dated_splits: Vec<DatedSplitApplied>,
    /// The services the scenario defined itself (local services) that its
    /// lines use, with their prices' evidence, for reports.
    pub local_services: Vec<LocalService>,
    /// The sources the scenario defined itself, cited by local services.
    pub local_sources: Vec<LocalSource>,
    /// The kommune's committees the case's lines, costs and grants belong
    /// to, in the knowledge base's order: the rows of the kommune's result
    /// by committee. Empty when the knowledge base has no committees.
    pub committees: Vec<CommitteeName>,
    /// The services the scenario moved to another committee than the
    /// knowledge base's (`committees` in the scenario): service id and
    /// committee id.
    pub committee_remaps: Vec<(String, String)>,
}

/// A committee (udvalg) of the kommune, named for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitteeName {
    /// The id in the knowledge base.
    pub id: String,
    /// The name in English.
    pub name_en: String,
    /// The name in Danish.
    pub name_da: String,
}

impl CaseContext {
    /// The local service of this id, if the scenario defined one.
    pub fn local_service(&self, id: &str) -> Option<&LocalService> {
        self.local_services.iter().find(|s| s.id == id)
    }
}

/// A service a scenario defines because the knowledge base lacks it (a
/// psychiatric emergency visit, a police call-out ...): the knowledge base's
/// service record, checked as the knowledge base's are, kept with the case so
/// every view can name it in either language, mark it as local and cite the
/// evidence for its price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalService {
    /// The id the scenario's lines use.
    pub id: String,
    /// The name in English.
    pub name_en: String,
    /// The name in Danish.
    pub name_da: String,
    /// The unit in English.
    pub unit_en: String,
    /// The unit in Danish.
    pub unit_da: String,
    /// The area id (one of the knowledge base's areas).
    pub area: String,
    /// The committee id, when the knowledge base has committees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// The unit price by payer, in `price_year` prices.
    pub price: PayerAmounts,
    /// The price year of `price`.
    pub price_year: i32,
    /// How the price is founded: `published`, `derived` or `assumption`.
    pub basis: String,
    /// The price's confidence grade, 1 (best) to 5.
    pub grade: Option<u8>,
    /// Source ids: the knowledge base's or the scenario's own.
    pub sources: Vec<String>,
    /// The note quoting the source or showing the arithmetic, in English.
    pub note: Option<String>,
    /// The same note in Danish.
    pub note_da: Option<String>,
}

/// A source a scenario defines for its local services (the municipality's
/// own accounts, a regional price list), as the knowledge base's sources are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalSource {
    /// The id local services cite.
    pub id: String,
    /// Title as published.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Year of publication.
    pub year: Option<i32>,
    /// Where to find it.
    pub url: String,
}

/// A dated payer split a case used for one line's unit price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DatedSplitApplied {
    /// The service id.
    pub service: String,
    /// The year whose split was used (the case's first year).
    pub year: i32,
    /// The first day of the period, when it has one.
    pub from: Option<String>,
    /// The last day of the period, when it has one.
    pub to: Option<String>,
}

/// Where a case's persistence came from (DESIGN.md §1.3): a scenario without
/// `persistence` (or without its `annual_decay`) takes the knowledge base's
/// statement about relapse for its target group and success measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersistenceFrom {
    /// The scenario's `persistence.annual_decay`.
    #[default]
    Scenario,
    /// None on top of the profiles: the knowledge base's profiles already
    /// carry relapse.
    Profile,
    /// The knowledge base's default decay for the target group and success
    /// measure (its profiles describe a lasting success).
    KnowledgeBase,
    /// None: the scenario gives its own consequence lines and no decay, so
    /// its profiles are taken as they are.
    ScenarioLines,
}

impl PersistenceFrom {
    /// The id as written in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            PersistenceFrom::Scenario => "scenario",
            PersistenceFrom::Profile => "profile",
            PersistenceFrom::KnowledgeBase => "knowledge_base",
            PersistenceFrom::ScenarioLines => "scenario_lines",
        }
    }
}

/// The persistence a case used and where it came from, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct PersistenceOrigin {
    /// Where the decay came from.
    pub from: PersistenceFrom,
    /// The grade of the knowledge base's statement, when it came from there.
    pub grade: Option<u8>,
    /// The knowledge base's sources for it.
    pub sources: Vec<String>,
    /// The knowledge base's note, in English.
    pub note: Option<String>,
    /// The knowledge base's note, in Danish.
    pub note_da: Option<String>,
}

/// An evidence adjustment as applied to a model.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct EvidenceApplied {
    /// `none`, `default` or `custom`.
    pub mode: String,
    /// The design of the study behind the effect, when known.
    pub effect_design: Option<StudyDesign>,
    /// The factor applied to the net success rate, when one was.
    pub effect_factor: Option<Decimal>,
    /// Each line's grade and the optimism bias applied to it.
    pub lines: Vec<LineAdjustment>,
}

impl EvidenceApplied {
    /// Whether any adjustment was asked for.
    pub fn is_active(&self) -> bool {
        !self.mode.is_empty() && self.mode != "none"
    }
}

/// The adjustment of one consequence line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineAdjustment {
    /// The service id.
    pub service: String,
    /// The line's grade.
    pub grade: Option<u8>,
    /// The share its gains were reduced by, when graded.
    pub optimism_bias: Option<Decimal>,
}

/// How the success and baseline rates were obtained.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct EffectDescription {
    /// `rates`, or the effect-size kind (`odds_ratio` ...).
    pub kind: String,
    /// The effect size, when one was converted.
    pub value: Option<Decimal>,
    /// The knowledge-base study id, when the effect came from one.
    pub study: Option<String>,
    /// The study's citation, when the effect came from one.
    pub source: Option<String>,
    /// The design of the study behind the effect, when known.
    pub design: Option<StudyDesign>,
}
