//! Who can be credited a repair order's sold time, and from which day they
//! have rows for it.
//!
//! A job's standard time is credited on the day its order first passes QC,
//! to whoever clocked on it, or else to the technician it was dispatched to.
//! Such a technician may have no clocking on or before that day — dispatched
//! but never clocking, or clocking rework only after the pass — and rows start
//! at a technician's first clocking. So every technician on an order's crew
//! also has rows from the order's first-pass day on. A crew only grows, and a
//! first-pass day only moves earlier, so a row once there stays there (with
//! the credit it has now, possibly none), whatever order events come in.

use super::{Clock, HashMap, RepairOrderId, TechnicianId, Technicians, earliest, starts_rows};
use chrono::NaiveDate;
use smallvec::SmallVec;

/// A repair order's crew: every technician a job of it was dispatched to
/// (by any dispatch, not only the earliest), or who clocked on or off one of
/// its jobs or had a job interval on one corrected, by id (usually one or
/// two); and the order's first-pass day once it has passed (a copy of the
/// repair orders' own, set by [`Technicians::crew_passed`], so that a job
/// clocking need not look the order up there).
#[derive(Debug, Clone, Default)]
pub(super) struct Crew {
    members: SmallVec<[TechnicianId; 2]>,
    first_pass: Option<NaiveDate>,
}

impl Technicians {
    /// Adds `technician` to the crew of `ro`. If the order has passed QC and
    /// their rows started later, they now start on its first-pass day, which
    /// is returned (every stored day from there on is restated).
    pub(super) fn join_crew(
        &mut self,
        ro: &RepairOrderId,
        technician: &TechnicianId,
    ) -> Option<NaiveDate> {
        let crew = &mut slot!(self.orders, ro).crew;
        let at = crew.members.binary_search(technician).err()?;
        crew.members.insert(at, technician.clone());
        let first_pass = crew.first_pass?;
        rows_from_pass(&mut self.clocks, technician, first_pass)
    }

    /// Records that `ro` first passed QC on `first_pass` (as the repair
    /// orders now say; it only moves earlier), and gives its crew rows from
    /// then on. Returns the earliest day from which a technician gained rows,
    /// if any did (every stored day from there on is restated).
    pub fn crew_passed(&mut self, ro: &RepairOrderId, first_pass: NaiveDate) -> Option<NaiveDate> {
        let crew = &mut slot!(self.orders, ro).crew;
        crew.first_pass = Some(first_pass);
        crew.members
            .iter()
            .filter_map(|technician| rows_from_pass(&mut self.clocks, technician, first_pass))
            .min()
    }
}

/// Gives `technician` rows from `day` (a first-pass day) on, if theirs start
/// later; `day` if so.
fn rows_from_pass(
    clocks: &mut HashMap<TechnicianId, Clock>,
    technician: &TechnicianId,
    day: NaiveDate,
) -> Option<NaiveDate> {
    let clock = slot!(clocks, technician);
    let starts = starts_rows(clock.first_day(), day);
    earliest(&mut clock.crew_from, Some(day));
    starts
}
