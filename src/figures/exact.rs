//! Exact arithmetic for what decides a status. Every figure is a ratio of integer sums
//! (counts, or euros in millionths), so its change rate is a rational number; it is rounded and
//! compared without floating point, as the contract demands (20410/20000 − 1 is exactly
//! 2,05 %, which rounds to 2,1 %, although the `f64` result is 2,0499…). The Zielpfad is
//! computed with the same rationals, so a still-needed amount of zero is exactly zero.

use crate::domain::{Decimal, Status};

/// A figure's value: the exact fraction `num / den` (den > 0, reduced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub num: i128,
    pub den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Value {
    /// `num / den`, missing when `den` is 0 (or the numbers are too large).
    pub fn ratio(num: i128, den: i128) -> Option<Self> {
        if den == 0 {
            return None;
        }
        let (num, den) = if den < 0 {
            (num.checked_neg()?, den.checked_neg()?)
        } else {
            (num, den)
        };
        let g = gcd(num, den);
        Some(Value {
            num: num / g,
            den: den / g,
        })
    }

    pub fn int(n: i128) -> Self {
        Value { num: n, den: 1 }
    }

    /// Euros from a sum of millionths of a euro.
    pub fn money(units: i128) -> Self {
        Value::ratio(units, crate::domain::MONEY_SCALE).expect("non-zero denominator")
    }

    /// The nearest `f64`, up to one rounding of each part.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        let x = self.num as f64 / self.den as f64;
        if x == 0.0 { 0.0 } else { x }
    }

    pub fn checked_add(self, o: Value) -> Option<Value> {
        let num = self
            .num
            .checked_mul(o.den)?
            .checked_add(o.num.checked_mul(self.den)?)?;
        Value::ratio(num, self.den.checked_mul(o.den)?)
    }

    pub fn checked_sub(self, o: Value) -> Option<Value> {
        self.checked_add(Value {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }

    pub fn checked_mul(self, o: Value) -> Option<Value> {
        let g1 = gcd(self.num, o.den);
        let g2 = gcd(o.num, self.den);
        Value::ratio(
            (self.num / g1).checked_mul(o.num / g2)?,
            (self.den / g2).checked_mul(o.den / g1)?,
        )
    }

    pub fn checked_div(self, o: Value) -> Option<Value> {
        if o.num == 0 {
            return None;
        }
        self.checked_mul(Value {
            num: o.den,
            den: o.num,
        })
    }

    /// `1 + soll/100` for an agreed change in percent.
    pub fn growth(soll: Decimal) -> Option<Value> {
        let scale = 10i128.checked_pow(soll.decimals)?.checked_mul(100)?;
        Value::ratio(scale.checked_add(soll.units)?, scale)
    }

    /// `1 + T/100` for the threshold change `T` of an agreed change (contract 2.6, v4).
    pub fn threshold_growth(soll: Decimal, higher_is_better: bool) -> Option<Value> {
        Value::growth(threshold(soll, higher_is_better)?)
    }
}

/// The decimals the Ist of a target is rounded to (contract 2.4): those written in
/// `soll_pct`, one at least, two at most.
pub fn soll_decimals(soll: Decimal) -> u32 {
    soll.decimals.clamp(1, 2)
}

/// The threshold change `T` in percent (contract 2.6, v4): the change at which the status
/// flips, half a unit of the Soll's last decimal (`h = 0.5 × 10^−d`) below `soll_pct`
/// where higher is better and above it where lower is better. Exact: `+2,1` gives `2.05`,
/// `0` (lower is better) gives `0.05`, `−0,25` (lower is better) gives `−0.245`.
pub fn threshold(soll: Decimal, higher_is_better: bool) -> Option<Decimal> {
    // h = 5 units in the place after the d-th decimal.
    let places = (soll_decimals(soll) + 1).max(soll.decimals);
    let units = soll
        .units
        .checked_mul(10i128.checked_pow(places - soll.decimals)?)?;
    let h = 5 * 10i128.checked_pow(places - soll_decimals(soll) - 1)?;
    let units = if higher_is_better {
        units.checked_sub(h)?
    } else {
        units.checked_add(h)?
    };
    Some(Decimal::new(units, places))
}

/// `pct(a, b) = (a / b − 1) × 100`; missing when `b` is 0.
pub fn pct_value(a: Value, b: Value) -> Option<Value> {
    a.checked_div(b)?
        .checked_sub(Value::int(1))?
        .checked_mul(Value::int(100))
}

/// `pct(a, b)` as a float.
pub fn pct(a: Value, b: Value) -> Option<f64> {
    pct_value(a, b).map(Value::as_f64)
}

/// Divides and rounds halves away from zero.
fn div_round_half_away(num: i128, den: i128) -> i128 {
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// A value rounded, halves away from zero, to `decimals` places (exact).
pub fn round(v: Value, decimals: u32) -> Option<Decimal> {
    let scale = 10i128.checked_pow(decimals)?;
    Some(Decimal {
        units: div_round_half_away(v.num.checked_mul(scale)?, v.den),
        decimals,
    })
}

/// The change `pct(a, b)` rounded, halves away from zero, to `decimals` places; exact.
pub fn rounded_pct(a: Value, b: Value, decimals: u32) -> Option<Decimal> {
    round(pct_value(a, b)?, decimals)
}

/// Attainment per contract 2.4: `ist` is rounded to the decimals of `soll` (at least one,
/// at most two) and compared with `soll`; a miss of at most `tolerance` percentage points
/// is `knapp_verfehlt`.
pub fn attainment(
    soll: Option<Decimal>,
    wert: Option<Value>,
    vorjahr: Option<Value>,
    higher_is_better: bool,
    tolerance: Decimal,
) -> (Option<Decimal>, Status) {
    let Some(soll) = soll else {
        let ist = wert.zip(vorjahr).and_then(|(a, b)| rounded_pct(a, b, 1));
        return (ist, Status::KeinZiel);
    };
    let decimals = soll.decimals.clamp(1, 2);
    let Some(ist) = wert
        .zip(vorjahr)
        .and_then(|(a, b)| rounded_pct(a, b, decimals))
    else {
        return (None, Status::KeineDaten);
    };
    let common = decimals.max(tolerance.decimals).max(soll.decimals);
    let (ist_u, soll_u, tol_u) = (
        ist.scaled(common),
        soll.scaled(common),
        tolerance.scaled(common),
    );
    // How far the target is missed; ≤ 0 means met.
    let shortfall = if higher_is_better {
        soll_u - ist_u
    } else {
        ist_u - soll_u
    };
    let status = if shortfall <= 0 {
        Status::Erreicht
    } else if shortfall <= tol_u {
        Status::KnappVerfehlt
    } else {
        Status::Verfehlt
    };
    (Some(ist), status)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: Decimal = Decimal {
        units: 10,
        decimals: 1,
    };

    fn dec(units: i128, decimals: u32) -> Decimal {
        Decimal { units, decimals }
    }

    #[test]
    fn exact_half_rounds_away_from_zero() {
        // 20410 / 20000 − 1 = 0.0205 exactly → 2,05 % → 2,1 % (a float says 2,0499…).
        let a = Value::int(20410);
        let b = Value::int(20000);
        let naive = std::hint::black_box(20410.0_f64) / 20000.0 - 1.0;
        assert!(naive * 100.0 < 2.05, "the float trap this guards against");
        assert_eq!(rounded_pct(a, b, 1), Some(dec(21, 1)));
        // 19590 / 20000 − 1 = −2,05 % → −2,1 %.
        assert_eq!(rounded_pct(Value::int(19590), b, 1), Some(dec(-21, 1)));
        // 2 decimals: 100 003 / 80 000 − 1 = 25,00375 % → 25,00 %.
        assert_eq!(
            rounded_pct(Value::int(100_003), Value::int(80_000), 2),
            Some(dec(2500, 2))
        );
    }

    #[test]
    fn ratios_compare_exactly() {
        // K2 this year 100·3·300/3000 = 30 (ratio 90000/3000), last year 100·3·250/2600.
        // 30 / 28,846… − 1 = 4 % exactly: (300·2600)/(250·3000) = 780000/750000 = 1,04.
        let a = Value::ratio(100 * 3 * 300, 3000).unwrap();
        let b = Value::ratio(100 * 3 * 250, 2600).unwrap();
        assert_eq!(rounded_pct(a, b, 1), Some(dec(40, 1)));
        let (ist, status) = attainment(Some(dec(40, 1)), Some(a), Some(b), true, TOL);
        assert_eq!((ist, status), (Some(dec(40, 1)), Status::Erreicht));
    }

    #[test]
    fn money_in_cents_is_exact() {
        // 0,10 € + 0,20 € = 0,30 € exactly (a float sum gives 0,30000000000000004).
        let sum = Value::money(100_000)
            .checked_add(Value::money(200_000))
            .unwrap();
        assert_eq!(sum, Value::money(300_000));
        assert_eq!(sum.as_f64().to_string(), "0.3");
        // 1 + 2,1/100 = 1021/1000.
        assert_eq!(Value::growth(dec(21, 1)), Value::ratio(1021, 1000));
    }

    #[test]
    fn zero_denominator_is_missing() {
        assert_eq!(pct(Value::int(5), Value::int(0)), None);
        assert_eq!(Value::ratio(5, 0), None);
    }

    #[test]
    fn status_bands_with_inclusive_tolerance() {
        let b = Value::int(1000);
        let soll = Some(dec(21, 1)); // +2,1 %
        // 1021 → +2,1 % met; 1011 → +1,1 % missed by exactly 1,0 → knapp; 1010 → +1,0 % verfehlt.
        assert_eq!(
            attainment(soll, Some(Value::int(1021)), Some(b), true, TOL).1,
            Status::Erreicht
        );
        assert_eq!(
            attainment(soll, Some(Value::int(1011)), Some(b), true, TOL).1,
            Status::KnappVerfehlt
        );
        assert_eq!(
            attainment(soll, Some(Value::int(1010)), Some(b), true, TOL).1,
            Status::Verfehlt
        );
        // Lower is better, soll 0,0: 1005 → +0,5 % knapp; 1000 → 0,0 % met; 1011 → verfehlt.
        let soll0 = Some(dec(0, 1));
        assert_eq!(
            attainment(soll0, Some(Value::int(1005)), Some(b), false, TOL).1,
            Status::KnappVerfehlt
        );
        assert_eq!(
            attainment(soll0, Some(Value::int(1000)), Some(b), false, TOL).1,
            Status::Erreicht
        );
        assert_eq!(
            attainment(soll0, Some(Value::int(1011)), Some(b), false, TOL).1,
            Status::Verfehlt
        );
        // Soll "0" (no decimals written) still rounds ist to one decimal: −0,04 % → −0,0 → met.
        assert_eq!(
            attainment(
                Some(dec(0, 0)),
                Some(Value::int(99_996)),
                Some(Value::int(100_000)),
                true,
                TOL
            ),
            (Some(dec(0, 1)), Status::Erreicht)
        );
        assert_eq!(
            attainment(soll, None, Some(b), true, TOL),
            (None, Status::KeineDaten)
        );
        assert_eq!(
            attainment(None, Some(b), Some(b), true, TOL).1,
            Status::KeinZiel
        );
    }

    #[test]
    fn two_decimal_targets_round_to_two() {
        // soll −0,25; 99 745 / 100 000 − 1 = −0,255 % → −0,26 % ≤ −0,25 → met (lower is better).
        let (ist, status) = attainment(
            Some(dec(-25, 2)),
            Some(Value::int(99_745)),
            Some(Value::int(100_000)),
            false,
            TOL,
        );
        assert_eq!(ist, Some(dec(-26, 2)));
        assert_eq!(status, Status::Erreicht);
    }
}
