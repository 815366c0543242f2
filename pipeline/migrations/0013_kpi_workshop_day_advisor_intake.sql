-- Each service advisor's intake ROs that day (服务顾问接待量), as two arrays in
-- advisor-id order: the whole list is rewritten with the day's row, so an
-- advisor whose only order is cancelled later leaves no stale count behind.
ALTER TABLE kpi_workshop_day
    ADD COLUMN advisor_ids Array(String),
    ADD COLUMN advisor_intake Array(UInt32)
