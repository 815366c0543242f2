//! The KPI row of one workshop on one business day, as the engine computes it and
//! `kpi_workshop_day` stores it.

use super::output_value::div_round_half_even;
use crate::events::{AdvisorId, Fen, WorkshopId};
use chrono::NaiveDate;
use serde::Serialize;

/// The intake ROs one service advisor opened on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdvisorIntake {
    /// The advisor (`advisor_id` of `ro_opened`).
    pub advisor_id: AdvisorId,
    /// Intake ROs opened (not cancelled, not internal).
    pub intake: u32,
}

/// One workshop × business day. Flows (output, intake) count what happened that
/// day; `wip` is a level: repair orders open at the end of the day (or now, today).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiDay {
    /// The workshop.
    pub workshop_id: WorkshopId,
    /// The business day, in the workshop's time zone.
    pub business_date: NaiveDate,
    /// Row version: how many distinct events of this workshop the engine had
    /// absorbed when it computed the row. A restatement always carries a higher one.
    pub version: u64,
    /// 产值: Σ per settlement of (gross − discount) ÷ (1 + tax rate), rounded
    /// half-to-even per settlement, by settlement day.
    pub output_value_fen: i64,
    /// Σ labour + parts + other of the day's settlements, tax-inclusive.
    pub gross_fen: i64,
    /// Σ discounts of the day's settlements.
    pub discount_fen: i64,
    /// Σ labour charges, tax-inclusive.
    pub labour_fen: i64,
    /// Σ parts charges, tax-inclusive.
    pub parts_fen: i64,
    /// Σ other charges, tax-inclusive.
    pub other_fen: i64,
    /// Invoices counted that day (one per invoice number), red-letter ones aside.
    pub settlements: u32,
    /// Distinct repair orders of those invoices (the 单车产值 denominator).
    pub settled_ros: u32,
    /// Red-letter invoices (红字发票) counted that day: their negative amounts
    /// are in the day's 产值 and its parts; they are not settlements.
    pub reversals: u32,
    /// Settlement events that day whose invoice number counts from an
    /// earlier event with other figures (RO, payer or amounts): not counted,
    /// and shown so the workshop can find out which copy is right.
    pub invoice_conflicts: u32,
    /// 进厂台次: repair orders opened that day, not internal, not cancelled.
    pub intake: u32,
    /// 在修: repair orders opened by the end of the day and not yet delivered or cancelled.
    pub wip: u32,
    /// The day's output-value target.
    pub output_target_fen: i64,
    /// 产值 of settlements whose RO is maintenance (保养).
    pub output_maintenance_fen: i64,
    /// … first service (首保).
    pub output_first_service_fen: i64,
    /// … general repair (维修).
    pub output_repair_fen: i64,
    /// … warranty (索赔).
    pub output_warranty_fen: i64,
    /// … accident / body and paint (事故车).
    pub output_accident_fen: i64,
    /// … internal (PDI, stock cars).
    pub output_internal_fen: i64,
    /// … whose RO opening has not been seen (yet).
    pub output_unattributed_fen: i64,
    /// Intake ROs opened from an appointment (预约率 numerator).
    pub intake_from_appointment: u32,
    /// Appointments reported as no-shows that day.
    pub no_shows: u32,
    /// Service advisors who opened intake ROs that day.
    pub advisors_active: u32,
    /// The most intake ROs one advisor opened that day.
    pub advisor_max_intake: u32,
    /// Advisors above the configured daily limit.
    pub advisors_over_limit: u32,
    /// Each advisor's intake ROs that day (服务顾问接待量), by advisor id; only
    /// advisors with at least one.
    pub advisor_intake: Vec<AdvisorIntake>,
    /// ROs ready (车辆移交) that day that carry a promise (准时完工率 denominator).
    pub completed_with_promise: u32,
    /// … of them ready by the promise plus grace.
    pub completed_on_time: u32,
    /// Promise revisions that counted, over the ROs completed that day.
    pub promise_revisions: u32,
    /// ROs delivered (交车) that day that carry a promise (准时交车率 denominator).
    pub delivered_with_promise: u32,
    /// … of them delivered by the promise plus grace.
    pub delivered_on_time: u32,
    /// ROs whose first QC inspection was that day (工单合格率 denominator).
    pub qc_first_inspections: u32,
    /// … of them passing at the first inspection.
    pub qc_first_passed: u32,
    /// Repair and warranty ROs delivered that day (一次修复率 denominator).
    pub repairs_delivered: u32,
    /// … of them that came back (a comeback was charged to them).
    pub comebacks: u32,
    /// Bays with any event on or before the day.
    pub bays_known: u32,
    /// 工位周转: bay occupancies ended by a release that day, all bays.
    pub bay_turns: u32,
    /// Seconds bays were occupied within opening hours, all bays.
    pub bay_occupied_s: i64,
    /// Seconds bays were available (opening hours minus out of service), all bays.
    pub bay_available_s: i64,
    /// Seconds from occupancy to release of the occupancies released that day.
    pub bay_dwell_s: i64,
    /// Accident-repair steps finished that day (事故车时间控制).
    pub accident_steps_finished: u32,
    /// … of them over their standard time.
    pub accident_steps_over_standard: u32,
    /// Actual minutes of the finished steps that have a standard.
    pub accident_step_actual_minutes: i64,
    /// Standard minutes of those steps.
    pub accident_step_standard_minutes: i64,
    /// 产值 paid by customers.
    pub output_payer_customer_fen: i64,
    /// 产值 paid by the manufacturer (warranty claims).
    pub output_payer_warranty_fen: i64,
    /// 产值 paid by insurers.
    pub output_payer_insurance_fen: i64,
    /// 产值 paid internally (PDI, stock cars).
    pub output_payer_internal_fen: i64,
    /// Waits for parts (待料) that ended that day (parts arrived).
    pub parts_waits_ended: u32,
    /// Their total duration, minutes, from `parts_waiting` to `parts_arrived`.
    pub parts_wait_minutes: i64,
}

impl KpiDay {
    /// 单车产值: output value ÷ repair orders settled that day, rounded half-to-even
    /// to the fen; `None` when nothing was settled.
    pub fn output_per_vehicle_fen(&self) -> Option<i64> {
        if self.settled_ros == 0 {
            return None;
        }
        let q = div_round_half_even(
            i128::from(self.output_value_fen),
            i128::from(self.settled_ros),
        );
        Some(q as i64)
    }

    /// An empty day for `workshop_id` with `wip` open repair orders carried in.
    pub fn empty(workshop_id: WorkshopId, business_date: NaiveDate, wip: u32, target: Fen) -> Self {
        Self {
            workshop_id,
            business_date,
            version: 0,
            output_value_fen: 0,
            gross_fen: 0,
            discount_fen: 0,
            labour_fen: 0,
            parts_fen: 0,
            other_fen: 0,
            settlements: 0,
            settled_ros: 0,
            invoice_conflicts: 0,
            reversals: 0,
            intake: 0,
            wip,
            output_target_fen: target.0,
            output_maintenance_fen: 0,
            output_first_service_fen: 0,
            output_repair_fen: 0,
            output_warranty_fen: 0,
            output_accident_fen: 0,
            output_internal_fen: 0,
            output_unattributed_fen: 0,
            intake_from_appointment: 0,
            no_shows: 0,
            advisors_active: 0,
            advisor_max_intake: 0,
            advisors_over_limit: 0,
            advisor_intake: Vec::new(),
            completed_with_promise: 0,
            completed_on_time: 0,
            promise_revisions: 0,
            delivered_with_promise: 0,
            delivered_on_time: 0,
            qc_first_inspections: 0,
            qc_first_passed: 0,
            repairs_delivered: 0,
            comebacks: 0,
            bays_known: 0,
            bay_turns: 0,
            bay_occupied_s: 0,
            bay_available_s: 0,
            bay_dwell_s: 0,
            accident_steps_finished: 0,
            accident_steps_over_standard: 0,
            accident_step_actual_minutes: 0,
            accident_step_standard_minutes: 0,
            output_payer_customer_fen: 0,
            output_payer_warranty_fen: 0,
            output_payer_insurance_fen: 0,
            output_payer_internal_fen: 0,
            parts_waits_ended: 0,
            parts_wait_minutes: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(output: i64, settled: u32) -> KpiDay {
        let mut d = KpiDay::empty(
            WorkshopId::new("W1").expect("id"),
            NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            0,
            Fen(0),
        );
        d.output_value_fen = output;
        d.settled_ros = settled;
        d
    }

    #[test]
    fn per_vehicle_output_rounds_half_to_even() {
        assert_eq!(day(0, 0).output_per_vehicle_fen(), None);
        assert_eq!(day(300, 3).output_per_vehicle_fen(), Some(100));
        assert_eq!(day(100, 3).output_per_vehicle_fen(), Some(33)); // 33.33…
        assert_eq!(day(200, 3).output_per_vehicle_fen(), Some(67)); // 66.67…
        assert_eq!(day(5, 2).output_per_vehicle_fen(), Some(2)); // 2.5 → 2
        assert_eq!(day(7, 2).output_per_vehicle_fen(), Some(4)); // 3.5 → 4
    }
}
