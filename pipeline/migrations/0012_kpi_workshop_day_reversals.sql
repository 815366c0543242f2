-- Red-letter invoices (红字发票) counted each day: a reversal is an invoice
-- with negative amounts, counted in the 产值 of its own day, never an edit of
-- the day of the invoice it reverses. Not among `settlements`.
ALTER TABLE kpi_workshop_day
    ADD COLUMN reversals UInt32
