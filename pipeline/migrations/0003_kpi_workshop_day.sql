-- KPI rows per workshop and business day (the workshop's own time zone). A
-- restatement writes the row again with a higher version; read with FINAL or argMax.
CREATE TABLE IF NOT EXISTS kpi_workshop_day
(
    workshop_id String,
    business_date Date,
    version UInt64,
    output_value_fen Int64,
    gross_fen Int64,
    discount_fen Int64,
    labour_fen Int64,
    parts_fen Int64,
    other_fen Int64,
    settlements UInt32,
    settled_ros UInt32,
    intake UInt32,
    wip UInt32,
    output_target_fen Int64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(business_date)
ORDER BY (workshop_id, business_date)
