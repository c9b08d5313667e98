import * as pulumi from "@pulumi/pulumi";
import { AddressPools, DashboardDelivery, MetalLb, MetalLbDashboard, MetalLbMonitoring, MonitoringStack } from "./components";
import { SmokeTest } from "./components/smoke-test";
import { addressPoolsArgs, alertSettingsArgs, bgpPoolsOf, dashboardFeaturesOf, metalLbArgs, monitoringStackArgs } from "./lib/config/args";
import { keepSecrets } from "./lib/config/keepSecrets";
import { loadStackConfig } from "./lib/config/runtime";

// Read and validate the whole stack config before anything is declared.
const config = loadStackConfig();
const { metallb: lb, monitoring: mon, alerts, dashboard } = config;
for (const w of config.warnings) {
    pulumi.log.warn(`${w.path}: ${w.message}`);
}
// Secrets in settings outside the designated secret keys (e.g. an encrypted Grafana URL) reach every
// resource input and stack output as secrets: `keep.opts` goes to every top-level component.
const keep = keepSecrets(config.secretValues);

const metallb = new MetalLb("metallb", metalLbArgs(config), keep.opts);
const addressPools = new AddressPools("address-pools", addressPoolsArgs(config, metallb.namespace), { ...keep.opts, dependsOn: [metallb] });

/** What the MetalLB monitoring and the dashboard plug into: the stack installed here, or one installed elsewhere. */
function monitoringTarget() {
    if (mon.install) {
        // Grafana's LoadBalancer Service (when asked for) takes its address from a MetalLB pool.
        const stack = new MonitoringStack("monitoring", monitoringStackArgs(mon, alerts), { ...keep.opts, dependsOn: [addressPools] });
        return {
            stack,
            selectorLabels: stack.selectorLabels,
            prometheusServiceAccount: stack.prometheusServiceAccount,
            prometheusUrl: stack.prometheusUrl,
            alertmanagerUrl: stack.alertmanagerUrl,
            grafanaUrl: stack.grafanaUrl,
            // The installed Grafana gets the dashboard from a ConfigMap; never its admin login.
            grafanaAuth: undefined,
            grafanaAdminPassword: stack.grafanaAdminPassword,
        };
    }
    const existing = mon.existing;
    return {
        stack: undefined,
        selectorLabels: existing.selectorLabels,
        prometheusServiceAccount: existing.prometheusServiceAccount,
        prometheusUrl: pulumi.output(existing.prometheusUrl),
        alertmanagerUrl: existing.alertmanagerUrl === undefined ? undefined : pulumi.output(existing.alertmanagerUrl),
        grafanaUrl: existing.grafanaUrl,
        grafanaAuth: mon.grafanaAuth,
        grafanaAdminPassword: undefined,
    };
}
const target = monitoringTarget();
const waitForStack = target.stack ? [target.stack] : [];

/** Pools with autoAssign false are reserved by design (e.g. Grafana's one address): full is not exhausted. */
const reservedPools = lb.pools.filter((p) => !p.autoAssign).map((p) => p.name);

const metallbMonitoring = new MetalLbMonitoring(
    "metallb-monitoring",
    {
        namespace: metallb.namespace,
        releaseName: metallb.releaseName,
        bgpBackend: metallb.bgpBackend,
        controllerSelector: metallb.controllerSelector,
        speakerSelector: metallb.speakerSelector,
        frrK8sSelector: metallb.frrK8sSelector,
        selectorLabels: target.selectorLabels,
        prometheusServiceAccount: target.prometheusServiceAccount,
        tls: mon.metricsTls,
        alerts: alertSettingsArgs(config),
        bgpPools: bgpPoolsOf(config),
        reservedPools,
    },
    { ...keep.opts, dependsOn: [metallb, ...waitForStack] },
);

// The dashboard goes to Grafana's sidecar as a ConfigMap, or (existing Grafana only) through its API
// with a service-account token; the config checks guarantee the URL and the token for the latter.
function deliverDashboard(): MetalLbDashboard | undefined {
    const common = {
        metallbNamespace: metallb.namespace,
        features: dashboardFeaturesOf(config),
        warningPercent: alerts.poolUsageWarningPercent,
        criticalPercent: alerts.poolUsageCriticalPercent,
        uid: dashboard.uid,
        clusterLabel: alerts.clusterLabel,
        runbookBaseUrl: alerts.runbookBaseUrl,
        selectors: { ...alerts.selectors },
        excludePools: [...alerts.excludePools, ...reservedPools],
    };
    if (dashboard.delivery === "configmap") {
        return new MetalLbDashboard(
            "metallb-dashboard",
            { ...common, delivery: DashboardDelivery.ConfigMap, configMapNamespace: mon.namespace },
            { ...keep.opts, dependsOn: waitForStack },
        );
    }
    if (dashboard.delivery === "grafana-api" && target.grafanaUrl !== undefined && target.grafanaAuth !== undefined) {
        return new MetalLbDashboard(
            "metallb-dashboard",
            {
                ...common,
                delivery: DashboardDelivery.GrafanaApi,
                grafana: { url: target.grafanaUrl, auth: target.grafanaAuth, folder: dashboard.folder },
                folderUid: dashboard.folderUid,
            },
            { ...keep.opts, dependsOn: waitForStack },
        );
    }
    return undefined;
}
const metallbDashboard = deliverDashboard();

const smokeTest = lb.smokeTest.enabled
    ? new SmokeTest(
          "smoke-test",
          // The schema requires the source ranges with enabled: the empty list is never reached.
          { pool: lb.smokeTest.pool, address: lb.smokeTest.address, loadBalancerSourceRanges: lb.smokeTest.loadBalancerSourceRanges ?? [] },
          { ...keep.opts, dependsOn: [addressPools] },
      )
    : undefined;

export const metallbNamespace = metallb.namespace;
export const metallbRelease = metallb.releaseName;
export const bgpBackend = metallb.bgpBackend;
export const addressPoolNames = addressPools.poolNames;
export const alertNames = metallbMonitoring.alertNames;
export const monitoringSelectorLabels = keep.output(target.selectorLabels);
export const prometheusUrl = keep.output(target.prometheusUrl);
export const alertmanagerUrl = keep.output(target.alertmanagerUrl);
export const grafanaUrl = keep.output(target.grafanaUrl);
export const grafanaAdminPassword = target.grafanaAdminPassword;
export const dashboardUid = metallbDashboard?.uid;
export const dashboardUrl = keep.output(metallbDashboard?.url);
/** Address MetalLB gave the smoke-test Service (when metallb:smokeTest.enabled). */
export const smokeTestAddress = smokeTest?.address;
