-- create "events" table
CREATE TABLE "events" ("id" character varying NOT NULL, "org_id" character varying NOT NULL, "type" character varying NOT NULL, "resource_id" character varying NOT NULL, "payload" bytea NOT NULL, "test_mode" boolean NOT NULL DEFAULT false, "key_id" character varying NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- create index "event_org_id_created_at_id" to table: "events"
CREATE INDEX "event_org_id_created_at_id" ON "events" ("org_id", "created_at", "id");
-- create "webhook_endpoints" table
CREATE TABLE "webhook_endpoints" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "url" character varying NOT NULL, "events" jsonb NOT NULL, "description" character varying NULL, "state" character varying NOT NULL DEFAULT 'ENABLED', "disabled_reason" character varying NULL, "consecutive_failures" bigint NOT NULL DEFAULT 0, "secret_ciphertext" bytea NOT NULL, "previous_secret_ciphertext" bytea NULL, "previous_secret_expires_at" timestamptz NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "webhook_endpoints_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "webhookendpoint_created_at" to table: "webhook_endpoints"
CREATE INDEX "webhookendpoint_created_at" ON "webhook_endpoints" ("created_at");
-- create index "webhookendpoint_updated_at" to table: "webhook_endpoints"
CREATE INDEX "webhookendpoint_updated_at" ON "webhook_endpoints" ("updated_at");
-- create "deliveries" table
CREATE TABLE "deliveries" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "org_id" character varying NOT NULL, "state" character varying NOT NULL DEFAULT 'PENDING', "attempts" bigint NOT NULL DEFAULT 0, "next_attempt_at" timestamptz NOT NULL, "locked_until" timestamptz NULL, "last_status" bigint NULL, "last_error" character varying NULL, "completed_at" timestamptz NULL, "event_id" character varying NOT NULL, "endpoint_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "deliveries_events_deliveries" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "deliveries_webhook_endpoints_deliveries" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "delivery_created_at" to table: "deliveries"
CREATE INDEX "delivery_created_at" ON "deliveries" ("created_at");
-- create index "delivery_endpoint_id_state_created_at" to table: "deliveries"
CREATE INDEX "delivery_endpoint_id_state_created_at" ON "deliveries" ("endpoint_id", "state", "created_at");
-- create index "delivery_state_next_attempt_at" to table: "deliveries"
CREATE INDEX "delivery_state_next_attempt_at" ON "deliveries" ("state", "next_attempt_at");
-- create index "delivery_updated_at" to table: "deliveries"
CREATE INDEX "delivery_updated_at" ON "deliveries" ("updated_at");
-- create "delivery_attempts" table
CREATE TABLE "delivery_attempts" ("id" character varying NOT NULL, "org_id" character varying NOT NULL, "number" bigint NOT NULL, "status" bigint NULL, "latency_ms" bigint NOT NULL, "response_excerpt" character varying NULL, "error" character varying NULL, "succeeded" boolean NOT NULL, "created_at" timestamptz NOT NULL, "delivery_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "delivery_attempts_deliveries_attempts_log" FOREIGN KEY ("delivery_id") REFERENCES "deliveries" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
