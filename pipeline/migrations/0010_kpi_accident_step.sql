-- Accident repair time control (事故车时间控制): each finished step of an
-- accident repair order with its responsible person, signer, actual and
-- standard minutes, on the business day it finished. Keyed by the step, not the
-- day: an earlier finish that arrives late moves a step to another day, and the
-- row with the higher version replaces the old one. For the same reason the
-- table is not partitioned by month (rows fold only within a partition).
-- 18.16 has no DateTime64: instants are epoch milliseconds.
CREATE TABLE IF NOT EXISTS kpi_accident_step
(
    workshop_id String,
    ro_id String,
    step String,
    business_date Date,
    version UInt64,
    responsible String,
    signed_by String,
    started_at_ms Int64,
    finished_at_ms Int64,
    actual_minutes Int64,
    has_standard UInt8,
    standard_minutes UInt32,
    over_minutes Int64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (workshop_id, ro_id, step)
