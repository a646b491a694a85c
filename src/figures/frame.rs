//! The tabular work, done with polars: the monthly values of every Jobcenter and every
//! aggregate (`LAND:`, `VT:`) on a complete month grid, and their sums over the windows
//! the formulas need (Jahresfortschritt, the months before each integration month, single
//! stocks). The window sums are taken per Jobcenter (a window with any month missing has no
//! sum); aggregates over the complete members are formed from them in [`super`]. Counts are
//! summed by polars as 64-bit integers; money (exact millionths of a euro, beyond 64 bits
//! for large sums) is summed here in 128-bit integers, see [`money_sums`]. The monthly series for charts are
//! summed per entity, a month with any member's value missing being missing.

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::{Col, Kind};
use crate::load::Monatswerte;

/// Month index: `year · 12 + month − 1`.
#[allow(clippy::cast_possible_wrap)]
pub fn period(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

/// A row of the member table: the entity (Jobcenter id or aggregate id) and one of its
/// member Jobcenters (a Jobcenter is its own only member).
pub struct Membership {
    pub entity: Vec<String>,
    pub jobcenter: Vec<String>,
}

/// A named window: inclusive range of month indices.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: i32,
    pub to: i32,
}

/// Sums of one entity over one window, per column (`None`: some month missing); money
/// in cents.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub values: [Option<i128>; Col::COUNT],
}

impl Sums {
    pub fn get(&self, col: Col) -> Option<i128> {
        self.values[col.index()]
    }
}

/// Monthly values of each entity over the grid, for charts: entity → column → value per
/// month index offset from the grid's first month.
pub type MonthlyValues = HashMap<String, Vec<Vec<Option<f64>>>>;

fn nulls(c: &str) -> String {
    format!("{c}__nulls")
}

/// The raw monthly rows as a polars frame: `jobcenter`, `p`, one column per value column.
#[allow(clippy::cast_precision_loss)]
fn raw_frame(mw: &Monatswerte) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        Column::new("jobcenter".into(), &mw.jobcenter),
        Column::new(
            "p".into(),
            mw.year
                .iter()
                .zip(&mw.month)
                .map(|(&y, &m)| period(y, m))
                .collect::<Vec<i32>>(),
        ),
    ];
    for col in Col::ALL {
        let values = mw.values(col);
        columns.push(match col.kind() {
            // Counts are at most 10^12 (checked when read).
            Kind::Count => Column::new(col.name().into(), values),
            // Euros as floats, for the charts only; exact sums come from `money_sums`.
            Kind::Money => Column::new(
                col.name().into(),
                values
                    .iter()
                    .map(|v| v.map(|v| v as f64 / crate::domain::MONEY_SCALE as f64))
                    .collect::<Vec<Option<f64>>>(),
            ),
        });
    }
    DataFrame::new(mw.len(), columns)
}

/// Monthly values of every entity on the grid `first..=last` (a lazy frame with columns
/// `entity`, `p` and the value columns).
#[allow(clippy::cast_sign_loss)]
pub fn monthly_by_entity(
    mw: &Monatswerte,
    members: &Membership,
    first: i32,
    last: i32,
) -> PolarsResult<LazyFrame> {
    // The grid: each (entity, member) pair for every month, so absent rows become nulls.
    let months = (last - first + 1) as usize;
    let mut g_entity = Vec::with_capacity(members.entity.len() * months);
    let mut g_member = Vec::with_capacity(g_entity.capacity());
    let mut g_p = Vec::with_capacity(g_entity.capacity());
    for (entity, member) in members.entity.iter().zip(&members.jobcenter) {
        for p in first..=last {
            g_entity.push(entity.as_str());
            g_member.push(member.as_str());
            g_p.push(p);
        }
    }
    let grid = DataFrame::new(
        g_p.len(),
        vec![
            Column::new("entity".into(), g_entity),
            Column::new("jobcenter".into(), g_member),
            Column::new("p".into(), g_p),
        ],
    )?;
    let raw = raw_frame(mw)?
        .lazy()
        .filter(col("p").gt_eq(lit(first)).and(col("p").lt_eq(lit(last))));
    let joined = grid.lazy().join(
        raw,
        [col("jobcenter"), col("p")],
        [col("jobcenter"), col("p")],
        JoinArgs::new(JoinType::Left),
    );
    Ok(sum_or_null(joined.group_by([col("entity"), col("p")])))
}

/// Sums every value column per group; a group with any null gives null.
fn sum_or_null(grouped: LazyGroupBy) -> LazyFrame {
    let mut aggs = Vec::new();
    for c in Col::ALL {
        aggs.push(col(c.name()).sum());
        aggs.push(col(c.name()).null_count().alias(nulls(c.name())));
    }
    let finish: Vec<Expr> = Col::ALL
        .iter()
        .map(|c| {
            when(col(nulls(c.name())).gt(lit(0)))
                .then(lit(NULL))
                .otherwise(col(c.name()))
                .alias(c.name())
        })
        .collect();
    grouped.agg(aggs).with_columns(finish)
}

/// Sums of every entity over every window.
#[allow(clippy::cast_possible_truncation)]
pub fn window_sums(
    monthly: LazyFrame,
    windows: &[Window],
) -> PolarsResult<HashMap<(String, usize), Sums>> {
    let mut w_id = Vec::new();
    let mut w_p = Vec::new();
    for (i, w) in windows.iter().enumerate() {
        for p in w.from..=w.to {
            w_id.push(i as u32);
            w_p.push(p);
        }
    }
    let wf = DataFrame::new(
        w_p.len(),
        vec![
            Column::new("window".into(), w_id),
            Column::new("p".into(), w_p),
        ],
    )?;
    let joined = monthly.join(
        wf.lazy(),
        [col("p")],
        [col("p")],
        JoinArgs::new(JoinType::Inner),
    );
    let df = sum_or_null(joined.group_by([col("entity"), col("window")])).collect()?;

    let mut out: HashMap<(String, usize), Sums> = HashMap::with_capacity(df.height());
    let entity = df.column("entity")?.str()?;
    let window = df.column("window")?.u32()?;
    for c in Col::ALL.into_iter().filter(|c| c.kind() == Kind::Count) {
        let values = df.column(c.name())?.cast(&DataType::Int64)?;
        for ((e, w), v) in entity.iter().zip(window.iter()).zip(values.i64()?.iter()) {
            let key = (
                e.unwrap_or_default().to_string(),
                w.unwrap_or_default() as usize,
            );
            out.entry(key).or_default().values[c.index()] = v.map(i128::from);
        }
    }
    Ok(out)
}

/// Exact money sums of each Jobcenter over each window, in millionths of a euro: written
/// into `sums` beside the counts (`None` where a month of the window is missing).
#[allow(clippy::implicit_hasher)] // the map that `window_sums` returns
pub fn money_sums(mw: &Monatswerte, windows: &[Window], sums: &mut HashMap<(String, usize), Sums>) {
    let mut rows: HashMap<(&str, i32), usize> = HashMap::with_capacity(mw.len());
    for row in 0..mw.len() {
        rows.insert(
            (
                mw.jobcenter[row].as_str(),
                period(mw.year[row], mw.month[row]),
            ),
            row,
        );
    }
    let ids: std::collections::BTreeSet<&str> = mw.jobcenter.iter().map(String::as_str).collect();
    for col in Col::ALL.into_iter().filter(|c| c.kind() == Kind::Money) {
        let values = mw.values(col);
        for &id in &ids {
            for (w, window) in windows.iter().enumerate() {
                if window.from > window.to {
                    continue;
                }
                let total = (window.from..=window.to).try_fold(0i128, |acc, p| {
                    let v = values[*rows.get(&(id, p))?]?;
                    acc.checked_add(i128::from(v))
                });
                sums.entry((id.to_string(), w)).or_default().values[col.index()] = total;
            }
        }
    }
}

/// The monthly values per entity as plain vectors (for charts), months `first..=last`.
#[allow(clippy::cast_sign_loss)]
pub fn collect_monthly(monthly: LazyFrame, first: i32, last: i32) -> PolarsResult<MonthlyValues> {
    let df = monthly.collect()?;
    let months = (last - first + 1) as usize;
    let entity = df.column("entity")?.str()?;
    let p = df.column("p")?.i32()?;
    let mut out: MonthlyValues = HashMap::new();
    let mut columns = Vec::new();
    for c in Col::ALL {
        columns.push(df.column(c.name())?.cast(&DataType::Float64)?);
    }
    let columns: Vec<&Float64Chunked> = columns
        .iter()
        .map(|c| c.f64())
        .collect::<PolarsResult<_>>()?;
    for (row, (e, p)) in entity.iter().zip(p.iter()).enumerate() {
        let (Some(e), Some(p)) = (e, p) else { continue };
        let slot = out
            .entry(e.to_string())
            .or_insert_with(|| vec![vec![None; months]; Col::ALL.len()]);
        let offset = (p - first) as usize;
        for (ci, values) in columns.iter().enumerate() {
            slot[ci][offset] = values.get(row);
        }
    }
    Ok(out)
}
