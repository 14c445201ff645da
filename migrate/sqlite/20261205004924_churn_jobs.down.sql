-- reverse: create "scheduled_runs" table
DROP TABLE `scheduled_runs`;
-- reverse: create index "churnrecalculation_due_at" to table: "churn_recalculations"
DROP INDEX `churnrecalculation_due_at`;
-- reverse: create "churn_recalculations" table
DROP TABLE `churn_recalculations`;
-- reverse: create index "event_created_at" to table: "events"
DROP INDEX `event_created_at`;
-- reverse: add column "converted_contact_id" to table: "leads"
ALTER TABLE `leads` DROP COLUMN `converted_contact_id`;
