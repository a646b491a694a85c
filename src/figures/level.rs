//! Shown levels (contract 2.6, v4): the one place that decides how a target's level, the
//! Ist beside it and a still-needed amount are rounded for a page, so that the report,
//! the overview and the agreement never show a level, an Ist and a status that contradict
//! each other.
//!
//! A target is met when the change `pct(x, base)`, rounded to the Soll's decimals, reaches
//! `soll_pct` ([`exact::attainment`]). The level at which this flips is the threshold
//! `base × (1 + T/100)` with the threshold change `T` ([`exact::threshold`]). A level is
//! shown as that threshold rounded to the shown precision towards the side that meets the
//! target: the smallest number at that precision that meets it where higher is better, the
//! largest where lower is better. Whether a number meets it is always decided by the same
//! rule as the status, so the boundary itself (which meets for some targets and not for
//! others, as the rounding goes halves away from zero) is never guessed.

use super::exact::{self, Value};
use crate::domain::{Decimal, Status};

/// Whether a figure whose value is `x` meets the target `soll` against `base` — the
/// status rule of contract 2.4; `None` where the change is missing (`base` is 0).
pub fn meets(soll: Decimal, x: Value, base: Value, higher_is_better: bool) -> Option<bool> {
    let (ist, status) = exact::attainment(
        Some(soll),
        Some(x),
        Some(base),
        higher_is_better,
        Decimal::ZERO,
    );
    ist.map(|_| status == Status::Erreicht)
}

/// Whether the values that meet the target lie above the threshold (`true`) or below it.
/// For a negative `base` the change falls as the value rises, so the side turns.
fn meets_above(base: Value, higher_is_better: bool) -> bool {
    higher_is_better == (base.num > 0)
}

/// `⌊v · 10^decimals⌋` as units of a decimal.
fn floor_units(v: Value, decimals: u32) -> Option<i128> {
    let scaled = v.num.checked_mul(10i128.checked_pow(decimals)?)?;
    Some(scaled.div_euclid(v.den))
}

/// The exact threshold level `base × (1 + T/100)`: the `soll_wert` of contract 2.6.
pub fn threshold_level(base: Value, soll: Decimal, higher_is_better: bool) -> Option<Value> {
    base.checked_mul(Value::threshold_growth(soll, higher_is_better)?)
}

/// The level shown at `decimals` places: the threshold rounded towards the side that meets
/// the target — for a whole count (`decimals` 0) the smallest whole number that meets it
/// where higher is better, the largest where lower is better. `None` where no value can
/// meet it: against a `base` of 0 no change can be computed (status `keine_daten`).
pub fn shown_level(
    base: Value,
    soll: Decimal,
    higher_is_better: bool,
    decimals: u32,
) -> Option<Decimal> {
    if base.num == 0 {
        return None;
    }
    let level = threshold_level(base, soll, higher_is_better)?;
    let up = meets_above(base, higher_is_better);
    let scale = 10i128.checked_pow(decimals)?;
    let at = |units: i128| Value::ratio(units, scale);
    let floor = floor_units(level, decimals)?;
    // The two grid points around the threshold; one beyond them always meets.
    let candidates = if up {
        [floor, floor.checked_add(1)?, floor.checked_add(2)?]
    } else {
        let ceil = if at(floor)? == level {
            floor
        } else {
            floor.checked_add(1)?
        };
        [ceil, ceil.checked_sub(1)?, ceil.checked_sub(2)?]
    };
    for units in candidates {
        if meets(soll, at(units)?, base, higher_is_better)? {
            return Some(Decimal::new(units, decimals));
        }
    }
    None
}

/// A level and the Ist beside it, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub level: Decimal,
    pub ist: Decimal,
}

/// The level of `soll` against `base` and the value `wert` beside it, both at `decimals`
/// places — or, where the rounded Ist would contradict the status (equal to the level, or
/// on the wrong side of it), at one more decimal, and so on up to three more.
pub fn shown_with_ist(
    wert: Value,
    base: Value,
    soll: Decimal,
    higher_is_better: bool,
    decimals: u32,
) -> Option<Shown> {
    let met = meets(soll, wert, base, higher_is_better);
    let mut shown = None;
    for d in decimals..=decimals + 3 {
        let level = shown_level(base, soll, higher_is_better, d)?;
        let ist = exact::round(wert, d)?;
        shown = Some(Shown { level, ist });
        let Some(met) = met else { break };
        let on_meeting_side = if meets_above(base, higher_is_better) {
            ist.units >= level.units
        } else {
            ist.units <= level.units
        };
        if on_meeting_side == met {
            break;
        }
    }
    shown
}

/// Whether the threshold level itself meets the target: a change of exactly `T` rounds,
/// halves away from zero, to `soll_pct` only when it lies on the side of zero the target
/// points to (`T > 0` where higher is better, `T < 0` where lower is better).
pub fn threshold_meets(soll: Decimal, higher_is_better: bool) -> bool {
    exact::threshold(soll, higher_is_better).is_some_and(|t| {
        if higher_is_better {
            t.units > 0
        } else {
            t.units < 0
        }
    })
}

/// A still-needed amount `need` shown as a whole number that agrees with the status: the
/// smallest whole number that reaches the threshold (`at_least`, e.g. integrations still
/// needed) or the largest that stays within it (a ceiling, e.g. the highest mean stock the
/// remaining months may have), where `need` is the exact amount at the threshold itself.
pub fn whole_amount(need: Value, soll: Decimal, higher_is_better: bool, at_least: bool) -> i128 {
    let floor = need.num.div_euclid(need.den);
    let exact_whole = need.den == 1;
    let inclusive = threshold_meets(soll, higher_is_better);
    match (at_least, exact_whole) {
        (true, true) => floor + i128::from(!inclusive),
        (true, false) => floor + 1,
        (false, true) => floor - i128::from(!inclusive),
        (false, false) => floor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(units: i128, decimals: u32) -> Decimal {
        Decimal::new(units, decimals)
    }

    fn int(n: i128) -> Value {
        Value::int(n)
    }

    #[test]
    fn thresholds_by_direction_and_decimals() {
        // +2,1 % higher is better: T = 2,1 − 0,05 = 2,05.
        assert_eq!(exact::threshold(dec(21, 1), true), Some(dec(205, 2)));
        // 0 (no decimals written: one decimal) lower is better: T = +0,05.
        assert_eq!(exact::threshold(dec(0, 0), false), Some(dec(5, 2)));
        // −0,25 % lower is better: T = −0,25 + 0,005 = −0,245.
        assert_eq!(exact::threshold(dec(-25, 2), false), Some(dec(-245, 3)));
        // +4 higher is better: T = 4,0 − 0,05 = 3,95.
        assert_eq!(exact::threshold(dec(4, 0), true), Some(dec(395, 2)));
    }

    #[test]
    fn count_level_is_the_smallest_number_that_meets() {
        // Soll +2,1 %, Vorjahr 4.899: 4.899 × 1,0205 = 4.999,4295; 5.000 is +2,0617 % →
        // +2,1 % → met, 4.999 is +2,0412 % → +2,0 % → missed: the level is 5.000 (v3 showed
        // 4.899 × 1,021 = 5.001,9 → 5.002).
        let base = int(4899);
        assert_eq!(
            threshold_level(base, dec(21, 1), true),
            Value::ratio(49_994_295, 10_000)
        );
        assert_eq!(shown_level(base, dec(21, 1), true, 0), Some(dec(5000, 0)));
        assert_eq!(meets(dec(21, 1), int(5000), base, true), Some(true));
        assert_eq!(meets(dec(21, 1), int(4999), base, true), Some(false));
    }

    #[test]
    fn lower_is_better_level_is_the_largest_number_that_meets() {
        // K3 Vorjahr 7.059, Soll 0,0 %: T = +0,05 %, 7.059 × 1,0005 = 7.062,5295; 7.062 is
        // +0,0425 % → 0,0 % → met; 7.063 is +0,0567 % → +0,1 % → missed. So „höchstens
        // 7.062“, never below the Vorjahr for a 0,0 % target (v3 showed 7.058).
        let base = int(7059);
        assert_eq!(shown_level(base, dec(0, 1), false, 0), Some(dec(7062, 0)));
        assert_eq!(meets(dec(0, 1), int(7063), base, false), Some(false));
        // Soll −1,0 %, Vorjahr 1.000: T = −0,95 %, level 990,5; 990 (−1,0 %) meets, 991
        // (−0,9 %) does not.
        assert_eq!(
            shown_level(int(1000), dec(-10, 1), false, 0),
            Some(dec(990, 0))
        );
    }

    #[test]
    fn boundary_that_rounds_away_from_zero_does_not_meet() {
        // Soll 0,0 % higher is better, Vorjahr 2.000: T = −0,05 %, threshold exactly 1.999;
        // 1.999 is −0,05 % → rounds (away from zero) to −0,1 % → missed; so 2.000.
        let base = int(2000);
        assert_eq!(threshold_level(base, dec(0, 1), true), Some(int(1999)));
        assert_eq!(meets(dec(0, 1), int(1999), base, true), Some(false));
        assert_eq!(shown_level(base, dec(0, 1), true, 0), Some(dec(2000, 0)));
        // Soll +1,0 % higher is better, Vorjahr 2.000: threshold 2.019 exactly (+0,95 % →
        // +1,0 %) meets and is shown.
        assert_eq!(shown_level(base, dec(10, 1), true, 0), Some(dec(2019, 0)));
        assert!(threshold_meets(dec(10, 1), true));
        assert!(!threshold_meets(dec(0, 1), true));
        assert!(!threshold_meets(dec(0, 1), false));
        assert!(threshold_meets(dec(-10, 1), false));
    }

    #[test]
    fn quota_level_with_two_decimals() {
        // Quota Vorjahr 42,1, Soll +2,15 % (two decimals): T = 2,145 %, threshold
        // 42,1 × 1,02145 = 43,003045 → smallest quota at two decimals meeting it: 43,01.
        let base = Value::ratio(421, 10).unwrap();
        assert_eq!(shown_level(base, dec(215, 2), true, 2), Some(dec(4301, 2)));
        // A value of 43,004 is +2,1473 % → +2,15 % → met, but at two places it reads 43,00
        // below the level 43,01: both are shown with three (43,004 and 43,004).
        let wert = Value::ratio(43_004, 1000).unwrap();
        assert_eq!(meets(dec(215, 2), wert, base, true), Some(true));
        assert_eq!(
            shown_with_ist(wert, base, dec(215, 2), true, 2),
            Some(Shown {
                level: dec(43_004, 3),
                ist: dec(43_004, 3)
            })
        );
    }

    #[test]
    fn equal_shown_ist_and_level_get_one_more_decimal() {
        // Vorjahr quota 40, Soll +7,5 %: T = 7,45 %, threshold 42,98; at one decimal the
        // level is 43,0. A value of 42,97 is +7,425 % → +7,4 % → missed, but is shown 43,0
        // too: both are then shown with two decimals (42,98 and 42,97).
        let base = int(40);
        let soll = dec(75, 1);
        let wert = Value::ratio(4297, 100).unwrap();
        assert_eq!(meets(soll, wert, base, true), Some(false));
        assert_eq!(shown_level(base, soll, true, 1), Some(dec(430, 1)));
        assert_eq!(
            shown_with_ist(wert, base, soll, true, 1),
            Some(Shown {
                level: dec(4298, 2),
                ist: dec(4297, 2)
            })
        );
        // 42,98 meets (exactly +7,45 % → +7,5 %): at one decimal 43,0 and 43,0 with the
        // status met — consistent, one decimal stays.
        let wert = Value::ratio(4298, 100).unwrap();
        assert_eq!(
            shown_with_ist(wert, base, soll, true, 1),
            Some(Shown {
                level: dec(430, 1),
                ist: dec(430, 1)
            })
        );
    }

    #[test]
    fn ist_on_the_wrong_side_gets_more_decimals() {
        let r = |n, d| Value::ratio(n, d).unwrap();
        // Lower is better, mean Vorjahr 1.000, Soll −1,0 %: T = −0,95 %, threshold 990,5,
        // which meets (−0,95 % → −1,0 %); 991 (−0,9 %) does not: „höchstens 990“. A mean of
        // 990,5 is met but reads 991 at no decimals: both are shown with one (990,5).
        let base = int(1000);
        let soll = dec(-10, 1);
        let s = shown_with_ist(r(1981, 2), base, soll, false, 0).unwrap();
        assert_eq!((s.level, s.ist), (dec(9905, 1), dec(9905, 1)));
        // A mean of 990,4 reads 990 beside 990, met: consistent at no decimals.
        let s = shown_with_ist(r(9904, 10), base, soll, false, 0).unwrap();
        assert_eq!((s.level, s.ist), (dec(990, 0), dec(990, 0)));
        // Soll 0,0 %: threshold 1.000,5 misses (+0,05 % → +0,1 %); a mean of 1.000,5 reads
        // 1.001 beside „höchstens 1.000“, missed: consistent.
        let s = shown_with_ist(r(2001, 2), base, dec(0, 1), false, 0).unwrap();
        assert_eq!((s.level, s.ist), (dec(1000, 0), dec(1001, 0)));
    }

    #[test]
    fn whole_amounts_agree_with_the_threshold() {
        let r = |n, d| Value::ratio(n, d).unwrap();
        // 175,04 integrations still needed → 176; exactly 175 with an inclusive threshold → 175.
        assert_eq!(whole_amount(r(17504, 100), dec(21, 1), true, true), 176);
        assert_eq!(whole_amount(int(175), dec(21, 1), true, true), 175);
        // Soll 0,0 higher is better: the threshold itself misses, so one more.
        assert_eq!(whole_amount(int(175), dec(0, 1), true, true), 176);
        // Ceilings: 598,4 → 598; exactly 598 with Soll 0,0 (lower: misses) → 597.
        assert_eq!(whole_amount(r(5984, 10), dec(0, 1), false, false), 598);
        assert_eq!(whole_amount(int(598), dec(0, 1), false, false), 597);
        assert_eq!(whole_amount(int(598), dec(-10, 1), false, false), 598);
    }

    #[test]
    fn no_change_without_base() {
        assert_eq!(meets(dec(21, 1), int(5), int(0), true), None);
        assert_eq!(shown_level(int(0), dec(21, 1), true, 0), None);
        assert_eq!(shown_with_ist(int(5), int(0), dec(21, 1), true, 0), None);
    }
}
