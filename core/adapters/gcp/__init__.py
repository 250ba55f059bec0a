"""Google Cloud data sources (a service-account key and its billing export in BigQuery) with google-cloud-bigquery
and google-api-python-client; imported only through the adapter registry."""
