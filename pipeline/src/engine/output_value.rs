//! 产值 (output value): the one KPI whose formula the seed documents spell out —
//! "(total repair amount − discount) ÷ tax" — read as ÷ (1 + tax rate).
//! Computed per settlement in integer fen and rounded half-to-even once, so that
//! summing a day's settlements never accumulates rounding drift.

use crate::events::{Fen, TaxRateBp};

/// Net output value of one settlement: `(gross − discount) ÷ (1 + rate)`, rounded
/// half-to-even to the fen. `gross` is labour + parts + other, tax-inclusive.
pub fn net_output_value(gross: Fen, discount: Fen, rate: TaxRateBp) -> Fen {
    let numerator = i128::from((gross - discount).0) * 10_000;
    let denominator = 10_000 + i128::from(rate.bp());
    Fen(div_round_half_even(numerator, denominator) as i64)
}

/// `n / d` rounded to the nearest integer, ties to even; `d` must be positive.
pub(crate) fn div_round_half_even(n: i128, d: i128) -> i128 {
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(bp: u32) -> TaxRateBp {
        TaxRateBp::new(bp).expect("valid rate")
    }

    #[test]
    fn worked_example_with_discount_and_thirteen_percent_vat() {
        // kpi-reference.md §4.1: (1,130.00 − 30.00) ÷ 1.13 = 973.451… → 973.45 yuan.
        assert_eq!(
            net_output_value(Fen(113_000), Fen(3_000), rate(1300)),
            Fen(97_345)
        );
    }

    #[test]
    fn no_discount_thirteen_percent() {
        // 1,130.00 ÷ 1.13 = 1,000.00 exactly.
        assert_eq!(
            net_output_value(Fen(113_000), Fen(0), rate(1300)),
            Fen(100_000)
        );
        // 500.00 ÷ 1.13 = 442.477… → 442.48.
        assert_eq!(
            net_output_value(Fen(50_000), Fen(0), rate(1300)),
            Fen(44_248)
        );
        // 0.01 ÷ 1.13 = 0.00885 → 0.01 (nearest, not truncated).
        assert_eq!(net_output_value(Fen(1), Fen(0), rate(1300)), Fen(1));
    }

    #[test]
    fn zero_rate_and_full_discount() {
        assert_eq!(
            net_output_value(Fen(12_345), Fen(345), rate(0)),
            Fen(12_000)
        );
        assert_eq!(
            net_output_value(Fen(12_345), Fen(12_345), rate(1300)),
            Fen(0)
        );
    }

    #[test]
    fn ties_round_to_even() {
        // At 100 % the division is by 2, so odd fen land exactly on .5.
        assert_eq!(net_output_value(Fen(1), Fen(0), rate(10_000)), Fen(0));
        assert_eq!(net_output_value(Fen(3), Fen(0), rate(10_000)), Fen(2));
        assert_eq!(net_output_value(Fen(5), Fen(0), rate(10_000)), Fen(2));
        assert_eq!(net_output_value(Fen(7), Fen(0), rate(10_000)), Fen(4));
    }

    #[test]
    fn six_percent_rate() {
        // 1,060.00 − 0 at 6 % = 1,000.00; 100.00 at 6 % = 94.339… → 94.34.
        assert_eq!(
            net_output_value(Fen(106_000), Fen(0), rate(600)),
            Fen(100_000)
        );
        assert_eq!(net_output_value(Fen(10_000), Fen(0), rate(600)), Fen(9_434));
    }
}
