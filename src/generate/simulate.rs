//! The simulation of one Jobcenter's monthly figures: trends, seasonality and noise chosen
//! so that the magnitudes follow `domain-notes.md`.

use super::jobcenters::Params;
use super::rng::Rng;

/// Stocks dip in summer (mean 1).
pub(super) const SEASON_STOCK: [f64; 12] = [
    1.010, 1.012, 1.008, 1.002, 0.996, 0.992, 0.990, 0.990, 0.994, 0.998, 1.002, 1.006,
];
/// Integrations are high in spring and autumn, low in December (mean 1).
pub(super) const SEASON_INT: [f64; 12] = [
    0.90, 1.00, 1.12, 1.10, 1.05, 0.98, 0.95, 1.10, 1.15, 1.08, 0.97, 0.60,
];

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Row {
    pub(super) elb: i64,
    pub(super) bg: i64,
    pub(super) int: i64,
    pub(super) lzb: i64,
    pub(super) int_lzb: i64,
    pub(super) llu_cents: i64,
    pub(super) kdu_cents: i64,
    /// The optional counts in the order of [`OPT_COLS`].
    pub(super) opt: [i64; 7],
}

/// The optional columns (contract 1.1), as the table of columns orders them after the
/// seven required ones.
pub(super) const OPT_COLS: [&str; 7] = crate::domain::Col::names(7);

/// (year, month 1..12) of month index `mi` (0 = January of `first_year`; may be negative).
#[allow(clippy::cast_possible_truncation)]
pub(super) fn year_month(first_year: i32, mi: i64) -> (i32, usize) {
    let abs = i64::from(first_year) * 12 + mi;
    (abs.div_euclid(12) as i32, abs.rem_euclid(12) as usize + 1)
}

/// Share of `asyl_final` reached before the 2015/16 inflow.
pub(super) const ASYL_BASE: f64 = 0.5;

/// Months since September 2015 (start of the large refugee inflow into SGB II), ≥ 0.
#[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)]
pub(super) fn months_since_influx(year: i32, month: usize) -> f64 {
    let t = (i64::from(year) - 2015) * 12 + month as i64 - 9;
    t.max(0) as f64
}

#[allow(clippy::cast_possible_truncation)]
pub(super) fn r(x: f64) -> i64 {
    x.round().max(0.0) as i64
}

/// A monthly count with expectation `mean`: Poisson-like noise (somewhat under-dispersed,
/// to keep the designed trends visible) plus 0.5 % relative noise.
pub(super) fn noisy_count(mean: f64, rng: &mut Rng) -> i64 {
    let mean = mean.max(0.0);
    let sd = (0.12 * mean).sqrt() + 0.005 * mean;
    r(mean + sd * rng.normal())
}

#[allow(clippy::many_single_char_names)]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss
)]
pub(super) fn simulate(p: &Params, first_year: i32, months: usize, rng: &mut Rng) -> Vec<Row> {
    // Stocks for month indices -1 .. months-1 (position k = mi + 1).
    let mut elb = Vec::with_capacity(months + 1);
    let mut lzb = Vec::with_capacity(months + 1);
    let mut asyl = Vec::with_capacity(months + 1);
    let mut lzb_raw = Vec::with_capacity(months + 1);
    let (mut wig_e, mut wig_l) = (0.0f64, 0.0f64);
    for k in 0..=months {
        let mi = k as i64 - 1;
        let (y, m) = year_month(first_year, mi);
        let ty = mi as f64 / 12.0;
        wig_e = 0.75 * wig_e + 0.002 * rng.normal();
        wig_l = 0.75 * wig_l + 0.0015 * rng.normal();
        let trend = p.elb0 * (1.0 + p.elb_tr).powf(ty);
        let e = (trend * SEASON_STOCK[m - 1] * (1.0 + wig_e)).max(300.0);
        let share = (p.lzb0 + p.lzb_tr * ty).clamp(0.52, 0.80);
        let l = trend * (1.0 + 0.4 * (SEASON_STOCK[m - 1] - 1.0)) * share * (1.0 + wig_l);
        let t = months_since_influx(y, m);
        let a_share = p.asyl_final * (ASYL_BASE + (1.0 - ASYL_BASE) * (1.0 - (-t / 12.0).exp()));
        let a = e * a_share * (1.0 + 0.004 * rng.normal());
        let e_i = r(e);
        elb.push(e_i);
        lzb_raw.push(l);
        lzb.push(r(l).min(e_i));
        asyl.push(r(a).min(e_i));
    }

    let mut rows = Vec::with_capacity(months);
    for k in 1..=months {
        let mi = k as i64 - 1;
        let (y, m) = year_month(first_year, mi);
        let ty = mi as f64 / 12.0;
        let s = SEASON_INT[m - 1];
        let (e, l, a) = (elb[k], lzb[k], asyl[k]);
        let (pe, pl, pa) = (elb[k - 1] as f64, lzb[k - 1] as f64, asyl[k - 1] as f64);

        let iq = (p.iq0 * (1.0 + p.iq_tr).powf(ty)).clamp(0.15, 0.36);
        let int = noisy_count(pe * iq / 12.0 * s, rng);
        let ratio = (p.k3e1_ratio * (1.0 + p.k3e1_tr).powf(ty)).clamp(0.40, 0.95);
        let int_lzb = noisy_count(pl * iq * ratio / 12.0 * s, rng).min(int);
        let bg = r(e as f64 / (p.bg_ratio * (1.0 + 0.002 * rng.normal()))).min(e);

        let l4j_frac = (p.l4j + 0.012 * ty).clamp(0.33, 0.52) * (1.0 + 0.005 * rng.normal());
        let lzb_4j = r(lzb_raw[k] * l4j_frac).min(l);
        let int_svb = r(int as f64 * (p.svb + 0.02 * rng.normal()).clamp(0.70, 0.90)).min(int);
        let int_nachhaltig =
            r(int_svb as f64 * (p.nach + 0.02 * rng.normal()).clamp(0.50, 0.75)).min(int_svb);
        let int_bed = r(int as f64 * (p.bed + 0.015 * rng.normal()).clamp(0.36, 0.52)).min(int);

        let t = months_since_influx(y, m);
        let ia_ratio = p.asyl_int_ratio * (0.55 + 0.45 * (1.0 - (-t / 24.0).exp()));
        let int_asyl8 = noisy_count(pa * iq * ia_ratio / 12.0 * s, rng).min(int);
        let a_old = (e as f64 * p.asyl_final * ASYL_BASE).min(a as f64);
        let a_new = (a as f64 - a_old).max(0.0);
        let g = 0.02 + 0.63 * (1.0 - (-(t - 15.0).max(0.0) / 12.0).exp());
        let lzb_asyl8 = r(a_old * 0.55 + a_new * g).min(a).min(l);

        let years_from_2017 = f64::from(y - 2017) + (m as f64 - 1.0) / 12.0;
        let llu = e as f64 * 3_200.0 / 12.0
            * 1.018f64.powf(years_from_2017)
            * (1.0 + 0.008 * rng.normal());
        let kdu =
            bg as f64 * p.kdu_bg * 1.02f64.powf(years_from_2017) * (1.0 + 0.008 * rng.normal());

        rows.push(Row {
            elb: e,
            bg,
            int,
            lzb: l,
            int_lzb,
            llu_cents: (llu * 100.0).round() as i64,
            kdu_cents: (kdu * 100.0).round() as i64,
            opt: [
                int_svb,
                int_nachhaltig,
                int_bed,
                lzb_4j,
                a,
                int_asyl8,
                lzb_asyl8,
            ],
        });
    }
    rows
}
