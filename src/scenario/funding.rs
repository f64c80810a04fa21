//! The kommune's side of a scenario: which committee each line, cost and
//! grant belongs to, and the grants that pay part of its costs
//! (DESIGN.md §1.10, §1.11).

use std::sync::Arc;

use super::resolve::Resolver;
use super::*;
use crate::knowledge_base::TargetGroup;
use crate::model::{CommitteeName, Funder, Grant};

/// A grant as written in a scenario: money that moves to the kommune.
///
/// ```
/// let grant: som::scenario::GrantSpec = serde_json::from_str(r#"{
///     "label": "Social investment pool",
///     "from": "stat",
///     "amounts": [{"year": 0, "amount": 500000}, {"year": 1, "amount": 250000}]
/// }"#).unwrap();
/// assert_eq!(grant.amounts.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantSpec {
    /// Who gives it and what for: the pool's or the foundation's name.
    pub label: String,
    /// Where the money comes from: `stat`, `region` or `outside` (outside
    /// the public sector).
    pub from: Funder,
    /// The kommune's committee that receives it; the target group's
    /// committee when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// The amounts by year index, each year at most once.
    pub amounts: Vec<GrantYear>,
}

/// A grant's amount in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantYear {
    /// The year index t (0 = the first year of the intervention).
    #[serde(deserialize_with = "crate::number::int")]
    pub year: i64,
    /// The amount in kroner, in the scenario's price year (>= 0).
    #[serde(deserialize_with = "crate::number::decimal")]
    pub amount: Decimal,
}

impl Resolver {
    /// A committee a scenario names at `path`: a known one (with a
    /// suggestion for a misspelt id), and, for kommune money, one of the
    /// kommune's.
    fn committee_named(
        &mut self,
        kb: &KnowledgeBase,
        path: String,
        id: &str,
        kommune_money: bool,
    ) -> Option<String> {
        if kb.committees().is_empty() {
            self.push(
                path,
                format!("`{id}`"),
                "no committee: the knowledge base has no committees (committees.json)",
            );
            return None;
        }
        match kb.committee(id) {
            None => {
                let known = kb.committees().iter().map(|c| c.id.as_str());
                self.unknown(path, "committee", id, known);
                None
            }
            Some(c) if kommune_money && !c.municipal => {
                self.push(
                    path,
                    format!("`{id}`, a committee that is not the kommune's"),
                    "a committee of the kommune",
                );
                None
            }
            Some(c) => Some(c.id.clone()),
        }
    }

    /// Puts every line, cost and grant in its committee: a line in its
    /// service's (or the scenario's `committees` remap), a cost or grant in
    /// its own or the target group's. Checks the remap and that no kommune
    /// money falls in a committee that is not the kommune's.
    pub(super) fn assign_committees(
        &mut self,
        s: &Scenario,
        kb: &KnowledgeBase,
        group: &TargetGroup,
        lines: &mut [Line],
        costs: &mut [Cost],
        grants: &mut [Grant],
    ) -> Vec<(String, String)> {
        let mut remaps = Vec::new();
        for (service, id) in &s.committees {
            let path = format!("$.committees.{service}");
            // In a package the remap is shared: the package checks that
            // some arm's line uses the service.
            if !lines.iter().any(|l| *l.service == **service) {
                if self.in_package {
                    continue;
                }
                let used = lines.iter().map(|l| &*l.service);
                let p = Problem::new(
                    &self.file,
                    path,
                    format!("`{service}`, which no consequence line uses"),
                    "a service among the consequence lines",
                )
                .suggest(service, used);
                self.problems.push(p);
                continue;
            }
            if let Some(c) = self.committee_named(kb, path, id, false) {
                remaps.push((service.clone(), c));
            }
        }
        if kb.committees().is_empty() {
            for (i, c) in s.costs.iter().enumerate() {
                if let Some(id) = &c.committee {
                    self.committee_named(kb, format!("$.costs[{i}].committee"), id, true);
                }
            }
            for (i, g) in s.financing.iter().enumerate() {
                if let Some(id) = &g.committee {
                    self.committee_named(kb, format!("$.financing[{i}].committee"), id, true);
                }
            }
            return remaps;
        }
        for line in lines.iter_mut() {
            if let Some((_, c)) = remaps.iter().find(|(s, _)| **s == *line.service) {
                line.committee = Some(c.as_str().into());
            }
            let Some(committee) = line.committee.as_deref().and_then(|c| kb.committee(c)) else {
                continue;
            };
            if !committee.municipal && !line.unit_price.kommune.is_zero() {
                let path = if s.prices.contains_key(&*line.service) {
                    format!("$.prices.{}.kommune", line.service)
                } else {
                    format!("$.local_services (`{}`).price.kommune", line.service)
                };
                self.push(
                    path,
                    format!(
                        "{} for the kommune, in `{}`, a committee that is not the kommune's",
                        line.unit_price.kommune, committee.id
                    ),
                    format!(
                        "the kommune's committee for `{}` in `$.committees`",
                        line.service
                    ),
                );
            }
        }
        let default: Option<Arc<str>> = group.committee.as_deref().map(Arc::from);
        for (i, (spec, cost)) in s.costs.iter().zip(costs.iter_mut()).enumerate() {
            cost.committee = match &spec.committee {
                Some(id) => self
                    .committee_named(
                        kb,
                        format!("$.costs[{i}].committee"),
                        id,
                        spec.payer == Payer::Kommune,
                    )
                    .map(Arc::from),
                None => default.clone(),
            };
        }
        for (i, (spec, grant)) in s.financing.iter().zip(grants.iter_mut()).enumerate() {
            grant.committee = match &spec.committee {
                Some(id) => {
                    self.committee_named(kb, format!("$.financing[{i}].committee"), id, true)
                }
                None => group.committee.clone(),
            };
        }
        remaps
    }

    /// The grants, each checked: a label, amounts >= 0, years within the
    /// horizon and each at most once.
    pub(super) fn financing(&mut self, specs: &[GrantSpec], h: usize) -> Option<Vec<Grant>> {
        let before = self.problems.len();
        let mut out = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let path = format!("$.financing[{i}]");
            if spec.label.trim().is_empty() {
                self.push(
                    format!("{path}.label"),
                    "an empty label",
                    "who gives the grant, e.g. \"Social investment pool (Social- og Boligstyrelsen)\"",
                );
            }
            if spec.amounts.is_empty() {
                self.push(
                    format!("{path}.amounts"),
                    "an empty list",
                    "the grant's amounts by year: [{\"year\": 0, \"amount\": ...}]",
                );
            }
            let mut amounts = vec![Decimal::ZERO; h];
            for (j, a) in spec.amounts.iter().enumerate() {
                let at = format!("{path}.amounts[{j}]");
                if a.amount < Decimal::ZERO {
                    self.push(
                        format!("{at}.amount"),
                        a.amount.to_string(),
                        "a grant >= 0 (money the kommune receives)",
                    );
                }
                let Some(t) = self.bounded(
                    format!("{at}.year"),
                    a.year,
                    0,
                    h as i64 - 1,
                    "a year index within the horizon",
                ) else {
                    continue;
                };
                if spec.amounts[..j].iter().any(|b| b.year == a.year) {
                    self.push(
                        format!("{at}.year"),
                        format!("year {} a second time", a.year),
                        "each year at most once in a grant",
                    );
                }
                amounts[t] = a.amount;
            }
            out.push(Grant {
                label: spec.label.clone(),
                from: spec.from,
                committee: None,
                amounts,
            });
        }
        (self.problems.len() == before).then_some(out)
    }
}

/// A package's grants (`$.financing` at its top level, DESIGN.md §4.1),
/// checked as a scenario's are against the package's horizon. A grant
/// without a `committee` goes to the committee of the arms' target groups
/// (`arm_groups`), which must then be one committee.
pub(crate) fn package_grants(
    specs: &[GrantSpec],
    kb: &KnowledgeBase,
    file: &str,
    horizon: usize,
    arm_groups: &[&str],
) -> Result<Vec<Grant>, Vec<Problem>> {
    let mut r = Resolver {
        file: file.to_owned(),
        problems: Vec::new(),
        dated_splits: Vec::new(),
        in_package: true,
    };
    let grants = r.financing(specs, horizon);
    let mut groups: Vec<&str> = Vec::new();
    for id in arm_groups
        .iter()
        .filter_map(|g| kb.target_group(g)?.committee.as_deref())
    {
        if !groups.contains(&id) {
            groups.push(id);
        }
    }
    let mut committees = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let path = format!("$.financing[{i}].committee");
        committees.push(match (&spec.committee, groups.as_slice()) {
            (Some(id), _) => r.committee_named(kb, path, id, true),
            (None, []) => None,
            (None, [one]) => Some((*one).to_owned()),
            (None, many) => {
                r.push(
                    path,
                    format!(
                        "no committee, and the arms' target groups belong to different committees ({})",
                        many.join(", ")
                    ),
                    "the kommune's committee that receives the grant",
                );
                None
            }
        });
    }
    match grants {
        Some(mut grants) if r.problems.is_empty() => {
            for (grant, committee) in grants.iter_mut().zip(committees) {
                grant.committee = committee;
            }
            Ok(grants)
        }
        _ => Err(r.problems),
    }
}

/// The committees a case's lines, costs and grants belong to, in the
/// knowledge base's order, named for reports.
pub(super) fn committees_used(
    kb: &KnowledgeBase,
    lines: &[Line],
    costs: &[Cost],
    grants: &[Grant],
) -> Vec<CommitteeName> {
    let used = |id: &str| {
        lines.iter().any(|l| l.committee.as_deref() == Some(id))
            || costs.iter().any(|c| c.committee.as_deref() == Some(id))
            || grants.iter().any(|g| g.committee.as_deref() == Some(id))
    };
    kb.committees()
        .iter()
        .filter(|c| used(&c.id))
        .map(|c| CommitteeName {
            id: c.id.clone(),
            name_en: c.name.en.clone(),
            name_da: c.name.da.clone(),
        })
        .collect()
}
