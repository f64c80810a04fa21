// Why this file is over 500 lines: it is one format written directly, without
// an intermediate tree, key by key in the order DESIGN.md §5 gives; splitting
// it would scatter one format's keys over files.

//! The JSON view (DESIGN.md §5): amounts as strings with full precision,
//! ratios with a zero denominator as `null`.
//!
//! The text is written straight from the business case through serde: the
//! types below borrow from it and serialize field by field, so no tree of
//! JSON values is built in between (a service answering per request spends
//! its time in the engine, not here). [`value`] gives the same document as a
//! `serde_json::Value` for callers that want to pick fields.

use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::business_case::{
    BusinessCase, BusinessCaseSummary, CommitteeResult, Financing, LineResult, Split, Summary,
    YearFlows,
};
use crate::model::{CaseContext, Cost, CostKind, LocalService};
use crate::package::PackageCase;

mod direct;

/// A decimal written as [`super::exact`] writes it: full precision, trailing
/// zeros removed, as a JSON string. This module's writer takes the decimal
/// itself and writes its text straight into the output
/// ([`super::pretty_json::EXACT_DECIMAL`]); serde_json gets a string
/// formatted on the stack ([`super::numbers::ExactBuffer`]).
#[derive(Clone, Copy)]
struct Exact(Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(super::pretty_json::EXACT_DECIMAL, &ExactText(self.0))
    }
}

/// [`Exact`]'s text as a string, or the decimal's 16 bytes for a serializer
/// that asks for them ([`super::pretty_json::EXACT_DECIMAL`]).
struct ExactText(Decimal);

impl Serialize for ExactText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(super::numbers::ExactBuffer::new().format(self.0))
        } else {
            s.serialize_bytes(&self.0.serialize())
        }
    }
}

/// An optional decimal: [`Exact`] or `null`.
#[derive(Clone, Copy)]
struct Optional(Option<Decimal>);

impl Serialize for Optional {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(d) => Exact(d).serialize(s),
            None => s.serialize_none(),
        }
    }
}

/// A list of decimals as a JSON array of [`Exact`] strings.
struct Exacts<'a>(&'a [Decimal]);

impl Serialize for Exacts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|d| Exact(*d)))
    }
}

struct SplitView<'a>(&'a Split);

impl Serialize for SplitView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("kommune", &Exact(self.0.kommune))?;
        m.serialize_entry("region", &Exact(self.0.region))?;
        m.serialize_entry("stat", &Exact(self.0.stat))?;
        m.serialize_entry("total", &Exact(self.0.total))?;
        m.end()
    }
}

/// Amounts keyed by name, as a JSON object. A name that occurs twice (two
/// lines on the same service) is written once, at its first place, with its
/// last amount: what a JSON object built key by key holds.
struct Keyed<'a> {
    keys: &'a [&'a str],
    values: &'a [Decimal],
    unique: bool,
}

impl Serialize for Keyed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (i, (key, value)) in self.keys.iter().zip(self.values).enumerate() {
            if self.unique {
                m.serialize_entry(key, &Exact(*value))?;
                continue;
            }
            if self.keys[..i].contains(key) {
                continue;
            }
            let last = self
                .keys
                .iter()
                .zip(self.values)
                .rev()
                .find(|(k, _)| *k == key)
                .map_or(*value, |(_, v)| *v);
            m.serialize_entry(key, &Exact(last))?;
        }
        m.end()
    }
}

struct SummaryView<'a>(&'a Summary);

impl Serialize for SummaryView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("pv_costs", &SplitView(&v.pv_costs))?;
        m.serialize_entry("pv_gains", &SplitView(&v.pv_gains))?;
        m.serialize_entry("npv", &SplitView(&v.npv))?;
        m.serialize_entry("benefit_cost_ratio", &Optional(v.benefit_cost_ratio))?;
        m.serialize_entry("return_per_krone", &Optional(v.return_per_krone))?;
        m.serialize_entry("break_even_year", &v.break_even_year)?;
        m.serialize_entry(
            "break_even_success_rate",
            &Optional(v.break_even_success_rate),
        )?;
        m.serialize_entry("npv_per_participant", &Optional(v.npv_per_participant))?;
        m.serialize_entry("npv_per_success", &Optional(v.npv_per_success))?;
        m.serialize_entry("participants", &Exact(v.participants))?;
        m.serialize_entry("successes", &Exact(v.successes))?;
        m.end()
    }
}

struct KnowledgeBaseView<'a>(&'a CaseContext);

impl Serialize for KnowledgeBaseView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("version", &self.0.knowledge_base_version)?;
        m.serialize_entry("hash", &self.0.knowledge_base_hash)?;
        m.end()
    }
}

struct Assumptions<'a>(&'a BusinessCase);

impl Serialize for Assumptions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Effect<'a>(&'a CaseContext);
        impl Serialize for Effect<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let e = &self.0.effect;
                let mut m = s.serialize_map(Some(4))?;
                m.serialize_entry("kind", &e.kind)?;
                m.serialize_entry("value", &Optional(e.value))?;
                m.serialize_entry("study", &e.study)?;
                m.serialize_entry("source", &e.source)?;
                m.end()
            }
        }
        struct Persistence<'a>(&'a BusinessCase);
        impl Serialize for Persistence<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let origin = &self.0.context.persistence;
                let used = &self.0.persistence;
                let mut m = s.serialize_map(Some(6))?;
                m.serialize_entry("annual_decay", &Exact(used.annual_decay))?;
                m.serialize_entry("duration_years", &used.duration_years)?;
                m.serialize_entry("from", origin.from.id())?;
                m.serialize_entry("grade", &origin.grade)?;
                m.serialize_entry("sources", &origin.sources)?;
                m.serialize_entry("note", &origin.note)?;
                m.end()
            }
        }
        let case = self.0;
        let ctx = &case.context;
        let mut m = s.serialize_map(Some(13))?;
        m.serialize_entry("target_group", &ctx.target_group)?;
        m.serialize_entry("success_measure", &ctx.success_measure)?;
        m.serialize_entry("start_year", &case.start_year)?;
        m.serialize_entry("horizon_years", &case.horizon_years)?;
        m.serialize_entry("price_year", &case.price_year)?;
        m.serialize_entry("discounting", &ctx.discounting)?;
        m.serialize_entry("effect", &Effect(ctx))?;
        m.serialize_entry("success_rate", &Exact(case.success_rate))?;
        m.serialize_entry("baseline_rate", &Exact(case.baseline_rate))?;
        m.serialize_entry("net_success_rate", &Exact(case.net_success_rate))?;
        m.serialize_entry("completion_rate", &Exact(case.completion_rate))?;
        m.serialize_entry("effect_lag_years", &case.effect_lag_years)?;
        m.serialize_entry("persistence", &Persistence(case))?;
        m.serialize_entry("participants_by_year", &Exacts(&case.participants_by_year))?;
        // Only cases whose lines have refund rules that changed over time carry
        // the key, so other cases' JSON stays as it was.
        if !ctx.dated_splits.is_empty() {
            m.serialize_entry("dated_payer_splits", &ctx.dated_splits)?;
        }
        // Only cases with a cost over a course or a graded cost list their costs.
        if case.costs.iter().any(Cost::has_course_or_grade) {
            m.serialize_entry(
                "costs",
                &case.costs.iter().map(CostView).collect::<Vec<_>>(),
            )?;
        }
        // Likewise only cases with local services carry these keys.
        if !ctx.local_services.is_empty() {
            m.serialize_entry(
                "local_services",
                &ctx.local_services.iter().map(LocalView).collect::<Vec<_>>(),
            )?;
        }
        if !ctx.local_sources.is_empty() {
            m.serialize_entry("local_sources", &ctx.local_sources)?;
        }
        m.end()
    }
}

/// A cost as `assumptions.costs` lists it: label, kind and its years, amount,
/// payer and grade.
struct CostView<'a>(&'a Cost);

impl Serialize for CostView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("label", &c.label)?;
        match c.kind {
            CostKind::OneOff { year } => {
                m.serialize_entry("kind", "one_off")?;
                m.serialize_entry("year", &year)?;
            }
            CostKind::PerYear { from_year, to_year } => {
                m.serialize_entry("kind", "per_year")?;
                m.serialize_entry("from_year", &from_year)?;
                m.serialize_entry("to_year", &to_year)?;
            }
            CostKind::PerParticipant { years } => {
                m.serialize_entry("kind", "per_participant")?;
                m.serialize_entry("years", &years)?;
            }
        }
        m.serialize_entry("amount", &Exact(c.amount))?;
        m.serialize_entry("payer", &c.payer)?;
        m.serialize_entry("grade", &c.grade)?;
        if let Some(committee) = &c.committee {
            m.serialize_entry("committee", committee)?;
        }
        m.end()
    }
}

/// A text in Danish and English: `{"da": ..., "en": ...}`.
struct Names<'a>(&'a str, &'a str);

impl Serialize for Names<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("da", self.0)?;
        m.serialize_entry("en", self.1)?;
        m.end()
    }
}

/// A service the scenario defined itself, as `assumptions.local_services`
/// lists it.
struct LocalView<'a>(&'a LocalService);

impl Serialize for LocalView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Price<'a>(&'a LocalService);
        impl Serialize for Price<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(4))?;
                m.serialize_entry("kommune", &Exact(self.0.price.kommune))?;
                m.serialize_entry("region", &Exact(self.0.price.region))?;
                m.serialize_entry("stat", &Exact(self.0.price.stat))?;
                m.serialize_entry("price_year", &self.0.price_year)?;
                m.end()
            }
        }
        let l = self.0;
        let mut m = s.serialize_map(Some(10))?;
        m.serialize_entry("id", &l.id)?;
        m.serialize_entry("name", &Names(&l.name_da, &l.name_en))?;
        m.serialize_entry("unit", &Names(&l.unit_da, &l.unit_en))?;
        m.serialize_entry("area", &l.area)?;
        if let Some(committee) = &l.committee {
            m.serialize_entry("committee", committee)?;
        }
        m.serialize_entry("price", &Price(l))?;
        m.serialize_entry("basis", &l.basis)?;
        m.serialize_entry("grade", &l.grade)?;
        m.serialize_entry("sources", &l.sources)?;
        m.serialize_entry("note", &l.note)?;
        m.serialize_entry("note_da", &l.note_da)?;
        m.end()
    }
}

/// A line, with `"local": true` when its service is one the scenario
/// defined (the key is absent otherwise, so other cases' JSON stays as it was).
struct LineView<'a>(&'a LineResult, bool);

impl Serialize for LineView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        let mut m = s.serialize_map(Some(12))?;
        m.serialize_entry("service", &l.service)?;
        m.serialize_entry("label", &l.label)?;
        m.serialize_entry("unit", &l.unit)?;
        m.serialize_entry("area", &l.area)?;
        m.serialize_entry("applies_to", &l.applies_to)?;
        m.serialize_entry("profile", &Exacts(&l.profile))?;
        m.serialize_entry("unit_price", &SplitView(&l.unit_price))?;
        m.serialize_entry("source_price_year", &l.source_price_year)?;
        m.serialize_entry("quantities", &Exacts(&l.quantities))?;
        m.serialize_entry("pv_gains", &Exact(l.pv_gains))?;
        m.serialize_entry("grade", &l.grade)?;
        if let Some(committee) = &l.committee {
            m.serialize_entry("committee", committee)?;
        }
        if self.1 {
            m.serialize_entry("local", &true)?;
        }
        m.end()
    }
}

struct YearView<'a> {
    year: &'a YearFlows,
    areas: &'a [&'a str],
    services: &'a [&'a str],
    unique_services: bool,
}

impl Serialize for YearView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let y = self.year;
        let mut m = s.serialize_map(Some(10))?;
        m.serialize_entry("t", &y.t)?;
        m.serialize_entry("year", &y.year)?;
        m.serialize_entry("discount_factor", &Exact(y.discount_factor))?;
        m.serialize_entry("costs", &SplitView(&y.costs))?;
        m.serialize_entry("gains", &SplitView(&y.gains))?;
        m.serialize_entry("net", &SplitView(&y.net))?;
        m.serialize_entry("net_discounted", &SplitView(&y.net_discounted))?;
        m.serialize_entry(
            "cumulative_net_discounted",
            &SplitView(&y.cumulative_net_discounted),
        )?;
        m.serialize_entry(
            "gains_by_area",
            &Keyed {
                keys: self.areas,
                values: &y.gains_by_area,
                unique: true,
            },
        )?;
        m.serialize_entry(
            "gains_by_line",
            &Keyed {
                keys: self.services,
                values: &y.gains_by_line,
                unique: self.unique_services,
            },
        )?;
        m.end()
    }
}

struct Years<'a>(&'a BusinessCase);

impl Serialize for Years<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let case = self.0;
        let areas: Vec<&str> = case.areas.iter().map(|a| &**a).collect();
        let services: Vec<&str> = case.lines.iter().map(|l| &*l.service).collect();
        let unique_services = services
            .iter()
            .enumerate()
            .all(|(i, k)| !services[..i].contains(k));
        s.collect_seq(case.years.iter().map(|year| YearView {
            year,
            areas: &areas,
            services: &services,
            unique_services,
        }))
    }
}

struct Evidence<'a>(&'a BusinessCase);

impl Serialize for Evidence<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Adjustment<'a>(&'a crate::model::LineAdjustment);
        impl Serialize for Adjustment<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("service", &self.0.service)?;
                m.serialize_entry("grade", &self.0.grade)?;
                m.serialize_entry("optimism_bias", &Optional(self.0.optimism_bias))?;
                m.end()
            }
        }
        struct ByGrade(Vec<(Option<u8>, Decimal)>);
        impl Serialize for ByGrade {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (grade, v) in &self.0 {
                    match grade {
                        Some(g) => m.serialize_entry(&g.to_string(), &Exact(*v))?,
                        None => m.serialize_entry("ungraded", &Exact(*v))?,
                    }
                }
                m.end()
            }
        }
        let case = self.0;
        let ctx = &case.context;
        let evidence = &ctx.evidence;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry(
            "adjustment",
            if evidence.is_active() {
                evidence.mode.as_str()
            } else {
                "none"
            },
        )?;
        m.serialize_entry(
            "effect_design",
            &evidence.effect_design.or(ctx.effect.design).map(|d| d.id()),
        )?;
        m.serialize_entry("effect_factor", &Optional(evidence.effect_factor))?;
        m.serialize_entry(
            "lines",
            &evidence.lines.iter().map(Adjustment).collect::<Vec<_>>(),
        )?;
        m.serialize_entry("pv_gains_by_grade", &ByGrade(case.pv_gains_by_grade()))?;
        m.serialize_entry(
            "share_of_gains_on_grade_4_5",
            &Optional(case.share_of_gains_on_weak_evidence()),
        )?;
        m.serialize_entry("unadjusted", &case.unadjusted.as_ref().map(SummaryView))?;
        m.end()
    }
}

/// The whole business case (DESIGN.md §5).
struct CaseView<'a>(&'a BusinessCase);

impl Serialize for CaseView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let case = self.0;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("scenario", &case.scenario)?;
        m.serialize_entry("knowledge_base", &KnowledgeBaseView(&case.context))?;
        m.serialize_entry("assumptions", &Assumptions(case))?;
        m.serialize_entry(
            "lines",
            &case
                .lines
                .iter()
                .map(|l| LineView(l, case.context.local_service(&l.service).is_some()))
                .collect::<Vec<_>>(),
        )?;
        m.serialize_entry("years", &Years(case))?;
        m.serialize_entry("summary", &SummaryView(&case.summary))?;
        m.serialize_entry("evidence", &Evidence(case))?;
        // Only cases on a knowledge base with committees, and only cases
        // with grants, carry these keys, so other cases' JSON stays as it was.
        if !case.committees.is_empty() {
            m.serialize_entry(
                "committees",
                &case
                    .committees
                    .iter()
                    .map(|c| CommitteeView(c, case))
                    .collect::<Vec<_>>(),
            )?;
        }
        if let Some(financing) = &case.financing {
            m.serialize_entry("financing", &FinancingView(financing, case))?;
        }
        m.end()
    }
}

/// The kommune's result in one committee (DESIGN.md §1.11).
struct CommitteeView<'a>(&'a CommitteeResult, &'a BusinessCase);

impl Serialize for CommitteeView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let name = self
            .1
            .context
            .committees
            .iter()
            .find(|n| n.id == c.committee);
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("id", &c.committee)?;
        if let Some(name) = name {
            m.serialize_entry("name", &Names(&name.name_da, &name.name_en))?;
        }
        m.serialize_entry("pv_gains", &Exact(c.pv_gains))?;
        m.serialize_entry("pv_costs", &Exact(c.pv_costs))?;
        m.serialize_entry("npv", &Exact(c.npv))?;
        m.serialize_entry("pv_financing", &Exact(c.pv_financing))?;
        m.serialize_entry("npv_with_financing", &Exact(c.npv_with_financing))?;
        m.serialize_entry("gains", &Exacts(&c.gains))?;
        m.serialize_entry("costs", &Exacts(&c.costs))?;
        m.serialize_entry("financing", &Exacts(&c.financing))?;
        m.end()
    }
}

/// The grants and each payer's result with them (DESIGN.md §1.10).
struct FinancingView<'a>(&'a Financing, &'a BusinessCase);

impl Serialize for FinancingView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Grant<'a>(&'a crate::business_case::GrantResult);
        impl Serialize for Grant<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let g = self.0;
                let mut m = s.serialize_map(Some(5))?;
                m.serialize_entry("label", &g.label)?;
                m.serialize_entry("from", g.from.id())?;
                m.serialize_entry("committee", &g.committee)?;
                m.serialize_entry("amounts", &Exacts(&g.amounts))?;
                m.serialize_entry("pv", &Exact(g.pv))?;
                m.end()
            }
        }
        struct Year<'a>(&'a YearFlows, &'a Split, &'a Split);
        impl Serialize for Year<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(4))?;
                m.serialize_entry("t", &self.0.t)?;
                m.serialize_entry("year", &self.0.year)?;
                m.serialize_entry("financing", &SplitView(self.1))?;
                m.serialize_entry("net_with_financing", &SplitView(self.2))?;
                m.end()
            }
        }
        let (f, case) = (self.0, self.1);
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("grants", &f.grants.iter().map(Grant).collect::<Vec<_>>())?;
        m.serialize_entry(
            "years",
            &case
                .years
                .iter()
                .zip(f.years.iter().zip(&f.net_with_financing))
                .map(|(y, (s, w))| Year(y, s, w))
                .collect::<Vec<_>>(),
        )?;
        m.serialize_entry("pv", &SplitView(&f.pv))?;
        m.serialize_entry("npv_without_financing", &SplitView(&case.summary.npv))?;
        m.serialize_entry("npv_with_financing", &SplitView(&f.npv_with_financing))?;
        m.end()
    }
}

/// A package's total year: the flows of DESIGN.md §5 summed over the arms,
/// gains by area, and the net of each arm (all payers).
struct PackageYearView<'a> {
    t: usize,
    package: &'a PackageCase,
    areas: &'a [&'a str],
}

impl Serialize for PackageYearView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(y) = self.package.total.years.get(self.t) else {
            return s.serialize_none();
        };
        let mut m = s.serialize_map(Some(10))?;
        m.serialize_entry("t", &y.t)?;
        m.serialize_entry("year", &y.year)?;
        m.serialize_entry("discount_factor", &Exact(y.discount_factor))?;
        m.serialize_entry("costs", &SplitView(&y.costs))?;
        m.serialize_entry("gains", &SplitView(&y.gains))?;
        m.serialize_entry("net", &SplitView(&y.net))?;
        m.serialize_entry("net_discounted", &SplitView(&y.net_discounted))?;
        m.serialize_entry(
            "cumulative_net_discounted",
            &SplitView(&y.cumulative_net_discounted),
        )?;
        m.serialize_entry(
            "gains_by_area",
            &Keyed {
                keys: self.areas,
                values: &y.gains_by_area,
                unique: true,
            },
        )?;
        let names: Vec<&str> = self
            .package
            .arms
            .iter()
            .map(|a| a.scenario.as_str())
            .collect();
        let nets: Vec<Decimal> = self
            .package
            .arms
            .iter()
            .map(|a| a.years.get(self.t).map_or(Decimal::ZERO, |y| y.net.total))
            .collect();
        m.serialize_entry(
            "net_by_arm",
            &Keyed {
                keys: &names,
                values: &nets,
                unique: true,
            },
        )?;
        m.end()
    }
}

/// What the arms of a package share, and their names.
struct PackageAssumptions<'a>(&'a PackageCase);

impl Serialize for PackageAssumptions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let total = &self.0.total;
        let ctx = &total.context;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(
            "arms",
            &self
                .0
                .arms
                .iter()
                .map(|a| a.scenario.as_str())
                .collect::<Vec<_>>(),
        )?;
        m.serialize_entry("start_year", &total.start_year)?;
        m.serialize_entry("horizon_years", &total.horizon_years)?;
        m.serialize_entry("price_year", &total.price_year)?;
        m.serialize_entry("discounting", &ctx.discounting)?;
        m.serialize_entry("participants_by_year", &Exacts(&total.participants_by_year))?;
        if !ctx.local_services.is_empty() {
            m.serialize_entry(
                "local_services",
                &ctx.local_services.iter().map(LocalView).collect::<Vec<_>>(),
            )?;
        }
        if !ctx.local_sources.is_empty() {
            m.serialize_entry("local_sources", &ctx.local_sources)?;
        }
        m.end()
    }
}

/// A package (DESIGN.md §5): the keys of one case for the package total,
/// and each arm's case in `arms`.
struct PackageView<'a>(&'a PackageCase);

impl Serialize for PackageView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let package = self.0;
        let total = &package.total;
        let areas: Vec<&str> = total.areas.iter().map(|a| &**a).collect();
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("scenario", &package.name)?;
        m.serialize_entry("knowledge_base", &KnowledgeBaseView(&total.context))?;
        m.serialize_entry("assumptions", &PackageAssumptions(package))?;
        m.serialize_entry(
            "arms",
            &package.arms.iter().map(CaseView).collect::<Vec<_>>(),
        )?;
        m.serialize_entry(
            "years",
            &(0..total.years.len())
                .map(|t| PackageYearView {
                    t,
                    package,
                    areas: &areas,
                })
                .collect::<Vec<_>>(),
        )?;
        m.serialize_entry("summary", &SummaryView(&total.summary))?;
        m.serialize_entry("evidence", &Evidence(total))?;
        // As for one case: the total's result by committee and its grants.
        if !total.committees.is_empty() {
            m.serialize_entry(
                "committees",
                &total
                    .committees
                    .iter()
                    .map(|c| CommitteeView(c, total))
                    .collect::<Vec<_>>(),
            )?;
        }
        if let Some(financing) = &total.financing {
            m.serialize_entry("financing", &FinancingView(financing, total))?;
        }
        m.end()
    }
}

/// A package's business case as pretty-printed JSON text ending in a
/// newline: `scenario` (the package's name), `knowledge_base`,
/// `assumptions` (what the arms share, and their names), `arms` (each arm's
/// case as [`render`] writes it, its `scenario` the arm's name), `years`
/// and `summary` of the package total with the keys of a single case (plus
/// `net_by_arm` in each year; the total has no break-even success rate),
/// and `evidence` over all arms' lines.
pub fn render_package(package: &PackageCase) -> String {
    pretty(&PackageView(package))
}

/// [`render_package`]'s document as a JSON value.
pub fn package_value(package: &PackageCase) -> Value {
    serde_json::to_value(PackageView(package)).unwrap_or(Value::Null)
}

/// The figures without the years ([`render_summary`]).
struct SummaryOnly<'a>(&'a BusinessCaseSummary);

impl Serialize for SummaryOnly<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let figures = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("scenario", &figures.scenario)?;
        m.serialize_entry("knowledge_base", &KnowledgeBaseView(&figures.context))?;
        m.serialize_entry("summary", &SummaryView(&figures.summary))?;
        m.serialize_entry("unadjusted", &figures.unadjusted.as_ref().map(SummaryView))?;
        m.end()
    }
}

fn pretty(view: &impl Serialize) -> String {
    pretty_within(view, 4096)
}

/// [`pretty`] into a buffer that starts with `capacity` bytes, so a document
/// expected to be about that long is not copied as its buffer grows (nor
/// once more when the C ABI appends its NUL).
fn pretty_within(view: &impl Serialize, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    // Every key is a string, so this cannot fail; the text is
    // serde_json's own pretty printing, byte for byte.
    if super::pretty_json::write(&mut out, view).is_err() {
        out.clear();
    }
    out.push(b'\n');
    // Only UTF-8 is written.
    String::from_utf8(out).unwrap_or_default()
}

/// The business case as a JSON value: the document [`render`] writes.
pub fn value(case: &BusinessCase) -> Value {
    serde_json::to_value(CaseView(case)).unwrap_or(Value::Null)
}

/// The summary figures as a JSON value: the `summary` member of [`value`].
pub fn summary_value(summary: &Summary) -> Value {
    serde_json::to_value(SummaryView(summary)).unwrap_or(Value::Null)
}

/// The business case as pretty-printed JSON text, ending in a newline.
pub fn render(case: &BusinessCase) -> String {
    // About 48 bytes a figure, key and indentation included: every year
    // writes its five splits, the gains by area and each line's flows
    // (benches/ten-lines.json: 690 figures, 37 KB for its 35,8 KB of text).
    // A buffer too small is regrown by a copy of all written so far (26 KB
    // here with 32 bytes a figure, about 2 % of `api::evaluate_json`).
    let figures = case.years.len() * (24 + case.areas.len() + 4 * case.lines.len());
    let mut out = Vec::with_capacity(4096 + 48 * figures);
    direct::write_case(&mut out, case);
    out.push(b'\n');
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: every piece `direct::write_case` appends is whole UTF-8:
    // ASCII keys, brackets, indentation, digits, signs and points; the
    // bytes of a `&str` as they are, or serde_json's escaped text of one;
    // and `pretty_json::write_at`'s text, which is made of the same pieces.
    // Checking all of it again (35 KB for benches/ten-lines.json) was 6 %
    // of the writer's instructions.
    unsafe { String::from_utf8_unchecked(out) }
}

/// The figures of a business case without its years and lines, as
/// pretty-printed JSON text ending in a newline:
/// `{"scenario", "knowledge_base": {"version", "hash"}, "summary": {...},
/// "unadjusted": {...} or null}`, each member as [`render`] writes it
/// (`unadjusted` is `evidence.unadjusted` there).
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let scenario = som::Scenario::example();
/// let full = som::report::json::render(&som::evaluate(&scenario, kb).unwrap());
/// let full: serde_json::Value = serde_json::from_str(&full).unwrap();
/// let text = som::report::json::render_summary(&som::evaluate_summary(&scenario, kb).unwrap());
/// let figures: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(figures["summary"], full["summary"]);
/// assert_eq!(figures["unadjusted"], full["evidence"]["unadjusted"]);
/// assert!(figures.get("years").is_none());
/// ```
pub fn render_summary(figures: &BusinessCaseSummary) -> String {
    pretty(&SummaryOnly(figures))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use crate::business_case::{BusinessCase, Split};
    use crate::package::{self, Input};
    use crate::{KnowledgeBase, evaluate, evaluate_summary};

    /// serde_json's own pretty text of the same document built as a tree of
    /// values: the reference for what [`super::render`] and its siblings
    /// write through [`super::super::pretty_json`].
    fn through_tree(value: &serde_json::Value) -> String {
        format!("{}\n", serde_json::to_string_pretty(value).expect("a tree"))
    }

    /// Every example (scenarios, the package and its arms), the benches'
    /// scenarios and the golden scenarios, in the full, summary and
    /// package views.
    #[test]
    fn every_example_is_written_as_serde_json_writes_its_value_tree() {
        let kb = KnowledgeBase::embedded();
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = Vec::new();
        for dir in ["examples", "examples/package", "benches", "tests/golden"] {
            let entries = std::fs::read_dir(format!("{root}/{dir}")).expect("a directory");
            for entry in entries {
                let path = entry.expect("an entry").path();
                if path.extension().is_some_and(|e| e == "json")
                    && !path.ends_with("numpy-compare.json")
                    && !path
                        .to_string_lossy()
                        .ends_with("golden/housing-first.json")
                    && !path.to_string_lossy().ends_with("golden/two-cohorts.json")
                {
                    files.push(path);
                }
            }
        }
        let (mut cases, mut packages) = (0, 0);
        for path in &files {
            // Other inputs (a potential's census, a spec) are not cases.
            let Ok(input) = Input::from_file(path) else {
                continue;
            };
            match input {
                Input::Scenario(scenario) => {
                    let case = evaluate(&scenario, kb).expect("evaluates");
                    assert_eq!(
                        super::render(&case),
                        through_tree(&super::value(&case)),
                        "{}",
                        path.display()
                    );
                    let figures = evaluate_summary(&scenario, kb).expect("evaluates");
                    let tree = serde_json::to_value(super::SummaryOnly(&figures)).expect("a tree");
                    assert_eq!(super::render_summary(&figures), through_tree(&tree));
                    cases += 1;
                }
                Input::Package(p) => {
                    let case = package::evaluate(&p, kb).expect("evaluates");
                    assert_eq!(
                        super::render_package(&case),
                        through_tree(&super::package_value(&case)),
                        "{}",
                        path.display()
                    );
                    packages += 1;
                }
            }
        }
        // The directories hold at least what they held when this was written.
        assert!(cases >= 20, "{cases} scenarios");
        assert!(packages >= 1, "{packages} packages");
    }

    /// The business case's text through serde: the views of this module
    /// written by [`super::super::pretty_json`], whose own tests hold it to
    /// serde_json's writer. [`super::render`] writes the same document
    /// without serde ([`super::direct`]).
    fn through_serde(case: &BusinessCase) -> String {
        super::pretty_within(&super::CaseView(case), 0)
    }

    /// Every case the examples, benches and golden scenarios give (the
    /// package's arms included), evaluated once, and each scenario once
    /// more with the default evidence adjustment (which none of them asks
    /// for), so that `evidence` has lines and an unadjusted summary.
    fn example_cases() -> &'static [BusinessCase] {
        static CASES: OnceLock<Vec<BusinessCase>> = OnceLock::new();
        CASES.get_or_init(|| {
            let kb = KnowledgeBase::embedded();
            let root = env!("CARGO_MANIFEST_DIR");
            let mut cases = Vec::new();
            for dir in ["examples", "examples/package", "benches", "tests/golden"] {
                let entries = std::fs::read_dir(format!("{root}/{dir}")).expect("a directory");
                let mut paths: Vec<_> = entries.map(|e| e.expect("an entry").path()).collect();
                paths.sort();
                for path in paths {
                    if path.extension().is_none_or(|e| e != "json") {
                        continue;
                    }
                    match Input::from_file(&path) {
                        Ok(Input::Scenario(scenario)) => {
                            cases.push(evaluate(&scenario, kb).expect("evaluates"));
                            let text = std::fs::read_to_string(&path).expect("a scenario");
                            let mut json: serde_json::Value =
                                serde_json::from_str(&text).expect("JSON");
                            json["evidence_adjustment"] = "default".into();
                            let adjusted = crate::Scenario::from_json(&json.to_string())
                                .ok()
                                .and_then(|s| evaluate(&s, kb).ok());
                            cases.extend(adjusted);
                        }
                        Ok(Input::Package(p)) => {
                            let package = package::evaluate(&p, kb).expect("evaluates");
                            cases.extend(package.arms);
                            cases.push(package.total);
                        }
                        // A golden output, a potential's census or a spec.
                        Err(_) => {}
                    }
                }
            }
            cases
        })
    }

    #[test]
    fn the_direct_writer_gives_serdes_text_for_every_example() {
        let cases = example_cases();
        assert!(cases.len() >= 20, "{} cases", cases.len());
        // The examples hold each optional member at least once.
        assert!(cases.iter().any(|c| !c.committees.is_empty()));
        assert!(cases.iter().any(|c| c.financing.is_some()));
        assert!(cases.iter().any(|c| !c.context.local_services.is_empty()));
        // And each form of the evidence member.
        assert!(cases.iter().any(|c| c.unadjusted.is_some()));
        assert!(cases.iter().any(|c| c.unadjusted.is_none()));
        assert!(cases.iter().any(|c| !c.context.evidence.lines.is_empty()));
        let grades = || cases.iter().flat_map(|c| c.pv_gains_by_grade());
        assert!(grades().any(|(g, _)| g.is_none()));
        assert!(grades().any(|(g, _)| g.is_some()));
        for case in cases {
            assert_eq!(
                super::render(case),
                through_serde(case),
                "{}",
                case.scenario
            );
        }
    }

    /// A name: plain words, repeated often (so that keys repeat), or any
    /// text with quotes, backslashes, control characters and non-ASCII.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::sample::select(vec!["housing", "health", "shelter-day", "", "x"])
                .prop_map(str::to_owned),
            1 => "[a-zA-Z0-9 \"\\\u{0}-\u{1f}\u{7f}æøåÆØÅ€\u{2028}]{0,12}",
        ]
    }

    /// Any decimal: every scale, both signs (zero too), mantissas up to 96
    /// bits, with round ones and small ones common.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let parts = (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
        );
        prop_oneof![
            parts.prop_map(|(lo, mid, hi, negative, scale)| {
                Decimal::from_parts(lo, mid, hi, negative, scale)
            }),
            (-1_000_000i64..=1_000_000, 0u32..=8, 0u32..=6)
                .prop_map(|(m, zeros, scale)| { Decimal::new(m * 10i64.pow(zeros), scale) }),
        ]
    }

    /// A case with its names and amounts replaced by `names` and `amounts`
    /// in turn, some of its optional figures removed, and its lines, areas
    /// and years cut to at most `lines`, `areas` and `years`.
    fn changed(
        base: &BusinessCase,
        names: &[String],
        amounts: &[Decimal],
        cut: (usize, usize, usize),
        drop_optional: bool,
    ) -> BusinessCase {
        let mut case = base.clone();
        let mut n = names.iter().cycle();
        let mut name = move || n.next().cloned().unwrap_or_default();
        let mut a = amounts.iter().cycle();
        let mut amount = move || a.next().copied().unwrap_or_default();
        fn fill(s: &mut Split, amount: &mut impl FnMut() -> Decimal) {
            s.kommune = amount();
            s.region = amount();
            s.stat = amount();
            s.total = amount();
        }
        let (lines, areas, years) = cut;
        case.scenario = name();
        case.lines.truncate(lines);
        case.areas.truncate(areas);
        case.years.truncate(years);
        for line in &mut case.lines {
            line.service = name().into();
            line.label = name().into();
            line.unit = name().into();
            line.area = name().into();
            if line.committee.is_some() {
                line.committee = Some(name().into());
            }
            line.profile = line.profile.iter().map(|_| amount()).collect();
            line.quantities.iter_mut().for_each(|d| *d = amount());
            line.pv_gains = amount();
            fill(&mut line.unit_price, &mut amount);
            if drop_optional {
                line.grade = None;
            }
        }
        for area in &mut case.areas {
            *area = name().into();
        }
        for year in &mut case.years {
            year.discount_factor = amount();
            fill(&mut year.costs, &mut amount);
            fill(&mut year.gains, &mut amount);
            fill(&mut year.net, &mut amount);
            fill(&mut year.net_discounted, &mut amount);
            fill(&mut year.cumulative_net_discounted, &mut amount);
            year.gains_by_area.iter_mut().for_each(|d| *d = amount());
            year.gains_by_line.iter_mut().for_each(|d| *d = amount());
        }
        let summary = &mut case.summary;
        fill(&mut summary.pv_costs, &mut amount);
        fill(&mut summary.pv_gains, &mut amount);
        fill(&mut summary.npv, &mut amount);
        for figure in [
            &mut summary.benefit_cost_ratio,
            &mut summary.return_per_krone,
            &mut summary.break_even_success_rate,
            &mut summary.npv_per_participant,
            &mut summary.npv_per_success,
        ] {
            *figure = if drop_optional { None } else { Some(amount()) };
        }
        if drop_optional {
            summary.break_even_year = None;
        }
        summary.participants = amount();
        summary.successes = amount();
        for committee in &mut case.committees {
            committee.pv_gains = amount();
            committee.npv = amount();
            committee.gains.iter_mut().for_each(|d| *d = amount());
            committee.costs.iter_mut().for_each(|d| *d = amount());
        }
        if drop_optional {
            // One committee's name is no longer known to the context.
            if let Some(first) = case.committees.first_mut() {
                first.committee = name();
            }
        }
        case
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Names that need escaping or repeat, amounts of every size and
        /// scale, missing figures, and lines, areas or years left out (so
        /// that lists are empty and a year's figures outnumber its keys):
        /// the direct writer and serde write the same text.
        #[test]
        fn the_direct_writer_gives_serdes_text_for_any_names_and_amounts(
            which in any::<prop::sample::Index>(),
            names in prop::collection::vec(name(), 1..12),
            amounts in prop::collection::vec(decimal(), 1..40),
            cut in (0usize..12, 0usize..6, 0usize..12),
            drop_optional in any::<bool>(),
        ) {
            let cases = example_cases();
            let case = changed(&cases[which.index(cases.len())], &names, &amounts, cut, drop_optional);
            prop_assert_eq!(super::render(&case), through_serde(&case));
        }
    }
}
