//! `recompute`: KPI rows rebuilt from `events_raw` alone, by the same engine that
//! streams — and the reconciliation that proves streaming and batch agree.
//!
//! All of `events_raw` is read (work in progress and restatements reach back
//! across days); only rows of business days within the range are written or
//! compared. Rows are compared on their values, not their version: a batch pass
//! sees every event at once, so its version is the workshop's total event count.

use crate::engine::{Engine, KpiDay};
use crate::events::WorkshopId;
use crate::store::{AccidentStepRow, BayDayRow, KpiDayRow, Store, StoreError, TechnicianDayRow};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Business days to recompute, inclusive; `None` means unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayRange {
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub to: Option<NaiveDate>,
}

impl DayRange {
    /// Whether `day` is inside.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// One row where the stored table and the recomputation differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The workshop.
    pub workshop_id: WorkshopId,
    /// The day.
    pub business_date: NaiveDate,
    /// What `events_raw` gives (`None`: the table has a row that should not exist).
    pub recomputed: Option<KpiDay>,
    /// What the table holds (`None`: missing).
    pub stored: Option<KpiDay>,
}

/// The outcome of a recomputation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Events read from `events_raw`.
    pub events: usize,
    /// Rows recomputed within the range.
    pub rows: usize,
    /// Rows that differ from the table (before writing).
    pub mismatches: Vec<Mismatch>,
    /// Technician rows recomputed within the range.
    pub technician_rows: usize,
    /// Technician rows that differ.
    pub technician_mismatches: Differences<TechnicianDayRow>,
    /// Bay rows recomputed within the range.
    pub bay_rows: usize,
    /// Bay rows that differ.
    pub bay_mismatches: Differences<BayDayRow>,
    /// Finished accident-repair steps recomputed within the range.
    pub accident_step_rows: usize,
    /// Accident-step rows that differ.
    pub accident_step_mismatches: Differences<AccidentStepRow>,
    /// Whether the recomputed rows were written.
    pub written: bool,
}

impl Report {
    /// Rows of any table that differ.
    pub fn differences(&self) -> usize {
        self.mismatches.len()
            + self.technician_mismatches.len()
            + self.bay_mismatches.len()
            + self.accident_step_mismatches.len()
    }
}

/// Compares recomputed and stored rows on everything but the version.
pub fn reconcile(recomputed: &[KpiDay], stored: &[KpiDay]) -> Vec<Mismatch> {
    let unversioned = |r: &KpiDay| KpiDay {
        version: 0,
        ..r.clone()
    };
    reconcile_keyed(
        recomputed,
        stored,
        |r| (r.workshop_id.clone(), r.business_date),
        unversioned,
    )
    .into_iter()
    .filter_map(|(recomputed, stored)| {
        let row = recomputed.as_ref().or(stored.as_ref())?;
        Some(Mismatch {
            workshop_id: row.workshop_id.clone(),
            business_date: row.business_date,
            recomputed,
            stored,
        })
    })
    .collect()
}

/// Rows that differ between a recomputation and the table: (recomputed,
/// stored), either side `None` when absent. Versions are ignored.
pub type Differences<R> = Vec<(Option<R>, Option<R>)>;

/// Compares keyed rows on everything but the version (`unversioned` clears it);
/// the differing rows are returned as stored, versions included.
pub fn reconcile_keyed<R, K>(
    recomputed: &[R],
    stored: &[R],
    key: impl Fn(&R) -> K,
    unversioned: impl Fn(&R) -> R,
) -> Differences<R>
where
    R: Clone + PartialEq,
    K: Ord,
{
    let mut pairs: BTreeMap<K, (Option<R>, Option<R>)> = BTreeMap::new();
    for r in recomputed {
        pairs.entry(key(r)).or_default().0 = Some(r.clone());
    }
    for s in stored {
        pairs.entry(key(s)).or_default().1 = Some(s.clone());
    }
    pairs
        .into_values()
        .filter(|(r, s)| r.as_ref().map(&unversioned) != s.as_ref().map(&unversioned))
        .collect()
}

/// Rebuilds the rows of `range` from `events_raw` with `engine` (fresh, with
/// the configured workshops), compares them with the table, and writes them
/// unless `check_only`.
pub async fn recompute(
    store: &Store,
    mut engine: Engine,
    range: DayRange,
    check_only: bool,
) -> Result<Report, StoreError> {
    let events = store.load_events().await?;
    for event in &events {
        engine.apply(event);
    }
    let recomputed: Vec<KpiDay> = engine
        .all_rows()
        .into_iter()
        .filter(|r| range.contains(r.business_date))
        .collect();
    let stored: Vec<KpiDay> = store
        .kpi_days()
        .await?
        .iter()
        .filter(|r| range.contains(r.business_date))
        .filter_map(KpiDayRow::to_kpi_day)
        .collect();
    let mismatches = reconcile(&recomputed, &stored);
    let technicians: Vec<TechnicianDayRow> = engine
        .all_technician_rows()
        .iter()
        .filter(|(_, d, _, _)| range.contains(*d))
        .map(|(w, d, v, t)| TechnicianDayRow::new(w, *d, *v, t))
        .collect();
    let stored_technicians: Vec<TechnicianDayRow> = store
        .technician_days()
        .await?
        .into_iter()
        .filter(|r| range.contains(r.business_date))
        .collect();
    let technician_mismatches = reconcile_keyed(
        &technicians,
        &stored_technicians,
        |r| {
            (
                r.workshop_id.clone(),
                r.business_date,
                r.technician_id.clone(),
            )
        },
        TechnicianDayRow::unversioned,
    );
    let bays: Vec<BayDayRow> = engine
        .all_bay_rows()
        .iter()
        .filter(|(_, d, _, _)| range.contains(*d))
        .map(|(w, d, v, b)| BayDayRow::new(w, *d, *v, b))
        .collect();
    let stored_bays: Vec<BayDayRow> = store
        .bay_days()
        .await?
        .into_iter()
        .filter(|r| range.contains(r.business_date))
        .collect();
    let bay_mismatches = reconcile_keyed(
        &bays,
        &stored_bays,
        |r| (r.workshop_id.clone(), r.business_date, r.bay_id.clone()),
        BayDayRow::unversioned,
    );
    let steps: Vec<AccidentStepRow> = engine
        .all_accident_steps()
        .iter()
        .filter(|(_, d, _, _)| range.contains(*d))
        .map(|(w, d, v, s)| AccidentStepRow::new(w, *d, *v, s))
        .collect();
    let stored_steps: Vec<AccidentStepRow> = store
        .accident_steps(None)
        .await?
        .into_iter()
        .filter(|r| range.contains(r.business_date))
        .collect();
    let accident_step_mismatches = reconcile_keyed(
        &steps,
        &stored_steps,
        |r| (r.workshop_id.clone(), r.ro_id.clone(), r.step.clone()),
        AccidentStepRow::unversioned,
    );
    if !check_only {
        store.insert_technician_days(&technicians).await?;
        store.insert_bay_days(&bays).await?;
        store.insert_accident_steps(&steps).await?;
        let rows: Vec<KpiDayRow> = recomputed.iter().map(KpiDayRow::from).collect();
        store.insert_kpi_days(&rows).await?;
    }
    Ok(Report {
        events: events.len(),
        rows: recomputed.len(),
        mismatches,
        technician_rows: technicians.len(),
        technician_mismatches,
        bay_rows: bays.len(),
        bay_mismatches,
        accident_step_rows: steps.len(),
        accident_step_mismatches,
        written: !check_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Fen;

    fn row(ws: &str, day: u32, output: i64, version: u64) -> KpiDay {
        let mut r = KpiDay::empty(
            WorkshopId::new(ws).expect("id"),
            NaiveDate::from_ymd_opt(2026, 11, day).expect("date"),
            0,
            Fen(0),
        );
        r.output_value_fen = output;
        r.version = version;
        r
    }

    #[test]
    fn versions_do_not_count_values_do() {
        let recomputed = [row("W1", 1, 100, 50), row("W1", 2, 200, 50)];
        let stored = [
            row("W1", 1, 100, 31),
            row("W1", 2, 201, 50),
            row("W2", 1, 5, 3),
        ];
        let m = reconcile(&recomputed, &stored);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].business_date.to_string(), "2026-11-02");
        assert_eq!(m[0].stored.as_ref().map(|s| s.output_value_fen), Some(201));
        assert_eq!(m[1].workshop_id.as_str(), "W2");
        assert!(
            m[1].recomputed.is_none(),
            "a stored row with no events behind it"
        );
    }

    #[test]
    fn ranges_are_inclusive_and_open_ended() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 11, n).expect("date");
        let r = DayRange {
            from: Some(d(2)),
            to: Some(d(3)),
        };
        assert!(!r.contains(d(1)) && r.contains(d(2)) && r.contains(d(3)) && !r.contains(d(4)));
        assert!(DayRange::default().contains(d(1)));
    }
}
