use crate::util::{COLUMNS, Fixture, Row, SEX_COLUMNS, pdftotext};

/// Text with all whitespace runs collapsed (pdftotext breaks lines at will).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Three Jobcenters: Borken and Coesfeld in Vergleichstyp `IIa`, Steinfurt in `Ib`; columns
/// by sex for all; besides the five `*` targets Borken has a sixth (`bedarfsdeckend`, a
/// monitoring figure) and a seventh (`k2_frauen`, a figure by sex), Coesfeld the sixth.
///
/// Every month has the same default row, so every change is 0,0 % (int soll +2,1 and
/// k3e1 soll +4,0 are missed by more than the tolerance: `verfehlt`; k2, k3, `lzb_je` with
/// soll 0,0 are met), except Borken's `int_bedarfsdeckend`, 10 instead of 9 in 2018:
/// 10/20 = 50 % against 9/20 = 45 % is +11,1 % ≥ +1,0 → `erreicht`. Coesfeld's soll of
/// +50,0 on the same figure (0,0 %) → `verfehlt`. Borken's `k2_frauen`: 0,0 ≥ 0,0 → met.
/// So Borken meets 5 of 7, Coesfeld 3 of 6, Steinfurt 3 of 5.
fn fixture_with_further_targets() -> Fixture {
    let mut fx = Fixture::new();
    for year in 2016..=2018 {
        for month in 1..=12 {
            fx.rows.push(Row::new("05566", year, month));
        }
    }
    fx.jobcenter
        .push_str("05566,Kreis Steinfurt,NRW,zkT,Ib,jc@steinfurt.example\n");
    let by_sex = |r: Row| {
        r.set("elb_frauen", 500)
            .set("elb_maenner", 500)
            .set("int_frauen", 10)
            .set("int_maenner", 10)
            .set("lzb_frauen", 300)
            .set("lzb_maenner", 300)
            .set("int_lzb_frauen", 4)
            .set("int_lzb_maenner", 4)
    };
    fx.rows = fx.rows.into_iter().map(by_sex).collect();
    fx = fx.rows_of("05554", |r| {
        if r.monat.starts_with("2018") {
            r.set("int_bedarfsdeckend", 10)
        } else {
            r
        }
    });
    fx.ziele.push_str(
        "2018,05554,bedarfsdeckend,1.0\n2018,05554,k2_frauen,0.0\n2018,05558,bedarfsdeckend,50.0\n",
    );
    let mut columns: Vec<&str> = COLUMNS.to_vec();
    columns.extend(SEX_COLUMNS);
    let mw = fx.monatswerte_csv(&columns);
    fx.write_with(&mw)
}

/// The lines of a PDF as laid out, whitespace runs collapsed: a table row is a line.
fn lines(path: &std::path::Path) -> Vec<String> {
    pdftotext(path, true).lines().map(flat).collect()
}

/// The line holding `needle`.
fn line_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{}", lines.join("\n")))
}

#[test]
fn further_targets_are_columns_and_count_in_x_of_n() {
    let fx = fixture_with_further_targets();
    fx.run(&["run", "--month", "2018-09"]).expect_code(0);
    let kz = fx.kennzahlen("2018-09");
    assert_eq!(kz.get("05554", "bedarfsdeckend")[4], "erreicht");
    assert_eq!(kz.get("05558", "bedarfsdeckend")[4], "verfehlt");
    assert_eq!(kz.get("05554", "k2_frauen")[4], "erreicht");
    let pdf = fx.out().join("2018-09").join("uebersicht.pdf");
    let all = lines(&pdf);
    // The five target indicators fill the first table; the two further targets follow
    // in a further table with their own column titles.
    let split = all
        .iter()
        .position(|l| l.trim() == "Weitere vereinbarte Ziele")
        .unwrap_or_else(|| panic!("no further table in:\n{}", all.join("\n")));
    let (first, further) = all.split_at(split);
    let text = flat(&pdftotext(&pdf, false));
    // The heading, not the legend's mention of it on page 1.
    let (_, weitere) = text
        .rsplit_once("Weitere vereinbarte Ziele")
        .expect("heading");
    assert!(
        weitere.contains("Bedarfsdeckende Integrationen höher ist besser"),
        "{weitere}"
    );
    assert!(
        weitere.contains("Integrationsquote K2 Frauen höher ist besser"),
        "{weitere}"
    );
    assert!(!first.join(" ").contains("Bedarfsdeckende"));
    // "x von n Zielen": every agreed target counts. Borken's int: Soll +2,1 %, Ist 0,0 %,
    // status as a drawn symbol (no text) and word.
    let borken = line_with(first, "05554 Kreis Borken");
    assert!(borken.contains("5 von 7 +2,1 % 0,0 % nein"), "{borken}");
    assert!(line_with(first, "05558 Kreis Coesfeld").contains("3 von 6"));
    assert!(line_with(first, "05566 Kreis Steinfurt").contains("3 von 5"));
    // „5 von 7“ while two of the seven stand in the further table: the cell says where.
    let page_one = first.join(" ");
    assert!(page_one.contains("2 weitere ab S. 2"), "{page_one}");
    assert!(page_one.contains("1 weiteres ab S. 2"), "{page_one}");
    assert!(!page_one.contains("{seite}"), "{page_one}");
    // The legend stands on page 1, before the table, and says what lzb_je compares (the
    // stock of the month with last December's, not Jan.–Sept.); the pages' layout too.
    let legende = page_one
        .find("Legende:")
        .unwrap_or_else(|| panic!("no legend on page 1: {page_one}"));
    assert!(legende < page_one.find("05554 Kreis Borken").unwrap());
    assert!(
        page_one.contains("LZB-Bestand ggü. Dezember: Bestand Sept. ggü. Dez. 2017"),
        "{page_one}"
    );
    assert!(
        page_one.contains("Weitere vereinbarte Ziele folgen ab Seite 2"),
        "{page_one}"
    );
    // A short legend at the foot of every page.
    assert_eq!(text.matches("Legende auf Seite 1").count(), 2, "{text}");
    // In the further table: Borken +11,1 % against +1,0 %, Coesfeld 0,0 % against +50,0 %.
    let borken = line_with(further, "05554 Kreis Borken");
    assert!(
        borken.contains("+1,0 % +11,1 % ja 0,0 % 0,0 % ja"),
        "{borken}"
    );
    let coesfeld = line_with(further, "05558 Kreis Coesfeld");
    assert!(coesfeld.contains("+50,0 % 0,0 % nein"), "{coesfeld}");
    // Only Jobcenters with one of the further targets, and their Vergleichstyp, return.
    let rest = further.join("\n");
    assert!(
        !rest.contains("Steinfurt") && !rest.contains("Vergleichstyp Ib"),
        "{rest}"
    );
    // Jobcenters on course per target: int 0 of 3 (+0,0 % against +2,1 %), k2 3 of 3,
    // k3 3 of 3, k3e1 0 of 3, lzb_je 3 of 3; bedarfsdeckend 1 of the 2 with that target,
    // k2_frauen 1 of 1.
    assert_eq!(
        line_with(first, "Jobcenter mit Ziel auf Kurs"),
        "Jobcenter mit Ziel auf Kurs 0 von 3 3 von 3 3 von 3 0 von 3 3 von 3"
    );
    assert_eq!(
        line_with(further, "Jobcenter mit Ziel auf Kurs"),
        "Jobcenter mit Ziel auf Kurs 1 von 2 1 von 1"
    );
    // Grouped by Vergleichstyp (Ib before IIa), each group headed by its aggregate (a
    // group of one shows no values); the Land closes the table.
    let at = |needle: &str| {
        first
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?}"))
    };
    let order = [
        at("Vergleichstyp Ib · 1 Jobcenter"),
        at("05566 Kreis Steinfurt"),
        at("Vergleichstyp IIa · 2 Jobcenter"),
        at("05554 Kreis Borken"),
        at("Land NRW · 3 Jobcenter (nur zkT)"),
    ];
    assert!(order.is_sorted(), "{order:?}");
    assert_eq!(
        line_with(first, "Vergleichstyp Ib"),
        "Vergleichstyp Ib · 1 Jobcenter"
    );
}

#[test]
fn december_overview_says_erreicht() {
    let fx = fixture_with_further_targets();
    fx.run(&["run", "--month", "2018-12"]).expect_code(0);
    let text = lines(&fx.out().join("2018-12").join("uebersicht.pdf")).join(" ");
    assert!(text.contains("Jobcenter mit Ziel erreicht"), "{text}");
    assert!(text.contains("Ziele erreicht"), "{text}");
    assert!(text.contains("nicht erreicht"), "{text}");
    assert!(!text.contains("auf Kurs"), "{text}");
    // The Datenstand (15 December 2018) lies within the Wartezeit.
    assert!(text.contains("Vorläufiges Jahresergebnis 2018"), "{text}");
}
