//! The outcome of one target of one Jobcenter (contract 2.4).

use serde::Serialize;

/// Outcome of one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    KeinZiel,
    KeineDaten,
    Erreicht,
    KnappVerfehlt,
    Verfehlt,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::KeinZiel => "kein_ziel",
            Status::KeineDaten => "keine_daten",
            Status::Erreicht => "erreicht",
            Status::KnappVerfehlt => "knapp_verfehlt",
            Status::Verfehlt => "verfehlt",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Status::KeinZiel,
            Status::KeineDaten,
            Status::Erreicht,
            Status::KnappVerfehlt,
            Status::Verfehlt,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}
