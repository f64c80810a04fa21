//! Builds a scenario in Rust code, evaluates it on the embedded knowledge
//! base and prints the business case.
//!
//! Run with `cargo run --example build_scenario`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use som::scenario::{Cohort, CostKindName, CostSpec, Discounting, Effect, PersistenceSpec};
use som::{KnowledgeBase, Payer, Scenario};

fn main() -> Result<(), som::Error> {
    let kb = KnowledgeBase::embedded();
    let scenario = Scenario {
        name: "Housing First, 25 citizens a year for 2 years".into(),
        target_group: "homeless-adults".into(),
        success_measure: "exits-homelessness".into(),
        start_year: 2026,
        horizon_years: 8,
        price_year: Some(2025),
        discounting: Some(Discounting::Schedule("dk-fm-2021".into())),
        cohorts: vec![
            Cohort {
                year: 0,
                participants: Decimal::from(25),
            },
            Cohort {
                year: 1,
                participants: Decimal::from(25),
            },
        ],
        completion_rate: Some(Decimal::new(85, 2)),
        // The At Home/Chez Soi trial's rates (73 % vs 31 % stably housed after a year).
        effect: Effect {
            study: Some("housing-first-at-home-1y".into()),
            ..Effect::default()
        },
        effect_lag_years: Some(1),
        persistence: Some(PersistenceSpec {
            duration_years: Some(8),
            annual_decay: Some(Decimal::new(15, 2)),
        }),
        costs: vec![CostSpec {
            label: "Housing First support".into(),
            kind: CostKindName::PerParticipant,
            year: None,
            from_year: None,
            to_year: None,
            years: None,
            amount: Decimal::from(85_000),
            payer: Payer::Kommune,
            grade: None,
            committee: None,
        }],
        consequences: None,
        prices: BTreeMap::new(),
        committees: Default::default(),
        financing: Vec::new(),
        local_services: Vec::new(),
        local_sources: Vec::new(),
        evidence_adjustment: None,
        origin: None,
    };

    let case = som::evaluate(&scenario, kb)?;
    print!("{}", som::report::table::render(&case));
    Ok(())
}
