//! The content shared by the text table and the Markdown view: a title and
//! sections of key figures and tables, rounded for display.

use super::{fixed, kroner};
use crate::BusinessCase;
use crate::business_case::Split;

/// A section of a report.
pub(crate) enum Block {
    /// Label-value pairs.
    Facts(Vec<(String, String)>),
    /// A table: headers and rows; the first column is left-aligned, others right-aligned.
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Which columns hold numbers (to be right-aligned): those whose every
/// cell is a number as the views print it ("1,234", "-5", "12.5 %", "n/a", "-").
pub(crate) fn numeric_columns(columns: usize, rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns)
        .map(|i| {
            rows.iter().all(|row| {
                row.get(i).is_some_and(|cell| {
                    cell == "n/a"
                        || cell == "-"
                        || (cell.chars().any(|c| c.is_ascii_digit())
                            && cell
                                .chars()
                                .all(|c| c.is_ascii_digit() || ",.- %".contains(c)))
                })
            })
        })
        .collect()
}

/// A headed section.
pub(crate) struct Section {
    pub heading: String,
    pub block: Block,
}

fn payer_row(label: &str, s: &Split) -> Vec<String> {
    vec![
        label.to_owned(),
        kroner(s.kommune),
        kroner(s.region),
        kroner(s.stat),
        kroner(s.total),
    ]
}

fn percent(d: rust_decimal::Decimal) -> String {
    format!(
        "{} %",
        fixed(Some(d * rust_decimal::Decimal::ONE_HUNDRED), 1)
    )
}

/// The title and sections of a business-case report.
pub(crate) fn build(case: &BusinessCase) -> (String, Vec<Section>) {
    let ctx = &case.context;
    let s = &case.summary;
    let title = format!("Business case: {}", case.scenario);

    let last_year = case.start_year + case.horizon_years as i32 - 1;
    let mut effect = match (&ctx.effect.study, ctx.effect.value) {
        (Some(study), _) => format!("study `{study}`"),
        (None, Some(v)) => format!("{} {}", ctx.effect.kind.replace('_', " "), v.normalize()),
        (None, None) => "rates given in the scenario".to_owned(),
    };
    if let Some(source) = &ctx.effect.source {
        effect.push_str(&format!(" — {source}"));
    }
    let assumptions = vec![
        (
            "Target group (målgruppe)".to_owned(),
            format!("{} ({})", ctx.target_group_name, ctx.target_group),
        ),
        (
            "Success measure (succesmål)".to_owned(),
            format!("{} ({})", ctx.success_measure_name, ctx.success_measure),
        ),
        ("Effect".to_owned(), effect),
        (
            "Success rate".to_owned(),
            format!(
                "{} with the intervention, {} without: net {}",
                percent(case.success_rate),
                percent(case.baseline_rate),
                percent(case.net_success_rate)
            ),
        ),
        ("Completion rate".to_owned(), percent(case.completion_rate)),
        (
            "Participants".to_owned(),
            format!(
                "{} in total; successes {}",
                fixed(Some(s.participants), 0),
                fixed(Some(s.successes), 2)
            ),
        ),
        (
            "Effect lag".to_owned(),
            format!("{} year(s) after entry", case.effect_lag_years),
        ),
        (
            "Horizon".to_owned(),
            format!(
                "{} years, {}-{}",
                case.horizon_years, case.start_year, last_year
            ),
        ),
        (
            "Prices".to_owned(),
            format!("{} prices, DKK", case.price_year),
        ),
        ("Discounting".to_owned(), ctx.discounting.clone()),
        (
            "Knowledge base".to_owned(),
            format!(
                "version {}, sha256 {}",
                ctx.knowledge_base_version, &ctx.knowledge_base_hash
            ),
        ),
    ];

    let break_even = s
        .break_even_year
        .map_or_else(|| "not within the horizon".to_owned(), |y| y.to_string());
    let result = vec![
        (
            "Net present value (NPV)".to_owned(),
            format!("{} kr.", kroner(s.npv.total)),
        ),
        (
            "PV of costs".to_owned(),
            format!("{} kr.", kroner(s.pv_costs.total)),
        ),
        (
            "PV of gains".to_owned(),
            format!("{} kr.", kroner(s.pv_gains.total)),
        ),
        (
            "Benefit-cost ratio".to_owned(),
            fixed(s.benefit_cost_ratio, 2),
        ),
        (
            "Return per invested krone".to_owned(),
            fixed(s.return_per_krone, 2),
        ),
        ("Break-even year".to_owned(), break_even),
        (
            "Break-even net success rate".to_owned(),
            s.break_even_success_rate
                .map_or_else(|| "n/a".to_owned(), percent),
        ),
        (
            "NPV per participant".to_owned(),
            s.npv_per_participant
                .map_or_else(|| "n/a".to_owned(), |v| format!("{} kr.", kroner(v))),
        ),
        (
            "NPV per success".to_owned(),
            s.npv_per_success
                .map_or_else(|| "n/a".to_owned(), |v| format!("{} kr.", kroner(v))),
        ),
    ];

    let by_payer = Block::Table(
        vec![
            "Present value (kr.)".into(),
            "kommune".into(),
            "region".into(),
            "stat".into(),
            "total".into(),
        ],
        vec![
            payer_row("Costs", &s.pv_costs),
            payer_row("Gains", &s.pv_gains),
            payer_row("Net (NPV)", &s.npv),
        ],
    );

    let yearly = Block::Table(
        [
            "Year",
            "Costs",
            "Gains",
            "Net kommune",
            "Net region",
            "Net stat",
            "Net total",
            "Discount factor",
            "Discounted net",
            "Cumulative",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        case.years
            .iter()
            .map(|y| {
                vec![
                    y.year.to_string(),
                    kroner(y.costs.total),
                    kroner(y.gains.total),
                    kroner(y.net.kommune),
                    kroner(y.net.region),
                    kroner(y.net.stat),
                    kroner(y.net.total),
                    fixed(Some(y.discount_factor), 4),
                    kroner(y.net_discounted.total),
                    kroner(y.cumulative_net_discounted.total),
                ]
            })
            .collect(),
    );

    let lines = Block::Table(
        [
            "Consequence",
            "Area",
            "Per",
            "Unit",
            "Price kommune",
            "Price region",
            "Price stat",
            "Grade",
            "PV of gains",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        case.lines
            .iter()
            .map(|l| {
                vec![
                    l.label.clone(),
                    l.area.clone(),
                    match l.applies_to {
                        crate::engine::AppliesTo::Successes => "success".to_owned(),
                        crate::engine::AppliesTo::Participants => "participant".to_owned(),
                    },
                    l.unit.clone(),
                    kroner(l.unit_price.kommune),
                    kroner(l.unit_price.region),
                    kroner(l.unit_price.stat),
                    l.grade.map_or_else(|| "-".to_owned(), |g| g.to_string()),
                    kroner(l.pv_gains),
                ]
            })
            .collect(),
    );

    let evidence = &ctx.evidence;
    let mut evidence_facts = vec![(
        "Gains resting on grade 4-5 figures".to_owned(),
        case.share_of_gains_on_weak_evidence().map_or_else(
            || "n/a".to_owned(),
            |share| format!("{} of the PV of gains", percent(share)),
        ),
    )];
    if let Some(design) = evidence.effect_design.or(ctx.effect.design) {
        evidence_facts.push((
            "Effect study design".to_owned(),
            design.id().replace('_', " "),
        ));
    }
    if evidence.is_active() {
        let factor = evidence.effect_factor.map_or_else(
            || "none (design unknown)".to_owned(),
            |f| f.normalize().to_string(),
        );
        evidence_facts.push((
            "Evidence adjustment".to_owned(),
            format!("{}; effect factor {factor}", evidence.mode),
        ));
        if let Some(plain) = &case.unadjusted {
            evidence_facts.push((
                "NPV without adjustment".to_owned(),
                format!("{} kr.", kroner(plain.npv.total)),
            ));
            evidence_facts.push((
                "NPV with adjustment".to_owned(),
                format!("{} kr.", kroner(s.npv.total)),
            ));
        }
    } else {
        evidence_facts.push(("Evidence adjustment".to_owned(), "none".to_owned()));
    }

    let sections = vec![
        Section {
            heading: "Result".into(),
            block: Block::Facts(result),
        },
        Section {
            heading: "By payer".into(),
            block: by_payer,
        },
        Section {
            heading: format!("Per year ({} prices, kr.)", case.price_year),
            block: yearly,
        },
        Section {
            heading: "Consequences and unit prices".into(),
            block: lines,
        },
        Section {
            heading: "Assumptions".into(),
            block: Block::Facts(assumptions),
        },
        Section {
            heading: "Evidence".into(),
            block: Block::Facts(evidence_facts),
        },
    ];
    (title, sections)
}
