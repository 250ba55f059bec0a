"""AWS data sources (root and linked accounts) with boto3; imported only through the adapter registry."""
