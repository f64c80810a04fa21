//! The language of a report: its labels and its number formatting.
//!
//! Danish reports write 1.234.567 kr. and 2,70; English ones 1,234,567 DKK
//! and 2.70. Names of target groups, services and areas come from the
//! knowledge base in the chosen language when one is at hand.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::KnowledgeBase;
use crate::business_case::{BusinessCase, LineResult};
use crate::knowledge_base::Label;
use crate::model::AppliesTo;

/// The language of a report's labels and numbers.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::report::Lang;
/// let npv = Decimal::new(12345675, 1);
/// assert_eq!(Lang::Da.money(npv), "1.234.568 kr.");
/// assert_eq!(Lang::En.money(npv), "1,234,568 DKK");
/// assert_eq!("da".parse::<Lang>().unwrap(), Lang::Da);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English: 1,234,567 DKK, 2.70.
    #[default]
    En,
    /// Danish (dansk): 1.234.567 kr., 2,70.
    Da,
}

/// A language code other than `da` or `en`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`, expected `da` or `en`")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Lang, UnknownLang> {
        match s {
            "en" => Ok(Lang::En),
            "da" => Ok(Lang::Da),
            other => Err(UnknownLang(other.to_owned())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Lang {
    /// The ISO 639-1 code: `en` or `da`.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Da => "da",
        }
    }

    /// The English or the Danish text, whichever this language is.
    ///
    /// ```
    /// assert_eq!(som::report::Lang::Da.pick("Year", "År"), "År");
    /// ```
    pub fn pick<'a>(self, en: &'a str, da: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Da => da,
        }
    }

    /// A knowledge-base label in this language.
    pub fn label(self, label: &Label) -> &str {
        self.pick(&label.en, &label.da)
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::Da => ('.', ','),
        }
    }

    /// Whole kroner with thousands separators, rounded half away from zero:
    /// "-1,234,568" in English, "-1.234.568" in Danish.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use som::report::Lang;
    /// assert_eq!(Lang::Da.kroner(Decimal::new(-12345675, 1)), "-1.234.568");
    /// assert_eq!(Lang::En.kroner(Decimal::new(-4, 1)), "0");
    /// ```
    pub fn kroner(self, d: Decimal) -> String {
        let rounded = d
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        let grouped = self.group(&rounded.abs().to_string());
        if rounded.is_sign_negative() && !rounded.is_zero() {
            format!("-{grouped}")
        } else {
            grouped
        }
    }

    /// A string of digits with this language's thousands separator.
    fn group(self, digits: &str) -> String {
        let (thousands, _) = self.separators();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(ch);
        }
        grouped
    }

    /// A decimal rounded half away from zero to `dp` decimals, with
    /// thousands separators and this language's decimal mark; with `trim`,
    /// trailing zeros of the decimals (and a bare mark) are dropped.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use som::report::Lang;
    /// assert_eq!(Lang::En.grouped(Decimal::new(98608, 1), 2, false), "9,860.80");
    /// assert_eq!(Lang::Da.grouped(Decimal::new(98608, 1), 2, false), "9.860,80");
    /// assert_eq!(Lang::Da.grouped(Decimal::from(7740), 2, true), "7.740");
    /// assert_eq!(Lang::En.grouped(Decimal::new(-12345, 4), 2, true), "-1.23");
    /// assert_eq!(Lang::Da.grouped(Decimal::new(-1, 3), 2, false), "0,00");
    /// ```
    pub fn grouped(self, d: Decimal, dp: u32, trim: bool) -> String {
        let mut rounded = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        if trim {
            rounded = rounded.normalize();
        } else {
            rounded.rescale(dp);
        }
        let text = rounded.abs().to_string();
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
        if rounded.is_sign_negative() && !rounded.is_zero() {
            out.push('-');
        }
        out.push_str(&self.group(whole));
        if !fraction.is_empty() {
            out.push(self.separators().1);
            out.push_str(fraction);
        }
        out
    }

    /// An amount with its unit: "1,234,568 DKK" or "1.234.568 kr.".
    pub fn money(self, d: Decimal) -> String {
        format!("{} {}", self.kroner(d), self.pick("DKK", "kr."))
    }

    /// A ratio or rate rounded to `dp` decimals with this language's decimal
    /// mark, or "n/a" ("i.r.", ikke relevant) when there is none.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use som::report::Lang;
    /// assert_eq!(Lang::Da.fixed(Some(Decimal::new(2698, 3)), 2), "2,70");
    /// assert_eq!(Lang::En.fixed(None, 2), "n/a");
    /// ```
    pub fn fixed(self, d: Option<Decimal>, dp: u32) -> String {
        match d {
            None => self.not_applicable().to_owned(),
            Some(d) => {
                let text = format!(
                    "{:.*}",
                    dp as usize,
                    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
                );
                let (_, decimal) = self.separators();
                text.replace('.', &decimal.to_string())
            }
        }
    }

    /// A share as a percentage with one decimal: "45.0 %" or "45,0 %".
    pub fn percent(self, d: Decimal) -> String {
        // A share is in [-1, 1]: times 100 cannot overflow.
        format!("{} %", self.fixed(Some(d * Decimal::ONE_HUNDRED), 1))
    }

    /// "n/a" or "i.r." (ikke relevant).
    pub fn not_applicable(self) -> &'static str {
        self.pick("n/a", "i.r.")
    }

    /// The target group's name.
    pub fn target_group(self, case: &BusinessCase, kb: Option<&KnowledgeBase>) -> String {
        let ctx = &case.context;
        match (self, kb.and_then(|kb| kb.target_group(&ctx.target_group))) {
            (Lang::Da, Some(group)) => group.name.da.clone(),
            _ => ctx.target_group_name.clone(),
        }
    }

    /// The success measure's name.
    pub fn success_measure(self, case: &BusinessCase, kb: Option<&KnowledgeBase>) -> String {
        let ctx = &case.context;
        let measure = kb
            .and_then(|kb| kb.target_group(&ctx.target_group))
            .and_then(|g| g.success_measure(&ctx.success_measure));
        match (self, measure) {
            (Lang::Da, Some(m)) => m.name.da.clone(),
            _ => ctx.success_measure_name.clone(),
        }
    }

    /// The discount schedule as described in the business case, with a
    /// named schedule's name in this language.
    pub fn discounting(self, case: &BusinessCase, kb: Option<&KnowledgeBase>) -> String {
        self.discounting_described(&case.context.discounting, kb)
    }

    /// A discounting as a business case describes it (a named schedule as
    /// `"<English name> (<id>)"`, `none`, `constant <rate>` or `<n> explicit
    /// yearly rates`), in this language: a schedule by its name in `kb`.
    ///
    /// ```
    /// use som::report::Lang;
    /// assert_eq!(Lang::Da.discounting_described("none", None), "ingen");
    /// assert_eq!(Lang::Da.discounting_described("constant 0.035", None), "konstant 0,035");
    /// assert_eq!(Lang::Da.discounting_described("9 explicit yearly rates", None), "9 angivne årlige renter");
    /// assert_eq!(Lang::En.discounting_described("none", None), "none");
    /// ```
    pub fn discounting_described(self, described: &str, kb: Option<&KnowledgeBase>) -> String {
        if self == Lang::En {
            return described.to_owned();
        }
        let schedule = kb.and_then(|kb| {
            kb.discount_schedules()
                .iter()
                .find(|s| described == format!("{} ({})", s.name.en, s.id))
        });
        if let Some(s) = schedule {
            return format!("{} ({})", s.name.da, s.id);
        }
        if described == "none" {
            return "ingen".to_owned();
        }
        if let Some(rate) = described.strip_prefix("constant ") {
            return format!("konstant {}", rate.replace('.', ","));
        }
        if let Some(n) = described.strip_suffix(" explicit yearly rates") {
            return format!("{n} angivne årlige renter");
        }
        described.to_owned()
    }

    /// The persistence a case used (DESIGN.md §1.3) and where it came from,
    /// in words: "10.0 % of successes lost a year, for 10 years at most
    /// (given in the scenario)".
    pub fn persistence(self, case: &BusinessCase) -> String {
        use crate::model::PersistenceFrom;
        let p = &case.persistence;
        let origin = &case.context.persistence;
        let mut text = if p.annual_decay.is_zero() {
            self.pick("no decay", "intet frafald").to_owned()
        } else {
            match self {
                Lang::En => format!("{} of successes lost a year", self.percent(p.annual_decay)),
                Lang::Da => format!(
                    "{} af succeserne falder fra om året",
                    self.percent(p.annual_decay)
                ),
            }
        };
        if let Some(d) = p.duration_years {
            text.push_str(&match self {
                Lang::En => format!(", for {d} years at most"),
                Lang::Da => format!(", i højst {d} år"),
            });
        }
        let grade = origin.grade.map_or(String::new(), |g| {
            format!("; {} {g}", self.pick("grade", "evidensgrad"))
        });
        let from = match (origin.from, self) {
            (PersistenceFrom::Scenario, Lang::En) => "given in the scenario".to_owned(),
            (PersistenceFrom::Scenario, Lang::Da) => "angivet i scenariet".to_owned(),
            (PersistenceFrom::Profile, Lang::En) => {
                format!("the knowledge base's profiles already carry relapse{grade}")
            }
            (PersistenceFrom::Profile, Lang::Da) => {
                format!("vidensgrundlagets profiler rummer allerede tilbagefald{grade}")
            }
            (PersistenceFrom::KnowledgeBase, Lang::En) => {
                format!("the knowledge base's default for the target group{grade}")
            }
            (PersistenceFrom::KnowledgeBase, Lang::Da) => {
                format!("vidensgrundlagets standard for målgruppen{grade}")
            }
            (PersistenceFrom::ScenarioLines, Lang::En) => {
                "the scenario's own consequence lines, taken as given".to_owned()
            }
            (PersistenceFrom::ScenarioLines, Lang::Da) => {
                "scenariets egne konsekvenslinjer, taget som de er".to_owned()
            }
        };
        format!("{text} ({from})")
    }

    /// The dated payer splits a case used, in words, or `None` when it used
    /// none: "shelter-day: the split from 2026-04-01, in force in 2026".
    pub fn dated_splits(self, case: &BusinessCase) -> Option<String> {
        let splits = &case.context.dated_splits;
        if splits.is_empty() {
            return None;
        }
        let texts: Vec<String> = splits
            .iter()
            .map(|d| {
                let period = match (&d.from, &d.to, self) {
                    (Some(f), Some(t), Lang::En) => format!("from {f} to {t}"),
                    (Some(f), Some(t), Lang::Da) => format!("fra {f} til {t}"),
                    (Some(f), None, Lang::En) => format!("from {f}"),
                    (Some(f), None, Lang::Da) => format!("fra {f}"),
                    (None, Some(t), Lang::En) => format!("until {t}"),
                    (None, Some(t), Lang::Da) => format!("til og med {t}"),
                    (None, None, _) => String::new(),
                };
                match self {
                    Lang::En => format!(
                        "{}: the payer split {period}, in force in {}",
                        d.service, d.year
                    ),
                    Lang::Da => format!(
                        "{}: fordelingen på betalere {period}, gældende i {}",
                        d.service, d.year
                    ),
                }
            })
            .collect();
        Some(texts.join("; "))
    }

    /// The scenario's local services, described: id, name, price year,
    /// grade and basis of each; none when the case has none.
    ///
    /// ```
    /// let kb = som::KnowledgeBase::embedded();
    /// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
    /// assert_eq!(som::report::Lang::En.local_services(&case), None);
    /// ```
    pub fn local_services(self, case: &BusinessCase) -> Option<String> {
        let services = &case.context.local_services;
        if services.is_empty() {
            return None;
        }
        let texts: Vec<String> = services
            .iter()
            .map(|s| {
                let grade = s.grade.map_or_else(|| "-".to_owned(), |g| g.to_string());
                // The committee its lines fall in (a remap moves it), where
                // the knowledge base has committees.
                let committee = case
                    .lines
                    .iter()
                    .find(|l| *l.service == *s.id)
                    .and_then(|l| l.committee.as_deref())
                    .or(s.committee.as_deref())
                    .map_or_else(String::new, |id| {
                        format!(
                            ", {}",
                            super::document::committee_name(case, Some(id), self)
                        )
                    });
                let text = match self {
                    Lang::En => format!(
                        "{} ({}): {} prices, grade {grade}, {}",
                        s.name_en, s.id, s.price_year, s.basis
                    ),
                    Lang::Da => format!(
                        "{} ({}): {}-priser, evidensgrad {grade}, {}",
                        s.name_da,
                        s.id,
                        s.price_year,
                        match s.basis.as_str() {
                            "published" => "offentliggjort",
                            "derived" => "afledt",
                            _ => "antagelse",
                        }
                    ),
                };
                text + &committee
            })
            .collect();
        Some(texts.join("; "))
    }

    /// The costs described one by one (amount, when it falls, payer, grade),
    /// when one of them runs over a course of years or has a grade; none
    /// otherwise (the yearly table shows them).
    pub fn costs(self, case: &BusinessCase) -> Option<String> {
        use crate::model::CostKind;
        if !case.costs.iter().any(|c| c.has_course_or_grade()) {
            return None;
        }
        let texts: Vec<String> = case
            .costs
            .iter()
            .map(|c| {
                let amount = self.kroner(c.amount);
                let when = match (&c.kind, self) {
                    (CostKind::OneOff { year }, Lang::En) => format!("once in year {year}"),
                    (CostKind::OneOff { year }, Lang::Da) => format!("én gang i år {year}"),
                    (CostKind::PerYear { from_year, to_year }, Lang::En) => {
                        format!("every year from year {from_year} to {to_year}")
                    }
                    (CostKind::PerYear { from_year, to_year }, Lang::Da) => {
                        format!("hvert år fra år {from_year} til {to_year}")
                    }
                    (CostKind::PerParticipant { years: 1 }, Lang::En) => {
                        "per participant in the entry year".to_owned()
                    }
                    (CostKind::PerParticipant { years: 1 }, Lang::Da) => {
                        "pr. deltager i startåret".to_owned()
                    }
                    (CostKind::PerParticipant { years }, Lang::En) => {
                        format!("per participant every year for {years} years from entry")
                    }
                    (CostKind::PerParticipant { years }, Lang::Da) => {
                        format!("pr. deltager hvert år i {years} år fra startåret")
                    }
                };
                let grade = c.grade.map_or_else(String::new, |g| {
                    format!(", {} {g}", self.pick("grade", "evidensgrad"))
                });
                format!("{}: {amount} kr. {when}, {}{grade}", c.label, c.payer)
            })
            .collect();
        Some(texts.join("; "))
    }

    /// A consequence line's service name, marked "(local)" when the scenario
    /// defined the service itself.
    pub fn service_marked(
        self,
        case: &BusinessCase,
        line: &LineResult,
        kb: Option<&KnowledgeBase>,
    ) -> String {
        match case.context.local_service(&line.service) {
            Some(local) => format!(
                "{} ({})",
                self.pick(&local.name_en, &local.name_da),
                self.pick("local", "lokal")
            ),
            None => self.service(line, kb),
        }
    }

    /// A consequence line's service name.
    pub fn service(self, line: &LineResult, kb: Option<&KnowledgeBase>) -> String {
        match (self, kb.and_then(|kb| kb.service(&line.service))) {
            (Lang::Da, Some(s)) => s.name.da.clone(),
            _ => line.label.to_string(),
        }
    }

    /// A consequence line's unit.
    pub fn unit(self, line: &LineResult, kb: Option<&KnowledgeBase>) -> String {
        match (self, kb.and_then(|kb| kb.service(&line.service))) {
            (Lang::Da, Some(s)) => s.unit.da.clone(),
            _ => line.unit.to_string(),
        }
    }

    /// An area's name in Danish, or its id in English (as the English table has
    /// always shown it).
    pub fn area(self, id: &str, kb: Option<&KnowledgeBase>) -> String {
        match (self, kb.and_then(|kb| kb.area(id))) {
            (Lang::Da, Some(a)) => a.name.da.clone(),
            _ => id.to_owned(),
        }
    }

    /// An area's name in this language from the knowledge base, or its id
    /// when there is none.
    pub fn area_name(self, id: &str, kb: Option<&KnowledgeBase>) -> String {
        kb.and_then(|kb| kb.area(id))
            .map_or_else(|| id.to_owned(), |a| self.label(&a.name).to_owned())
    }

    /// An input of a one-way sensitivity analysis, e.g. "net success rate"
    /// or "nettosuccesrate", a price by its service's name in `kb`.
    ///
    /// ```
    /// use som::analysis::Input;
    /// use som::report::Lang;
    /// assert_eq!(Lang::Da.sensitivity_input(&Input::NetSuccessRate, None), "nettosuccesrate");
    /// assert_eq!(Lang::En.sensitivity_input(&Input::Cost("Team".into()), None), "cost: Team");
    /// ```
    pub fn sensitivity_input(
        self,
        what: &crate::analysis::Input,
        kb: Option<&KnowledgeBase>,
    ) -> String {
        use crate::analysis::Input;
        if self == Lang::En {
            return what.to_string();
        }
        match what {
            Input::NetSuccessRate => "nettosuccesrate".to_owned(),
            Input::CompletionRate => "gennemførelsesrate".to_owned(),
            Input::Cost(label) => format!("omkostning: {label}"),
            Input::Price {
                service,
                label,
                grade,
            } => {
                let name = kb
                    .and_then(|kb| kb.service(service))
                    .map_or(label.as_str(), |s| s.name.da.as_str());
                match grade {
                    Some((g, r)) => format!(
                        "pris: {name} (grad {g}, ± {} %)",
                        (*r * Decimal::ONE_HUNDRED)
                            .normalize()
                            .to_string()
                            .replace('.', ",")
                    ),
                    None => format!("pris: {name}"),
                }
            }
            Input::PersistenceDecay => "effektens årlige aftagen".to_owned(),
            Input::DiscountRate => "diskonteringsrente".to_owned(),
            Input::Horizon => "tidshorisont (år)".to_owned(),
        }
    }

    /// Whom a line applies to: "success"/"participant", "succes"/"deltager".
    pub fn applies_to(self, a: AppliesTo) -> &'static str {
        match a {
            AppliesTo::Successes => self.pick("success", "succes"),
            AppliesTo::Participants => self.pick("participant", "deltager"),
        }
    }

    /// An effect-size kind as words: "odds ratio", "oddsratio".
    pub fn effect_kind(self, kind: &str) -> String {
        let da = match kind {
            "percentage_points" => "procentpoint",
            "relative_risk" => "relativ risiko",
            "odds_ratio" => "oddsratio",
            "cohens_d" => "Cohens d",
            other => other,
        };
        match self {
            Lang::En => kind.replace('_', " "),
            Lang::Da => da.replace('_', " "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_groups_with_commas_and_rounds_half_away_from_zero() {
        assert_eq!(Lang::En.kroner(Decimal::new(12345675, 1)), "1,234,568");
        assert_eq!(Lang::En.kroner(Decimal::new(-9995, 1)), "-1,000");
        assert_eq!(Lang::En.kroner(Decimal::new(-4, 1)), "0");
        assert_eq!(Lang::En.money(Decimal::from(999)), "999 DKK");
        assert_eq!(Lang::En.fixed(Some(Decimal::new(2698, 3)), 2), "2.70");
    }

    #[test]
    fn danish_groups_with_dots_and_decimals_with_commas() {
        assert_eq!(Lang::Da.kroner(Decimal::from(1_234_567)), "1.234.567");
        assert_eq!(Lang::Da.money(Decimal::from(-1_000)), "-1.000 kr.");
        assert_eq!(Lang::Da.percent(Decimal::new(45, 2)), "45,0 %");
        assert_eq!(Lang::En.percent(Decimal::new(45, 2)), "45.0 %");
        assert_eq!(Lang::Da.fixed(None, 2), "i.r.");
    }

    #[test]
    fn unknown_language_is_an_error_that_names_it() {
        let err = "de".parse::<Lang>().unwrap_err();
        assert!(err.to_string().contains("`de`"));
    }
}
