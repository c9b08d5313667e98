import * as pulumi from "@pulumi/pulumi";
import { AddressPools, MetalLb, MetalLbDashboard, MetalLbMonitoring, MonitoringStack, SmokeTest } from "./components";
import { alertSettings } from "./lib/config/alerts";
import { loadStackConfig } from "./lib/config/runtime";
import { dashboardFeatures } from "./lib/dashboard/panels";
import { bgpAdvertisedPools } from "./lib/metallb/selection";

// Read and validate the whole stack config before anything is declared.
const { metallb: lb, monitoring: mon, alerts, dashboard } = loadStackConfig();
const secret = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));

const metallb = new MetalLb("metallb", {
    namespace: lb.namespace,
    releaseName: lb.releaseName,
    chartVersion: lb.chartVersion,
    chartRepository: lb.chartRepository,
    bgpBackend: lb.bgpBackend,
});

const addressPools = new AddressPools("address-pools", {
    namespace: lb.namespace,
    waitFor: metallb.ready,
    pools: lb.pools,
    l2Advertisements: lb.l2Advertisements,
    bgp: lb.bgp,
    bgpBackend: lb.bgpBackend,
    bgpPasswords: Object.fromEntries(Object.entries(lb.bgpPasswords).map(([peer, pw]) => [peer, pulumi.secret(pw)])),
});

const stack = mon.install
    ? new MonitoringStack("monitoring", {
          namespace: mon.namespace,
          releaseName: mon.releaseName,
          chartVersion: mon.chartVersion,
          chartRepository: mon.chartRepository,
          prometheus: mon.prometheus,
          alertmanager: mon.alertmanager,
          grafana: {
              resources: mon.grafana.resources,
              persistence: mon.grafana.persistence,
              adminPassword: secret(mon.grafanaAdminPassword),
              serviceType: mon.grafana.service.type,
              pool: mon.grafana.service.pool,
              address: mon.grafana.service.address,
              url: mon.grafana.url,
          },
          receivers: {
              pagerdutyRoutingKey: mon.receivers.pagerduty ? secret(mon.pagerdutyRoutingKey) : undefined,
              slack: mon.receivers.slack ? { channel: mon.receivers.slack.channel, webhookUrl: secret(mon.slackWebhookUrl)! } : undefined,
          },
          // Grafana's LoadBalancer Service takes its address from a MetalLB pool.
          waitFor: [addressPools],
      })
    : undefined;

// What the MetalLB monitoring plugs into: the stack installed above, or one installed elsewhere.
const existing = mon.existing;
const selectorLabels = stack ? stack.selectorLabels : pulumi.output(existing!.selectorLabels);
const prometheusServiceAccount = stack ? stack.prometheusServiceAccount : pulumi.output(existing!.prometheusServiceAccount);

const metallbMonitoring = new MetalLbMonitoring("metallb-monitoring", {
    namespace: lb.namespace,
    releaseName: lb.releaseName,
    bgpBackend: lb.bgpBackend,
    controllerSelector: metallb.controllerSelector,
    speakerSelector: metallb.speakerSelector,
    frrK8sSelector: metallb.frrK8sSelector,
    selectorLabels,
    prometheusServiceAccount,
    tls: mon.metricsTls,
    alerts: alertSettings(alerts),
    bgpPools: bgpAdvertisedPools(lb.bgp.advertisements, lb.pools),
    reservedPools: lb.pools.filter((p) => !p.autoAssign).map((p) => p.name),
    waitFor: [metallb.chart, ...(stack?.ready ?? [])],
});

// The dashboard goes to the stack's Grafana (admin credentials) or to the existing one.
const grafanaUrlForApi = stack ? stack.grafanaUrl.apply((u) => u ?? "") : pulumi.output(existing?.grafanaUrl ?? "");
const grafanaAuth = stack ? pulumi.interpolate`${stack.grafanaAdminUser}:${stack.grafanaAdminPassword}` : secret(mon.grafanaAuth);
const metallbDashboard =
    dashboard.delivery === "none"
        ? undefined
        : new MetalLbDashboard("metallb-dashboard", {
              metallbNamespace: lb.namespace,
              features: dashboardFeatures(lb),
              warningPercent: alerts.poolUsageWarningPercent,
              criticalPercent: alerts.poolUsageCriticalPercent,
              delivery: dashboard.delivery,
              grafana: dashboard.delivery === "grafana-api" ? { url: grafanaUrlForApi, auth: grafanaAuth!, folder: dashboard.folder } : undefined,
              configMapNamespace: mon.namespace,
              waitFor: stack?.ready,
          });

const smokeTest = lb.smokeTest.enabled
    ? new SmokeTest("smoke-test", { pool: lb.smokeTest.pool, address: lb.smokeTest.address, waitFor: [addressPools] })
    : undefined;

export const metallbNamespace = metallb.namespace;
export const metallbRelease = metallb.releaseName;
export const bgpBackend = metallb.bgpBackend;
export const addressPoolNames = addressPools.poolNames;
export const alertNames = metallbMonitoring.alertNames;
export const monitoringSelectorLabels = selectorLabels;
export const prometheusUrl = stack ? stack.prometheusUrl : existing!.prometheusUrl;
export const alertmanagerUrl = stack ? stack.alertmanagerUrl : existing!.alertmanagerUrl;
export const grafanaUrl = stack ? stack.grafanaUrl : existing!.grafanaUrl;
export const grafanaAdminPassword = stack?.grafanaAdminPassword;
export const dashboardUid = metallbDashboard?.uid;
export const dashboardUrl = metallbDashboard?.url;
/** Address MetalLB gave the smoke-test Service (when metallb:smokeTest.enabled). */
export const smokeTestAddress = smokeTest?.address;
