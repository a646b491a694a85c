//! Stage 2 — figures: a validated [`Dataset`] and a Berichtsmonat in, every Kennzahl of
//! every Jobcenter and aggregate out ([`Results`]), with attainment for the targets.
//!
//! polars does the tabular work (month grid, window sums, chart series, see [`frame`]);
//! the formulas of the table of Kennzahlen ([`Kennzahl::def`]) are applied here to exact
//! integer sums (see [`exact`]), because a status must be decided on the exact change rate.
//! An aggregate sums, per figure, the members that have every value the figure needs on
//! both sides (contract 2.5); the Zielpfad of a target follows contract 2.6.

pub mod exact;
pub mod frame;
pub mod level;
mod months;

pub use months::{default_month, incomplete_jobcenters, require_rows};

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::domain::{Berichtsmonat, Decimal, Formula, Kennzahl, Status};
use crate::domain::{Col, Def};
use crate::load::{Dataset, Jobcenter};
pub use exact::Value;
use frame::{Membership, Sums, Window, period};

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

/// What the year still needs for a target (contract 2.6); `None` where not computable.
/// `s = T / 100` with the threshold change `T` ([`exact::threshold`], v4), so that every
/// level here is the one at which the status flips.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Zielpfad {
    /// The level `wert` must reach for the same period: vorjahr × (1 + s).
    pub soll_wert: Option<Value>,
    /// The December level of the year: last year's December value × (1 + s).
    pub jahres_soll: Option<Value>,
    /// Last year's December value, the base of `jahres_soll` (not an output column; the
    /// shown level is rounded against it, [`level::shown_level`]).
    pub jahres_basis: Option<Value>,
    /// What the months t+1..12 must bring (only before December).
    pub rest_bedarf: Option<Value>,
    /// The same months one year earlier (only before December).
    pub vorjahr_rest: Option<Value>,
}

/// One figure of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub kennzahl: Kennzahl,
    pub wert: Option<Value>,
    pub vorjahr: Option<Value>,
    pub veraenderung_pct: Option<f64>,
    /// Jobcenters only: the five target indicators always, any other figure with a target.
    pub ziel: Option<Zielerreichung>,
    /// Jobcenters with a target only.
    pub pfad: Option<Zielpfad>,
    /// Aggregates only: the members the figure was computed over, and those left out for
    /// lack of a needed value.
    pub mitglieder: Option<usize>,
    pub ohne: Vec<String>,
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
    /// The value of every column in December of Y−2 (the first base month of last year's
    /// quotas, for the month-by-month chart of K2 and K3E1), `None` where missing.
    pub december_before: Vec<Option<f64>>,
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
    /// Position of each entity in `entities` by id (ranks look up every member of a
    /// group for every report: a linear search made that quadratic).
    by_id: HashMap<String, usize>,
}

impl Results {
    pub fn new(
        berichtsmonat: Berichtsmonat,
        tolerance: Decimal,
        entities: Vec<EntityFigures>,
    ) -> Self {
        let mut by_id = HashMap::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            by_id.entry(e.id.clone()).or_insert(i); // the first, as a search from the front
        }
        Results {
            berichtsmonat,
            tolerance,
            entities,
            by_id,
        }
    }

    pub fn entity(&self, id: &str) -> Option<&EntityFigures> {
        self.entities.get(*self.by_id.get(id)?)
    }
}

pub fn land_id(land: &str) -> String {
    format!("LAND:{land}")
}

pub fn vt_id(vt: &str) -> String {
    format!("VT:{vt}")
}

/// Sort key of a Vergleichstyp id: its Roman numeral, then the rest (`Ia` < `IIa` < `IIIa`),
/// where plain text order would put `IIIa` before `IIa`.
#[allow(clippy::cast_sign_loss)]
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
const FULL_PREV: usize = 8; // Jan .. Dec of Y−1
const BASE_FULL_PREV: usize = 9; // Dec(Y−2) .. Nov(Y−1)
const REST_PREV: usize = 10; // (t+1) .. Dec of Y−1 (empty in December)

fn windows(bm: Berichtsmonat) -> Vec<Window> {
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
    vec![
        jfw(y),
        jfw(y - 1),
        jfw(y - 2),
        base(y),
        base(y - 1),
        at(period(y, t)),
        at(period(y - 1, t)),
        at(period(y - 1, 12)),
        Window {
            from: period(y - 1, 1),
            to: period(y - 1, 12),
        },
        Window {
            from: period(y - 1, 1) - 1,
            to: period(y - 1, 12) - 1,
        },
        Window {
            from: period(y - 1, t) + 1,
            to: period(y - 1, 12),
        },
    ]
}

/// The window sums one figure needs: (window, column), for `wert` and for `vorjahr`.
fn needs(formula: Formula) -> [Vec<(usize, Col)>; 2] {
    match formula {
        Formula::Sum(c) | Formula::Mean(c) => [vec![(CUR, c)], vec![(PREV, c)]],
        Formula::Quota { num, den } => [
            vec![(CUR, num), (BASE_CUR, den)],
            vec![(PREV, num), (BASE_PREV, den)],
        ],
        Formula::StockDec(c) => [vec![(AT_T, c)], vec![(DEC_PREV, c)]],
        Formula::Stock(c) => [vec![(AT_T, c)], vec![(AT_T_PREV, c)]],
        Formula::Share { num, den, lag } => {
            let (w, v) = if lag == 0 { (CUR, PREV) } else { (PREV, PREV2) };
            [vec![(w, num), (w, den)], vec![(v, num), (v, den)]]
        }
    }
}

/// One side of a figure from window sums (`get` gives `None` for a missing sum).
fn side(
    formula: Formula,
    vorjahr: bool,
    n: i128,
    get: &dyn Fn(usize, Col) -> Option<i128>,
) -> Option<Value> {
    let (jfw, base, at) = if vorjahr {
        (PREV, BASE_PREV, DEC_PREV)
    } else {
        (CUR, BASE_CUR, AT_T)
    };
    let money = |w: usize, c: Col| {
        get(w, c).map(|v| match c.kind() {
            crate::domain::Kind::Money => Value::money(v),
            crate::domain::Kind::Count => Value::int(v),
        })
    };
    match formula {
        Formula::Sum(c) => money(jfw, c),
        // 100 · Σ numerator / mean(denominator stocks) = 100 · n · Σ num / Σ den.
        Formula::Quota { num, den } => Value::ratio(100 * n * get(jfw, num)?, get(base, den)?),
        Formula::Mean(c) => Value::ratio(get(jfw, c)?, n),
        Formula::StockDec(c) => money(at, c),
        Formula::Stock(c) => money(if vorjahr { AT_T_PREV } else { AT_T }, c),
        Formula::Share { num, den, lag } => {
            let w = match (lag, vorjahr) {
                (0, false) => CUR,
                (0, true) | (_, false) => PREV,
                (_, true) => PREV2,
            };
            Value::ratio(100 * get(w, num)?, get(w, den)?)
        }
    }
}

/// The Zielpfad of one Jobcenter's figure with target `soll` (contract 2.6).
fn zielpfad(
    def: &Def,
    soll: Decimal,
    vorjahr: Option<Value>,
    bm: Berichtsmonat,
    get: &dyn Fn(usize, Col) -> Option<i128>,
) -> Zielpfad {
    // v4: the threshold change T, not soll_pct itself (contract 2.6).
    let growth = Value::threshold_growth(soll, def.higher_is_better);
    let soll_wert = vorjahr.zip(growth).and_then(|(v, g)| v.checked_mul(g));
    if !def.zielpfad {
        return Zielpfad {
            soll_wert,
            ..Zielpfad::default()
        };
    }
    let t = i128::from(bm.month);
    let int = |w: usize, c: Col| get(w, c).map(Value::int);
    // The figure's December value of Y−1.
    let december = match def.formula {
        Formula::Sum(c) => int(FULL_PREV, c),
        Formula::Quota { num, den } => {
            get(FULL_PREV, num).and_then(|s| Value::ratio(100 * 12 * s, get(BASE_FULL_PREV, den)?))
        }
        Formula::Mean(c) => get(FULL_PREV, c).and_then(|s| Value::ratio(s, 12)),
        Formula::StockDec(c) => int(DEC_PREV, c),
        Formula::Stock(_) | Formula::Share { .. } => None,
    };
    let jahres_soll = december.zip(growth).and_then(|(v, g)| v.checked_mul(g));
    if bm.month == 12 {
        return Zielpfad {
            soll_wert,
            jahres_soll,
            jahres_basis: december,
            rest_bedarf: None,
            vorjahr_rest: None,
        };
    }
    let rest_bedarf = (|| -> Option<Value> {
        let js = jahres_soll?;
        match def.formula {
            Formula::Sum(c) => js.checked_sub(int(CUR, c)?),
            Formula::Quota { num, den } => {
                // D: mean of den over Dec(Y−1)..Nov(Y), the months after t at den[t].
                let d = Value::ratio(
                    get(BASE_CUR, den)?.checked_add((12 - t).checked_mul(get(AT_T, den)?)?)?,
                    12,
                )?;
                js.checked_mul(Value::ratio(1, 100)?)?
                    .checked_mul(d)?
                    .checked_sub(int(CUR, num)?)
            }
            Formula::Mean(c) => js
                .checked_mul(Value::int(12))?
                .checked_sub(int(CUR, c)?)?
                .checked_div(Value::int(12 - t)),
            Formula::StockDec(c) => js.checked_sub(int(AT_T, c)?),
            Formula::Stock(_) | Formula::Share { .. } => None,
        }
    })();
    let vorjahr_rest = match def.formula {
        Formula::Sum(c) | Formula::Quota { num: c, .. } => int(REST_PREV, c),
        Formula::Mean(c) => get(REST_PREV, c).and_then(|s| Value::ratio(s, 12 - t)),
        Formula::StockDec(c) => int(DEC_PREV, c)
            .zip(int(AT_T_PREV, c))
            .and_then(|(a, b)| a.checked_sub(b)),
        Formula::Stock(_) | Formula::Share { .. } => None,
    };
    Zielpfad {
        soll_wert,
        jahres_soll,
        jahres_basis: december,
        rest_bedarf,
        vorjahr_rest,
    }
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

    // Window sums per Jobcenter (each its own only member).
    let own = Membership {
        entity: ds.jobcenters.iter().map(|j| j.id.clone()).collect(),
        jobcenter: ds.jobcenters.iter().map(|j| j.id.clone()).collect(),
    };
    let first = period(bm.year - 2, 1) - 1; // Dec(Y−3), before every window
    let last = period(bm.year, 12);
    let wins = windows(bm);
    let per_jc = frame::monthly_by_entity(&ds.monatswerte, &own, first, last)
        .map_err(|e| format!("computing monthly values: {e}"))?;
    let mut sums = frame::window_sums(per_jc, &wins).map_err(|e| format!("computing sums: {e}"))?;
    frame::money_sums(&ds.monatswerte, &wins, &mut sums);

    // Monthly series of every entity for the charts (Dec of Y−2, then Jan of Y−1 .. Dec
    // of Y).
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
    let chart_first = period(bm.year - 1, 1) - 1;
    let mut series = frame::collect_monthly(
        frame::monthly_by_entity(&ds.monatswerte, &membership, chart_first, last)
            .map_err(|e| format!("collecting monthly values: {e}"))?,
        chart_first,
        last,
    )
    .map_err(|e| format!("collecting monthly values: {e}"))?;
    let datenstand = latest_datenstand(ds, bm);
    let names: HashMap<&str, &str> = ds
        .jobcenters
        .iter()
        .map(|j| (j.id.as_str(), j.name.as_str()))
        .collect();

    let empty = Sums::default();
    let n = i128::from(bm.month);
    let present: Vec<Kennzahl> = Kennzahl::ALL
        .into_iter()
        .filter(|k| {
            k.optional_columns()
                .iter()
                .all(|c| ds.monatswerte.present.contains(c))
        })
        .collect();
    let results = entities
        .into_iter()
        .map(|(id, kind, jobcenter, members)| {
            let sums_of = |m: &str, w: usize| sums.get(&(m.to_string(), w)).unwrap_or(&empty);
            let figures = present
                .iter()
                .map(|&k| {
                    let def = k.def();
                    let [need_wert, need_vorjahr] = needs(def.formula);
                    if kind == EntityKind::Jobcenter {
                        let get = |w: usize, c: Col| sums_of(&id, w).get(c);
                        let wert = side(def.formula, false, n, &get);
                        let vorjahr = side(def.formula, true, n, &get);
                        let soll = ds.ziele.lookup(bm.year, &id, k);
                        let ziel = (k.is_target() || soll.is_some()).then(|| {
                            let (ist, status) = exact::attainment(
                                soll,
                                wert,
                                vorjahr,
                                def.higher_is_better,
                                tolerance,
                            );
                            Zielerreichung { soll, ist, status }
                        });
                        let pfad = soll.map(|s| zielpfad(&def, s, vorjahr, bm, &get));
                        Figure {
                            kennzahl: k,
                            wert,
                            vorjahr,
                            veraenderung_pct: wert.zip(vorjahr).and_then(|(a, b)| exact::pct(a, b)),
                            ziel,
                            pfad,
                            mitglieder: None,
                            ohne: Vec::new(),
                        }
                    } else {
                        // Complete members: every needed sum present on both sides.
                        let (complete, ohne): (Vec<&String>, Vec<&String>) =
                            members.iter().partition(|m| {
                                need_wert
                                    .iter()
                                    .chain(&need_vorjahr)
                                    .all(|&(w, c)| sums_of(m, w).get(c).is_some())
                            });
                        let get = |w: usize, c: Col| -> Option<i128> {
                            if complete.is_empty() {
                                return None;
                            }
                            complete
                                .iter()
                                .try_fold(0i128, |acc, m| acc.checked_add(sums_of(m, w).get(c)?))
                        };
                        let wert = side(def.formula, false, n, &get);
                        let vorjahr = side(def.formula, true, n, &get);
                        Figure {
                            kennzahl: k,
                            wert,
                            vorjahr,
                            veraenderung_pct: wert.zip(vorjahr).and_then(|(a, b)| exact::pct(a, b)),
                            ziel: None,
                            pfad: None,
                            mitglieder: Some(complete.len()),
                            ohne: ohne
                                .into_iter()
                                .map(|m| {
                                    names
                                        .get(m.as_str())
                                        .map_or_else(|| m.clone(), |s| (*s).to_string())
                                })
                                .collect(),
                        }
                    }
                })
                .collect();
            let mut monthly = series
                .remove(&id)
                .unwrap_or_else(|| vec![vec![None; 25]; Col::ALL.len()]);
            let december_before = monthly.iter_mut().map(|values| values.remove(0)).collect();
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
                december_before,
                datenstand,
            }
        })
        .collect();
    Ok(Results::new(bm, tolerance, results))
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
mod tests;
