//! The Jobcenters of a data set and their model parameters: the 18 zkT of NRW for the
//! sample, or invented ones spread over the 16 Länder.

use super::rng::Rng;

#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    /// ELB stock at the first month (trend level, before seasonality).
    pub(super) elb0: f64,
    /// Relative ELB change per year.
    pub(super) elb_tr: f64,
    /// ELB per BG.
    pub(super) bg_ratio: f64,
    /// Yearly Integrationsquote at the first month.
    pub(super) iq0: f64,
    /// Relative change of the Integrationsquote per year.
    pub(super) iq_tr: f64,
    /// LZB share of ELB at the first month.
    pub(super) lzb0: f64,
    /// Change of the LZB share per year (absolute, 0.005 = half a point).
    pub(super) lzb_tr: f64,
    /// Integrationsquote of LZB relative to the overall one (about two thirds).
    pub(super) k3e1_ratio: f64,
    /// Relative change of that ratio per year.
    pub(super) k3e1_tr: f64,
    /// Leistungen für Unterkunft und Heizung per BG and month (euros, 2017 level).
    pub(super) kdu_bg: f64,
    /// Share of ELB from the eight Asylherkunftsländer once the 2015/16 influx has settled.
    pub(super) asyl_final: f64,
    /// Integrationsquote of those ELB relative to the overall one (long-run).
    pub(super) asyl_int_ratio: f64,
    /// `int_svb / int`.
    pub(super) svb: f64,
    /// `int_nachhaltig / int_svb`.
    pub(super) nach: f64,
    /// `int_bedarfsdeckend / int`.
    pub(super) bed: f64,
    /// `lzb_4j / lzb` at the first month.
    pub(super) l4j: f64,
}

pub(super) struct Jc {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) land: String,
    pub(super) traeger: &'static str,
    pub(super) vt: String,
    pub(super) email: String,
    pub(super) p: Params,
}

/// The 18 zkT of NRW: id, name, Vergleichstyp, ELB (Jan 2016 trend level), ELB trend,
/// IQ, IQ trend, LZB share, LZB share trend, `K3E1 / K2` ratio, its trend, ELB per BG,
/// `KdU` per BG, `Asyl8` share of ELB.
///
/// The trends are chosen so that the 2018 reports show a mix of met and missed targets.
#[allow(clippy::type_complexity)]
#[rustfmt::skip]
pub(super) const NRW: [(&str, &str, &str, [f64; 11]); 18] = [
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
pub(super) const LAENDER: [(&str, &str, usize, f64); 16] = [
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
pub(super) const MAX_PER_LAND: usize = 999;

pub(super) fn email_for(name: &str) -> String {
    let slug = crate::output::names::slug(name);
    let host = if slug.starts_with("jobcenter") {
        slug
    } else {
        format!("jobcenter-{slug}")
    };
    format!("zielsteuerung@{host}.example")
}

pub(super) fn nrw_jobcenters(seed: u64) -> Vec<Jc> {
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
pub(super) fn land_counts(n: usize) -> Vec<usize> {
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

pub(super) fn synthetic_jobcenters(n: usize, seed: u64) -> Vec<Jc> {
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
