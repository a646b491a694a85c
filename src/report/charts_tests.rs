//! Tests of the chart data (`charts.rs`).

use super::*;
use crate::figures::{EntityKind, Figure, Zielerreichung};

/// A Jobcenter whose ELB stock is 900 in December 2016, 1.000 in every month of 2017
/// and 1.100 in every month of 2018, with 20 integrations a month in 2017 and 30 in
/// 2018 (January to March; the Berichtsmonat is March 2018).
fn entity(soll_k2: Option<Decimal>) -> EntityFigures {
    let mut monthly = vec![vec![None; 24]; Col::COUNT];
    // (column, value in 2017, value in January to March 2018)
    for (col, before, now) in [
        (Col::Elb, 1000.0, 1100.0),
        (Col::Int, 20.0, 30.0),
        (Col::Lzb, 600.0, 590.0),
    ] {
        let values = &mut monthly[col.index()];
        values[..12].fill(Some(before));
        values[12..15].fill(Some(now));
    }
    let mut december_before = vec![None; Col::COUNT];
    december_before[Col::Elb.index()] = Some(900.0);
    let figure = |kennzahl, soll: Option<Decimal>| Figure {
        kennzahl,
        wert: None,
        vorjahr: None,
        veraenderung_pct: None,
        ziel: Some(Zielerreichung {
            soll,
            ist: None,
            status: if soll.is_some() {
                Status::Erreicht
            } else {
                Status::KeinZiel
            },
        }),
        pfad: None,
        mitglieder: None,
        ohne: Vec::new(),
    };
    EntityFigures {
        id: "05554".into(),
        kind: EntityKind::Jobcenter,
        jobcenter: None,
        members: vec!["05554".into()],
        figures: vec![
            figure(Kennzahl::Int, Some(Decimal::new(21, 1))),
            figure(Kennzahl::K2, soll_k2),
        ],
        monthly,
        december_before,
        // Within the Wartezeit: the months from February 2018 (May − 3).
        datenstand: chrono::NaiveDate::from_ymd_opt(2018, 5, 15),
    }
}

const MARCH: Berichtsmonat = Berichtsmonat {
    year: 2018,
    month: 3,
};

fn json(d: &Diagramm) -> serde_json::Value {
    serde_json::to_value(d).expect("serialise")
}

fn values(d: &serde_json::Value, i: usize) -> Vec<Option<f64>> {
    d["reihen"][i]["werte"]
        .as_array()
        .expect("values")
        .iter()
        .map(serde_json::Value::as_f64)
        .collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn k2_month_by_month_against_last_year_and_its_zielpfad() {
    let texte = Texte::load(None).expect("built-in Textbausteine");
    let e = entity(Some(Decimal::new(20, 1)));
    let charts = charts(&texte, MARCH, "II", &e).expect("charts");
    assert_eq!(charts.len(), 2, "integrations and K2");
    let k2 = json(&charts[1]);
    assert_eq!(
        k2["titel"],
        "Integrationsquote (K2) im Jahresfortschritt, 2018 und 2017"
    );
    let (now, before, path) = (values(&k2, 0), values(&k2, 1), values(&k2, 2));
    // 2018: January 100 × 30 / mean(1.000 of December 2017) = 3,0;
    // February 100 × 60 / mean(1.000, 1.100) = 6.000 / 1.050 = 5,714…;
    // March 100 × 90 / mean(1.000, 1.100, 1.100) = 9.000 / 1.066,67 = 8,4375.
    assert!(close(now[0], 3.0), "{now:?}");
    assert!(close(now[1], 6000.0 / 1050.0), "{now:?}");
    assert!(close(now[2], 8.4375), "{now:?}");
    assert_eq!(now[3], None, "no value after the Berichtsmonat");
    // 2017: January 100 × 20 / mean(900 of December 2016) = 2,222…;
    // March 100 × 60 / mean(900, 1.000, 1.000) = 18.000 / 2.900 = 6,2069;
    // December 100 × 240 / mean(900, 1.000 × 11) = 24.000 / 991,67 = 24,2017.
    assert!(close(before[0], 2000.0 / 900.0), "{before:?}");
    assert!(close(before[2], 18000.0 / 2900.0), "{before:?}");
    assert!(close(before[11], 24000.0 * 12.0 / 11900.0), "{before:?}");
    // Zielpfad March (contract v4): 6,2069 × (1 + 1,95 / 100) = 6,3279, the threshold for
    // Soll +2,0 % (= soll_wert of K2 in March), shown as the smallest quota at two places
    // that meets it: 6,33 % (+1,98 % → +2,0 %; 6,32 % would be +1,82 %).
    assert!(close(path[2], 6.33), "{path:?}");
    assert_eq!(
        path.iter().flatten().count(),
        12,
        "the path of the whole year"
    );
    assert_eq!(
        k2["reihen"][2]["name"],
        "Zielpfad 2018 (Vorjahr × (1 + 2,0\u{202F}%))"
    );
    assert_eq!(k2["reihen"][2]["stil"], "ziel");
    // Quotas start at zero; February and March lie within the Wartezeit.
    assert_eq!(k2["y_min"], 0.0);
    assert_eq!(k2["y_titel"], "Quote in %");
    assert_eq!(k2["vorlaeufig_ab"], 1);
    assert_eq!(
        k2["vorlaeufig_hinweis"],
        "vorläufig (Wartezeit, Datenstand 15.05.2018)"
    );
}

#[test]
fn a_zero_target_is_last_years_line_and_no_target_no_chart() {
    let texte = Texte::load(None).expect("built-in Textbausteine");
    let zero = charts(&texte, MARCH, "II", &entity(Some(Decimal::new(0, 1)))).expect("charts");
    let k2 = json(&zero[1]);
    assert_eq!(k2["reihen"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        k2["reihen"][1]["name"],
        "2017, zugleich Zielpfad 2018 (Soll 0,0\u{202F}%)"
    );
    let none = charts(&texte, MARCH, "II", &entity(None)).expect("charts");
    assert_eq!(none.len(), 1, "K2 without a target: the table holds it");
    // The stock chart does not start at zero and says so.
    let elb = json(&charts(&texte, MARCH, "I", &entity(None)).expect("charts")[0]);
    assert!(elb["y_min"].as_f64().is_some_and(|v| v > 0.0));
    assert!(
        elb["y_titel"]
            .as_str()
            .is_some_and(|t| t.ends_with("nicht bei null)")),
        "{}",
        elb["y_titel"]
    );
}

/// Regression (issue 20): the cumulative chart drew this year, last year and the
/// Zielpfad on top of each other, and the alt text compared January with December. The
/// distance at the Berichtsmonat is now marked and labelled, with the shown Ist and level
/// of „Zielerreichung auf einen Blick“, and the alt text says it.
#[test]
fn the_distance_to_the_zielpfad_at_the_berichtsmonat_is_labelled_and_in_the_alt_text() {
    let texte = Texte::load(None).expect("built-in Textbausteine");
    let mut e = entity(Some(Decimal::new(20, 1)));
    // January to March: 90 integrations against 60 a year earlier; Soll +2,1 % needs
    // 60 × 1,0205 = 61,23, shown as 62 (61 would be +1,7 %).
    e.figures[0].wert = Some(Value::int(90));
    e.figures[0].vorjahr = Some(Value::int(60));
    let charts = charts(&texte, MARCH, "II", &e).expect("charts");
    let int = json(&charts[0]);
    let gap = &int["abstaende"][0];
    assert_eq!(gap["monat"], 2, "March");
    assert_eq!(gap["ist"], 90.0);
    assert_eq!(gap["ziel"], 62.0);
    assert_eq!(gap["status"], "erreicht");
    assert_eq!(gap["kopf"], "März 2018: 90");
    assert_eq!(gap["text"], "28 Integrationen über dem Zielpfad (62)");
    let alt = int["alt"].as_str().expect("alt text");
    assert!(
        alt.starts_with("Liniendiagramm: Integrationen, kumuliert ab Januar (Jahresfortschritt), 2018 und 2017. März 2018: 90, 28 Integrationen über dem Zielpfad (62); ein Jahr zuvor 60."),
        "{alt}"
    );
    assert!(
        alt.contains("Werte ab Februar 2018 sind vorläufig."),
        "{alt}"
    );
    // K2 without its figure's values: no distance, and the alt text says the value.
    let k2 = json(&charts[1]);
    assert_eq!(k2["abstaende"].as_array().map(Vec::len), Some(0));
    assert!(
        k2["alt"]
            .as_str()
            .is_some_and(|a| a.contains("März 2018: 8,44")),
        "{}",
        k2["alt"]
    );
}
