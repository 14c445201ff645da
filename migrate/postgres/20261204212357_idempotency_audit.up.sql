-- create "audit_entries" table
CREATE TABLE "audit_entries" ("id" character varying NOT NULL, "org_id" character varying NULL, "request_id" character varying NOT NULL, "key_id" character varying NULL, "test_mode" boolean NOT NULL DEFAULT false, "method" character varying NOT NULL, "path" character varying NOT NULL, "operation_name" character varying NULL, "status" bigint NOT NULL, "error_code" character varying NULL, "duration_ms" bigint NOT NULL, "client_ip" character varying NOT NULL, "user_agent" character varying NULL, "idempotency_key" character varying NULL, "replayed" boolean NOT NULL DEFAULT false, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- create index "auditentry_created_at" to table: "audit_entries"
CREATE INDEX "auditentry_created_at" ON "audit_entries" ("created_at");
-- create index "auditentry_org_id_created_at" to table: "audit_entries"
CREATE INDEX "auditentry_org_id_created_at" ON "audit_entries" ("org_id", "created_at");
-- create "idempotency_records" table
CREATE TABLE "idempotency_records" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "org_id" character varying NOT NULL, "key" character varying NOT NULL, "fingerprint" character varying NOT NULL, "state" character varying NOT NULL DEFAULT 'IN_PROGRESS', "locked_until" timestamptz NOT NULL, "response_status" bigint NULL, "response_headers" jsonb NULL, "response_body" bytea NULL, "expires_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- create index "idempotencyrecord_created_at" to table: "idempotency_records"
CREATE INDEX "idempotencyrecord_created_at" ON "idempotency_records" ("created_at");
-- create index "idempotencyrecord_expires_at" to table: "idempotency_records"
CREATE INDEX "idempotencyrecord_expires_at" ON "idempotency_records" ("expires_at");
-- create index "idempotencyrecord_org_id_key" to table: "idempotency_records"
CREATE UNIQUE INDEX "idempotencyrecord_org_id_key" ON "idempotency_records" ("org_id", "key");
-- create index "idempotencyrecord_updated_at" to table: "idempotency_records"
CREATE INDEX "idempotencyrecord_updated_at" ON "idempotency_records" ("updated_at");
