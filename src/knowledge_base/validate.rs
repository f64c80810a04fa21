// Why this file is over 500 lines: it is one checker walking every record
// family of the knowledge base in the order of its files; the checks share the
// checker's helpers (ids, labels, evidence, references) and read best side by
// side.

//! Cross-checks over the knowledge base's files: ids, references, ranges,
//! evidence. Every problem is collected; nothing stops at the first.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::types::*;
use crate::Problem;
use crate::model::limits::MAX_PROFILE_YEARS;
use crate::model::{StudyDesign, effect_size};

/// What could be read from the files, each record with its JSON path.
pub(super) struct Parsed {
    /// Ids of records that are present but could not be read (already
    /// reported): a reference to one is not unknown.
    pub broken: HashSet<String>,
    /// File names in the order of [`super::FILES`].
    pub files: Vec<String>,
    pub manifest: Option<Manifest>,
    pub sources: Vec<(String, Source)>,
    pub areas: Vec<(String, Area)>,
    pub target_groups: Vec<(String, TargetGroup)>,
    pub services: Vec<(String, Service)>,
    pub consequences: Vec<(String, ConsequenceSet)>,
    pub effects: Vec<(String, EffectStudy)>,
    pub price_index: Option<PriceIndex>,
    pub evidence_scale: Option<EvidenceScale>,
    pub schedules: Vec<(String, DiscountSchedule)>,
    pub committees: Vec<(String, Committee)>,
}

/// Whether `id` is lower-case kebab: `a-z0-9` words joined by single hyphens.
pub(crate) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

struct Checker<'a> {
    parsed: &'a Parsed,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn file(&self, index: usize) -> String {
        self.parsed.files[index].clone()
    }

    fn push(
        &mut self,
        file: usize,
        path: impl Into<String>,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) {
        let p = Problem::new(self.file(file), path, found, expected);
        self.problems.push(p);
    }

    fn unknown(&mut self, file: usize, path: String, kind: &str, id: &str, known: Vec<&str>) {
        if self.parsed.broken.contains(id) {
            // The record exists; its own problem says what is wrong with it.
            return;
        }
        let p = Problem::new(
            self.file(file),
            path,
            format!("`{id}`"),
            format!("a known {kind} id"),
        )
        .suggest(id, known);
        self.problems.push(p);
    }

    fn ids<'r, T: 'r>(&mut self, file: usize, records: &'r [(String, T)], id: impl Fn(&T) -> &str) {
        let mut seen = HashSet::new();
        for (path, record) in records {
            let id = id(record);
            if !is_kebab(id) {
                self.push(
                    file,
                    format!("{path}.id"),
                    format!("`{id}`"),
                    "a lower-case-kebab id such as `homeless-adults`",
                );
            }
            if !seen.insert(id.to_owned()) {
                self.push(
                    file,
                    format!("{path}.id"),
                    format!("`{id}` a second time"),
                    "ids unique within the file",
                );
            }
        }
    }

    fn label(&mut self, file: usize, path: String, label: &Label) {
        if label.da.trim().is_empty() || label.en.trim().is_empty() {
            self.push(
                file,
                path,
                "an empty text",
                "a Danish (`da`) and an English (`en`) text",
            );
        }
    }

    fn evidence(&mut self, file: usize, path: String, evidence: &Evidence) {
        if let Some(grade) = evidence.grade
            && !(1..=5).contains(&grade)
        {
            self.push(
                file,
                format!("{path}.grade"),
                grade.to_string(),
                "a confidence grade from 1 to 5",
            );
        }
        let known: Vec<&str> = self
            .parsed
            .sources
            .iter()
            .map(|(_, s)| s.id.as_str())
            .collect();
        for (i, id) in evidence.sources.iter().enumerate() {
            if !known.contains(&id.as_str()) {
                self.unknown(
                    file,
                    format!("{path}.sources[{i}]"),
                    "source",
                    id,
                    known.clone(),
                );
            }
        }
        if evidence.basis != Basis::Assumption && evidence.sources.is_empty() {
            self.push(
                file,
                format!("{path}.sources"),
                "no source",
                "at least one source for a published or derived figure",
            );
        }
        if evidence.basis != Basis::Published
            && evidence.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            self.push(
                file,
                format!("{path}.note"),
                "no note",
                "a note with the derivation or the reasoning behind the assumption",
            );
        }
        if let Some(da) = &evidence.note_da {
            let en = evidence.note.as_deref().unwrap_or_default();
            self.same_numbers(file, format!("{path}.note_da"), en, da);
        }
    }

    /// A Danish translation gives the English text's numbers, as written.
    fn same_numbers(&mut self, file: usize, path: String, en: &str, da: &str) {
        // Most translations keep the numbers in their order: then the
        // lists are the same without sorting them.
        if super::types::numbers(en).eq(super::types::numbers(da)) {
            return;
        }
        let (want, got) = (super::types::numbers_in(en), super::types::numbers_in(da));
        if want != got {
            self.push(
                file,
                path,
                format!("the numbers {}", got.join(" ")),
                format!(
                    "the numbers of the English text, {} (a translation changes words, not figures)",
                    want.join(" ")
                ),
            );
        }
    }

    fn graded(&mut self, file: usize, path: String, evidence: &Evidence) {
        if evidence.grade.is_none() {
            self.push(
                file,
                path,
                "no grade",
                "a confidence grade from 1 to 5 (see evidence.json)",
            );
        }
    }

    /// Dated payer splits (services.json): real dates, periods that follow
    /// each other day by day from an open start to an open end, the same
    /// total as the price (to the øre), the price's own parts equal to
    /// the last period's, and refund rules with a share in [0, 1] and
    /// 1-366 days on a service priced per day.
    fn dated_splits(&mut self, path: String, price: &UnitPrice, unit: &Label) {
        let splits = &price.dated_splits;
        if splits.is_empty() {
            return;
        }
        let total = price.kommune + price.region + price.stat;
        let mut previous_end: Option<(i32, u32, u32)> = None;
        for (i, split) in splits.iter().enumerate() {
            let spath = format!("{path}.dated_splits[{i}]");
            let from = split.from.as_deref().map(|d| (d, parse_date(d)));
            let to = split.to.as_deref().map(|d| (d, parse_date(d)));
            for (field, date) in [("from", from), ("to", to)] {
                if let Some((text, None)) = date {
                    self.push(
                        4,
                        format!("{spath}.{field}"),
                        format!("`{text}`"),
                        "a date YYYY-MM-DD",
                    );
                }
            }
            match (i, from) {
                (0, Some((text, _))) => self.push(
                    4,
                    format!("{spath}.from"),
                    format!("`{text}`"),
                    "no `from` on the first period (it covers every earlier day)",
                ),
                (0, None) => {}
                (_, None) => self.push(
                    4,
                    format!("{spath}.from"),
                    "nothing",
                    "the first day of the period",
                ),
                (_, Some((text, Some(day)))) => {
                    if previous_end.and_then(next_day) != Some(day) {
                        self.push(
                            4,
                            format!("{spath}.from"),
                            format!("`{text}`"),
                            "the day after the previous period's `to`",
                        );
                    }
                }
                (_, Some((_, None))) => {}
            }
            let last = i + 1 == splits.len();
            match (last, to) {
                (true, Some((text, _))) => self.push(
                    4,
                    format!("{spath}.to"),
                    format!("`{text}`"),
                    "no `to` on the last period (it is the split in force now)",
                ),
                (false, None) => self.push(
                    4,
                    format!("{spath}.to"),
                    "nothing",
                    "the last day of the period",
                ),
                _ => {}
            }
            previous_end = to.and_then(|(_, d)| d);
            if let Some(rule) = &split.refund {
                self.share(4, format!("{spath}.refund.stat_share"), rule.stat_share);
                if let Some(days) = rule.first_days
                    && !(1..=366).contains(&days)
                {
                    self.push(
                        4,
                        format!("{spath}.refund.first_days"),
                        days.to_string(),
                        "a number of days in a year, 1 to 366",
                    );
                }
                if unit.en != "day" {
                    self.push(
                        4,
                        format!("{spath}.refund"),
                        format!("a refund rule on a service priced per {}", unit.en),
                        "a service priced per day (a refund rule counts each citizen's days)",
                    );
                }
            }
            let sum = split.kommune + split.region + split.stat;
            if (sum - total).abs() > Decimal::new(2, 2) {
                self.push(
                    4,
                    spath.clone(),
                    format!("parts that sum to {sum}"),
                    format!("the price's total, {total} (to the øre; a split moves money between payers, not the total)"),
                );
            }
            if last && split.amounts() != price.amounts() {
                self.push(
                    4,
                    path.clone(),
                    format!(
                        "kommune {}, region {}, stat {}",
                        price.kommune, price.region, price.stat
                    ),
                    "the parts of the last dated split (the split in force now)",
                );
            }
        }
    }

    /// `sources.json`'s records: ids, and a title, publisher and url each.
    fn sources(&mut self, sources: &[(String, Source)]) {
        self.ids(1, sources, |s| &s.id);
        for (path, s) in sources {
            if s.title.trim().is_empty() || s.publisher.trim().is_empty() || s.url.trim().is_empty()
            {
                self.push(
                    1,
                    path.clone(),
                    "an empty title, publisher or url",
                    "a title, a publisher and a url",
                );
            }
        }
    }

    /// `services.json`'s records: ids, names, a known area, a price year
    /// the index covers, graded evidence with its sources and note, and
    /// dated splits that follow each other.
    fn services(&mut self, services: &[(String, Service)]) {
        let parsed = self.parsed;
        let area_ids: Vec<&str> = parsed.areas.iter().map(|(_, a)| a.id.as_str()).collect();
        self.ids(4, services, |s| &s.id);
        for (path, s) in services {
            self.label(4, format!("{path}.name"), &s.name);
            self.label(4, format!("{path}.unit"), &s.unit);
            if !area_ids.contains(&s.area.as_str()) {
                self.unknown(4, format!("{path}.area"), "area", &s.area, area_ids.clone());
            }
            self.price_year(4, format!("{path}.price.price_year"), s.price.price_year);
            self.evidence(4, format!("{path}.price.evidence"), &s.price.evidence);
            self.graded(4, format!("{path}.price.evidence.grade"), &s.price.evidence);
            self.dated_splits(format!("{path}.price"), &s.price, &s.unit);
            self.service_committee(path, s);
        }
    }

    /// A committee reference (`committee` of a service or target group):
    /// required and known when the knowledge base has committees, absent
    /// when it has none. Returns the committee when it is known.
    fn committee_ref(
        &mut self,
        file: usize,
        path: String,
        committee: Option<&str>,
    ) -> Option<&Committee> {
        let parsed = self.parsed;
        let known: Vec<&str> = parsed
            .committees
            .iter()
            .map(|(_, c)| c.id.as_str())
            .collect();
        match committee {
            None if known.is_empty() => None,
            None => {
                self.push(
                    file,
                    path,
                    "nothing",
                    format!(
                        "the id of a committee in committees.json ({})",
                        known.join(", ")
                    ),
                );
                None
            }
            Some(id) if known.is_empty() => {
                self.push(
                    file,
                    path,
                    format!("`{id}`"),
                    "no committee: the knowledge base has no committees.json (register one in manifest.json)",
                );
                None
            }
            Some(id) => {
                let found = parsed.committees.iter().find(|(_, c)| c.id == id);
                if found.is_none() {
                    self.unknown(file, path, "committee", id, known);
                }
                found.map(|(_, c)| c)
            }
        }
    }

    /// A service's committee; one the kommune does not govern (`municipal:
    /// false`) takes no kommune money, in its price or in any dated split.
    fn service_committee(&mut self, path: &str, s: &Service) {
        match (&s.committee_note, &s.committee_note_da) {
            (Some(en), Some(da)) => {
                self.same_numbers(4, format!("{path}.committee_note_da"), en, da);
            }
            (None, Some(_)) => self.push(
                4,
                format!("{path}.committee_note_da"),
                "a Danish reason without an English one",
                "committee_note beside committee_note_da (the English reason it translates)",
            ),
            _ => {}
        }
        let committee = self.committee_ref(4, format!("{path}.committee"), s.committee.as_deref());
        if let Some(c) = committee
            && !c.municipal
        {
            let id = c.id.clone();
            let mut kommune = vec![(format!("{path}.price.kommune"), s.price.kommune)];
            for (i, split) in s.price.dated_splits.iter().enumerate() {
                kommune.push((
                    format!("{path}.price.dated_splits[{i}].kommune"),
                    split.kommune,
                ));
            }
            for (at, amount) in kommune {
                if !amount.is_zero() {
                    self.push(
                        4,
                        at,
                        amount.to_string(),
                        format!("0: the service's committee `{id}` is not the kommune's (name the committee that pays the kommune's part)"),
                    );
                }
            }
        }
    }

    fn share(&mut self, file: usize, path: String, value: Decimal) {
        if value < Decimal::ZERO || value > Decimal::ONE {
            self.push(file, path, value.to_string(), "a share between 0 and 1");
        }
    }

    fn price_year(&mut self, file: usize, path: String, year: i32) {
        if let Some(index) = &self.parsed.price_index
            && !index.years().contains(&year)
        {
            let years = index.years();
            self.push(
                file,
                path,
                year.to_string(),
                format!(
                    "a price year the price index covers ({}-{})",
                    years.start(),
                    years.end()
                ),
            );
        }
    }
}

pub(super) fn check(parsed: &Parsed, problems: &mut Vec<Problem>) {
    let mut c = Checker { parsed, problems };
    let p = parsed;

    c.sources(&p.sources);

    c.ids(10, &p.committees, |c| &c.id);
    for (path, committee) in &p.committees {
        c.label(10, format!("{path}.name"), &committee.name);
        c.label(10, format!("{path}.description"), &committee.description);
    }

    c.ids(2, &p.areas, |a| &a.id);
    for (path, a) in &p.areas {
        c.label(2, format!("{path}.name"), &a.name);
    }

    c.ids(3, &p.target_groups, |g| &g.id);
    for (path, g) in &p.target_groups {
        c.label(3, format!("{path}.name"), &g.name);
        c.label(3, format!("{path}.description"), &g.description);
        if g.age.max.is_some_and(|max| max < g.age.min) {
            c.push(
                3,
                format!("{path}.age"),
                format!("min {} above max {:?}", g.age.min, g.age.max),
                "min <= max",
            );
        }
        if let Some(committee) =
            c.committee_ref(3, format!("{path}.committee"), g.committee.as_deref())
            && !committee.municipal
        {
            let id = committee.id.clone();
            c.push(
                3,
                format!("{path}.committee"),
                format!("`{id}`, a committee that is not the kommune's"),
                "a committee of the kommune (it is the committee of the intervention's costs)",
            );
        }
        if g.success_measures.is_empty() {
            c.push(
                3,
                format!("{path}.success_measures"),
                "an empty list",
                "at least one success measure",
            );
        }
        let measures: Vec<(String, SuccessMeasure)> = g
            .success_measures
            .iter()
            .enumerate()
            .map(|(i, m)| (format!("{path}.success_measures[{i}]"), m.clone()))
            .collect();
        c.ids(3, &measures, |m| &m.id);
        for (mpath, m) in &measures {
            c.label(3, format!("{mpath}.name"), &m.name);
        }
    }

    c.services(&p.services);

    let group_ids: Vec<&str> = p.target_groups.iter().map(|(_, g)| g.id.as_str()).collect();
    let service_ids: Vec<&str> = p.services.iter().map(|(_, s)| s.id.as_str()).collect();
    let check_group_and_measure =
        |c: &mut Checker, file: usize, path: &str, group: &str, measure: &str| match p
            .target_groups
            .iter()
            .find(|(_, g)| g.id == group)
        {
            None => c.unknown(
                file,
                format!("{path}.target_group"),
                "target group",
                group,
                group_ids.clone(),
            ),
            Some((_, g)) => {
                if g.success_measure(measure).is_none() {
                    let known: Vec<&str> =
                        g.success_measures.iter().map(|m| m.id.as_str()).collect();
                    c.unknown(
                        file,
                        format!("{path}.success_measure"),
                        &format!("success measure of `{group}`"),
                        measure,
                        known,
                    );
                }
            }
        };

    let mut seen_sets = HashSet::new();
    for (path, set) in &p.consequences {
        check_group_and_measure(&mut c, 5, path, &set.target_group, &set.success_measure);
        if !seen_sets.insert((set.target_group.clone(), set.success_measure.clone())) {
            c.push(
                5,
                path.clone(),
                "a second set for the same target group and success measure",
                "one set per pair",
            );
        }
        let relapse = &set.relapse;
        match (relapse.in_profile, relapse.annual_decay) {
            (true, Some(d)) => c.push(
                5,
                format!("{path}.relapse.annual_decay"),
                d.to_string(),
                "no annual_decay when in_profile is true (the profiles already carry relapse)",
            ),
            (false, None) => c.push(
                5,
                format!("{path}.relapse.annual_decay"),
                "nothing",
                "the group's default annual decay (a share in [0, 1]) when in_profile is false",
            ),
            (false, Some(d)) => c.share(5, format!("{path}.relapse.annual_decay"), d),
            (true, None) => {}
        }
        c.evidence(5, format!("{path}.relapse.evidence"), &relapse.evidence);
        c.graded(
            5,
            format!("{path}.relapse.evidence.grade"),
            &relapse.evidence,
        );
        let mut seen_services = HashSet::new();
        for (i, line) in set.lines.iter().enumerate() {
            let lpath = format!("{path}.lines[{i}]");
            if !service_ids.contains(&line.service.as_str()) {
                c.unknown(
                    5,
                    format!("{lpath}.service"),
                    "service",
                    &line.service,
                    service_ids.clone(),
                );
            }
            if !seen_services.insert(line.service.clone()) {
                c.push(
                    5,
                    format!("{lpath}.service"),
                    format!("`{}` a second time", line.service),
                    "one line per service",
                );
            }
            if line.profile.is_empty() || line.profile.len() > MAX_PROFILE_YEARS {
                c.push(
                    5,
                    format!("{lpath}.profile"),
                    format!("{} years", line.profile.len()),
                    format!("a profile of 1 to {MAX_PROFILE_YEARS} years"),
                );
            }
            c.evidence(5, format!("{lpath}.evidence"), &line.evidence);
            c.graded(5, format!("{lpath}.evidence.grade"), &line.evidence);
        }
    }

    c.ids(6, &p.effects, |e| &e.id);
    for (path, e) in &p.effects {
        c.label(6, format!("{path}.name"), &e.name);
        if e.country.len() != 2 || !e.country.bytes().all(|b| b.is_ascii_uppercase()) {
            c.push(
                6,
                format!("{path}.country"),
                format!("`{}`", e.country),
                "an ISO 3166 alpha-2 country code such as `DK`",
            );
        }
        for (field, en, da) in [
            ("population_da", &e.population, &e.population_da),
            ("outcome_da", &e.outcome, &e.outcome_da),
        ] {
            if let Some(da) = da {
                c.same_numbers(6, format!("{path}.{field}"), en, da);
            }
        }
        check_group_and_measure(&mut c, 6, path, &e.target_group, &e.success_measure);
        if let Some(r) = e.success_rate {
            c.share(6, format!("{path}.success_rate"), r);
        }
        if let Some(r) = e.baseline_rate {
            c.share(6, format!("{path}.baseline_rate"), r);
        }
        match (&e.success_rate, &e.effect_size) {
            (Some(_), Some(_)) => c.push(
                6,
                path.clone(),
                "both `success_rate` and `effect_size`",
                "one of them",
            ),
            (None, None) => c.push(
                6,
                path.clone(),
                "neither `success_rate` nor `effect_size`",
                "one of them",
            ),
            (Some(_), None) if e.baseline_rate.is_none() => c.push(
                6,
                format!("{path}.baseline_rate"),
                "nothing",
                "the control group's rate next to `success_rate`",
            ),
            _ => {}
        }
        if let (Some(size), Some(p0)) = (&e.effect_size, e.baseline_rate)
            && (Decimal::ZERO..=Decimal::ONE).contains(&p0)
            && let Err(err) = effect_size::success_rate(size.kind, size.value, p0)
        {
            c.push(
                6,
                format!("{path}.effect_size"),
                err.to_string(),
                "an effect size that gives a success rate in [0, 1]",
            );
        }
        c.evidence(6, format!("{path}.evidence"), &e.evidence);
    }

    if let Some(index) = &p.price_index {
        if !is_kebab(&index.id) {
            c.push(
                7,
                "$.id",
                format!("`{}`", index.id),
                "a lower-case-kebab id",
            );
        }
        let mut expected = index.base_year;
        for (i, change) in index.changes.iter().enumerate() {
            expected += 1;
            if change.year != expected {
                c.push(
                    7,
                    format!("$.changes[{i}].year"),
                    change.year.to_string(),
                    format!("{expected} (years follow each other from base_year + 1)"),
                );
                expected = change.year;
            }
            if change.rate <= -Decimal::ONE || change.rate >= Decimal::ONE {
                c.push(
                    7,
                    format!("$.changes[{i}].rate"),
                    change.rate.to_string(),
                    "an annual change between -1 and 1 (exclusive)",
                );
            }
        }
        c.evidence(7, "$.evidence".to_owned(), &index.evidence);
    }

    c.ids(8, &p.schedules, |s| &s.id);
    for (path, s) in &p.schedules {
        c.label(8, format!("{path}.name"), &s.name);
        let mut next = 0usize;
        for (i, step) in s.steps.iter().enumerate() {
            let spath = format!("{path}.steps[{i}]");
            if step.from_year != next {
                c.push(
                    8,
                    format!("{spath}.from_year"),
                    step.from_year.to_string(),
                    format!("{next} (steps follow each other from year 0)"),
                );
            }
            c.share(8, format!("{spath}.rate"), step.rate);
            if let Some(evidence) = &step.evidence {
                c.evidence(8, format!("{spath}.evidence"), evidence);
            }
            match step.to_year {
                Some(to) if to < step.from_year => c.push(
                    8,
                    format!("{spath}.to_year"),
                    to.to_string(),
                    "a year at or after from_year",
                ),
                Some(to) if i + 1 == s.steps.len() => c.push(
                    8,
                    format!("{spath}.to_year"),
                    to.to_string(),
                    "no to_year on the last step (it covers every later year)",
                ),
                Some(to) => next = to + 1,
                None if i + 1 < s.steps.len() => c.push(
                    8,
                    format!("{spath}.to_year"),
                    "nothing",
                    "a to_year on every step but the last",
                ),
                None => {}
            }
        }
        if s.steps.is_empty() {
            c.push(
                8,
                format!("{path}.steps"),
                "an empty list",
                "at least one step",
            );
        }
        c.evidence(8, format!("{path}.evidence"), &s.evidence);
    }

    if let Some(scale) = &p.evidence_scale {
        for grade in 1..=5u8 {
            let count = scale.grades.iter().filter(|g| g.grade == grade).count();
            if count != 1 {
                c.push(
                    9,
                    "$.grades",
                    format!("grade {grade} defined {count} times"),
                    "each grade 1 to 5 defined once",
                );
            }
        }
        for (i, g) in scale.grades.iter().enumerate() {
            let gpath = format!("$.grades[{i}]");
            if !(1..=5).contains(&g.grade) {
                c.push(
                    9,
                    format!("{gpath}.grade"),
                    g.grade.to_string(),
                    "a grade from 1 to 5",
                );
            }
            c.label(9, format!("{gpath}.name"), &g.name);
            if g.optimism_bias < Decimal::ZERO || g.optimism_bias >= Decimal::ONE {
                c.push(
                    9,
                    format!("{gpath}.optimism_bias"),
                    g.optimism_bias.to_string(),
                    "a share in [0, 1)",
                );
            }
            c.share(9, format!("{gpath}.uncertainty"), g.uncertainty);
            c.evidence(9, format!("{gpath}.evidence"), &g.evidence);
        }
        for design in StudyDesign::ALL {
            let count = scale.designs.iter().filter(|d| d.design == design).count();
            if count != 1 {
                c.push(
                    9,
                    "$.designs",
                    format!("design `{}` defined {count} times", design.id()),
                    "each study design defined once",
                );
            }
        }
        for (i, d) in scale.designs.iter().enumerate() {
            c.share(9, format!("$.designs[{i}].factor"), d.factor);
            c.evidence(9, format!("$.designs[{i}].evidence"), &d.evidence);
        }
    }

    if let Some(m) = &p.manifest {
        if m.version.trim().is_empty() {
            c.push(
                0,
                "$.version",
                "an empty version",
                "a version such as `2026.1`",
            );
        }
        let ids: Vec<&str> = p.schedules.iter().map(|(_, s)| s.id.as_str()).collect();
        if !ids.contains(&m.default_discounting.as_str()) {
            c.unknown(
                0,
                "$.default_discounting".to_owned(),
                "discount schedule",
                &m.default_discounting,
                ids,
            );
        }
        c.price_year(0, "$.default_price_year".to_owned(), m.default_price_year);
    }
}

/// The checks `check` makes on the knowledge base's sources and services,
/// made on the sources and services a scenario defines itself (local
/// records, `$.local_sources[i]` and `$.local_services[i]` of `file`),
/// against `kb`'s areas, sources and price index. An id the knowledge base
/// already has is a problem too: a local record adds to the knowledge base
/// and never replaces one of its records silently.
pub(crate) fn check_local(
    kb: &KnowledgeBase,
    file: &str,
    sources: &[Source],
    services: &[Service],
) -> Vec<Problem> {
    // A scenario without records of its own has nothing to check here; the
    // knowledge base's own records were checked when it was loaded.
    if sources.is_empty() && services.is_empty() {
        return Vec::new();
    }
    let local_sources: Vec<(String, Source)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("$.local_sources[{i}]"), s.clone()))
        .collect();
    let local_services: Vec<(String, Service)> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("$.local_services[{i}]"), s.clone()))
        .collect();
    let parsed = Parsed {
        files: vec![file.to_owned(); super::FILES.len()],
        manifest: None,
        // Evidence may cite the knowledge base's sources and the scenario's own.
        sources: kb
            .sources
            .iter()
            .map(|s| (String::new(), s.clone()))
            .chain(local_sources.iter().cloned())
            .collect(),
        areas: kb
            .areas
            .iter()
            .map(|a| (String::new(), a.clone()))
            .collect(),
        target_groups: Vec::new(),
        services: Vec::new(),
        consequences: Vec::new(),
        effects: Vec::new(),
        price_index: Some(kb.price_index.clone()),
        evidence_scale: None,
        schedules: Vec::new(),
        committees: kb
            .committees
            .iter()
            .map(|c| (String::new(), c.clone()))
            .collect(),
        // A local record that cannot be read stops the scenario's reading
        // before this check, so none is broken here.
        broken: HashSet::new(),
    };
    let mut problems = Vec::new();
    let mut c = Checker {
        parsed: &parsed,
        problems: &mut problems,
    };
    c.sources(&local_sources);
    c.services(&local_services);
    for (path, source) in &local_sources {
        if kb.source(&source.id).is_some() {
            c.push(
                1,
                format!("{path}.id"),
                format!("`{}`, a source the knowledge base has", source.id),
                "an id the knowledge base does not use (cite its source by that id instead)",
            );
        }
    }
    for (path, service) in &local_services {
        if kb.service(&service.id).is_some() {
            c.push(
                4,
                format!("{path}.id"),
                format!("`{}`, a service the knowledge base has", service.id),
                "an id the knowledge base does not use (to change its price, use `prices`)",
            );
        }
        if !service.price.dated_splits.is_empty() {
            c.push(
                4,
                format!("{path}.price.dated_splits"),
                "dated payer splits on a local service",
                "one split between payers (refund rules that change by date belong in the knowledge base)",
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::is_kebab;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("homeless-adults"));
        assert!(is_kebab("dk-fm-2021"));
        assert!(!is_kebab("Homeless"));
        assert!(!is_kebab("a--b"));
        assert!(!is_kebab("-a"));
        assert!(!is_kebab(""));
        assert!(!is_kebab("a_b"));
    }
}
