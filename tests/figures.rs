use crate::util::{Fixture, Row};

/// Kreis Borken with integrations and stocks changed in 2017/2018, Coesfeld at defaults.
fn march_fixture() -> Fixture {
    Fixture::new()
        .row("05554", "2017-01", |r| r.set("int", 10))
        .row("05554", "2017-02", |r| r.set("int", 20))
        .row("05554", "2017-03", |r| r.set("int", 30))
        .row("05554", "2018-01", |r| {
            r.set("int", 20).set("elb", 1100).set("lzb", 600)
        })
        .row("05554", "2018-02", |r| {
            r.set("int", 20).set("elb", 1100).set("lzb", 606)
        })
        .row("05554", "2018-03", |r| r.set("int", 30).set("lzb", 612))
        .write()
}

fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("a value");
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{a} != {expected}"
    );
}

#[test]
fn target_indicators_worked_by_hand() {
    let fx = march_fixture();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // int: 20+20+30 = 70 against 10+20+30 = 60 → +16,67 %, soll +2,1 → erreicht.
    assert_eq!(k.get("05554", "int")[..2], ["70", "60"]);
    close(k.num("05554", "int", 2), 100.0 / 6.0);
    assert_eq!(k.get("05554", "int")[3..5], ["2.1", "erreicht"]);
    // k2: 100·70 / mean(elb Dec17 1000, Jan18 1100, Feb18 1100) = 7000/1066,67 = 6,5625;
    //     last year 100·60 / mean(1000, 1000, 1000) = 6 → +9,375 %.
    close(k.num("05554", "k2", 0), 6.5625);
    close(k.num("05554", "k2", 1), 6.0);
    close(k.num("05554", "k2", 2), 9.375);
    assert_eq!(k.get("05554", "k2")[4], "erreicht");
    // k3: mean(600, 606, 612) = 606 against 600 → +1,0 %; lower is better, soll 0,0:
    //     missed by exactly the tolerance 1,0 → knapp_verfehlt.
    close(k.num("05554", "k3", 0), 606.0);
    close(k.num("05554", "k3", 2), 1.0);
    assert_eq!(k.get("05554", "k3")[4], "knapp_verfehlt");
    // k3e1: 100·24 / mean(lzb Dec17 600, Jan 600, Feb 606) = 2400/602 = 3,9867…;
    //       last year 2400/600 = 4 → −0,33 %, soll +4,0 → verfehlt.
    close(k.num("05554", "k3e1", 0), 2400.0 / 602.0);
    close(k.num("05554", "k3e1", 1), 4.0);
    assert_eq!(k.get("05554", "k3e1")[4], "verfehlt");
    // lzb_je: lzb March 2018 = 612 against December 2017 = 600 → +2,0 % → verfehlt.
    close(k.num("05554", "lzb_je", 0), 612.0);
    close(k.num("05554", "lzb_je", 1), 600.0);
    close(k.num("05554", "lzb_je", 2), 2.0);
    assert_eq!(k.get("05554", "lzb_je")[4], "verfehlt");
}

#[test]
fn monitoring_figures_worked_by_hand() {
    let fx = march_fixture();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // llu: 3 × 250.000,50 in both years.
    close(k.num("05554", "llu", 0), 750_001.5);
    close(k.num("05554", "llu", 2), 0.0);
    // elb stock March 2018 (1000) against March 2017 (1000).
    assert_eq!(k.get("05554", "elb")[..3], ["1000", "1000", "0"]);
    // nachhaltigkeit over Jan–Mar 2017: 100·30/48 = 62,5; 2016 the same.
    close(k.num("05554", "nachhaltigkeit", 0), 62.5);
    close(k.num("05554", "nachhaltigkeit", 1), 62.5);
    // bedarfsdeckend: 100·27/70 = 38,571…; last year 100·27/60 = 45.
    close(k.num("05554", "bedarfsdeckend", 0), 2700.0 / 70.0);
    close(k.num("05554", "bedarfsdeckend", 1), 45.0);
    // iq_asyl8: 100·9 / mean(150,150,150) = 6.
    close(k.num("05554", "iq_asyl8", 0), 6.0);
    // Monitoring rows carry neither soll nor status.
    assert_eq!(k.get("05554", "llu")[3..5], ["", ""]);
}

#[test]
fn aggregates_are_ratios_of_sums() {
    let fx = march_fixture();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // int: 70 + 60 = 130 against 60 + 60 = 120.
    assert_eq!(k.get("LAND:NRW", "int")[..2], ["130", "120"]);
    assert_eq!(k.get("VT:IIa", "int")[..2], ["130", "120"]);
    // k2: 100·130 / ((2000 + 2100 + 2100)/3) = 39000/6200 = 6,2903…, not the mean of the quotas.
    close(k.num("LAND:NRW", "k2", 0), 39_000.0 / 6_200.0);
    // Aggregates carry no target and no status.
    assert_eq!(k.get("LAND:NRW", "int")[3..5], ["", ""]);
}

#[test]
fn exact_half_is_rounded_up_not_by_float() {
    // int: 20410 against 20000 is exactly +2,05 % → 2,1 % ≥ 2,1 → erreicht. As f64 the
    // change is 2,0499…, which would round to 2,0 and miss the target.
    let fx = Fixture::new()
        .row("05554", "2017-01", |r| {
            r.set("int", 20000)
                .set("int_lzb", 0)
                .set("int_svb", 0)
                .set("int_nachhaltig", 0)
                .set("int_bedarfsdeckend", 0)
        })
        .row("05554", "2018-01", |r| r.set("int", 20410))
        .write();
    fx.run(&["run", "--month", "2018-01", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-01");
    assert_eq!(k.get("05554", "int")[4], "erreicht");
}

#[test]
fn missing_values_make_a_side_missing_never_zero() {
    // Coesfeld has no row for February 2018 and "*" for int in January 2017.
    let fx = Fixture::new()
        .without_row("05558", "2018-02")
        .row("05558", "2017-01", |r| r.set("int", "*"))
        .write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // wert needs Feb 2018: missing; vorjahr needs Jan 2017: missing.
    assert_eq!(
        k.get("05558", "int")[..5],
        ["", "", "", "2.1", "keine_daten"]
    );
    // The stock figures of March are unaffected.
    assert_eq!(k.get("05558", "elb")[..2], ["1000", "1000"]);
    // The aggregate is taken over its complete members (contract 2.5): Coesfeld lacks
    // needed values, so the Land's int is Borken's alone, on both sides: 60 against 60.
    assert_eq!(
        k.get("LAND:NRW", "int")[..6],
        ["60", "60", "0", "", "", "1"]
    );
    // elb needs only March of both years, which Coesfeld has: both members count.
    assert_eq!(k.get("LAND:NRW", "elb")[5], "2");
    // Borken keeps its figures.
    assert_eq!(k.get("05554", "int")[..2], ["60", "60"]);
}

#[test]
fn zero_denominator_is_missing() {
    let fx = Fixture::new()
        .rows_of("05558", |r| {
            if r.monat.starts_with("2017") {
                r.set("int", 0)
            } else {
                r
            }
        })
        .write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // int last year 0 → the change is missing, the values are there.
    assert_eq!(k.get("05558", "int")[..4], ["60", "0", "", "2.1"]);
    assert_eq!(k.get("05558", "int")[4], "keine_daten");
    // bedarfsdeckend last year: 100·27/0 → missing.
    assert_eq!(k.get("05558", "bedarfsdeckend")[1], "");
}

#[test]
fn targets_of_a_jobcenter_override_the_star_rows() {
    let mut fx = Fixture::new();
    fx.ziele
        .push_str("2018,05554,k3,-0.25\n2018,05554,int,1.5\n2017,*,k2,9\n");
    let fx = fx.write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("05554", "k3")[3], "-0.25");
    assert_eq!(k.get("05554", "int")[3], "1.5");
    assert_eq!(k.get("05558", "int")[3], "2.1");
    // k3 unchanged (0,00 %) against −0,25: missed by 0,25 ≤ 1,0 → knapp_verfehlt.
    assert_eq!(k.get("05554", "k3")[4], "knapp_verfehlt");
}

#[test]
fn no_target_of_the_year_means_kein_ziel() {
    let mut fx = Fixture::new();
    fx.ziele = "jahr,jobcenter,ziel,soll_pct\n2017,*,int,2.1\n".into();
    let fx = fx.write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    for z in ["int", "k2", "k3", "k3e1", "lzb_je"] {
        assert_eq!(k.get("05554", z)[3..5], ["", "kein_ziel"], "{z}");
    }
}

#[test]
fn tolerance_is_configurable() {
    let fx = march_fixture();
    // k3 +1,0 % against 0,0: with tolerance 0,5 this is verfehlt.
    fx.run(&[
        "run",
        "--month",
        "2018-03",
        "--figures-only",
        "--tolerance",
        "0.5",
    ])
    .expect_code(0);
    assert_eq!(fx.kennzahlen("2018-03").get("05554", "k3")[4], "verfehlt");
}

#[test]
fn monitoring_figure_left_out_when_its_column_is_absent() {
    let fx = Fixture::new();
    let cols: Vec<&str> = crate::util::COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "lzb_4j" && *c != "int_asyl8")
        .collect();
    let mw = fx.monatswerte_csv(&cols);
    let fx = fx.write_with(&mw);
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert!(!k.has("05554", "lzb_4j"));
    assert!(!k.has("05554", "iq_asyl8"));
    assert!(k.has("05554", "lzb_asyl8"));
    assert!(k.has("LAND:NRW", "nachhaltigkeit"));
}

#[test]
fn every_jobcenter_gets_figures_even_without_rows() {
    let mut fx = Fixture::new();
    fx.jobcenter.push_str("05358,Kreis Düren,NRW,zkT,,\n");
    let fx = fx.write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(
        k.get("05358", "int")[..5],
        ["", "", "", "2.1", "keine_daten"]
    );
    // Düren has no Vergleichstyp, so VT:IIa keeps its figures; the Land leaves Düren out.
    assert_eq!(k.get("VT:IIa", "int")[0], "120");
    assert_eq!(k.get("LAND:NRW", "int")[0], "120");
    assert_eq!(k.get("LAND:NRW", "int")[5], "2");
    let header = k.text.lines().next().unwrap();
    assert_eq!(
        header,
        "jobcenter,berichtsmonat,kennzahl,wert,vorjahr,veraenderung_pct,soll_pct,status,mitglieder,soll_wert,jahres_soll,rest_bedarf,vorjahr_rest"
    );
    // 3 Jobcenters + 1 Land + 1 VT, 14 figures each.
    assert_eq!(k.text.lines().count(), 1 + 5 * 14);
}

#[test]
fn december_compares_lzb_je_with_last_december() {
    let fx = Fixture::new()
        .row("05554", "2017-12", |r| r.set("lzb", 500))
        .row("05554", "2018-12", |r| r.set("lzb", 495))
        .write();
    fx.run(&["run", "--month", "2018-12", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-12");
    // 495 against 500 → −1,0 % ≤ 0,0 → erreicht.
    assert_eq!(k.get("05554", "lzb_je")[..2], ["495", "500"]);
    assert_eq!(k.get("05554", "lzb_je")[4], "erreicht");
    let _ = Row::new("x", 2018, 1);
}

#[test]
fn zielpfad_worked_by_hand() {
    let fx = march_fixture();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    // Fields: 6 soll_wert, 7 jahres_soll, 8 rest_bedarf, 9 vorjahr_rest.
    // Contract v4: s = T / 100 with the threshold change T = soll ∓ 0,05 (one decimal).
    // int, soll +2,1 % → T = 2,05 %: Σ int 2017 = 10 + 20 + 30 + 9 × 20 = 240 → jahres_soll
    // 240 · 1,0205 = 244,92; so far 70 → 174,92 still needed; Apr–Dec 2017 brought 180;
    // soll_wert 60 · 1,0205 = 61,23.
    close(k.num("05554", "int", 6), 61.23);
    close(k.num("05554", "int", 7), 244.92);
    close(k.num("05554", "int", 8), 174.92);
    close(k.num("05554", "int", 9), 180.0);
    // k2, soll 0,0, higher is better → T = −0,05 %: V = 100 · 240 / mean(elb Dec 2016 ..
    // Nov 2017 = 1000) = 24 → 24 · 0,9995 = 23,988. D = mean of elb Dec17 1000, Jan 1100,
    // Feb 1100, Mar 1000 and Apr..Nov at March's 1000 = 12200/12; 23,988 % of D = 243,878
    // integrations in the year, 70 so far → 173,878.
    close(k.num("05554", "k2", 7), 23.988);
    close(k.num("05554", "k2", 8), 173.878);
    close(k.num("05554", "k2", 9), 180.0);
    // k3, soll 0,0, lower is better → T = +0,05 %: V = 600 → 600,3; the remaining 9 months
    // may average (12 · 600,3 − 1818) / 9 = 5385,6 / 9 = 598,4.
    close(k.num("05554", "k3", 7), 600.3);
    close(k.num("05554", "k3", 8), 598.4);
    close(k.num("05554", "k3", 9), 600.0);
    // k3e1, soll +4,0 → T = 3,95 %: V = 100 · 96 / 600 = 16 → 16 · 1,0395 = 16,632;
    // D = (600 + 600 + 606 + 9 · 612) / 12 = 609,5; 0,16632 · 609,5 = 101,37204 minus 24 so
    // far = 77,37204; Apr–Dec 2017: 9 · 8 = 72.
    close(k.num("05554", "k3e1", 7), 16.632);
    close(k.num("05554", "k3e1", 8), 77.37204);
    close(k.num("05554", "k3e1", 9), 72.0);
    // lzb_je, soll 0,0, lower is better → T = +0,05 %: December target 600 · 1,0005 = 600,3,
    // stock now 612 → −11,7 (a reduction of 11,7 needed: 12 persons, as 601 would be
    // +0,17 %); last year Dec 2016 600 − Mar 2017 600 = 0.
    close(k.num("05554", "lzb_je", 6), 600.3);
    close(k.num("05554", "lzb_je", 7), 600.3);
    close(k.num("05554", "lzb_je", 8), -11.7);
    assert_eq!(k.get("05554", "lzb_je")[9], "0");
    // No target, no Zielpfad: monitoring rows and aggregates leave the four columns empty.
    assert_eq!(k.get("05554", "llu")[6..], ["", "", "", ""]);
    assert_eq!(k.get("LAND:NRW", "int")[6..], ["", "", "", ""]);

    // In December only soll_wert and jahres_soll are given.
    fx.run(&["run", "--month", "2018-12", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-12");
    close(k.num("05554", "int", 7), 244.92);
    assert_eq!(k.get("05554", "int")[8..], ["", ""]);
}

#[test]
fn aggregate_without_complete_members_is_missing_with_zero() {
    // Both Jobcenters lack int in January 2018: no member is complete for int; elb is
    // unaffected.
    let fx = Fixture::new()
        .row("05554", "2018-01", |r| r.set("int", "."))
        .row("05558", "2018-01", |r| r.set("int", ""))
        .write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("LAND:NRW", "int")[..6], ["", "", "", "", "", "0"]);
    assert_eq!(k.get("VT:IIa", "k2")[5], "0");
    assert_eq!(k.get("LAND:NRW", "elb")[..2], ["2000", "2000"]);
    assert_eq!(k.get("LAND:NRW", "elb")[5], "2");
    // Jobcenter rows leave mitglieder empty.
    assert_eq!(k.get("05554", "elb")[5], "");
}

/// The fixture with the columns by sex (contract v3, 1.1): women 500 ELB, 8 integrations a
/// month in 2016/2017 and 10 in 2018, 300 LZB with 3 integrations; men a little less than
/// the rest (a few persons without recorded sex).
fn by_sex_fixture() -> Fixture {
    let mut fx = Fixture::new().rows_of("05554", |r| {
        let int_f = if r.monat.starts_with("2018") { 10 } else { 8 };
        r.set("elb_frauen", 500)
            .set("elb_maenner", 495)
            .set("int_frauen", int_f)
            .set("int_maenner", 20 - int_f)
            .set("lzb_frauen", 300)
            .set("lzb_maenner", 298)
            .set("int_lzb_frauen", 3)
            .set("int_lzb_maenner", 5)
    });
    fx.ziele
        .push_str("2018,05554,k2_frauen,1.0\n2018,05554,elb,-1.0\n2018,*,iq_asyl8,1.0\n");
    fx
}

#[test]
fn figures_by_sex_and_targets_for_any_figure() {
    let fx = by_sex_fixture();
    let mut columns: Vec<&str> = crate::util::COLUMNS.to_vec();
    columns.retain(|c| !c.contains("asyl8"));
    columns.extend(crate::util::SEX_COLUMNS);
    let mw = fx.monatswerte_csv(&columns);
    let fx = fx.write_with(&mw);
    let run = fx.run(&["run", "--month", "2018-03", "--figures-only"]);
    run.expect_code(0);
    // iq_asyl8 needs elb_asyl8 and int_asyl8, absent here: its target has no effect.
    run.expect_stderr("a target for \"iq_asyl8\" has no effect");
    let k = fx.kennzahlen("2018-03");
    assert!(!k.has("05554", "iq_asyl8"));
    // k2_frauen: 100 · 30 / mean(500, 500, 500) = 6 against 100 · 24 / 500 = 4,8 → +25 %,
    // soll +1,0 → erreicht; T = 0,95 %: soll_wert 4,8 · 1,0095 = 4,8456; December value of
    // 2017: 100 · 96 / 500 = 19,2 → jahres_soll 19,2 · 1,0095 = 19,3824.
    close(k.num("05554", "k2_frauen", 0), 6.0);
    close(k.num("05554", "k2_frauen", 1), 4.8);
    close(k.num("05554", "k2_frauen", 2), 25.0);
    assert_eq!(k.get("05554", "k2_frauen")[3..5], ["1", "erreicht"]);
    close(k.num("05554", "k2_frauen", 6), 4.8456);
    close(k.num("05554", "k2_frauen", 7), 19.3824);
    // A monitoring figure made a target, lower is better: elb 1000 against 1000 = 0,0 %
    // against −1,0 % → missed by exactly 1,0 point → knapp_verfehlt; T = −0,95 %: soll_wert
    // 1000 · 0,9905 = 990,5, and no Zielpfad beyond it (contract 2.6).
    assert_eq!(k.get("05554", "elb")[3..5], ["-1", "knapp_verfehlt"]);
    close(k.num("05554", "elb", 6), 990.5);
    assert_eq!(k.get("05554", "elb")[7..], ["", "", ""]);
    // Figures without a target stay without status; the other Jobcenter lacks the columns'
    // values (empty cells), so its by-sex figures are missing and the aggregate is Borken's.
    assert_eq!(
        k.get("05554", "k3_frauen")[..5],
        ["300", "300", "0", "", ""]
    );
    assert_eq!(k.get("05558", "int_frauen")[..2], ["", ""]);
    assert_eq!(k.get("LAND:NRW", "int_frauen")[..2], ["30", "24"]);
    assert_eq!(k.get("LAND:NRW", "int_frauen")[5], "1");
    // A folder without the columns has no such rows at all.
    let plain = Fixture::new().write();
    plain
        .run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    assert!(!plain.kennzahlen("2018-03").has("05554", "k2_frauen"));
}

#[test]
fn women_and_men_above_the_total_is_a_warning() {
    let fx = Fixture::new().row("05554", "2018-02", |r| {
        r.set("int_frauen", 15).set("int_maenner", 6)
    });
    let mut columns = crate::util::COLUMNS.to_vec();
    columns.extend(["int_frauen", "int_maenner"]);
    let mw = fx.monatswerte_csv(&columns);
    let fx = fx.write_with(&mw);
    fx.run(&["check"]).expect_code(0).expect_stderr(
        "unplausibel: int_frauen + int_maenner (15 + 6) ist größer als int (20) für 05554 2018-02",
    );
}

#[test]
fn a_dash_as_soll_is_zero_and_money_sums_are_exact() {
    // "-" is German Excel's zero (contract v3, 1.1): the int target is +0 %.
    let mut fx = Fixture::new()
        .rows_of("05554", |r| r.set("llu_eur", "0.10"))
        .row("05554", "2018-02", |r| r.set("llu_eur", "0.20"));
    fx.ziele = "jahr,jobcenter,ziel,soll_pct\n2018,*,int,-\n".into();
    let fx = fx.write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("05554", "int")[3..5], ["0", "erreicht"]);
    // 0,10 + 0,20 + 0,10 = 0,40 € exactly (a float sum prints 0.4000000000000001).
    assert_eq!(k.get("05554", "llu")[..2], ["0.4", "0.3"]);
}

#[test]
fn money_keeps_every_decimal_written() {
    // Amounts with three decimals are not rounded to cents: 1 000,005 € in each month of
    // Jan–Mar 2017, 1 000,004 € in 2018 → 3 000,012 against 3 000,015.
    let fx = Fixture::new()
        .rows_of("05554", |r| {
            let v = if r.monat.starts_with("2018") {
                "1000.004"
            } else {
                "1000.005"
            };
            r.set("llu_eur", v)
        })
        .write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("05554", "llu")[..2], ["3000.012", "3000.015"]);
    // (3000,012 / 3000,015 − 1) · 100 = −0,3 / 3000,015 = −0,0000999995 %.
    close(k.num("05554", "llu", 2), -0.3 / 3000.015);
}
