-- create "deliveries" table
CREATE TABLE `deliveries` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `org_id` text NOT NULL, `state` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `locked_until` datetime NULL, `last_status` integer NULL, `last_error` text NULL, `completed_at` datetime NULL, `event_id` text NOT NULL, `endpoint_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `deliveries_events_deliveries` FOREIGN KEY (`event_id`) REFERENCES `events` (`id`) ON DELETE NO ACTION, CONSTRAINT `deliveries_webhook_endpoints_deliveries` FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints` (`id`) ON DELETE NO ACTION);
-- create index "delivery_created_at" to table: "deliveries"
CREATE INDEX `delivery_created_at` ON `deliveries` (`created_at`);
-- create index "delivery_updated_at" to table: "deliveries"
CREATE INDEX `delivery_updated_at` ON `deliveries` (`updated_at`);
-- create index "delivery_state_next_attempt_at" to table: "deliveries"
CREATE INDEX `delivery_state_next_attempt_at` ON `deliveries` (`state`, `next_attempt_at`);
-- create index "delivery_endpoint_id_state_created_at" to table: "deliveries"
CREATE INDEX `delivery_endpoint_id_state_created_at` ON `deliveries` (`endpoint_id`, `state`, `created_at`);
-- create "delivery_attempts" table
CREATE TABLE `delivery_attempts` (`id` text NOT NULL, `org_id` text NOT NULL, `number` integer NOT NULL, `status` integer NULL, `latency_ms` integer NOT NULL, `response_excerpt` text NULL, `error` text NULL, `succeeded` bool NOT NULL, `created_at` datetime NOT NULL, `delivery_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `delivery_attempts_deliveries_attempts_log` FOREIGN KEY (`delivery_id`) REFERENCES `deliveries` (`id`) ON DELETE NO ACTION);
-- create "events" table
CREATE TABLE `events` (`id` text NOT NULL, `org_id` text NOT NULL, `type` text NOT NULL, `resource_id` text NOT NULL, `payload` blob NOT NULL, `test_mode` bool NOT NULL DEFAULT (false), `key_id` text NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- create index "event_org_id_created_at_id" to table: "events"
CREATE INDEX `event_org_id_created_at_id` ON `events` (`org_id`, `created_at`, `id`);
-- create "webhook_endpoints" table
CREATE TABLE `webhook_endpoints` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `events` json NOT NULL, `description` text NULL, `state` text NOT NULL DEFAULT ('ENABLED'), `disabled_reason` text NULL, `consecutive_failures` integer NOT NULL DEFAULT (0), `secret_ciphertext` blob NOT NULL, `previous_secret_ciphertext` blob NULL, `previous_secret_expires_at` datetime NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_endpoints_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "webhookendpoint_created_at" to table: "webhook_endpoints"
CREATE INDEX `webhookendpoint_created_at` ON `webhook_endpoints` (`created_at`);
-- create index "webhookendpoint_updated_at" to table: "webhook_endpoints"
CREATE INDEX `webhookendpoint_updated_at` ON `webhook_endpoints` (`updated_at`);
