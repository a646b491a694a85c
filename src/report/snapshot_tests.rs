//! The JSON handed to Typst for the shipped sample (`data/`, Kreis Borken, September
//! 2018), snapshotted with insta. `docs/report-data.example.json` and
//! `docs/overview-data.example.json` are this JSON: the test fails when they drift and
//! rewrites them when run with `ZIELBERICHT_BLESS_DOCS=1`.

use std::path::Path;

use super::context::Context;
use super::model::report;
use super::overview::overview;
use crate::domain::{Berichtsmonat, Decimal};
use crate::texte::Texte;

fn check_doc(name: &str, json: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    if std::env::var_os("ZIELBERICHT_BLESS_DOCS").is_some() {
        std::fs::write(&path, json).expect("write the example");
    }
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        doc == json,
        "{} differs from the JSON handed to Typst; rerun with ZIELBERICHT_BLESS_DOCS=1",
        path.display()
    );
}

#[test]
fn report_and_overview_json_of_the_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ds = crate::load::load(&root.join("data")).expect("the sample loads");
    let bm = Berichtsmonat {
        year: 2018,
        month: 9,
    };
    let results = crate::figures::compute(&ds, bm, Decimal::new(10, 1)).expect("figures");
    let texte = Texte::load(None).expect("built-in Textbausteine");
    let bericht = ds.bericht.bericht.clone();
    let ctx = Context {
        results: &results,
        texte: &texte,
        titel: super::context::Titel::new(&texte, results.berichtsmonat).expect("titles"),
        erstellt: "1. Dezember 2026".into(),
        vorlaeufig: false,
        bericht: &bericht,
    };
    let e = results.entity("05554").expect("Kreis Borken");
    let data = report(&ctx, e).expect("report data");
    let mut json = serde_json::to_string_pretty(&data).expect("serialise");
    json.push('\n');
    // The version moves with every release; the snapshot should not.
    let json = json.replace(env!("CARGO_PKG_VERSION"), "X.Y.Z");
    insta::assert_snapshot!("report_data_05554_2018_09", json);
    check_doc("report-data.example.json", &json);

    let ids: Vec<String> = ds.jobcenters.iter().map(|j| j.id.clone()).collect();
    let mut json = serde_json::to_string_pretty(&overview(&ctx, &ids, &[]).expect("overview data"))
        .expect("serialise");
    json.push('\n');
    let json = json.replace(env!("CARGO_PKG_VERSION"), "X.Y.Z");
    insta::assert_snapshot!("overview_data_2018_09", json);
    check_doc("overview-data.example.json", &json);
}
