use super::*;

fn dec(units: i128, decimals: u32) -> Decimal {
    Decimal::new(units, decimals)
}

fn r(num: i128, den: i128) -> Option<Value> {
    Value::ratio(num, den)
}

/// The Zielpfad of `k` for Berichtsmonat `month` of 2018 from the window sums `sums`
/// ((window, column) → sum); every other sum is missing.
fn pfad(
    k: Kennzahl,
    soll: Decimal,
    vorjahr: Value,
    month: u32,
    sums: &[(usize, Col, i128)],
) -> Zielpfad {
    let get = |w: usize, c: Col| {
        sums.iter()
            .find(|(sw, sc, _)| *sw == w && *sc == c)
            .map(|(_, _, v)| *v)
    };
    let bm = Berichtsmonat { year: 2018, month };
    zielpfad(&k.def(), soll, Some(vorjahr), bm, &get)
}

#[test]
fn threshold_soll_wert_higher_is_better() {
    // Soll +2,1 %, Vorjahr 4.899 (December, so jahres_soll alike): T = 2,1 − 0,05 =
    // 2,05 %; 4.899 × 1,0205 = 4.999,4295 (v3: × 1,021 = 5.001,879).
    let p = pfad(
        Kennzahl::Int,
        dec(21, 1),
        Value::int(4899),
        12,
        &[(FULL_PREV, Col::Int, 4899)],
    );
    assert_eq!(p.soll_wert, r(49_994_295, 10_000));
    assert_eq!(p.jahres_soll, r(49_994_295, 10_000));
    assert_eq!((p.rest_bedarf, p.vorjahr_rest), (None, None));
}

#[test]
fn threshold_lower_is_better_and_zero() {
    // K3, Soll 0 (written without decimals: one decimal, h = 0,05), lower is better:
    // T = +0,05 %; Vorjahr mean 7.059 → 7.059 × 1,0005 = 7.062,5295.
    let p = pfad(Kennzahl::K3, dec(0, 0), Value::int(7059), 12, &[]);
    assert_eq!(p.soll_wert, r(70_625_295, 10_000));
    // int with Soll 0 ("-" in ziele.csv), higher is better: T = −0,05 %;
    // 4.899 × 0,9995 = 4.896,5505.
    let p = pfad(Kennzahl::Int, dec(0, 1), Value::int(4899), 12, &[]);
    assert_eq!(p.soll_wert, r(48_965_505, 10_000));
}

#[test]
fn threshold_with_two_decimals_and_a_negative_soll() {
    // K3, Soll −0,25 % (two decimals, h = 0,005), lower is better: T = −0,245 %;
    // Vorjahr 1.000 → 997,55. The LZB stock with Soll −1,5 %: T = −1,45 %, lzb[Dec 2017]
    // 600 → 591,3.
    let p = pfad(Kennzahl::K3, dec(-25, 2), Value::int(1000), 12, &[]);
    assert_eq!(p.soll_wert, r(99_755, 100));
    let p = pfad(
        Kennzahl::LzbJe,
        dec(-15, 1),
        Value::int(600),
        12,
        &[(DEC_PREV, Col::Lzb, 600)],
    );
    assert_eq!(p.soll_wert, r(5913, 10));
    assert_eq!(p.jahres_soll, r(5913, 10));
}

#[test]
fn rest_of_the_year_from_the_threshold() {
    // int, Soll +2,1 % in March: Σ int 2017 = 240 → jahres_soll 240 × 1,0205 = 244,92;
    // 70 so far → 174,92 still needed; April..December 2017 brought 180.
    let p = pfad(
        Kennzahl::Int,
        dec(21, 1),
        Value::int(60),
        3,
        &[
            (FULL_PREV, Col::Int, 240),
            (CUR, Col::Int, 70),
            (REST_PREV, Col::Int, 180),
        ],
    );
    assert_eq!(p.soll_wert, r(6123, 100)); // 60 × 1,0205
    assert_eq!(p.jahres_soll, r(24492, 100));
    assert_eq!(p.rest_bedarf, r(17492, 100));
    assert_eq!(p.vorjahr_rest, r(180, 1));
    // K3, Soll 0,0: V = 7.200 / 12 = 600 → jahres_soll 600,3; Σ lzb Jan..Mar 1.818 →
    // (12 × 600,3 − 1.818) / 9 = 5.385,6 / 9 = 598,4; last year's rest 5.400 / 9 = 600.
    let p = pfad(
        Kennzahl::K3,
        dec(0, 1),
        Value::int(600),
        3,
        &[
            (FULL_PREV, Col::Lzb, 7200),
            (CUR, Col::Lzb, 1818),
            (REST_PREV, Col::Lzb, 5400),
        ],
    );
    assert_eq!(p.jahres_soll, r(6003, 10));
    assert_eq!(p.rest_bedarf, r(5984, 10));
    assert_eq!(p.vorjahr_rest, r(600, 1));
    // K2, Soll 0,0 (higher is better: T = −0,05 %): V = 100 × 12 × 240 / 12.000 = 24 →
    // 23,988; D = (3.200 + 9 × 1.000) / 12; 0,23988 × 12.200 / 12 = 243,878 → 173,878
    // after 70.
    let p = pfad(
        Kennzahl::K2,
        dec(0, 1),
        Value::int(20),
        3,
        &[
            (FULL_PREV, Col::Int, 240),
            (BASE_FULL_PREV, Col::Elb, 12_000),
            (BASE_CUR, Col::Elb, 3200),
            (AT_T, Col::Elb, 1000),
            (CUR, Col::Int, 70),
        ],
    );
    assert_eq!(p.jahres_soll, r(23988, 1000));
    assert_eq!(p.rest_bedarf, r(173_878, 1000));
    // A missing sum leaves what needs it empty: no REST_PREV → no vorjahr_rest.
    assert_eq!(p.vorjahr_rest, None);
}

#[test]
fn vergleichstypen_in_roman_order() {
    let mut ids = vec!["IIIa", "Ia", "IIb", "IIa", "IVc", "X", "Sonder"];
    ids.sort_by_key(|v| super::vergleichstyp_order(v));
    assert_eq!(ids, ["Ia", "IIa", "IIb", "IIIa", "IVc", "X", "Sonder"]);
}
