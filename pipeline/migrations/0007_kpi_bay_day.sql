-- Each bay per workshop and business day, within opening hours.
CREATE TABLE IF NOT EXISTS kpi_bay_day
(
    workshop_id String,
    business_date Date,
    bay_id String,
    version UInt64,
    occupied_s Int64,
    out_of_service_s Int64,
    available_s Int64,
    turns UInt32,
    dwell_s Int64,
    unmatched_releases UInt32
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(business_date)
ORDER BY (workshop_id, business_date, bay_id)
