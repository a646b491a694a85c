//! `vereinbarung`: one target agreement per zkT and year, its text checked with pdftotext.

use std::path::Path;

use crate::util::{Fixture, snapshot_tree};

fn pdftotext(path: &Path) -> String {
    crate::util::pdftotext(path, false)
}

/// Text with hyphenation undone and all whitespace runs collapsed (pdftotext breaks
/// lines at will and keeps Typst's soft hyphens).
fn flat(text: &str) -> String {
    let words = text
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // A compound broken at its hyphen („Nordrhein-⏎Westfalen“) is joined again; a
    // hyphen before a lower-case word („Asyl- oder“) is German's elision and stays.
    let mut out = String::with_capacity(words.len());
    let chars: Vec<char> = words.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if chars[i] == '-'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|c| c.is_uppercase())
        {
            i += 1;
        }
        i += 1;
    }
    out
}

const MINISTERIUM: &str =
    "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen";

const CONFIG: &str = "[ministerium]\n\
    name = \"Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen\"\n\
    vertreten_durch = \"Staatssekretärin des Ministeriums\"\n\
    ort = \"Düsseldorf\"\n\
    [vereinbarung]\n\
    schwerpunkte = \"Alleinerziehende #1 besonders *fördern*.\"\n\
    besonderheiten = \"Neue Förderinstrumente werden gesondert betrachtet.\"\n\
    datum = \"2019-01-15\"\n";

/// Two zkT with signatories; 2019 targets: `*` rows plus own rows of 05558 that override
/// them (k3, int), and targets for monitoring figures (contract v3) of both directions.
fn fixture() -> Fixture {
    let mut fx = Fixture::new();
    fx.jobcenter = "jobcenter,name,land,traeger,vergleichstyp,vertreten_durch\n\
                    05554,Kreis Borken,NRW,zkT,IIa,Landrat Dr. Kai Zwicker\n\
                    05558,Kreis Coesfeld,NRW,zkT,IIa,Landrätin des Kreises Coesfeld\n"
        .into();
    fx.ziele = "jahr,jobcenter,ziel,soll_pct\n\
                2019,*,int,2.1\n2019,*,k2,0.0\n2019,*,k3,0\n2019,*,k3e1,4.0\n2019,*,lzb_je,-\n\
                2019,05558,k3,-0.25\n2019,05558,int,1.5\n\
                2019,05554,llu,-1.0\n2019,05554,nachhaltigkeit,0.0\n2019,05554,lzb_4j,1.5\n\
                2019,05554,iq_asyl8,-2.0\n\
                2018,*,int,9.9\n"
        .into();
    let fx = fx.write();
    fx.file("bericht.toml", CONFIG.as_bytes());
    fx
}

fn agreement(fx: &Fixture, file: &str) -> String {
    flat(&pdftotext(&fx.out().join("vereinbarungen/2019").join(file)))
}

#[track_caller]
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

#[test]
fn agreements_name_parties_and_every_target_worded_for_its_direction() {
    let fx = fixture();
    let run = fx.run(&["vereinbarung", "--year", "2019"]);
    run.expect_code(0)
        .expect_stderr("2 Vereinbarungen und manifest.json geschrieben");
    // The built-in template compiles without Typst warnings (they would be printed).
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());

    let borken = agreement(&fx, "05554_kreis-borken.pdf");
    // Parties, year, legal basis, free texts (markup characters literal), date.
    has(&borken, "Zielvereinbarung 2019");
    has(&borken, MINISTERIUM);
    has(&borken, "vertreten durch Staatssekretärin des Ministeriums");
    has(&borken, "Kreis Borken");
    has(&borken, "vertreten durch Landrat Dr. Kai Zwicker");
    has(&borken, "§ 48b Abs. 1 S. 1 Nr. 4");
    has(&borken, "Alleinerziehende #1 besonders *fördern*.");
    has(
        &borken,
        "Neue Förderinstrumente werden gesondert betrachtet.",
    );
    has(&borken, "Düsseldorf, den 15. Januar 2019");
    has(&borken, "Steuerungsdialoge");

    // The `*` targets, with sign and wording by direction.
    has(&borken, "+2,1 %");
    has(
        &borken,
        "die Zahl der Integrationen im Jahr 2019 um mindestens 2,1 % über dem Wert des Jahres 2018 liegt",
    );
    has(
        &borken,
        "die Integrationsquote im Jahr 2019 mindestens den Wert des Jahres 2018 erreicht",
    );
    has(&borken, "+4,0 %");
    // k3 written as "0" and lzb_je as "-" (zero): both 0,0 % stock targets, "Stagnation".
    has(
        &borken,
        "Stagnation: Das Ziel ist erreicht, wenn der durchschnittliche Bestand an Langzeitleistungsbeziehenden im Jahr 2019 nicht über dem Wert des Jahres 2018 liegt",
    );
    has(
        &borken,
        "Stagnation: Das Ziel ist erreicht, wenn der Bestand an Langzeitleistungsbeziehenden im Dezember 2019 nicht über dem Wert vom Dezember 2018 liegt",
    );
    // Further figures (v3): lower is better −1,0 % / +1,5 %, higher is better 0,0 % / −2,0 %.
    has(&borken, "\u{2212}1,0 %");
    has(
        &borken,
        "die Summe der Leistungen zum Lebensunterhalt im Jahr 2019 um mindestens 1,0 % unter dem Wert des Jahres 2018 liegt",
    );
    // 12 × 250.000,50 € = 3.000.006 €; v4: T = −1,0 + 0,05 = −0,95 %, × 0,9905 =
    // 2.971.505,94 € → the largest whole euro that meets the target: 2.971.505 € (−0,95003 %
    // → −1,0 %; 2.971.506 € is −0,94999 % → −0,9 %).
    has(
        &borken,
        "Ausgangswert 2018: 3.000.006 € · Zielgröße 2019: höchstens 2.971.505 €",
    );
    has(
        &borken,
        "der Bestand an Langzeitleistungsbeziehenden mit vier und mehr Jahren Leistungsbezug im Dezember 2019 um höchstens 1,5 % über dem Wert vom Dezember 2018 liegt",
    );
    has(
        &borken,
        "der Anteil nachhaltiger Integrationen im Jahr 2019 mindestens den Wert des Jahres 2018 erreicht",
    );
    has(
        &borken,
        "um höchstens 2,0 % unter dem Wert des Jahres 2018 liegt",
    );
    // Ausgangswert and Zielgröße from the 2018 figures: 12 months × 20 integrations = 240;
    // v4: 240 × 1,0205 = 244,92 → 245, the smallest number that meets +2,1 % (+2,08 %).
    // Mean LZB 600 × 1,0005 = 600,3 → 600, the largest that meets 0,0 % (601 is +0,17 %).
    has(
        &borken,
        "Ausgangswert 2018: 240 · Zielgröße 2019: mindestens 245",
    );
    has(
        &borken,
        "Ausgangswert 2018: 600 · Zielgröße 2019: höchstens 600",
    );
    // The 2018 target (+9,9 %) belongs to another year.
    assert!(!borken.contains("9,9 %"), "{borken}");

    // In the order of the law: I (llu), II (int), III (k3), each heading once.
    let at = |needle: &str| {
        borken
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {borken}"))
    };
    assert!(
        at("I. Verringerung der Hilfebedürftigkeit")
            < at("Leistungen zum Lebensunterhalt im Jahr 2019")
    );
    assert!(
        at("Leistungen zum Lebensunterhalt im Jahr 2019") < at("II. Verbesserung der Integration")
    );
    assert!(at("II. Verbesserung der Integration") < at("die Zahl der Integrationen im Jahr 2019"));
    assert!(
        at("die Zahl der Integrationen im Jahr 2019")
            < at("III. Vermeidung von langfristigem Leistungsbezug")
    );
    assert!(at("III. Vermeidung von langfristigem Leistungsbezug") < at("Stagnation"));

    // Own rows override the `*` rows: Coesfeld has +1,5 % integrations and −0,25 % K3.
    let coesfeld = agreement(&fx, "05558_kreis-coesfeld.pdf");
    has(&coesfeld, "vertreten durch Landrätin des Kreises Coesfeld");
    has(&coesfeld, "+1,5 %");
    assert!(!coesfeld.contains("+2,1 %"), "{coesfeld}");
    has(&coesfeld, "\u{2212}0,25 %");
    has(
        &coesfeld,
        "der durchschnittliche Bestand an Langzeitleistungsbeziehenden im Jahr 2019 um mindestens 0,25 % unter dem Wert des Jahres 2018 liegt",
    );
    has(&coesfeld, "abweichend vom landesweiten Zielwert");
    // Borken's own targets are not Coesfeld's.
    assert!(
        !coesfeld.contains("Leistungen zum Lebensunterhalt im Jahr 2019"),
        "{coesfeld}"
    );
}

#[test]
fn a_jobcenter_without_targets_gets_a_note_and_blank_lines_without_config() {
    let fx = fixture();
    std::fs::remove_file(fx.data().join("bericht.toml")).unwrap();
    fx.run(&["vereinbarung", "--year", "2020", "--jobcenter", "5554"])
        .expect_code(0)
        .expect_stderr("bericht.toml: nicht gefunden")
        .expect_stderr("keine Ziele für 2020");
    let dir = fx.out().join("vereinbarungen/2020");
    let names: Vec<_> = snapshot_tree(&dir).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            Path::new("05554_kreis-borken.pdf"),
            Path::new("manifest.json")
        ]
    );
    let text = flat(&pdftotext(&dir.join("05554_kreis-borken.pdf")));
    has(
        &text,
        "Hinweis: Für das Jahr 2020 enthält die Zieltabelle für Kreis Borken keine Zielwerte",
    );
    has(&text, "zwischen dem Ministerium des Landes NRW");
    has(&text, "vertreten durch Landrat Dr. Kai Zwicker");
    assert!(!text.contains("Das Ziel ist erreicht"), "{text}");
}

#[test]
fn reruns_are_byte_identical_declare_pdf_a_and_ua_and_verify() {
    let fx = fixture();
    fx.run(&["vereinbarung", "--year", "2019", "--out", "a"])
        .expect_code(0);
    fx.run(&["vereinbarung", "--year", "2019", "--out", "b"])
        .expect_code(0);
    // The edition folders (the lock file beside them is not part of the output).
    let a = snapshot_tree(&fx.dir.path().join("a/vereinbarungen/2019"));
    let b = snapshot_tree(&fx.dir.path().join("b/vereinbarungen/2019"));
    assert_eq!(a.len(), 3, "two agreements and manifest.json");
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        if pa.ends_with("manifest.json") {
            let text = String::from_utf8_lossy(ba);
            assert!(
                text.contains("bericht.toml"),
                "config not in the manifest: {text}"
            );
            continue; // names the --out folder in its command line
        }
        assert!(ba == bb, "{} differs", pa.display());
        crate::xmp::assert_pdfa_2a_and_ua_1(ba, &pa.display().to_string());
    }
    let verify = fx.run(&["verify", "a/vereinbarungen/2019"]);
    verify.expect_code(0);
    // A changed PDF no longer verifies.
    std::fs::write(
        fx.dir
            .path()
            .join("a/vereinbarungen/2019/05554_kreis-borken.pdf"),
        b"x",
    )
    .unwrap();
    fx.run(&["verify", "a/vereinbarungen/2019"]).expect_code(1);
}

#[test]
fn bad_arguments_and_config_exit_2_and_write_nothing() {
    let fx = fixture();
    let refused = |args: &[&str], needle: &str| {
        fx.run(args).expect_code(2).expect_stderr(needle);
        assert!(!fx.out().exists(), "{args:?} wrote output");
    };
    refused(
        &["vereinbarung", "--year", "19"],
        "erwartet wird eine vierstellige Jahreszahl",
    );
    refused(
        &["vereinbarung", "--year", "zwei"],
        "erwartet wird eine vierstellige Jahreszahl",
    );
    refused(&["vereinbarung"], "--year");
    refused(
        &["vereinbarung", "--year", "2019", "--jobcenter", "09999"],
        "\"09999\" steht nicht in jobcenter.csv",
    );
    refused(
        &[
            "vereinbarung",
            "--year",
            "2019",
            "--config",
            "data/fehlt.toml",
        ],
        "data/fehlt.toml: Datei nicht gefunden",
    );
    fx.file(
        "bericht.toml",
        b"[ministerium]\nname = \"M\"\nvertreten_durh = \"X\"\n",
    );
    refused(
        &["vereinbarung", "--year", "2019"],
        "data/bericht.toml:3: unbekannter Schlüssel \"vertreten_durh\"",
    );
    fx.file(
        "bericht.toml",
        b"[ministerium]\nname = \"M\"\n\nort = 40210\n",
    );
    refused(
        &["vereinbarung", "--year", "2019"],
        "data/bericht.toml:4: Wert der falschen Art (integer",
    );
    fx.file("bericht.toml", b"[vereinbarung]\ndatum = \"15.01.2019\"\n");
    refused(
        &["vereinbarung", "--year", "2019"],
        "data/bericht.toml:2: Schlüssel \"datum\": erwartet wird ein Datum",
    );
    fx.file("bericht.toml", b"[ministerium\n");
    refused(&["vereinbarung", "--year", "2019"], "data/bericht.toml:1:");
}

#[test]
fn gemeinsame_einrichtungen_are_skipped_and_refused_by_name() {
    let mut fx = fixture();
    fx.jobcenter = fx.jobcenter.replace(
        "05558,Kreis Coesfeld,NRW,zkT",
        "05558,Kreis Coesfeld,NRW,gE",
    );
    let fx = fx.write();
    fx.run(&["vereinbarung", "--year", "2019"])
        .expect_code(0)
        .expect_stderr("1 gemeinsame Einrichtung(en)");
    assert!(
        fx.out()
            .join("vereinbarungen/2019/05554_kreis-borken.pdf")
            .exists()
    );
    assert!(
        !fx.out()
            .join("vereinbarungen/2019/05558_kreis-coesfeld.pdf")
            .exists()
    );
    fx.run(&["vereinbarung", "--year", "2019", "--jobcenter", "05558"])
        .expect_code(2)
        .expect_stderr("gemeinsame Einrichtung");
}

#[test]
fn a_broken_template_names_its_line_and_exits_1() {
    let fx = fixture();
    let dir = fx.dir.path().join("vorlagen");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("vereinbarung.typ"), "// kaputt\n#let x = (\n").unwrap();
    fx.run(&["vereinbarung", "--year", "2019", "--templates", "vorlagen"])
        .expect_code(1)
        .expect_stderr("2 Dokumente fehlgeschlagen")
        .expect_stderr("vorlagen/vereinbarung.typ:2:");
}

#[test]
fn the_names_of_the_targets_come_from_kennzahlen_toml_of_the_templates_folder() {
    let fx = fixture();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/texte/kennzahlen.toml"),
    )
    .unwrap();
    let custom = builtin
        .replace(
            "titel_vereinbarung = \"Integrationsquote (K2)\"",
            "titel_vereinbarung = \"Eingliederungsquote nach Landesrecht\"",
        )
        .replace(
            "subjekt_vereinbarung = \"die Integrationsquote\"",
            "subjekt_vereinbarung = \"die Eingliederungsquote des Jobcenters\"",
        );
    assert_ne!(custom, builtin);
    let texte = fx.dir.path().join("vorlagen/texte");
    std::fs::create_dir_all(&texte).unwrap();
    std::fs::write(texte.join("kennzahlen.toml"), custom).unwrap();
    fx.run(&["vereinbarung", "--year", "2019", "--templates", "vorlagen"])
        .expect_code(0);
    let borken = agreement(&fx, "05554_kreis-borken.pdf");
    has(&borken, "Eingliederungsquote nach Landesrecht");
    // K2's target 0,0 %: at least last year's level.
    has(
        &borken,
        "Das Ziel ist erreicht, wenn die Eingliederungsquote des Jobcenters im Jahr 2019 mindestens den Wert des Jahres 2018 erreicht.",
    );
}

/// Borken's signed agreement of 2018 (`/work/shared/spec/vereinbarung-2018-kreis-borken.txt`)
/// as data: the Jobcenter, its targets, the signatories, places and dates, and the year's
/// circumstances as the free text of `bericht.toml`.
const BORKEN_2018: &str = "[ministerium]\n\
    name = \"Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen\"\n\
    kurz = \"MAGS NRW\"\n\
    anrede = \"Herrn\"\n\
    vertreten_durch = \"Staatssekretär Dr. Edmund Heller\"\n\
    unterzeichner = \"Dr. Edmund Heller\"\n\
    ort = \"Düsseldorf\"\n\
    datum = \"2018-02-22\"\n\
    [vereinbarung]\n\
    entwurf = false\n\
    besonderheiten = \"\"\"\n\
    Die bundesseitig zu erwartende Phase der vorläufigen Haushaltsführung zu Beginn des Jahres\n\
    2018 wird bei der Zielnachhaltung ebenso berücksichtigt wie die besonderen\n\
    Herausforderungen der Jobcenter durch Zuwanderung, Flucht und Asyl.\n\
    \"\"\"\n\
    [vereinbarung.traeger.\"05554\"]\n\
    anrede = \"Herrn\"\n\
    unterzeichner = \"Dr. Kai Zwicker\"\n\
    ort = \"Borken\"\n\
    datum = \"2018-01-29\"\n";

/// The original's sentences, in its order. Where the original errs, the agreement (and
/// this list) corrects it: „Leistungsbeziehende“ for „Leistungsbezieher“ (the reports'
/// word), „wird … beeinflusst“ for „werden“, the genitive after „auf der Grundlage der
/// Jahresfortschrittswerte“, „im Jahr 2018“ for „in 2018“, abbreviations written out
/// („ELB“, „Ggfls.“, „Fluchtcontext“, „Asyl/Fluchthintergrund“). The target sentences follow
/// the one wording by direction the program uses for every Kennzahl (see
/// `agreements_name_parties_and_every_target_worded_for_its_direction`), stating the same.
const ORIGINAL: &[&str] = &[
    "Vereinbarung zur Erreichung der Ziele der Grundsicherung für Arbeitsuchende im Jahr 2018",
    "zwischen dem Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen vertreten durch Herrn Staatssekretär Dr. Edmund Heller",
    "und dem Kreis Borken als zugelassenem kommunalen Träger vertreten durch Herrn Landrat Dr. Kai Zwicker",
    "Gemäß § 48b Abs. 1 S. 1 Nr. 4 des Zweiten Buches Sozialgesetzbuch (SGB II) schließen das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen (MAGS NRW) und der Kreis Borken als zugelassener kommunaler Träger zur Erreichung der Ziele der Grundsicherung für Arbeitsuchende für das Jahr 2018 folgende Zielvereinbarung",
    "Die Grundsicherung für Arbeitsuchende soll es Leistungsberechtigten ermöglichen, ein Leben zu führen, das der Würde des Menschen entspricht.",
    "Zu den zentralen Anliegen des SGB II zählt die Sicherung des sozio-kulturellen Existenzminimums, die Herstellung bzw. Verbesserung der Beschäftigungsfähigkeit sowie die Aufnahme und Beibehaltung einer Erwerbstätigkeit, um eine Unabhängigkeit von Transferleistungen zu erreichen und soziale Teilhabe zu ermöglichen.",
    "Die Zielvereinbarung ist daher darauf ausgerichtet,",
    "möglichst viele Arbeitsuchende in dauerhafte und existenzsichernde Erwerbstätigkeit einzugliedern,",
    "Langzeitleistungsbezug und Langzeitarbeitslosigkeit zu vermeiden und zu verringern,",
    "insgesamt die Hilfebedürftigkeit zu reduzieren,",
    "gesellschaftliche Teilhabe zu ermöglichen, wenn die unmittelbare Aufnahme einer Erwerbsarbeit nicht realistisch ist, sowie",
    "die Handlungsmöglichkeiten der Leistungsberechtigten zur Überwindung der Hilfebedürftigkeit zu erweitern.",
    "Darüber hinaus tragen die zugelassenen kommunalen Träger bei der Umsetzung des SGB II den „Gemeinsamen Schwerpunkten von MAGS NRW und Regionaldirektion NRW der BA für das Jahr 2018“ sowie den ergänzenden Querschnittszielen (Erbringung kommunaler Eingliederungsleistungen nach § 16a SGB II, Ausschöpfung interner Potentiale zur Verbesserung der Leistungen und Ergebnisse, Ausschöpfung EGT/VWT) Rechnung.",
    "Das „Lokale Planungsdokument 2018 des Jobcenters des Kreises Borken“ ist Bestandteil der Zielvereinbarung.",
    "1. Ziele 2018",
    "Das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen und das Jobcenter des Kreises Borken vereinbaren für 2018 folgende Ziele nach § 48b Abs. 3 SGB II:",
    "I. Verringerung der Hilfebedürftigkeit",
    "Ziel ist es, dass erwerbsfähige Leistungsberechtigte den Lebensunterhalt der Bedarfsgemeinschaft unabhängig von der Grundsicherung für Arbeitsuchende nach dem SGB II aus eigenen Mitteln und Kräften bestreiten und damit die Hilfebedürftigkeit insgesamt verringert wird.",
    "Für die Nachhaltigkeit der Erreichung des Ziels wird die Entwicklung der Summe der Leistungen zum Lebensunterhalt, der Leistungen für Unterkunft und Heizung sowie die Entwicklung der Fallzahlen im Vergleich zum Vorjahr auf der Grundlage eines Monitorings beobachtet.",
    "Die Entwicklung der Zahl der Leistungsbeziehenden und der Ausgaben für passive Leistungen wird insbesondere beeinflusst durch",
    "die Nachhaltigkeit der Integrationen,",
    "den Anteil bedarfsdeckender Integrationen,",
    // K3E1 is an Analysefeld and a target of III at once.
    "die Entwicklung der Integrationsquote von Langzeitleistungsbeziehenden (hierzu ist zudem unter III. ein Ziel vereinbart) und",
    "die Entwicklung der Zahl der Langzeitleistungsbeziehenden, die bereits vier Jahre und länger SGB II-Leistungen beziehen.",
    "Daher erfolgt ein um diese vier Analysefelder erweitertes Monitoring.",
    "II. Verbesserung der Integration in Erwerbstätigkeit",
    "Ziel ist es, Hilfebedürftigkeit durch Erwerbstätigkeit zu vermeiden oder zu überwinden. Zielindikator ist die absolute Zahl der Integrationen sowie die Integrationsquote.",
    "Das Ziel ist erreicht, wenn die Zahl der Integrationen im Jahr 2018 um mindestens 2,1 % über dem Wert des Jahres 2017 liegt.",
    "Das Ziel ist erreicht, wenn die Integrationsquote im Jahr 2018 mindestens den Wert des Jahres 2017 erreicht.",
    "Die Integrationsquote der erwerbsfähigen Leistungsberechtigten aus den acht wichtigsten Asylherkunftsländern wird im Jahr 2018 beobachtet.",
    "Gegebenenfalls erfolgt eine zusätzliche Berichterstattung zur Integrationsquote der erwerbsfähigen Leistungsberechtigten im Fluchtkontext.",
    "III. Vermeidung von langfristigem Leistungsbezug",
    "Mit diesem Ziel soll ein besonderes Augenmerk auf diejenigen Leistungsberechtigten gelegt werden, die bereits länger im Leistungsbezug sind bzw. ein entsprechendes Risiko aufweisen.",
    "Ziel ist die Vermeidung bzw. Verringerung von Langzeitleistungsbezug sowie die Verbesserung der sozialen Teilhabe.",
    "Zielindikatoren sind die Veränderung des jahresdurchschnittlichen Bestandes an Langzeitleistungsbeziehenden (K3), die Entwicklung des Bestandes an Langzeitleistungsbeziehenden im Jahresverlauf sowie die Veränderung der Integrationsquote von Langzeitleistungsbeziehenden (K3E1).",
    "Stagnation: Das Ziel ist erreicht, wenn der durchschnittliche Bestand an Langzeitleistungsbeziehenden im Jahr 2018 nicht über dem Wert des Jahres 2017 liegt.",
    "Das Ziel ist erreicht, wenn die Integrationsquote der Langzeitleistungsbeziehenden im Jahr 2018 um mindestens 4,0 % über dem Wert des Jahres 2017 liegt.",
    "Stagnation: Das Ziel ist erreicht, wenn der Bestand an Langzeitleistungsbeziehenden im Dezember 2018 nicht über dem Wert vom Dezember 2017 liegt.",
    "Das Hineinwachsen von Leistungsberechtigten mit Asyl- oder Fluchthintergrund in den Langzeitleistungsbezug wird in einem Monitoring gesondert beobachtet.",
    "2. Zusammenarbeit",
    "Das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen und der Kreis Borken setzen sich gemeinsam für die Erreichung der vereinbarten Ziele und die erfolgreiche Umsetzung des SGB II in Nordrhein-Westfalen ein.",
    "Die Vereinbarungspartner führen in vertrauensvoller Zusammenarbeit in der Regel zwei Steuerungsdialoge pro Jahr.",
    "Die Dialoge erfolgen auf der Grundlage der Jahresfortschrittswerte, der Inhalte der Zielvereinbarung sowie des lokalen Planungsdokuments.",
    "Die bundesseitig zu erwartende Phase der vorläufigen Haushaltsführung zu Beginn des Jahres 2018 wird bei der Zielnachhaltung ebenso berücksichtigt wie die besonderen Herausforderungen der Jobcenter durch Zuwanderung, Flucht und Asyl.",
    "Auch im Jahr 2018 wird das MAGS NRW zu themenspezifischen Gesprächsrunden und Veranstaltungen einladen, die dem Erfahrungsaustausch dienen, Handlungsansätze, Leistungsprozesse und Dienstleistungen in den Jobcentern weiterentwickeln und neue Impulse für die Umsetzung der Grundsicherung für Arbeitsuchende setzen sollen.",
    "Düsseldorf, den 22. Februar 2018",
    "Borken, den 29. Januar 2018",
    "Für das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
    "Für den Kreis Borken",
    "Dr. Edmund Heller",
    "Dr. Kai Zwicker",
];

/// The data folder of the original: Kreis Borken (zkT), its 2018 targets (int +2,1 %,
/// K2 0,0 %, K3 0,0 %, K3E1 +4,0 %, LZB Jahresende 0,0 %), the signatories of the ministry
/// (bericht.toml) and of the Kreis (jobcenter.csv, article and name from bericht.toml).
fn borken_2018() -> Fixture {
    let mut fx = Fixture::new();
    fx.jobcenter = "jobcenter;name;land;traeger;vergleichstyp;vertreten_durch\n\
                    05554;Kreis Borken;NRW;zkT;Ia;Landrat Dr. Kai Zwicker\n\
                    05558;Kreis Coesfeld;NRW;zkT;Ia;Landrat des Kreises Coesfeld\n"
        .into();
    fx.ziele = "jahr;jobcenter;ziel;soll_pct\n\
                2018;05554;int;2,1\n2018;05554;k2;0,0\n2018;05554;k3;0,0\n\
                2018;05554;k3e1;4,0\n2018;05554;lzb_je;0,0\n"
        .into();
    let fx = fx.write();
    fx.file("bericht.toml", BORKEN_2018.as_bytes());
    fx
}

#[test]
fn the_borken_agreement_of_2018_reads_like_the_signed_original() {
    let fx = borken_2018();
    fx.run(&["vereinbarung", "--year", "2018", "--jobcenter", "05554"])
        .expect_code(0);
    let raw = pdftotext(&fx.out().join("vereinbarungen/2018/05554_kreis-borken.pdf"));
    let text = flat(&raw);
    let mut from = 0;
    for sentence in ORIGINAL {
        let Some(at) = text[from..].find(sentence) else {
            panic!(
                "{sentence:?} not found (in order) after:\n{}",
                &text[from..]
            );
        };
        from += at + sentence.len();
    }
    // The levels the targets demand (contract v4), beside the original's sentences.
    has(&text, "Ausgangswert 2017:");
    has(&text, "Zielgröße 2018: mindestens");
    // The final copy: no draft mark anywhere, and not the errors of the earlier template.
    assert!(!text.contains("Entwurf"), "{text}");
    for wrong in [
        "des Jobcenters Kreis Borken",
        "wie sie sich einstellt",
        "Zielvereinbarung 2018 – Kreis Borken",
        "örtliche Planungsdokument",
        // Borken's own targets deviate from no `*` target.
        "abweichend",
    ] {
        assert!(!text.contains(wrong), "{wrong:?} in:\n{text}");
    }
    // Every Analysefeld once, though K3E1 also carries a target.
    assert_eq!(text.matches("Analysefelder").count(), 1, "{text}");

    // The structure tree (poppler's `pdfinfo -struct-text`): the title is the one heading
    // of the first level, the aims and the targets are lists.
    let out = std::process::Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(fx.out().join("vereinbarungen/2018/05554_kreis-borken.pdf"))
        .output()
        .expect("pdfinfo (poppler-utils) must be installed");
    let tree = String::from_utf8_lossy(&out.stdout);
    let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(tree.matches("H1 ").count(), 1, "{tree}");
    let h1 = &tree[tree.find("H1 ").unwrap()..];
    let h2 = h1.find("H2 ").unwrap_or(h1.len());
    has(&h1[..h2], "\"Vereinbarung\" \"zur Erreichung der Ziele\"");
    // The sections are headings, not list items („1. Ziele 2018“ is no enumeration).
    has(&tree, "H2 \"1. Ziele 2018\"");
    has(&tree, "H2 \"2. Zusammenarbeit\"");
    // The aims, the Analysefelder and the targets of II and III are lists; the targets
    // numbered 1 to 5 across them.
    let lists = tree.matches(" L (block)").count();
    assert_eq!(lists, 4, "{tree}");
    for label in ["1.", "5."] {
        has(&tree, &format!("Lbl (block) \"{label}\" LBody"));
    }
    has(&tree, "\"Integrationen\"");

    // The draft (the default) says so.
    fx.file(
        "bericht.toml",
        BORKEN_2018.replace("entwurf = false\n", "").as_bytes(),
    );
    fx.run(&[
        "vereinbarung",
        "--year",
        "2018",
        "--jobcenter",
        "05554",
        "--out",
        "entwurf",
    ])
    .expect_code(0);
    let draft = flat(&pdftotext(
        &fx.dir
            .path()
            .join("entwurf/vereinbarungen/2018/05554_kreis-borken.pdf"),
    ));
    has(&draft, "Entwurf zur Unterzeichnung");
}
