-- Refused messages with the reason and the original bytes. Keyed by their Kafka
-- position, so a replay of the same message folds into one row.
CREATE TABLE IF NOT EXISTS dead_letters
(
    kafka_topic String,
    kafka_partition Int32,
    kafka_offset Int64,
    message_key String,
    reason_code String,
    reason String,
    payload String,
    received_at DateTime
)
ENGINE = ReplacingMergeTree()
ORDER BY (kafka_topic, kafka_partition, kafka_offset)
