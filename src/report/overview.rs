//! The overview across all Jobcenters of a run (`uebersicht.typ`).

use serde::Serialize;

use super::model::{Context, Meta};
use super::words::{FOOTNOTE_KA, change_text, decimal_text, symbol};
use crate::figures::{EntityKind, Kennzahl, Status};
use crate::format::{self, KA};

#[derive(Serialize)]
struct Spalte {
    kennzahl: &'static str,
    kurz: &'static str,
    soll_hinweis: &'static str,
}

#[derive(Serialize)]
struct UeZelle {
    ist: String,
    soll: String,
    status: &'static str,
    symbol: &'static str,
}

#[derive(Serialize)]
struct UeZeile {
    id: String,
    name: String,
    art: &'static str,
    vorlaeufig: bool,
    /// Jobcenters: "4 von 5", counting every figure with an agreed target (also those
    /// beyond the five columns); empty for aggregates.
    ziele: String,
    zellen: Vec<UeZelle>,
}

/// `/data.json` of the overview.
#[derive(Serialize)]
pub struct OverviewData {
    meta: Meta,
    spalten: Vec<Spalte>,
    zeilen: Vec<UeZeile>,
    zaehlung: Vec<String>,
    legende: String,
    fussnoten: Vec<String>,
}

pub fn overview(ctx: &Context, ids: &[String], incomplete: &[String]) -> OverviewData {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let spalten = vec![
        Spalte {
            kennzahl: "int",
            kurz: "Integrationen",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "k2",
            kurz: "Integrationsquote K2",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "k3",
            kurz: "LZB-Bestand Ø (K3)",
            soll_hinweis: "niedriger ist besser",
        },
        Spalte {
            kennzahl: "k3e1",
            kurz: "Integrationsquote LZB (K3E1)",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "lzb_je",
            kurz: "LZB-Bestand ggü. Dezember",
            soll_hinweis: "niedriger ist besser",
        },
    ];
    let mut zeilen = Vec::new();
    let mut met = [0usize; 5];
    let mut targets = [0usize; 5];
    let mut ka = false;
    for e in &ctx.results.entities {
        let is_jc = e.kind == EntityKind::Jobcenter;
        if is_jc && !ids.contains(&e.id) {
            continue;
        }
        let zellen = Kennzahl::TARGETS
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                let f = e.figure(k).expect("targets always computed");
                if let Some(z) = f.ziel {
                    if z.soll.is_some() {
                        targets[i] += 1;
                        met[i] += usize::from(z.status == Status::Erreicht);
                    }
                    let ist = z.ist.map_or_else(|| KA.to_string(), decimal_text);
                    ka |= ist == KA;
                    UeZelle {
                        ist,
                        soll: z.soll.map_or_else(|| "kein Ziel".into(), decimal_text),
                        status: z.status.code(),
                        symbol: symbol(z.status),
                    }
                } else {
                    let ist = change_text(f.veraenderung_pct);
                    ka |= ist == KA;
                    UeZelle {
                        ist,
                        soll: String::new(),
                        status: "",
                        symbol: "",
                    }
                }
            })
            .collect();
        let name = match (&e.kind, &e.jobcenter) {
            (EntityKind::Jobcenter, Some(j)) => j.name.clone(),
            (EntityKind::Land, _) => format!("Land {}", e.id.trim_start_matches("LAND:")),
            _ => format!("Vergleichstyp {}", e.id.trim_start_matches("VT:")),
        };
        let ziele = if is_jc {
            let agreed: Vec<Status> = super::goals::with_target(e)
                .iter()
                .filter_map(|f| f.ziel.filter(|z| z.soll.is_some()))
                .map(|z| z.status)
                .collect();
            let met = agreed.iter().filter(|s| **s == Status::Erreicht).count();
            format!("{met} von {}", agreed.len())
        } else {
            String::new()
        };
        zeilen.push(UeZeile {
            ziele,
            id: if is_jc { e.id.clone() } else { String::new() },
            name,
            art: if is_jc { "jobcenter" } else { "aggregat" },
            vorlaeufig: incomplete.contains(&e.id),
            zellen,
        });
    }
    let wort = if dezember { "erreicht" } else { "auf Kurs" };
    let zaehlung = (0..5)
        .map(|i| format!("{} von {} {wort}", met[i], targets[i]))
        .collect();
    let tol = format::number(
        ctx.results.tolerance.as_f64(),
        ctx.results.tolerance.decimals.max(1) as usize,
    );
    let legende = if dezember {
        format!(
            "✓ erreicht · ◐ knapp nicht erreicht (höchstens {tol} Prozentpunkte vom Soll entfernt, in der Richtung des Ziels) · ✗ nicht erreicht · – keine Daten oder kein Ziel. Ist: Veränderung gegenüber dem Vorjahreszeitraum; Land und Vergleichstyp ohne Ziel."
        )
    } else {
        format!(
            "✓ auf Kurs · ◐ knapp nicht auf Kurs (höchstens {tol} Prozentpunkte vom Soll entfernt) · ✗ nicht auf Kurs · – keine Daten oder kein Ziel. Ist: Veränderung gegenüber dem Vorjahreszeitraum; Land und Vergleichstyp ohne Ziel."
        )
    };
    let mut fussnoten = Vec::new();
    if ka {
        fussnoten.push(FOOTNOTE_KA.to_string());
    }
    if !incomplete.is_empty() {
        fussnoten.push("vorläufig – Daten unvollständig: Für die markierten Jobcenter fehlen Werte des Berichtszeitraums.".to_string());
    }
    let datenstand = ctx
        .results
        .entities
        .iter()
        .filter_map(|e| e.datenstand)
        .max();
    OverviewData {
        meta: ctx.meta("Übersicht aller Jobcenter", None, datenstand),
        spalten,
        zeilen,
        zaehlung,
        legende,
        fussnoten,
    }
}
