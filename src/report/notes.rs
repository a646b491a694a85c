//! The numbered footnotes of a report and the lists they name: "k. A." with the months
//! missing at the Jobcenter, and the members left out of a comparison (texts:
//! `templates/texte/fussnote.txt.j2`).

use serde::Serialize;

use super::model::Context;
use crate::figures::{Berichtsmonat, EntityFigures};
use crate::format::{self, KA};

#[derive(Serialize)]
pub struct Fussnote {
    nummer: u32,
    text: String,
}

/// The numbered footnotes of one report: 1 is always "k. A." (with the missing months),
/// the others name the members left out of an aggregate, each text once.
pub struct Notes {
    ka_text: String,
    ka_used: bool,
    others: Vec<String>,
}

impl Notes {
    pub(super) fn new(ka_text: String) -> Self {
        Self {
            ka_text,
            ka_used: false,
            others: Vec::new(),
        }
    }

    /// Footnote 1 when one of `texts` is "k. A.".
    pub fn mark_ka(&mut self, texts: &[&str]) -> Option<u32> {
        if texts.contains(&KA) {
            self.ka_used = true;
            Some(1)
        } else {
            None
        }
    }

    /// The number of a further footnote (2, 3, …), the same number for the same text.
    pub(super) fn mark(&mut self, text: String) -> u32 {
        let i = self
            .others
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| {
                self.others.push(text);
                self.others.len() - 1
            });
        u32::try_from(i).unwrap_or(u32::MAX - 2) + 2
    }

    pub(super) fn into_list(self) -> Vec<Fussnote> {
        let mut list = Vec::new();
        if self.ka_used {
            list.push(Fussnote {
                nummer: 1,
                text: self.ka_text,
            });
        }
        for (i, text) in self.others.into_iter().enumerate() {
            list.push(Fussnote {
                nummer: u32::try_from(i).unwrap_or(u32::MAX - 2) + 2,
                text,
            });
        }
        list
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
