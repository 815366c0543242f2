-- Every valid event, as received: the source of truth that `recompute` reads.
-- Replays insert the same row again; ReplacingMergeTree folds rows with the same
-- sorting key (same event, same content) into one. 18.16 has no DateTime64, so
-- the instant is kept as DateTime plus epoch milliseconds.
CREATE TABLE IF NOT EXISTS events_raw
(
    event_id String,
    workshop_id String,
    event_type String,
    schema_version UInt16,
    occurred_at DateTime,
    occurred_at_ms Int64,
    business_date Date,
    content_hash UInt64,
    payload String,
    kafka_topic String,
    kafka_partition Int32,
    kafka_offset Int64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(business_date)
ORDER BY (workshop_id, occurred_at, event_id)
