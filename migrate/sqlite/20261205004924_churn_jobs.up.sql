-- add column "converted_contact_id" to table: "leads"
ALTER TABLE `leads` ADD COLUMN `converted_contact_id` text NULL;
-- create index "event_created_at" to table: "events"
CREATE INDEX `event_created_at` ON `events` (`created_at`);
-- create "churn_recalculations" table
CREATE TABLE `churn_recalculations` (`id` text NOT NULL, `org_id` text NOT NULL, `due_at` datetime NOT NULL, `deadline` datetime NOT NULL, `generation` integer NOT NULL DEFAULT (0), `attempts` integer NOT NULL DEFAULT (0), `locked_until` datetime NULL, `last_error` text NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- create index "churnrecalculation_due_at" to table: "churn_recalculations"
CREATE INDEX `churnrecalculation_due_at` ON `churn_recalculations` (`due_at`);
-- create "scheduled_runs" table
CREATE TABLE `scheduled_runs` (`id` text NOT NULL, `job` text NOT NULL, `period` text NOT NULL, `items` integer NOT NULL DEFAULT (0), `started_at` datetime NOT NULL, PRIMARY KEY (`id`));
