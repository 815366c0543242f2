-- The workshop's technician time of each day: the sums of kpi_technician_day's
-- attended, worked and sold seconds, so the workshop's 工时利用率, 工时效率 and
-- 生产率 are read from its day row (sum the seconds first, then divide).
ALTER TABLE kpi_workshop_day
    ADD COLUMN technicians_attended_s Int64,
    ADD COLUMN technicians_worked_s Int64,
    ADD COLUMN technicians_sold_s Int64
