"""Messages for Azure data sources: signing in, roles, subscriptions."""

MESSAGES: dict[str, str] = {
    "azure_secret_invalid": (
        "Azure refused the secret of application {client_id} ({reason}). Create a new client secret (App "
        "registrations → the application → Certificates & secrets → + New client secret) and paste its value."),
    "azure_tenant_not_found": (
        "Azure has no directory (tenant) {tenant_id}. Copy the Directory (tenant) ID from Home → App registrations "
        "→ the application → Overview."),
    "azure_client_not_found": (
        "No application {client_id} is registered in directory {tenant_id}. Copy the Application (client) ID from "
        "App registrations → the application → Overview."),
    "azure_sign_in_failed": "Azure refused to sign in application {client_id} ({reason}).",
    "azure_subscription_not_found": (
        "Azure has no subscription {subscription_id} that application {client_id} can see. Copy the Subscription "
        "ID from Azure Portal → Subscriptions."),
    "azure_reader_role_missing": (
        "Application {client_id} may not read subscription {subscription_id} ({action} was refused). Give it the "
        "Reader role: Subscriptions → the subscription → Access control (IAM) → + Add role assignment → Reader."),
    "azure_no_subscriptions": (
        "Application {client_id} can read no subscription in directory {tenant_id}. Give it the Reader role on "
        "each subscription to import (Subscriptions → the subscription → Access control (IAM))."),
    "azure_permission_missing": (
        "Application {client_id} may not {action} on {scope}. Give it a role that allows it (e.g. Virtual Machine "
        "Contributor for start and deallocate)."),
    "azure_resource_not_found": "Azure has no such resource ({reason}).",
}
