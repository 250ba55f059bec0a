"""Azure data sources (one subscription, or every subscription of a tenant) with the async azure-mgmt clients;
imported only through the adapter registry."""
