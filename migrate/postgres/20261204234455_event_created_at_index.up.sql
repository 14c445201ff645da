-- create index "event_created_at" to table: "events"
CREATE INDEX "event_created_at" ON "events" ("created_at");
