-- reverse: create index "touchpoint_updated_at" to table: "touchpoints"
DROP INDEX "touchpoint_updated_at";
-- reverse: create index "touchpoint_created_at" to table: "touchpoints"
DROP INDEX "touchpoint_created_at";
-- reverse: create index "touchpoint_account_id_occurred_at" to table: "touchpoints"
DROP INDEX "touchpoint_account_id_occurred_at";
-- reverse: create "touchpoints" table
DROP TABLE "touchpoints";
-- reverse: create index "task_updated_at" to table: "tasks"
DROP INDEX "task_updated_at";
-- reverse: create index "task_org_id_updated_at" to table: "tasks"
DROP INDEX "task_org_id_updated_at";
-- reverse: create index "task_org_id_status" to table: "tasks"
DROP INDEX "task_org_id_status";
-- reverse: create index "task_created_at" to table: "tasks"
DROP INDEX "task_created_at";
-- reverse: create "tasks" table
DROP TABLE "tasks";
-- reverse: create index "serviceline_updated_at" to table: "service_lines"
DROP INDEX "serviceline_updated_at";
-- reverse: create index "serviceline_created_at" to table: "service_lines"
DROP INDEX "serviceline_created_at";
-- reverse: create "service_lines" table
DROP TABLE "service_lines";
-- reverse: create index "pipelinestage_updated_at" to table: "pipeline_stages"
DROP INDEX "pipelinestage_updated_at";
-- reverse: create index "pipelinestage_org_id_key" to table: "pipeline_stages"
DROP INDEX "pipelinestage_org_id_key";
-- reverse: create index "pipelinestage_created_at" to table: "pipeline_stages"
DROP INDEX "pipelinestage_created_at";
-- reverse: create "pipeline_stages" table
DROP TABLE "pipeline_stages";
-- reverse: create index "note_updated_at" to table: "notes"
DROP INDEX "note_updated_at";
-- reverse: create index "note_org_id_object_type_object_id" to table: "notes"
DROP INDEX "note_org_id_object_type_object_id";
-- reverse: create index "note_created_at" to table: "notes"
DROP INDEX "note_created_at";
-- reverse: create "notes" table
DROP TABLE "notes";
-- reverse: create index "lead_updated_at" to table: "leads"
DROP INDEX "lead_updated_at";
-- reverse: create index "lead_created_at" to table: "leads"
DROP INDEX "lead_created_at";
-- reverse: create "leads" table
DROP TABLE "leads";
-- reverse: create index "healthsignal_updated_at" to table: "health_signals"
DROP INDEX "healthsignal_updated_at";
-- reverse: create index "healthsignal_created_at" to table: "health_signals"
DROP INDEX "healthsignal_created_at";
-- reverse: create index "healthsignal_account_id_key_observed_at" to table: "health_signals"
DROP INDEX "healthsignal_account_id_key_observed_at";
-- reverse: create "health_signals" table
DROP TABLE "health_signals";
-- reverse: create index "device_updated_at" to table: "devices"
DROP INDEX "device_updated_at";
-- reverse: create index "device_org_id_updated_at" to table: "devices"
DROP INDEX "device_org_id_updated_at";
-- reverse: create index "device_org_id_rmm_agent_id" to table: "devices"
DROP INDEX "device_org_id_rmm_agent_id";
-- reverse: create index "device_created_at" to table: "devices"
DROP INDEX "device_created_at";
-- reverse: create index "device_account_id" to table: "devices"
DROP INDEX "device_account_id";
-- reverse: create "devices" table
DROP TABLE "devices";
-- reverse: create index "site_updated_at" to table: "sites"
DROP INDEX "site_updated_at";
-- reverse: create index "site_created_at" to table: "sites"
DROP INDEX "site_created_at";
-- reverse: create "sites" table
DROP TABLE "sites";
-- reverse: create index "dealcontact_updated_at" to table: "deal_contacts"
DROP INDEX "dealcontact_updated_at";
-- reverse: create index "dealcontact_deal_id_contact_id" to table: "deal_contacts"
DROP INDEX "dealcontact_deal_id_contact_id";
-- reverse: create index "dealcontact_created_at" to table: "deal_contacts"
DROP INDEX "dealcontact_created_at";
-- reverse: create index "dealcontact_contact_id" to table: "deal_contacts"
DROP INDEX "dealcontact_contact_id";
-- reverse: create "deal_contacts" table
DROP TABLE "deal_contacts";
-- reverse: create index "deal_updated_at" to table: "deals"
DROP INDEX "deal_updated_at";
-- reverse: create index "deal_org_id_stage" to table: "deals"
DROP INDEX "deal_org_id_stage";
-- reverse: create index "deal_org_id_created_at" to table: "deals"
DROP INDEX "deal_org_id_created_at";
-- reverse: create index "deal_created_at" to table: "deals"
DROP INDEX "deal_created_at";
-- reverse: create "deals" table
DROP TABLE "deals";
-- reverse: create index "contract_updated_at" to table: "contracts"
DROP INDEX "contract_updated_at";
-- reverse: create index "contract_created_at" to table: "contracts"
DROP INDEX "contract_created_at";
-- reverse: create "contracts" table
DROP TABLE "contracts";
-- reverse: create index "complianceitem_updated_at" to table: "compliance_items"
DROP INDEX "complianceitem_updated_at";
-- reverse: create index "complianceitem_created_at" to table: "compliance_items"
DROP INDEX "complianceitem_created_at";
-- reverse: create "compliance_items" table
DROP TABLE "compliance_items";
-- reverse: create index "churnrisksnapshot_updated_at" to table: "churn_risk_snapshots"
DROP INDEX "churnrisksnapshot_updated_at";
-- reverse: create index "churnrisksnapshot_created_at" to table: "churn_risk_snapshots"
DROP INDEX "churnrisksnapshot_created_at";
-- reverse: create index "churnrisksnapshot_account_id_day" to table: "churn_risk_snapshots"
DROP INDEX "churnrisksnapshot_account_id_day";
-- reverse: create "churn_risk_snapshots" table
DROP TABLE "churn_risk_snapshots";
-- reverse: create index "apikey_updated_at" to table: "api_keys"
DROP INDEX "apikey_updated_at";
-- reverse: create index "apikey_created_at" to table: "api_keys"
DROP INDEX "apikey_created_at";
-- reverse: create index "api_keys_hash_key" to table: "api_keys"
DROP INDEX "api_keys_hash_key";
-- reverse: create "api_keys" table
DROP TABLE "api_keys";
-- reverse: create index "accountcontact_updated_at" to table: "account_contacts"
DROP INDEX "accountcontact_updated_at";
-- reverse: create index "accountcontact_created_at" to table: "account_contacts"
DROP INDEX "accountcontact_created_at";
-- reverse: create index "accountcontact_contact_id" to table: "account_contacts"
DROP INDEX "accountcontact_contact_id";
-- reverse: create index "accountcontact_account_id_contact_id" to table: "account_contacts"
DROP INDEX "accountcontact_account_id_contact_id";
-- reverse: create "account_contacts" table
DROP TABLE "account_contacts";
-- reverse: create index "contact_updated_at" to table: "contacts"
DROP INDEX "contact_updated_at";
-- reverse: create index "contact_org_id_email_key" to table: "contacts"
DROP INDEX "contact_org_id_email_key";
-- reverse: create index "contact_org_id_created_at" to table: "contacts"
DROP INDEX "contact_org_id_created_at";
-- reverse: create index "contact_created_at" to table: "contacts"
DROP INDEX "contact_created_at";
-- reverse: create "contacts" table
DROP TABLE "contacts";
-- reverse: create index "account_updated_at" to table: "accounts"
DROP INDEX "account_updated_at";
-- reverse: create index "account_org_id_updated_at" to table: "accounts"
DROP INDEX "account_org_id_updated_at";
-- reverse: create index "account_org_id_lifecycle_status" to table: "accounts"
DROP INDEX "account_org_id_lifecycle_status";
-- reverse: create index "account_org_id_external_id" to table: "accounts"
DROP INDEX "account_org_id_external_id";
-- reverse: create index "account_org_id_created_at" to table: "accounts"
DROP INDEX "account_org_id_created_at";
-- reverse: create index "account_created_at" to table: "accounts"
DROP INDEX "account_created_at";
-- reverse: create "accounts" table
DROP TABLE "accounts";
-- reverse: create index "user_updated_at" to table: "users"
DROP INDEX "user_updated_at";
-- reverse: create index "user_org_id_email" to table: "users"
DROP INDEX "user_org_id_email";
-- reverse: create index "user_created_at" to table: "users"
DROP INDEX "user_created_at";
-- reverse: create "users" table
DROP TABLE "users";
-- reverse: create index "org_updated_at" to table: "orgs"
DROP INDEX "org_updated_at";
-- reverse: create index "org_created_at" to table: "orgs"
DROP INDEX "org_created_at";
-- reverse: create "orgs" table
DROP TABLE "orgs";
