-- reverse: create index "idempotencyrecord_expires_at" to table: "idempotency_records"
DROP INDEX `idempotencyrecord_expires_at`;
-- reverse: create index "idempotencyrecord_org_id_key" to table: "idempotency_records"
DROP INDEX `idempotencyrecord_org_id_key`;
-- reverse: create index "idempotencyrecord_updated_at" to table: "idempotency_records"
DROP INDEX `idempotencyrecord_updated_at`;
-- reverse: create index "idempotencyrecord_created_at" to table: "idempotency_records"
DROP INDEX `idempotencyrecord_created_at`;
-- reverse: create "idempotency_records" table
DROP TABLE `idempotency_records`;
-- reverse: create index "auditentry_created_at" to table: "audit_entries"
DROP INDEX `auditentry_created_at`;
-- reverse: create index "auditentry_org_id_created_at" to table: "audit_entries"
DROP INDEX `auditentry_org_id_created_at`;
-- reverse: create "audit_entries" table
DROP TABLE `audit_entries`;
