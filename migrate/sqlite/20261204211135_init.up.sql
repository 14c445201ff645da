-- create "api_keys" table
CREATE TABLE `api_keys` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `scopes` json NOT NULL, `mode` text NOT NULL, `hash` text NOT NULL, `display_prefix` text NOT NULL, `last_used_at` datetime NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `api_keys_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "api_keys_hash_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_hash_key` ON `api_keys` (`hash`);
-- create index "apikey_created_at" to table: "api_keys"
CREATE INDEX `apikey_created_at` ON `api_keys` (`created_at`);
-- create index "apikey_updated_at" to table: "api_keys"
CREATE INDEX `apikey_updated_at` ON `api_keys` (`updated_at`);
-- create "accounts" table
CREATE TABLE `accounts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `lifecycle_status` text NOT NULL DEFAULT ('PROSPECT'), `industry` text NULL, `employee_count` integer NULL, `external_id` text NULL, `website` text NULL, `phone` text NULL, `sla_tier` text NULL, `client_since` text NULL, `contract_anniversary` text NULL, `fiscal_year_end_month` integer NULL, `compliance_frameworks` json NULL, `tags` json NULL, `current_mrr` integer NOT NULL DEFAULT (0), `churn_risk_score` integer NULL, `churn_risk_level` text NULL, `org_id` text NOT NULL, `parent_account_id` text NULL, `account_manager_id` text NULL, `sales_rep_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `accounts_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `accounts_accounts_children` FOREIGN KEY (`parent_account_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_users_account_manager` FOREIGN KEY (`account_manager_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_users_sales_rep` FOREIGN KEY (`sales_rep_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "account_created_at" to table: "accounts"
CREATE INDEX `account_created_at` ON `accounts` (`created_at`);
-- create index "account_updated_at" to table: "accounts"
CREATE INDEX `account_updated_at` ON `accounts` (`updated_at`);
-- create index "account_org_id_external_id" to table: "accounts"
CREATE UNIQUE INDEX `account_org_id_external_id` ON `accounts` (`org_id`, `external_id`);
-- create index "account_org_id_lifecycle_status" to table: "accounts"
CREATE INDEX `account_org_id_lifecycle_status` ON `accounts` (`org_id`, `lifecycle_status`);
-- create index "account_org_id_created_at" to table: "accounts"
CREATE INDEX `account_org_id_created_at` ON `accounts` (`org_id`, `created_at`);
-- create index "account_org_id_updated_at" to table: "accounts"
CREATE INDEX `account_org_id_updated_at` ON `accounts` (`org_id`, `updated_at`);
-- create "account_contacts" table
CREATE TABLE `account_contacts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NULL, `is_primary` bool NOT NULL DEFAULT (false), `influence` text NULL, `org_id` text NOT NULL, `account_id` text NOT NULL, `contact_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `account_contacts_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `account_contacts_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `account_contacts_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE NO ACTION);
-- create index "accountcontact_created_at" to table: "account_contacts"
CREATE INDEX `accountcontact_created_at` ON `account_contacts` (`created_at`);
-- create index "accountcontact_updated_at" to table: "account_contacts"
CREATE INDEX `accountcontact_updated_at` ON `account_contacts` (`updated_at`);
-- create index "accountcontact_account_id_contact_id" to table: "account_contacts"
CREATE UNIQUE INDEX `accountcontact_account_id_contact_id` ON `account_contacts` (`account_id`, `contact_id`);
-- create index "accountcontact_contact_id" to table: "account_contacts"
CREATE INDEX `accountcontact_contact_id` ON `account_contacts` (`contact_id`);
-- create "churn_risk_snapshots" table
CREATE TABLE `churn_risk_snapshots` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `score` integer NOT NULL, `level` text NOT NULL, `breakdown` json NULL, `calculated_at` datetime NOT NULL, `day` text NOT NULL, `account_id` text NOT NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `churn_risk_snapshots_accounts_churn_risk_snapshots` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `churn_risk_snapshots_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "churnrisksnapshot_created_at" to table: "churn_risk_snapshots"
CREATE INDEX `churnrisksnapshot_created_at` ON `churn_risk_snapshots` (`created_at`);
-- create index "churnrisksnapshot_updated_at" to table: "churn_risk_snapshots"
CREATE INDEX `churnrisksnapshot_updated_at` ON `churn_risk_snapshots` (`updated_at`);
-- create index "churnrisksnapshot_account_id_day" to table: "churn_risk_snapshots"
CREATE INDEX `churnrisksnapshot_account_id_day` ON `churn_risk_snapshots` (`account_id`, `day`);
-- create "compliance_items" table
CREATE TABLE `compliance_items` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `framework` text NOT NULL, `title` text NOT NULL, `status` text NOT NULL DEFAULT ('NOT_STARTED'), `due_date` text NULL, `completed_at` datetime NULL, `account_id` text NOT NULL, `org_id` text NOT NULL, `assignee_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `compliance_items_accounts_compliance_items` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `compliance_items_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `compliance_items_users_assignee` FOREIGN KEY (`assignee_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "complianceitem_created_at" to table: "compliance_items"
CREATE INDEX `complianceitem_created_at` ON `compliance_items` (`created_at`);
-- create index "complianceitem_updated_at" to table: "compliance_items"
CREATE INDEX `complianceitem_updated_at` ON `compliance_items` (`updated_at`);
-- create "contacts" table
CREATE TABLE `contacts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `first_name` text NOT NULL, `last_name` text NOT NULL DEFAULT (''), `email` text NULL, `email_key` text NULL, `phone` text NULL, `title` text NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `contacts_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "contact_created_at" to table: "contacts"
CREATE INDEX `contact_created_at` ON `contacts` (`created_at`);
-- create index "contact_updated_at" to table: "contacts"
CREATE INDEX `contact_updated_at` ON `contacts` (`updated_at`);
-- create index "contact_org_id_email_key" to table: "contacts"
CREATE UNIQUE INDEX `contact_org_id_email_key` ON `contacts` (`org_id`, `email_key`);
-- create index "contact_org_id_created_at" to table: "contacts"
CREATE INDEX `contact_org_id_created_at` ON `contacts` (`org_id`, `created_at`);
-- create "contracts" table
CREATE TABLE `contracts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `status` text NOT NULL DEFAULT ('DRAFT'), `start_date` text NULL, `end_date` text NULL, `renewal_date` text NULL, `auto_renew` bool NOT NULL DEFAULT (false), `account_id` text NOT NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `contracts_accounts_contracts` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `contracts_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "contract_created_at" to table: "contracts"
CREATE INDEX `contract_created_at` ON `contracts` (`created_at`);
-- create index "contract_updated_at" to table: "contracts"
CREATE INDEX `contract_updated_at` ON `contracts` (`updated_at`);
-- create "deals" table
CREATE TABLE `deals` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `stage` text NULL, `type` text NOT NULL DEFAULT ('NEW_LOGO'), `estimated_mrr` integer NULL, `probability` integer NULL, `expected_close_date` text NULL, `closed_at` datetime NULL, `loss_reason` text NULL, `account_id` text NOT NULL, `org_id` text NOT NULL, `owner_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `deals_accounts_deals` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `deals_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `deals_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "deal_created_at" to table: "deals"
CREATE INDEX `deal_created_at` ON `deals` (`created_at`);
-- create index "deal_updated_at" to table: "deals"
CREATE INDEX `deal_updated_at` ON `deals` (`updated_at`);
-- create index "deal_org_id_stage" to table: "deals"
CREATE INDEX `deal_org_id_stage` ON `deals` (`org_id`, `stage`);
-- create index "deal_org_id_created_at" to table: "deals"
CREATE INDEX `deal_org_id_created_at` ON `deals` (`org_id`, `created_at`);
-- create "deal_contacts" table
CREATE TABLE `deal_contacts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NULL, `is_primary` bool NOT NULL DEFAULT (false), `org_id` text NOT NULL, `deal_id` text NOT NULL, `contact_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `deal_contacts_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `deal_contacts_deals_deal` FOREIGN KEY (`deal_id`) REFERENCES `deals` (`id`) ON DELETE NO ACTION, CONSTRAINT `deal_contacts_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE NO ACTION);
-- create index "dealcontact_created_at" to table: "deal_contacts"
CREATE INDEX `dealcontact_created_at` ON `deal_contacts` (`created_at`);
-- create index "dealcontact_updated_at" to table: "deal_contacts"
CREATE INDEX `dealcontact_updated_at` ON `deal_contacts` (`updated_at`);
-- create index "dealcontact_deal_id_contact_id" to table: "deal_contacts"
CREATE UNIQUE INDEX `dealcontact_deal_id_contact_id` ON `deal_contacts` (`deal_id`, `contact_id`);
-- create index "dealcontact_contact_id" to table: "deal_contacts"
CREATE INDEX `dealcontact_contact_id` ON `deal_contacts` (`contact_id`);
-- create "devices" table
CREATE TABLE `devices` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `rmm_agent_id` text NULL, `hostname` text NOT NULL, `os` text NULL, `device_type` text NULL, `serial_number` text NULL, `is_online` bool NOT NULL DEFAULT (false), `last_seen_at` datetime NULL, `patch_compliant` bool NULL, `is_end_of_life` bool NOT NULL DEFAULT (false), `warranty_expires_at` datetime NULL, `account_id` text NOT NULL, `org_id` text NOT NULL, `site_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `devices_accounts_devices` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `devices_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `devices_sites_devices` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL);
-- create index "device_created_at" to table: "devices"
CREATE INDEX `device_created_at` ON `devices` (`created_at`);
-- create index "device_updated_at" to table: "devices"
CREATE INDEX `device_updated_at` ON `devices` (`updated_at`);
-- create index "device_org_id_rmm_agent_id" to table: "devices"
CREATE UNIQUE INDEX `device_org_id_rmm_agent_id` ON `devices` (`org_id`, `rmm_agent_id`);
-- create index "device_org_id_updated_at" to table: "devices"
CREATE INDEX `device_org_id_updated_at` ON `devices` (`org_id`, `updated_at`);
-- create index "device_account_id" to table: "devices"
CREATE INDEX `device_account_id` ON `devices` (`account_id`);
-- create "health_signals" table
CREATE TABLE `health_signals` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key` text NOT NULL, `raw_value` real NULL, `sub_score` integer NULL, `details` json NULL, `source` text NULL, `observed_at` datetime NOT NULL, `expires_at` datetime NULL, `account_id` text NOT NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `health_signals_accounts_health_signals` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `health_signals_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "healthsignal_created_at" to table: "health_signals"
CREATE INDEX `healthsignal_created_at` ON `health_signals` (`created_at`);
-- create index "healthsignal_updated_at" to table: "health_signals"
CREATE INDEX `healthsignal_updated_at` ON `health_signals` (`updated_at`);
-- create index "healthsignal_account_id_key_observed_at" to table: "health_signals"
CREATE INDEX `healthsignal_account_id_key_observed_at` ON `health_signals` (`account_id`, `key`, `observed_at`);
-- create "leads" table
CREATE TABLE `leads` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `company_name` text NOT NULL, `contact_name` text NULL, `email` text NULL, `phone` text NULL, `industry` text NULL, `employee_count` integer NULL, `it_staff_count` integer NULL, `source` text NOT NULL DEFAULT ('OTHER'), `status` text NOT NULL DEFAULT ('NEW'), `icp_score` integer NOT NULL DEFAULT (0), `icp_breakdown` json NULL, `converted_account_id` text NULL, `org_id` text NOT NULL, `owner_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `leads_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `leads_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "lead_created_at" to table: "leads"
CREATE INDEX `lead_created_at` ON `leads` (`created_at`);
-- create index "lead_updated_at" to table: "leads"
CREATE INDEX `lead_updated_at` ON `leads` (`updated_at`);
-- create "notes" table
CREATE TABLE `notes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `body` text NOT NULL, `object_type` text NOT NULL, `object_id` text NOT NULL, `org_id` text NOT NULL, `author_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `notes_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `notes_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "note_created_at" to table: "notes"
CREATE INDEX `note_created_at` ON `notes` (`created_at`);
-- create index "note_updated_at" to table: "notes"
CREATE INDEX `note_updated_at` ON `notes` (`updated_at`);
-- create index "note_org_id_object_type_object_id" to table: "notes"
CREATE INDEX `note_org_id_object_type_object_id` ON `notes` (`org_id`, `object_type`, `object_id`);
-- create "orgs" table
CREATE TABLE `orgs` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `plan` text NOT NULL DEFAULT ('GROWTH'), `rate_limit_per_key` integer NULL, `rate_limit_per_org` integer NULL, `settings` json NULL, PRIMARY KEY (`id`));
-- create index "org_created_at" to table: "orgs"
CREATE INDEX `org_created_at` ON `orgs` (`created_at`);
-- create index "org_updated_at" to table: "orgs"
CREATE INDEX `org_updated_at` ON `orgs` (`updated_at`);
-- create "pipeline_stages" table
CREATE TABLE `pipeline_stages` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key` text NOT NULL, `name` text NOT NULL, `position` integer NOT NULL, `probability` integer NOT NULL, `is_won` bool NOT NULL DEFAULT (false), `is_lost` bool NOT NULL DEFAULT (false), `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `pipeline_stages_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "pipelinestage_created_at" to table: "pipeline_stages"
CREATE INDEX `pipelinestage_created_at` ON `pipeline_stages` (`created_at`);
-- create index "pipelinestage_updated_at" to table: "pipeline_stages"
CREATE INDEX `pipelinestage_updated_at` ON `pipeline_stages` (`updated_at`);
-- create index "pipelinestage_org_id_key" to table: "pipeline_stages"
CREATE UNIQUE INDEX `pipelinestage_org_id_key` ON `pipeline_stages` (`org_id`, `key`);
-- create "service_lines" table
CREATE TABLE `service_lines` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `service_name` text NOT NULL, `category` text NOT NULL DEFAULT ('MANAGED_SERVICES'), `quantity` integer NOT NULL DEFAULT (1), `unit_price` integer NOT NULL, `billing_frequency` text NOT NULL DEFAULT ('MONTHLY'), `contract_id` text NOT NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `service_lines_contracts_service_lines` FOREIGN KEY (`contract_id`) REFERENCES `contracts` (`id`) ON DELETE NO ACTION, CONSTRAINT `service_lines_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "serviceline_created_at" to table: "service_lines"
CREATE INDEX `serviceline_created_at` ON `service_lines` (`created_at`);
-- create index "serviceline_updated_at" to table: "service_lines"
CREATE INDEX `serviceline_updated_at` ON `service_lines` (`updated_at`);
-- create "sites" table
CREATE TABLE `sites` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `address_line1` text NULL, `address_line2` text NULL, `city` text NULL, `region` text NULL, `postal_code` text NULL, `country` text NULL, `is_primary` bool NOT NULL DEFAULT (false), `account_id` text NOT NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `sites_accounts_sites` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `sites_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "site_created_at" to table: "sites"
CREATE INDEX `site_created_at` ON `sites` (`created_at`);
-- create index "site_updated_at" to table: "sites"
CREATE INDEX `site_updated_at` ON `sites` (`updated_at`);
-- create "tasks" table
CREATE TABLE `tasks` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `description` text NULL, `status` text NOT NULL DEFAULT ('OPEN'), `priority` text NOT NULL DEFAULT ('MEDIUM'), `due_date` text NULL, `completed_at` datetime NULL, `account_id` text NULL, `deal_id` text NULL, `org_id` text NOT NULL, `assignee_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `tasks_accounts_tasks` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `tasks_deals_tasks` FOREIGN KEY (`deal_id`) REFERENCES `deals` (`id`) ON DELETE SET NULL, CONSTRAINT `tasks_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `tasks_users_assignee` FOREIGN KEY (`assignee_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "task_created_at" to table: "tasks"
CREATE INDEX `task_created_at` ON `tasks` (`created_at`);
-- create index "task_updated_at" to table: "tasks"
CREATE INDEX `task_updated_at` ON `tasks` (`updated_at`);
-- create index "task_org_id_status" to table: "tasks"
CREATE INDEX `task_org_id_status` ON `tasks` (`org_id`, `status`);
-- create index "task_org_id_updated_at" to table: "tasks"
CREATE INDEX `task_org_id_updated_at` ON `tasks` (`org_id`, `updated_at`);
-- create "touchpoints" table
CREATE TABLE `touchpoints` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `direction` text NULL, `subject` text NULL, `notes` text NULL, `outcome` text NULL, `occurred_at` datetime NOT NULL, `source` text NULL, `account_id` text NOT NULL, `contact_id` text NULL, `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `touchpoints_accounts_touchpoints` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `touchpoints_contacts_touchpoints` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE SET NULL, CONSTRAINT `touchpoints_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "touchpoint_created_at" to table: "touchpoints"
CREATE INDEX `touchpoint_created_at` ON `touchpoints` (`created_at`);
-- create index "touchpoint_updated_at" to table: "touchpoints"
CREATE INDEX `touchpoint_updated_at` ON `touchpoints` (`updated_at`);
-- create index "touchpoint_account_id_occurred_at" to table: "touchpoints"
CREATE INDEX `touchpoint_account_id_occurred_at` ON `touchpoints` (`account_id`, `occurred_at`);
-- create "users" table
CREATE TABLE `users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `email` text NOT NULL, `role` text NOT NULL DEFAULT ('VIEWER'), `org_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `users_orgs_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- create index "user_created_at" to table: "users"
CREATE INDEX `user_created_at` ON `users` (`created_at`);
-- create index "user_updated_at" to table: "users"
CREATE INDEX `user_updated_at` ON `users` (`updated_at`);
-- create index "user_org_id_email" to table: "users"
CREATE UNIQUE INDEX `user_org_id_email` ON `users` (`org_id`, `email`);
