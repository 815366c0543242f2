//! Money in integer minor units (分, fen) and tax rates in basis points. No floats
//! anywhere on the money path: 0.1 + 0.2 must not become anyone's output value.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Largest single amount an event may carry: 100 million yuan, far above any real
/// repair order, small enough that sums over years of events cannot overflow `i64`.
pub const MAX_EVENT_AMOUNT_FEN: i64 = 10_000_000_000;

/// An amount of money in fen (1 yuan = 100 fen). Signed, because sums and
/// reversals can be negative; event fields use [`Amount`], which is not, or
/// [`InvoiceAmount`] on a settlement.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}

impl AddAssign for Fen {
    fn add_assign(&mut self, rhs: Fen) {
        self.0 += rhs.0;
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}

impl fmt::Display for Fen {
    /// Yuan with two decimals, e.g. `973.45`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A non-negative amount carried by an event, at most [`MAX_EVENT_AMOUNT_FEN`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Amount(i64);

impl Amount {
    /// Validates an amount in fen.
    pub fn new(fen: i64) -> Result<Self, String> {
        if fen < 0 {
            Err(format!("amount {fen} fen is negative"))
        } else if fen > MAX_EVENT_AMOUNT_FEN {
            Err(format!(
                "amount {fen} fen exceeds the limit of {MAX_EVENT_AMOUNT_FEN} fen"
            ))
        } else {
            Ok(Self(fen))
        }
    }
    /// The amount as signed fen, for arithmetic.
    pub fn fen(self) -> Fen {
        Fen(self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Amount::new(i64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An amount on an invoice: non-negative on an invoice, non-positive on a
/// red-letter invoice (红字发票) that reverses one — China's VAT rules allow
/// no edit of an issued invoice, so a correction is a reversal and a new
/// invoice. At most [`MAX_EVENT_AMOUNT_FEN`] either way; that an invoice's
/// amounts share one sign is checked with the whole settlement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct InvoiceAmount(i64);

impl InvoiceAmount {
    /// Validates an amount in fen.
    pub fn new(fen: i64) -> Result<Self, String> {
        if fen.unsigned_abs() > MAX_EVENT_AMOUNT_FEN.unsigned_abs() {
            Err(format!(
                "amount {fen} fen exceeds the limit of ±{MAX_EVENT_AMOUNT_FEN} fen"
            ))
        } else {
            Ok(Self(fen))
        }
    }
    /// The amount as signed fen, for arithmetic.
    pub fn fen(self) -> Fen {
        Fen(self.0)
    }
}

impl<'de> Deserialize<'de> for InvoiceAmount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        InvoiceAmount::new(i64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A tax (VAT) rate in basis points: 1300 = 13 %. Between 0 and 10000 (100 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TaxRateBp(u16);

impl TaxRateBp {
    /// Validates a rate in basis points.
    pub fn new(bp: u32) -> Result<Self, String> {
        u16::try_from(bp)
            .ok()
            .filter(|bp| *bp <= 10_000)
            .map(Self)
            .ok_or_else(|| format!("tax rate {bp} bp is outside 0..=10000 (0 % to 100 %)"))
    }
    /// The rate in basis points.
    pub fn bp(self) -> u16 {
        self.0
    }
}

impl<'de> Deserialize<'de> for TaxRateBp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TaxRateBp::new(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_displays_as_yuan() {
        assert_eq!(Fen(97345).to_string(), "973.45");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(-120).to_string(), "-1.20");
    }

    #[test]
    fn amounts_and_rates_are_bounded() {
        assert!(Amount::new(-1).is_err());
        assert!(Amount::new(MAX_EVENT_AMOUNT_FEN + 1).is_err());
        assert_eq!(Amount::new(0).map(Amount::fen), Ok(Fen(0)));
        assert_eq!(InvoiceAmount::new(-1).map(InvoiceAmount::fen), Ok(Fen(-1)));
        assert!(InvoiceAmount::new(-MAX_EVENT_AMOUNT_FEN - 1).is_err());
        assert!(InvoiceAmount::new(MAX_EVENT_AMOUNT_FEN + 1).is_err());
        assert!(TaxRateBp::new(10_001).is_err());
        assert_eq!(TaxRateBp::new(1300).map(TaxRateBp::bp), Ok(1300));
    }
}
