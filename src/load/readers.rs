//! The readers of the three data files: each checks its file whole and collects every
//! input error with file, line and column; implausible rows become warnings.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The required and optional columns of `jobcenter.csv`.
pub(super) const JOBCENTER_COLUMNS: (&[&str], &[&str]) = (
    &["jobcenter", "name", "land"],
    &["traeger", "vergleichstyp", "email", "vertreten_durch"],
);

/// The required and optional columns of `ziele.csv`.
pub(super) const ZIELE_COLUMNS: (&[&str], &[&str]) =
    (&["jahr", "jobcenter", "ziel", "soll_pct"], &[]);

/// The required and optional columns of `monatswerte.csv`.
pub(super) fn monatswerte_columns() -> (Vec<&'static str>, Vec<&'static str>) {
    let required = ["jobcenter", "monat"]
        .into_iter()
        .chain(Col::ALL.iter().filter(|c| c.required()).map(|c| c.name()))
        .collect();
    let optional = Col::ALL
        .iter()
        .filter(|c| !c.required())
        .map(|c| c.name())
        .chain(["datenstand"])
        .collect();
    (required, optional)
}

pub(super) fn read_jobcenters(
    path: &Path,
    table: &Table,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
    dropped: &mut usize,
) -> (Vec<Jobcenter>, Option<HashSet<String>>) {
    let (required, optional) = JOBCENTER_COLUMNS;
    let Some(cols) = Columns::new(path, table, required, optional, errors) else {
        return (Vec::new(), None);
    };
    // Every id written in the file, also of rows rejected for another cell, so that the
    // other files do not report its rows as unknown once more.
    let mut ids = HashSet::new();
    if !table.has_records() {
        no_rows(path, errors);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records() {
        cap_errors(errors, dropped);
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let id = read_id(
            path,
            record.line,
            "jobcenter",
            cols.get(record, "jobcenter").unwrap(),
            errors,
            warnings,
        );
        let mut text = |name: &str| -> Option<String> {
            let cell = cols.get(record, name).unwrap();
            if cell.is_empty() {
                errors.push(InputError::cell(
                    path,
                    record.line,
                    name,
                    "erwartet wird ein Wert, gefunden wurde eine leere Zelle",
                ));
                None
            } else {
                Some(cell.to_string())
            }
        };
        let name = text("name");
        let land = text("land");
        let traeger = match cols.get(record, "traeger").filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) if c.eq_ignore_ascii_case("zkt") => Ok(Some("zkT".to_string())),
            Some(c) if c.eq_ignore_ascii_case("ge") => Ok(Some("gE".to_string())),
            Some(c) => {
                errors.push(InputError::cell(
                    path,
                    record.line,
                    "traeger",
                    format!(
                        "erwartet wird zkT oder gE (oder eine leere Zelle), gefunden wurde \"{c}\""
                    ),
                ));
                Err(())
            }
        };
        let optional = |name: &str| {
            cols.get(record, name)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        };
        if let Some(id) = &id {
            ids.insert(id.clone());
        }
        let (Some(id), Some(name), Some(land), Ok(traeger)) = (id, name, land, traeger) else {
            continue;
        };
        if let Some(first) = seen.insert(id.clone(), record.line) {
            errors.push(InputError::cell(
                path,
                record.line,
                "jobcenter",
                format!(
                    "erwartet wird jedes Jobcenter einmal, \"{id}\" steht noch einmal da (zuerst in Zeile {first})"
                ),
            ));
            continue;
        }
        out.push(Jobcenter {
            id,
            name,
            land,
            traeger,
            vergleichstyp: optional("vergleichstyp"),
            email: optional("email"),
            vertreten_durch: optional("vertreten_durch"),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    (out, Some(ids))
}

/// The plausibility rules: (part, whole) — a part above its whole is a warning.
pub(super) const PLAUSIBLE: [(Col, Col); 10] = [
    (Col::IntLzb, Col::Int),
    (Col::Lzb, Col::Elb),
    (Col::Lzb4j, Col::Lzb),
    (Col::Bg, Col::Elb),
    (Col::IntSvb, Col::Int),
    (Col::IntNachhaltig, Col::IntSvb),
    (Col::IntBedarfsdeckend, Col::Int),
    (Col::ElbAsyl8, Col::Elb),
    (Col::IntAsyl8, Col::Int),
    (Col::LzbAsyl8, Col::Lzb),
];

pub(super) fn read_monatswerte(
    path: &Path,
    table: &Table,
    known: Option<&HashSet<String>>,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
    dropped: &mut usize,
) -> Monatswerte {
    let (required, optional) = monatswerte_columns();
    let mut out = Monatswerte {
        values: vec![Vec::new(); Col::ALL.len()],
        ..Monatswerte::default()
    };
    let Some(cols) = Columns::new(path, table, &required, &optional, errors) else {
        return out;
    };
    out.present = Col::ALL
        .iter()
        .copied()
        .filter(|c| cols.has(c.name()))
        .collect();
    out.has_datenstand = cols.has("datenstand");
    if !table.has_records() {
        no_rows(path, errors);
    }
    let delimiter = table.delimiter;
    let mut seen: HashMap<(String, i32, u32), usize> = HashMap::new();
    let mut row_values = [None; Col::COUNT];
    for record in table.records() {
        cap_errors(errors, dropped);
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let line = record.line;
        let mut ok = true;
        let id = read_id(
            path,
            line,
            "jobcenter",
            cols.get(record, "jobcenter").unwrap(),
            errors,
            warnings,
        );
        if let (Some(id), Some(known)) = (&id, known)
            && !known.contains(id)
        {
            errors.push(InputError::cell(
                path,
                line,
                "jobcenter",
                format!("erwartet wird ein Jobcenter aus jobcenter.csv, gefunden wurde das unbekannte \"{id}\""),
            ));
            ok = false;
        }
        let monat = match cells::month(cols.get(record, "monat").unwrap()) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push(InputError::cell(path, line, "monat", e.0));
                None
            }
        };
        for col in Col::ALL {
            let Some(cell) = cols.get(record, col.name()) else {
                row_values[col.index()] = None;
                continue;
            };
            let parsed = match col.kind() {
                Kind::Count => cells::count(cell, delimiter),
                Kind::Money => cells::money(cell, delimiter),
            };
            match parsed {
                Ok(v) => row_values[col.index()] = v,
                Err(e) => {
                    errors.push(InputError::cell(path, line, col.name(), e.0));
                    ok = false;
                }
            }
        }
        let datenstand = match cols.get(record, "datenstand").map(cells::date) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(d))) => Some(d),
            Some(Err(e)) => {
                errors.push(InputError::cell(path, line, "datenstand", e.0));
                ok = false;
                None
            }
        };
        let (Some(id), Some((year, month))) = (id, monat) else {
            continue;
        };
        if let Some(first) = seen.insert((id.clone(), year, month), line) {
            errors.push(InputError::cell(
                path,
                line,
                "monat",
                format!(
                    "erwartet wird eine Zeile je Jobcenter und Monat, \"{id}\" {year}-{month:02} steht noch einmal da (zuerst in Zeile {first})"
                ),
            ));
            continue;
        }
        if !ok || !errors.is_empty() {
            // Keep checking the file, but build no data from a broken delivery.
            continue;
        }
        for (whole, women, men) in BY_SEX {
            if let (Some(w), Some(f), Some(m)) = (
                row_values[whole.index()],
                row_values[women.index()],
                row_values[men.index()],
            ) && f + m > w
            {
                warnings.push(InputError::at(
                    path,
                    line,
                    format!(
                        "unplausibel: {} + {} ({f} + {m}) ist größer als {} ({w}) für {id} {year}-{month:02}",
                        women.name(),
                        men.name(),
                        whole.name()
                    ),
                ));
            }
        }
        for (part, whole) in PLAUSIBLE {
            if let (Some(p), Some(w)) = (row_values[part.index()], row_values[whole.index()])
                && p > w
            {
                warnings.push(InputError::at(
                    path,
                    line,
                    format!(
                        "unplausibel: {} ({p}) ist größer als {} ({w}) für {id} {year}-{month:02}",
                        part.name(),
                        whole.name()
                    ),
                ));
            }
        }
        out.jobcenter.push(id);
        out.year.push(year);
        out.month.push(month);
        for col in Col::ALL {
            out.values[col.index()].push(row_values[col.index()]);
        }
        out.datenstand.push(datenstand);
    }
    out
}

pub(super) fn read_ziele(
    path: &Path,
    table: &Table,
    known: Option<&HashSet<String>>,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
    dropped: &mut usize,
) -> Ziele {
    let mut out = Ziele::default();
    let (required, optional) = ZIELE_COLUMNS;
    let Some(cols) = Columns::new(path, table, required, optional, errors) else {
        return out;
    };
    let mut seen: BTreeMap<(i32, Option<String>, Kennzahl), usize> = BTreeMap::new();
    for record in table.records() {
        cap_errors(errors, dropped);
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let line = record.line;
        let jahr = cells::year(cols.get(record, "jahr").unwrap())
            .map_err(|e| errors.push(InputError::cell(path, line, "jahr", e.0)))
            .ok();
        let id_cell = cols.get(record, "jobcenter").unwrap();
        let id = if id_cell == "*" {
            Some(None)
        } else {
            read_id(path, line, "jobcenter", id_cell, errors, warnings).and_then(|id| {
                if known.is_some_and(|k| !k.contains(&id)) {
                    errors.push(InputError::cell(
                        path,
                        line,
                        "jobcenter",
                        format!(
                            "erwartet wird ein Jobcenter aus jobcenter.csv oder \"*\", gefunden wurde das unbekannte \"{id}\""
                        ),
                    ));
                    None
                } else {
                    Some(Some(id))
                }
            })
        };
        let ziel_cell = cols.get(record, "ziel").unwrap();
        let ziel = Kennzahl::parse(ziel_cell)
            .ok_or_else(|| {
                let found = if ziel_cell.is_empty() {
                    "eine leere Zelle".to_string()
                } else {
                    format!("\"{ziel_cell}\"")
                };
                errors.push(InputError::cell(
                    path,
                    line,
                    "ziel",
                    format!(
                        "erwartet wird eine Kennzahl wie int, k2, k3, k3e1, lzb_je (oder eine von {}), gefunden wurde {found}",
                        Kennzahl::ALL[5..].iter().map(|k| k.code()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            })
            .ok();
        let soll = cells::decimal(cols.get(record, "soll_pct").unwrap(), table.delimiter, 2)
            .map_err(|e| errors.push(InputError::cell(path, line, "soll_pct", e.0)))
            .ok();
        let (Some(jahr), Some(id), Some(ziel), Some((units, decimals))) = (jahr, id, ziel, soll)
        else {
            continue;
        };
        let key = (jahr, id, ziel);
        if let Some(first) = seen.get(&key) {
            let who = key.1.as_deref().unwrap_or("*");
            errors.push(InputError::cell(
                path,
                line,
                "ziel",
                format!(
                    "erwartet wird eine Zeile je Jahr, Jobcenter und Ziel, {jahr} \"{who}\" {} steht noch einmal da (zuerst in Zeile {first})",
                    ziel.code()
                ),
            ));
            continue;
        }
        seen.insert(key.clone(), line);
        out.soll
            .insert(key, Decimal::new(i128::from(units), decimals));
    }
    out
}
