//! Deterministic generator of **synthetic** SGB II monthly figures (std only).
//!
//! Writes `jobcenter.csv`, `monatswerte.csv` and `ziele.csv` (plus `README.md` for the
//! NRW sample) in the input format of `docs/data-format.md`. Every figure is invented; the
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

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateSummary {
    pub jobcenters: usize,
    pub months: usize,
    /// Data rows of `monatswerte.csv` (= jobcenters × months).
    pub rows: usize,
}

/// The files [`generate`] writes.
pub const FILES: [&str; 4] = ["jobcenter.csv", "monatswerte.csv", "ziele.csv", "README.md"];

/// Generates the data set into `dir` (created if needed), replacing files of the same names.
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

mod jobcenters;
mod rng;
mod simulate;
#[cfg(test)]
mod tests;

use jobcenters::{Jc, LAENDER, MAX_PER_LAND, NRW, nrw_jobcenters, synthetic_jobcenters};
use rng::Rng;
use simulate::{OPT_COLS, simulate, year_month};

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

/// The columns by sex of the sample (contract v3), in the order [`by_sex`] writes them.
const SEX_COLS: [&str; 8] = crate::domain::Col::names(14);

/// Women and men of one monthly row: women's shares as in the SGB II statistics (ELB about
/// half, integrations about two fifths, LZB a little more than half); a few persons
/// without a recorded sex, so women + men may fall short of the total.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn by_sex(row: &simulate::Row, rng: &mut Rng) -> [i64; 8] {
    let mut split = |total: i64, women: f64| {
        let f = ((total as f64) * women * (1.0 + 0.01 * rng.normal())).round() as i64;
        let f = f.clamp(0, total);
        let unknown = ((total as f64) * 0.002).round() as i64;
        (f, (total - f - unknown).max(0))
    };
    let (ef, em) = split(row.elb, 0.49);
    let (inf, inm) = split(row.int, 0.40);
    let (lf, lm) = split(row.lzb, 0.53);
    let (ilf, ilm) = split(row.int_lzb, 0.44);
    [ef, em, inf, inm, lf, lm, ilf, ilm]
}

/// Who signs for the Träger: the office, not a person (the sample names nobody).
fn signatory(name: &str) -> String {
    if let Some(city) = name.strip_prefix("Stadt ") {
        format!("Oberbürgermeister der Stadt {city}")
    } else if name.starts_with("Kreis ") {
        format!("Landrat des {}", name.replacen("Kreis ", "Kreises ", 1))
    } else {
        format!("Landrat des {name}es")
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]
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
#[allow(clippy::cast_possible_wrap)]
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
        "jobcenter{d}name{d}land{d}traeger{d}vergleichstyp{d}email{d}vertreten_durch"
    );
    for jc in &jcs {
        let signatory = signatory(&jc.name);
        for (i, text) in [
            &jc.id, &jc.name, &jc.land, jc.traeger, &jc.vt, &jc.email, &signatory,
        ]
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
    .chain(if cfg.sample_nrw {
        &SEX_COLS[..]
    } else {
        &[][..]
    })
    .chain(["datenstand"].iter())
    {
        mw.push(d);
        mw.push_str(col);
    }
    mw.push('\n');
    for (j, jc) in jcs.iter().enumerate() {
        let mut rng = Rng::new(cfg.seed, 1_000_000 + j as u64);
        let rows = simulate(&jc.p, cfg.first_year, months, &mut rng);
        // A stream of its own, so that the other columns stay as they were without these.
        let mut sex_rng = Rng::new(cfg.seed, 2_000_000 + j as u64);
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
            if cfg.sample_nrw {
                for v in by_sex(row, &mut sex_rng) {
                    let _ = write!(mw, "{d}{v}");
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
        // Later agreements make monitoring and by-sex figures targets (issue 13): a few
        // Jobcenters agree an Integrationsquote of women and a share of bedarfsdeckende
        // Integrationen for the last year.
        let further = [
            ("05554", "k2_frauen", "3.0"),
            ("05113", "k2_frauen", "2.5"),
            ("05766", "k2_frauen", "3.0"),
            ("05554", "bedarfsdeckend", "1.0"),
            ("05915", "bedarfsdeckend", "0.5"),
        ];
        for (id, z, v) in further {
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

#[allow(clippy::cast_possible_wrap)]
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
| `jobcenter.csv` | the 18 zkT: Kreisschlüssel, name, Land, Träger, Vergleichstyp, e-mail, signatory (`vertreten_durch`: the office, e.g. „Landrat des Kreises Borken“, no person) |\n\
| `monatswerte.csv` | one row per Jobcenter and month, {y0}-01 to {y1}-{m1:02}: stocks (ELB, BG, LZB, LZB ≥ 4 years, ELB from the eight Asylherkunftsländer), integrations (all, of LZB, into insured employment, sustainable, bedarfsdeckend, Asyl8), LLU and KdU in euros, the same counts for women and men (`_frauen`, `_maenner`; a few persons without recorded sex), and the Datenstand |\n\
| `bericht.toml` | the ministry's party and free texts for the target agreements (`zielbericht vereinbarung`); not written by the generator |\n\
| `ziele.csv` | targets (relative change in percent) per year: `*` rows for every Jobcenter, plus a few Jobcenter-specific rows for {y1}, among them targets for the Integrationsquote of women (`k2_frauen`) and the share of bedarfsdeckende Integrationen |\n\
\n\
A few cells hold statistical symbols on purpose (`*` anonymised, `.` unknown, `…` not yet\n\
available) to show how missing values are reported (\"k. A.\").\n\
\n\
Regenerate with `zielbericht generate --sample --out data --force` (the generator in\n`src/generate/`, `GenerateConfig::nrw_sample()`).\n",
        seed = cfg.seed,
        y0 = cfg.first_year,
        y1 = last.0,
        m1 = last.1,
    )
}
