-- Accident repair time control per workshop and day: steps finished, steps over
-- their standard time, and the actual and standard minutes of the steps that
-- have a standard.
ALTER TABLE kpi_workshop_day
    ADD COLUMN accident_steps_finished UInt32,
    ADD COLUMN accident_steps_over_standard UInt32,
    ADD COLUMN accident_step_actual_minutes Int64,
    ADD COLUMN accident_step_standard_minutes Int64
