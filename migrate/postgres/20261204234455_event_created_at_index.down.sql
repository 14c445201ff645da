-- reverse: create index "event_created_at" to table: "events"
DROP INDEX "event_created_at";
