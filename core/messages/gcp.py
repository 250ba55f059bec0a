"""Messages for Google Cloud data sources: the service-account key, the billing export, permissions."""

MESSAGES: dict[str, str] = {
    "gcp_key_not_json": (
        "The service account key is not JSON. Paste the whole content of the .json file downloaded from Service "
        "accounts → the account → Keys → Add key → Create new key → JSON."),
    "gcp_key_incomplete": (
        "The service account key lacks {missing}. Paste the whole JSON key file of a service account (not an API "
        "key or an OAuth client)."),
    "gcp_key_refused": (
        "Google refused the service account key ({reason}). The key may be deleted or disabled: create a new key for "
        "the service account and paste it."),
    "gcp_dataset_not_found": (
        "Project {project} has no BigQuery dataset \"{dataset}\" that the service account can see. Check the billing "
        "export's dataset name (and project)."),
    "gcp_table_not_found": (
        "Dataset {project}.{dataset} has no table \"{table}\". Check the billing export's table name: "
        "gcp_billing_export_v1_… or gcp_billing_export_resource_v1_…."),
    "gcp_table_not_billing_export": (
        "Table {table} is not a Cloud Billing export (it has no {column} column). Pick the table the billing "
        "export writes to."),
    "gcp_jobs_create_missing": (
        "The service account {account} may not run BigQuery queries in project {project} (bigquery.jobs.create). "
        "Add that permission to its role."),
    "gcp_dataset_access_missing": (
        "The service account {account} may not read {table} ({permission}). Give its role bigquery.tables.getData "
        "on the billing dataset."),
    "gcp_permission_missing": "The service account {account} lacks the permission {permission} ({reason}).",
    "gcp_currency_mismatch": (
        "The billing export {table} is in {currency}, but the organization's currency is {expected}. Nothing was "
        "imported; connect an export in {expected} or change the organization's currency."),
    "gcp_billing_no_rows": (
        "The billing export {table} has no rows for {start} to {end} yet. A new export fills within a few hours "
        "(and only from the day it was turned on); import again later."),
}
