//! Scenarios: what the analyst asks (DESIGN.md §4).
//!
//! A scenario is JSON. Numbers may be JSON numbers or strings; both are read
//! exactly (`0.1` is the decimal 0.1, not the nearest binary fraction).
//! Unknown fields are an error. [`Scenario::resolve`] checks every value and
//! resolves every reference against a [`KnowledgeBase`], collecting all
//! problems with their JSON paths, and gives the engine's [`Model`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Problem;
use crate::knowledge_base::{EffectSize, KnowledgeBase, Service, Source};
use crate::model::discount::rates_from_steps;
use crate::model::effect_size;
use crate::model::limits::{MAX_HORIZON_YEARS, MAX_LAG_YEARS, MAX_PROFILE_YEARS};
use crate::model::{
    AppliesTo, CaseContext, Cost, CostKind, DatedSplitApplied, EffectDescription, EvidenceApplied,
    Line, LineAdjustment, Model, Payer, PayerAmounts, Persistence, PersistenceFrom,
    PersistenceOrigin, StudyDesign,
};

mod funding;
mod resolve;

pub(crate) use funding::package_grants;
pub use funding::{GrantSpec, GrantYear};

/// The built-in example: Housing First for homeless adults.
const EXAMPLE: &str = include_str!("../../examples/housing-first.json");

/// A scenario that could not be read or resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Every problem found, each with file and JSON path.
    #[error("the scenario has {} problem(s):\n{}", .0.len(), crate::problem::list(.0))]
    Invalid(Vec<Problem>),
}

impl ScenarioError {
    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Invalid(p) => p,
        }
    }
}

/// A business-case scenario (DESIGN.md §4).
///
/// ```
/// let scenario = som::Scenario::from_json(r#"{
///     "name": "Housing First, 20 citizens",
///     "target_group": "homeless-adults",
///     "success_measure": "exits-homelessness",
///     "start_year": 2026,
///     "horizon_years": 5,
///     "cohorts": [{"year": 0, "participants": 20}],
///     "effect": {"success_rate": "0.45", "baseline_rate": 0.20}
/// }"#).unwrap();
/// let model = scenario.resolve(som::KnowledgeBase::embedded()).unwrap();
/// assert_eq!(model.net_success_rate(), "0.25".parse().unwrap());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A name for reports.
    pub name: String,
    /// Target group id in the knowledge base.
    pub target_group: String,
    /// Success measure id of that target group.
    pub success_measure: String,
    /// Calendar year of t = 0.
    #[serde(deserialize_with = "crate::number::int")]
    pub start_year: i64,
    /// H, 1 to 100.
    #[serde(deserialize_with = "crate::number::int")]
    pub horizon_years: i64,
    /// Price year of every amount; the knowledge base's default when absent.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub price_year: Option<i64>,
    /// Discounting; the knowledge base's default schedule when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounting: Option<Discounting>,
    /// Participants entering per year.
    pub cohorts: Vec<Cohort>,
    /// c, the share who complete; 1 when absent.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub completion_rate: Option<Decimal>,
    /// The effect.
    pub effect: Effect,
    /// Years from entry to the first consequences; 1 when absent.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub effect_lag_years: Option<i64>,
    /// How long a success lasts. Without it (or without its `annual_decay`)
    /// the knowledge base decides: no decay where its profiles already carry
    /// relapse, the group's default decay where they do not, none for the
    /// scenario's own consequence lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<PersistenceSpec>,
    /// The intervention's costs.
    #[serde(default)]
    pub costs: Vec<CostSpec>,
    /// Consequence lines; the knowledge base's for the target group and
    /// success measure when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequences: Option<Vec<ConsequenceSpec>>,
    /// Unit prices that override the knowledge base's, by service id.
    #[serde(
        default,
        deserialize_with = "crate::json_keys::map_without_repeats",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub prices: BTreeMap<String, PriceOverride>,
    /// Services the knowledge base lacks, defined here for the scenario's
    /// consequence lines: records of `services.json`'s shape (id, names and
    /// unit in Danish and English, area, price by payer with its price year
    /// and graded evidence), checked as the knowledge base's are. Every one
    /// must be used by a consequence line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_services: Vec<Service>,
    /// Services moved to another committee of the kommune than the
    /// knowledge base's: service id to committee id (a kommune whose
    /// schools have their own committee: `{"ordinary-school-week": "schools"}`).
    #[serde(
        default,
        deserialize_with = "crate::json_keys::map_without_repeats",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub committees: BTreeMap<String, String>,
    /// Grants that pay part of the kommune's costs: from the state (the
    /// social investment pool), the region, or outside the public sector
    /// (a foundation), by year (DESIGN.md §1.10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub financing: Vec<GrantSpec>,
    /// Sources the local services cite that the knowledge base lacks:
    /// records of `sources.json`'s shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_sources: Vec<Source>,
    /// Adjust for how well founded the figures are: `"none"` (the default),
    /// `"default"` (the knowledge base's factors) or
    /// `{"custom": {"design_factors": {...}, "optimism_bias": {"4": 0.3}}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_adjustment: Option<EvidenceAdjustment>,
    /// Where the scenario was read from, for problems.
    #[serde(skip)]
    pub origin: Option<String>,
}

/// A cohort: participants entering in year t = `year`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cohort {
    /// The entry year index.
    #[serde(deserialize_with = "crate::number::int")]
    pub year: i64,
    /// The number of participants (non-negative).
    #[serde(deserialize_with = "crate::number::decimal")]
    pub participants: Decimal,
}

/// The effect: rates, an effect size with a baseline, or a study id.
///
/// Exactly one of these combinations:
/// `success_rate` + `baseline_rate`; `effect_size` + `baseline_rate`;
/// `study` (with `baseline_rate` only when the study gives none).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// p1.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub success_rate: Option<Decimal>,
    /// p0.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub baseline_rate: Option<Decimal>,
    /// An effect size to convert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect_size: Option<EffectSize>,
    /// An effect study id in the knowledge base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study: Option<String>,
    /// The design of the study behind rates or an effect size given in the
    /// scenario, for the evidence adjustment (a knowledge-base study has its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<StudyDesign>,
}

/// Persistence of a success.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersistenceSpec {
    /// Years a success lasts.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration_years: Option<i64>,
    /// Share of the effect lost each year.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub annual_decay: Option<Decimal>,
}

/// When a cost falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKindName {
    /// Once, in `year`.
    OneOff,
    /// Every year from `from_year` to `to_year`.
    PerYear,
    /// For each participant, in the cohort's entry year, or every year of a
    /// course of `years` years from it.
    PerParticipant,
}

/// A cost as written in a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// What it is for.
    pub label: String,
    /// When it falls.
    pub kind: CostKindName,
    /// For `one_off`: the year index.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub year: Option<i64>,
    /// For `per_year`: the first year index.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub from_year: Option<i64>,
    /// For `per_year`: the last year index.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub to_year: Option<i64>,
    /// For `per_participant`: the length of the course in years, the cost
    /// falling on each participant every year from the cohort's entry year
    /// (two years of support per citizen: 2); 1 when absent.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub years: Option<i64>,
    /// The amount in kroner, in the scenario's price year.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub amount: Decimal,
    /// Who pays: kommune, region or stat.
    pub payer: Payer,
    /// Confidence grade 1 to 5 of the amount, shown with the cost in every view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    /// The kommune's committee that bears the cost; the target group's
    /// committee when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
}

/// A consequence line given in the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsequenceSpec {
    /// Service id in the knowledge base.
    pub service: String,
    /// Change in quantity per success (or participant) in the k-th year.
    #[serde(deserialize_with = "crate::number::decimals")]
    pub profile: Vec<Decimal>,
    /// Whom the line applies to; successes when absent.
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// Confidence grade 1 to 5 of the profile, for the evidence adjustment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
}

/// A unit price that overrides the knowledge base's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// The municipality's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub kommune: Decimal,
    /// The region's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub region: Decimal,
    /// The state's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub stat: Decimal,
    /// The price year of these amounts.
    #[serde(deserialize_with = "crate::number::int")]
    pub price_year: i64,
    /// Confidence grade 1 to 5 of the price, for the evidence adjustment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
}

/// How to adjust a business case for the strength of its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceAdjustment {
    /// No adjustment.
    None,
    /// The knowledge base's design factors and optimism biases (`evidence.json`).
    Default,
    /// The knowledge base's, with some factors replaced.
    Custom(CustomEvidenceFactors),
}

/// Factors that replace the knowledge base's in a custom evidence adjustment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomEvidenceFactors {
    /// Factor on the net success rate by study design.
    #[serde(default, deserialize_with = "crate::number::decimal_map")]
    pub design_factors: BTreeMap<StudyDesign, Decimal>,
    /// Optimism bias by confidence grade ("1" to "5").
    #[serde(default, deserialize_with = "crate::number::decimal_map")]
    pub optimism_bias: BTreeMap<String, Decimal>,
}

/// How to discount (DESIGN.md §1.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discounting {
    /// No discounting: DF(t) = 1.
    None,
    /// A schedule id from the knowledge base, e.g. `dk-fm-2021`.
    Schedule(String),
    /// One rate for every year.
    Constant(Decimal),
    /// r_t for t = 1 .. H-1.
    Rates(Vec<Decimal>),
}

impl fmt::Display for Discounting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Discounting::None => f.write_str("none"),
            Discounting::Schedule(id) => f.write_str(id),
            Discounting::Constant(r) => write!(f, "constant {r}"),
            Discounting::Rates(r) => write!(f, "{} explicit yearly rates", r.len()),
        }
    }
}

impl Serialize for Discounting {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Discounting::None => s.serialize_str("none"),
            Discounting::Schedule(id) => s.serialize_str(id),
            Discounting::Constant(r) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("constant", r)?;
                m.end()
            }
            Discounting::Rates(r) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("rates", r)?;
                m.end()
            }
        }
    }
}

impl CostKindName {
    /// The kind as written in files.
    pub fn id(self) -> &'static str {
        match self {
            CostKindName::OneOff => "one_off",
            CostKindName::PerYear => "per_year",
            CostKindName::PerParticipant => "per_participant",
        }
    }
}

impl<'de> Deserialize<'de> for Discounting {
    /// A string, or an object of one key whose value is read as a tree of
    /// values. The answers and messages are those of reading the whole as a
    /// [`Value`] first, without building one for a schedule id; an object
    /// with a second key is refused when the key is met (read from text, a
    /// repeated key goes no further: `json_keys::map_without_repeats`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Discounting, D::Error> {
        d.deserialize_any(DiscountingVisitor)
    }
}

/// What [`Discounting`] accepts, in its messages.
const DISCOUNTING_EXPECTED: &str =
    "a schedule id, \"none\", {\"constant\": rate} or {\"rates\": [rate, ...]}";

/// Reads a [`Discounting`]; anything but a string or an object of one key
/// is refused with [`DISCOUNTING_EXPECTED`].
struct DiscountingVisitor;

impl DiscountingVisitor {
    fn refused<E: de::Error>() -> E {
        de::Error::custom(format!("expected {DISCOUNTING_EXPECTED}"))
    }
}

impl<'de> de::Visitor<'de> for DiscountingVisitor {
    type Value = Discounting;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(DISCOUNTING_EXPECTED)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Discounting, E> {
        Ok(match s {
            "none" => Discounting::None,
            id => Discounting::Schedule(id.to_owned()),
        })
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Discounting, E> {
        Ok(match s.as_str() {
            "none" => Discounting::None,
            _ => Discounting::Schedule(s),
        })
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Discounting, E> {
        Err(Self::refused())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Discounting, E> {
        Err(Self::refused())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Discounting, E> {
        Err(Self::refused())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Discounting, E> {
        Err(Self::refused())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Discounting, E> {
        Err(Self::refused())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Discounting, A::Error> {
        Err(Self::refused())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Discounting, A::Error> {
        // An empty object, and serde_json's form of a number (an object
        // whose one key is its token), are not a discounting.
        let key = match map.next_key::<String>()? {
            Some(key) if key != crate::number::NUMBER_TOKEN => key,
            _ => return Err(Self::refused()),
        };
        let v: Value = map.next_value()?;
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(Self::refused());
        }
        match key.as_str() {
            "constant" => crate::number::from_value(&v)
                .map(Discounting::Constant)
                .map_err(de::Error::custom),
            "rates" => match v {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        crate::number::from_value(x)
                            .map_err(|e| de::Error::custom(format!("rates[{i}]: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Discounting::Rates),
                _ => Err(de::Error::custom("`rates` must be a list of rates")),
            },
            other => Err(de::Error::custom(format!(
                "unknown discounting `{other}`, expected {DISCOUNTING_EXPECTED}"
            ))),
        }
    }
}

impl Scenario {
    /// Reads a scenario from JSON text. Problems name `<input>` as the file.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_json_named(text, "<input>")
    }

    /// Reads a scenario from JSON text, naming `file` in problems.
    pub fn from_json_named(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let problem = |path: String, found: String, expected: String| {
            ScenarioError::Invalid(vec![Problem::new(file, path, found, expected)])
        };
        if text.trim().is_empty() {
            return Err(problem(
                "$".into(),
                "an empty file".into(),
                "a JSON scenario object".into(),
            ));
        }
        // A valid scenario is read straight from the text, in one pass. Any
        // failure, and an input that is not an object, take the route below
        // that builds a tree of values first and reports every problem (with
        // the same messages whichever way the text came in). A scenario read
        // here is the one that route reads: the same `Deserialize` sees the
        // same values (numbers keep their text either way), `arms` is an
        // unknown field, and a repeated key fails the reading here (every
        // place a scenario's keys are read refuses one:
        // `json_keys::map_without_repeats` says how), so that the route below
        // names it with its path.
        if text.trim_start().starts_with('{')
            && let Ok(mut scenario) = serde_json::from_str::<Scenario>(text)
        {
            scenario.origin = Some(file.to_owned());
            return Ok(scenario);
        }
        Scenario::read_through_tree(text, file)
    }

    /// [`Scenario::from_json_named`] by way of a tree of JSON values, which
    /// lets every problem in the text be found and reported.
    fn read_through_tree(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let problem = |path: String, found: String, expected: String| {
            ScenarioError::Invalid(vec![Problem::new(file, path, found, expected)])
        };
        let value: Value = serde_json::from_str(text)
            .map_err(|e| problem("$".into(), String::new(), format!("malformed JSON: {e}")))?;
        let repeated = crate::json_keys::duplicate_keys(file, text);
        if !repeated.is_empty() {
            return Err(ScenarioError::Invalid(repeated));
        }
        if !value.is_object() {
            let kind = crate::problem::kind_of(&value);
            return Err(problem(
                "$".into(),
                kind.into(),
                "a JSON scenario object".into(),
            ));
        }
        if value.get("arms").is_some() {
            return Err(problem(
                "$.arms".into(),
                "a package of several interventions (`arms`)".into(),
                "a scenario of one intervention here: `som run` and `som report` \
                 (and `som::package`) read packages; this step takes one arm at a time"
                    .into(),
            ));
        }
        let mut scenario: Scenario = crate::problem::deserialize_all(&value, file, "$", text.len())
            .map_err(ScenarioError::Invalid)?;
        scenario.origin = Some(file.to_owned());
        Ok(scenario)
    }

    /// Reads a scenario file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = crate::read_input(path).map_err(|p| ScenarioError::Invalid(vec![p]))?;
        Scenario::from_json_named(&text, &shown)
    }

    /// The built-in example: Housing First for homeless adults on the
    /// embedded knowledge base (`examples/housing-first.json`).
    ///
    /// ```
    /// assert!(som::Scenario::example().name.contains("Housing First"));
    /// ```
    pub fn example() -> Scenario {
        match Scenario::from_json_named(EXAMPLE, "examples/housing-first.json") {
            Ok(s) => s,
            // Unreachable for a released build: tests read the example.
            Err(e) => panic!("the built-in example scenario is invalid: {e}"),
        }
    }

    /// Checks every value and resolves every reference against `kb`.
    ///
    /// All problems are collected, each with the scenario's file and JSON path.
    pub fn resolve(&self, kb: &KnowledgeBase) -> Result<Model, ScenarioError> {
        self.resolve_as(kb, false)
    }

    /// Resolves one arm of a package (`crate::package`): as [`Scenario::resolve`],
    /// except that a local service or price override no line of this arm
    /// uses is left for the package to check against all its arms.
    pub(crate) fn resolve_arm(&self, kb: &KnowledgeBase) -> Result<Model, ScenarioError> {
        self.resolve_as(kb, true)
    }

    fn resolve_as(&self, kb: &KnowledgeBase, in_package: bool) -> Result<Model, ScenarioError> {
        let file = self.origin.clone().unwrap_or_else(|| "<input>".to_owned());
        // Local records are checked as the knowledge base's are, then the
        // scenario is resolved against the knowledge base with them added,
        // so its lines find a local service as they find the knowledge base's.
        let problems = crate::knowledge_base::check_local(
            kb,
            &file,
            &self.local_sources,
            &self.local_services,
        );
        let extended;
        let kb = if self.local_services.is_empty() && self.local_sources.is_empty() {
            kb
        } else {
            extended = kb.with_records(&self.local_sources, &self.local_services);
            &extended
        };
        let mut r = resolve::Resolver {
            file,
            problems,
            dated_splits: Vec::new(),
            in_package,
        };
        let model = r.resolve(self, kb);
        match model {
            Some(m) if r.problems.is_empty() => Ok(m),
            _ => Err(ScenarioError::Invalid(r.problems)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example scenario, and the benches' and golden scenarios: read
    /// straight from the text as through a tree of values.
    #[test]
    fn a_valid_scenario_reads_the_same_straight_from_the_text_as_through_a_tree() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut read = 0;
        for dir in ["examples", "benches", "tests/golden"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).expect("a directory") {
                let path = entry.expect("an entry").path();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let through_tree = Scenario::read_through_tree(&text, "f");
                if path.extension().is_none_or(|e| e != "json") || through_tree.is_err() {
                    continue;
                }
                assert_eq!(Scenario::from_json_named(&text, "f"), through_tree);
                let straight = serde_json::from_str::<Scenario>(&text).expect("reads");
                assert_eq!(
                    Ok(straight),
                    through_tree.map(|s| Scenario { origin: None, ..s })
                );
                read += 1;
            }
        }
        assert!(read >= 20, "{read} scenarios");
    }

    /// serde alone keeps the last of a key repeated in a map (a price
    /// override or a committee); a scenario's reading refuses it, and the
    /// problem names it (tests/repeated_keys.rs: every object).
    #[test]
    fn a_key_repeated_in_a_map_is_refused_though_serde_would_keep_the_last() {
        let map: BTreeMap<String, String> =
            serde_json::from_str(r#"{"x": "a", "x": "b"}"#).expect("serde reads it");
        assert_eq!(map["x"], "b");
        let text = EXAMPLE.replacen('{', r#"{"committees": {"x": "a", "x": "b"},"#, 1);
        assert!(serde_json::from_str::<Scenario>(&text).is_err());
        let err = Scenario::from_json(&text).unwrap_err().to_string();
        assert!(
            err.contains("$.committees.x") && err.contains("the key `x` a second time"),
            "{err}"
        );
    }

    /// A package's `arms` beside a scenario's fields is named, not read.
    #[test]
    fn arms_at_the_top_are_refused_with_their_own_message() {
        let text = EXAMPLE.replacen('{', r#"{"arms": [],"#, 1);
        let err = Scenario::from_json(&text).unwrap_err().to_string();
        assert!(err.contains("$.arms") && err.contains("(`arms`)"), "{err}");
    }
}
