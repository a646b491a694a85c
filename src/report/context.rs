//! What every document of a run shares: the [`Context`] the report's parts read (figures,
//! Textbausteine, titles, `bericht.toml`) and the [`Meta`] block each document's data
//! starts with. Beside the parts, not above them, so that no part imports another back.

use serde::Serialize;

use crate::figures::{Berichtsmonat, Results};
use crate::format;
use crate::texte::Texte;

#[derive(Serialize)]
pub struct Meta {
    pub titel: String,
    pub untertitel: String,
    pub jahr: i32,
    pub monat: u32,
    pub dezember: bool,
    pub zeitraum: String,
    pub zeitraum_kurz: String,
    pub vorjahr_kurz: String,
    pub berichtsmonat: String,
    pub datenstand: Option<String>,
    pub erstellt: String,
    pub vorlaeufig: bool,
    pub programm: String,
    pub dokument_titel: String,
    /// From `bericht.toml`: the issuer, the source note, an optional banner.
    pub herausgeber: Option<crate::load::bericht::Herausgeber>,
    pub quelle: String,
    pub banner: Option<String>,
}

/// The titles of a run's documents (`kurztexte.txt.j2`, art "titel").
#[derive(Clone)]
pub struct Titel {
    /// "Zielvereinbarung 2018 – Fortschrittsbericht" (December: "… – Jahresergebnis 2018").
    pub bericht: String,
    /// "Jahresfortschritt Januar bis September 2018".
    pub untertitel: String,
    /// "Zielvereinbarung 2018", before the name of a document of all Jobcenters.
    pub praefix: String,
    /// The source note when `bericht.toml` gives none.
    pub quelle: String,
}

impl Titel {
    pub fn new(texte: &Texte, bm: Berichtsmonat) -> Result<Self, String> {
        let teil = |teil: &str| {
            texte.render(
                "kurztexte.txt.j2",
                minijinja::context! {
                    art => "titel",
                    teil => teil,
                    jahr => bm.year,
                    dezember => bm.is_december(),
                    zeitraum => format::period_long(bm.year, bm.month),
                },
            )
        };
        Ok(Self {
            bericht: teil("bericht")?,
            untertitel: teil("untertitel")?,
            praefix: teil("praefix")?,
            quelle: teil("quelle")?,
        })
    }
}

/// Context shared by every report of a run.
pub struct Context<'a> {
    pub results: &'a Results,
    pub texte: &'a Texte,
    pub titel: Titel,
    pub erstellt: String,
    pub vorlaeufig: bool,
    pub bericht: &'a crate::load::bericht::Bericht,
}

impl Context<'_> {
    pub fn bm(&self) -> Berichtsmonat {
        self.results.berichtsmonat
    }

    pub fn meta(
        &self,
        titel_art: &str,
        name: Option<&str>,
        datenstand: Option<chrono::NaiveDate>,
    ) -> Meta {
        let bm = self.bm();
        let dezember = bm.is_december();
        let t = &self.titel;
        let dokument_titel = match name {
            Some(n) => format!("{} – {n}", t.bericht),
            None => format!(
                "{} – {titel_art} – {}",
                t.praefix,
                format::period_short(bm.year, bm.month)
            ),
        };
        Meta {
            titel: match name {
                Some(_) => t.bericht.clone(),
                None => format!("{} – {titel_art}", t.praefix),
            },
            untertitel: t.untertitel.clone(),
            jahr: bm.year,
            monat: bm.month,
            dezember,
            zeitraum: format::period_long(bm.year, bm.month),
            zeitraum_kurz: format::period_short(bm.year, bm.month),
            vorjahr_kurz: format::period_short(bm.year - 1, bm.month),
            berichtsmonat: format::month_long(bm.year, bm.month),
            datenstand: datenstand.map(format::date_long),
            erstellt: self.erstellt.clone(),
            vorlaeufig: self.vorlaeufig,
            programm: format!("zielbericht {}", env!("CARGO_PKG_VERSION")),
            dokument_titel,
            herausgeber: self.bericht.herausgeber.clone(),
            quelle: self
                .bericht
                .quelle
                .clone()
                .unwrap_or_else(|| t.quelle.clone()),
            banner: self.bericht.banner.clone(),
        }
    }
}
