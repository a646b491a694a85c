//! Exact arithmetic for what decides a status. Every target indicator is a ratio of
//! integer sums, so its change rate is a rational number; it is rounded and compared
//! without floating point, as the contract demands (20410/20000 − 1 is exactly 2,05 %,
//! which rounds to 2,1 %, although the `f64` result is 2,0499…).

use serde::Serialize;

use crate::load::Soll;

/// A figure's value: an exact fraction (counts, quotas, means of counts) or a float
/// (sums of euros).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Ratio { num: i128, den: i128 },
    Float(f64),
}

impl Value {
    /// `num / den`, missing when `den` is 0.
    pub fn ratio(num: i128, den: i128) -> Option<Self> {
        (den != 0).then_some(Value::Ratio { num, den })
    }

    pub fn int(n: i128) -> Self {
        Value::Ratio { num: n, den: 1 }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Value::Ratio { num, den } => num as f64 / den as f64,
            Value::Float(x) => x,
        }
    }
}

/// `pct(a, b) = (a / b − 1) × 100`; missing when `b` is 0.
pub fn pct(a: Value, b: Value) -> Option<f64> {
    if let (Value::Ratio { num: an, den: ad }, Value::Ratio { num: bn, den: bd }) = (a, b) {
        if bn == 0 {
            return None;
        }
        // a/b − 1 = (an·bd − bn·ad) / (ad·bn)
        let num = (an * bd - bn * ad) * 100;
        let den = ad * bn;
        Some(num as f64 / den as f64)
    } else {
        let (a, b) = (a.as_f64(), b.as_f64());
        (b != 0.0).then(|| (a / b - 1.0) * 100.0)
    }
}

/// A decimal `units / 10^decimals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decimal {
    pub units: i128,
    pub decimals: u32,
}

impl Decimal {
    pub fn as_f64(self) -> f64 {
        self.units as f64 / 10f64.powi(self.decimals as i32)
    }

    /// The same value in `decimals` places (only ever widened).
    fn scaled(self, decimals: u32) -> i128 {
        assert!(decimals >= self.decimals);
        self.units * 10i128.pow(decimals - self.decimals)
    }
}

impl From<Soll> for Decimal {
    fn from(s: Soll) -> Self {
        Decimal {
            units: i128::from(s.units),
            decimals: s.decimals,
        }
    }
}

/// Parses a tolerance like `1.0` or `0,5` (percentage points), up to 6 decimals.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim().replace(',', ".");
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 6
    {
        return None;
    }
    let units: i128 = format!("{int}{frac}").parse().ok()?;
    Some(Decimal {
        units: if negative { -units } else { units },
        decimals: frac.len() as u32,
    })
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

/// The change `pct(a, b)` rounded, halves away from zero, to `decimals` places; exact for
/// ratios, and for floats decided on the shortest decimal that prints the float.
pub fn rounded_pct(a: Value, b: Value, decimals: u32) -> Option<Decimal> {
    let scale = 10i128.pow(decimals);
    if let (Value::Ratio { num: an, den: ad }, Value::Ratio { num: bn, den: bd }) = (a, b) {
        if bn == 0 {
            return None;
        }
        let num = (an * bd - bn * ad) * 100 * scale;
        let den = ad * bn;
        Some(Decimal {
            units: div_round_half_away(num, den),
            decimals,
        })
    } else {
        let x = pct(a, b)?;
        // The shortest representation of the float is the decimal it stands for.
        let exact = parse_decimal(&format!("{x:.9}"))?;
        let units = div_round_half_away(exact.units * scale, 10i128.pow(exact.decimals));
        Some(Decimal { units, decimals })
    }
}

/// Outcome of one target indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    KeinZiel,
    KeineDaten,
    Erreicht,
    KnappVerfehlt,
    Verfehlt,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::KeinZiel => "kein_ziel",
            Status::KeineDaten => "keine_daten",
            Status::Erreicht => "erreicht",
            Status::KnappVerfehlt => "knapp_verfehlt",
            Status::Verfehlt => "verfehlt",
        }
    }
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
    let common = decimals.max(tolerance.decimals);
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

    #[test]
    fn tolerance_parses() {
        assert_eq!(parse_decimal("1.0"), Some(dec(10, 1)));
        assert_eq!(parse_decimal("0,25"), Some(dec(25, 2)));
        assert_eq!(parse_decimal("2"), Some(dec(2, 0)));
        assert_eq!(parse_decimal("abc"), None);
    }
}
