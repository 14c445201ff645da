-- create index "event_created_at" to table: "events"
CREATE INDEX "event_created_at" ON "events" ("created_at");
-- modify "leads" table
ALTER TABLE "leads" ADD COLUMN "converted_contact_id" character varying NULL;
-- create "churn_recalculations" table
CREATE TABLE "churn_recalculations" ("id" character varying NOT NULL, "org_id" character varying NOT NULL, "due_at" timestamptz NOT NULL, "deadline" timestamptz NOT NULL, "generation" bigint NOT NULL DEFAULT 0, "attempts" bigint NOT NULL DEFAULT 0, "locked_until" timestamptz NULL, "last_error" character varying NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- create index "churnrecalculation_due_at" to table: "churn_recalculations"
CREATE INDEX "churnrecalculation_due_at" ON "churn_recalculations" ("due_at");
-- create "scheduled_runs" table
CREATE TABLE "scheduled_runs" ("id" character varying NOT NULL, "job" character varying NOT NULL, "period" character varying NOT NULL, "items" bigint NOT NULL DEFAULT 0, "started_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
