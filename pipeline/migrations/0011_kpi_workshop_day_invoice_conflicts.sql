-- Settlement events whose invoice number already counts from an earlier event
-- with other figures (RO, payer or amounts), on the day each was received: the
-- engine counts the earliest copy of an invoice and shows the disagreements
-- here instead of passing over them.
ALTER TABLE kpi_workshop_day
    ADD COLUMN invoice_conflicts UInt32
