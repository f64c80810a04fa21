//! Packages: several interventions (arms) in one business case
//! (DESIGN.md §1.10, §4.1).
//!
//! A municipality's application often combines interventions, each for its
//! own sub-group: Housing First for 40 citizens and CTI for 20. A package
//! file holds what they share at the top (name, start year, horizon, price
//! year, discounting, price overrides, local services and sources, the
//! evidence adjustment, the kommune's committee remap and the grants for the
//! whole application) and each intervention in `arms`, with its own target
//! group, success measure, cohorts, completion rate, effect, lag,
//! persistence, costs and consequence lines.
//!
//! Each arm is the single-intervention [`Scenario`] the engine already
//! evaluates: the shared fields plus the arm's own. The model is linear in
//! its flows, so the package's yearly flows by payer are the sums of the
//! arms' flows, and its present values the sums of theirs; the ratios, the
//! break-even year and the figures per participant and per success are
//! computed from those sums ([`total`]). The kommune's result by committee
//! is summed committee by committee, and the package's grants finance the
//! total as a scenario's finance its case ([`total::with_grants`]).
//!
//! ```
//! let package = som::package::Package::from_json(r#"{
//!     "name": "Two arms",
//!     "start_year": 2026, "horizon_years": 5, "discounting": "none",
//!     "arms": [
//!         {"name": "A", "target_group": "homeless-adults", "success_measure": "exits-homelessness",
//!          "cohorts": [{"year": 0, "participants": 10}],
//!          "effect": {"success_rate": 0.5, "baseline_rate": 0.2}},
//!         {"name": "B", "target_group": "homeless-adults", "success_measure": "exits-homelessness",
//!          "cohorts": [{"year": 0, "participants": 20}],
//!          "effect": {"success_rate": 0.4, "baseline_rate": 0.2}}
//!     ]
//! }"#).unwrap();
//! let case = som::package::evaluate(&package, som::KnowledgeBase::embedded()).unwrap();
//! let npv = case.arms[0].summary.npv.total + case.arms[1].summary.npv.total;
//! assert_eq!(case.total.summary.npv.total, npv);
//! assert_eq!(case.total.summary.participants, 30.into());
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Problem;
use crate::business_case::BusinessCase;
use crate::engine;
use crate::evaluation::Error;
use crate::knowledge_base::{Basis, Evidence, KnowledgeBase, Service, Source, UnitPrice};
use crate::model::{CalcError, Grant, Model};
use crate::scenario::{
    Cohort, ConsequenceSpec, CostSpec, Discounting, Effect, EvidenceAdjustment, GrantSpec,
    PersistenceSpec, PriceOverride, Scenario, ScenarioError,
};

pub mod total;

/// The fields that belong to one intervention: in a package each arm has
/// its own, and the top level may not hold them.
pub const ARM_FIELDS: [&str; 9] = [
    "target_group",
    "success_measure",
    "cohorts",
    "completion_rate",
    "effect",
    "effect_lag_years",
    "persistence",
    "costs",
    "consequences",
];

/// A package: interventions (arms) for their own sub-groups, sharing the
/// horizon, prices and discounting (DESIGN.md §4.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// A name for reports.
    pub name: String,
    /// Calendar year of t = 0, shared by every arm.
    #[serde(deserialize_with = "crate::number::int")]
    pub start_year: i64,
    /// H, 1 to 100, shared by every arm.
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
    /// Unit prices that override the knowledge base's, by service id, for
    /// every arm; each must be used by some arm's lines.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prices: BTreeMap<String, PriceOverride>,
    /// Services the knowledge base lacks, as in a scenario; each must be
    /// used by some arm's lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_services: Vec<Service>,
    /// Sources the local services cite, as in a scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_sources: Vec<Source>,
    /// The evidence adjustment, applied to every arm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_adjustment: Option<EvidenceAdjustment>,
    /// Services moved to another committee of the kommune, as in a
    /// scenario, for every arm; each must be used by some arm's lines.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub committees: BTreeMap<String, String>,
    /// Grants for the whole application, as in a scenario (DESIGN.md
    /// §1.10): they finance the package total, not one arm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub financing: Vec<GrantSpec>,
    /// The interventions, at least one, with distinct names.
    pub arms: Vec<Arm>,
    /// Where the package was read from, for problems.
    #[serde(skip)]
    pub origin: Option<String>,
}

/// Fields of a scenario that a package holds once for all its arms, and an
/// arm may not hold: the kommune's committee remap and the grants for the
/// whole application (DESIGN.md §4.1).
pub const PACKAGE_ONLY_FIELDS: [&str; 2] = ["committees", "financing"];

/// One intervention of a package: the fields of a [`Scenario`] that belong
/// to one intervention, with the same meaning and defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    /// The arm's name, for reports; distinct within the package.
    pub name: String,
    /// Target group id in the knowledge base.
    pub target_group: String,
    /// Success measure id of that target group.
    pub success_measure: String,
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
    /// How long a success lasts, as in a scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<PersistenceSpec>,
    /// The arm's costs.
    #[serde(default)]
    pub costs: Vec<CostSpec>,
    /// Consequence lines; the knowledge base's for the arm's target group
    /// and success measure when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequences: Option<Vec<ConsequenceSpec>>,
}

/// A package's business case: each arm's case, and the package total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageCase {
    /// The package's name.
    pub name: String,
    /// Each arm's business case, in the order of `arms`; its `scenario` is
    /// the arm's name.
    pub arms: Vec<BusinessCase>,
    /// The package total ([`total::combine`]): flows and present values
    /// summed over the arms, ratios and break-even year computed from the
    /// sums. Its effect figures are not one intervention's and views do not
    /// show them: see [`total::combine`] for what they hold.
    pub total: BusinessCase,
}

/// A scenario file's content: one intervention, or a package of them.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A single-intervention scenario.
    Scenario(Box<Scenario>),
    /// A package with `arms`.
    Package(Box<Package>),
}

impl Input {
    /// Reads JSON text: a package when it has `arms`, else a scenario.
    /// Problems name `file`.
    pub fn from_json_named(text: &str, file: &str) -> Result<Input, ScenarioError> {
        let is_package = serde_json::from_str::<Value>(text)
            .ok()
            .is_some_and(|v| v.get("arms").is_some());
        if is_package {
            Package::from_json_named(text, file).map(|p| Input::Package(Box::new(p)))
        } else {
            Scenario::from_json_named(text, file).map(|s| Input::Scenario(Box::new(s)))
        }
    }

    /// Reads a scenario or package file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Input, ScenarioError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = crate::read_input(path).map_err(|p| ScenarioError::Invalid(vec![p]))?;
        Input::from_json_named(&text, &shown)
    }
}

impl Package {
    /// Reads a package from JSON text. Problems name `<input>` as the file.
    pub fn from_json(text: &str) -> Result<Package, ScenarioError> {
        Package::from_json_named(text, "<input>")
    }

    /// Reads a package from JSON text, naming `file` in problems. A field of
    /// one intervention at the top level beside `arms` is refused: each arm
    /// states its own.
    pub fn from_json_named(text: &str, file: &str) -> Result<Package, ScenarioError> {
        let problem = |path: &str, found: String, expected: &str| {
            ScenarioError::Invalid(vec![Problem::new(file, path, found, expected)])
        };
        if text.trim().is_empty() {
            return Err(problem(
                "$",
                "an empty file".into(),
                "a JSON package object",
            ));
        }
        let mut value: Value = serde_json::from_str(text)
            .map_err(|e| problem("$", String::new(), &format!("malformed JSON: {e}")))?;
        let repeated = crate::json_keys::duplicate_keys(file, text);
        if !repeated.is_empty() {
            return Err(ScenarioError::Invalid(repeated));
        }
        let Some(object) = value.as_object_mut() else {
            let kind = crate::problem::kind_of(&value);
            return Err(problem("$", kind.into(), "a JSON package object"));
        };
        let mut problems = Vec::new();
        for field in ARM_FIELDS {
            if object.remove(field).is_some() {
                problems.push(Problem::new(
                    file,
                    format!("$.{field}"),
                    format!("`{field}` at the top level of a package (a file with `arms`)"),
                    format!(
                        "`{field}` inside each arm (`$.arms[i].{field}`): in a package every \
                         intervention states its own, and the top level holds only what the \
                         arms share (name, start_year, horizon_years, price_year, discounting, \
                         prices, local_services, local_sources, evidence_adjustment, committees, \
                         financing)"
                    ),
                ));
            }
        }
        if let Some(arms) = object.get_mut("arms").and_then(Value::as_array_mut) {
            for (i, arm) in arms.iter_mut().enumerate() {
                let Some(arm) = arm.as_object_mut() else {
                    continue;
                };
                for field in PACKAGE_ONLY_FIELDS {
                    if arm.remove(field).is_some() {
                        problems.push(Problem::new(
                            file,
                            format!("$.arms[{i}].{field}"),
                            format!("`{field}` inside an arm"),
                            format!(
                                "`{field}` at the package's top level (`$.{field}`): the kommune's \
                                 committees and the grants for the application are the package's, \
                                 shared by every arm (a grant that pays for one arm's costs names \
                                 the committee that receives it)"
                            ),
                        ));
                    }
                }
            }
        }
        let read = crate::problem::deserialize_all::<Package>(&value, file, "$", text.len());
        let package = match read {
            Ok(p) => Some(p),
            Err(more) => {
                problems.extend(more);
                None
            }
        };
        if let Some(p) = &package {
            if p.arms.is_empty() {
                problems.push(empty_arms(file));
            }
            for (i, arm) in p.arms.iter().enumerate() {
                if ["total", "i alt"].contains(&arm.name.trim().to_lowercase().as_str()) {
                    problems.push(Problem::new(
                        file,
                        format!("$.arms[{i}].name"),
                        format!("`{}`", arm.name),
                        "a name other than `total` or `I alt`, which the views use for the package total",
                    ));
                }
                if p.arms[..i].iter().any(|a| a.name == arm.name) {
                    problems.push(Problem::new(
                        file,
                        format!("$.arms[{i}].name"),
                        format!("`{}`, the name of an earlier arm", arm.name),
                        "a name no other arm of the package has",
                    ));
                }
            }
        }
        match package {
            Some(mut p) if problems.is_empty() => {
                p.origin = Some(file.to_owned());
                Ok(p)
            }
            _ => Err(ScenarioError::Invalid(problems)),
        }
    }

    /// Reads a package file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Package, ScenarioError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = crate::read_input(path).map_err(|p| ScenarioError::Invalid(vec![p]))?;
        Package::from_json_named(&text, &shown)
    }

    fn file(&self) -> String {
        self.origin.clone().unwrap_or_else(|| "<input>".to_owned())
    }

    /// Arm `i` as the single-intervention scenario the engine evaluates: the
    /// shared fields and the arm's own, named after the arm.
    pub fn arm_scenario(&self, i: usize) -> Option<Scenario> {
        let arm = self.arms.get(i)?;
        Some(Scenario {
            name: arm.name.clone(),
            target_group: arm.target_group.clone(),
            success_measure: arm.success_measure.clone(),
            start_year: self.start_year,
            horizon_years: self.horizon_years,
            price_year: self.price_year,
            discounting: self.discounting.clone(),
            cohorts: arm.cohorts.clone(),
            completion_rate: arm.completion_rate,
            effect: arm.effect.clone(),
            effect_lag_years: arm.effect_lag_years,
            persistence: arm.persistence.clone(),
            costs: arm.costs.clone(),
            consequences: arm.consequences.clone(),
            prices: self.prices.clone(),
            local_services: self.local_services.clone(),
            local_sources: self.local_sources.clone(),
            evidence_adjustment: self.evidence_adjustment.clone(),
            // The package's grants finance the total, not an arm.
            committees: self.committees.clone(),
            financing: Vec::new(),
            origin: self.origin.clone(),
        })
    }

    /// Resolves every arm against `kb`: one [`Model`] per arm. Problems of an
    /// arm's own fields carry its path (`$.arms[1].effect.success_rate`),
    /// problems of the shared fields their own, once; the package's grants
    /// are checked too ([`Package::resolve_with_grants`]).
    pub fn resolve(&self, kb: &KnowledgeBase) -> Result<Vec<Model>, ScenarioError> {
        self.resolve_with_grants(kb).map(|(models, _)| models)
    }

    /// Resolves every arm as [`Package::resolve`] does, and the package's
    /// grants (`$.financing`): checked as a scenario's, each in its own
    /// committee or, absent that, the committee of the arms' target groups.
    pub fn resolve_with_grants(
        &self,
        kb: &KnowledgeBase,
    ) -> Result<(Vec<Model>, Vec<Grant>), ScenarioError> {
        let mut problems: Vec<Problem> = Vec::new();
        if self.arms.is_empty() {
            problems.push(empty_arms(&self.file()));
        }
        let mut models = Vec::with_capacity(self.arms.len());
        for i in 0..self.arms.len() {
            let Some(scenario) = self.arm_scenario(i) else {
                continue;
            };
            match scenario.resolve_arm(kb) {
                Ok(m) => models.push(m),
                Err(e) => {
                    for p in e.problems() {
                        let p = Problem {
                            path: arm_path(&p.path, i),
                            ..p.clone()
                        };
                        if !problems.contains(&p) {
                            problems.push(p);
                        }
                    }
                }
            }
        }
        let mut grants = Vec::new();
        if problems.is_empty() {
            problems.extend(self.unused(&models));
            let groups: Vec<&str> = self.arms.iter().map(|a| a.target_group.as_str()).collect();
            // The arms resolved, so the horizon is within 1 to 100.
            let horizon = usize::try_from(self.horizon_years).unwrap_or_default();
            match crate::scenario::package_grants(
                &self.financing,
                kb,
                &self.file(),
                horizon,
                &groups,
            ) {
                Ok(g) => grants = g,
                Err(more) => problems.extend(more),
            }
        }
        if problems.is_empty() {
            Ok((models, grants))
        } else {
            Err(ScenarioError::Invalid(problems))
        }
    }

    /// The knowledge base as the package's arms see it, for valuing a
    /// baseline of the same citizens (`som potential --package`, DESIGN.md
    /// §4.1): the package's local services and sources added, checked as in
    /// a scenario, and each price override in place of the knowledge base's
    /// price, as the package's own assumption, graded as the override is
    /// (and without the knowledge base's dated payer splits, as in a case),
    /// and each service of the package's committee table in its committee
    /// there. Its version and hash stay the knowledge base's.
    pub fn knowledge_base(&self, kb: &KnowledgeBase) -> Result<KnowledgeBase, ScenarioError> {
        let file = self.file();
        let mut problems = crate::knowledge_base::check_local(
            kb,
            &file,
            &self.local_sources,
            &self.local_services,
        );
        let mut extended = kb.with_records(&self.local_sources, &self.local_services);
        for (id, price) in &self.prices {
            let path = format!("$.prices.{id}");
            let year = i32::try_from(price.price_year).ok();
            let service = extended.services.iter_mut().find(|s| &s.id == id);
            let (Some(service), Some(price_year)) = (service, year) else {
                problems.push(Problem::new(
                    &file,
                    path,
                    format!("a price for `{id}` in {}", price.price_year),
                    "a price for a known service, in a year the price index covers",
                ));
                continue;
            };
            service.price = UnitPrice {
                price_year,
                kommune: price.kommune,
                region: price.region,
                stat: price.stat,
                dated_splits: Vec::new(),
                evidence: Evidence {
                    basis: Basis::Assumption,
                    sources: Vec::new(),
                    note: Some(format!("The package's own price (`{path}` in {file}).")),
                    note_da: Some(format!("Pakkens egen pris (`{path}` i {file}).")),
                    grade: price.grade,
                },
            };
        }
        for (id, committee) in &self.committees {
            let path = format!("$.committees.{id}");
            let known = kb.committee(committee).is_some();
            match extended.services.iter_mut().find(|s| &s.id == id) {
                Some(service) if known => {
                    service.committee = Some(committee.clone());
                    service.committee_note = Some(format!(
                        "The package's committee table (`{path}` in {file})."
                    ));
                    service.committee_note_da =
                        Some(format!("Pakkens udvalgstabel (`{path}` i {file})."));
                }
                _ => problems.push(Problem::new(
                    &file,
                    path,
                    format!("`{id}` in the committee `{committee}`"),
                    "a known service in a committee of the knowledge base",
                )),
            }
        }
        if problems.is_empty() {
            Ok(extended)
        } else {
            Err(ScenarioError::Invalid(problems))
        }
    }

    /// Local services and price overrides that no arm's line uses: as in a
    /// scenario, a record nothing uses is most likely a misspelt id.
    fn unused(&self, models: &[Model]) -> Vec<Problem> {
        let file = self.file();
        let used: Vec<&str> = models
            .iter()
            .flat_map(|m| m.lines.iter().map(|l| &*l.service))
            .collect();
        let mut problems = Vec::new();
        for (i, local) in self.local_services.iter().enumerate() {
            if !used.contains(&local.id.as_str()) {
                problems.push(
                    Problem::new(
                        &file,
                        format!("$.local_services[{i}].id"),
                        format!("`{}`, which no arm's consequence line uses", local.id),
                        "a local service that a line of some arm's `consequences` uses",
                    )
                    .suggest(&local.id, used.iter().copied()),
                );
            }
        }
        for service in self.committees.keys() {
            if !used.contains(&service.as_str()) {
                problems.push(
                    Problem::new(
                        &file,
                        format!("$.committees.{service}"),
                        format!("`{service}`, which no arm's consequence line uses"),
                        "a service among the arms' consequence lines",
                    )
                    .suggest(service, used.iter().copied()),
                );
            }
        }
        for service in self.prices.keys() {
            if !used.contains(&service.as_str()) {
                problems.push(
                    Problem::new(
                        &file,
                        format!("$.prices.{service}"),
                        format!("a price for `{service}`, which no arm's consequence line uses"),
                        "a price for a service among the arms' consequence lines",
                    )
                    .suggest(service, used.iter().copied()),
                );
            }
        }
        problems
    }
}

fn empty_arms(file: &str) -> Problem {
    Problem::new(file, "$.arms", "an empty list", "at least one arm")
}

/// A path of arm `i`'s scenario as a path of the package: the arm's own
/// fields move under `$.arms[i]`, the shared ones stay where they are.
fn arm_path(path: &str, i: usize) -> String {
    let own = ARM_FIELDS.iter().chain(&["name"]).any(|field| {
        path.strip_prefix("$.")
            .and_then(|rest| rest.strip_prefix(field))
            .is_some_and(|after| after.is_empty() || after.starts_with(['.', '[', ' ']))
    });
    if own {
        format!("$.arms[{i}]{}", &path[1..])
    } else {
        path.to_owned()
    }
}

/// Resolves a package against a knowledge base and evaluates each arm and
/// the total.
///
/// With an `evidence_adjustment`, every arm is adjusted, and each arm's and
/// the total's `unadjusted` hold the summary without it.
pub fn evaluate(package: &Package, kb: &KnowledgeBase) -> Result<PackageCase, Error> {
    let (models, grants) = package.resolve_with_grants(kb)?;
    let mut arms = evaluate_models(package, &models)?;
    let mut unadjusted_total = None;
    if models.iter().any(|m| m.context.evidence.is_active()) {
        let plain = Package {
            evidence_adjustment: None,
            ..package.clone()
        };
        let plain_arms = evaluate_models(package, &plain.resolve(kb)?)?;
        for (arm, plain) in arms.iter_mut().zip(&plain_arms) {
            arm.unadjusted = Some(plain.summary.clone());
        }
        let plain_total = total::combine(&package.name, &plain_arms)
            .map_err(|e| calculation(package, None, e))?;
        unadjusted_total = plain_total.map(|t| t.summary);
    }
    let total = total::combine(&package.name, &arms).map_err(|e| calculation(package, None, e))?;
    // Resolving refuses a package without arms.
    let Some(total) = total else {
        return Err(ScenarioError::Invalid(vec![empty_arms(&package.file())]).into());
    };
    let mut total =
        total::with_grants(total, &grants, kb).map_err(|e| calculation(package, None, e))?;
    total.unadjusted = unadjusted_total;
    Ok(PackageCase {
        name: package.name.clone(),
        arms,
        total,
    })
}

fn evaluate_models(package: &Package, models: &[Model]) -> Result<Vec<BusinessCase>, Error> {
    models
        .iter()
        .enumerate()
        .map(|(i, m)| engine::evaluate(m).map_err(|e| calculation(package, Some(i), e)))
        .collect()
}

/// A calculation that leaves Decimal's range, located at the arm it
/// happened in (or the package, for the total).
fn calculation(package: &Package, arm: Option<usize>, source: CalcError) -> Error {
    Error::Calculation {
        problem: Box::new(Problem::new(
            package.file(),
            arm.map_or_else(|| "$".to_owned(), |i| format!("$.arms[{i}]")),
            source.to_string(),
            "participants, amounts and prices whose products and sums stay within Decimal's range (about ±7.9e28)",
        )),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::arm_path;

    #[test]
    fn an_arms_own_fields_move_under_its_path_and_shared_ones_stay() {
        assert_eq!(
            arm_path("$.effect.success_rate", 1),
            "$.arms[1].effect.success_rate"
        );
        assert_eq!(
            arm_path("$.effect_lag_years", 0),
            "$.arms[0].effect_lag_years"
        );
        assert_eq!(
            arm_path("$.costs[2].amount", 3),
            "$.arms[3].costs[2].amount"
        );
        assert_eq!(
            arm_path("$.consequences (from the knowledge base)", 0),
            "$.arms[0].consequences (from the knowledge base)"
        );
        assert_eq!(arm_path("$.horizon_years", 1), "$.horizon_years");
        assert_eq!(arm_path("$.effectiveness", 1), "$.effectiveness");
        assert_eq!(
            arm_path("$.local_services[0].price", 1),
            "$.local_services[0].price"
        );
    }
}
