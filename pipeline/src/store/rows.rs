//! Row types, one per table, and the plain functions that build them.

use crate::engine::{AccidentStep, BayDay, KpiDay, TechnicianDay};
use crate::events::Event;
use chrono::{DateTime, NaiveDate, Utc};
use clickhouse::Row;
use serde::{Deserialize, Serialize};

/// A row of `events_raw`.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct EventRow {
    /// Event id.
    pub event_id: String,
    /// Workshop.
    pub workshop_id: String,
    /// The `type` name.
    pub event_type: String,
    /// Schema version.
    pub schema_version: u16,
    /// Occurrence, whole seconds (UTC).
    #[serde(with = "clickhouse::serde::chrono::datetime")]
    pub occurred_at: DateTime<Utc>,
    /// Occurrence, epoch milliseconds.
    pub occurred_at_ms: i64,
    /// Business day in the workshop's time zone, as the engine computed it.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Hash of the decoded content.
    pub content_hash: u64,
    /// The original message bytes (valid UTF-8 JSON, since it decoded).
    pub payload: String,
    /// Kafka topic it was read from.
    pub kafka_topic: String,
    /// Partition.
    pub kafka_partition: i32,
    /// Offset.
    pub kafka_offset: i64,
}

/// Where a message was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KafkaPosition {
    /// Topic name.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
}

impl EventRow {
    /// The row for a valid event read at `at`, whose [`Event::content_hash`]
    /// is `content_hash`.
    pub fn new(
        event: &Event,
        content_hash: u64,
        business_date: NaiveDate,
        payload: &str,
        at: &KafkaPosition,
    ) -> Self {
        Self {
            event_id: event.event_id.to_string(),
            workshop_id: event.workshop_id.to_string(),
            event_type: event.body.type_name().to_string(),
            schema_version: event.schema,
            occurred_at: event.occurred_at.with_timezone(&Utc),
            occurred_at_ms: event.occurred_at_ms(),
            business_date,
            content_hash,
            payload: payload.to_string(),
            kafka_topic: at.topic.clone(),
            kafka_partition: at.partition,
            kafka_offset: at.offset,
        }
    }
}

/// A row of `dead_letters`.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct DeadLetterRow {
    /// Topic it was read from.
    pub kafka_topic: String,
    /// Partition.
    pub kafka_partition: i32,
    /// Offset.
    pub kafka_offset: i64,
    /// The message key, lossily decoded.
    pub message_key: String,
    /// [`crate::events::RejectReason`] code.
    pub reason_code: String,
    /// The precise reason.
    pub reason: String,
    /// The original bytes, unchanged (ClickHouse strings are byte strings).
    #[serde(with = "serde_bytes")]
    pub payload: Vec<u8>,
    /// When the pipeline refused it (wall clock; bookkeeping only).
    #[serde(with = "clickhouse::serde::chrono::datetime")]
    pub received_at: DateTime<Utc>,
}

/// A row of `kpi_workshop_day`.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct KpiDayRow {
    /// Workshop.
    pub workshop_id: String,
    /// Business day.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Row version.
    pub version: u64,
    /// 产值.
    pub output_value_fen: i64,
    /// Gross.
    pub gross_fen: i64,
    /// Discounts.
    pub discount_fen: i64,
    /// Labour.
    pub labour_fen: i64,
    /// Parts.
    pub parts_fen: i64,
    /// Other.
    pub other_fen: i64,
    /// Settlement events.
    pub settlements: u32,
    /// Distinct ROs settled.
    pub settled_ros: u32,
    /// Intake.
    pub intake: u32,
    /// Work in progress at end of day.
    pub wip: u32,
    /// Target.
    pub output_target_fen: i64,
    /// See [`KpiDay::output_maintenance_fen`].
    pub output_maintenance_fen: i64,
    /// See [`KpiDay::output_first_service_fen`].
    pub output_first_service_fen: i64,
    /// See [`KpiDay::output_repair_fen`].
    pub output_repair_fen: i64,
    /// See [`KpiDay::output_warranty_fen`].
    pub output_warranty_fen: i64,
    /// See [`KpiDay::output_accident_fen`].
    pub output_accident_fen: i64,
    /// See [`KpiDay::output_internal_fen`].
    pub output_internal_fen: i64,
    /// See [`KpiDay::output_unattributed_fen`].
    pub output_unattributed_fen: i64,
    /// See [`KpiDay::intake_from_appointment`].
    pub intake_from_appointment: u32,
    /// See [`KpiDay::no_shows`].
    pub no_shows: u32,
    /// See [`KpiDay::advisors_active`].
    pub advisors_active: u32,
    /// See [`KpiDay::advisor_max_intake`].
    pub advisor_max_intake: u32,
    /// See [`KpiDay::advisors_over_limit`].
    pub advisors_over_limit: u32,
    /// See [`KpiDay::completed_with_promise`].
    pub completed_with_promise: u32,
    /// See [`KpiDay::completed_on_time`].
    pub completed_on_time: u32,
    /// See [`KpiDay::promise_revisions`].
    pub promise_revisions: u32,
    /// See [`KpiDay::delivered_with_promise`].
    pub delivered_with_promise: u32,
    /// See [`KpiDay::delivered_on_time`].
    pub delivered_on_time: u32,
    /// See [`KpiDay::qc_first_inspections`].
    pub qc_first_inspections: u32,
    /// See [`KpiDay::qc_first_passed`].
    pub qc_first_passed: u32,
    /// See [`KpiDay::repairs_delivered`].
    pub repairs_delivered: u32,
    /// See [`KpiDay::comebacks`].
    pub comebacks: u32,
    /// See [`KpiDay::bays_known`].
    pub bays_known: u32,
    /// See [`KpiDay::bay_turns`].
    pub bay_turns: u32,
    /// See [`KpiDay::bay_occupied_s`].
    pub bay_occupied_s: i64,
    /// See [`KpiDay::bay_available_s`].
    pub bay_available_s: i64,
    /// See [`KpiDay::bay_dwell_s`].
    pub bay_dwell_s: i64,
    /// See [`KpiDay::accident_steps_finished`].
    pub accident_steps_finished: u32,
    /// See [`KpiDay::accident_steps_over_standard`].
    pub accident_steps_over_standard: u32,
    /// See [`KpiDay::accident_step_actual_minutes`].
    pub accident_step_actual_minutes: i64,
    /// See [`KpiDay::accident_step_standard_minutes`].
    pub accident_step_standard_minutes: i64,
    /// See [`KpiDay::output_payer_customer_fen`].
    pub output_payer_customer_fen: i64,
    /// See [`KpiDay::output_payer_warranty_fen`].
    pub output_payer_warranty_fen: i64,
    /// See [`KpiDay::output_payer_insurance_fen`].
    pub output_payer_insurance_fen: i64,
    /// See [`KpiDay::output_payer_internal_fen`].
    pub output_payer_internal_fen: i64,
    /// See [`KpiDay::parts_waits_ended`].
    pub parts_waits_ended: u32,
    /// See [`KpiDay::parts_wait_minutes`].
    pub parts_wait_minutes: i64,
    /// See [`KpiDay::invoice_conflicts`].
    pub invoice_conflicts: u32,
    /// See [`KpiDay::reversals`].
    pub reversals: u32,
    /// The advisors of [`KpiDay::advisor_intake`], in its order.
    pub advisor_ids: Vec<String>,
    /// Their intake ROs, in the same order.
    pub advisor_intake: Vec<u32>,
}

impl From<&KpiDay> for KpiDayRow {
    fn from(k: &KpiDay) -> Self {
        Self {
            workshop_id: k.workshop_id.to_string(),
            business_date: k.business_date,
            version: k.version,
            output_value_fen: k.output_value_fen,
            gross_fen: k.gross_fen,
            discount_fen: k.discount_fen,
            labour_fen: k.labour_fen,
            parts_fen: k.parts_fen,
            other_fen: k.other_fen,
            settlements: k.settlements,
            settled_ros: k.settled_ros,
            intake: k.intake,
            wip: k.wip,
            output_target_fen: k.output_target_fen,
            output_maintenance_fen: k.output_maintenance_fen,
            output_first_service_fen: k.output_first_service_fen,
            output_repair_fen: k.output_repair_fen,
            output_warranty_fen: k.output_warranty_fen,
            output_accident_fen: k.output_accident_fen,
            output_internal_fen: k.output_internal_fen,
            output_unattributed_fen: k.output_unattributed_fen,
            intake_from_appointment: k.intake_from_appointment,
            no_shows: k.no_shows,
            advisors_active: k.advisors_active,
            advisor_max_intake: k.advisor_max_intake,
            advisors_over_limit: k.advisors_over_limit,
            completed_with_promise: k.completed_with_promise,
            completed_on_time: k.completed_on_time,
            promise_revisions: k.promise_revisions,
            delivered_with_promise: k.delivered_with_promise,
            delivered_on_time: k.delivered_on_time,
            qc_first_inspections: k.qc_first_inspections,
            qc_first_passed: k.qc_first_passed,
            repairs_delivered: k.repairs_delivered,
            comebacks: k.comebacks,
            bays_known: k.bays_known,
            bay_turns: k.bay_turns,
            bay_occupied_s: k.bay_occupied_s,
            bay_available_s: k.bay_available_s,
            bay_dwell_s: k.bay_dwell_s,
            accident_steps_finished: k.accident_steps_finished,
            accident_steps_over_standard: k.accident_steps_over_standard,
            accident_step_actual_minutes: k.accident_step_actual_minutes,
            accident_step_standard_minutes: k.accident_step_standard_minutes,
            output_payer_customer_fen: k.output_payer_customer_fen,
            output_payer_warranty_fen: k.output_payer_warranty_fen,
            output_payer_insurance_fen: k.output_payer_insurance_fen,
            output_payer_internal_fen: k.output_payer_internal_fen,
            parts_waits_ended: k.parts_waits_ended,
            parts_wait_minutes: k.parts_wait_minutes,
            invoice_conflicts: k.invoice_conflicts,
            reversals: k.reversals,
            advisor_ids: k
                .advisor_intake
                .iter()
                .map(|a| a.advisor_id.to_string())
                .collect(),
            advisor_intake: k.advisor_intake.iter().map(|a| a.intake).collect(),
        }
    }
}

impl KpiDayRow {
    /// Back to the engine's type; `None` if a stored id is not valid or the
    /// advisor columns differ in length.
    pub fn to_kpi_day(&self) -> Option<KpiDay> {
        if self.advisor_ids.len() != self.advisor_intake.len() {
            return None;
        }
        let advisor_intake = self
            .advisor_ids
            .iter()
            .zip(&self.advisor_intake)
            .map(|(id, intake)| {
                Some(crate::engine::AdvisorIntake {
                    advisor_id: crate::events::AdvisorId::new(id.clone()).ok()?,
                    intake: *intake,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(KpiDay {
            workshop_id: crate::events::WorkshopId::new(self.workshop_id.clone()).ok()?,
            business_date: self.business_date,
            version: self.version,
            output_value_fen: self.output_value_fen,
            gross_fen: self.gross_fen,
            discount_fen: self.discount_fen,
            labour_fen: self.labour_fen,
            parts_fen: self.parts_fen,
            other_fen: self.other_fen,
            settlements: self.settlements,
            settled_ros: self.settled_ros,
            intake: self.intake,
            wip: self.wip,
            output_target_fen: self.output_target_fen,
            output_maintenance_fen: self.output_maintenance_fen,
            output_first_service_fen: self.output_first_service_fen,
            output_repair_fen: self.output_repair_fen,
            output_warranty_fen: self.output_warranty_fen,
            output_accident_fen: self.output_accident_fen,
            output_internal_fen: self.output_internal_fen,
            output_unattributed_fen: self.output_unattributed_fen,
            intake_from_appointment: self.intake_from_appointment,
            no_shows: self.no_shows,
            advisors_active: self.advisors_active,
            advisor_max_intake: self.advisor_max_intake,
            advisors_over_limit: self.advisors_over_limit,
            completed_with_promise: self.completed_with_promise,
            completed_on_time: self.completed_on_time,
            promise_revisions: self.promise_revisions,
            delivered_with_promise: self.delivered_with_promise,
            delivered_on_time: self.delivered_on_time,
            qc_first_inspections: self.qc_first_inspections,
            qc_first_passed: self.qc_first_passed,
            repairs_delivered: self.repairs_delivered,
            comebacks: self.comebacks,
            bays_known: self.bays_known,
            bay_turns: self.bay_turns,
            bay_occupied_s: self.bay_occupied_s,
            bay_available_s: self.bay_available_s,
            bay_dwell_s: self.bay_dwell_s,
            accident_steps_finished: self.accident_steps_finished,
            accident_steps_over_standard: self.accident_steps_over_standard,
            accident_step_actual_minutes: self.accident_step_actual_minutes,
            accident_step_standard_minutes: self.accident_step_standard_minutes,
            output_payer_customer_fen: self.output_payer_customer_fen,
            output_payer_warranty_fen: self.output_payer_warranty_fen,
            output_payer_insurance_fen: self.output_payer_insurance_fen,
            output_payer_internal_fen: self.output_payer_internal_fen,
            parts_waits_ended: self.parts_waits_ended,
            parts_wait_minutes: self.parts_wait_minutes,
            invoice_conflicts: self.invoice_conflicts,
            reversals: self.reversals,
            advisor_intake,
        })
    }
}

/// One workshop-day of `kpi_technician_day` summed over its technicians
/// (a query result, not a table).
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct TechnicianTotalsRow {
    /// Business day.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Technicians with a row that day.
    pub technicians: u64,
    /// Σ attended seconds.
    pub attended_s: i64,
    /// Σ worked seconds.
    pub worked_s: i64,
    /// Σ sold seconds.
    pub sold_s: i64,
}

/// A row of `kpi_technician_day`.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct TechnicianDayRow {
    /// Workshop.
    pub workshop_id: String,
    /// Business day.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Technician.
    pub technician_id: String,
    /// Row version (the workshop's absorbed-event count).
    pub version: u64,
    /// See [`TechnicianDay::attended_s`].
    pub attended_s: i64,
    /// See [`TechnicianDay::worked_s`].
    pub worked_s: i64,
    /// See [`TechnicianDay::sold_s`].
    pub sold_s: i64,
    /// See [`TechnicianDay::jobs_clocked`].
    pub jobs_clocked: u32,
    /// See [`TechnicianDay::auto_closed`].
    pub auto_closed: u32,
    /// See [`TechnicianDay::adjustments`].
    pub adjustments: u32,
    /// See [`TechnicianDay::unmatched_offs`].
    pub unmatched_offs: u32,
}

impl TechnicianDayRow {
    /// The row of a technician's day.
    pub fn new(
        workshop: &crate::events::WorkshopId,
        date: NaiveDate,
        version: u64,
        t: &TechnicianDay,
    ) -> Self {
        Self {
            workshop_id: workshop.to_string(),
            business_date: date,
            technician_id: t.technician_id.to_string(),
            version,
            attended_s: t.attended_s,
            worked_s: t.worked_s,
            sold_s: t.sold_s,
            jobs_clocked: t.jobs_clocked,
            auto_closed: t.auto_closed,
            adjustments: t.adjustments,
            unmatched_offs: t.unmatched_offs,
        }
    }

    /// The same row without its version, for comparisons.
    pub fn unversioned(&self) -> Self {
        Self {
            version: 0,
            ..self.clone()
        }
    }

    /// Back to the engine's type; `None` if the stored technician id is not valid.
    pub fn to_technician_day(&self) -> Option<TechnicianDay> {
        Some(TechnicianDay {
            technician_id: crate::events::TechnicianId::new(self.technician_id.clone()).ok()?,
            attended_s: self.attended_s,
            worked_s: self.worked_s,
            sold_s: self.sold_s,
            jobs_clocked: self.jobs_clocked,
            auto_closed: self.auto_closed,
            adjustments: self.adjustments,
            unmatched_offs: self.unmatched_offs,
        })
    }
}

/// A row of `kpi_bay_day`.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct BayDayRow {
    /// Workshop.
    pub workshop_id: String,
    /// Business day.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Bay.
    pub bay_id: String,
    /// Row version (the workshop's absorbed-event count).
    pub version: u64,
    /// See [`BayDay::occupied_s`].
    pub occupied_s: i64,
    /// See [`BayDay::out_of_service_s`].
    pub out_of_service_s: i64,
    /// See [`BayDay::available_s`].
    pub available_s: i64,
    /// See [`BayDay::turns`].
    pub turns: u32,
    /// See [`BayDay::dwell_s`].
    pub dwell_s: i64,
    /// See [`BayDay::unmatched_releases`].
    pub unmatched_releases: u32,
}

impl BayDayRow {
    /// The row of a bay's day.
    pub fn new(
        workshop: &crate::events::WorkshopId,
        date: NaiveDate,
        version: u64,
        b: &BayDay,
    ) -> Self {
        Self {
            workshop_id: workshop.to_string(),
            business_date: date,
            bay_id: b.bay_id.to_string(),
            version,
            occupied_s: b.occupied_s,
            out_of_service_s: b.out_of_service_s,
            available_s: b.available_s,
            turns: b.turns,
            dwell_s: b.dwell_s,
            unmatched_releases: b.unmatched_releases,
        }
    }

    /// The same row without its version, for comparisons.
    pub fn unversioned(&self) -> Self {
        Self {
            version: 0,
            ..self.clone()
        }
    }

    /// Back to the engine's type; `None` if the stored bay id is not valid.
    pub fn to_bay_day(&self) -> Option<BayDay> {
        Some(BayDay {
            bay_id: crate::events::BayId::new(self.bay_id.clone()).ok()?,
            occupied_s: self.occupied_s,
            out_of_service_s: self.out_of_service_s,
            available_s: self.available_s,
            turns: self.turns,
            dwell_s: self.dwell_s,
            unmatched_releases: self.unmatched_releases,
        })
    }
}

/// A row of `kpi_accident_step`: one finished accident-repair step.
#[derive(Debug, Clone, PartialEq, Eq, Row, Serialize, Deserialize)]
pub struct AccidentStepRow {
    /// Workshop.
    pub workshop_id: String,
    /// Repair order.
    pub ro_id: String,
    /// Step code.
    pub step: String,
    /// Business day the step finished.
    #[serde(with = "clickhouse::serde::chrono::date")]
    pub business_date: NaiveDate,
    /// Row version (the workshop's absorbed-event count).
    pub version: u64,
    /// See [`AccidentStep::responsible`].
    pub responsible: String,
    /// See [`AccidentStep::signed_by`].
    pub signed_by: String,
    /// Start, epoch milliseconds.
    pub started_at_ms: i64,
    /// Finish, epoch milliseconds.
    pub finished_at_ms: i64,
    /// See [`AccidentStep::actual_minutes`].
    pub actual_minutes: i64,
    /// 1 if the step has a configured standard.
    pub has_standard: u8,
    /// The standard minutes (0 without one).
    pub standard_minutes: u32,
    /// Minutes over the standard (0 within it or without one).
    pub over_minutes: i64,
}

impl AccidentStepRow {
    /// The row of a step finished on `date`.
    pub fn new(
        workshop: &crate::events::WorkshopId,
        date: NaiveDate,
        version: u64,
        s: &AccidentStep,
    ) -> Self {
        Self {
            workshop_id: workshop.to_string(),
            ro_id: s.ro_id.to_string(),
            step: s.step.clone(),
            business_date: date,
            version,
            responsible: s.responsible.clone(),
            signed_by: s.signed_by.clone(),
            started_at_ms: s.started_at.timestamp_millis(),
            finished_at_ms: s.finished_at.timestamp_millis(),
            actual_minutes: s.actual_minutes,
            has_standard: u8::from(s.standard_minutes.is_some()),
            standard_minutes: s.standard_minutes.unwrap_or(0),
            over_minutes: s.over_minutes.unwrap_or(0),
        }
    }

    /// The same row without its version, for comparisons.
    pub fn unversioned(&self) -> Self {
        Self {
            version: 0,
            ..self.clone()
        }
    }

    /// Back to the engine's type, instants shown in `time_zone`; `None` if the
    /// stored repair-order id or an instant is not valid.
    pub fn to_accident_step(&self, time_zone: chrono_tz::Tz) -> Option<AccidentStep> {
        let at = |ms: i64| {
            DateTime::<Utc>::from_timestamp_millis(ms)
                .map(|t| t.with_timezone(&time_zone).fixed_offset())
        };
        let has_standard = self.has_standard == 1;
        Some(AccidentStep {
            ro_id: crate::events::RepairOrderId::new(&self.ro_id).ok()?,
            step: self.step.clone(),
            responsible: self.responsible.clone(),
            signed_by: self.signed_by.clone(),
            started_at: at(self.started_at_ms)?,
            finished_at: at(self.finished_at_ms)?,
            actual_minutes: self.actual_minutes,
            standard_minutes: has_standard.then_some(self.standard_minutes),
            over_minutes: has_standard.then_some(self.over_minutes),
        })
    }
}

#[cfg(test)]
mod accident_step_tests {
    use super::*;
    use crate::events::{RepairOrderId, WorkshopId};

    #[test]
    fn an_accident_step_row_reads_back_as_the_step_in_the_workshop_time_zone() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).expect("time");
        let step = |standard: Option<u32>, over: Option<i64>| AccidentStep {
            ro_id: RepairOrderId::new("RO-9").expect("ro"),
            step: "parts_supply".into(),
            responsible: "王工".into(),
            signed_by: "李经理".into(),
            // Sent in UTC; read back in the workshop's zone, the same instant.
            started_at: at("2026-11-23T01:00:00Z"),
            finished_at: at("2026-11-24T03:30:00Z"),
            actual_minutes: 26 * 60 + 30,
            standard_minutes: standard,
            over_minutes: over,
        };
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        let ws = WorkshopId::new("W1").expect("ws");
        for s in [step(Some(1440), Some(150)), step(None, None)] {
            let row = AccidentStepRow::new(&ws, date, 7, &s);
            let back = row
                .to_accident_step(chrono_tz::Asia::Shanghai)
                .expect("valid");
            assert_eq!(back, s);
            assert_eq!(back.finished_at.to_rfc3339(), "2026-11-24T11:30:00+08:00");
        }
    }
}

#[cfg(test)]
mod kpi_day_tests {
    use super::*;
    use crate::engine::AdvisorIntake;
    use crate::events::{AdvisorId, Fen, WorkshopId};

    #[test]
    fn a_workshop_row_keeps_each_advisors_intake_in_two_columns() {
        let mut day = KpiDay::empty(
            WorkshopId::new("W1").expect("ws"),
            NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            2,
            Fen(100),
        );
        day.advisor_intake = [("SA1", 13), ("SA2", 1)]
            .map(|(id, intake)| AdvisorIntake {
                advisor_id: AdvisorId::new(id).expect("advisor"),
                intake,
            })
            .into();
        let row = KpiDayRow::from(&day);
        assert_eq!(
            (row.advisor_ids.clone(), row.advisor_intake.clone()),
            (vec!["SA1".to_string(), "SA2".into()], vec![13, 1])
        );
        assert_eq!(row.to_kpi_day(), Some(day));
        let torn = KpiDayRow {
            advisor_intake: vec![13],
            ..row
        };
        assert_eq!(torn.to_kpi_day(), None, "columns of different lengths");
    }
}
