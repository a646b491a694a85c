//! How a figure's values are printed in a report, and the status symbols. The names and
//! phrases of the figures and the status words stand in `templates/texte/kennzahlen.toml`
//! ([`crate::texte::Kennzahlnamen`]).

use crate::domain::{Formula, Kind};
use crate::figures::{Decimal, Kennzahl, Status, Value, exact};
use crate::format::{self, KA};

/// How a figure's values are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// Whole numbers (sums and stocks).
    Count,
    /// Mean stocks, whole numbers.
    Mean,
    /// Quotas in percent, two decimals.
    Quota,
    /// Shares in percent, two decimals (as the agreement states their levels).
    Share,
    /// Euros, short.
    Money,
}

impl Fmt {
    /// How the values of `k` are printed, by its formula.
    pub fn of(k: Kennzahl) -> Self {
        match k.formula() {
            Formula::Sum(c) if c.kind() == Kind::Money => Fmt::Money,
            Formula::Sum(_) | Formula::Stock(_) | Formula::StockDec(_) => Fmt::Count,
            Formula::Mean(_) => Fmt::Mean,
            Formula::Quota { .. } => Fmt::Quota,
            Formula::Share { .. } => Fmt::Share,
        }
    }

    /// The decimals a value or level of this kind is shown with in every document
    /// (reports, overview, agreements, the page of changes): counts, means and euros whole,
    /// quotas and shares with two — one rule, so that the agreement's 42,56 % is not the
    /// report's 42,6 %.
    pub fn places(self) -> u32 {
        match self {
            Fmt::Count | Fmt::Mean | Fmt::Money => 0,
            Fmt::Quota | Fmt::Share => 2,
        }
    }
}

/// A value as printed everywhere in a report (rounded on the exact value).
pub fn value_text(fmt: Fmt, v: Option<Value>) -> String {
    let Some(v) = v else { return KA.to_string() };
    let exact = |decimals: u32| {
        exact::round(v, decimals).map_or_else(
            || format::number(v.as_f64(), decimals as usize),
            |d| format::decimal(d, decimals as usize),
        )
    };
    match fmt {
        Fmt::Count | Fmt::Mean => exact(fmt.places()),
        Fmt::Quota | Fmt::Share => format!("{}{}%", exact(fmt.places()), format::UNIT_SPACE),
        Fmt::Money => format::euro_short(v.as_f64()),
    }
}

/// A value in a comparison table: euros in millions without unit (the unit stands in
/// the "Art" column), everything else as in running text.
pub fn table_value_text(fmt: Fmt, v: Option<Value>) -> String {
    match (fmt, v) {
        (Fmt::Money, Some(v)) => format::number(v.as_f64() / 1e6, 1),
        _ => value_text(fmt, v),
    }
}

/// A change rate with one decimal, as in every table of the reports.
pub fn change_text(x: Option<f64>) -> String {
    change_places(x, 1)
}

/// A change rate with `places` decimals.
pub fn change_places(x: Option<f64>, places: usize) -> String {
    format::or_ka(x, |v| format::change_doc(v, places))
}

/// The decimals of a figure's change everywhere in a report: those of its agreed target
/// (one at least, two at most, as its Ist), else one — so K3 reads −1,23 % in the
/// overview of targets and in its section alike.
pub fn change_decimals(f: &crate::figures::Figure) -> usize {
    f.ziel
        .and_then(|z| z.soll)
        .map_or(1, |s| s.decimals.clamp(1, 2) as usize)
}

pub fn symbol(status: Status) -> &'static str {
    match status {
        Status::Erreicht => "✓",
        Status::KnappVerfehlt => "◐",
        Status::Verfehlt => "✗",
        Status::KeineDaten | Status::KeinZiel => "–",
    }
}

pub fn decimal_text(d: Decimal) -> String {
    format::change_exact(d, d.decimals.max(1) as usize)
}
