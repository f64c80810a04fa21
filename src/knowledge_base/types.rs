// Why this file is over 500 lines: it is the knowledge base's file formats,
// every record type beside the others, so a reader sees the whole format in
// one place; the logic here is only each record's own accessors (a price's
// split at a date, a study's effect).

//! The knowledge base's records, as written in its JSON files.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{
    AppliesTo, CalcError, Checked, DiscountStep, EffectSizeKind, IndexFactor, PayerAmounts,
    StudyDesign,
};

/// A validated knowledge base.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// assert!(kb.target_group("homeless-adults").is_some());
/// assert_eq!(kb.hash().len(), 64);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct KnowledgeBase {
    pub(crate) manifest: Manifest,
    pub(crate) hash: String,
    pub(crate) sources: Vec<Source>,
    pub(crate) areas: Vec<Area>,
    pub(crate) target_groups: Vec<TargetGroup>,
    pub(crate) services: Vec<Service>,
    pub(crate) consequences: Vec<ConsequenceSet>,
    pub(crate) effects: Vec<EffectStudy>,
    pub(crate) price_index: PriceIndex,
    pub(crate) discount_schedules: Vec<DiscountSchedule>,
    pub(crate) evidence_scale: EvidenceScale,
    /// The kommune's committees (`committees.json`), empty when the
    /// knowledge base has none.
    pub(crate) committees: Vec<Committee>,
    /// Names and profiles made once for every case's lines to share
    /// (`shared.rs`).
    pub(crate) shared: super::shared::Shared,
}

impl KnowledgeBase {
    /// The evidence scale: confidence grades and study-design factors.
    pub fn evidence_scale(&self) -> &EvidenceScale {
        &self.evidence_scale
    }

    /// The version from `manifest.json`.
    pub fn version(&self) -> &str {
        &self.manifest.version
    }
    /// SHA-256 (hex) of the files' contents, recorded in every business case.
    pub fn hash(&self) -> &str {
        &self.hash
    }
    /// The manifest: version, name and defaults.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }
    /// All sources.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
    /// All areas.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }
    /// All target groups.
    pub fn target_groups(&self) -> &[TargetGroup] {
        &self.target_groups
    }
    /// All services.
    pub fn services(&self) -> &[Service] {
        &self.services
    }
    /// All consequence sets.
    pub fn consequences(&self) -> &[ConsequenceSet] {
        &self.consequences
    }
    /// All effect studies.
    pub fn effects(&self) -> &[EffectStudy] {
        &self.effects
    }
    /// The price index.
    pub fn price_index(&self) -> &PriceIndex {
        &self.price_index
    }
    /// All discount schedules.
    pub fn discount_schedules(&self) -> &[DiscountSchedule] {
        &self.discount_schedules
    }

    /// The kommune's political committees (udvalg), in file order; empty
    /// when the knowledge base registers no `committees.json`.
    pub fn committees(&self) -> &[Committee] {
        &self.committees
    }
    /// A committee by id.
    pub fn committee(&self, id: &str) -> Option<&Committee> {
        self.committees.iter().find(|c| c.id == id)
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    /// An area by id.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }
    /// A target group by id.
    pub fn target_group(&self, id: &str) -> Option<&TargetGroup> {
        self.target_groups.iter().find(|g| g.id == id)
    }
    /// A service by id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.service_position(id).map(|i| &self.services[i])
    }
    /// An effect study by id.
    pub fn effect(&self, id: &str) -> Option<&EffectStudy> {
        self.effects.iter().find(|e| e.id == id)
    }
    /// The effect studies for a target group, Danish studies first (in file
    /// order within each).
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let studies = kb.effects_for("homeless-adults");
    /// assert!(!studies.is_empty());
    /// let danish = studies.iter().take_while(|e| e.is_danish()).count();
    /// assert!(studies[danish..].iter().all(|e| !e.is_danish()));
    /// ```
    pub fn effects_for(&self, target_group: &str) -> Vec<&EffectStudy> {
        let (mut danish, foreign): (Vec<&EffectStudy>, Vec<&EffectStudy>) = self
            .effects
            .iter()
            .filter(|e| e.target_group == target_group)
            .partition(|e| e.is_danish());
        danish.extend(foreign);
        danish
    }
    /// A discount schedule by id.
    pub fn discount_schedule(&self, id: &str) -> Option<&DiscountSchedule> {
        self.discount_schedules.iter().find(|d| d.id == id)
    }
    /// The consequence lines for a target group and success measure.
    pub fn consequences_for(
        &self,
        target_group: &str,
        success_measure: &str,
    ) -> Option<&ConsequenceSet> {
        self.consequences_position(target_group, success_measure)
            .map(|i| &self.consequences[i])
    }

    /// Every figure's evidence with a name for it: prices, consequence lines,
    /// effect studies, the price index, discount schedules and their steps,
    /// and the evidence scale's own grades and design factors.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// assert!(kb.figures().iter().any(|(what, _)| what == "service shelter-day"));
    /// ```
    pub fn figures(&self) -> Vec<(String, &Evidence)> {
        let mut all = Vec::new();
        for s in &self.services {
            all.push((format!("service {}", s.id), &s.price.evidence));
        }
        for set in &self.consequences {
            for line in &set.lines {
                let what = format!(
                    "consequence {} / {} / {}",
                    set.target_group, set.success_measure, line.service
                );
                all.push((what, &line.evidence));
            }
            all.push((
                format!("relapse {} / {}", set.target_group, set.success_measure),
                &set.relapse.evidence,
            ));
        }
        for e in &self.effects {
            all.push((format!("effect {}", e.id), &e.evidence));
        }
        all.push(("price index".to_owned(), &self.price_index.evidence));
        for d in &self.discount_schedules {
            all.push((format!("discount schedule {}", d.id), &d.evidence));
            for (i, step) in d.steps.iter().enumerate() {
                if let Some(e) = &step.evidence {
                    all.push((format!("discount schedule {} step {i}", d.id), e));
                }
            }
        }
        for g in &self.evidence_scale.grades {
            all.push((format!("evidence grade {}", g.grade), &g.evidence));
        }
        for d in &self.evidence_scale.designs {
            all.push((format!("study design {}", d.design.id()), &d.evidence));
        }
        all
    }

    /// What the knowledge base holds for each target group, for `som kb validate`.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let homeless = kb.coverage().into_iter().find(|c| c.target_group == "homeless-adults").unwrap();
    /// assert!(homeless.consequence_sets >= 1 && homeless.effect_studies >= 1);
    /// ```
    pub fn coverage(&self) -> Vec<Coverage<'_>> {
        self.target_groups
            .iter()
            .map(|g| Coverage {
                target_group: &g.id,
                success_measures: g.success_measures.len(),
                consequence_sets: self
                    .consequences
                    .iter()
                    .filter(|c| c.target_group == g.id)
                    .count(),
                effect_studies: self
                    .effects
                    .iter()
                    .filter(|e| e.target_group == g.id)
                    .count(),
                lines: self
                    .consequences
                    .iter()
                    .filter(|c| c.target_group == g.id)
                    .map(|c| c.lines.len())
                    .sum(),
                areas: {
                    let mut areas: Vec<&str> = Vec::new();
                    for line in self
                        .consequences
                        .iter()
                        .filter(|c| c.target_group == g.id)
                        .flat_map(|c| &c.lines)
                    {
                        if let Some(s) = self.service(&line.service)
                            && !areas.contains(&s.area.as_str())
                        {
                            areas.push(&s.area);
                        }
                    }
                    areas
                },
            })
            .collect()
    }

    /// Every id in the knowledge base with what kind of record it names, for
    /// `som kb list` and lookups by id alone.
    pub fn ids(&self) -> Vec<(&'static str, &str)> {
        let mut ids = Vec::new();
        ids.extend(
            self.target_groups
                .iter()
                .map(|x| ("target-group", x.id.as_str())),
        );
        ids.extend(self.services.iter().map(|x| ("service", x.id.as_str())));
        ids.extend(self.effects.iter().map(|x| ("effect", x.id.as_str())));
        ids.extend(
            self.discount_schedules
                .iter()
                .map(|x| ("discounting", x.id.as_str())),
        );
        ids.extend(self.areas.iter().map(|x| ("area", x.id.as_str())));
        ids.extend(self.sources.iter().map(|x| ("source", x.id.as_str())));
        ids.push(("price-index", self.price_index.id.as_str()));
        ids
    }

    /// Every record as (kind, id, English name, Danish name), in the order
    /// of [`KnowledgeBase::ids`]; a source's name is its title, as published.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let names = kb.names();
    /// let (_, _, en, da) = names.iter().find(|(_, id, _, _)| *id == "homeless-adults").unwrap();
    /// assert_eq!((*en, *da), ("Homeless adults", "Voksne i hjemløshed"));
    /// ```
    pub fn names(&self) -> Vec<(&'static str, &str, &str, &str)> {
        fn named<'a>(
            kind: &'static str,
            id: &'a str,
            l: &'a Label,
        ) -> (&'static str, &'a str, &'a str, &'a str) {
            (kind, id, l.en.as_str(), l.da.as_str())
        }
        let mut names = Vec::new();
        names.extend(
            self.target_groups
                .iter()
                .map(|x| named("target-group", &x.id, &x.name)),
        );
        names.extend(
            self.services
                .iter()
                .map(|x| named("service", &x.id, &x.name)),
        );
        names.extend(self.effects.iter().map(|x| named("effect", &x.id, &x.name)));
        names.extend(
            self.discount_schedules
                .iter()
                .map(|x| named("discounting", &x.id, &x.name)),
        );
        names.extend(self.areas.iter().map(|x| named("area", &x.id, &x.name)));
        names.extend(
            self.sources
                .iter()
                .map(|x| ("source", x.id.as_str(), x.title.as_str(), x.title.as_str())),
        );
        names.push(named(
            "price-index",
            &self.price_index.id,
            &self.price_index.name,
        ));
        names
    }
}

/// A name or text in Danish and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Danish.
    pub da: String,
    /// English.
    pub en: String,
}

/// `manifest.json`: the knowledge base's version and defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The version, recorded in every business case.
    pub version: String,
    /// The knowledge base's name.
    pub name: Label,
    /// The price year a scenario uses when it names none.
    pub default_price_year: i32,
    /// The discount schedule a scenario uses when it names none.
    pub default_discounting: String,
    /// `"committees.json"` when the knowledge base has a committees file;
    /// then every service and target group names a committee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committees: Option<String>,
}

/// A political committee (udvalg) of the kommune: the kommune's result of a
/// business case is split between them (`committees.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Committee {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Label,
    /// What the committee governs, and why services belong to it.
    pub description: Label,
    /// False for the class of services the kommune does not pay for (the
    /// region or the state pays all of them): no kommune money may fall in it.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub municipal: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

/// How a figure is founded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The figure as a source prints it.
    Published,
    /// Computed from published figures; the note shows the arithmetic.
    Derived,
    /// Our assumption; the note gives the reasoning.
    Assumption,
}

impl Basis {
    /// The basis as written in files.
    ///
    /// ```
    /// use som::knowledge_base::Basis;
    /// assert_eq!(Basis::from_id(Basis::Derived.id()), Some(Basis::Derived));
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Basis::Published => "published",
            Basis::Derived => "derived",
            Basis::Assumption => "assumption",
        }
    }

    /// The basis of an id as written in files.
    pub fn from_id(id: &str) -> Option<Basis> {
        [Basis::Published, Basis::Derived, Basis::Assumption]
            .into_iter()
            .find(|b| b.id() == id)
    }
}

/// The evidence for a figure: its basis, its sources and a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Published, derived or assumption.
    pub basis: Basis,
    /// Ids in `sources.json`.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The derivation or reasoning (required unless published), in English.
    #[serde(default)]
    pub note: Option<String>,
    /// The same note in Danish, for Danish reports and sheets. It must carry
    /// the same numbers as `note` (the loader checks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_da: Option<String>,
    /// Confidence grade 1 (official statistics for this exact service and
    /// year) to 5 (our own assumption); the scale is in `evidence.json`.
    /// Required on prices and consequence lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
}

impl Evidence {
    /// The note in a language: the Danish note when Danish is asked for and
    /// there is one, the English note otherwise.
    ///
    /// ```
    /// use som::knowledge_base::{Basis, Evidence};
    /// let e = Evidence {
    ///     basis: Basis::Assumption,
    ///     sources: vec![],
    ///     note: Some("129 days a year".into()),
    ///     note_da: Some("129 døgn om året".into()),
    ///     grade: Some(5),
    /// };
    /// assert_eq!(e.note_in(true), Some("129 døgn om året"));
    /// assert_eq!(e.note_in(false), Some("129 days a year"));
    /// ```
    pub fn note_in(&self, danish: bool) -> Option<&str> {
        match (danish, &self.note_da) {
            (true, Some(da)) => Some(da),
            _ => self.note.as_deref(),
        }
    }
}

/// The numbers in a text, as written: each maximal run of digits with the
/// separators between them ("1.506,85", "2023", "0,366"), sorted. A note and
/// its translation must give the same list.
pub(crate) fn numbers_in(text: &str) -> Vec<&str> {
    let mut numbers: Vec<&str> = numbers(text).collect();
    numbers.sort_unstable();
    numbers
}

/// The numbers of [`numbers_in`] in the order they stand in the text.
pub(crate) fn numbers(text: &str) -> impl Iterator<Item = &str> {
    // Digits and separators are ASCII: read by byte, each number a slice
    // of the text (a byte of a longer character is neither).
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let c = bytes[i];
            let joins = (c == b'.' || c == b',')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && i > start;
            if c.is_ascii_digit() || joins {
                i += 1;
            } else {
                break;
            }
        }
        Some(&text[start..i])
    })
}

/// A source (`sources.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id.
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

/// An area of public services (`areas.json`), for gains by area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Label,
}

/// Target group (målgruppe): the citizens an intervention is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Label,
    /// Age range.
    pub age: AgeRange,
    /// Who belongs to the group.
    pub description: Label,
    /// The committee that runs interventions for the group: the committee of
    /// an intervention's costs and grants unless they name another. Required
    /// when the knowledge base has committees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// The outcomes that count as success for the group.
    pub success_measures: Vec<SuccessMeasure>,
}

impl TargetGroup {
    /// A success measure of this group by id.
    pub fn success_measure(&self, id: &str) -> Option<&SuccessMeasure> {
        self.success_measures.iter().find(|m| m.id == id)
    }
}

/// An age range in years; `max` absent for no upper limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    /// Lowest age.
    pub min: u32,
    /// Highest age, if any.
    #[serde(default)]
    pub max: Option<u32>,
}

/// Success measure (succesmål): the outcome that counts as success.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessMeasure {
    /// Stable id, unique within its target group.
    pub id: String,
    /// Name.
    pub name: Label,
    /// What exactly counts.
    pub description: Label,
}

/// A public service with its unit price (enhedspris).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Label,
    /// The unit its quantities count (day, month, ...).
    pub unit: Label,
    /// The area id.
    pub area: String,
    /// The id of the kommune's committee the service belongs to. Required
    /// when the knowledge base has committees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// Why the service belongs to its committee, where that is not obvious.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_note: Option<String>,
    /// The same reason in Danish, with the same numbers (the loader checks
    /// it; the embedded knowledge base gives it for every reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_note_da: Option<String>,
    /// The unit price by payer.
    pub price: UnitPrice,
}

/// What one unit of a service costs each payer, after refunds, in a price
/// year. A revenue (income tax) is a negative price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitPrice {
    /// The price year.
    pub price_year: i32,
    /// The municipality's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub kommune: Decimal,
    /// The region's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub region: Decimal,
    /// The state's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub stat: Decimal,
    /// The split between payers under refund rules that changed over time
    /// (e.g. the state's refund of section 110 shelter stays), one entry per
    /// period, oldest first; the same total in each. The parts above are the
    /// split in force now, the last period's. Empty when the split has not
    /// changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated_splits: Vec<DatedSplit>,
    /// The evidence.
    pub evidence: Evidence,
}

impl UnitPrice {
    /// The three payers' parts.
    pub fn amounts(&self) -> PayerAmounts {
        PayerAmounts {
            kommune: self.kommune,
            region: self.region,
            stat: self.stat,
        }
    }

    /// The dated split in force on 1 July of `year` (the rule that governs
    /// most of that year), if the price has dated splits.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let shelter = &kb.service("shelter-day").unwrap().price;
    /// let split = shelter.split_in(2022).unwrap();
    /// assert_eq!(split.kommune, split.stat); // 50 % refund of every day before 1 October 2023
    /// ```
    pub fn split_in(&self, year: i32) -> Option<&DatedSplit> {
        let mid_year = (year, 7, 1);
        self.dated_splits.iter().find(|s| {
            let after_start = s
                .from
                .as_deref()
                .and_then(parse_date)
                .is_none_or(|from| from <= mid_year);
            let before_end =
                s.to.as_deref()
                    .and_then(parse_date)
                    .is_none_or(|to| mid_year <= to);
            after_start && before_end
        })
    }
}

/// A payer split in force over a period of dates (both ends included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedSplit {
    /// The first day, `YYYY-MM-DD`; absent on the first period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`; absent on the last period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The municipality's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub kommune: Decimal,
    /// The region's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub region: Decimal,
    /// The state's part.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub stat: Decimal,
    /// The refund rule behind this period's split, where the split depends
    /// on each citizen's use (the parts above are then the split for the
    /// average user the note names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<RefundRule>,
}

/// A refund rule that makes the split of a service priced per day depend on
/// each citizen's days: the state refunds `stat_share` of the public cost of
/// the first `first_days` days a citizen uses in a running year, and the
/// kommune pays the rest (section 110 shelter stays: 50 % of the first 120
/// days from 1 October 2023, of the first 90 from 1 April 2026). For a
/// citizen with `d` days a year the state's part of the public cost is
/// `stat_share · min(d, first_days) / d` (DESIGN.md §1.4).
///
/// ```
/// use rust_decimal::Decimal;
/// let kb = som::KnowledgeBase::embedded();
/// let rule = kb.service("shelter-day").unwrap().price.split_in(2025).unwrap().refund.clone().unwrap();
/// assert_eq!(rule.refunded_days(Decimal::from(129)).unwrap(), Decimal::from(60)); // 50 % of the first 120
/// assert_eq!(rule.refunded_days(Decimal::from(100)).unwrap(), Decimal::from(50));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundRule {
    /// The share of a refunded day's public cost the state pays.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub stat_share: Decimal,
    /// The days per citizen in a running year the refund covers; absent:
    /// every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_days: Option<u32>,
}

impl RefundRule {
    /// The state's days for a citizen with `days` days a year:
    /// `stat_share · min(days, first_days)`, in whole-day equivalents.
    pub fn refunded_days(&self, days: Decimal) -> Result<Decimal, CalcError> {
        let covered = match self.first_days {
            Some(limit) => days.min(Decimal::from(limit)),
            None => days,
        };
        covered
            .max(Decimal::ZERO)
            .times(self.stat_share, "days the state refunds")
    }
}

impl DatedSplit {
    /// The three payers' parts.
    pub fn amounts(&self) -> PayerAmounts {
        PayerAmounts {
            kommune: self.kommune,
            region: self.region,
            stat: self.stat,
        }
    }
}

/// A `YYYY-MM-DD` date as (year, month, day), if it is a real date.
///
/// Read byte by byte (every resolved line with dated payer splits reads its
/// dates): four, two and two bytes between two hyphens, each an optional `+`
/// and digits, as the standard library reads a whole number.
pub(crate) fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let whole = |part: &[u8]| -> Option<u32> {
        let digits = part.strip_prefix(b"+").unwrap_or(part);
        (!digits.is_empty() && digits.iter().all(u8::is_ascii_digit))
            .then(|| digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    let (y, m, d) = (whole(&b[..4])?, whole(&b[5..7])?, whole(&b[8..])?);
    let y = y as i32; // at most 9999
    (d >= 1 && d <= days_in_month(y, m)?).then_some((y, m, d))
}

/// The day after a date.
pub(crate) fn next_day((y, m, d): (i32, u32, u32)) -> Option<(i32, u32, u32)> {
    Some(if d < days_in_month(y, m)? {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    })
}

fn days_in_month(y: i32, m: u32) -> Option<u32> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    Some(match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// The consequences (konsekvenser) of success for a target group and success measure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsequenceSet {
    /// Target group id.
    pub target_group: String,
    /// Success measure id.
    pub success_measure: String,
    /// Whether the profiles already carry relapse, and the default decay
    /// when they do not.
    pub relapse: Relapse,
    /// One line per service.
    pub lines: Vec<ConsequenceLine>,
}

/// Relapse (tilbagefald) in a consequence set (DESIGN.md §1.3): either the
/// profiles already carry it (they follow observed use over the years since
/// success, relapses included), so a scenario without `persistence` applies
/// no further decay; or they describe a lasting success, and `annual_decay`
/// is the share of successes the group loses each year, the default for a
/// scenario that gives no decay of its own.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// for set in kb.consequences() {
///     assert_eq!(set.relapse.in_profile, set.relapse.annual_decay.is_none());
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relapse {
    /// Whether the profiles already carry relapse.
    pub in_profile: bool,
    /// The default share of successes lost each year, in [0, 1]; present
    /// exactly when the profiles do not carry relapse.
    #[serde(
        default,
        deserialize_with = "crate::number::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub annual_decay: Option<Decimal>,
    /// Where the statement, or the decay, comes from (graded).
    pub evidence: Evidence,
}

/// How one success changes one person's use of one service, year by year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsequenceLine {
    /// Service id.
    pub service: String,
    /// Whom the line applies to.
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// Change in quantity in the k-th year after the success, k = 0, 1, ...
    #[serde(deserialize_with = "crate::number::decimals")]
    pub profile: Vec<Decimal>,
    /// The evidence.
    pub evidence: Evidence,
}

/// An effect size as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectSize {
    /// Its kind.
    pub kind: EffectSizeKind,
    /// Its value.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub value: Decimal,
}

/// An effect study (effekt): how much an intervention raises the share who succeed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectStudy {
    /// Stable id, usable in a scenario as `{"study": "<id>"}`.
    pub id: String,
    /// Name.
    pub name: Label,
    /// Target group id the effect is used for.
    pub target_group: String,
    /// Success measure id the effect is used for.
    pub success_measure: String,
    /// The study's population, as described by the source.
    pub population: String,
    /// The study's outcome, as measured.
    pub outcome: String,
    /// The population in Danish; the loader refuses one whose numbers differ
    /// from the English text's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_da: Option<String>,
    /// The outcome in Danish, with the English text's numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_da: Option<String>,
    /// The study design.
    pub design: StudyDesign,
    /// Where the study was done, as an ISO 3166 alpha-2 code (`DK`, `NO`,
    /// `CA` ...): a Danish study is shown first, beside the foreign ones.
    pub country: String,
    /// Number of participants.
    #[serde(default)]
    pub sample_size: Option<u32>,
    /// Months from start to measurement.
    #[serde(default)]
    pub follow_up_months: Option<u32>,
    /// p1, when the study gives the intervention group's rate.
    #[serde(default, deserialize_with = "crate::number::opt_decimal")]
    pub success_rate: Option<Decimal>,
    /// p0, the control group's rate.
    #[serde(default, deserialize_with = "crate::number::opt_decimal")]
    pub baseline_rate: Option<Decimal>,
    /// An effect size, when the study gives one instead of p1.
    #[serde(default)]
    pub effect_size: Option<EffectSize>,
    /// The evidence.
    pub evidence: Evidence,
}

impl EffectStudy {
    /// The population in Danish when asked and translated, else in English.
    pub fn population_in(&self, danish: bool) -> &str {
        match (danish, &self.population_da) {
            (true, Some(da)) => da,
            _ => &self.population,
        }
    }

    /// The outcome in Danish when asked and translated, else in English.
    pub fn outcome_in(&self, danish: bool) -> &str {
        match (danish, &self.outcome_da) {
            (true, Some(da)) => da,
            _ => &self.outcome,
        }
    }
}

/// The price index (PL-index) as published annual changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceIndex {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Label,
    /// The year the changes start from (index = 1).
    pub base_year: i32,
    /// The change from the previous year, one entry per year after `base_year`.
    pub changes: Vec<IndexChange>,
    /// The evidence.
    pub evidence: Evidence,
}

/// The change of the price index from the previous year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexChange {
    /// The year.
    pub year: i32,
    /// The change, e.g. 0.028 for 2.8 %.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub rate: Decimal,
}

impl EffectStudy {
    /// Whether the study was done in Denmark.
    pub fn is_danish(&self) -> bool {
        self.country == "DK"
    }
}

impl PriceIndex {
    /// The years the index covers.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        let last = self.changes.last().map_or(self.base_year, |c| c.year);
        self.base_year..=last
    }

    /// index(to) / index(from) as an exact fraction: the product of (1 + change)
    /// over the years between them. None if a year is outside the index.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let f = kb.price_index().factor(2023, 2025).unwrap();
    /// // 2024: +4.0 %, 2025: +2.8 %: 1.04 * 1.028 = 1.06912
    /// assert_eq!(f.value().unwrap(), "1.06912".parse().unwrap());
    /// ```
    pub fn factor(&self, from: i32, to: i32) -> Option<IndexFactor> {
        if !self.years().contains(&from) || !self.years().contains(&to) {
            return None;
        }
        let (low, high) = if from <= to { (from, to) } else { (to, from) };
        let mut product = rust_decimal::Decimal::ONE;
        for change in self
            .changes
            .iter()
            .filter(|c| c.year > low && c.year <= high)
        {
            product = product.checked_mul(rust_decimal::Decimal::ONE.checked_add(change.rate)?)?;
        }
        Some(if from <= to {
            IndexFactor {
                numerator: product,
                denominator: rust_decimal::Decimal::ONE,
            }
        } else {
            IndexFactor {
                numerator: rust_decimal::Decimal::ONE,
                denominator: product,
            }
        })
    }
}

/// A named discount schedule (`discounting.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscountSchedule {
    /// Stable id, usable as a scenario's `discounting`.
    pub id: String,
    /// Name.
    pub name: Label,
    /// Rates by year index.
    pub steps: Vec<ScheduleStep>,
    /// The evidence for the schedule; a step may carry its own.
    pub evidence: Evidence,
}

impl DiscountSchedule {
    /// The steps as the engine uses them.
    pub fn engine_steps(&self) -> Vec<DiscountStep> {
        self.steps
            .iter()
            .map(|s| DiscountStep {
                from_year: s.from_year,
                to_year: s.to_year,
                rate: s.rate,
            })
            .collect()
    }
}

/// One step of a schedule: `rate` for years `from_year ..= to_year` (every
/// later year when `to_year` is absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleStep {
    /// The first year index.
    pub from_year: usize,
    /// The last year index, absent on the last step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_year: Option<usize>,
    /// The annual real rate.
    #[serde(deserialize_with = "crate::number::decimal")]
    pub rate: Decimal,
    /// Evidence for this step when it differs from the schedule's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// `evidence.json`: how sure we are of a figure, and what that means for a
/// business case (issue: evidence grading). Grades apply to prices and
/// consequence lines; design factors to effects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceScale {
    /// The confidence grades 1 to 5.
    pub grades: Vec<GradeDefinition>,
    /// The adjustment for each study design.
    pub designs: Vec<DesignFactor>,
}

impl EvidenceScale {
    /// The definition of a grade.
    pub fn grade(&self, grade: u8) -> Option<&GradeDefinition> {
        self.grades.iter().find(|g| g.grade == grade)
    }
    /// The factor for a study design.
    pub fn design(&self, design: StudyDesign) -> Option<&DesignFactor> {
        self.designs.iter().find(|d| d.design == design)
    }
}

/// One confidence grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeDefinition {
    /// 1 (best) to 5 (weakest).
    pub grade: u8,
    /// Name.
    pub name: Label,
    /// What a figure must be to have this grade.
    pub description: Label,
    /// The share by which gains resting on a figure of this grade are
    /// reduced under the default adjustment (optimism bias), in [0, 1).
    #[serde(deserialize_with = "crate::number::decimal")]
    pub optimism_bias: Decimal,
    /// The relative uncertainty (±) of a figure of this grade, for default
    /// ranges in sensitivity and simulation, in [0, 1].
    #[serde(deserialize_with = "crate::number::decimal")]
    pub uncertainty: Decimal,
    /// The evidence for the bias and uncertainty chosen.
    pub evidence: Evidence,
}

/// The adjustment of an effect by the design of the study behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignFactor {
    /// The design.
    pub design: StudyDesign,
    /// The factor on the net success rate, in [0, 1].
    #[serde(deserialize_with = "crate::number::decimal")]
    pub factor: Decimal,
    /// The evidence for the factor.
    pub evidence: Evidence,
}

/// What the knowledge base holds for one target group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage<'a> {
    /// The target group id.
    pub target_group: &'a str,
    /// Its success measures.
    pub success_measures: usize,
    /// Success measures with consequence lines.
    pub consequence_sets: usize,
    /// Effect studies for the group.
    pub effect_studies: usize,
    /// Consequence lines over all its success measures.
    pub lines: usize,
    /// The areas its consequence lines fall in, in order of first use.
    pub areas: Vec<&'a str>,
}

#[cfg(test)]
mod note_tests {
    use super::numbers_in;

    #[test]
    fn numbers_keep_their_separators_and_are_sorted() {
        assert_eq!(
            numbers_in("1.506,85 kr. a day in 2023; net 0,50 - 0,366 = 13,4 points."),
            vec!["0,366", "0,50", "1.506,85", "13,4", "2023"]
        );
        assert_eq!(numbers_in("Stat 63.093 kr. pr. dom."), vec!["63.093"]);
        assert!(numbers_in("no figures here").is_empty());
        // Letters beyond ASCII beside the numbers: "1.000 kr. på 3,5 år".
        assert_eq!(
            numbers_in("på 1.000,5ø kr.æ 3,5år 7.é"),
            vec!["1.000,5", "3,5", "7"]
        );
    }

    #[test]
    fn dates_are_real_days_and_the_day_after_crosses_months_and_years() {
        use super::{next_day, parse_date};
        assert_eq!(parse_date("2023-10-01"), Some((2023, 10, 1)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        // As the standard library reads each part: a `+` is a sign, a `-`
        // or anything else is no date.
        for text in [
            "+999-+1-01",
            "2023-1-001",
            "2023-01-1",
            "-202-01-01",
            "2023-01-0-",
            "2023-00-01",
            "2023-01-00",
            "2023-01-32",
            "0000-02-29",
            "1900-02-29",
            "2000-02-29",
            "2023-04-31",
            "2023-04-30",
            "2023/04/30",
            "2023-04-30 ",
            "20230-4-30",
            "2023-++-01",
            "+-23-01-01",
            "2ä23-01-01",
            "",
            "9999-12-31",
        ] {
            let mut parts = text.split('-');
            let reference = (|| {
                let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
                    return None;
                }
                let (y, m, d): (i32, u32, u32) =
                    (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
                (d >= 1 && d <= super::days_in_month(y, m)?).then_some((y, m, d))
            })();
            assert_eq!(parse_date(text), reference, "{text}");
        }
        assert_eq!(parse_date("2023-9-30"), None);
        assert_eq!(next_day((2026, 3, 31)), Some((2026, 4, 1)));
        assert_eq!(next_day((2023, 9, 30)), Some((2023, 10, 1)));
        assert_eq!(next_day((2023, 12, 31)), Some((2024, 1, 1)));
    }
}
