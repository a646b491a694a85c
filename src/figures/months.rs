//! Which Berichtsmonat a run takes: the default month, whether a chosen month has data
//! (contract 4, v4), and the Jobcenters whose row for it is incomplete.

use std::collections::{BTreeMap, HashMap};

use super::Berichtsmonat;
use crate::load::Dataset;

/// The default Berichtsmonat: the latest month in which every Jobcenter has a row with
/// all seven required values present.
pub fn default_month(ds: &Dataset) -> Option<Berichtsmonat> {
    let mw = &ds.monatswerte;
    let mut complete: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for row in 0..mw.len() {
        if mw.has_required_values(row) {
            *complete.entry((mw.year[row], mw.month[row])).or_default() += 1;
        }
    }
    let n = ds.jobcenters.len();
    complete
        .iter()
        .rev()
        .find(|(_, count)| **count == n)
        .map(|(&(year, month), _)| Berichtsmonat { year, month })
}

/// The latest month for which `monatswerte` holds a row of any Jobcenter.
pub fn latest_month_with_rows(ds: &Dataset) -> Option<Berichtsmonat> {
    let mw = &ds.monatswerte;
    (0..mw.len())
        .map(|row| (mw.year[row], mw.month[row]))
        .max()
        .map(|(year, month)| Berichtsmonat { year, month })
}

/// Whether `monatswerte` holds a row of any Jobcenter for `month` (contract 4, v4: a chosen
/// month without one is an input error).
pub fn has_rows(ds: &Dataset, month: Berichtsmonat) -> bool {
    let mw = &ds.monatswerte;
    (0..mw.len()).any(|row| mw.year[row] == month.year && mw.month[row] == month.month)
}

/// The input error of a chosen month without any row (contract 4, v4), `None` where the
/// month has data. `option` is how the month was chosen, e.g. `--month 2028-09`.
pub fn require_rows(
    ds: &Dataset,
    month: Berichtsmonat,
    option: &str,
) -> Option<crate::error::InputError> {
    if has_rows(ds, month) {
        return None;
    }
    let file = ds
        .files
        .iter()
        .map(|f| f.path.clone())
        .find(|p| {
            p.file_stem()
                .is_some_and(|s| s.eq_ignore_ascii_case("monatswerte"))
        })
        .unwrap_or_else(|| ds.dir.join(crate::load::MONATSWERTE_FILE));
    Some(crate::error::InputError::month_without_rows(
        file,
        option,
        (month.year, month.month),
        latest_month_with_rows(ds).map(|m| (m.year, m.month)),
    ))
}

/// Jobcenters of the run whose row for `month` lacks a required value or is absent.
pub fn incomplete_jobcenters(ds: &Dataset, month: Berichtsmonat) -> Vec<String> {
    let mw = &ds.monatswerte;
    let mut full: HashMap<&str, bool> = HashMap::new();
    for row in 0..mw.len() {
        if mw.year[row] == month.year && mw.month[row] == month.month {
            full.insert(mw.jobcenter[row].as_str(), mw.has_required_values(row));
        }
    }
    ds.jobcenters
        .iter()
        .filter(|j| !full.get(j.id.as_str()).copied().unwrap_or(false))
        .map(|j| j.id.clone())
        .collect()
}
