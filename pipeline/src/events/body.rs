//! The event payloads of schema v1, one closed enum. The `type` field of the JSON
//! object selects the variant; the variant's fields sit beside the envelope fields.
//! docs/events.md shows one JSON example of each, and a test decodes every example.

use super::ids::{
    AdvisorId, AppointmentId, BayId, InvoiceNo, JobId, RepairOrderId, TechnicianId, Vin,
};
use super::money::{Amount, InvoiceAmount, TaxRateBp};
use super::topic::Topic;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// What kind of work a repair order is for. Drives intake, output-by-type and
/// first-time-fix rules (kpi-reference.md §5 for the mix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobType {
    /// Routine maintenance (保养).
    Maintenance,
    /// The first free service after sale (首保).
    FirstService,
    /// General or mechanical-electrical repair (维修 / 机电).
    Repair,
    /// Warranty repair paid by the manufacturer (索赔).
    Warranty,
    /// Accident repair, body and paint (事故车 / 钣金喷漆).
    AccidentBodyshop,
    /// Internal work: PDI, stock-vehicle rework (not counted as intake).
    Internal,
}

/// Who pays a settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The vehicle's owner.
    Customer,
    /// The manufacturer (warranty claim).
    Warranty,
    /// An insurer (accident repair).
    Insurance,
    /// The dealership itself (PDI, stock cars).
    Internal,
}

/// Dissatisfaction categories of the follow-up report (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dissatisfaction {
    /// 服务态度.
    ServiceAttitude,
    /// 维修质量.
    RepairQuality,
    /// 价格.
    Price,
    /// 维修时间.
    RepairTime,
    /// 配件供应.
    PartsSupply,
    /// 其他.
    Other,
}

/// What a clock adjustment corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Attendance (shift on/off).
    Shift,
    /// Time on a job (job on/off).
    Job,
}

/// Every event type of schema v1. Internally tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    // ---- workshop.repair-orders: appointments -------------------------------------
    /// An appointment was booked (预约登记).
    AppointmentBooked {
        /// The appointment.
        appointment_id: AppointmentId,
        /// The vehicle, if known at booking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vin: Option<Vin>,
        /// The advisor it is booked with.
        advisor_id: AdvisorId,
        /// The agreed arrival time.
        slot_start: DateTime<FixedOffset>,
        /// The expected kind of work.
        job_type: JobType,
    },
    /// An appointment moved to another slot.
    AppointmentRescheduled {
        /// The appointment.
        appointment_id: AppointmentId,
        /// The new arrival time.
        slot_start: DateTime<FixedOffset>,
    },
    /// The customer did not come to the appointment.
    AppointmentNoShow {
        /// The appointment.
        appointment_id: AppointmentId,
    },
    // ---- workshop.repair-orders: the repair order lifecycle ------------------------
    /// A vehicle entered the reception area (接车).
    VehicleArrived {
        /// The vehicle.
        vin: Vin,
        /// The appointment it came for, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appointment_id: Option<AppointmentId>,
    },
    /// A repair order was opened (开单).
    RoOpened {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The vehicle.
        vin: Vin,
        /// Licence plate as written on the RO.
        plate: String,
        /// The service advisor who opened it.
        advisor_id: AdvisorId,
        /// The kind of work.
        job_type: JobType,
        /// Complaint / fault codes (used to match comebacks).
        #[serde(default)]
        complaint_codes: Vec<String>,
        /// The promised ready time given to the customer, if one was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        promised_at: Option<DateTime<FixedOffset>>,
        /// The appointment this RO came from, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appointment_id: Option<AppointmentId>,
        /// The estimate quoted at reception, tax-inclusive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimate_fen: Option<Amount>,
        /// The advisor marked this visit as a comeback (返修) of an earlier RO.
        #[serde(default)]
        comeback: bool,
    },
    /// A job (labour operation) was added to the RO.
    JobAdded {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The job.
        job_id: JobId,
        /// Labour operation code.
        labour_operation: String,
        /// Standard (flat-rate) time in minutes.
        standard_minutes: u32,
    },
    /// A job was dispatched to a technician and bay (派工).
    JobDispatched {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The job.
        job_id: JobId,
        /// The technician assigned.
        technician_id: TechnicianId,
        /// The bay assigned.
        bay_id: BayId,
    },
    /// The customer accepted the estimate.
    EstimateAccepted {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The accepted amount, tax-inclusive.
        estimate_fen: Amount,
    },
    /// The customer declined the estimate.
    EstimateDeclined {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// Work is waiting for parts.
    PartsWaiting {
        /// The repair order.
        ro_id: RepairOrderId,
        /// Part numbers waited for.
        #[serde(default)]
        part_numbers: Vec<String>,
    },
    /// The awaited parts arrived.
    PartsArrived {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// The promise time given to the customer changed.
    PromiseRevised {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The new promised ready time.
        promised_at: DateTime<FixedOffset>,
        /// Why it changed.
        reason: String,
    },
    /// The customer approved additional work (修理变更确认).
    AdditionalWorkApproved {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The new job.
        job_id: JobId,
        /// Standard time of the added work in minutes.
        standard_minutes: u32,
        /// Approved amount, tax-inclusive.
        amount_fen: Amount,
    },
    /// Quality check passed (质检).
    QcPassed {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// Quality check failed; the RO goes back to rework.
    QcFailed {
        /// The repair order.
        ro_id: RepairOrderId,
        /// What failed.
        reason: String,
    },
    /// The vehicle was washed (洗车).
    Washed {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// The workshop handed the vehicle back to the advisor (车辆移交): work complete.
    ReadyForPickup {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// The customer took the vehicle (交车).
    Delivered {
        /// The repair order.
        ro_id: RepairOrderId,
    },
    /// The RO was settled (结算). Amounts are tax-inclusive; the discount is separate.
    Settled {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The invoice.
        invoice_no: InvoiceNo,
        /// Who pays.
        payer: Payer,
        /// Labour charge (工时费). This and the other three amounts are all
        /// ≥ 0 on an invoice, all ≤ 0 on a red-letter invoice (红字发票) that
        /// reverses one.
        labour_fen: InvoiceAmount,
        /// Parts charge.
        parts_fen: InvoiceAmount,
        /// Other charges: materials, sublet, care products.
        other_fen: InvoiceAmount,
        /// Discount (优惠); at most labour + parts + other (in size, on a reversal).
        discount_fen: InvoiceAmount,
        /// VAT rate in basis points (1300 = 13 %).
        tax_rate_bp: TaxRateBp,
    },
    /// The RO was cancelled.
    Cancelled {
        /// The repair order.
        ro_id: RepairOrderId,
        /// Why.
        reason: String,
    },
    /// The result of a follow-up call (回访).
    FollowUpRecorded {
        /// The repair order followed up.
        ro_id: RepairOrderId,
        /// Whether the customer was reached.
        reached: bool,
        /// 1 (complaint) … 5 (very good), if reached.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        satisfaction: Option<u8>,
        /// Dissatisfaction categories named.
        #[serde(default)]
        dissatisfaction: Vec<Dissatisfaction>,
        /// The customer reported the fault came back.
        #[serde(default)]
        comeback_reported: bool,
    },
    /// An accident-repair step started (事故车时间控制: 录入, 配件供应, 维修服务, …).
    AccidentStepStarted {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The step code, e.g. `entry`, `parts_supply`, `repair_service`.
        step: String,
        /// Who is responsible for the step (负责人).
        responsible: String,
    },
    /// An accident-repair step finished and was signed off.
    AccidentStepFinished {
        /// The repair order.
        ro_id: RepairOrderId,
        /// The step code.
        step: String,
        /// Who signed it off (签字人).
        signed_by: String,
    },
    /// The business day is closed (published by the scheduler in `run`).
    DayClosed {
        /// The closed business day, in the workshop's time zone.
        business_date: NaiveDate,
    },
    // ---- workshop.bays --------------------------------------------------------------
    /// A vehicle moved onto a bay.
    BayOccupied {
        /// The bay.
        bay_id: BayId,
        /// The repair order.
        ro_id: RepairOrderId,
        /// The vehicle.
        vin: Vin,
    },
    /// A bay became free.
    BayReleased {
        /// The bay.
        bay_id: BayId,
        /// The repair order that left.
        ro_id: RepairOrderId,
    },
    /// A bay went out of service (lift broken, …).
    BayOutOfService {
        /// The bay.
        bay_id: BayId,
        /// Why.
        reason: String,
    },
    /// A bay is back in service.
    BayBackInService {
        /// The bay.
        bay_id: BayId,
    },
    // ---- workshop.clock -------------------------------------------------------------
    /// A technician started the shift (attendance).
    ShiftOn {
        /// The technician.
        technician_id: TechnicianId,
    },
    /// A technician ended the shift.
    ShiftOff {
        /// The technician.
        technician_id: TechnicianId,
    },
    /// A technician clocked on a job.
    JobOn {
        /// The technician.
        technician_id: TechnicianId,
        /// The repair order.
        ro_id: RepairOrderId,
        /// The job.
        job_id: JobId,
    },
    /// A technician clocked off a job.
    JobOff {
        /// The technician.
        technician_id: TechnicianId,
        /// The repair order.
        ro_id: RepairOrderId,
        /// The job.
        job_id: JobId,
    },
    /// A clocking was corrected; kept as an audit trail.
    ClockAdjusted {
        /// Whose clocking.
        technician_id: TechnicianId,
        /// Who corrected it.
        adjusted_by: String,
        /// Why.
        reason: String,
        /// Shift or job clocking.
        kind: ClockKind,
        /// The job's RO, for a job clocking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ro_id: Option<RepairOrderId>,
        /// The job, for a job clocking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        job_id: Option<JobId>,
        /// Corrected start.
        on_at: DateTime<FixedOffset>,
        /// Corrected end.
        off_at: DateTime<FixedOffset>,
    },
}

/// The `type` names of schema v1 with the topic each belongs on.
pub const EVENT_TYPES: &[(&str, Topic)] = &[
    ("appointment_booked", Topic::RepairOrders),
    ("appointment_rescheduled", Topic::RepairOrders),
    ("appointment_no_show", Topic::RepairOrders),
    ("vehicle_arrived", Topic::RepairOrders),
    ("ro_opened", Topic::RepairOrders),
    ("job_added", Topic::RepairOrders),
    ("job_dispatched", Topic::RepairOrders),
    ("estimate_accepted", Topic::RepairOrders),
    ("estimate_declined", Topic::RepairOrders),
    ("parts_waiting", Topic::RepairOrders),
    ("parts_arrived", Topic::RepairOrders),
    ("promise_revised", Topic::RepairOrders),
    ("additional_work_approved", Topic::RepairOrders),
    ("qc_passed", Topic::RepairOrders),
    ("qc_failed", Topic::RepairOrders),
    ("washed", Topic::RepairOrders),
    ("ready_for_pickup", Topic::RepairOrders),
    ("delivered", Topic::RepairOrders),
    ("settled", Topic::RepairOrders),
    ("cancelled", Topic::RepairOrders),
    ("follow_up_recorded", Topic::RepairOrders),
    ("accident_step_started", Topic::RepairOrders),
    ("accident_step_finished", Topic::RepairOrders),
    ("day_closed", Topic::RepairOrders),
    ("bay_occupied", Topic::Bays),
    ("bay_released", Topic::Bays),
    ("bay_out_of_service", Topic::Bays),
    ("bay_back_in_service", Topic::Bays),
    ("shift_on", Topic::Clock),
    ("shift_off", Topic::Clock),
    ("job_on", Topic::Clock),
    ("job_off", Topic::Clock),
    ("clock_adjusted", Topic::Clock),
];

impl EventBody {
    /// The `type` name, as on the wire.
    pub fn type_name(&self) -> &'static str {
        use EventBody::*;
        match self {
            AppointmentBooked { .. } => "appointment_booked",
            AppointmentRescheduled { .. } => "appointment_rescheduled",
            AppointmentNoShow { .. } => "appointment_no_show",
            VehicleArrived { .. } => "vehicle_arrived",
            RoOpened { .. } => "ro_opened",
            JobAdded { .. } => "job_added",
            JobDispatched { .. } => "job_dispatched",
            EstimateAccepted { .. } => "estimate_accepted",
            EstimateDeclined { .. } => "estimate_declined",
            PartsWaiting { .. } => "parts_waiting",
            PartsArrived { .. } => "parts_arrived",
            PromiseRevised { .. } => "promise_revised",
            AdditionalWorkApproved { .. } => "additional_work_approved",
            QcPassed { .. } => "qc_passed",
            QcFailed { .. } => "qc_failed",
            Washed { .. } => "washed",
            ReadyForPickup { .. } => "ready_for_pickup",
            Delivered { .. } => "delivered",
            Settled { .. } => "settled",
            Cancelled { .. } => "cancelled",
            FollowUpRecorded { .. } => "follow_up_recorded",
            AccidentStepStarted { .. } => "accident_step_started",
            AccidentStepFinished { .. } => "accident_step_finished",
            DayClosed { .. } => "day_closed",
            BayOccupied { .. } => "bay_occupied",
            BayReleased { .. } => "bay_released",
            BayOutOfService { .. } => "bay_out_of_service",
            BayBackInService { .. } => "bay_back_in_service",
            ShiftOn { .. } => "shift_on",
            ShiftOff { .. } => "shift_off",
            JobOn { .. } => "job_on",
            JobOff { .. } => "job_off",
            ClockAdjusted { .. } => "clock_adjusted",
        }
    }

    /// The topic this event type travels on.
    pub fn topic(&self) -> Topic {
        topic_of_type(self.type_name()).unwrap_or(Topic::RepairOrders)
    }

    /// Checks what serde cannot: relations between fields. Returns the reason.
    pub fn check_values(&self) -> Result<(), String> {
        match self {
            EventBody::Settled {
                labour_fen,
                parts_fen,
                other_fen,
                discount_fen,
                ..
            } => {
                let amounts = [labour_fen, parts_fen, other_fen, discount_fen].map(|a| a.fen().0);
                if amounts.iter().any(|a| *a > 0) && amounts.iter().any(|a| *a < 0) {
                    return Err(format!(
                        "labour_fen, parts_fen, other_fen and discount_fen are {amounts:?}: \
                         all ≥ 0 on an invoice, all ≤ 0 on a red-letter invoice reversing one, \
                         never mixed"
                    ));
                }
                let gross = labour_fen.fen() + parts_fen.fen() + other_fen.fen();
                if discount_fen.fen().0.abs() > gross.0.abs() {
                    return Err(format!(
                        "discount_fen {} exceeds labour + parts + other = {}",
                        discount_fen.fen().0,
                        gross.0
                    ));
                }
                Ok(())
            }
            EventBody::JobAdded {
                standard_minutes, ..
            }
            | EventBody::AdditionalWorkApproved {
                standard_minutes, ..
            } if *standard_minutes == 0 || *standard_minutes > 200 * 60 => Err(format!(
                "standard_minutes {standard_minutes} is outside 1..=12000 (200 hours)"
            )),
            EventBody::FollowUpRecorded {
                satisfaction: Some(s),
                ..
            } if !(1..=5).contains(s) => Err(format!("satisfaction {s} is outside 1..=5")),
            EventBody::FollowUpRecorded {
                reached: false,
                satisfaction: Some(_),
                ..
            } => Err("satisfaction given for a customer not reached".into()),
            EventBody::ClockAdjusted { on_at, off_at, .. } if off_at < on_at => {
                Err("clock_adjusted off_at is before on_at".into())
            }
            EventBody::RoOpened { plate, .. }
                if plate.trim().is_empty() || plate.chars().count() > 16 =>
            {
                Err("plate must be 1 to 16 characters".into())
            }
            EventBody::AccidentStepStarted {
                step,
                responsible: person,
                ..
            }
            | EventBody::AccidentStepFinished {
                step,
                signed_by: person,
                ..
            } => {
                let code_ok = !step.is_empty()
                    && step.len() <= 32
                    && step
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !code_ok {
                    Err(format!(
                        "step {step:?} must be 1 to 32 characters of a-z 0-9 _"
                    ))
                } else if person.trim().is_empty() {
                    Err("the responsible person / signer must not be empty".into())
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

/// The topic a `type` name belongs on, or `None` for a type schema v1 does not know.
pub fn topic_of_type(type_name: &str) -> Option<Topic> {
    EVENT_TYPES
        .iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, topic)| *topic)
}
