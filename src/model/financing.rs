//! External funding (finansiering) of an intervention: grants that move
//! money to the kommune (DESIGN.md §1.10).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Payer;

/// Where a grant's money comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funder {
    /// The state (a pool such as the social investment pool): a transfer
    /// within the public sector, the state's loss is the kommune's gain.
    Stat,
    /// The region: a transfer within the public sector.
    Region,
    /// Outside the public sector (a private foundation): money the public
    /// sector receives.
    Outside,
}

impl Funder {
    /// The id as written in files.
    pub fn id(self) -> &'static str {
        match self {
            Funder::Stat => "stat",
            Funder::Region => "region",
            Funder::Outside => "outside",
        }
    }

    /// The public payer that gives the money, none from outside the public sector.
    pub fn payer(self) -> Option<Payer> {
        match self {
            Funder::Stat => Some(Payer::Stat),
            Funder::Region => Some(Payer::Region),
            Funder::Outside => None,
        }
    }
}

/// A grant to the kommune, in the scenario's price year, by year of the
/// horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// What the grant is, for reports (the pool's name, the foundation's).
    pub label: String,
    /// Where the money comes from.
    pub from: Funder,
    /// The kommune's committee that receives it, when the knowledge base
    /// has committees.
    pub committee: Option<String>,
    /// The amount in each year t = 0 .. H-1 (non-negative).
    pub amounts: Vec<Decimal>,
}
