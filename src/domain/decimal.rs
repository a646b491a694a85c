//! The one exact decimal of the program: agreed targets (`soll_pct`), rounded change rates
//! (`ist`) and the tolerance are `units / 10^decimals`, so that attainment is decided
//! without binary floating point (contract 2.4).

use serde::Serialize;

/// A decimal `units / 10^decimals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Decimal {
    pub units: i128,
    pub decimals: u32,
}

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        units: 0,
        decimals: 0,
    };

    pub fn new(units: i128, decimals: u32) -> Self {
        Self { units, decimals }
    }

    /// The nearest `f64` (through the decimal text, so `2.1` is the float `2.1`).
    pub fn as_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The same value in `decimals` places (only ever widened).
    pub fn scaled(self, decimals: u32) -> i128 {
        assert!(decimals >= self.decimals);
        self.units * 10i128.pow(decimals - self.decimals)
    }

    /// Parses `1.0`, `0,5`, `-2`, up to `max_decimals` places (no grouping, no exponent).
    #[allow(clippy::cast_possible_truncation)]
    pub fn parse(text: &str, max_decimals: u32) -> Option<Self> {
        let text = text.trim();
        let (negative, body) = match text.strip_prefix(['-', '−']) {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int, frac) = body.split_once(['.', ',']).unwrap_or((body, ""));
        if (int.is_empty() && frac.is_empty())
            || (body.contains(['.', ',']) && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > max_decimals as usize
            || int.len() + frac.len() > 30
        {
            return None;
        }
        let units: i128 = format!("{int}{frac}").parse().ok()?;
        Some(Decimal {
            units: if negative { -units } else { units },
            decimals: frac.len() as u32,
        })
    }
}

impl std::fmt::Display for Decimal {
    /// Plain decimal text with `.`: `2.1`, `-0.25`, `0`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let d = self.decimals as usize;
        if d == 0 {
            return write!(f, "{sign}{digits}");
        }
        let digits = format!("{digits:0>width$}", width = d + 1);
        let (int, frac) = digits.split_at(digits.len() - d);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// The default of `--tolerance` in percentage points: a miss of at most this much is
/// "knapp verfehlt".
pub const DEFAULT_TOLERANCE: &str = "1.0";

/// clap value parser for `--tolerance`: non-negative percentage points, up to 6 decimals.
pub fn parse_tolerance_arg(text: &str) -> Result<Decimal, String> {
    Decimal::parse(text, 6)
        .filter(|d| d.units >= 0)
        .ok_or_else(|| format!("erwartet werden Prozentpunkte wie 1.0, gefunden wurde \"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Decimal::parse("1.0", 6), Some(Decimal::new(10, 1)));
        assert_eq!(Decimal::parse("0,25", 6), Some(Decimal::new(25, 2)));
        assert_eq!(Decimal::parse("2", 6), Some(Decimal::new(2, 0)));
        assert_eq!(Decimal::parse("abc", 6), None);
        assert_eq!(Decimal::parse("1.", 6), None);
        assert_eq!(Decimal::parse("0.125", 2), None);
        assert_eq!(Decimal::new(-25, 2).to_string(), "-0.25");
        assert_eq!(Decimal::new(5, 3).to_string(), "0.005");
        assert!((Decimal::new(21, 1).as_f64() - 2.1).abs() < f64::EPSILON);
    }
}
