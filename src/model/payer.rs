//! Public payers and amounts split between them.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{CalcError, Checked};

/// A public payer. SØM splits every cost and every gain between the three
/// levels of Danish government, after refunds (refusion) between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Payer {
    /// The municipality (kommune).
    Kommune,
    /// The region (region): hospitals, psychiatry, general practice.
    Region,
    /// The state (stat).
    Stat,
}

impl Payer {
    /// All payers in reporting order.
    pub const ALL: [Payer; 3] = [Payer::Kommune, Payer::Region, Payer::Stat];

    /// The payer's id as used in files and reports.
    ///
    /// ```
    /// assert_eq!(som::Payer::Region.id(), "region");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Payer::Kommune => "kommune",
            Payer::Region => "region",
            Payer::Stat => "stat",
        }
    }
}

impl fmt::Display for Payer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An amount split between kommune, region and stat.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::{Payer, PayerAmounts};
/// let mut a = PayerAmounts::ZERO;
/// a.add_to(Payer::Stat, Decimal::from(5)).unwrap();
/// assert_eq!(a.total().unwrap(), Decimal::from(5));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerAmounts {
    /// The municipality's part.
    pub kommune: Decimal,
    /// The region's part.
    pub region: Decimal,
    /// The state's part.
    pub stat: Decimal,
}

impl PayerAmounts {
    /// Zero for every payer.
    pub const ZERO: PayerAmounts = PayerAmounts {
        kommune: Decimal::ZERO,
        region: Decimal::ZERO,
        stat: Decimal::ZERO,
    };

    /// The part of one payer.
    pub fn get(&self, payer: Payer) -> Decimal {
        match payer {
            Payer::Kommune => self.kommune,
            Payer::Region => self.region,
            Payer::Stat => self.stat,
        }
    }

    /// A mutable reference to the part of one payer.
    pub fn get_mut(&mut self, payer: Payer) -> &mut Decimal {
        match payer {
            Payer::Kommune => &mut self.kommune,
            Payer::Region => &mut self.region,
            Payer::Stat => &mut self.stat,
        }
    }

    /// The sum over the three payers.
    pub fn total(&self) -> Result<Decimal, CalcError> {
        self.kommune
            .plus(self.region, "total over payers")?
            .plus(self.stat, "total over payers")
    }

    /// Adds `amount` to one payer's part.
    pub fn add_to(&mut self, payer: Payer, amount: Decimal) -> Result<(), CalcError> {
        let slot = self.get_mut(payer);
        *slot = slot.plus(amount, "sum by payer")?;
        Ok(())
    }

    /// Applies a checked operation to each payer's part.
    pub fn try_map(
        &self,
        mut f: impl FnMut(Decimal) -> Result<Decimal, CalcError>,
    ) -> Result<PayerAmounts, CalcError> {
        Ok(PayerAmounts {
            kommune: f(self.kommune)?,
            region: f(self.region)?,
            stat: f(self.stat)?,
        })
    }

    /// Combines two splits payer by payer with a checked operation.
    pub fn try_zip(
        &self,
        other: &PayerAmounts,
        mut f: impl FnMut(Decimal, Decimal) -> Result<Decimal, CalcError>,
    ) -> Result<PayerAmounts, CalcError> {
        Ok(PayerAmounts {
            kommune: f(self.kommune, other.kommune)?,
            region: f(self.region, other.region)?,
            stat: f(self.stat, other.stat)?,
        })
    }

    /// Payer-by-payer sum.
    pub fn plus(
        &self,
        other: &PayerAmounts,
        step: &'static str,
    ) -> Result<PayerAmounts, CalcError> {
        self.try_zip(other, |a, b| a.plus(b, step))
    }
}
