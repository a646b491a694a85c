//! The comparison with the Vergleichstyp and the Land: the group value includes the
//! Jobcenter itself (contract 2.5) and the report says so; small groups carry no rank.

use crate::util::{Fixture, Row, pdftotext};

fn text(fx: &Fixture, file: &str) -> String {
    let t = pdftotext(&fx.out().join("2018-09").join(file), false);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Regression: in a Vergleichstyp of two the report printed „Rang 1 von 2 im Vergleichstyp“
/// and compared Borken with a group value that was 60 % Borken, without a word.
#[test]
fn a_group_of_two_has_no_rank_and_the_report_names_the_jobcenters_share() {
    // Borken eLb 3.000, Coesfeld 2.000 in September 2018: Borken's share of the
    // Vergleichstyp IIa is 3000 / (3000 + 2000) = 60 %; Coesfeld's 40 % (shown from 25 %).
    let fx = Fixture::new()
        .row("05554", "2018-09", |r| r.set("elb", 3000))
        .row("05558", "2018-09", |r| r.set("elb", 2000))
        .write();
    fx.run(&["run", "--month", "2018-09"]).expect_code(0);
    let borken = text(&fx, "05554_kreis-borken.pdf");
    assert!(
        borken.contains(
            "Der Wert des Vergleichstyps IIa fasst 2 Jobcenter zusammen, dieses eingeschlossen; \
             auf dieses Jobcenter entfallen im Berichtsmonat 60 % der erwerbsfähigen \
             Leistungsberechtigten des Vergleichstyps. Bei nur 2 Jobcentern wird kein Rang \
             im Vergleichstyp ausgewiesen."
        ),
        "{borken}"
    );
    // Two Jobcenters in the Land as well: no rank at all.
    for rank in ["Rang 1 von", "Rang 2 von"] {
        assert!(!borken.contains(rank), "{borken}");
    }
    let coesfeld = text(&fx, "05558_kreis-coesfeld.pdf");
    assert!(
        coesfeld.contains("entfallen im Berichtsmonat 40 %"),
        "{coesfeld}"
    );
}

#[test]
fn a_group_of_three_is_ranked_and_a_small_share_is_not_named() {
    // A third Jobcenter in IIa with eLb 5.000 in September: Borken 1.000 / 8.000 = 12,5 %
    // (below a quarter: not named), Coesfeld 2.000 / 8.000 = 25 % (named).
    let mut fx = Fixture::new();
    fx.jobcenter
        .push_str("05566,Kreis Steinfurt,NRW,zkT,IIa,jc@steinfurt.example\n");
    for year in 2016..=2018 {
        for month in 1..=12 {
            fx.rows.push(Row::new("05566", year, month));
        }
    }
    let fx = fx
        .row("05566", "2018-09", |r| r.set("elb", 5000))
        .row("05558", "2018-09", |r| r.set("elb", 2000))
        .write();
    fx.run(&["run", "--month", "2018-09"]).expect_code(0);
    let borken = text(&fx, "05554_kreis-borken.pdf");
    assert!(
        borken.contains(
            "Der Wert des Vergleichstyps IIa fasst 3 Jobcenter zusammen, dieses eingeschlossen."
        ),
        "{borken}"
    );
    assert!(!borken.contains("kein Rang"), "{borken}");
    assert!(borken.contains("von 3 im Vergleichstyp IIa"), "{borken}");
    let coesfeld = text(&fx, "05558_kreis-coesfeld.pdf");
    assert!(
        coesfeld.contains("entfallen im Berichtsmonat 25 %"),
        "{coesfeld}"
    );
}
