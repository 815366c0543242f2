-- Technician time per workshop, business day and technician: attended (shift
-- clock), worked (job clock) and sold (standard time credited on QC pass)
-- seconds, with the audit counts. Restated rows carry a higher version.
CREATE TABLE IF NOT EXISTS kpi_technician_day
(
    workshop_id String,
    business_date Date,
    technician_id String,
    version UInt64,
    attended_s Int64,
    worked_s Int64,
    sold_s Int64,
    jobs_clocked UInt32,
    auto_closed UInt32,
    adjustments UInt32,
    unmatched_offs UInt32
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(business_date)
ORDER BY (workshop_id, business_date, technician_id)
