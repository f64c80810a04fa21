// Why this file is over 500 lines: resolving is one pass over a scenario that
// checks every field against the knowledge base and collects every problem
// with its JSON path; its steps share the resolver's problem list and price
// conversion. The evidence adjustment is still a step of this pass; it is to
// become its own Model-to-Model step (docs/DESIGN.md §1.9).

//! Resolving a scenario against a knowledge base into the engine's
//! [`Model`]: every id looked up, every number checked against its range,
//! prices converted to the case's price year, the evidence adjustment
//! applied; every problem collected with the scenario's file and JSON path.

use std::sync::Arc;

use super::*;
use crate::model::IndexFactor;

pub(super) struct Resolver {
    pub(super) file: String,
    pub(super) problems: Vec<Problem>,
    /// The dated payer splits the lines used (refund rules by date).
    pub(super) dated_splits: Vec<DatedSplitApplied>,
    /// Resolving one arm of a package (`crate::package`): a local service or
    /// a price override another arm uses is not this arm's problem, so the
    /// package checks that each is used by some arm instead.
    pub(super) in_package: bool,
}

impl Resolver {
    pub(super) fn push(
        &mut self,
        path: impl Into<String>,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) {
        self.problems
            .push(Problem::new(&self.file, path, found, expected));
    }

    pub(super) fn unknown<'a>(
        &mut self,
        path: impl Into<String>,
        kind: &str,
        id: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) {
        let p = Problem::new(
            &self.file,
            path,
            format!("`{id}`"),
            format!("a known {kind} id"),
        )
        .suggest(id, known);
        self.problems.push(p);
    }

    fn share(&mut self, path: impl Into<String>, value: Decimal) -> Option<Decimal> {
        if value < Decimal::ZERO || value > Decimal::ONE {
            self.push(path, value.to_string(), "a share between 0 and 1");
            None
        } else {
            Some(value)
        }
    }

    pub(super) fn bounded(
        &mut self,
        path: impl Into<String>,
        value: i64,
        min: i64,
        max: i64,
        what: &str,
    ) -> Option<usize> {
        if value < min || value > max {
            self.push(
                path,
                value.to_string(),
                format!("{what} from {min} to {max}"),
            );
            None
        } else {
            usize::try_from(value).ok()
        }
    }

    fn year(&mut self, path: impl Into<String>, value: i64) -> Option<i32> {
        match i32::try_from(value) {
            Ok(y) if (1900..=2200).contains(&y) => Some(y),
            _ => {
                self.push(path, value.to_string(), "a calendar year from 1900 to 2200");
                None
            }
        }
    }

    pub(super) fn resolve(&mut self, s: &Scenario, kb: &KnowledgeBase) -> Option<Model> {
        let group = kb.target_group(&s.target_group);
        if group.is_none() {
            let known = kb.target_groups().iter().map(|g| g.id.as_str());
            self.unknown("$.target_group", "target group", &s.target_group, known);
        }
        let measure = group.and_then(|g| {
            let m = g.success_measure(&s.success_measure);
            if m.is_none() {
                let known = g.success_measures.iter().map(|m| m.id.as_str());
                self.unknown(
                    "$.success_measure",
                    &format!("success measure of `{}`", g.id),
                    &s.success_measure,
                    known,
                );
            }
            m
        });

        let start_year = self.year("$.start_year", s.start_year);
        let horizon = self.bounded(
            "$.horizon_years",
            s.horizon_years,
            1,
            MAX_HORIZON_YEARS as i64,
            "a horizon in years",
        );
        let price_year = match s.price_year {
            Some(y) => self.year("$.price_year", y),
            None => Some(kb.manifest().default_price_year),
        };
        // A price year outside the index is reported once here, not again for every line.
        let price_year = price_year.filter(|py| {
            let years = kb.price_index().years();
            let covered = years.contains(py);
            if !covered {
                self.push(
                    "$.price_year",
                    py.to_string(),
                    format!(
                        "a year the price index covers ({}-{})",
                        years.start(),
                        years.end()
                    ),
                );
            }
            covered
        });

        let h = horizon.unwrap_or(MAX_HORIZON_YEARS);
        let participants = self.cohorts(&s.cohorts, h);
        let completion_rate = match s.completion_rate {
            Some(c) => self.share("$.completion_rate", c),
            None => Some(Decimal::ONE),
        };
        let effect = self.effect(&s.effect, s, kb);
        let lag = match s.effect_lag_years {
            Some(l) => self.bounded(
                "$.effect_lag_years",
                l,
                0,
                MAX_LAG_YEARS as i64,
                "a lag in years",
            ),
            None => Some(1),
        };
        let persistence = match (group, measure) {
            (Some(g), Some(m)) => self.persistence(s, kb, &g.id, &m.id),
            _ => None,
        };
        let lines = match (group, measure, price_year, start_year) {
            (Some(g), Some(m), Some(py), Some(first)) => {
                self.lines(s, kb, (&g.id, &m.id), py, first)
            }
            _ => None,
        };
        let costs = self.costs(&s.costs, h);
        let grants = self.financing(&s.financing, h);
        let (discount_rates, discounting) = self.discounting(s.discounting.as_ref(), kb, h)?;

        let (group, measure) = (group?, measure?);
        let persistence = persistence?;
        let (mut p1, p0, mut effect_description) = effect?;
        if effect_description.study.is_none() {
            effect_description.design = s.effect.design;
        }
        let mut lines = lines?;
        let (mut costs, mut grants) = (costs?, grants?);
        let before = self.problems.len();
        let committee_remaps =
            self.assign_committees(s, kb, group, &mut lines, &mut costs, &mut grants);
        if self.problems.len() > before {
            return None;
        }
        let committees = super::funding::committees_used(kb, &lines, &costs, &grants);
        let evidence = self.adjust_for_evidence(
            s.evidence_adjustment.as_ref(),
            kb,
            &effect_description,
            p0,
            &mut p1,
            &mut lines,
        )?;
        Some(Model {
            name: s.name.clone(),
            start_year: start_year?,
            horizon_years: horizon?,
            price_year: price_year?,
            participants: participants?,
            completion_rate: completion_rate?,
            success_rate: p1,
            baseline_rate: p0,
            effect_lag_years: lag?,
            persistence: persistence.0,
            lines,
            costs,
            financing: grants,
            discount_rates,
            context: Arc::new(CaseContext {
                target_group: group.id.clone(),
                target_group_name: group.name.en.clone(),
                success_measure: measure.id.clone(),
                success_measure_name: measure.name.en.clone(),
                effect: effect_description,
                discounting,
                knowledge_base_version: kb.version().to_owned(),
                knowledge_base_hash: kb.hash().to_owned(),
                evidence,
                persistence: persistence.1,
                dated_splits: std::mem::take(&mut self.dated_splits),
                local_services: s
                    .local_services
                    .iter()
                    .map(crate::knowledge_base::local_service)
                    .collect(),
                local_sources: s
                    .local_sources
                    .iter()
                    .map(crate::knowledge_base::local_source)
                    .collect(),
                committees,
                committee_remaps,
            }),
        })
    }

    /// Applies an evidence adjustment before the engine runs: the net
    /// success rate times the study design's factor, and every consequence
    /// line's profile times (1 - optimism bias of its grade), shrinking
    /// figures on weak evidence towards "no effect". Lines without a grade
    /// (a scenario's own, ungraded) are left as they are and listed so.
    fn adjust_for_evidence(
        &mut self,
        adjustment: Option<&EvidenceAdjustment>,
        kb: &KnowledgeBase,
        effect: &EffectDescription,
        p0: Decimal,
        p1: &mut Decimal,
        lines: &mut [Line],
    ) -> Option<EvidenceApplied> {
        let custom = match adjustment {
            None | Some(EvidenceAdjustment::None) => return Some(EvidenceApplied::default()),
            Some(EvidenceAdjustment::Default) => None,
            Some(EvidenceAdjustment::Custom(c)) => Some(c),
        };
        let scale = kb.evidence_scale();
        let before = self.problems.len();
        let mut bias_by_grade: Vec<(u8, Decimal)> = scale
            .grades
            .iter()
            .map(|g| (g.grade, g.optimism_bias))
            .collect();
        let mut factor_by_design: Vec<(StudyDesign, Decimal)> =
            scale.designs.iter().map(|d| (d.design, d.factor)).collect();
        if let Some(c) = custom {
            for (design, factor) in &c.design_factors {
                let path = format!(
                    "$.evidence_adjustment.custom.design_factors.{}",
                    design.id()
                );
                if let Some(f) = self.share(path, *factor) {
                    factor_by_design.retain(|(d, _)| d != design);
                    factor_by_design.push((*design, f));
                }
            }
            for (grade, bias) in &c.optimism_bias {
                let path = format!("$.evidence_adjustment.custom.optimism_bias.{grade}");
                match grade.parse::<u8>() {
                    Ok(g)
                        if (1..=5).contains(&g)
                            && *bias >= Decimal::ZERO
                            && *bias < Decimal::ONE =>
                    {
                        bias_by_grade.retain(|(x, _)| *x != g);
                        bias_by_grade.push((g, *bias));
                    }
                    Ok(g) if (1..=5).contains(&g) => {
                        self.push(path, bias.to_string(), "an optimism bias in [0, 1)")
                    }
                    _ => self.push(
                        path,
                        format!("grade `{grade}`"),
                        "a grade from \"1\" to \"5\"",
                    ),
                }
            }
        }
        if self.problems.len() != before {
            return None;
        }
        let effect_factor = effect.design.and_then(|d| {
            factor_by_design
                .iter()
                .find(|(x, _)| *x == d)
                .map(|(_, f)| *f)
        });
        if let Some(factor) = effect_factor {
            // p1' = p0 + (p1 - p0)·factor stays between p0 and p1, inside [0, 1].
            *p1 = p0 + (*p1 - p0) * factor;
        }
        let mut line_biases = Vec::with_capacity(lines.len());
        for line in lines.iter_mut() {
            let bias = line
                .grade
                .and_then(|g| bias_by_grade.iter().find(|(x, _)| *x == g).map(|(_, b)| *b));
            if let Some(b) = bias {
                let kept = Decimal::ONE - b;
                for q in Arc::make_mut(&mut line.profile).iter_mut() {
                    match q.checked_mul(kept) {
                        Some(v) => *q = v,
                        None => {
                            self.push(
                                format!("$.consequences ({})", line.service),
                                q.to_string(),
                                "a profile value within Decimal's range",
                            );
                            return None;
                        }
                    }
                }
            }
            line_biases.push(LineAdjustment {
                service: line.service.to_string(),
                grade: line.grade,
                optimism_bias: bias,
            });
        }
        Some(EvidenceApplied {
            mode: if custom.is_some() {
                "custom"
            } else {
                "default"
            }
            .to_owned(),
            effect_design: effect.design,
            effect_factor,
            lines: line_biases,
        })
    }

    fn cohorts(&mut self, cohorts: &[Cohort], h: usize) -> Option<Vec<Decimal>> {
        let mut participants = vec![Decimal::ZERO; h];
        let mut seen = vec![false; h];
        let before = self.problems.len();
        if cohorts.is_empty() {
            self.push("$.cohorts", "an empty list", "at least one cohort");
        }
        for (i, c) in cohorts.iter().enumerate() {
            let path = Item("$.cohorts", i);
            let year = self.bounded(
                PathLater(|| format!("{path}.year")),
                c.year,
                0,
                h as i64 - 1,
                "an entry year index within the horizon",
            );
            if c.participants < Decimal::ZERO {
                self.push(
                    format!("{path}.participants"),
                    c.participants.to_string(),
                    "a number of participants >= 0",
                );
            }
            if let Some(y) = year {
                if seen[y] {
                    self.push(
                        format!("{path}.year"),
                        format!("year {y} a second time"),
                        "one cohort per entry year",
                    );
                }
                seen[y] = true;
                participants[y] = c.participants;
            }
        }
        (self.problems.len() == before).then_some(participants)
    }

    fn effect(
        &mut self,
        e: &Effect,
        s: &Scenario,
        kb: &KnowledgeBase,
    ) -> Option<(Decimal, Decimal, EffectDescription)> {
        let combos = "one of {\"success_rate\", \"baseline_rate\"}, {\"effect_size\": {\"kind\", \"value\"}, \"baseline_rate\"} or {\"study\"}";
        let mut description = EffectDescription::default();
        let (success_rate, effect_size, baseline) =
            match (&e.study, &e.success_rate, &e.effect_size) {
                (Some(id), None, None) => {
                    let Some(study) = kb.effect(id) else {
                        let known = kb.effects().iter().map(|x| x.id.as_str());
                        self.unknown("$.effect.study", "effect study", id, known);
                        return None;
                    };
                    if study.target_group != s.target_group
                        || study.success_measure != s.success_measure
                    {
                        self.push(
                            "$.effect.study",
                            format!(
                                "`{id}`, a study of {} / {}",
                                study.target_group, study.success_measure
                            ),
                            format!(
                                "a study of the scenario's {} / {}",
                                s.target_group, s.success_measure
                            ),
                        );
                    }
                    description.study = Some(id.clone());
                    description.design = Some(study.design);
                    if e.design.is_some() {
                        self.push(
                            "$.effect.design",
                            "a design next to a knowledge-base study",
                            "no `design`: the study records its own",
                        );
                    }
                    description.source = study
                        .evidence
                        .sources
                        .first()
                        .and_then(|src| kb.source(src))
                        .map(|src| {
                            format!(
                                "{}, {} ({})",
                                src.title,
                                src.publisher,
                                src.year.map_or("n.d.".to_owned(), |y| y.to_string())
                            )
                        });
                    let baseline = match (study.baseline_rate, e.baseline_rate) {
                        (Some(_), Some(_)) => {
                            self.push(
                                "$.effect.baseline_rate",
                                "a baseline rate next to a study that gives one",
                                "either the study's baseline or a study without one",
                            );
                            None
                        }
                        (b, None) | (None, b) => b,
                    };
                    (study.success_rate, study.effect_size.clone(), baseline)
                }
                (None, Some(p1), None) => (Some(*p1), None, e.baseline_rate),
                (None, None, Some(size)) => (None, Some(size.clone()), e.baseline_rate),
                _ => {
                    self.push("$.effect", "another combination of fields", combos);
                    return None;
                }
            };
        let Some(p0) = baseline else {
            self.push(
                "$.effect.baseline_rate",
                "nothing",
                "the baseline rate p0 (the share who succeed without the intervention)",
            );
            return None;
        };
        let p0 = self.share("$.effect.baseline_rate", p0)?;
        match (success_rate, effect_size) {
            (Some(p1), _) => {
                description.kind = "rates".into();
                let p1 = self.share("$.effect.success_rate", p1)?;
                Some((p1, p0, description))
            }
            (None, Some(size)) => {
                description.kind = size.kind.id().into();
                description.value = Some(size.value);
                match effect_size::success_rate(size.kind, size.value, p0) {
                    Ok(p1) => Some((p1, p0, description)),
                    Err(err) => {
                        self.push(
                            "$.effect.effect_size",
                            err.to_string(),
                            "an effect size that gives a success rate in [0, 1]",
                        );
                        None
                    }
                }
            }
            (None, None) => {
                self.push("$.effect", "a study without rates or effect size", combos);
                None
            }
        }
    }

    /// The persistence of a success (DESIGN.md §1.3) and where it came from.
    /// A decay the scenario gives is used as it is; without one, the
    /// knowledge base's consequence set says whether its profiles already
    /// carry relapse (then none is added) or gives the group's default decay.
    /// A scenario with its own consequence lines and no decay takes its
    /// profiles as they are.
    fn persistence(
        &mut self,
        s: &Scenario,
        kb: &KnowledgeBase,
        group: &str,
        measure: &str,
    ) -> Option<(Persistence, PersistenceOrigin)> {
        let spec = s.persistence.clone().unwrap_or_default();
        let duration = match spec.duration_years {
            Some(d) => Some(self.bounded(
                "$.persistence.duration_years",
                d,
                0,
                MAX_PROFILE_YEARS as i64,
                "a duration in years",
            )?),
            None => None,
        };
        let (decay, origin) = match (spec.annual_decay, &s.consequences) {
            (Some(d), _) => (
                self.share("$.persistence.annual_decay", d)?,
                PersistenceOrigin::default(),
            ),
            (None, Some(_)) => (
                Decimal::ZERO,
                PersistenceOrigin {
                    from: PersistenceFrom::ScenarioLines,
                    ..PersistenceOrigin::default()
                },
            ),
            (None, None) => {
                // A missing set is reported with the lines.
                let set = kb.consequences_for(group, measure)?;
                let relapse = &set.relapse;
                let origin = |from| PersistenceOrigin {
                    from,
                    grade: relapse.evidence.grade,
                    sources: relapse.evidence.sources.clone(),
                    note: relapse.evidence.note.clone(),
                    note_da: relapse.evidence.note_da.clone(),
                };
                match relapse.annual_decay {
                    Some(d) if !relapse.in_profile => (d, origin(PersistenceFrom::KnowledgeBase)),
                    _ => (Decimal::ZERO, origin(PersistenceFrom::Profile)),
                }
            }
        };
        Some((
            Persistence {
                duration_years: duration,
                annual_decay: decay,
            },
            origin,
        ))
    }

    fn lines(
        &mut self,
        s: &Scenario,
        kb: &KnowledgeBase,
        (group, measure): (&str, &str),
        price_year: i32,
        first_year: i32,
    ) -> Option<Vec<Line>> {
        let before = self.problems.len();
        // Borrowed from the scenario or the knowledge base, and each path
        // written only when a problem names it.
        let specs: Vec<LineSpec<'_>> = match &s.consequences {
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, c)| LineSpec {
                    path: LinePath::Scenario(i),
                    service: &c.service,
                    profile: &c.profile,
                    applies_to: c.applies_to,
                    grade: c.grade,
                    shared: None,
                })
                .collect(),
            None => match kb.consequences_position(group, measure) {
                Some(set) => kb.consequences()[set]
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| LineSpec {
                        path: LinePath::KnowledgeBase,
                        service: &l.service,
                        profile: &l.profile,
                        applies_to: l.applies_to,
                        grade: l.evidence.grade,
                        shared: Some((set, i)),
                    })
                    .collect(),
                None => {
                    self.push(
                        "$.consequences",
                        format!(
                            "no consequence lines in the knowledge base for {group} / {measure}"
                        ),
                        "a `consequences` list in the scenario",
                    );
                    return None;
                }
            },
        };
        let mut lines = Vec::with_capacity(specs.len());
        let mut seen = Vec::new();
        // The index factor from each source price year to the case's: most
        // lines share a few source years, and each factor is a product over
        // the years between.
        let mut factors: Vec<(i32, Option<IndexFactor>)> = Vec::new();
        for spec in &specs {
            let path = &spec.path;
            let Some(position) = kb.service_position(spec.service) else {
                let known = kb.services().iter().map(|x| x.id.as_str());
                self.unknown(format!("{path}.service"), "service", spec.service, known);
                continue;
            };
            let service = &kb.services()[position];
            if seen.contains(&spec.service) {
                self.push(
                    format!("{path}.service"),
                    format!("`{}` a second time", spec.service),
                    "one line per service",
                );
            }
            seen.push(spec.service);
            if spec.profile.is_empty() || spec.profile.len() > MAX_PROFILE_YEARS {
                self.push(
                    format!("{path}.profile"),
                    format!("{} years", spec.profile.len()),
                    format!("a profile of 1 to {MAX_PROFILE_YEARS} years"),
                );
            }
            // A grade is a confidence grade from 1 to 5 whether or not the
            // case is adjusted for evidence: reports show it either way.
            let grades = [
                (spec.grade, true),
                (s.prices.get(spec.service).and_then(|o| o.grade), false),
            ];
            for (grade, on_line) in grades {
                if let Some(g) = grade
                    && !(1..=5).contains(&g)
                {
                    let grade_path = if on_line {
                        format!("{path}.grade")
                    } else {
                        format!("$.prices.{}.grade", spec.service)
                    };
                    self.push(
                        grade_path,
                        format!("grade {g}"),
                        "a confidence grade from 1 to 5",
                    );
                }
            }
            let price_grade = match s.prices.get(spec.service) {
                Some(o) => o.grade,
                None => service.price.evidence.grade,
            };
            let (unit_price, source_year, overridden) = match s.prices.get(spec.service) {
                Some(o) => {
                    let Some(y) = self.year(
                        format!("$.prices.{}.price_year", spec.service),
                        o.price_year,
                    ) else {
                        continue;
                    };
                    let amounts = PayerAmounts {
                        kommune: o.kommune,
                        region: o.region,
                        stat: o.stat,
                    };
                    (amounts, y, true)
                }
                None => {
                    // Refund rules that changed over time: the split in force
                    // in the case's first year (the total is the same in each).
                    let amounts = match service.price.split_in(first_year) {
                        Some(split) => {
                            self.dated_splits.push(DatedSplitApplied {
                                service: service.id.clone(),
                                year: first_year,
                                from: split.from.clone(),
                                to: split.to.clone(),
                            });
                            split.amounts()
                        }
                        None => service.price.amounts(),
                    };
                    (amounts, service.price.price_year, false)
                }
            };
            let factor = match factors.iter().find(|(year, _)| *year == source_year) {
                Some((_, factor)) => *factor,
                None => {
                    let factor = kb.price_index().factor(source_year, price_year);
                    factors.push((source_year, factor));
                    factor
                }
            };
            let Some(index_factor) = factor else {
                let years = kb.price_index().years();
                let price_path = if overridden {
                    format!("$.prices.{}.price_year", spec.service)
                } else {
                    format!("{path} (price of `{}` in the knowledge base)", service.id)
                };
                self.push(
                    price_path,
                    format!("price year {source_year} to {price_year}"),
                    format!(
                        "price years the price index covers ({}-{})",
                        years.start(),
                        years.end()
                    ),
                );
                continue;
            };
            // The knowledge base's names and profiles are shared, not copied.
            let names = kb.service_names(position);
            lines.push(Line {
                service: names.id,
                label: names.label,
                unit: names.unit,
                area: names.area,
                committee: names.committee,
                applies_to: spec.applies_to,
                profile: match spec.shared {
                    Some((set, line)) => kb.line_profile(set, line),
                    None => spec.profile.into(),
                },
                unit_price,
                price_year: source_year,
                index_factor,
                // The weaker of the two figures the line rests on.
                grade: spec.grade.max(price_grade),
            });
        }
        for (i, local) in s.local_services.iter().enumerate() {
            if !self.in_package && !specs.iter().any(|spec| spec.service == local.id) {
                let used = specs.iter().map(|spec| spec.service);
                let p = Problem::new(
                    &self.file,
                    format!("$.local_services[{i}].id"),
                    format!("`{}`, which no consequence line uses", local.id),
                    "a local service that a line of `consequences` uses",
                )
                .suggest(&local.id, used);
                self.problems.push(p);
            }
        }
        for service in s.prices.keys() {
            if !self.in_package && !specs.iter().any(|spec| spec.service == service) {
                let used = specs.iter().map(|spec| spec.service);
                let p = Problem::new(
                    &self.file,
                    format!("$.prices.{service}"),
                    format!("a price for `{service}`, which no consequence line uses"),
                    "a price for a service among the consequence lines",
                )
                .suggest(service, used);
                self.problems.push(p);
            }
        }
        (self.problems.len() == before).then_some(lines)
    }

    fn costs(&mut self, costs: &[CostSpec], h: usize) -> Option<Vec<Cost>> {
        let before = self.problems.len();
        let max = h as i64 - 1;
        let mut out = Vec::with_capacity(costs.len());
        for (i, c) in costs.iter().enumerate() {
            let path = Item("$.costs", i);
            if c.amount < Decimal::ZERO {
                self.push(
                    format!("{path}.amount"),
                    c.amount.to_string(),
                    "a cost >= 0 (costs are positive; a saving is a consequence)",
                );
            }
            if let Some(g) = c.grade
                && !(1..=5).contains(&g)
            {
                self.push(
                    format!("{path}.grade"),
                    format!("grade {g}"),
                    "a confidence grade from 1 to 5",
                );
            }
            let years = match (c.kind, c.years) {
                (CostKindName::PerParticipant, Some(n)) => self.bounded(
                    PathLater(|| format!("{path}.years")),
                    n,
                    1,
                    MAX_HORIZON_YEARS as i64,
                    "a course length in years",
                ),
                (CostKindName::PerParticipant, None) => Some(1),
                (_, Some(_)) => {
                    self.push(
                        format!("{path}.years"),
                        "`years`",
                        format!(
                            "no `years` on a `{}` cost (a course length is for `per_participant` costs)",
                            c.kind.id()
                        ),
                    );
                    None
                }
                (_, None) => None,
            };
            let fields = [
                ("year", c.year),
                ("from_year", c.from_year),
                ("to_year", c.to_year),
            ];
            let wanted: &[&str] = match c.kind {
                CostKindName::OneOff => &["year"],
                CostKindName::PerYear => &["from_year", "to_year"],
                CostKindName::PerParticipant => &[],
            };
            for (name, value) in fields {
                match (wanted.contains(&name), value) {
                    (true, None) => self.push(
                        format!("{path}.{name}"),
                        "nothing",
                        format!("`{name}` for a `{}` cost", c.kind.id()),
                    ),
                    (false, Some(_)) => self.push(
                        format!("{path}.{name}"),
                        format!("`{name}`"),
                        format!("no `{name}` on a `{}` cost", c.kind.id()),
                    ),
                    (true, Some(v)) => {
                        self.bounded(
                            PathLater(|| format!("{path}.{name}")),
                            v,
                            0,
                            max,
                            "a year index within the horizon",
                        );
                    }
                    (false, None) => {}
                }
            }
            let kind = match (c.kind, c.year, c.from_year, c.to_year) {
                (CostKindName::OneOff, Some(y), _, _) => CostKind::OneOff {
                    year: y.max(0) as usize,
                },
                (CostKindName::PerYear, _, Some(from), Some(to)) => {
                    if to < from {
                        self.push(
                            format!("{path}.to_year"),
                            to.to_string(),
                            format!("a year at or after from_year ({from})"),
                        );
                    }
                    CostKind::PerYear {
                        from_year: from.max(0) as usize,
                        to_year: to.max(0) as usize,
                    }
                }
                _ => CostKind::PerParticipant {
                    years: years.unwrap_or(1),
                },
            };
            out.push(Cost {
                label: c.label.as_str().into(),
                kind,
                amount: c.amount,
                payer: c.payer,
                grade: c.grade,
                committee: None,
            });
        }
        (self.problems.len() == before).then_some(out)
    }

    /// r_t for every year and a description; `None` (with a problem) when unusable.
    fn discounting(
        &mut self,
        d: Option<&Discounting>,
        kb: &KnowledgeBase,
        h: usize,
    ) -> Option<(Vec<Decimal>, String)> {
        let default = Discounting::Schedule(kb.manifest().default_discounting.clone());
        let d = d.unwrap_or(&default);
        let rates = match d {
            Discounting::None => vec![Decimal::ZERO; h],
            Discounting::Constant(r) => vec![self.share("$.discounting.constant", *r)?; h],
            Discounting::Rates(rates) => {
                if rates.len() + 1 != h {
                    self.push(
                        "$.discounting.rates",
                        format!("{} rates", rates.len()),
                        format!("{} rates, one for each year t = 1..{}", h - 1, h - 1),
                    );
                    return None;
                }
                let mut out = vec![Decimal::ZERO];
                for (i, r) in rates.iter().enumerate() {
                    out.push(self.share(format!("$.discounting.rates[{i}]"), *r)?);
                }
                out
            }
            Discounting::Schedule(id) => match kb.discount_schedule(id) {
                Some(schedule) => rates_from_steps(&schedule.engine_steps(), h),
                None => {
                    let known = kb.discount_schedules().iter().map(|x| x.id.as_str());
                    self.unknown(
                        "$.discounting",
                        "discount schedule (or \"none\")",
                        id,
                        known,
                    );
                    return None;
                }
            },
        };
        let description = match d {
            Discounting::Schedule(id) => kb
                .discount_schedule(id)
                .map_or(id.clone(), |s| format!("{} ({id})", s.name.en)),
            other => other.to_string(),
        };
        Some((rates, description))
    }
}

/// A consequence line to resolve, the scenario's own or the knowledge
/// base's for the group, borrowed either way.
struct LineSpec<'a> {
    path: LinePath,
    service: &'a str,
    profile: &'a [Decimal],
    applies_to: AppliesTo,
    grade: Option<u8>,
    /// A knowledge-base line's place (consequence set, line), whose
    /// profile the knowledge base shares.
    shared: Option<(usize, usize)>,
}

/// Where a consequence line comes from, as problems name it:
/// `$.consequences[i]`, or the knowledge base's lines for the group.
enum LinePath {
    Scenario(usize),
    KnowledgeBase,
}

impl std::fmt::Display for LinePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinePath::Scenario(i) => write!(f, "$.consequences[{i}]"),
            LinePath::KnowledgeBase => f.write_str("$.consequences (from the knowledge base)"),
        }
    }
}

/// A JSON path written only when a problem names it: a valid scenario's
/// checks format no path (they were most of resolving's allocations).
pub(super) struct PathLater<F: FnOnce() -> String>(pub(super) F);

impl<F: FnOnce() -> String> From<PathLater<F>> for String {
    fn from(path: PathLater<F>) -> String {
        (path.0)()
    }
}

/// `$.<list>[i]`, the path of a list's item, written only where shown.
struct Item(&'static str, usize);

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}
