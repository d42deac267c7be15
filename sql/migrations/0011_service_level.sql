-- 0011_service_level: the service level an order asks for each resource-pool item (GB/T 34077.2
-- grades prices by it, docs/billing.md); delivery copies it to the allocation (0009 added
-- allocations.service_level). Product items keep the default.
ALTER TABLE order_items ADD COLUMN service_level TEXT NOT NULL DEFAULT 'standard'
    CHECK (service_level IN ('basic', 'standard', 'premium'));
