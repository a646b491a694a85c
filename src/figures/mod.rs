//! Stage 2 — figures: a validated [`Dataset`] and a Berichtsmonat in, every Kennzahl of
//! every Jobcenter and aggregate out ([`Results`]), with attainment for the targets.
//!
//! polars does the tabular work (month grid, aggregates, window sums, see [`frame`]);
//! the formulas themselves are applied to exact integer sums (see [`exact`]), because a
//! status must be decided on the exact change rate.

pub mod exact;
pub mod frame;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::{Col, Dataset, Jobcenter};
pub use exact::{Decimal, Status, Value};
use frame::{Membership, Sums, Window, period};

/// The month a report is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Berichtsmonat {
    pub year: i32,
    pub month: u32,
}

impl Berichtsmonat {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year = y.parse().ok()?;
        let month = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// Parses `YYYY-Qn` into the quarter's last month.
    pub fn parse_quarter(text: &str) -> Option<Self> {
        let (y, q) = text.trim().split_once(['-', ' '])?;
        let q = q.strip_prefix(['Q', 'q'])?;
        if y.len() != 4 {
            return None;
        }
        let quarter: u32 = q.parse().ok()?;
        (1..=4).contains(&quarter).then_some(Self {
            year: y.parse().ok()?,
            month: quarter * 3,
        })
    }

    pub fn is_december(self) -> bool {
        self.month == 12
    }
}

impl fmt::Display for Berichtsmonat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The figures of the contract, in the order of `kennzahlen.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kennzahl {
    Int,
    K2,
    K3,
    K3e1,
    LzbJe,
    Llu,
    Kdu,
    Elb,
    Bg,
    Nachhaltigkeit,
    Bedarfsdeckend,
    Lzb4j,
    IqAsyl8,
    LzbAsyl8,
}

impl Kennzahl {
    pub const ALL: [Kennzahl; 14] = [
        Kennzahl::Int,
        Kennzahl::K2,
        Kennzahl::K3,
        Kennzahl::K3e1,
        Kennzahl::LzbJe,
        Kennzahl::Llu,
        Kennzahl::Kdu,
        Kennzahl::Elb,
        Kennzahl::Bg,
        Kennzahl::Nachhaltigkeit,
        Kennzahl::Bedarfsdeckend,
        Kennzahl::Lzb4j,
        Kennzahl::IqAsyl8,
        Kennzahl::LzbAsyl8,
    ];

    pub const TARGETS: [Kennzahl; 5] = [
        Kennzahl::Int,
        Kennzahl::K2,
        Kennzahl::K3,
        Kennzahl::K3e1,
        Kennzahl::LzbJe,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kennzahl::Int => "int",
            Kennzahl::K2 => "k2",
            Kennzahl::K3 => "k3",
            Kennzahl::K3e1 => "k3e1",
            Kennzahl::LzbJe => "lzb_je",
            Kennzahl::Llu => "llu",
            Kennzahl::Kdu => "kdu",
            Kennzahl::Elb => "elb",
            Kennzahl::Bg => "bg",
            Kennzahl::Nachhaltigkeit => "nachhaltigkeit",
            Kennzahl::Bedarfsdeckend => "bedarfsdeckend",
            Kennzahl::Lzb4j => "lzb_4j",
            Kennzahl::IqAsyl8 => "iq_asyl8",
            Kennzahl::LzbAsyl8 => "lzb_asyl8",
        }
    }

    /// A target indicator of `ziele.csv` (case-insensitive).
    pub fn parse_target(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        Self::TARGETS.into_iter().find(|k| k.code() == text)
    }

    pub fn is_target(self) -> bool {
        Self::TARGETS.contains(&self)
    }

    /// For target indicators: whether a higher value is better.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Kennzahl::K3 | Kennzahl::LzbJe)
    }

    /// Optional columns the figure needs; it is left out when one is absent from the file.
    pub fn optional_columns(self) -> &'static [Col] {
        match self {
            Kennzahl::Nachhaltigkeit => &[Col::IntNachhaltig, Col::IntSvb],
            Kennzahl::Bedarfsdeckend => &[Col::IntBedarfsdeckend],
            Kennzahl::Lzb4j => &[Col::Lzb4j],
            Kennzahl::IqAsyl8 => &[Col::IntAsyl8, Col::ElbAsyl8],
            Kennzahl::LzbAsyl8 => &[Col::LzbAsyl8],
            _ => &[],
        }
    }
}

/// What an entity is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "art", rename_all = "snake_case")]
pub enum EntityKind {
    Jobcenter,
    Land,
    Vergleichstyp,
}

/// Attainment of one target indicator of one Jobcenter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zielerreichung {
    pub soll: Option<Decimal>,
    /// The change rounded to the decimals of `soll` (one decimal when there is none).
    pub ist: Option<Decimal>,
    pub status: Status,
}

/// One figure of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub kennzahl: Kennzahl,
    pub wert: Option<Value>,
    pub vorjahr: Option<Value>,
    pub veraenderung_pct: Option<f64>,
    /// Only for the target indicators of Jobcenters.
    pub ziel: Option<Zielerreichung>,
}

/// Every figure of one Jobcenter or aggregate, with what the report needs beside them.
#[derive(Debug, Clone)]
pub struct EntityFigures {
    /// `05554`, `LAND:NRW`, `VT:IIa`.
    pub id: String,
    pub kind: EntityKind,
    /// For a Jobcenter its record; aggregates have none.
    pub jobcenter: Option<Jobcenter>,
    /// Ids of the member Jobcenters.
    pub members: Vec<String>,
    pub figures: Vec<Figure>,
    /// Monthly values of every column over January of Y−1 .. December of Y (24 months),
    /// `None` where missing; months after the Berichtsmonat are left `None`.
    pub monthly: Vec<Vec<Option<f64>>>,
    /// Latest `datenstand` among the rows up to the Berichtsmonat.
    pub datenstand: Option<NaiveDate>,
}

impl EntityFigures {
    pub fn figure(&self, kennzahl: Kennzahl) -> Option<&Figure> {
        self.figures.iter().find(|f| f.kennzahl == kennzahl)
    }

    /// Monthly values of `col` for year `Y` (`this_year`) or `Y−1`, 12 entries.
    pub fn months(&self, col: Col, this_year: bool) -> &[Option<f64>] {
        let start = if this_year { 12 } else { 0 };
        &self.monthly[col.index()][start..start + 12]
    }
}

/// All figures of one run.
#[derive(Debug, Clone)]
pub struct Results {
    pub berichtsmonat: Berichtsmonat,
    pub tolerance: Decimal,
    /// Jobcenters by id, then `LAND:` and `VT:` aggregates by id.
    pub entities: Vec<EntityFigures>,
}

impl Results {
    pub fn entity(&self, id: &str) -> Option<&EntityFigures> {
        self.entities.iter().find(|e| e.id == id)
    }
}

pub fn land_id(land: &str) -> String {
    format!("LAND:{land}")
}

pub fn vt_id(vt: &str) -> String {
    format!("VT:{vt}")
}

/// The default Berichtsmonat: the latest month in which every Jobcenter has a row with
/// all seven required values present.
pub fn default_month(ds: &Dataset) -> Option<Berichtsmonat> {
    let mw = &ds.monatswerte;
    let mut complete: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for row in 0..mw.len() {
        if mw.has_required_values(row) {
            *complete.entry((mw.year[row], mw.month[row])).or_default() += 1;
        }
    }
    let n = ds.jobcenters.len();
    complete
        .iter()
        .rev()
        .find(|(_, count)| **count == n)
        .map(|(&(year, month), _)| Berichtsmonat { year, month })
}

/// Jobcenters of the run whose row for `month` lacks a required value or is absent.
pub fn incomplete_jobcenters(ds: &Dataset, month: Berichtsmonat) -> Vec<String> {
    let mw = &ds.monatswerte;
    let mut full: HashMap<&str, bool> = HashMap::new();
    for row in 0..mw.len() {
        if mw.year[row] == month.year && mw.month[row] == month.month {
            full.insert(mw.jobcenter[row].as_str(), mw.has_required_values(row));
        }
    }
    ds.jobcenters
        .iter()
        .filter(|j| !full.get(j.id.as_str()).copied().unwrap_or(false))
        .map(|j| j.id.clone())
        .collect()
}

/// Sort key of a Vergleichstyp id: its Roman numeral, then the rest (`Ia` < `IIa` < `IIIa`),
/// where plain text order would put `IIIa` before `IIa`.
fn vergleichstyp_order(id: &str) -> (u32, String) {
    let numeral: String = id
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X'))
        .collect();
    let mut value = 0;
    let mut last = 0;
    for c in numeral.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            _ => 10,
        };
        if v < last {
            value -= v;
        } else {
            value += v;
            last = v;
        }
    }
    let value = if numeral.is_empty() {
        u32::MAX
    } else {
        value as u32
    };
    (value, id[numeral.len()..].to_string())
}

/// The windows the formulas read, indexed by these constants.
const CUR: usize = 0; // M(Y,t)
const PREV: usize = 1; // M(Y−1,t)
const PREV2: usize = 2; // M(Y−2,t)
const BASE_CUR: usize = 3; // Dec(Y−1) .. (t−1)(Y)
const BASE_PREV: usize = 4; // Dec(Y−2) .. (t−1)(Y−1)
const AT_T: usize = 5; // t of Y
const AT_T_PREV: usize = 6; // t of Y−1
const DEC_PREV: usize = 7; // Dec of Y−1

fn windows(bm: Berichtsmonat) -> [Window; 8] {
    let (y, t) = (bm.year, bm.month);
    let jfw = |year| Window {
        from: period(year, 1),
        to: period(year, t),
    };
    let base = |year| Window {
        from: period(year, 1) - 1,
        to: period(year, t) - 1,
    };
    let at = |p| Window { from: p, to: p };
    [
        jfw(y),
        jfw(y - 1),
        jfw(y - 2),
        base(y),
        base(y - 1),
        at(period(y, t)),
        at(period(y - 1, t)),
        at(period(y - 1, 12)),
    ]
}

/// Computes every figure for Berichtsmonat `bm`.
pub fn compute(ds: &Dataset, bm: Berichtsmonat, tolerance: Decimal) -> Result<Results, String> {
    // Entities: Jobcenters (sorted by id), then Länder, then Vergleichstypen.
    let mut lands: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut vts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for jc in &ds.jobcenters {
        lands
            .entry(jc.land.clone())
            .or_default()
            .push(jc.id.clone());
        if let Some(vt) = &jc.vergleichstyp {
            vts.entry(vt.clone()).or_default().push(jc.id.clone());
        }
    }
    let mut entities: Vec<(String, EntityKind, Option<Jobcenter>, Vec<String>)> = ds
        .jobcenters
        .iter()
        .map(|j| {
            (
                j.id.clone(),
                EntityKind::Jobcenter,
                Some(j.clone()),
                vec![j.id.clone()],
            )
        })
        .collect();
    entities.extend(
        lands
            .into_iter()
            .map(|(l, m)| (land_id(&l), EntityKind::Land, None, m)),
    );
    let mut vts: Vec<(String, Vec<String>)> = vts.into_iter().collect();
    vts.sort_by_key(|(v, _)| vergleichstyp_order(v));
    entities.extend(
        vts.into_iter()
            .map(|(v, m)| (vt_id(&v), EntityKind::Vergleichstyp, None, m)),
    );

    let mut membership = Membership {
        entity: Vec::new(),
        jobcenter: Vec::new(),
    };
    for (id, _, _, members) in &entities {
        for m in members {
            membership.entity.push(id.clone());
            membership.jobcenter.push(m.clone());
        }
    }

    let first = period(bm.year - 2, 1);
    let last = period(bm.year, 12);
    let wins = windows(bm);
    let monthly = frame::monthly_by_entity(&ds.monatswerte, &membership, first, last)
        .map_err(|e| format!("computing monthly values: {e}"))?;
    let sums =
        frame::window_sums(monthly.clone(), &wins).map_err(|e| format!("computing sums: {e}"))?;
    let chart_first = period(bm.year - 1, 1);
    let mut series = frame::collect_monthly(
        monthly.filter(polars::prelude::col("p").gt_eq(polars::prelude::lit(chart_first))),
        chart_first,
        last,
    )
    .map_err(|e| format!("collecting monthly values: {e}"))?;
    let datenstand = latest_datenstand(ds, bm);

    let empty = Sums::default();
    let results = entities
        .into_iter()
        .map(|(id, kind, jobcenter, members)| {
            let s = |w: usize| sums.get(&(id.clone(), w)).unwrap_or(&empty);
            let figures = Kennzahl::ALL
                .into_iter()
                .filter(|k| {
                    k.optional_columns()
                        .iter()
                        .all(|c| ds.monatswerte.present.contains(c))
                })
                .map(|k| {
                    let (wert, vorjahr) = formula(k, &s, wins[CUR].months());
                    let veraenderung_pct = wert.zip(vorjahr).and_then(|(a, b)| exact::pct(a, b));
                    let ziel = (kind == EntityKind::Jobcenter && k.is_target()).then(|| {
                        let soll = ds.ziele.lookup(bm.year, &id, k).map(Decimal::from);
                        let (ist, status) =
                            exact::attainment(soll, wert, vorjahr, k.higher_is_better(), tolerance);
                        Zielerreichung { soll, ist, status }
                    });
                    Figure {
                        kennzahl: k,
                        wert,
                        vorjahr,
                        veraenderung_pct,
                        ziel,
                    }
                })
                .collect();
            let mut monthly = series
                .remove(&id)
                .unwrap_or_else(|| vec![vec![None; 24]; Col::ALL.len()]);
            // Months after the Berichtsmonat are not part of this report.
            for values in &mut monthly {
                for v in values.iter_mut().skip(12 + bm.month as usize) {
                    *v = None;
                }
            }
            let datenstand = members
                .iter()
                .filter_map(|m| datenstand.get(m.as_str()).copied())
                .max();
            EntityFigures {
                id,
                kind,
                jobcenter,
                members,
                figures,
                monthly,
                datenstand,
            }
        })
        .collect();
    Ok(Results {
        berichtsmonat: bm,
        tolerance,
        entities: results,
    })
}

/// wert and vorjahr of one figure from the window sums (contract section 2).
fn formula<'a>(
    k: Kennzahl,
    s: &impl Fn(usize) -> &'a Sums,
    n: i128,
) -> (Option<Value>, Option<Value>) {
    let count = |w: usize, c: Col| s(w).count(c);
    let money = |w: usize, c: Col| s(w).money(c).map(Value::Float);
    let total = |w: usize, c: Col| count(w, c).map(Value::int);
    // 100 · Σ numerator / mean(denominator stocks) = 100 · n · Σ num / Σ den.
    let quota = |w: usize, num: Col, base: usize, den: Col| {
        Value::ratio(100 * n * count(w, num)?, count(base, den)?)
    };
    let share = |w: usize, num: Col, den: Col| Value::ratio(100 * count(w, num)?, count(w, den)?);
    let mean = |w: usize, c: Col| Value::ratio(count(w, c)?, n);
    match k {
        Kennzahl::Int => (total(CUR, Col::Int), total(PREV, Col::Int)),
        Kennzahl::K2 => (
            quota(CUR, Col::Int, BASE_CUR, Col::Elb),
            quota(PREV, Col::Int, BASE_PREV, Col::Elb),
        ),
        Kennzahl::K3 => (mean(CUR, Col::Lzb), mean(PREV, Col::Lzb)),
        Kennzahl::K3e1 => (
            quota(CUR, Col::IntLzb, BASE_CUR, Col::Lzb),
            quota(PREV, Col::IntLzb, BASE_PREV, Col::Lzb),
        ),
        Kennzahl::LzbJe => (total(AT_T, Col::Lzb), total(DEC_PREV, Col::Lzb)),
        Kennzahl::Llu => (money(CUR, Col::LluEur), money(PREV, Col::LluEur)),
        Kennzahl::Kdu => (money(CUR, Col::KduEur), money(PREV, Col::KduEur)),
        Kennzahl::Elb => (total(AT_T, Col::Elb), total(AT_T_PREV, Col::Elb)),
        Kennzahl::Bg => (total(AT_T, Col::Bg), total(AT_T_PREV, Col::Bg)),
        Kennzahl::Nachhaltigkeit => (
            share(PREV, Col::IntNachhaltig, Col::IntSvb),
            share(PREV2, Col::IntNachhaltig, Col::IntSvb),
        ),
        Kennzahl::Bedarfsdeckend => (
            share(CUR, Col::IntBedarfsdeckend, Col::Int),
            share(PREV, Col::IntBedarfsdeckend, Col::Int),
        ),
        Kennzahl::Lzb4j => (total(AT_T, Col::Lzb4j), total(AT_T_PREV, Col::Lzb4j)),
        Kennzahl::IqAsyl8 => (
            quota(CUR, Col::IntAsyl8, BASE_CUR, Col::ElbAsyl8),
            quota(PREV, Col::IntAsyl8, BASE_PREV, Col::ElbAsyl8),
        ),
        Kennzahl::LzbAsyl8 => (total(AT_T, Col::LzbAsyl8), total(AT_T_PREV, Col::LzbAsyl8)),
    }
}

/// Latest `datenstand` per Jobcenter among its rows up to the Berichtsmonat.
fn latest_datenstand(ds: &Dataset, bm: Berichtsmonat) -> HashMap<&str, NaiveDate> {
    let mw = &ds.monatswerte;
    let mut out: HashMap<&str, NaiveDate> = HashMap::new();
    for row in 0..mw.len() {
        if (mw.year[row], mw.month[row]) > (bm.year, bm.month) {
            continue;
        }
        if let Some(d) = mw.datenstand[row] {
            let e = out.entry(mw.jobcenter[row].as_str()).or_insert(d);
            *e = (*e).max(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn vergleichstypen_in_roman_order() {
        let mut ids = vec!["IIIa", "Ia", "IIb", "IIa", "IVc", "X", "Sonder"];
        ids.sort_by_key(|v| super::vergleichstyp_order(v));
        assert_eq!(ids, ["Ia", "IIa", "IIb", "IIIa", "IVc", "X", "Sonder"]);
    }
}
