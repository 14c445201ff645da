-- create "audit_entries" table
CREATE TABLE `audit_entries` (`id` text NOT NULL, `org_id` text NULL, `request_id` text NOT NULL, `key_id` text NULL, `test_mode` bool NOT NULL DEFAULT (false), `method` text NOT NULL, `path` text NOT NULL, `operation_name` text NULL, `status` integer NOT NULL, `error_code` text NULL, `duration_ms` integer NOT NULL, `client_ip` text NOT NULL, `user_agent` text NULL, `idempotency_key` text NULL, `replayed` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- create index "auditentry_org_id_created_at" to table: "audit_entries"
CREATE INDEX `auditentry_org_id_created_at` ON `audit_entries` (`org_id`, `created_at`);
-- create index "auditentry_created_at" to table: "audit_entries"
CREATE INDEX `auditentry_created_at` ON `audit_entries` (`created_at`);
-- create "idempotency_records" table
CREATE TABLE `idempotency_records` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `org_id` text NOT NULL, `key` text NOT NULL, `fingerprint` text NOT NULL, `state` text NOT NULL DEFAULT ('IN_PROGRESS'), `locked_until` datetime NOT NULL, `response_status` integer NULL, `response_headers` json NULL, `response_body` blob NULL, `expires_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- create index "idempotencyrecord_created_at" to table: "idempotency_records"
CREATE INDEX `idempotencyrecord_created_at` ON `idempotency_records` (`created_at`);
-- create index "idempotencyrecord_updated_at" to table: "idempotency_records"
CREATE INDEX `idempotencyrecord_updated_at` ON `idempotency_records` (`updated_at`);
-- create index "idempotencyrecord_org_id_key" to table: "idempotency_records"
CREATE UNIQUE INDEX `idempotencyrecord_org_id_key` ON `idempotency_records` (`org_id`, `key`);
-- create index "idempotencyrecord_expires_at" to table: "idempotency_records"
CREATE INDEX `idempotencyrecord_expires_at` ON `idempotency_records` (`expires_at`);
