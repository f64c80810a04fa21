// Why this file is over 500 lines: it is one view, a knowledge-base record as
// an analyst reads it, in two languages; most of its length is the target
// group's sheet, section by section.

//! A knowledge-base record as an analyst reads it (`som kb show ID`).
//!
//! A target group's sheet gathers what is spread over several files: the
//! group and its success measures, every consequence line with the unit price
//! of its service for each payer, the effect studies, and at the end the full
//! reference of every source cited on the sheet. Every figure keeps its
//! evidence: grade, basis (published, derived, assumption) and note.
//!
//! ```
//! use som::report::{sheet, Lang};
//! let kb = som::KnowledgeBase::embedded();
//! let text = sheet::render(kb, "homeless-adults", Lang::En).unwrap();
//! assert!(text.contains("Consequences per success"));
//! assert!(text.contains("shelter-day"));
//! ```

use rust_decimal::Decimal;

use super::Lang;
use crate::KnowledgeBase;
use crate::knowledge_base::{
    Basis, DiscountSchedule, EffectStudy, Evidence, KbError, Service, Source, TargetGroup,
};
use crate::model::EffectSizeKind;
use crate::model::StudyDesign;

/// Width the notes are wrapped to.
const WIDTH: usize = 92;

/// Every record of the knowledge base by kind, each id with its name in
/// `lang` (what `som kb list` prints).
///
/// ```
/// use som::report::{sheet, Lang};
/// let text = sheet::list(som::KnowledgeBase::embedded(), Lang::Da);
/// assert!(text.contains("Målgrupper:"));
/// assert!(text.contains("homeless-adults"));
/// assert!(text.contains("Voksne i hjemløshed"));
/// ```
pub fn list(kb: &KnowledgeBase, lang: Lang) -> String {
    let mut out = format!(
        "{} {} (sha256 {})\n",
        lang.pick("Knowledge base version", "Vidensgrundlag version"),
        kb.version(),
        kb.hash()
    );
    let names = kb.names();
    let width = names
        .iter()
        .map(|(_, id, _, _)| id.chars().count())
        .max()
        .unwrap_or(0);
    // Services get a column before their name: the kommune's committee
    // they belong to (the names are long, the committees' short).
    let committee = |id: &str| {
        let committee = kb.service(id)?.committee.as_deref()?;
        Some(
            kb.committee(committee)
                .map_or(committee, |c| lang.label(&c.name)),
        )
    };
    let committee_width = names
        .iter()
        .filter(|(kind, ..)| *kind == "service")
        .filter_map(|(_, id, ..)| committee(id))
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut current = "";
    for (kind, id, en, da) in names {
        if kind != current {
            let heading = match kind {
                "target-group" => lang.pick("Target groups", "Målgrupper"),
                "service" if committee_width > 0 => lang.pick(
                    "Services, with the kommune's committee",
                    "Ydelser med kommunens udvalg",
                ),
                "service" => lang.pick("Services", "Ydelser"),
                "effect" => lang.pick("Effect studies", "Effektstudier"),
                "discounting" => lang.pick("Discount schedules", "Diskonteringsforløb"),
                "area" => lang.pick("Areas", "Områder"),
                "source" => lang.pick("Sources", "Kilder"),
                "price-index" => lang.pick("Price index", "Prisindeks"),
                other => other,
            };
            out.push_str(&format!("\n{heading}:\n"));
            current = kind;
        }
        let name = lang.pick(en, da);
        match committee(id).filter(|_| kind == "service") {
            Some(c) => out.push_str(&format!("  {id:<width$}  {c:<committee_width$}  {name}\n")),
            None => out.push_str(&format!("  {id:<width$}  {name}\n")),
        }
    }
    out
}

/// The sheet for any id: a target group, service, effect study, source,
/// area, discount schedule or the price index. An unknown id is the same
/// error [`crate::knowledge_base::show`] gives, with its "did you mean".
pub fn render(kb: &KnowledgeBase, id: &str, lang: Lang) -> Result<String, KbError> {
    let mut sheet = Sheet {
        kb,
        lang,
        out: String::new(),
        cited: Vec::new(),
    };
    if let Some(group) = kb.target_group(id) {
        sheet.target_group(group);
    } else if let Some(service) = kb.service(id) {
        sheet.heading(lang.label(&service.name), id);
        sheet.service(service, "");
        sheet.used_by(id);
    } else if let Some(study) = kb.effect(id) {
        sheet.heading(lang.label(&study.name), id);
        sheet.effect(study, "");
    } else if let Some(source) = kb.source(id) {
        sheet.heading(&source.title, id);
        sheet.cite(std::slice::from_ref(&source.id));
    } else if let Some(area) = kb.area(id) {
        sheet.heading(lang.label(&area.name), id);
        sheet.area(id);
    } else if let Some(schedule) = kb.discount_schedule(id) {
        sheet.heading(lang.label(&schedule.name), id);
        sheet.discount_schedule(schedule);
    } else if kb.price_index().id == id {
        sheet.heading(lang.label(&kb.price_index().name), id);
        sheet.price_index();
    } else {
        return Err(crate::knowledge_base::unknown_id(kb, id));
    }
    sheet.sources();
    Ok(sheet.out)
}

struct Sheet<'a> {
    kb: &'a KnowledgeBase,
    lang: Lang,
    out: String,
    /// Source ids cited so far, in order of first citation.
    cited: Vec<String>,
}

impl Sheet<'_> {
    fn t<'s>(&self, en: &'s str, da: &'s str) -> &'s str {
        self.lang.pick(en, da)
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A paragraph wrapped to [`WIDTH`], every line indented.
    fn wrapped(&mut self, indent: &str, text: &str) {
        let options = textwrap::Options::new(WIDTH)
            .initial_indent(indent)
            .subsequent_indent(indent)
            // URLs and ids stay whole: no breaks at hyphens or inside words.
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        for line in textwrap::wrap(text, options) {
            self.line(&line);
        }
    }

    fn heading(&mut self, title: &str, id: &str) {
        let title = format!("{title} ({id})");
        self.line(&title);
        self.line(&"=".repeat(title.chars().count()));
    }

    fn section(&mut self, title: &str) {
        self.line("");
        self.line(title);
        self.line(&"-".repeat(title.chars().count()));
    }

    fn cite(&mut self, ids: &[String]) {
        for id in ids {
            if !self.cited.contains(id) {
                self.cited.push(id.clone());
            }
        }
    }

    fn target_group(&mut self, group: &TargetGroup) {
        let lang = self.lang;
        self.heading(lang.label(&group.name), &group.id);
        let other = match lang {
            Lang::En => &group.name.da,
            Lang::Da => &group.name.en,
        };
        let ages = match group.age.max {
            Some(max) => format!("{}-{max}", group.age.min),
            None => format!("{}+", group.age.min),
        };
        let age_label = self.t("Age", "Alder");
        let other_label = self.t("Danish name", "Engelsk navn");
        self.line(&format!("{other_label}: {other}"));
        self.line(&format!("{age_label}: {ages}"));
        if let Some(id) = &group.committee {
            let committee = self.committee_name(id);
            let label = self.t(
                "Committee (runs its interventions)",
                "Udvalg (står for dens indsatser)",
            );
            self.line(&format!("{label}: {committee}"));
        }
        self.line("");
        self.wrapped("", lang.label(&group.description));

        self.section(self.t("Success measures", "Succesmål"));
        for measure in &group.success_measures {
            self.line(&format!("{} ({})", lang.label(&measure.name), measure.id));
            self.wrapped("  ", lang.label(&measure.description));
        }

        self.section(self.t(
            "Consequences per success: change in service use, year by year after the success",
            "Konsekvenser pr. succes: ændring i forbruget af ydelser, år for år efter succesen",
        ));
        let mut any = false;
        for measure in &group.success_measures {
            let Some(set) = self.kb.consequences_for(&group.id, &measure.id) else {
                continue;
            };
            if any {
                self.line("");
            }
            any = true;
            let heading = format!(
                "{} {} ({}):",
                self.t("Success measure", "Succesmål"),
                lang.label(&measure.name),
                measure.id
            );
            self.line(&heading);
            for line in &set.lines {
                let Some(service) = self.kb.service(&line.service) else {
                    continue;
                };
                self.line("");
                let unit = lang.label(&service.unit).to_owned();
                self.line(&format!(
                    "  {} ({}), {} {}",
                    lang.label(&service.name),
                    service.id,
                    self.t("per", "pr."),
                    lang.applies_to(line.applies_to)
                ));
                let profile = profile_text(&line.profile, &unit, lang);
                self.line(&format!("    {profile}"));
                self.evidence("    ", &line.evidence);
                self.service(service, "    ");
            }
            self.line("");
            let relapse = match (set.relapse.in_profile, set.relapse.annual_decay) {
                (false, Some(d)) => format!(
                    "{} {} {}",
                    self.t(
                        "  Relapse: the profiles describe a lasting success; default decay",
                        "  Tilbagefald: profilerne beskriver en varig succes; standardfrafald"
                    ),
                    lang.percent(d),
                    self.t(
                        "a year for a scenario without its own",
                        "om året for et scenarie uden sit eget"
                    )
                ),
                _ => self
                    .t(
                        "  Relapse: the profiles already carry it; no decay by default",
                        "  Tilbagefald: profilerne rummer det allerede; intet frafald som standard",
                    )
                    .to_owned(),
            };
            self.line(&relapse);
            self.evidence("    ", &set.relapse.evidence);
        }
        if !any {
            self.line(self.t(
                "None in the knowledge base (see knowledge-base/COVERAGE.md).",
                "Ingen i vidensgrundlaget (se knowledge-base/COVERAGE.md).",
            ));
        }

        self.section(self.t("Effect studies", "Effektstudier"));
        let studies: Vec<&EffectStudy> = self.kb.effects_for(&group.id);
        if studies.is_empty() {
            self.line(self.t(
                "None in the knowledge base (see knowledge-base/COVERAGE.md).",
                "Ingen i vidensgrundlaget (se knowledge-base/COVERAGE.md).",
            ));
        }
        for (i, study) in studies.into_iter().enumerate() {
            if i > 0 {
                self.line("");
            }
            self.line(&format!("{} ({})", lang.label(&study.name), study.id));
            self.effect(study, "  ");
        }
    }

    /// A service's unit price by payer, with its evidence.
    fn service(&mut self, service: &Service, indent: &str) {
        let lang = self.lang;
        let price = &service.price;
        let unit = lang.label(&service.unit).to_owned();
        let total = price.kommune + price.region + price.stat;
        self.line(&format!(
            "{indent}{} {} ({} {}): kommune {} + region {} + stat {} = {} {}",
            self.t("Price per", "Pris pr."),
            unit,
            self.t("price year", "prisår"),
            price.price_year,
            amount(lang, price.kommune),
            amount(lang, price.region),
            amount(lang, price.stat),
            amount(lang, total),
            lang.pick("DKK", "kr."),
        ));
        for split in &price.dated_splits {
            let period = match (&split.from, &split.to) {
                (Some(f), Some(t)) => format!("{f} - {t}"),
                (Some(f), None) => format!("{} {f}", self.t("from", "fra")),
                (None, Some(t)) => format!("{} {t}", self.t("until", "til og med")),
                (None, None) => String::new(),
            };
            self.line(&format!(
                "{indent}  {} {period}: kommune {} + region {} + stat {}",
                self.t("split", "fordeling"),
                amount(lang, split.kommune),
                amount(lang, split.region),
                amount(lang, split.stat),
            ));
        }
        let area = format!(
            "{indent}{}: {}",
            self.t("Area", "Område"),
            lang.area_name(&service.area, Some(self.kb))
        );
        self.line(&area);
        if let Some(id) = &service.committee {
            let committee = format!(
                "{indent}{}: {}",
                self.t("Committee", "Udvalg"),
                self.committee_name(id)
            );
            self.line(&committee);
            let note = match self.lang {
                Lang::En => service.committee_note.as_deref(),
                Lang::Da => service.committee_note_da.as_deref(),
            };
            if let Some(note) = note {
                let note = format!("{}: {note}", self.t("Why", "Hvorfor"));
                self.wrapped(&format!("{indent}  "), &note);
            }
        }
        self.evidence(indent, &price.evidence);
    }

    /// A committee's name in the sheet's language, by id.
    fn committee_name(&self, id: &str) -> String {
        self.kb
            .committee(id)
            .map_or_else(|| id.to_owned(), |c| self.lang.label(&c.name).to_owned())
    }

    fn effect(&mut self, study: &EffectStudy, indent: &str) {
        let lang = self.lang;
        let mut facts = vec![format!(
            "{} {}",
            self.t("design", "design"),
            design_name(study.design, lang)
        )];
        facts.push(format!("{} {}", self.t("country", "land"), study.country));
        if let Some(n) = study.sample_size {
            facts.push(format!("n = {n}"));
        }
        if let Some(months) = study.follow_up_months {
            facts.push(format!(
                "{} {months} {}",
                self.t("follow-up", "opfølgning"),
                self.t("months", "måneder")
            ));
        }
        self.line(&format!("{indent}{}", facts.join(", ")));
        self.line(&format!(
            "{indent}{}: {} / {}",
            self.t("Target group / success measure", "Målgruppe / succesmål"),
            study.target_group,
            study.success_measure
        ));
        let rates = match (study.success_rate, study.baseline_rate) {
            (Some(p1), Some(p0)) => Some(format!(
                "{} {} {} {} {}",
                self.t("success rate", "succesrate"),
                lang.percent(p1),
                self.t("against", "mod"),
                lang.percent(p0),
                self.t("without the intervention", "uden indsatsen")
            )),
            (Some(p1), None) => Some(format!(
                "{} {}",
                self.t("success rate", "succesrate"),
                lang.percent(p1)
            )),
            (None, Some(p0)) => Some(format!(
                "{} {}",
                self.t("rate without the intervention", "rate uden indsatsen"),
                lang.percent(p0)
            )),
            (None, None) => None,
        };
        if let Some(rates) = rates {
            self.line(&format!("{indent}{rates}"));
        }
        if let Some(size) = &study.effect_size {
            let value = match size.kind {
                EffectSizeKind::PercentagePoints => lang.percent(size.value),
                _ => decimal_text(lang, size.value),
            };
            self.line(&format!(
                "{indent}{}: {} {value}",
                self.t("effect size", "effektstørrelse"),
                lang.effect_kind(size.kind.id())
            ));
        }
        self.wrapped(
            indent,
            &format!(
                "{}: {}",
                self.t("Population", "Population"),
                study.population_in(self.lang == Lang::Da)
            ),
        );
        self.wrapped(
            indent,
            &format!(
                "{}: {}",
                self.t("Outcome", "Effektmål"),
                study.outcome_in(self.lang == Lang::Da)
            ),
        );
        self.evidence(indent, &study.evidence);
    }

    /// The consequence sets with a line on this service.
    fn used_by(&mut self, service: &str) {
        let sets: Vec<String> = self
            .kb
            .consequences()
            .iter()
            .filter(|c| c.lines.iter().any(|l| l.service == service))
            .map(|c| format!("{} / {}", c.target_group, c.success_measure))
            .collect();
        self.line("");
        if sets.is_empty() {
            self.line(self.t(
                "No consequence set uses it yet (see knowledge-base/COVERAGE.md).",
                "Ingen konsekvenssæt bruger den endnu (se knowledge-base/COVERAGE.md).",
            ));
        } else {
            self.line(self.t(
                "Used by the consequences of:",
                "Bruges i konsekvenserne for:",
            ));
            for set in sets {
                self.line(&format!("  {set}"));
            }
        }
    }

    fn area(&mut self, id: &str) {
        let services: Vec<String> = self
            .kb
            .services()
            .iter()
            .filter(|s| s.area == id)
            .map(|s| format!("{} ({})", self.lang.label(&s.name), s.id))
            .collect();
        self.line(self.t("Services in this area:", "Ydelser på området:"));
        for service in services {
            self.line(&format!("  {service}"));
        }
    }

    fn discount_schedule(&mut self, schedule: &DiscountSchedule) {
        let lang = self.lang;
        for step in &schedule.steps {
            let years = match step.to_year {
                Some(to) => format!("{}-{to}", step.from_year),
                None => format!("{}+", step.from_year),
            };
            self.line(&format!(
                "{} {years}: {}",
                self.t("Years", "År"),
                lang.percent(step.rate)
            ));
            if let Some(evidence) = &step.evidence {
                self.evidence("  ", evidence);
            }
        }
        self.evidence("", &schedule.evidence);
    }

    fn price_index(&mut self) {
        let lang = self.lang;
        let index = self.kb.price_index();
        self.line(&format!(
            "{}: {}",
            self.t("Base year", "Basisår"),
            index.base_year
        ));
        for change in &index.changes {
            self.line(&format!("  {}: {}", change.year, lang.percent(change.rate)));
        }
        self.evidence("", &index.evidence);
    }

    /// Grade, basis, sources and note of a figure.
    fn evidence(&mut self, indent: &str, evidence: &Evidence) {
        let lang = self.lang;
        let basis = match evidence.basis {
            Basis::Published => self.t("published", "offentliggjort"),
            Basis::Derived => self.t("derived", "afledt"),
            Basis::Assumption => self.t("assumption", "antagelse"),
        };
        let grade = evidence.grade.map(|g| {
            let name = self
                .kb
                .evidence_scale()
                .grade(g)
                .map(|d| format!(" ({})", lang.label(&d.name)))
                .unwrap_or_default();
            format!("{} {g}{name}, ", self.t("grade", "grad"))
        });
        let sources = if evidence.sources.is_empty() {
            String::new()
        } else {
            format!(
                "; {}: {}",
                self.t("sources", "kilder"),
                evidence.sources.join(", ")
            )
        };
        let text = format!(
            "{}: {}{basis}{sources}",
            self.t("Evidence", "Evidens"),
            grade.unwrap_or_default()
        );
        self.wrapped(indent, &text);
        if let Some(note) = evidence.note_in(lang == Lang::Da) {
            self.wrapped(indent, &format!("{}: {note}", self.t("Note", "Note")));
        }
        self.cite(&evidence.sources);
    }

    /// The full reference of every source cited on the sheet.
    fn sources(&mut self) {
        if self.cited.is_empty() {
            return;
        }
        self.section(self.t("Sources", "Kilder"));
        let cited = std::mem::take(&mut self.cited);
        for id in &cited {
            if let Some(source) = self.kb.source(id) {
                let text = reference(source);
                self.wrapped("", &format!("[{id}] {text}"));
            }
        }
    }
}

/// "Title. Publisher, 2021. https://…"
fn reference(source: &Source) -> String {
    let year = source.year.map(|y| format!(", {y}")).unwrap_or_default();
    format!(
        "{}. {}{year}. {}",
        source.title, source.publisher, source.url
    )
}

fn design_name(design: StudyDesign, lang: Lang) -> &'static str {
    match design {
        StudyDesign::MetaAnalysis => lang.pick("meta-analysis", "metaanalyse"),
        StudyDesign::RandomisedTrial => lang.pick("randomised trial", "randomiseret forsøg"),
        StudyDesign::QuasiExperiment => lang.pick("quasi-experiment", "kvasieksperiment"),
        StudyDesign::BeforeAfter => lang.pick("before-after", "før-efter-måling"),
        StudyDesign::ExpertJudgement => lang.pick("expert judgement", "faglig vurdering"),
    }
}

/// A consequence profile with runs of equal years joined:
/// "years 1-10: -129 days a year" or "year 1: -1; years 2-3: -0.5".
fn profile_text(profile: &[Decimal], unit: &str, lang: Lang) -> String {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < profile.len() {
        let value = profile[start];
        let mut end = start;
        while end + 1 < profile.len() && profile[end + 1] == value {
            end += 1;
        }
        let years = if start == end {
            format!("{} {}", lang.pick("year", "år"), start + 1)
        } else {
            format!("{} {}-{}", lang.pick("years", "år"), start + 1, end + 1)
        };
        parts.push(format!("{years}: {} {unit}", decimal_text(lang, value)));
        start = end + 1;
    }
    let after = lang.pick("then 0", "derefter 0");
    format!(
        "{}: {}; {after}",
        lang.pick("Change a year", "Ændring pr. år"),
        parts.join("; ")
    )
}

/// A unit price: whole kroner grouped, decimals kept when there are any
/// ("744.97", "1,234,567"; Danish "744,97", "1.234.567").
fn amount(lang: Lang, d: Decimal) -> String {
    let d = d.normalize();
    if d.fract().is_zero() {
        lang.kroner(d)
    } else {
        let whole = lang.kroner(d.trunc());
        let sign = if d.is_sign_negative() && d.trunc().is_zero() {
            "-"
        } else {
            ""
        };
        let digits = d.fract().abs().to_string();
        let decimals = digits.trim_start_matches("0.");
        let mark = lang.pick(".", ",");
        format!("{sign}{whole}{mark}{decimals}")
    }
}

/// An exact decimal with this language's decimal mark, ungrouped.
fn decimal_text(lang: Lang, d: Decimal) -> String {
    let text = d.normalize().to_string();
    match lang {
        Lang::En => text,
        Lang::Da => text.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_keep_their_decimals_and_group_thousands() {
        assert_eq!(amount(Lang::En, dec("744.970")), "744.97");
        assert_eq!(amount(Lang::Da, dec("744.97")), "744,97");
        assert_eq!(amount(Lang::Da, dec("1234567")), "1.234.567");
        assert_eq!(amount(Lang::En, dec("-1234.5")), "-1,234.5");
        assert_eq!(amount(Lang::En, dec("-0.25")), "-0.25");
        assert_eq!(amount(Lang::En, dec("0")), "0");
    }

    #[test]
    fn profiles_join_runs_of_equal_years() {
        let profile = [dec("-1"), dec("-0.5"), dec("-0.5"), dec("2")];
        assert_eq!(
            profile_text(&profile, "day", Lang::En),
            "Change a year: year 1: -1 day; years 2-3: -0.5 day; year 4: 2 day; then 0"
        );
        assert_eq!(
            profile_text(&[dec("-6.15"); 10], "måned", Lang::Da),
            "Ændring pr. år: år 1-10: -6,15 måned; derefter 0"
        );
    }
}
