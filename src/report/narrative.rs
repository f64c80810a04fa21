//! The words around the figures, shared by the HTML and Markdown reports:
//! the question a business case answers, the answer in one sentence, and the
//! sources behind the figures it used.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::{Lang, discount_schedule};
use crate::engine::prices;
use crate::knowledge_base::{Basis, Evidence, Source};
use crate::model::PersistenceFrom;
use crate::{BusinessCase, KnowledgeBase};

/// The question the business case answers.
pub(crate) fn question(case: &BusinessCase, lang: Lang, kb: &KnowledgeBase) -> String {
    let last = case.start_year + case.horizon_years as i32 - 1;
    match lang {
        Lang::En => format!(
            "What does “{}” cost, and what does it save kommune, region and stat, for the target group {} \
             with the success measure “{}”, from {} to {}, in {} prices?",
            case.scenario,
            lang.target_group(case, Some(kb)).to_lowercase(),
            lang.success_measure(case, Some(kb)).to_lowercase(),
            case.start_year,
            last,
            case.price_year
        ),
        Lang::Da => format!(
            "Hvad koster “{}”, og hvad sparer indsatsen kommune, region og stat, for målgruppen {} \
             med succesmålet “{}”, fra {} til {}, i {}-priser?",
            case.scenario,
            lang.target_group(case, Some(kb)).to_lowercase(),
            lang.success_measure(case, Some(kb)).to_lowercase(),
            case.start_year,
            last,
            case.price_year
        ),
    }
}

/// The result in one sentence.
pub(crate) fn sentence(case: &BusinessCase, lang: Lang) -> String {
    let s = &case.summary;
    let npv = s.npv.total;
    let amount = lang.money(npv.abs());
    let h = case.horizon_years;
    let (start, end) = (case.start_year, case.start_year + h as i32 - 1);
    // A ratio below zero (the consequences add costs) reads wrongly as "gains per krone".
    let ratio = s
        .benefit_cost_ratio
        .filter(|r| *r > Decimal::ZERO)
        .map(|r| lang.fixed(Some(r), 2));
    match lang {
        Lang::En => {
            let period = if h == 1 {
                format!("In {start}")
            } else {
                format!("Over the {h} years {start}–{end}")
            };
            let mut text = match npv.cmp(&Decimal::ZERO) {
                Ordering::Greater => format!(
                    "{period}, the intervention leaves the public sector {amount} better off \
                     in present value"
                ),
                Ordering::Equal => format!(
                    "{period}, the intervention neither costs nor saves the public sector \
                     anything in present value"
                ),
                Ordering::Less => format!(
                    "{period}, the intervention costs the public sector {amount} more than it \
                     saves, in present value"
                ),
            };
            if let Some(r) = ratio {
                text.push_str(&format!(
                    ", with {r} kroner in gains for every krone it costs"
                ));
            }
            text.push_str(&match s.break_even_year {
                Some(y) => format!("; it breaks even in {y}."),
                None => "; it does not break even within the horizon.".to_owned(),
            });
            text
        }
        Lang::Da => {
            let period = if h == 1 {
                format!("I {start}")
            } else {
                format!("Over de {h} år {start}–{end}")
            };
            let mut text = match npv.cmp(&Decimal::ZERO) {
                Ordering::Greater => format!(
                    "{period} forbedrer indsatsen den offentlige sektors økonomi med {amount} \
                     i nutidsværdi"
                ),
                Ordering::Equal => format!(
                    "{period} hverken koster eller sparer indsatsen den offentlige sektor noget \
                     i nutidsværdi"
                ),
                Ordering::Less => format!(
                    "{period} koster indsatsen den offentlige sektor {amount} mere, end den \
                     sparer, i nutidsværdi"
                ),
            };
            if let Some(r) = ratio {
                text.push_str(&format!(
                    ", med {r} kr. i gevinst for hver krone, den koster"
                ));
            }
            text.push_str(&match s.break_even_year {
                Some(y) => format!("; break-even nås i {y}."),
                None => "; break-even nås ikke inden for tidshorisonten.".to_owned(),
            });
            text
        }
    }
}

/// How the kommune fares with a net present value `k`: "is 5 DKK better
/// off", "er 5 kr. dårligere stillet".
fn kommune_fares(k: Decimal, lang: Lang) -> String {
    match (lang, k.cmp(&Decimal::ZERO)) {
        (Lang::En, Ordering::Greater) => format!("is {} better off", lang.money(k)),
        (Lang::En, Ordering::Equal) => "neither gains nor loses".to_owned(),
        (Lang::En, Ordering::Less) => format!("is {} worse off", lang.money(k.abs())),
        (Lang::Da, Ordering::Greater) => format!("er {} bedre stillet", lang.money(k)),
        (Lang::Da, Ordering::Equal) => "hverken vinder eller taber".to_owned(),
        (Lang::Da, Ordering::Less) => format!("er {} dårligere stillet", lang.money(k.abs())),
    }
}

/// Who gets the result: the kommune's own net present value beside the
/// public total, with region and stat, in one sentence. A case with
/// financing (DESIGN.md §1.10) says so and adds a second sentence: the
/// grants' present value to the kommune and the kommune's and the public
/// sector's result with them.
pub(crate) fn by_payer(case: &BusinessCase, lang: Lang) -> String {
    let npv = &case.summary.npv;
    let kommune = kommune_fares(npv.kommune, lang);
    let (total, region, stat) = (
        lang.money(npv.total),
        lang.money(npv.region),
        lang.money(npv.stat),
    );
    let Some(f) = &case.financing else {
        return match lang {
            Lang::En => format!(
                "The kommune alone {kommune}; the public sector in total {total} (region {region}, stat {stat})."
            ),
            Lang::Da => format!(
                "Kommunen alene {kommune}; den offentlige sektor i alt {total} (region {region}, stat {stat})."
            ),
        };
    };
    let grants = lang.money(f.pv.kommune);
    let with = &f.npv_with_financing;
    let financed = kommune_fares(with.kommune, lang);
    let (total_with, region_with, stat_with) = (
        lang.money(with.total),
        lang.money(with.region),
        lang.money(with.stat),
    );
    match lang {
        Lang::En => format!(
            "Without its financing, the kommune alone {kommune}; the public sector in total {total} (region {region}, stat {stat}). \
             With the financing (grants worth {grants} to the kommune in present value), the kommune {financed}; \
             the public sector in total {total_with} (region {region_with}, stat {stat_with})."
        ),
        Lang::Da => format!(
            "Kommunen alene {kommune} uden sin finansiering; den offentlige sektor i alt {total} (region {region}, stat {stat}). \
             Kommunen {financed} med finansieringen (tilskud til kommunen med en nutidsværdi på {grants}); \
             den offentlige sektor i alt {total_with} (region {region_with}, stat {stat_with})."
        ),
    }
}

/// The share of the present value of gains from which the answer box warns
/// that the gains rest on weak evidence: half.
pub(crate) const WEAK_EVIDENCE_WARNING: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// One sentence saying how much of the gain rests on weak evidence (figures
/// of grade 4-5: secondary sources or assumptions), when that is at least
/// [`WEAK_EVIDENCE_WARNING`] of it; none otherwise.
pub(crate) fn weak_evidence(case: &BusinessCase, lang: Lang) -> Option<String> {
    let share = case
        .share_of_gains_on_weak_evidence()
        .filter(|s| *s >= WEAK_EVIDENCE_WARNING)?;
    Some(match lang {
        Lang::En => format!(
            "Caution: {} of the gains rest on weak evidence (figures of grade 4 or 5: \
             secondary sources or assumptions); see Evidence and the sensitivity analysis.",
            lang.percent(share)
        ),
        Lang::Da => format!(
            "Bemærk: {} af gevinsterne hviler på svag evidens (tal af grad 4 eller 5: \
             sekundære kilder eller antagelser); se Evidens og følsomhedsanalysen.",
            lang.percent(share)
        ),
    })
}

/// A source and what the report cites it for.
pub(crate) struct Citation<'a> {
    /// The source.
    pub source: &'a Source,
    /// What the report cites it for, e.g. "Unit price: Shelter stay".
    pub used_for: Vec<String>,
}

impl Citation<'_> {
    /// "." after the title unless it ends in punctuation.
    pub fn stop(&self) -> &'static str {
        if self.source.title.ends_with(['.', '?', '!']) {
            ""
        } else {
            "."
        }
    }
}

/// What a report says about where its figures come from.
pub(crate) struct Sources<'a> {
    /// The sources cited, in order of first use.
    pub citations: Vec<Citation<'a>>,
    /// A sentence when the effect's rates come from the scenario, not a study.
    pub rates_note: Option<&'static str>,
    /// Derived figures and assumptions with their reasoning, and figures the
    /// scenario itself gives.
    pub notes: Vec<String>,
}

/// The knowledge-base evidence behind the figures the case used: the effect
/// study, each line's consequence profile and unit price when they are the
/// knowledge base's (not a scenario's override), the price index and the
/// discount schedule.
fn evidence<'a>(
    case: &BusinessCase,
    lang: Lang,
    kb: &'a KnowledgeBase,
) -> (Vec<(String, &'a Evidence)>, Vec<String>) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let mut used = Vec::new();
    let mut own = Vec::new();
    if let Some(study) = case
        .context
        .effect
        .study
        .as_deref()
        .and_then(|id| kb.effect(id))
    {
        used.push((
            format!("{}: {}", l("Effect", "Effekt"), lang.label(&study.name)),
            &study.evidence,
        ));
    }
    let set = kb.consequences_for(&case.context.target_group, &case.context.success_measure);
    for line in &case.lines {
        let name = lang.service(line, Some(kb));
        let kb_line = set.and_then(|s| s.lines.iter().find(|k| *k.service == *line.service));
        match kb_line {
            Some(k) if k.profile == line.profile && k.applies_to == line.applies_to => used.push((
                format!("{}: {name}", l("Consequences", "Konsekvenser")),
                &k.evidence,
            )),
            _ => own.push(format!(
                "{}: {name}",
                l(
                    "Consequences given in the scenario",
                    "Konsekvenser angivet i scenariet"
                )
            )),
        }
        let kb_price = kb.service(&line.service).and_then(|service| {
            let factor = kb
                .price_index()
                .factor(service.price.price_year, case.price_year)?;
            let converted = prices::converted(&service.price.amounts(), &factor).ok()?;
            let dated = service.price.dated_splits.iter().any(|split| {
                prices::converted(&split.amounts(), &factor)
                    .is_ok_and(|c| c == line.unit_price.payers())
            });
            (service.price.price_year == line.source_price_year
                && (converted == line.unit_price.payers() || dated))
                .then_some(&service.price.evidence)
        });
        let price_label = match case.context.local_service(&line.service) {
            Some(_) => l(
                "Unit price (local service, defined in the scenario)",
                "Enhedspris (lokal ydelse, defineret i scenariet)",
            ),
            None => l("Unit price", "Enhedspris"),
        };
        match kb_price {
            Some(e) => used.push((format!("{price_label}: {name}"), e)),
            None => own.push(format!(
                "{}: {name}",
                l(
                    "Unit price given in the scenario",
                    "Enhedspris angivet i scenariet"
                )
            )),
        }
    }
    if let (Some(set), PersistenceFrom::Profile | PersistenceFrom::KnowledgeBase) =
        (set, case.context.persistence.from)
    {
        used.push((
            format!(
                "{}: {}",
                l("Persistence", "Effektens varighed"),
                lang.persistence(case)
            ),
            &set.relapse.evidence,
        ));
    }
    if !case.lines.is_empty() {
        used.push((
            format!(
                "{}: {}",
                l("Price index", "Prisindeks"),
                lang.label(&kb.price_index().name)
            ),
            &kb.price_index().evidence,
        ));
    }
    if let Some(schedule) = discount_schedule(case, kb) {
        used.push((
            format!(
                "{}: {}",
                l("Discounting", "Diskontering"),
                lang.label(&schedule.name)
            ),
            &schedule.evidence,
        ));
        for step in &schedule.steps {
            if let Some(e) = &step.evidence {
                used.push((
                    format!(
                        "{}: {}",
                        l("Discounting", "Diskontering"),
                        lang.label(&schedule.name)
                    ),
                    e,
                ));
            }
        }
    }
    (used, own)
}

/// The sources and notes behind the figures a case used.
pub(crate) fn sources<'a>(case: &BusinessCase, lang: Lang, kb: &'a KnowledgeBase) -> Sources<'a> {
    let (used, own) = evidence(case, lang, kb);
    let mut citations: Vec<Citation> = Vec::new();
    for (what, evidence) in &used {
        for id in &evidence.sources {
            let Some(source) = kb.source(id) else {
                continue;
            };
            match citations.iter_mut().find(|c| c.source.id == *id) {
                Some(c) => {
                    if !c.used_for.contains(what) {
                        c.used_for.push(what.clone());
                    }
                }
                None => citations.push(Citation {
                    source,
                    used_for: vec![what.clone()],
                }),
            }
        }
    }
    let rates_note = case.context.effect.study.is_none().then(|| {
        lang.pick(
            "The success and baseline rates are given in the scenario, not taken from a study in the knowledge base.",
            "Succes- og basisraterne er angivet i scenariet, ikke hentet fra et studie i vidensgrundlaget.",
        )
    });
    let mut notes: Vec<String> = Vec::new();
    for (what, e) in &used {
        if let (Some(note), false) = (e.note_in(lang == Lang::Da), e.basis == Basis::Published) {
            let text = format!("{what}: {note}");
            if !notes.contains(&text) {
                notes.push(text);
            }
        }
    }
    notes.extend(own);
    Sources {
        citations,
        rates_note,
        notes,
    }
}

/// The question a package answers.
pub(crate) fn package_question(
    package: &crate::package::PackageCase,
    lang: Lang,
    kb: &KnowledgeBase,
) -> String {
    let total = &package.total;
    let last = total.start_year + total.horizon_years as i32 - 1;
    let arms: Vec<String> = package
        .arms
        .iter()
        .map(|arm| {
            let n = lang.fixed(Some(arm.summary.participants), 0);
            let group = lang.target_group(arm, Some(kb)).to_lowercase();
            match lang {
                Lang::En => format!("“{}” for {n} {group}", arm.scenario),
                Lang::Da => format!("“{}” for {n} i målgruppen {group}", arm.scenario),
            }
        })
        .collect();
    let (and, list) = (lang.pick(" and ", " og "), arms.len());
    let arms = match list {
        0 | 1 => arms.concat(),
        _ => format!("{}{and}{}", arms[..list - 1].join(", "), arms[list - 1]),
    };
    match lang {
        Lang::En => format!(
            "What does the package “{}” ({arms}) cost, and what does it save kommune, region and stat, \
             each intervention and in total, from {} to {}, in {} prices?",
            package.name, total.start_year, last, total.price_year
        ),
        Lang::Da => format!(
            "Hvad koster pakken “{}” ({arms}), og hvad sparer den kommune, region og stat, \
             for hver indsats og i alt, fra {} til {}, i {}-priser?",
            package.name, total.start_year, last, total.price_year
        ),
    }
}

/// The sources behind every arm of a package: each source once, with what
/// it is used for in each arm ("CTI — Effect: ...").
pub(crate) fn package_sources<'a>(
    package: &crate::package::PackageCase,
    lang: Lang,
    kb: &'a KnowledgeBase,
) -> Sources<'a> {
    let mut merged = Sources {
        citations: Vec::new(),
        rates_note: None,
        notes: Vec::new(),
    };
    for arm in &package.arms {
        let one = sources(arm, lang, kb);
        for c in one.citations {
            let used_for = c.used_for.iter().map(|u| format!("{} — {u}", arm.scenario));
            match merged
                .citations
                .iter_mut()
                .find(|m| m.source.id == c.source.id)
            {
                Some(m) => m.used_for.extend(used_for),
                None => merged.citations.push(Citation {
                    source: c.source,
                    used_for: used_for.collect(),
                }),
            }
        }
        if one.rates_note.is_some() {
            merged.rates_note = Some(lang.pick(
                "Where an intervention's success and baseline rates are given in the scenario, they are not taken from a study in the knowledge base.",
                "Hvor en indsats' succes- og basisrater er angivet i scenariet, er de ikke hentet fra et studie i vidensgrundlaget.",
            ));
        }
        for note in one.notes {
            if !merged.notes.contains(&note) {
                merged.notes.push(note);
            }
        }
    }
    merged
}

/// The result of a package in one sentence: [`sentence`] of its total, of
/// which the package, not one intervention, is the subject.
pub(crate) fn package_sentence(total: &BusinessCase, lang: Lang) -> String {
    let (one, package) = match lang {
        Lang::En => ("the intervention", "the package"),
        Lang::Da => ("indsatsen", "pakken"),
    };
    sentence(total, lang).replacen(one, package, 1)
}
