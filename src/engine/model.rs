//! The engine's input: a scenario resolved against a knowledge base.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::prices::IndexFactor;
use crate::knowledge_base::StudyDesign;
use crate::payer::{Payer, PayerAmounts};

/// Everything the calculation needs, with every reference to the knowledge
/// base already resolved and every value already checked.
///
/// Build one with [`Scenario::resolve`](crate::Scenario::resolve); the engine
/// ([`evaluate`](super::evaluate)) turns it into a [`BusinessCase`](crate::BusinessCase).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The scenario's name, for reports.
    pub name: String,
    /// Calendar year of t = 0.
    pub start_year: i32,
    /// H: years t = 0 .. H-1 (DESIGN.md §1.1).
    pub horizon_years: usize,
    /// The price year of every reported amount.
    pub price_year: i32,
    /// n_r: participants entering in year r, one entry per year of the horizon.
    pub participants: Vec<Decimal>,
    /// c: the share of participants who complete.
    pub completion_rate: Decimal,
    /// p1: the share of completers reaching the success measure with the intervention.
    pub success_rate: Decimal,
    /// p0: the share reaching it without (the baseline).
    pub baseline_rate: Decimal,
    /// Years from entry to the first year of consequences.
    pub effect_lag_years: usize,
    /// How long and how fully a success lasts.
    pub persistence: Persistence,
    /// The consequence lines with their prices.
    pub lines: Vec<Line>,
    /// The intervention's costs.
    pub costs: Vec<Cost>,
    /// r_t, the discount rate for year t (r_0 is never used: DF(0) = 1).
    pub discount_rates: Vec<Decimal>,
    /// Where the figures came from, for reports.
    pub context: CaseContext,
}

impl Model {
    /// s = p1 - p0, the net success rate (DESIGN.md §1.2).
    pub fn net_success_rate(&self) -> Decimal {
        // Both rates are checked to lie in [0, 1]: the difference cannot overflow.
        self.success_rate - self.baseline_rate
    }
}

/// Persistence of a success (DESIGN.md §1.3): `w[k] = (1 - annual_decay)^k` for
/// k < duration_years, 0 after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persistence {
    /// Years a success lasts; `None` means as long as each profile.
    pub duration_years: Option<usize>,
    /// The share of the effect lost each year, in [0, 1].
    pub annual_decay: Decimal,
}

impl Default for Persistence {
    fn default() -> Persistence {
        Persistence {
            duration_years: None,
            annual_decay: Decimal::ZERO,
        }
    }
}

/// Whom a consequence line applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// Each success: scaled by the net success rate, completion and persistence.
    #[default]
    Successes,
    /// Each participant, e.g. a service the intervention replaces: the
    /// profile is taken as it is.
    Participants,
}

/// One consequence line (konsekvens) with its unit price.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The service id.
    pub service: String,
    /// The service's name, for reports.
    pub label: String,
    /// The service's unit, for reports.
    pub unit: String,
    /// The area (e.g. housing, health) the service belongs to.
    pub area: String,
    /// Whom the line applies to.
    pub applies_to: AppliesTo,
    /// `q[k]`: change in quantity per success (or participant) in the k-th year.
    pub profile: Vec<Decimal>,
    /// Price of one unit per payer, in `price_year` prices.
    pub unit_price: PayerAmounts,
    /// The price year of `unit_price`.
    pub price_year: i32,
    /// index(scenario price year) / index(price_year), as an exact fraction.
    pub index_factor: IndexFactor,
    /// Confidence grade 1 (best) to 5 of the weaker of the line's profile and
    /// price; none when the scenario gave an ungraded figure.
    pub grade: Option<u8>,
}

/// A cost of the intervention (DESIGN.md §1.5), in the scenario's price year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    /// What the cost is for.
    pub label: String,
    /// When it falls.
    pub kind: CostKind,
    /// The amount (kroner, positive).
    pub amount: Decimal,
    /// Who pays.
    pub payer: Payer,
}

/// When a cost falls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostKind {
    /// Once, in year t = `year`.
    OneOff {
        /// The year index t.
        year: usize,
    },
    /// Every year from `from_year` to `to_year`, both included.
    PerYear {
        /// The first year index.
        from_year: usize,
        /// The last year index.
        to_year: usize,
    },
    /// For each participant, in the cohort's entry year.
    PerParticipant,
}

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
