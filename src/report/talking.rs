//! Gesprächspunkte für den Steuerungsdialog: 3–5 findings chosen and ordered by rules,
//! instead of sentences that read the table aloud.
//!
//! The rules, in this order:
//! 1. Every target at risk ("nicht auf Kurs" before "knapp nicht auf Kurs"; in December
//!    not reached), with what the year still needs in the target's own unit (the Zielpfad
//!    line). When none is at risk: one point saying so.
//! 2. The target indicator with the largest distance, in percentage points of the change
//!    rate, to its Vergleichstyp (when there is a Vergleichstyp of two or more members).
//! 3. Data caveats: months without values (naming them), then the months still within
//!    the Wartezeit of three months before the Datenstand.
//!
//! At most five points are kept (the first ones by this order). The sentences are
//! `templates/texte/gespraech.txt.j2`.

use chrono::Datelike;

use super::context::Context;
use super::goals::with_target;
use super::words::change_text;
use crate::domain::berichtsmonat::WARTEZEIT_MONTHS;
use crate::figures::{EntityFigures, Status};
use crate::format;

#[allow(clippy::cast_possible_wrap)]
pub fn points(
    ctx: &Context,
    e: &EntityFigures,
    vt: Option<&EntityFigures>,
    gefaehrdet: &[(Status, String, Option<String>)],
) -> Result<Vec<String>, String> {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let mut out = Vec::new();
    let mut say = |ctx_: minijinja::Value| -> Result<(), String> {
        out.push(ctx.texte.render("gespraech.txt.j2", ctx_)?);
        Ok(())
    };

    // 1. Targets at risk, the clear misses first.
    let mut risk: Vec<_> = gefaehrdet.iter().collect();
    risk.sort_by_key(|(s, _, _)| usize::from(*s != Status::Verfehlt));
    for (status, name, pfad) in risk {
        say(minijinja::context! {
            art => "gefaehrdet",
            bezeichnung => name,
            status_text => ctx.texte.namen.status_text(*status, dezember),
            pfad => pfad,
        })?;
    }
    if gefaehrdet.is_empty() {
        let n = with_target(e)
            .iter()
            .filter(|f| f.ziel.is_some_and(|z| z.soll.is_some()))
            .count();
        if n > 0 {
            say(minijinja::context! { art => "alle", anzahl => n, dezember => dezember })?;
        }
    }

    // 2. The largest distance to the Vergleichstyp among the targets.
    if let (Some(g), Some(name)) = (
        vt,
        e.jobcenter
            .as_ref()
            .and_then(|j| j.vergleichstyp.as_deref()),
    ) {
        let best = with_target(e)
            .into_iter()
            .filter_map(|f| {
                let own = f.veraenderung_pct?;
                let theirs = g.figure(f.kennzahl)?.veraenderung_pct?;
                Some((f.kennzahl, own, theirs, (own - theirs).abs()))
            })
            .max_by(|a, b| a.3.total_cmp(&b.3));
        if let Some((k, own, theirs, dist)) = best
            && format::number(dist, 1) != "0,0"
        {
            say(minijinja::context! {
                art => "vergleichstyp",
                name => name,
                bezeichnung => ctx.texte.namen.bezeichnung(k),
                eigen => change_text(Some(own)),
                vt => change_text(Some(theirs)),
                abstand => format::number(dist, 1),
                guenstiger => (own > theirs) == k.higher_is_better(),
            })?;
        }
    }

    // 3. Data caveats.
    let missing = super::notes::missing_months(e, bm);
    if !missing.is_empty() {
        say(minijinja::context! {
            art => "datenlage",
            monate => super::notes::join_names(&missing),
        })?;
    }
    if let Some(d) = e.datenstand {
        // Months within the Wartezeit before the Datenstand are provisional.
        let first = d.year() * 12 + d.month0() as i32 - WARTEZEIT_MONTHS;
        let months: Vec<String> = (1..=bm.month)
            .filter(|&m| bm.year * 12 + m as i32 > first)
            .map(|m| format::month_long(bm.year, m))
            .collect();
        if !months.is_empty() {
            say(minijinja::context! {
                art => "vorlaeufig",
                monate => super::notes::join_names(&months),
                datenstand => format::date_long(d),
            })?;
        }
    }
    out.truncate(5);
    Ok(out)
}
