//! The numbered footnotes of a report and the lists they name: "k. A." with the months
//! missing at the Jobcenter, and the members left out of a comparison (texts:
//! `templates/texte/fussnote.txt.j2`).

use serde::Serialize;

use super::context::Context;
use crate::figures::{Berichtsmonat, EntityFigures};
use crate::format::{self, KA};

#[derive(Serialize)]
pub struct Fussnote {
    nummer: u32,
    text: String,
}

/// The numbered footnotes of one report: "k. A." (with the missing months) and the texts
/// that name the members left out of an aggregate, each text once, numbered 1, 2, … in the
/// order they are first used (a report without "k. A." starts at 1 all the same).
pub struct Notes {
    ka_text: String,
    texts: Vec<String>,
}

impl Notes {
    pub(super) fn new(ka_text: String) -> Self {
        Self {
            ka_text,
            texts: Vec::new(),
        }
    }

    /// The number of the "k. A." footnote when one of `texts` is "k. A.".
    pub fn mark_ka(&mut self, texts: &[&str]) -> Option<u32> {
        texts.contains(&KA).then(|| self.mark(self.ka_text.clone()))
    }

    /// The number of a footnote, the same number for the same text.
    pub(super) fn mark(&mut self, text: String) -> u32 {
        let i = self
            .texts
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| {
                self.texts.push(text);
                self.texts.len() - 1
            });
        u32::try_from(i + 1).unwrap_or(u32::MAX)
    }

    pub(super) fn into_list(self) -> Vec<Fussnote> {
        self.texts
            .into_iter()
            .zip(1..)
            .map(|(text, nummer)| Fussnote { nummer, text })
            .collect()
    }
}

/// The months (January of Y−1 .. the Berichtsmonat) in which a column that a figure
/// shown as "k. A." needs has no value: "Februar 2018, März 2018".
#[allow(clippy::cast_possible_truncation)]
pub fn missing_months(e: &EntityFigures, bm: Berichtsmonat) -> Vec<String> {
    let mut cols = Vec::new();
    for f in &e.figures {
        if f.wert.is_none() || f.vorjahr.is_none() {
            cols.extend(f.kennzahl.formula().columns());
        }
    }
    let last = 12 + bm.month as usize;
    (0..last)
        .filter(|&i| cols.iter().any(|c| e.monthly[c.index()][i].is_none()))
        .map(|i| {
            let year = if i < 12 { bm.year - 1 } else { bm.year };
            format::month_long(year, (i % 12) as u32 + 1)
        })
        .collect()
}

pub(super) fn ka_footnote(
    ctx: &Context,
    e: &EntityFigures,
    bm: Berichtsmonat,
) -> Result<String, String> {
    let months = missing_months(e, bm);
    ctx.texte.render(
        "fussnote.txt.j2",
        minijinja::context! {
            art => "ka",
            fehlende_monate => (!months.is_empty()).then(|| join_names(&months)),
        },
    )
}

/// "Kreis Borken", "Kreis Borken und Stadt Essen", "A, B und C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} und {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Footnotes are numbered in the order of first use: a report whose first note names
    /// a member left out has that as 1 (it printed 2 and 3 with no 1 before).
    #[test]
    fn footnotes_are_numbered_in_the_order_of_first_use() {
        let mut notes = Notes::new("k. A. – keine Angabe".into());
        assert_eq!(notes.mark("Land NRW: ohne Kreis Coesfeld".into()), 1);
        assert_eq!(notes.mark_ka(&["12,3 %"]), None);
        assert_eq!(notes.mark_ka(&["12,3 %", KA]), Some(2));
        assert_eq!(notes.mark("Land NRW: ohne Kreis Coesfeld".into()), 1);
        assert_eq!(notes.mark_ka(&[KA]), Some(2));
        let list: Vec<(u32, String)> = notes
            .into_list()
            .into_iter()
            .map(|f| (f.nummer, f.text))
            .collect();
        assert_eq!(
            list,
            [
                (1, "Land NRW: ohne Kreis Coesfeld".to_string()),
                (2, "k. A. – keine Angabe".to_string())
            ]
        );
    }
}
