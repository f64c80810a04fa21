//! The scenario inputs a sweep or a simulation can vary, by name.
//!
//! | name                      | what it sets                                                   | accepted values |
//! |---------------------------|----------------------------------------------------------------|-----------------|
//! | `success_rate`            | p1 (p0 unchanged)                                              | 0 ..= 1 |
//! | `baseline_rate`           | p0 (p1 unchanged, so s = p1 − p0 moves the other way)           | 0 ..= 1 |
//! | `net_success_rate`        | s directly (overrides `success_rate` and `baseline_rate`)      | −1 ..= 1 |
//! | `completion_rate`         | c                                                              | 0 ..= 1 |
//! | `participants_scale`      | a factor on every cohort's participants (1 = as in the scenario) | ≥ 0 |
//! | `cost:<label>`            | the amount of the cost with that label                         | ≥ 0 |
//! | `price_scale:<service>`   | a factor on that line's unit price, every payer                | ≥ 0 |
//! | `discount_rate`           | one constant rate for every year, replacing the schedule       | > −1 |
//! | `annual_decay`            | persistence: the share of the effect lost each year            | 0 ..= 1 |
//! | `horizon_years`           | H (sweeps only)                                                | whole years 1 ..= 100 |
//!
//! The first seven are *linear*: NPV is linear in each of them (for fixed
//! others), so the [fast path](super::fast) evaluates them in a few
//! multiply-adds. The last three change the discounted streams themselves:
//! the fast model is rebuilt for each of their values.

use rust_decimal::Decimal;

use super::fast::{Point, to_f64};
use crate::Problem;
use crate::model::Model;
use crate::model::limits::MAX_HORIZON_YEARS;

/// A named scenario input (see the [module docs](self) for the list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Parameter {
    /// p1.
    SuccessRate,
    /// p0.
    BaselineRate,
    /// s = p1 − p0.
    NetSuccessRate,
    /// c.
    CompletionRate,
    /// A factor on every cohort's participants.
    ParticipantsScale,
    /// The amount of the cost at this index of [`Model::costs`].
    CostAmount(usize),
    /// A factor on the unit price of the line at this index of [`Model::lines`].
    PriceScale(usize),
    /// One constant discount rate for every year.
    DiscountRate,
    /// The persistence's annual decay.
    AnnualDecay,
    /// The horizon H in years.
    HorizonYears,
}

const FIXED: [(&str, Parameter); 8] = [
    ("success_rate", Parameter::SuccessRate),
    ("baseline_rate", Parameter::BaselineRate),
    ("net_success_rate", Parameter::NetSuccessRate),
    ("completion_rate", Parameter::CompletionRate),
    ("participants_scale", Parameter::ParticipantsScale),
    ("discount_rate", Parameter::DiscountRate),
    ("annual_decay", Parameter::AnnualDecay),
    ("horizon_years", Parameter::HorizonYears),
];

impl Parameter {
    /// Every name valid for a model.
    ///
    /// ```
    /// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
    /// let names = som::analysis::Parameter::names(&model);
    /// assert!(names.contains(&"cost:Team".to_owned()));
    /// ```
    pub fn names(model: &Model) -> Vec<String> {
        let mut names: Vec<String> = FIXED.iter().map(|(n, _)| (*n).to_owned()).collect();
        names.extend(model.costs.iter().map(|c| format!("cost:{}", c.label)));
        names.extend(
            model
                .lines
                .iter()
                .map(|l| format!("price_scale:{}", l.service)),
        );
        names
    }

    /// The parameter with this name, or a problem (at `file`, `path`) that
    /// lists the valid names and suggests the closest one.
    ///
    /// ```
    /// use som::analysis::Parameter;
    /// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
    /// assert_eq!(Parameter::parse("cost:Team", &model, "s.json", "$").unwrap(), Parameter::CostAmount(1));
    /// let p = Parameter::parse("succes_rate", &model, "s.json", "$.parameters[0].name").unwrap_err();
    /// assert_eq!(p.did_you_mean.as_deref(), Some("success_rate"));
    /// ```
    pub fn parse(name: &str, model: &Model, file: &str, path: &str) -> Result<Parameter, Problem> {
        if let Some((_, p)) = FIXED.iter().find(|(n, _)| *n == name) {
            return Ok(*p);
        }
        if let Some(label) = name.strip_prefix("cost:")
            && let Some(i) = model.costs.iter().position(|c| *c.label == *label)
        {
            return Ok(Parameter::CostAmount(i));
        }
        if let Some(service) = name.strip_prefix("price_scale:")
            && let Some(i) = model.lines.iter().position(|l| *l.service == *service)
        {
            return Ok(Parameter::PriceScale(i));
        }
        let names = Parameter::names(model);
        Err(Problem::new(
            file,
            path,
            format!("`{name}`"),
            format!("a parameter name: {}", names.join(", ")),
        )
        .suggest(name, names.iter().map(String::as_str)))
    }

    /// The parameter's name for a model.
    pub fn name(&self, model: &Model) -> String {
        match self {
            Parameter::CostAmount(i) => {
                format!("cost:{}", model.costs.get(*i).map_or("?", |c| &*c.label))
            }
            Parameter::PriceScale(i) => format!(
                "price_scale:{}",
                model.lines.get(*i).map_or("?", |l| &*l.service)
            ),
            p => FIXED
                .iter()
                .find(|(_, q)| q == p)
                .map_or("?", |(n, _)| n)
                .to_owned(),
        }
    }

    /// Whether NPV is linear in the parameter, so the fast path needs no rebuild.
    pub fn is_linear(&self) -> bool {
        !matches!(
            self,
            Parameter::DiscountRate | Parameter::AnnualDecay | Parameter::HorizonYears
        )
    }

    /// The accepted values, described; none when `value` is accepted.
    ///
    /// ```
    /// use som::analysis::Parameter;
    /// assert!(Parameter::CompletionRate.rejects(1.2).is_some());
    /// assert!(Parameter::CompletionRate.rejects(0.8).is_none());
    /// ```
    pub fn rejects(&self, value: f64) -> Option<&'static str> {
        let ok = match self {
            Parameter::SuccessRate
            | Parameter::BaselineRate
            | Parameter::CompletionRate
            | Parameter::AnnualDecay => (0.0..=1.0).contains(&value),
            Parameter::NetSuccessRate => (-1.0..=1.0).contains(&value),
            Parameter::ParticipantsScale | Parameter::CostAmount(_) | Parameter::PriceScale(_) => {
                value >= 0.0 && value.is_finite()
            }
            Parameter::DiscountRate => value > -1.0 && value.is_finite(),
            Parameter::HorizonYears => {
                value.fract() == 0.0 && (1.0..=MAX_HORIZON_YEARS as f64).contains(&value)
            }
        };
        (!ok).then_some(match self {
            Parameter::SuccessRate
            | Parameter::BaselineRate
            | Parameter::CompletionRate
            | Parameter::AnnualDecay => "a share between 0 and 1",
            Parameter::NetSuccessRate => "a rate between -1 and 1",
            Parameter::ParticipantsScale | Parameter::CostAmount(_) | Parameter::PriceScale(_) => {
                "a number >= 0"
            }
            Parameter::DiscountRate => "a rate greater than -1",
            Parameter::HorizonYears => "a whole number of years from 1 to 100",
        })
    }
}

/// Sets linear parameters on a fast [`Point`]. p1 and p0 are tracked
/// separately so that `success_rate` and `baseline_rate` combine; call
/// [`LinearSetter::finish`] after setting every value.
#[derive(Clone, Debug)]
pub(crate) struct LinearSetter {
    success_rate: f64,
    baseline_rate: f64,
    net: Option<f64>,
}

impl LinearSetter {
    pub(crate) fn new(model: &Model) -> LinearSetter {
        LinearSetter {
            success_rate: to_f64(model.success_rate),
            baseline_rate: to_f64(model.baseline_rate),
            net: None,
        }
    }

    /// Sets one linear parameter; structural ones are ignored here.
    pub(crate) fn set(&mut self, point: &mut Point, parameter: Parameter, value: f64) {
        match parameter {
            Parameter::SuccessRate => self.success_rate = value,
            Parameter::BaselineRate => self.baseline_rate = value,
            Parameter::NetSuccessRate => self.net = Some(value),
            Parameter::CompletionRate => point.completion_rate = value,
            Parameter::ParticipantsScale => point.participants_scale = value,
            Parameter::CostAmount(i) => {
                if let Some(a) = point.cost_amounts.get_mut(i) {
                    *a = value;
                }
            }
            Parameter::PriceScale(i) => {
                if let Some(s) = point.price_scales.get_mut(i) {
                    *s = value;
                }
            }
            Parameter::DiscountRate | Parameter::AnnualDecay | Parameter::HorizonYears => {}
        }
    }

    /// Writes s into the point.
    pub(crate) fn finish(&self, point: &mut Point) {
        point.net_success_rate = self.net.unwrap_or(self.success_rate - self.baseline_rate);
    }
}

/// Applies the structural parameters (discount rate, annual decay) to a model
/// already at the right horizon.
pub(crate) fn apply_structural(model: &mut Model, parameter: Parameter, value: Decimal) {
    match parameter {
        Parameter::DiscountRate => model.discount_rates = vec![value; model.horizon_years],
        Parameter::AnnualDecay => model.persistence.annual_decay = value,
        _ => {}
    }
}
