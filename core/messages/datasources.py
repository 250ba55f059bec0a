"""Messages for data sources: connecting, testing, cloud errors and billing imports."""

MESSAGES: dict[str, str] = {
    "datasource_field_missing": "{field} is required.",
    "datasource_field_invalid": "{field}: \"{value}\" is not valid; check it against the cloud console.",
    "datasource_field_unknown": "\"{field}\" is not a field of this data source; the fields are: {fields}.",
    "data_source_name_exists": "A data source named \"{name}\" already exists in this organization; pick another name.",
    "data_source_account_exists": "Account {account} is already connected as data source \"{name}\".",
    "data_source_account_changed": (
        "These credentials belong to account {new}, but this data source is account {old}. "
        "Connect the other account as a new data source instead."),
    "cloud_credentials_invalid": "{cloud} refused the credentials ({reason}). Check the access key and the secret.",
    "cloud_permission_missing": (
        "The {cloud} credentials lack the permission {permission}. Add it to the user's policy and try again."),
    "cloud_bucket_not_found": "No S3 bucket named \"{bucket}\" exists. Check the export's bucket name.",
    "cloud_report_not_found": (
        "No billing export found in bucket \"{bucket}\" for {start} to {end} (looked for {path}). "
        "Check the export name, type and path prefix; a new export can take up to 24 hours to appear."),
    "cloud_unavailable": "{cloud} did not answer ({reason}). Nothing was changed; it will be tried again later.",
    "cloud_request_refused": "{cloud} refused {action} ({reason}).",
    "billing_not_available": (
        "A {kind} data source has no billing of its own: its costs arrive through the root account's export."),
    "billing_file_unreadable": "The billing file {file} cannot be read ({reason}). Nothing was imported.",
    "billing_column_missing": "The billing file {file} has no column {column}. Nothing was imported.",
    "billing_manifest_unreadable": "The billing manifest {file} is not valid JSON with a list of files.",
    "billing_file_listed_but_missing": "The manifest {manifest} lists {file}, which is not in the bucket.",
    "operator_not_member": "{email} is not a member of organization \"{organization}\".",
    "data_source_named_not_found": "No data source named \"{name}\".",
    "data_source_name_ambiguous": (
        "Several organizations have a data source named \"{name}\" ({organizations}); name the organization too."),
    "config_file_unreadable": "Cannot use the config file {file}: {reason}.",
    "import_range_invalid": "The import must start on or before {end}, got {start}.",
    "import_sample_data": "\"{name}\" holds sample data from `cloudtuner demo`; no cloud is behind it to import from.",
}
