//! Chart geometry: the series of each chart of the report, its axis and its alt text.
//! The wording (titles, legend, alt text) is `templates/texte/diagramm.txt.j2`.
//!
//! Charts per section: I the ELB stock; II the cumulative integrations and, where K2 has a
//! target, K2 month by month; III the LZB stock and, where K3E1 has a target, K3E1 month
//! by month; "Frauen und Männer" K2 of women and men. Each against last year and, where
//! the Jobcenter has a target, against its Zielpfad.

use serde::Serialize;

use crate::domain::berichtsmonat::WARTEZEIT_MONTHS;
use crate::domain::{Col, Formula};
use crate::figures::{Berichtsmonat, Decimal, EntityFigures, Kennzahl, Status, Value, level};
use crate::format;
use crate::texte::Texte;

#[derive(Serialize)]
struct Tick {
    wert: f64,
    label: String,
}

#[derive(Serialize)]
struct Reihe {
    name: String,
    stil: &'static str,
    werte: Vec<Option<f64>>,
}

#[derive(Serialize)]
pub struct Diagramm {
    titel: String,
    alt: String,
    y_titel: String,
    x_labels: Vec<&'static str>,
    y_min: f64,
    y_max: f64,
    y_ticks: Vec<Tick>,
    reihen: Vec<Reihe>,
    /// Index of the first month (0 = January) still within the Wartezeit: the markers of
    /// this year's series are drawn hollow from there.
    vorlaeufig_ab: Option<usize>,
    vorlaeufig_hinweis: Option<String>,
    /// The distance of this year's value to its Zielpfad at the Berichtsmonat (the LZB
    /// stock: to its December target), one per series with a target; the chart marks it
    /// and labels it, so that „knapp nicht auf Kurs“ can be seen.
    abstaende: Vec<Abstand>,
}

/// The distance of this year's value to the Zielpfad at the Berichtsmonat, as shown: the
/// Ist and the level rounded as in „Zielerreichung auf einen Blick“ (contract 2.6, v4), so
/// that the label, the table and the status agree.
#[derive(Serialize)]
struct Abstand {
    /// Index of the Berichtsmonat (0 = January).
    monat: usize,
    /// The positions of the two ends (the shown Ist and the shown level).
    ist: f64,
    ziel: f64,
    /// The status code of the target (`erreicht`, `knapp_verfehlt`, `verfehlt`), for the
    /// colour of the mark (the label says it in words).
    status: &'static str,
    /// The level is the December target of a stock: drawn as a line from the
    /// Berichtsmonat to December, so that the distance has two ends.
    bis_dezember: bool,
    /// "Sept. 2018: 16,27 %" (with the group in the chart by sex).
    kopf: String,
    /// "0,04 Prozentpunkte unter dem Zielpfad (16,31 %)".
    text: String,
    /// Series it belongs to: "frauen", "maenner" or none.
    #[serde(skip)]
    gruppe: Option<&'static str>,
}

/// What a chart shows (the `art` of the Textbaustein).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Art {
    Elb,
    Int,
    K2,
    K3e1,
    Lzb,
    K2Geschlecht,
}

impl Art {
    fn code(self) -> &'static str {
        match self {
            Art::Elb => "elb",
            Art::Int => "int",
            Art::K2 => "k2",
            Art::K3e1 => "k3e1",
            Art::Lzb => "lzb",
            Art::K2Geschlecht => "k2_geschlecht",
        }
    }

    fn is_quota(self) -> bool {
        matches!(self, Art::K2 | Art::K3e1 | Art::K2Geschlecht)
    }
}

/// A series before it is worded: its role in the legend, its group and its values.
struct Serie {
    /// "ist", "vorjahr" or "ziel".
    rolle: &'static str,
    /// "frauen" or "maenner" in the chart by sex.
    gruppe: Option<&'static str>,
    stil: &'static str,
    werte: Vec<Option<f64>>,
    /// The target of a Zielpfad, and on last year's line when the target is 0,0 %
    /// (then that line is the Zielpfad).
    soll: Option<Decimal>,
}

/// Everything `diagramm.txt.j2` may read; what a part does not need is `None`.
#[derive(Serialize, Default)]
struct Worte<'a> {
    teil: &'a str,
    art: &'a str,
    jahr: i32,
    vorjahr: i32,
    rolle: Option<&'a str>,
    gruppe: Option<&'a str>,
    soll: Option<String>,
    soll_minus: bool,
    soll_null: bool,
    achse_ab: Option<String>,
    datenstand: Option<String>,
    y_titel: Option<String>,
    achse_von: Option<String>,
    achse_bis: Option<String>,
    titel: Option<String>,
    gruppen: Vec<AltGruppe>,
    /// For "abstand": the Berichtsmonat ("September 2018"), the shown Ist and level, the
    /// margin in words ("0,04 Prozentpunkte"), lage ("darueber", "darunter", "gleich")
    /// and zeile ("kopf" or "bezug").
    monat: Option<String>,
    vorlaeufig_monat: Option<String>,
    ist: Option<String>,
    ziel: Option<String>,
    betrag: Option<String>,
    lage: Option<&'a str>,
    zeile: Option<&'a str>,
    dezember: bool,
}

/// What the alt text says of one group of series (all series, or those of women or of
/// men): what a sighted reader takes from the chart — this year's value at the
/// Berichtsmonat, its distance to the Zielpfad, last year's value of the same month, and
/// where the lines begin and end. Missing values are `None`.
#[derive(Serialize)]
struct AltGruppe {
    gruppe: Option<&'static str>,
    ist: Option<String>,
    januar: Option<String>,
    abstand: Option<String>,
    vorjahr_wert: Option<String>,
    vorjahr_dezember: Option<String>,
    ziel_dezember: Option<String>,
    /// Last year's line is the Zielpfad (Soll 0,0 %).
    soll_null: bool,
}

/// The charts of a report section ("I", "II", "III").
pub fn charts(
    texte: &Texte,
    bm: Berichtsmonat,
    section: &str,
    e: &EntityFigures,
) -> Result<Vec<Diagramm>, String> {
    let arten: &[Art] = match section {
        "I" => &[Art::Elb],
        "II" => &[Art::Int, Art::K2],
        "III" => &[Art::Lzb, Art::K3e1],
        _ => &[],
    };
    let mut out = Vec::new();
    for &art in arten {
        let target = match art {
            Art::Int => Some(Kennzahl::Int),
            Art::K2 => Some(Kennzahl::K2),
            Art::K3e1 => Some(Kennzahl::K3e1),
            Art::Lzb => Some(Kennzahl::LzbJe),
            Art::Elb | Art::K2Geschlecht => None,
        };
        if let Some(series) = series(art, e, bm) {
            let gaps = match target {
                Some(k) => gap(texte, bm, e, art, k, None)?.into_iter().collect(),
                None => Vec::new(),
            };
            if let Some(d) = build(texte, bm, e, art, series, gaps)? {
                out.push(d);
            }
        }
    }
    Ok(out)
}

/// The chart of K2 for women and men against last year (section "Frauen und Männer"),
/// `None` without the figures by sex.
pub fn sex_chart(
    texte: &Texte,
    bm: Berichtsmonat,
    e: &EntityFigures,
) -> Result<Option<Diagramm>, String> {
    let mut all = Vec::new();
    let mut gaps = Vec::new();
    for (k, gruppe, stil, stil_vorjahr) in [
        (Kennzahl::K2Frauen, "frauen", "frauen", "frauen_vorjahr"),
        (Kennzahl::K2Maenner, "maenner", "maenner", "maenner_vorjahr"),
    ] {
        if e.figure(k).is_none() {
            continue;
        }
        let Formula::Quota { num, den } = k.formula() else {
            continue;
        };
        let (now, before) = (
            this_year(quota(e, num, den, true), bm),
            quota(e, num, den, false),
        );
        let soll = soll_of(e, k);
        all.push(Serie {
            rolle: "ist",
            gruppe: Some(gruppe),
            stil,
            werte: now,
            soll: None,
        });
        all.push(Serie {
            rolle: "vorjahr",
            gruppe: Some(gruppe),
            stil: stil_vorjahr,
            werte: before.clone(),
            soll: soll.filter(|s| s.units == 0),
        });
        if let Some(s) = soll.filter(|s| s.units != 0) {
            all.push(zielpfad(Some(gruppe), &before, s, 2));
        }
        gaps.extend(gap(texte, bm, e, Art::K2Geschlecht, k, Some(gruppe))?);
    }
    if all.is_empty() {
        return Ok(None);
    }
    build(texte, bm, e, Art::K2Geschlecht, all, gaps)
}

/// The target of `k` where the Jobcenter has one.
fn soll_of(e: &EntityFigures, k: Kennzahl) -> Option<Decimal> {
    e.figure(k)?
        .ziel
        .filter(|z| z.status != Status::KeinZiel)?
        .soll
}

/// The series of one chart, or `None` when the chart is left out (K2 and K3E1 without a
/// target: the table holds their value).
fn series(art: Art, e: &EntityFigures, bm: Berichtsmonat) -> Option<Vec<Serie>> {
    let (now, before, soll, path) = match art {
        Art::Elb => (
            this_year(e.months(Col::Elb, true).to_vec(), bm),
            e.months(Col::Elb, false).to_vec(),
            None,
            false,
        ),
        Art::Int => (
            this_year(cumulative(e.months(Col::Int, true)), bm),
            cumulative(e.months(Col::Int, false)),
            soll_of(e, Kennzahl::Int),
            true,
        ),
        Art::K2 | Art::K3e1 => {
            let k = if art == Art::K2 {
                Kennzahl::K2
            } else {
                Kennzahl::K3e1
            };
            let soll = Some(soll_of(e, k)?);
            let Formula::Quota { num, den } = k.formula() else {
                return None;
            };
            (
                this_year(quota(e, num, den, true), bm),
                quota(e, num, den, false),
                soll,
                true,
            )
        }
        Art::K2Geschlecht => return None,
        Art::Lzb => (
            this_year(e.months(Col::Lzb, true).to_vec(), bm),
            e.months(Col::Lzb, false).to_vec(),
            soll_of(e, Kennzahl::LzbJe),
            false,
        ),
    };
    let mut out = vec![
        Serie {
            rolle: "ist",
            gruppe: None,
            stil: "aktuell",
            werte: now,
            soll: None,
        },
        Serie {
            rolle: "vorjahr",
            gruppe: None,
            stil: "vorjahr",
            werte: before.clone(),
            soll: soll.filter(|s| path && s.units == 0),
        },
    ];
    match soll {
        // A Zielpfad of Soll 0,0 % is last year's line itself: no second line on top.
        Some(s) if path && s.units != 0 => {
            let places = if art == Art::Int { 0 } else { 2 };
            out.push(zielpfad(None, &before, s, places));
        }
        // The LZB stock: the December target as one point.
        Some(_) if art == Art::Lzb => {
            // The shown level of the Zielpfad line (contract 2.6, v4), not the exact threshold.
            let f = e.figure(Kennzahl::LzbJe)?;
            let level = level::shown_level(f.pfad?.jahres_basis?, soll?, false, 0)?;
            let target = level.as_f64();
            let mut werte = vec![None; 12];
            werte[11] = Some(target);
            out.push(Serie {
                rolle: "ziel",
                gruppe: None,
                stil: "ziel",
                werte,
                soll,
            });
        }
        _ => {}
    }
    Some(out)
}

/// The Zielpfad: for each month the level that meets the target against last year's value,
/// at `places` decimals as the alt text and the Zielpfad line of the report show it
/// (contract 2.6, v4: last year's value × (1 + T/100), rounded towards the side that meets
/// the target). Every chart with a Zielpfad is of a figure where higher is better.
fn zielpfad(
    gruppe: Option<&'static str>,
    before: &[Option<f64>],
    soll: Decimal,
    places: u32,
) -> Serie {
    #[allow(clippy::cast_possible_truncation)]
    let exact = |x: f64| Value::ratio((x * 1e9).round() as i128, 1_000_000_000);
    Serie {
        rolle: "ziel",
        gruppe,
        stil: "ziel",
        werte: before
            .iter()
            .map(|v| {
                let base = exact((*v)?)?;
                Some(level::shown_level(base, soll, true, places)?.as_f64())
            })
            .collect(),
        soll: Some(soll),
    }
}

/// The distance of this year's value of `k` to its Zielpfad at the Berichtsmonat (for the
/// December LZB stock: to the December target), `None` without a target or a value. The
/// Ist and the level are those of „Zielerreichung auf einen Blick“
/// ([`level::shown_with_ist`]): one more decimal where they would read equal against the
/// status.
fn gap(
    texte: &Texte,
    bm: Berichtsmonat,
    e: &EntityFigures,
    art: Art,
    k: Kennzahl,
    gruppe: Option<&'static str>,
) -> Result<Option<Abstand>, String> {
    let Some(soll) = soll_of(e, k) else {
        return Ok(None);
    };
    let Some(f) = e.figure(k) else {
        return Ok(None);
    };
    let up = k.higher_is_better();
    let places = if art.is_quota() { 2 } else { 0 };
    let Some(shown) = f
        .wert
        .zip(f.vorjahr)
        .and_then(|(w, b)| level::shown_with_ist(w, b, soll, up, places))
    else {
        return Ok(None);
    };
    let status = f.ziel.map_or(Status::KeineDaten, |z| z.status).code();
    let diff = shown.ist.units - shown.level.units;
    let abs = Decimal::new(diff.abs(), shown.level.decimals);
    let shown_text = |d: Decimal| {
        let number = format::decimal(d, d.decimals as usize);
        if art.is_quota() {
            format!("{number}{}%", format::UNIT_SPACE)
        } else {
            number
        }
    };
    let einheit = match art {
        Art::Int => "integrationen",
        Art::Lzb => "personen",
        _ => "prozentpunkte",
    };
    let betrag = texte.render(
        "kurztexte.txt.j2",
        minijinja::context! {
            art => "abstand",
            zahl => format::decimal(abs, abs.decimals.max(if art.is_quota() { 2 } else { 0 }) as usize),
            einheit => einheit,
            eins => abs.decimals == 0 && abs.units == 1,
            vorsprung => false,
        },
    )?;
    let worte = |zeile| Worte {
        teil: "abstand",
        art: art.code(),
        jahr: bm.year,
        vorjahr: bm.year - 1,
        gruppe,
        monat: Some(format::month_long(bm.year, bm.month)),
        ist: Some(shown_text(shown.ist)),
        ziel: Some(shown_text(shown.level)),
        betrag: Some(betrag.clone()),
        lage: Some(match diff.signum() {
            1 => "darueber",
            -1 => "darunter",
            _ => "gleich",
        }),
        zeile: Some(zeile),
        dezember: bm.is_december(),
        ..Worte::default()
    };
    Ok(Some(Abstand {
        monat: bm.month as usize - 1,
        ist: shown.ist.as_f64(),
        ziel: shown.level.as_f64(),
        status,
        bis_dezember: art == Art::Lzb,
        kopf: texte.render("diagramm.txt.j2", worte("kopf"))?,
        text: texte.render("diagramm.txt.j2", worte("bezug"))?,
        gruppe,
    }))
}

/// This year's series ends with the Berichtsmonat.
fn this_year(mut values: Vec<Option<f64>>, bm: Berichtsmonat) -> Vec<Option<f64>> {
    values.truncate(12);
    for v in values.iter_mut().skip(bm.month as usize) {
        *v = None;
    }
    values
}

/// Running sums from January; missing from the first missing month on.
fn cumulative(raw: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut sum = Some(0.0);
    raw.iter()
        .map(|v| {
            sum = sum.zip(*v).map(|(a, b)| a + b);
            sum
        })
        .collect()
}

/// The Jahresfortschrittswert of a quota for each month m of the year (contract 2.1):
/// 100 × Σ num over January..m / mean(den over December of the year before .. m−1).
/// Missing from the first missing value on, and where the mean stock is zero.
#[allow(clippy::cast_precision_loss)]
fn quota(e: &EntityFigures, num: Col, den: Col, this_year: bool) -> Vec<Option<f64>> {
    let nums = e.months(num, this_year);
    let december = if this_year {
        e.months(den, false).get(11).copied().flatten()
    } else {
        e.december_before.get(den.index()).copied().flatten()
    };
    let bases: Vec<Option<f64>> = std::iter::once(december)
        .chain(e.months(den, this_year).iter().take(11).copied())
        .collect();
    let (mut sum_num, mut sum_den) = (Some(0.0), Some(0.0));
    let mut out = Vec::with_capacity(12);
    for (m, (n, d)) in nums.iter().zip(&bases).enumerate() {
        sum_num = sum_num.zip(*n).map(|(a, b)| a + b);
        sum_den = sum_den.zip(*d).map(|(a, b)| a + b);
        let months = (m + 1) as f64;
        out.push(
            sum_num
                .zip(sum_den)
                .filter(|(_, d)| *d > 0.0)
                .map(|(n, d)| 100.0 * n * months / d),
        );
    }
    out
}

/// Words, axis and alt text of a chart; `None` when no series has a value.
#[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)]
fn build(
    texte: &Texte,
    bm: Berichtsmonat,
    e: &EntityFigures,
    art: Art,
    series: Vec<Serie>,
    abstaende: Vec<Abstand>,
) -> Result<Option<Diagramm>, String> {
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| &s.werte)
        .flatten()
        .copied()
        .collect();
    if all.is_empty() {
        return Ok(None);
    }
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    // A (nearly) flat series in the middle of a span of at least 2 % of its level, not
    // on the bottom line.
    let least = (hi.abs() * 0.02).max(if hi.abs() < 10.0 { 0.1 } else { 1.0 });
    let pad = ((least - (hi - lo)) / 2.0).max(0.0);
    let (lo, hi) = (
        if lo >= 0.0 {
            (lo - pad).max(0.0)
        } else {
            lo - pad
        },
        hi + pad,
    );
    // Stocks are read against their own level (the axis says where it begins); sums and
    // quotas grow from zero through the year and are drawn from zero.
    let from_zero = !matches!(art, Art::Elb | Art::Lzb);
    let (y_min, y_max, step) = axis(if from_zero { 0.0_f64.min(lo) } else { lo }, hi);
    let places = tick_places(step);
    let tick_text = |v: f64| format::number(v, places);
    let mut y_ticks = Vec::new();
    let mut t = y_min;
    while t <= y_max + step / 2.0 {
        y_ticks.push(Tick {
            wert: t,
            label: tick_text(t),
        });
        // From y_min each time: adding 0,1 ten times does not give 1.
        t = y_min + step * y_ticks.len() as f64;
    }
    let base = || Worte {
        art: art.code(),
        jahr: bm.year,
        vorjahr: bm.year - 1,
        ..Worte::default()
    };
    let say = |w: Worte| texte.render("diagramm.txt.j2", w);
    let mut reihen = Vec::with_capacity(series.len());
    let roles: Vec<(&str, Option<&str>, bool)> = series
        .iter()
        .map(|s| (s.rolle, s.gruppe, s.soll.is_some_and(|d| d.units == 0)))
        .collect();
    for s in series {
        let name = say(Worte {
            teil: "reihe",
            rolle: Some(s.rolle),
            gruppe: s.gruppe,
            soll: s
                .soll
                .map(|d| format::percent(d.as_f64().abs(), d.decimals.max(1) as usize)),
            soll_minus: s.soll.is_some_and(|d| d.units < 0),
            soll_null: s.soll.is_some_and(|d| d.units == 0),
            ..base()
        })?;
        reihen.push(Reihe {
            name,
            stil: s.stil,
            werte: s.werte,
        });
    }
    // Months of this year within the Wartezeit before the Datenstand are provisional.
    let provisional = e.datenstand.and_then(|d| {
        use chrono::Datelike;
        let first = d.year() * 12 + d.month0() as i32 - WARTEZEIT_MONTHS - bm.year * 12;
        let first = usize::try_from(first.max(0)).ok()?;
        (first < bm.month as usize).then(|| (first, format::date_numeric(d)))
    });
    let vorlaeufig_hinweis = match &provisional {
        Some((_, d)) => Some(say(Worte {
            teil: "vorlaeufig",
            datenstand: Some(d.clone()),
            ..base()
        })?),
        None => None,
    };
    let y_titel = say(Worte {
        teil: "achse",
        achse_ab: (y_min > 0.0).then(|| tick_text(y_min)),
        ..base()
    })?;
    let value_text = |v: f64| {
        if art.is_quota() {
            format::percent(v, 2)
        } else {
            format::int(v)
        }
    };
    let titel = say(Worte {
        teil: "titel",
        ..base()
    })?;
    let at = |v: &[Option<f64>], i: usize| v.get(i).copied().flatten().map(value_text);
    let now = bm.month as usize - 1;
    let mut gruppen: Vec<Option<&'static str>> = Vec::new();
    for (_, g, _) in &roles {
        let g = match *g {
            Some("frauen") => Some("frauen"),
            Some("maenner") => Some("maenner"),
            _ => None,
        };
        if !gruppen.contains(&g) {
            gruppen.push(g);
        }
    }
    let alt_gruppen = gruppen
        .into_iter()
        .map(|g| {
            let find = |rolle: &str| {
                roles
                    .iter()
                    .zip(&reihen)
                    .find(|((r, gr, _), _)| *r == rolle && *gr == g)
                    .map(|((_, _, null), reihe)| (&reihe.werte, *null))
            };
            let ist = find("ist");
            let vorjahr = find("vorjahr");
            let ziel = find("ziel");
            AltGruppe {
                gruppe: g,
                ist: ist.and_then(|(v, _)| at(v, now)),
                januar: ist.and_then(|(v, _)| at(v, 0)).filter(|_| now > 0),
                abstand: abstaende
                    .iter()
                    .find(|a| a.gruppe == g)
                    .map(|a| a.text.clone()),
                vorjahr_wert: vorjahr.and_then(|(v, _)| at(v, now)),
                vorjahr_dezember: vorjahr.and_then(|(v, _)| at(v, 11)).filter(|_| now < 11),
                ziel_dezember: ziel.and_then(|(v, _)| at(v, 11)).filter(|_| now < 11),
                soll_null: vorjahr.is_some_and(|(_, null)| null),
            }
        })
        .collect();
    let alt = say(Worte {
        teil: "alt",
        titel: Some(titel.clone()),
        monat: Some(format::month_long(bm.year, bm.month)),
        vorlaeufig_monat: provisional
            .as_ref()
            .map(|(i, _)| format::month_long(bm.year, u32::try_from(*i).unwrap_or(0) + 1)),
        y_titel: Some(y_titel.clone()),
        achse_von: Some(tick_text(y_min)),
        achse_bis: Some(tick_text(y_max)),
        gruppen: alt_gruppen,
        dezember: bm.is_december(),
        ..base()
    })?;
    Ok(Some(Diagramm {
        titel,
        alt,
        y_titel,
        x_labels: format::MONTHS_SHORT.to_vec(),
        y_min,
        y_max,
        y_ticks,
        reihen,
        vorlaeufig_ab: provisional.as_ref().map(|(i, _)| *i),
        vorlaeufig_hinweis,
        abstaende,
    }))
}

/// Decimals a tick label needs for `step` (2,5 needs one, 10 none).
#[allow(clippy::cast_sign_loss)]
fn tick_places(step: f64) -> usize {
    (0..3)
        .find(|&p| {
            let scaled = step * 10f64.powi(p);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .map_or(2, |p| p as usize)
}

/// A readable axis from `lo` to `hi`: (min, max, step) with 3–6 round steps.
fn axis(lo: f64, hi: f64) -> (f64, f64, f64) {
    let span = (hi - lo)
        .max(hi.abs() * 0.02)
        .max(if hi.abs() < 10.0 { 0.1 } else { 1.0 });
    let raw = span / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let min = (lo / step).floor() * step;
    let mut max = (hi / step).ceil() * step;
    if max <= min {
        max = min + step;
    }
    (min, max, step)
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
