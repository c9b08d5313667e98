/** Dashboard enums of the public API, in a module without zod so the package's declarations never load zod's. */

/** How the dashboard reaches Grafana. */
export enum DashboardDelivery {
    /** A Folder and the Dashboard through the Grafana provider. */
    GrafanaApi = "grafana-api",
    /** A ConfigMap for Grafana's dashboard sidecar. */
    ConfigMap = "configmap",
}
