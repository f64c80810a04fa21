//! The JSON view (DESIGN.md §5): amounts as strings with full precision,
//! ratios with a zero denominator as `null`.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::exact;
use crate::business_case::{BusinessCase, Split, Summary};

fn split(s: &Split) -> Value {
    json!({
        "kommune": exact(s.kommune),
        "region": exact(s.region),
        "stat": exact(s.stat),
        "total": exact(s.total),
    })
}

fn keyed(entries: &[(String, Decimal)]) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(exact(*v))))
            .collect::<Map<_, _>>(),
    )
}

fn optional(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::String(exact(d)))
}

fn summary(s: &Summary) -> Value {
    json!({
        "pv_costs": split(&s.pv_costs),
        "pv_gains": split(&s.pv_gains),
        "npv": split(&s.npv),
        "benefit_cost_ratio": optional(s.benefit_cost_ratio),
        "return_per_krone": optional(s.return_per_krone),
        "break_even_year": s.break_even_year,
        "break_even_success_rate": optional(s.break_even_success_rate),
        "npv_per_participant": optional(s.npv_per_participant),
        "npv_per_success": optional(s.npv_per_success),
        "participants": exact(s.participants),
        "successes": exact(s.successes),
    })
}

/// The business case as a JSON value.
pub fn value(case: &BusinessCase) -> Value {
    let ctx = &case.context;
    let years: Vec<Value> = case
        .years
        .iter()
        .map(|y| {
            json!({
                "t": y.t,
                "year": y.year,
                "discount_factor": exact(y.discount_factor),
                "costs": split(&y.costs),
                "gains": split(&y.gains),
                "net": split(&y.net),
                "net_discounted": split(&y.net_discounted),
                "cumulative_net_discounted": split(&y.cumulative_net_discounted),
                "gains_by_area": keyed(&y.gains_by_area),
                "gains_by_line": keyed(&y.gains_by_line),
            })
        })
        .collect();
    let lines: Vec<Value> = case
        .lines
        .iter()
        .map(|l| {
            json!({
                "service": l.service,
                "label": l.label,
                "unit": l.unit,
                "area": l.area,
                "applies_to": l.applies_to,
                "profile": l.profile.iter().map(|d| exact(*d)).collect::<Vec<_>>(),
                "unit_price": split(&l.unit_price),
                "source_price_year": l.source_price_year,
                "quantities": l.quantities.iter().map(|d| exact(*d)).collect::<Vec<_>>(),
                "pv_gains": exact(l.pv_gains),
                "grade": l.grade,
            })
        })
        .collect();
    let s = &case.summary;
    let evidence = &ctx.evidence;
    let by_grade: Map<String, Value> = case
        .pv_gains_by_grade()
        .into_iter()
        .map(|(g, v)| {
            (
                g.map_or("ungraded".to_owned(), |g| g.to_string()),
                Value::String(exact(v)),
            )
        })
        .collect();
    let evidence = json!({
        "adjustment": if evidence.is_active() { evidence.mode.as_str() } else { "none" },
        "effect_design": evidence.effect_design.or(ctx.effect.design).map(|d| d.id()),
        "effect_factor": optional(evidence.effect_factor),
        "lines": evidence.lines.iter().map(|l| json!({
            "service": l.service,
            "grade": l.grade,
            "optimism_bias": optional(l.optimism_bias),
        })).collect::<Vec<_>>(),
        "pv_gains_by_grade": by_grade,
        "share_of_gains_on_grade_4_5": optional(case.share_of_gains_on_weak_evidence()),
        "unadjusted": case.unadjusted.as_ref().map(summary),
    });
    let mut value = json!({
        "scenario": case.scenario,
        "knowledge_base": {"version": ctx.knowledge_base_version, "hash": ctx.knowledge_base_hash},
        "assumptions": {
            "target_group": ctx.target_group,
            "success_measure": ctx.success_measure,
            "start_year": case.start_year,
            "horizon_years": case.horizon_years,
            "price_year": case.price_year,
            "discounting": ctx.discounting,
            "effect": {
                "kind": ctx.effect.kind,
                "value": optional(ctx.effect.value),
                "study": ctx.effect.study,
                "source": ctx.effect.source,
            },
            "success_rate": exact(case.success_rate),
            "baseline_rate": exact(case.baseline_rate),
            "net_success_rate": exact(case.net_success_rate),
            "completion_rate": exact(case.completion_rate),
            "effect_lag_years": case.effect_lag_years,
            "persistence": {
                "annual_decay": exact(case.persistence.annual_decay),
                "duration_years": case.persistence.duration_years,
                "from": ctx.persistence.from.id(),
                "grade": ctx.persistence.grade,
                "sources": ctx.persistence.sources,
                "note": ctx.persistence.note,
            },
            "participants_by_year": case.participants_by_year.iter().map(|d| exact(*d)).collect::<Vec<_>>(),
        },
        "lines": lines,
        "years": years,
        "summary": summary(s),
        "evidence": evidence,
    });
    // Only cases whose lines have refund rules that changed over time carry
    // the key, so other cases' JSON stays as it was.
    if !ctx.dated_splits.is_empty() {
        value["assumptions"]["dated_payer_splits"] = json!(ctx.dated_splits);
    }
    value
}

/// The business case as pretty-printed JSON text, ending in a newline.
pub fn render(case: &BusinessCase) -> String {
    let mut text = serde_json::to_string_pretty(&value(case)).unwrap_or_default();
    text.push('\n');
    text
}
