-- create "orgs" table
CREATE TABLE "orgs" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "plan" character varying NOT NULL DEFAULT 'GROWTH', "rate_limit_per_key" bigint NULL, "rate_limit_per_org" bigint NULL, "settings" jsonb NULL, PRIMARY KEY ("id"));
-- create index "org_created_at" to table: "orgs"
CREATE INDEX "org_created_at" ON "orgs" ("created_at");
-- create index "org_updated_at" to table: "orgs"
CREATE INDEX "org_updated_at" ON "orgs" ("updated_at");
-- create "users" table
CREATE TABLE "users" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "email" character varying NOT NULL, "role" character varying NOT NULL DEFAULT 'VIEWER', "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "users_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "user_created_at" to table: "users"
CREATE INDEX "user_created_at" ON "users" ("created_at");
-- create index "user_org_id_email" to table: "users"
CREATE UNIQUE INDEX "user_org_id_email" ON "users" ("org_id", "email");
-- create index "user_updated_at" to table: "users"
CREATE INDEX "user_updated_at" ON "users" ("updated_at");
-- create "accounts" table
CREATE TABLE "accounts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "lifecycle_status" character varying NOT NULL DEFAULT 'PROSPECT', "industry" character varying NULL, "employee_count" bigint NULL, "external_id" character varying NULL, "website" character varying NULL, "phone" character varying NULL, "sla_tier" character varying NULL, "client_since" character varying NULL, "contract_anniversary" character varying NULL, "fiscal_year_end_month" bigint NULL, "compliance_frameworks" jsonb NULL, "tags" jsonb NULL, "current_mrr" bigint NOT NULL DEFAULT 0, "churn_risk_score" bigint NULL, "churn_risk_level" character varying NULL, "org_id" character varying NOT NULL, "parent_account_id" character varying NULL, "account_manager_id" character varying NULL, "sales_rep_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "accounts_accounts_children" FOREIGN KEY ("parent_account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "accounts_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "accounts_users_account_manager" FOREIGN KEY ("account_manager_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "accounts_users_sales_rep" FOREIGN KEY ("sales_rep_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "account_created_at" to table: "accounts"
CREATE INDEX "account_created_at" ON "accounts" ("created_at");
-- create index "account_org_id_created_at" to table: "accounts"
CREATE INDEX "account_org_id_created_at" ON "accounts" ("org_id", "created_at");
-- create index "account_org_id_external_id" to table: "accounts"
CREATE UNIQUE INDEX "account_org_id_external_id" ON "accounts" ("org_id", "external_id");
-- create index "account_org_id_lifecycle_status" to table: "accounts"
CREATE INDEX "account_org_id_lifecycle_status" ON "accounts" ("org_id", "lifecycle_status");
-- create index "account_org_id_updated_at" to table: "accounts"
CREATE INDEX "account_org_id_updated_at" ON "accounts" ("org_id", "updated_at");
-- create index "account_updated_at" to table: "accounts"
CREATE INDEX "account_updated_at" ON "accounts" ("updated_at");
-- create "contacts" table
CREATE TABLE "contacts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "first_name" character varying NOT NULL, "last_name" character varying NOT NULL DEFAULT '', "email" character varying NULL, "email_key" character varying NULL, "phone" character varying NULL, "title" character varying NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "contacts_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "contact_created_at" to table: "contacts"
CREATE INDEX "contact_created_at" ON "contacts" ("created_at");
-- create index "contact_org_id_created_at" to table: "contacts"
CREATE INDEX "contact_org_id_created_at" ON "contacts" ("org_id", "created_at");
-- create index "contact_org_id_email_key" to table: "contacts"
CREATE UNIQUE INDEX "contact_org_id_email_key" ON "contacts" ("org_id", "email_key");
-- create index "contact_updated_at" to table: "contacts"
CREATE INDEX "contact_updated_at" ON "contacts" ("updated_at");
-- create "account_contacts" table
CREATE TABLE "account_contacts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "role" character varying NULL, "is_primary" boolean NOT NULL DEFAULT false, "influence" character varying NULL, "org_id" character varying NOT NULL, "account_id" character varying NOT NULL, "contact_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "account_contacts_accounts_account" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "account_contacts_contacts_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "account_contacts_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "accountcontact_account_id_contact_id" to table: "account_contacts"
CREATE UNIQUE INDEX "accountcontact_account_id_contact_id" ON "account_contacts" ("account_id", "contact_id");
-- create index "accountcontact_contact_id" to table: "account_contacts"
CREATE INDEX "accountcontact_contact_id" ON "account_contacts" ("contact_id");
-- create index "accountcontact_created_at" to table: "account_contacts"
CREATE INDEX "accountcontact_created_at" ON "account_contacts" ("created_at");
-- create index "accountcontact_updated_at" to table: "account_contacts"
CREATE INDEX "accountcontact_updated_at" ON "account_contacts" ("updated_at");
-- create "api_keys" table
CREATE TABLE "api_keys" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "scopes" jsonb NOT NULL, "mode" character varying NOT NULL, "hash" character varying NOT NULL, "display_prefix" character varying NOT NULL, "last_used_at" timestamptz NULL, "expires_at" timestamptz NULL, "revoked_at" timestamptz NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "api_keys_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "api_keys_hash_key" to table: "api_keys"
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" ("hash");
-- create index "apikey_created_at" to table: "api_keys"
CREATE INDEX "apikey_created_at" ON "api_keys" ("created_at");
-- create index "apikey_updated_at" to table: "api_keys"
CREATE INDEX "apikey_updated_at" ON "api_keys" ("updated_at");
-- create "churn_risk_snapshots" table
CREATE TABLE "churn_risk_snapshots" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "score" bigint NOT NULL, "level" character varying NOT NULL, "breakdown" jsonb NULL, "calculated_at" timestamptz NOT NULL, "day" character varying NOT NULL, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "churn_risk_snapshots_accounts_churn_risk_snapshots" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "churn_risk_snapshots_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "churnrisksnapshot_account_id_day" to table: "churn_risk_snapshots"
CREATE INDEX "churnrisksnapshot_account_id_day" ON "churn_risk_snapshots" ("account_id", "day");
-- create index "churnrisksnapshot_created_at" to table: "churn_risk_snapshots"
CREATE INDEX "churnrisksnapshot_created_at" ON "churn_risk_snapshots" ("created_at");
-- create index "churnrisksnapshot_updated_at" to table: "churn_risk_snapshots"
CREATE INDEX "churnrisksnapshot_updated_at" ON "churn_risk_snapshots" ("updated_at");
-- create "compliance_items" table
CREATE TABLE "compliance_items" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "framework" character varying NOT NULL, "title" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'NOT_STARTED', "due_date" character varying NULL, "completed_at" timestamptz NULL, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, "assignee_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "compliance_items_accounts_compliance_items" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "compliance_items_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "compliance_items_users_assignee" FOREIGN KEY ("assignee_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "complianceitem_created_at" to table: "compliance_items"
CREATE INDEX "complianceitem_created_at" ON "compliance_items" ("created_at");
-- create index "complianceitem_updated_at" to table: "compliance_items"
CREATE INDEX "complianceitem_updated_at" ON "compliance_items" ("updated_at");
-- create "contracts" table
CREATE TABLE "contracts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'DRAFT', "start_date" character varying NULL, "end_date" character varying NULL, "renewal_date" character varying NULL, "auto_renew" boolean NOT NULL DEFAULT false, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "contracts_accounts_contracts" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "contracts_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "contract_created_at" to table: "contracts"
CREATE INDEX "contract_created_at" ON "contracts" ("created_at");
-- create index "contract_updated_at" to table: "contracts"
CREATE INDEX "contract_updated_at" ON "contracts" ("updated_at");
-- create "deals" table
CREATE TABLE "deals" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "stage" character varying NULL, "type" character varying NOT NULL DEFAULT 'NEW_LOGO', "estimated_mrr" bigint NULL, "probability" bigint NULL, "expected_close_date" character varying NULL, "closed_at" timestamptz NULL, "loss_reason" character varying NULL, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, "owner_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "deals_accounts_deals" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "deals_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "deals_users_owner" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "deal_created_at" to table: "deals"
CREATE INDEX "deal_created_at" ON "deals" ("created_at");
-- create index "deal_org_id_created_at" to table: "deals"
CREATE INDEX "deal_org_id_created_at" ON "deals" ("org_id", "created_at");
-- create index "deal_org_id_stage" to table: "deals"
CREATE INDEX "deal_org_id_stage" ON "deals" ("org_id", "stage");
-- create index "deal_updated_at" to table: "deals"
CREATE INDEX "deal_updated_at" ON "deals" ("updated_at");
-- create "deal_contacts" table
CREATE TABLE "deal_contacts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "role" character varying NULL, "is_primary" boolean NOT NULL DEFAULT false, "org_id" character varying NOT NULL, "deal_id" character varying NOT NULL, "contact_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "deal_contacts_contacts_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "deal_contacts_deals_deal" FOREIGN KEY ("deal_id") REFERENCES "deals" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "deal_contacts_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "dealcontact_contact_id" to table: "deal_contacts"
CREATE INDEX "dealcontact_contact_id" ON "deal_contacts" ("contact_id");
-- create index "dealcontact_created_at" to table: "deal_contacts"
CREATE INDEX "dealcontact_created_at" ON "deal_contacts" ("created_at");
-- create index "dealcontact_deal_id_contact_id" to table: "deal_contacts"
CREATE UNIQUE INDEX "dealcontact_deal_id_contact_id" ON "deal_contacts" ("deal_id", "contact_id");
-- create index "dealcontact_updated_at" to table: "deal_contacts"
CREATE INDEX "dealcontact_updated_at" ON "deal_contacts" ("updated_at");
-- create "sites" table
CREATE TABLE "sites" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "address_line1" character varying NULL, "address_line2" character varying NULL, "city" character varying NULL, "region" character varying NULL, "postal_code" character varying NULL, "country" character varying NULL, "is_primary" boolean NOT NULL DEFAULT false, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "sites_accounts_sites" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "sites_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "site_created_at" to table: "sites"
CREATE INDEX "site_created_at" ON "sites" ("created_at");
-- create index "site_updated_at" to table: "sites"
CREATE INDEX "site_updated_at" ON "sites" ("updated_at");
-- create "devices" table
CREATE TABLE "devices" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "rmm_agent_id" character varying NULL, "hostname" character varying NOT NULL, "os" character varying NULL, "device_type" character varying NULL, "serial_number" character varying NULL, "is_online" boolean NOT NULL DEFAULT false, "last_seen_at" timestamptz NULL, "patch_compliant" boolean NULL, "is_end_of_life" boolean NOT NULL DEFAULT false, "warranty_expires_at" timestamptz NULL, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, "site_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "devices_accounts_devices" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "devices_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "devices_sites_devices" FOREIGN KEY ("site_id") REFERENCES "sites" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "device_account_id" to table: "devices"
CREATE INDEX "device_account_id" ON "devices" ("account_id");
-- create index "device_created_at" to table: "devices"
CREATE INDEX "device_created_at" ON "devices" ("created_at");
-- create index "device_org_id_rmm_agent_id" to table: "devices"
CREATE UNIQUE INDEX "device_org_id_rmm_agent_id" ON "devices" ("org_id", "rmm_agent_id");
-- create index "device_org_id_updated_at" to table: "devices"
CREATE INDEX "device_org_id_updated_at" ON "devices" ("org_id", "updated_at");
-- create index "device_updated_at" to table: "devices"
CREATE INDEX "device_updated_at" ON "devices" ("updated_at");
-- create "health_signals" table
CREATE TABLE "health_signals" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "key" character varying NOT NULL, "raw_value" double precision NULL, "sub_score" bigint NULL, "details" jsonb NULL, "source" character varying NULL, "observed_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "account_id" character varying NOT NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "health_signals_accounts_health_signals" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "health_signals_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "healthsignal_account_id_key_observed_at" to table: "health_signals"
CREATE INDEX "healthsignal_account_id_key_observed_at" ON "health_signals" ("account_id", "key", "observed_at");
-- create index "healthsignal_created_at" to table: "health_signals"
CREATE INDEX "healthsignal_created_at" ON "health_signals" ("created_at");
-- create index "healthsignal_updated_at" to table: "health_signals"
CREATE INDEX "healthsignal_updated_at" ON "health_signals" ("updated_at");
-- create "leads" table
CREATE TABLE "leads" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "company_name" character varying NOT NULL, "contact_name" character varying NULL, "email" character varying NULL, "phone" character varying NULL, "industry" character varying NULL, "employee_count" bigint NULL, "it_staff_count" bigint NULL, "source" character varying NOT NULL DEFAULT 'OTHER', "status" character varying NOT NULL DEFAULT 'NEW', "icp_score" bigint NOT NULL DEFAULT 0, "icp_breakdown" jsonb NULL, "converted_account_id" character varying NULL, "org_id" character varying NOT NULL, "owner_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "leads_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "leads_users_owner" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "lead_created_at" to table: "leads"
CREATE INDEX "lead_created_at" ON "leads" ("created_at");
-- create index "lead_updated_at" to table: "leads"
CREATE INDEX "lead_updated_at" ON "leads" ("updated_at");
-- create "notes" table
CREATE TABLE "notes" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "body" character varying NOT NULL, "object_type" character varying NOT NULL, "object_id" character varying NOT NULL, "org_id" character varying NOT NULL, "author_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "notes_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "notes_users_author" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "note_created_at" to table: "notes"
CREATE INDEX "note_created_at" ON "notes" ("created_at");
-- create index "note_org_id_object_type_object_id" to table: "notes"
CREATE INDEX "note_org_id_object_type_object_id" ON "notes" ("org_id", "object_type", "object_id");
-- create index "note_updated_at" to table: "notes"
CREATE INDEX "note_updated_at" ON "notes" ("updated_at");
-- create "pipeline_stages" table
CREATE TABLE "pipeline_stages" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "key" character varying NOT NULL, "name" character varying NOT NULL, "position" bigint NOT NULL, "probability" bigint NOT NULL, "is_won" boolean NOT NULL DEFAULT false, "is_lost" boolean NOT NULL DEFAULT false, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "pipeline_stages_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "pipelinestage_created_at" to table: "pipeline_stages"
CREATE INDEX "pipelinestage_created_at" ON "pipeline_stages" ("created_at");
-- create index "pipelinestage_org_id_key" to table: "pipeline_stages"
CREATE UNIQUE INDEX "pipelinestage_org_id_key" ON "pipeline_stages" ("org_id", "key");
-- create index "pipelinestage_updated_at" to table: "pipeline_stages"
CREATE INDEX "pipelinestage_updated_at" ON "pipeline_stages" ("updated_at");
-- create "service_lines" table
CREATE TABLE "service_lines" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "service_name" character varying NOT NULL, "category" character varying NOT NULL DEFAULT 'MANAGED_SERVICES', "quantity" bigint NOT NULL DEFAULT 1, "unit_price" bigint NOT NULL, "billing_frequency" character varying NOT NULL DEFAULT 'MONTHLY', "contract_id" character varying NOT NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "service_lines_contracts_service_lines" FOREIGN KEY ("contract_id") REFERENCES "contracts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "service_lines_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "serviceline_created_at" to table: "service_lines"
CREATE INDEX "serviceline_created_at" ON "service_lines" ("created_at");
-- create index "serviceline_updated_at" to table: "service_lines"
CREATE INDEX "serviceline_updated_at" ON "service_lines" ("updated_at");
-- create "tasks" table
CREATE TABLE "tasks" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "title" character varying NOT NULL, "description" character varying NULL, "status" character varying NOT NULL DEFAULT 'OPEN', "priority" character varying NOT NULL DEFAULT 'MEDIUM', "due_date" character varying NULL, "completed_at" timestamptz NULL, "account_id" character varying NULL, "deal_id" character varying NULL, "org_id" character varying NOT NULL, "assignee_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "tasks_accounts_tasks" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "tasks_deals_tasks" FOREIGN KEY ("deal_id") REFERENCES "deals" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "tasks_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "tasks_users_assignee" FOREIGN KEY ("assignee_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- create index "task_created_at" to table: "tasks"
CREATE INDEX "task_created_at" ON "tasks" ("created_at");
-- create index "task_org_id_status" to table: "tasks"
CREATE INDEX "task_org_id_status" ON "tasks" ("org_id", "status");
-- create index "task_org_id_updated_at" to table: "tasks"
CREATE INDEX "task_org_id_updated_at" ON "tasks" ("org_id", "updated_at");
-- create index "task_updated_at" to table: "tasks"
CREATE INDEX "task_updated_at" ON "tasks" ("updated_at");
-- create "touchpoints" table
CREATE TABLE "touchpoints" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "type" character varying NOT NULL, "direction" character varying NULL, "subject" character varying NULL, "notes" character varying NULL, "outcome" character varying NULL, "occurred_at" timestamptz NOT NULL, "source" character varying NULL, "account_id" character varying NOT NULL, "contact_id" character varying NULL, "org_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "touchpoints_accounts_touchpoints" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "touchpoints_contacts_touchpoints" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "touchpoints_orgs_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- create index "touchpoint_account_id_occurred_at" to table: "touchpoints"
CREATE INDEX "touchpoint_account_id_occurred_at" ON "touchpoints" ("account_id", "occurred_at");
-- create index "touchpoint_created_at" to table: "touchpoints"
CREATE INDEX "touchpoint_created_at" ON "touchpoints" ("created_at");
-- create index "touchpoint_updated_at" to table: "touchpoints"
CREATE INDEX "touchpoint_updated_at" ON "touchpoints" ("updated_at");
