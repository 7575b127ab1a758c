-- The admin dashboard (DASH-A) lists the latest refunds and adjustments and
-- takes this month's payouts out of the readers' earnings: transfers of a
-- few rare types, found by type and time. Without this index each of those
-- read every transfer ever posted. id orders transfers of one type and time.
CREATE INDEX ledger_transfers_type_time_idx ON ledger_transfers (type, created_at, id);
