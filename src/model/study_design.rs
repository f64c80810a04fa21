//! The designs of effect studies, from meta-analysis to expert judgement:
//! the knowledge base grades its effects by them and the evidence adjustment
//! discounts by them.

use serde::{Deserialize, Serialize};

/// The design of an effect study.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyDesign {
    /// A meta-analysis of randomised trials.
    MetaAnalysis,
    /// A randomised controlled trial.
    RandomisedTrial,
    /// A quasi-experiment with a constructed comparison group.
    QuasiExperiment,
    /// A before-after measurement without a control group.
    BeforeAfter,
    /// A professional estimate.
    ExpertJudgement,
}

impl StudyDesign {
    /// The design's id as written in files.
    pub fn id(self) -> &'static str {
        match self {
            StudyDesign::MetaAnalysis => "meta_analysis",
            StudyDesign::RandomisedTrial => "randomised_trial",
            StudyDesign::QuasiExperiment => "quasi_experiment",
            StudyDesign::BeforeAfter => "before_after",
            StudyDesign::ExpertJudgement => "expert_judgement",
        }
    }

    /// All designs.
    pub const ALL: [StudyDesign; 5] = [
        StudyDesign::MetaAnalysis,
        StudyDesign::RandomisedTrial,
        StudyDesign::QuasiExperiment,
        StudyDesign::BeforeAfter,
        StudyDesign::ExpertJudgement,
    ];
}
