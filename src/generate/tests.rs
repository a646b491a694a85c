//! Tests of the generator: determinism, row counts, plausibility, the sample's shape.
use super::jobcenters::land_counts;
use super::*;

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zielbericht-gen-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// Minimal reader for the generated files (no quoted cells are produced).
fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let d = if header.matches(';').count() >= header.matches(',').count() && header.contains(';') {
        ';'
    } else {
        ','
    };
    let split = |l: &str| l.split(d).map(str::to_string).collect::<Vec<_>>();
    let h = split(header);
    let rows = lines.filter(|l| !l.is_empty()).map(split).collect();
    (h, rows)
}

fn count(s: &str) -> Option<i64> {
    match s {
        "" | "*" | "." | "x" | "/" | "…" | "..." => None,
        _ => Some(s.parse().unwrap_or_else(|_| panic!("not a count: {s:?}"))),
    }
}

fn small(sample: bool, symbols: bool) -> GenerateConfig {
    GenerateConfig {
        jobcenters: 37,
        first_year: 2014,
        years: 4,
        seed: 99,
        sample_nrw: sample,
        missing_symbols: symbols,
    }
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn deterministic() {
    for cfg in [small(false, true), GenerateConfig::nrw_sample()] {
        let (a, b) = (tmp("det-a"), tmp("det-b"));
        generate(&cfg, &a).unwrap();
        generate(&cfg, &b).unwrap();
        assert_eq!(files(&a), files(&b));
        let c = tmp("det-c");
        generate(
            &GenerateConfig {
                seed: cfg.seed + 1,
                ..cfg.clone()
            },
            &c,
        )
        .unwrap();
        assert_ne!(
            fs::read(a.join("monatswerte.csv")).unwrap(),
            fs::read(c.join("monatswerte.csv")).unwrap()
        );
        for d in [a, b, c] {
            fs::remove_dir_all(d).unwrap();
        }
    }
}

#[test]
fn row_counts() {
    let dir = tmp("rows");
    let s = generate(&small(false, false), &dir).unwrap();
    assert_eq!(
        s,
        GenerateSummary {
            jobcenters: 37,
            months: 48,
            rows: 37 * 48
        }
    );
    let (_, jc) = read(&dir.join("jobcenter.csv"));
    let (_, mw) = read(&dir.join("monatswerte.csv"));
    assert_eq!(jc.len(), 37);
    assert_eq!(mw.len(), 37 * 48);
    let mut ids: Vec<_> = jc.iter().map(|r| r[0].clone()).collect();
    assert!(
        ids.iter()
            .all(|id| id.len() == 5 && id.bytes().all(|b| b.is_ascii_digit()))
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 37);
    assert!(!dir.join("README.md").exists());
    fs::remove_dir_all(&dir).unwrap();

    let dir = tmp("rows-nrw");
    let s = generate(&GenerateConfig::nrw_sample(), &dir).unwrap();
    assert_eq!(
        s,
        GenerateSummary {
            jobcenters: 18,
            months: 36,
            rows: 18 * 36
        }
    );
    assert_eq!(read(&dir.join("monatswerte.csv")).1.len(), 18 * 36);
    assert!(dir.join("README.md").exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn many_ids_are_distinct() {
    let jcs = synthetic_jobcenters(5_000, 3);
    let mut ids: Vec<_> = jcs.iter().map(|j| j.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5_000);
    assert_eq!(land_counts(15_984).iter().sum::<usize>(), 15_984);
    assert!(
        render(&GenerateConfig {
            jobcenters: 15_985,
            ..small(false, false)
        })
        .is_err()
    );
}

/// Checks the columns, the plausibility relations and the symbol count of one data set.
fn check_plausible(dir: &Path, want_symbols: bool) {
    let (h, rows) = read(&dir.join("monatswerte.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let pairs = [
        ("int_lzb", "int"),
        ("lzb", "elb"),
        ("lzb_4j", "lzb"),
        ("bg", "elb"),
        ("int_svb", "int"),
        ("int_nachhaltig", "int_svb"),
        ("int_bedarfsdeckend", "int"),
        ("elb_asyl8", "elb"),
        ("int_asyl8", "int"),
        ("lzb_asyl8", "lzb"),
    ];
    let required = ["elb", "bg", "int", "lzb", "int_lzb"];
    let mut symbols = 0;
    for row in &rows {
        assert_eq!(row.len(), h.len());
        for r in required {
            assert!(count(&row[col(r)]).is_some(), "required {r} missing");
        }
        for c in OPT_COLS {
            if count(&row[col(c)]).is_none() {
                symbols += 1;
            }
        }
        for (a, b) in pairs {
            if let (Some(x), Some(y)) = (count(&row[col(a)]), count(&row[col(b)])) {
                assert!(x <= y, "{a} {x} > {b} {y} in {row:?}");
            }
        }
        assert!(count(&row[col("elb")]).unwrap() > 0);
        assert_eq!(row[col("datenstand")].len(), 10);
        // Women and men never add up to more than the total (contract v3, 1.2).
        for (total, women, men) in [
            ("elb", "elb_frauen", "elb_maenner"),
            ("int", "int_frauen", "int_maenner"),
        ] {
            if let (Some(w), Some(m)) = (
                h.iter().position(|c| c == women),
                h.iter().position(|c| c == men),
            ) {
                let t = count(&row[col(total)]).unwrap();
                assert!(
                    count(&row[w]).unwrap() + count(&row[m]).unwrap() <= t,
                    "{row:?}"
                );
            }
        }
    }
    if want_symbols {
        assert!((3..=6).contains(&symbols), "{symbols} symbols");
    } else {
        assert_eq!(symbols, 0);
    }
}

#[test]
fn plausibility_relations_hold() {
    for cfg in [
        small(false, true),
        small(false, false),
        GenerateConfig::nrw_sample(),
        GenerateConfig {
            missing_symbols: false,
            seed: 5,
            ..GenerateConfig::nrw_sample()
        },
    ] {
        let dir = tmp("plaus");
        generate(&cfg, &dir).unwrap();
        check_plausible(&dir, cfg.missing_symbols);
        fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn sample_has_the_18_zkt() {
    let dir = tmp("nrw");
    generate(&GenerateConfig::nrw_sample(), &dir).unwrap();
    let (h, rows) = read(&dir.join("jobcenter.csv"));
    assert_eq!(
        h,
        [
            "jobcenter",
            "name",
            "land",
            "traeger",
            "vergleichstyp",
            "email",
            "vertreten_durch"
        ]
    );
    // The office signs, no invented person: "Landrat des Kreises Borken".
    assert_eq!(rows[0][6], "Landrat des Kreises Borken");
    let expected = [
        ("05554", "Kreis Borken"),
        ("05558", "Kreis Coesfeld"),
        ("05358", "Kreis Düren"),
        ("05954", "Ennepe-Ruhr-Kreis"),
        ("05113", "Stadt Essen"),
        ("05754", "Kreis Gütersloh"),
        ("05915", "Stadt Hamm"),
        ("05958", "Hochsauerlandkreis"),
        ("05154", "Kreis Kleve"),
        ("05766", "Kreis Lippe"),
        ("05770", "Kreis Minden-Lübbecke"),
        ("05117", "Stadt Mülheim an der Ruhr"),
        ("05515", "Stadt Münster"),
        ("05562", "Kreis Recklinghausen"),
        ("05566", "Kreis Steinfurt"),
        ("05122", "Stadt Solingen"),
        ("05570", "Kreis Warendorf"),
        ("05124", "Stadt Wuppertal"),
    ];
    assert_eq!(rows.len(), 18);
    for (id, name) in expected {
        let row = rows
            .iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(row[1], name);
        assert_eq!(row[2], "NRW");
        assert_eq!(row[3], "zkT");
        assert!(row[5].ends_with(".example"));
    }
    let borken = rows.iter().find(|r| r[0] == "05554").unwrap();
    assert_eq!(borken[5], "zielsteuerung@jobcenter-kreis-borken.example");
    // Several Vergleichstypen with two or more members.
    let mut vts: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    vts.sort_unstable();
    let multi = vts.chunk_by(|a, b| a == b).filter(|g| g.len() >= 2).count();
    assert!(multi >= 4, "{vts:?}");

    let ziele = fs::read_to_string(dir.join("ziele.csv")).unwrap();
    for line in [
        "2018;*;int;2,1",
        "2018;*;k2;0,0",
        "2018;*;k3;0,0",
        "2018;*;k3e1;4,0",
        "2018;*;lzb_je;0,0",
        "2017;*;int;2,1",
        "2018;05113;k3;-0,25",
        "2018;05562;int;1,5",
    ] {
        assert!(ziele.lines().any(|l| l == line), "{line}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// Magnitudes of the sample and a mix of met and missed 2018 int targets.
#[test]
fn sample_magnitudes_and_mix() {
    let dir = tmp("mag");
    generate(
        &GenerateConfig {
            missing_symbols: false,
            ..GenerateConfig::nrw_sample()
        },
        &dir,
    )
    .unwrap();
    let (h, rows) = read(&dir.join("monatswerte.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let get = |id: &str, monat: &str, c: &str| -> f64 {
        let row = rows.iter().find(|r| r[0] == id && r[1] == monat).unwrap();
        row[col(c)].replace(',', ".").parse().unwrap()
    };
    let borken = get("05554", "2017-06", "elb");
    assert!((11_300.0..=11_950.0).contains(&borken), "{borken}");
    let bg = get("05554", "2017-06", "bg");
    assert!((8_100.0..=8_750.0).contains(&bg), "{bg}");
    let essen = get("05113", "2018-12", "elb");
    assert!((50_000.0..=80_000.0).contains(&essen), "{essen}");

    let ids: Vec<&str> = NRW.iter().map(|n| n.0).collect();
    let mut met = 0;
    for id in &ids {
        let sum =
            |y: i32, c: &str| -> f64 { (1..=12).map(|m| get(id, &format!("{y}-{m:02}"), c)).sum() };
        let mean_elb: f64 = (0..12)
            .map(|k| {
                let (y, m) = year_month(2018, k - 1);
                get(id, &format!("{y}-{m:02}"), "elb")
            })
            .sum::<f64>()
            / 12.0;
        let k2 = 100.0 * sum(2018, "int") / mean_elb;
        assert!((17.0..=34.0).contains(&k2), "{id}: K2 {k2}");
        let share = get(id, "2018-06", "lzb") / get(id, "2018-06", "elb");
        assert!((0.58..=0.78).contains(&share), "{id}: LZB share {share}");
        let llu_per_elb = sum(2018, "llu_eur") / get(id, "2018-06", "elb");
        assert!(
            (2_900.0..=3_600.0).contains(&llu_per_elb),
            "{id}: {llu_per_elb}"
        );
        let kdu_per_bg = sum(2018, "kdu_eur") / 12.0 / get(id, "2018-06", "bg");
        assert!((290.0..=410.0).contains(&kdu_per_bg), "{id}: {kdu_per_bg}");
        let target = if *id == "05562" { 1.5 } else { 2.1 };
        let change = (sum(2018, "int") / sum(2017, "int") - 1.0) * 100.0;
        if (change * 10.0).round() / 10.0 >= target {
            met += 1;
        }
    }
    assert!((5..=13).contains(&met), "{met} of 18 meet the int target");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rejects_bad_config() {
    assert!(
        render(&GenerateConfig {
            years: 0,
            ..small(false, false)
        })
        .is_err()
    );
    assert!(
        render(&GenerateConfig {
            jobcenters: 0,
            ..small(false, false)
        })
        .is_err()
    );
    assert!(
        render(&GenerateConfig {
            jobcenters: 0,
            ..GenerateConfig::nrw_sample()
        })
        .is_ok()
    );
}

#[test]
fn number_formats() {
    let mut s = String::new();
    money(
        &mut s,
        123_456_789,
        Format {
            delim: ';',
            dec: ',',
        },
    );
    s.push(' ');
    money(
        &mut s,
        -5,
        Format {
            delim: ',',
            dec: '.',
        },
    );
    assert_eq!(s, "1234567,89 -0.05");
    assert_eq!(
        crate::output::names::slug("Stadt Mülheim an der Ruhr"),
        "stadt-muelheim-an-der-ruhr"
    );
    assert_eq!(year_month(2016, -1), (2015, 12));
    assert_eq!(year_month(2016, 13), (2017, 2));
}
