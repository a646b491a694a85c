//! Deterministic generator of **synthetic** SGB II monthly figures (std only).
//!
//! Writes `jobcenter.csv`, `monatswerte.csv` and `ziele.csv` (plus `README.md` for the
//! NRW sample) in the input format of `data-contract.md`. Every figure is invented; the
//! magnitudes follow `domain-notes.md` so that reports look realistic.
//!
//! * `sample_nrw = true`: the 18 zkT of NRW, written like German Excel does
//!   (`;` delimiter, decimal comma). `jobcenters` is ignored.
//! * `sample_nrw = false`: `jobcenters` invented Jobcenters in 16 Länder, written with
//!   `,` delimiter and decimal point.
//!
//! The same configuration always gives the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Number of Jobcenters (ignored when `sample_nrw`).
    pub jobcenters: usize,
    /// First calendar year of the monthly rows.
    pub first_year: i32,
    /// Number of calendar years (12 months each).
    pub years: u32,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// The 18 zkT of NRW instead of invented Jobcenters.
    pub sample_nrw: bool,
    /// Put a few statistical symbols (`*`, `.`, `…`, …) into optional value cells.
    pub missing_symbols: bool,
}

/// Seed of the shipped sample in `data/`.
pub const SAMPLE_SEED: u64 = 14;

impl GenerateConfig {
    /// The configuration of the shipped sample (`data/`): NRW zkT, 2016-01 .. 2018-12.
    pub fn nrw_sample() -> Self {
        GenerateConfig {
            jobcenters: NRW.len(),
            first_year: 2016,
            years: 3,
            seed: SAMPLE_SEED,
            sample_nrw: true,
            missing_symbols: true,
        }
    }
}

impl Default for GenerateConfig {
    /// 405 invented Jobcenters, 2016 .. 2018, no symbols.
    fn default() -> Self {
        GenerateConfig {
            jobcenters: 405,
            first_year: 2016,
            years: 3,
            seed: 1,
            sample_nrw: false,
            missing_symbols: false,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateSummary {
    pub jobcenters: usize,
    pub months: usize,
    /// Data rows of `monatswerte.csv` (= jobcenters × months).
    pub rows: usize,
}

/// Generates the data set into `dir` (created if needed).
pub fn generate(cfg: &GenerateConfig, dir: &Path) -> io::Result<GenerateSummary> {
    let files = render(cfg)?;
    fs::create_dir_all(dir)?;
    fs::write(dir.join("jobcenter.csv"), &files.jobcenter)?;
    fs::write(dir.join("monatswerte.csv"), &files.monatswerte)?;
    fs::write(dir.join("ziele.csv"), &files.ziele)?;
    if let Some(readme) = &files.readme {
        fs::write(dir.join("README.md"), readme)?;
    }
    Ok(files.summary)
}

// ---------------------------------------------------------------------------------------
// Pseudo-random numbers: SplitMix64.

struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Approximately standard normal (Irwin–Hall with four terms, bounded by ±3.46).
    fn normal(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 3f64.sqrt()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
}

// ---------------------------------------------------------------------------------------
// Model parameters of one Jobcenter.

#[derive(Debug, Clone, Copy)]
struct Params {
    /// ELB stock at the first month (trend level, before seasonality).
    elb0: f64,
    /// Relative ELB change per year.
    elb_tr: f64,
    /// ELB per BG.
    bg_ratio: f64,
    /// Yearly Integrationsquote at the first month.
    iq0: f64,
    /// Relative change of the Integrationsquote per year.
    iq_tr: f64,
    /// LZB share of ELB at the first month.
    lzb0: f64,
    /// Change of the LZB share per year (absolute, 0.005 = half a point).
    lzb_tr: f64,
    /// Integrationsquote of LZB relative to the overall one (about two thirds).
    k3e1_ratio: f64,
    /// Relative change of that ratio per year.
    k3e1_tr: f64,
    /// Leistungen für Unterkunft und Heizung per BG and month (euros, 2017 level).
    kdu_bg: f64,
    /// Share of ELB from the eight Asylherkunftsländer once the 2015/16 influx has settled.
    asyl_final: f64,
    /// Integrationsquote of those ELB relative to the overall one (long-run).
    asyl_int_ratio: f64,
    /// `int_svb / int`.
    svb: f64,
    /// `int_nachhaltig / int_svb`.
    nach: f64,
    /// `int_bedarfsdeckend / int`.
    bed: f64,
    /// `lzb_4j / lzb` at the first month.
    l4j: f64,
}

struct Jc {
    id: String,
    name: String,
    land: String,
    traeger: &'static str,
    vt: String,
    email: String,
    p: Params,
}

/// The 18 zkT of NRW: id, name, Vergleichstyp, ELB (Jan 2016 trend level), ELB trend,
/// IQ, IQ trend, LZB share, LZB share trend, `K3E1 / K2` ratio, its trend, ELB per BG,
/// `KdU` per BG, `Asyl8` share of ELB.
///
/// The trends are chosen so that the 2018 reports show a mix of met and missed targets.
#[allow(clippy::type_complexity)]
#[rustfmt::skip]
const NRW: [(&str, &str, &str, [f64; 11]); 18] = [
    ("05554", "Kreis Borken", "Ia", [11_985.0, -0.015, 0.295, 0.045, 0.610, -0.005, 0.66, -0.010, 1.379, 310.0, 0.12]),
    ("05558", "Kreis Coesfeld", "Ia", [6_900.0, -0.025, 0.305, 0.020, 0.600, -0.003, 0.68, 0.030, 1.365, 318.0, 0.11]),
    ("05358", "Kreis Düren", "IIb", [21_800.0, 0.005, 0.225, 0.025, 0.680, 0.002, 0.64, 0.020, 1.400, 335.0, 0.17]),
    ("05954", "Ennepe-Ruhr-Kreis", "IIb", [23_800.0, -0.010, 0.245, -0.020, 0.690, -0.002, 0.66, 0.010, 1.420, 352.0, 0.15]),
    ("05113", "Stadt Essen", "IIIc", [78_500.0, -0.008, 0.205, 0.035, 0.750, -0.003, 0.63, 0.020, 1.450, 378.0, 0.24]),
    ("05754", "Kreis Gütersloh", "Ia", [14_600.0, -0.030, 0.290, -0.005, 0.630, -0.006, 0.67, 0.015, 1.370, 322.0, 0.13]),
    ("05915", "Stadt Hamm", "IIIa", [19_200.0, 0.010, 0.215, 0.020, 0.700, 0.003, 0.62, 0.035, 1.430, 340.0, 0.19]),
    ("05958", "Hochsauerlandkreis", "IIa", [12_600.0, -0.020, 0.280, 0.035, 0.650, -0.004, 0.67, 0.005, 1.360, 305.0, 0.12]),
    ("05154", "Kreis Kleve", "IIa", [17_100.0, -0.005, 0.270, 0.040, 0.650, 0.000, 0.66, 0.010, 1.380, 315.0, 0.14]),
    ("05766", "Kreis Lippe", "IIa", [25_200.0, 0.003, 0.240, -0.015, 0.670, 0.003, 0.65, 0.010, 1.390, 325.0, 0.16]),
    ("05770", "Kreis Minden-Lübbecke", "IIa", [19_600.0, -0.012, 0.250, 0.040, 0.660, -0.002, 0.66, 0.020, 1.385, 320.0, 0.15]),
    ("05117", "Stadt Mülheim an der Ruhr", "IIIa", [20_600.0, 0.008, 0.220, 0.010, 0.710, 0.002, 0.63, 0.025, 1.440, 365.0, 0.18]),
    ("05515", "Stadt Münster", "IId", [17_600.0, -0.010, 0.260, 0.050, 0.640, -0.005, 0.68, 0.000, 1.460, 380.0, 0.14]),
    ("05562", "Kreis Recklinghausen", "IIIb", [66_500.0, -0.005, 0.190, 0.025, 0.720, 0.000, 0.62, 0.010, 1.430, 348.0, 0.17]),
    ("05566", "Kreis Steinfurt", "Ia", [15_600.0, -0.020, 0.300, 0.025, 0.620, -0.004, 0.67, 0.020, 1.370, 312.0, 0.12]),
    ("05122", "Stadt Solingen", "IId", [13_600.0, 0.000, 0.240, 0.030, 0.690, -0.003, 0.65, 0.015, 1.420, 360.0, 0.16]),
    ("05570", "Kreis Warendorf", "IIa", [13_100.0, -0.015, 0.280, -0.010, 0.640, 0.000, 0.67, 0.010, 1.375, 316.0, 0.13]),
    ("05124", "Stadt Wuppertal", "IIIc", [51_500.0, -0.003, 0.220, 0.028, 0.720, -0.002, 0.64, 0.020, 1.440, 370.0, 0.22]),
];

/// The 16 Länder: AGS prefix, abbreviation, weight (roughly the number of Jobcenters),
/// bias of the labour market (positive = better).
const LAENDER: [(&str, &str, usize, f64); 16] = [
    ("01", "SH", 15, 0.0),
    ("02", "HH", 1, -0.05),
    ("03", "NI", 43, 0.0),
    ("04", "HB", 2, -0.20),
    ("05", "NW", 53, -0.07),
    ("06", "HE", 26, 0.05),
    ("07", "RP", 36, 0.08),
    ("08", "BW", 44, 0.18),
    ("09", "BY", 96, 0.22),
    ("10", "SL", 6, -0.03),
    ("11", "BE", 12, -0.20),
    ("12", "BB", 18, -0.12),
    ("13", "MV", 8, -0.15),
    ("14", "SN", 13, -0.10),
    ("15", "ST", 14, -0.17),
    ("16", "TH", 22, -0.08),
];

/// At most 999 Jobcenters per Land prefix (numbers 001..999).
const MAX_PER_LAND: usize = 999;

/// Stocks dip in summer (mean 1).
const SEASON_STOCK: [f64; 12] = [
    1.010, 1.012, 1.008, 1.002, 0.996, 0.992, 0.990, 0.990, 0.994, 0.998, 1.002, 1.006,
];
/// Integrations are high in spring and autumn, low in December (mean 1).
const SEASON_INT: [f64; 12] = [
    0.90, 1.00, 1.12, 1.10, 1.05, 0.98, 0.95, 1.10, 1.15, 1.08, 0.97, 0.60,
];

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        match c {
            'ä' | 'Ä' => s.push_str("ae"),
            'ö' | 'Ö' => s.push_str("oe"),
            'ü' | 'Ü' => s.push_str("ue"),
            'ß' => s.push_str("ss"),
            c if c.is_ascii_alphanumeric() => s.push(c.to_ascii_lowercase()),
            _ => {
                if !s.is_empty() && !s.ends_with('-') {
                    s.push('-');
                }
            }
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

fn email_for(name: &str) -> String {
    let slug = slug(name);
    let host = if slug.starts_with("jobcenter") {
        slug
    } else {
        format!("jobcenter-{slug}")
    };
    format!("zielsteuerung@{host}.example")
}

fn nrw_jobcenters(seed: u64) -> Vec<Jc> {
    NRW.iter()
        .enumerate()
        .map(|(i, &(id, name, vt, v))| {
            let mut rng = Rng::new(seed, 10_000 + i as u64);
            let p = Params {
                elb0: v[0],
                elb_tr: v[1],
                iq0: v[2],
                iq_tr: v[3],
                lzb0: v[4],
                lzb_tr: v[5],
                k3e1_ratio: v[6],
                k3e1_tr: v[7],
                bg_ratio: v[8],
                kdu_bg: v[9],
                asyl_final: v[10],
                asyl_int_ratio: rng.range(0.78, 0.95),
                svb: rng.range(0.76, 0.84),
                nach: rng.range(0.57, 0.68),
                bed: rng.range(0.41, 0.47),
                l4j: rng.range(0.37, 0.44),
            };
            Jc {
                id: id.to_string(),
                name: name.to_string(),
                land: "NRW".to_string(),
                traeger: "zkT",
                vt: vt.to_string(),
                email: email_for(name),
                p,
            }
        })
        .collect()
}

/// Jobcenters per Land: proportional to the weights (largest remainder), at most
/// `MAX_PER_LAND` each.
fn land_counts(n: usize) -> Vec<usize> {
    let total: usize = LAENDER.iter().map(|l| l.2).sum();
    let mut counts: Vec<usize> = LAENDER.iter().map(|l| n * l.2 / total).collect();
    let mut rest: Vec<(usize, usize)> = LAENDER
        .iter()
        .enumerate()
        .map(|(i, l)| ((n * l.2) % total, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let assigned: usize = counts.iter().sum();
    for &(_, i) in rest.iter().take(n - assigned) {
        counts[i] += 1;
    }
    // Spill over the cap into the Länder with room, in order.
    let mut excess: usize = counts.iter().map(|&c| c.saturating_sub(MAX_PER_LAND)).sum();
    for c in &mut counts {
        *c = (*c).min(MAX_PER_LAND);
    }
    for c in &mut counts {
        let room = MAX_PER_LAND - *c;
        let take = room.min(excess);
        *c += take;
        excess -= take;
    }
    counts
}

fn synthetic_jobcenters(n: usize, seed: u64) -> Vec<Jc> {
    let counts = land_counts(n);
    let mut out = Vec::with_capacity(n);
    for (li, &(prefix, abbr, _, bias)) in LAENDER.iter().enumerate() {
        for k in 0..counts[li] {
            let index = out.len();
            let mut rng = Rng::new(seed, index as u64);
            let u = (0.1 + 0.8 * rng.unit() + bias).clamp(0.0, 1.0);
            let size = f64::midpoint(rng.unit(), rng.unit());
            let elb0 = (3_500f64.ln() + size * (110_000f64 / 3_500.0).ln()).exp();
            let p = Params {
                elb0,
                elb_tr: rng.range(-0.03, 0.02),
                bg_ratio: rng.range(1.32, 1.48),
                iq0: (0.18 + 0.14 * u + 0.01 * rng.normal()).clamp(0.16, 0.35),
                iq_tr: rng.range(-0.025, 0.035),
                lzb0: (0.76 - 0.14 * u + 0.01 * rng.normal()).clamp(0.56, 0.79),
                lzb_tr: rng.range(-0.008, 0.006),
                k3e1_ratio: rng.range(0.60, 0.72),
                k3e1_tr: rng.range(-0.02, 0.05),
                kdu_bg: rng.range(300.0, 380.0),
                asyl_final: rng.range(0.10, 0.25),
                asyl_int_ratio: rng.range(0.75, 1.0),
                svb: rng.range(0.75, 0.85),
                nach: rng.range(0.55, 0.70),
                bed: rng.range(0.40, 0.48),
                l4j: rng.range(0.35, 0.45),
            };
            let roman = if u >= 0.62 {
                "I"
            } else if u >= 0.33 {
                "II"
            } else {
                "III"
            };
            let letter = match elb0 {
                e if e < 8_000.0 => 'a',
                e if e < 15_000.0 => 'b',
                e if e < 25_000.0 => 'c',
                e if e < 45_000.0 => 'd',
                _ => 'e',
            };
            let kind = if elb0 >= 45_000.0 {
                "Musterstadt"
            } else {
                "Musterkreis"
            };
            let name = format!("Jobcenter {kind} {}", index + 1);
            let traeger = if rng.unit() < 0.26 { "zkT" } else { "gE" };
            out.push(Jc {
                id: format!("{prefix}{:03}", k + 1),
                email: email_for(&name),
                name,
                land: abbr.to_string(),
                traeger,
                vt: format!("{roman}{letter}"),
                p,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Simulation.

#[derive(Debug, Clone, Copy, Default)]
struct Row {
    elb: i64,
    bg: i64,
    int: i64,
    lzb: i64,
    int_lzb: i64,
    llu_cents: i64,
    kdu_cents: i64,
    /// The optional counts in the order of [`OPT_COLS`].
    opt: [i64; 7],
}

const OPT_COLS: [&str; 7] = [
    "int_svb",
    "int_nachhaltig",
    "int_bedarfsdeckend",
    "lzb_4j",
    "elb_asyl8",
    "int_asyl8",
    "lzb_asyl8",
];

/// (year, month 1..12) of month index `mi` (0 = January of `first_year`; may be negative).
fn year_month(first_year: i32, mi: i64) -> (i32, usize) {
    let abs = i64::from(first_year) * 12 + mi;
    (abs.div_euclid(12) as i32, abs.rem_euclid(12) as usize + 1)
}

/// Share of `asyl_final` reached before the 2015/16 inflow.
const ASYL_BASE: f64 = 0.5;

/// Months since September 2015 (start of the large refugee inflow into SGB II), ≥ 0.
fn months_since_influx(year: i32, month: usize) -> f64 {
    let t = (i64::from(year) - 2015) * 12 + month as i64 - 9;
    t.max(0) as f64
}

fn r(x: f64) -> i64 {
    x.round().max(0.0) as i64
}

/// A monthly count with expectation `mean`: Poisson-like noise (somewhat under-dispersed,
/// to keep the designed trends visible) plus 0.5 % relative noise.
fn noisy_count(mean: f64, rng: &mut Rng) -> i64 {
    let mean = mean.max(0.0);
    let sd = (0.12 * mean).sqrt() + 0.005 * mean;
    r(mean + sd * rng.normal())
}

#[allow(clippy::many_single_char_names)]
fn simulate(p: &Params, first_year: i32, months: usize, rng: &mut Rng) -> Vec<Row> {
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

// ---------------------------------------------------------------------------------------
// Writing.

#[derive(Clone, Copy)]
struct Format {
    delim: char,
    dec: char,
}

fn cell(out: &mut String, text: &str, f: Format) {
    if text.contains([f.delim, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn money(out: &mut String, cents: i64, f: Format) {
    if cents < 0 {
        out.push('-');
    }
    let c = cents.unsigned_abs();
    let _ = write!(out, "{}{}{:02}", c / 100, f.dec, c % 100);
}

/// A target given with `.` as decimal mark, written in the file's format.
fn soll(out: &mut String, text: &str, f: Format) {
    out.push_str(&text.replace('.', &f.dec.to_string()));
}

struct Files {
    jobcenter: String,
    monatswerte: String,
    ziele: String,
    readme: Option<String>,
    summary: GenerateSummary,
}

/// A symbol in an optional cell: (Jobcenter index, month index, optional column, symbol).
type Symbol = (usize, usize, usize, &'static str);

fn sample_symbols(jcs: &[Jc], first_year: i32, months: usize) -> Vec<Symbol> {
    // (id, year, month, column, symbol); kept away from the figures of 2018 except one
    // stock (Coesfeld lzb_asyl8, December 2018) so that one report shows "k. A.".
    const S: [(&str, i32, usize, &str, &str); 5] = [
        ("05558", 2016, 3, "elb_asyl8", "*"),
        ("05958", 2016, 7, "lzb_4j", "."),
        ("05515", 2018, 11, "int_nachhaltig", "…"),
        ("05515", 2018, 12, "int_nachhaltig", "…"),
        ("05558", 2018, 12, "lzb_asyl8", "*"),
    ];
    let mut out = Vec::new();
    for &(id, y, m, col, sym) in &S {
        let Some(j) = jcs.iter().position(|jc| jc.id == id) else {
            continue;
        };
        let mi = (i64::from(y) - i64::from(first_year)) * 12 + m as i64 - 1;
        if mi < 0 || mi as usize >= months {
            continue;
        }
        let c = OPT_COLS
            .iter()
            .position(|&n| n == col)
            .expect("known column");
        out.push((j, mi as usize, c, sym));
    }
    out
}

fn synthetic_symbols(seed: u64, n_jc: usize, months: usize) -> Vec<Symbol> {
    const SYMS: [&str; 6] = ["*", ".", "…", "x", "/", "..."];
    let mut rng = Rng::new(seed, u64::MAX - 7);
    let mut out: Vec<Symbol> = Vec::new();
    let want = 5.min(n_jc * months * OPT_COLS.len());
    while out.len() < want {
        let s = (
            rng.below(n_jc),
            rng.below(months),
            rng.below(OPT_COLS.len()),
            SYMS[out.len() % SYMS.len()],
        );
        if !out.iter().any(|o| (o.0, o.1, o.2) == (s.0, s.1, s.2)) {
            out.push(s);
        }
    }
    out
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

#[allow(clippy::many_single_char_names)]
fn render(cfg: &GenerateConfig) -> io::Result<Files> {
    if cfg.years == 0 {
        return Err(invalid("years must be at least 1"));
    }
    let last_year = i64::from(cfg.first_year) + i64::from(cfg.years) - 1;
    // datenstand reaches two months past the last month, still a four-digit year.
    if cfg.first_year < 1000 || last_year > 9998 {
        return Err(invalid("years must lie within 1000..=9998"));
    }
    if !cfg.sample_nrw {
        if cfg.jobcenters == 0 {
            return Err(invalid("jobcenters must be at least 1"));
        }
        if cfg.jobcenters > MAX_PER_LAND * LAENDER.len() {
            return Err(invalid("at most 15984 jobcenters (5-digit ids)"));
        }
    }
    let months = cfg.years as usize * 12;
    let (jcs, f) = if cfg.sample_nrw {
        (
            nrw_jobcenters(cfg.seed),
            Format {
                delim: ';',
                dec: ',',
            },
        )
    } else {
        (
            synthetic_jobcenters(cfg.jobcenters, cfg.seed),
            Format {
                delim: ',',
                dec: '.',
            },
        )
    };
    let d = f.delim;

    // jobcenter.csv
    let mut jobcenter = String::new();
    let _ = writeln!(
        jobcenter,
        "jobcenter{d}name{d}land{d}traeger{d}vergleichstyp{d}email"
    );
    for jc in &jcs {
        for (i, text) in [&jc.id, &jc.name, &jc.land, jc.traeger, &jc.vt, &jc.email]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                jobcenter.push(d);
            }
            cell(&mut jobcenter, text, f);
        }
        jobcenter.push('\n');
    }

    // monatswerte.csv
    let symbols = match (cfg.missing_symbols, cfg.sample_nrw) {
        (false, _) => Vec::new(),
        (true, true) => sample_symbols(&jcs, cfg.first_year, months),
        (true, false) => synthetic_symbols(cfg.seed, jcs.len(), months),
    };
    let mut mw = String::with_capacity(jcs.len() * months * 120 + 256);
    mw.push_str("jobcenter");
    for col in [
        "monat", "elb", "bg", "int", "lzb", "int_lzb", "llu_eur", "kdu_eur",
    ]
    .iter()
    .chain(OPT_COLS.iter())
    .chain(["datenstand"].iter())
    {
        mw.push(d);
        mw.push_str(col);
    }
    mw.push('\n');
    for (j, jc) in jcs.iter().enumerate() {
        let mut rng = Rng::new(cfg.seed, 1_000_000 + j as u64);
        let rows = simulate(&jc.p, cfg.first_year, months, &mut rng);
        for (mi, row) in rows.iter().enumerate() {
            let (y, m) = year_month(cfg.first_year, mi as i64);
            let (dy, dm) = year_month(cfg.first_year, mi as i64 + 2);
            let _ = write!(
                mw,
                "{}{d}{y:04}-{m:02}{d}{}{d}{}{d}{}{d}{}{d}{}{d}",
                jc.id, row.elb, row.bg, row.int, row.lzb, row.int_lzb
            );
            money(&mut mw, row.llu_cents, f);
            mw.push(d);
            money(&mut mw, row.kdu_cents, f);
            for (c, v) in row.opt.iter().enumerate() {
                mw.push(d);
                match symbols.iter().find(|s| s.0 == j && s.1 == mi && s.2 == c) {
                    Some(s) => mw.push_str(s.3),
                    None => {
                        let _ = write!(mw, "{v}");
                    }
                }
            }
            let _ = writeln!(mw, "{d}{dy:04}-{dm:02}-15");
        }
    }

    // ziele.csv
    let mut ziele = String::new();
    let _ = writeln!(ziele, "jahr{d}jobcenter{d}ziel{d}soll_pct");
    let mut target = |year: i64, id: &str, ziel: &str, value: &str| {
        let _ = write!(ziele, "{year}{d}{id}{d}{ziel}{d}");
        soll(&mut ziele, value, f);
        ziele.push('\n');
    };
    let ziele_names = ["int", "k2", "k3", "k3e1", "lzb_je"];
    if cfg.sample_nrw {
        let star = ["2.1", "0.0", "0.0", "4.0", "0.0"];
        for year in i64::from(cfg.first_year) + 1..=last_year {
            for (z, v) in ziele_names.iter().zip(star) {
                target(year, "*", z, v);
            }
        }
        let own = [
            ("05113", "k3", "-0.25"),
            ("05754", "lzb_je", "-1.0"),
            ("05562", "int", "1.5"),
            ("05124", "k3e1", "3.5"),
        ];
        for (id, z, v) in own {
            target(last_year, id, z, v);
        }
    } else {
        let mut rng = Rng::new(cfg.seed, u64::MAX - 3);
        for year in i64::from(cfg.first_year)..=last_year {
            let pick = |rng: &mut Rng, opts: &[&'static str]| opts[rng.below(opts.len())];
            let vals = [
                pick(&mut rng, &["1.5", "2.0", "2.1", "2.5", "3.0"]),
                pick(&mut rng, &["0.0", "0.0", "0.5"]),
                pick(&mut rng, &["0.0", "-0.5", "-1.0", "-1.5"]),
                pick(&mut rng, &["3.0", "4.0", "4.5", "5.0"]),
                pick(&mut rng, &["0.0", "-0.5", "-1.0"]),
            ];
            for (z, v) in ziele_names.iter().zip(vals) {
                target(year, "*", z, v);
            }
        }
        for (j, jc) in jcs.iter().enumerate() {
            match j % 50 {
                7 => target(last_year, &jc.id, "int", "1.5"),
                23 => target(last_year, &jc.id, "k3", "-0.25"),
                _ => {}
            }
        }
    }

    let readme = cfg.sample_nrw.then(|| sample_readme(cfg, months));
    Ok(Files {
        summary: GenerateSummary {
            jobcenters: jcs.len(),
            months,
            rows: jcs.len() * months,
        },
        jobcenter,
        monatswerte: mw,
        ziele,
        readme,
    })
}

fn sample_readme(cfg: &GenerateConfig, months: usize) -> String {
    let last = year_month(cfg.first_year, months as i64 - 1);
    format!(
        "# Sample data — SYNTHETIC\n\
\n\
**All figures in this folder are synthetic.** They were invented by `zielbericht`'s data\n\
generator (seed {seed}) for demonstration and testing. They are **not official\n\
statistics** of the Bundesagentur für Arbeit, of the Jobcenters or of the Land NRW, and\n\
must not be quoted as such. Only the names and Kreisschlüssel of the 18 zugelassene\n\
kommunale Träger (zkT) in North Rhine-Westphalia are real; their magnitudes are roughly\n\
realistic, but every monthly value, trend, e-mail address (`.example` domains) and\n\
Jobcenter-specific target is made up.\n\
\n\
The files are written the way German Excel saves CSV: `;` as delimiter, decimal comma\n\
for euro amounts, UTF-8.\n\
\n\
| file | content |\n\
|---|---|\n\
| `jobcenter.csv` | the 18 zkT: Kreisschlüssel, name, Land, Träger, Vergleichstyp, e-mail |\n\
| `monatswerte.csv` | one row per Jobcenter and month, {y0}-01 to {y1}-{m1:02}: stocks (ELB, BG, LZB, LZB ≥ 4 years, ELB from the eight Asylherkunftsländer), integrations (all, of LZB, into insured employment, sustainable, bedarfsdeckend, Asyl8), LLU and KdU in euros, and the Datenstand |\n\
| `ziele.csv` | targets (relative change in percent) per year: `*` rows for every Jobcenter, plus a few Jobcenter-specific rows for {y1} |\n\
\n\
A few cells hold statistical symbols on purpose (`*` anonymised, `.` unknown, `…` not yet\n\
available) to show how missing values are reported (\"k. A.\").\n\
\n\
Regenerate with the generator in `src/generate.rs` (`GenerateConfig::nrw_sample()`).\n",
        seed = cfg.seed,
        y0 = cfg.first_year,
        y1 = last.0,
        m1 = last.1,
    )
}

// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("zielbericht-gen-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// Minimal reader for the generated files (no quoted cells are produced).
    fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
        let text = fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let d =
            if header.matches(';').count() >= header.matches(',').count() && header.contains(';') {
                ';'
            } else {
                ','
            };
        let split = |l: &str| l.split(d).map(str::to_string).collect::<Vec<_>>();
        let h = split(header);
        let rows = lines.filter(|l| !l.is_empty()).map(split).collect();
        (h, rows)
    }

    fn count(s: &str) -> Option<i64> {
        match s {
            "" | "*" | "." | "x" | "/" | "…" | "..." => None,
            _ => Some(s.parse().unwrap_or_else(|_| panic!("not a count: {s:?}"))),
        }
    }

    fn small(sample: bool, symbols: bool) -> GenerateConfig {
        GenerateConfig {
            jobcenters: 37,
            first_year: 2014,
            years: 4,
            seed: 99,
            sample_nrw: sample,
            missing_symbols: symbols,
        }
    }

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn deterministic() {
        for cfg in [small(false, true), GenerateConfig::nrw_sample()] {
            let (a, b) = (tmp("det-a"), tmp("det-b"));
            generate(&cfg, &a).unwrap();
            generate(&cfg, &b).unwrap();
            assert_eq!(files(&a), files(&b));
            let c = tmp("det-c");
            generate(
                &GenerateConfig {
                    seed: cfg.seed + 1,
                    ..cfg.clone()
                },
                &c,
            )
            .unwrap();
            assert_ne!(
                fs::read(a.join("monatswerte.csv")).unwrap(),
                fs::read(c.join("monatswerte.csv")).unwrap()
            );
            for d in [a, b, c] {
                fs::remove_dir_all(d).unwrap();
            }
        }
    }

    #[test]
    fn row_counts() {
        let dir = tmp("rows");
        let s = generate(&small(false, false), &dir).unwrap();
        assert_eq!(
            s,
            GenerateSummary {
                jobcenters: 37,
                months: 48,
                rows: 37 * 48
            }
        );
        let (_, jc) = read(&dir.join("jobcenter.csv"));
        let (_, mw) = read(&dir.join("monatswerte.csv"));
        assert_eq!(jc.len(), 37);
        assert_eq!(mw.len(), 37 * 48);
        let mut ids: Vec<_> = jc.iter().map(|r| r[0].clone()).collect();
        assert!(
            ids.iter()
                .all(|id| id.len() == 5 && id.bytes().all(|b| b.is_ascii_digit()))
        );
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 37);
        assert!(!dir.join("README.md").exists());
        fs::remove_dir_all(&dir).unwrap();

        let dir = tmp("rows-nrw");
        let s = generate(&GenerateConfig::nrw_sample(), &dir).unwrap();
        assert_eq!(
            s,
            GenerateSummary {
                jobcenters: 18,
                months: 36,
                rows: 18 * 36
            }
        );
        assert_eq!(read(&dir.join("monatswerte.csv")).1.len(), 18 * 36);
        assert!(dir.join("README.md").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn many_ids_are_distinct() {
        let jcs = synthetic_jobcenters(5_000, 3);
        let mut ids: Vec<_> = jcs.iter().map(|j| j.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5_000);
        assert_eq!(land_counts(15_984).iter().sum::<usize>(), 15_984);
        assert!(
            render(&GenerateConfig {
                jobcenters: 15_985,
                ..small(false, false)
            })
            .is_err()
        );
    }

    /// Checks the columns, the plausibility relations and the symbol count of one data set.
    fn check_plausible(dir: &Path, want_symbols: bool) {
        let (h, rows) = read(&dir.join("monatswerte.csv"));
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let pairs = [
            ("int_lzb", "int"),
            ("lzb", "elb"),
            ("lzb_4j", "lzb"),
            ("bg", "elb"),
            ("int_svb", "int"),
            ("int_nachhaltig", "int_svb"),
            ("int_bedarfsdeckend", "int"),
            ("elb_asyl8", "elb"),
            ("int_asyl8", "int"),
            ("lzb_asyl8", "lzb"),
        ];
        let required = ["elb", "bg", "int", "lzb", "int_lzb"];
        let mut symbols = 0;
        for row in &rows {
            assert_eq!(row.len(), h.len());
            for r in required {
                assert!(count(&row[col(r)]).is_some(), "required {r} missing");
            }
            for c in OPT_COLS {
                if count(&row[col(c)]).is_none() {
                    symbols += 1;
                }
            }
            for (a, b) in pairs {
                if let (Some(x), Some(y)) = (count(&row[col(a)]), count(&row[col(b)])) {
                    assert!(x <= y, "{a} {x} > {b} {y} in {row:?}");
                }
            }
            assert!(count(&row[col("elb")]).unwrap() > 0);
            assert_eq!(row[col("datenstand")].len(), 10);
        }
        if want_symbols {
            assert!((3..=6).contains(&symbols), "{symbols} symbols");
        } else {
            assert_eq!(symbols, 0);
        }
    }

    #[test]
    fn plausibility_relations_hold() {
        for cfg in [
            small(false, true),
            small(false, false),
            GenerateConfig::nrw_sample(),
            GenerateConfig {
                missing_symbols: false,
                seed: 5,
                ..GenerateConfig::nrw_sample()
            },
        ] {
            let dir = tmp("plaus");
            generate(&cfg, &dir).unwrap();
            check_plausible(&dir, cfg.missing_symbols);
            fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn sample_has_the_18_zkt() {
        let dir = tmp("nrw");
        generate(&GenerateConfig::nrw_sample(), &dir).unwrap();
        let (h, rows) = read(&dir.join("jobcenter.csv"));
        assert_eq!(
            h,
            [
                "jobcenter",
                "name",
                "land",
                "traeger",
                "vergleichstyp",
                "email"
            ]
        );
        let expected = [
            ("05554", "Kreis Borken"),
            ("05558", "Kreis Coesfeld"),
            ("05358", "Kreis Düren"),
            ("05954", "Ennepe-Ruhr-Kreis"),
            ("05113", "Stadt Essen"),
            ("05754", "Kreis Gütersloh"),
            ("05915", "Stadt Hamm"),
            ("05958", "Hochsauerlandkreis"),
            ("05154", "Kreis Kleve"),
            ("05766", "Kreis Lippe"),
            ("05770", "Kreis Minden-Lübbecke"),
            ("05117", "Stadt Mülheim an der Ruhr"),
            ("05515", "Stadt Münster"),
            ("05562", "Kreis Recklinghausen"),
            ("05566", "Kreis Steinfurt"),
            ("05122", "Stadt Solingen"),
            ("05570", "Kreis Warendorf"),
            ("05124", "Stadt Wuppertal"),
        ];
        assert_eq!(rows.len(), 18);
        for (id, name) in expected {
            let row = rows
                .iter()
                .find(|r| r[0] == id)
                .unwrap_or_else(|| panic!("{id}"));
            assert_eq!(row[1], name);
            assert_eq!(row[2], "NRW");
            assert_eq!(row[3], "zkT");
            assert!(row[5].ends_with(".example"));
        }
        let borken = rows.iter().find(|r| r[0] == "05554").unwrap();
        assert_eq!(borken[5], "zielsteuerung@jobcenter-kreis-borken.example");
        // Several Vergleichstypen with two or more members.
        let mut vts: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
        vts.sort_unstable();
        let multi = vts.chunk_by(|a, b| a == b).filter(|g| g.len() >= 2).count();
        assert!(multi >= 4, "{vts:?}");

        let ziele = fs::read_to_string(dir.join("ziele.csv")).unwrap();
        for line in [
            "2018;*;int;2,1",
            "2018;*;k2;0,0",
            "2018;*;k3;0,0",
            "2018;*;k3e1;4,0",
            "2018;*;lzb_je;0,0",
            "2017;*;int;2,1",
            "2018;05113;k3;-0,25",
            "2018;05562;int;1,5",
        ] {
            assert!(ziele.lines().any(|l| l == line), "{line}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Magnitudes of the sample and a mix of met and missed 2018 int targets.
    #[test]
    fn sample_magnitudes_and_mix() {
        let dir = tmp("mag");
        generate(
            &GenerateConfig {
                missing_symbols: false,
                ..GenerateConfig::nrw_sample()
            },
            &dir,
        )
        .unwrap();
        let (h, rows) = read(&dir.join("monatswerte.csv"));
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let get = |id: &str, monat: &str, c: &str| -> f64 {
            let row = rows.iter().find(|r| r[0] == id && r[1] == monat).unwrap();
            row[col(c)].replace(',', ".").parse().unwrap()
        };
        let borken = get("05554", "2017-06", "elb");
        assert!((11_300.0..=11_950.0).contains(&borken), "{borken}");
        let bg = get("05554", "2017-06", "bg");
        assert!((8_100.0..=8_750.0).contains(&bg), "{bg}");
        let essen = get("05113", "2018-12", "elb");
        assert!((50_000.0..=80_000.0).contains(&essen), "{essen}");

        let ids: Vec<&str> = NRW.iter().map(|n| n.0).collect();
        let mut met = 0;
        for id in &ids {
            let sum = |y: i32, c: &str| -> f64 {
                (1..=12).map(|m| get(id, &format!("{y}-{m:02}"), c)).sum()
            };
            let mean_elb: f64 = (0..12)
                .map(|k| {
                    let (y, m) = year_month(2018, k - 1);
                    get(id, &format!("{y}-{m:02}"), "elb")
                })
                .sum::<f64>()
                / 12.0;
            let k2 = 100.0 * sum(2018, "int") / mean_elb;
            assert!((17.0..=34.0).contains(&k2), "{id}: K2 {k2}");
            let share = get(id, "2018-06", "lzb") / get(id, "2018-06", "elb");
            assert!((0.58..=0.78).contains(&share), "{id}: LZB share {share}");
            let llu_per_elb = sum(2018, "llu_eur") / get(id, "2018-06", "elb");
            assert!(
                (2_900.0..=3_600.0).contains(&llu_per_elb),
                "{id}: {llu_per_elb}"
            );
            let kdu_per_bg = sum(2018, "kdu_eur") / 12.0 / get(id, "2018-06", "bg");
            assert!((290.0..=410.0).contains(&kdu_per_bg), "{id}: {kdu_per_bg}");
            let target = if *id == "05562" { 1.5 } else { 2.1 };
            let change = (sum(2018, "int") / sum(2017, "int") - 1.0) * 100.0;
            if (change * 10.0).round() / 10.0 >= target {
                met += 1;
            }
        }
        assert!((5..=13).contains(&met), "{met} of 18 meet the int target");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_bad_config() {
        assert!(
            render(&GenerateConfig {
                years: 0,
                ..small(false, false)
            })
            .is_err()
        );
        assert!(
            render(&GenerateConfig {
                jobcenters: 0,
                ..small(false, false)
            })
            .is_err()
        );
        assert!(
            render(&GenerateConfig {
                jobcenters: 0,
                ..GenerateConfig::nrw_sample()
            })
            .is_ok()
        );
    }

    #[test]
    fn number_formats() {
        let mut s = String::new();
        money(
            &mut s,
            123_456_789,
            Format {
                delim: ';',
                dec: ',',
            },
        );
        s.push(' ');
        money(
            &mut s,
            -5,
            Format {
                delim: ',',
                dec: '.',
            },
        );
        assert_eq!(s, "1234567,89 -0.05");
        assert_eq!(
            slug("Stadt Mülheim an der Ruhr"),
            "stadt-muelheim-an-der-ruhr"
        );
        assert_eq!(year_month(2016, -1), (2015, 12));
        assert_eq!(year_month(2016, 13), (2017, 2));
    }
}
