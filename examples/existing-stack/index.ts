/**
 * A consumer stack: MetalLB and kube-prometheus-stack run already (installed by other stacks or
 * tools); this program only adds the MetalLB monitoring and the dashboard, from this package.
 *
 *   npm install metallb-observability@github:metallb-observability/metallb-observability
 */
import * as pulumi from "@pulumi/pulumi";
import { BgpBackend, DashboardDelivery, MetalLbDashboard, MetalLbMonitoring, ServiceAccountRef } from "metallb-observability";

const config = new pulumi.Config();
const metallbNamespace = config.get("metallbNamespace") ?? "metallb-system";
const bgpBackend = (config.get("bgpBackend") ?? "native") as BgpBackend;
const bgpPools = config.getObject<string[]>("bgpPools") ?? [];

const monitoring = new MetalLbMonitoring("lb-monitoring", {
    namespace: metallbNamespace,
    releaseName: config.get("metallbRelease") ?? "metallb",
    bgpBackend,
    bgpPools,
    // What the existing kube-prometheus-stack selects on and scrapes with.
    selectorLabels: config.requireObject<Record<string, string>>("selectorLabels"),
    prometheusServiceAccount: config.requireObject<ServiceAccountRef>("prometheusServiceAccount"),
    alerts: { poolUsageWarningPercent: 75 },
});

const dashboard = new MetalLbDashboard("lb-dashboard", {
    metallbNamespace,
    features: { l2: config.getBoolean("l2") ?? true, bgp: bgpPools.length > 0, bgpBackend, bfd: config.getBoolean("bfd") ?? false },
    warningPercent: 75,
    // Pushed through Grafana's API with a service-account token, over https.
    delivery: DashboardDelivery.GrafanaApi,
    grafana: { url: config.require("grafanaUrl"), auth: config.requireSecret("grafanaAuth") },
});

export const alertNames = monitoring.alertNames;
export const dashboardUrl = dashboard.url;
