//! Where a business case's inputs came from: ids, names, the effect's
//! source and the evidence adjustment, recorded in every result.

use rust_decimal::Decimal;
use serde::Serialize;

use super::StudyDesign;

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
