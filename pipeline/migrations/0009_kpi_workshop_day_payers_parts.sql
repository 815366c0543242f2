-- 产值 by payer (customer, warranty, insurance, internal) and the waits for
-- parts (待料) that ended each day with their total minutes.
ALTER TABLE kpi_workshop_day
    ADD COLUMN output_payer_customer_fen Int64,
    ADD COLUMN output_payer_warranty_fen Int64,
    ADD COLUMN output_payer_insurance_fen Int64,
    ADD COLUMN output_payer_internal_fen Int64,
    ADD COLUMN parts_waits_ended UInt32,
    ADD COLUMN parts_wait_minutes Int64
