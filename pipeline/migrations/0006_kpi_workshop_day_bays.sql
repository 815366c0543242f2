-- Bay totals per workshop and day: bays seen, turns (工位周转), occupied and
-- available seconds within opening hours (utilisation = occupied ÷ available),
-- and dwell of the occupancies released that day.
ALTER TABLE kpi_workshop_day
    ADD COLUMN bays_known UInt32,
    ADD COLUMN bay_turns UInt32,
    ADD COLUMN bay_occupied_s Int64,
    ADD COLUMN bay_available_s Int64,
    ADD COLUMN bay_dwell_s Int64
