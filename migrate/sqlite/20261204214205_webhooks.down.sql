-- reverse: create index "webhookendpoint_updated_at" to table: "webhook_endpoints"
DROP INDEX `webhookendpoint_updated_at`;
-- reverse: create index "webhookendpoint_created_at" to table: "webhook_endpoints"
DROP INDEX `webhookendpoint_created_at`;
-- reverse: create "webhook_endpoints" table
DROP TABLE `webhook_endpoints`;
-- reverse: create index "event_org_id_created_at_id" to table: "events"
DROP INDEX `event_org_id_created_at_id`;
-- reverse: create "events" table
DROP TABLE `events`;
-- reverse: create "delivery_attempts" table
DROP TABLE `delivery_attempts`;
-- reverse: create index "delivery_endpoint_id_state_created_at" to table: "deliveries"
DROP INDEX `delivery_endpoint_id_state_created_at`;
-- reverse: create index "delivery_state_next_attempt_at" to table: "deliveries"
DROP INDEX `delivery_state_next_attempt_at`;
-- reverse: create index "delivery_updated_at" to table: "deliveries"
DROP INDEX `delivery_updated_at`;
-- reverse: create index "delivery_created_at" to table: "deliveries"
DROP INDEX `delivery_created_at`;
-- reverse: create "deliveries" table
DROP TABLE `deliveries`;
