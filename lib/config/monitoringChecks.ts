import { Problem } from "./problems";
import { arr, checkPoolAddress, checkPoolRef, isObj, names, notDefined, Obj, str } from "./raw";

/**
 * Checks across the `monitoring:`, `alerts:` and `dashboard:` namespaces (and the pools they
 * refer to). Like checks.ts they read raw values defensively and never print a secret value.
 */
export interface CrossSections {
    readonly monitoring: Obj;
    readonly alerts: Obj;
    readonly dashboard: Obj;
    readonly pools: unknown;
}

export function checkMonitoring(s: CrossSections): Problem[] {
    const out: Problem[] = [];
    const m = s.monitoring;
    const install = m.install !== false;
    const delivery = str(s.dashboard.delivery) ?? "grafana-api";
    const pools = names(s.pools);

    if (!install && m.existing === undefined) {
        out.push({
            path: "monitoring:existing",
            message: "is required when monitoring:install is false: give the selectorLabels, prometheusServiceAccount and prometheusUrl of the kube-prometheus-stack you run",
        });
    }
    if (install && m.existing !== undefined) {
        out.push({ path: "monitoring:existing", message: "is only used with monitoring:install: false; remove it or set install to false" });
    }

    const receivers = isObj(m.receivers) ? m.receivers : {};
    const pagerduty = isObj(receivers.pagerduty) && receivers.pagerduty.enabled !== false;
    if (pagerduty && m.pagerdutyRoutingKey === undefined) {
        out.push({ path: "monitoring:pagerdutyRoutingKey", message: "is required for the PagerDuty receiver: pulumi config set --secret monitoring:pagerdutyRoutingKey <routing key>" });
    }
    if (!pagerduty && m.pagerdutyRoutingKey !== undefined) {
        out.push({ path: "monitoring:pagerdutyRoutingKey", message: "is set but monitoring:receivers.pagerduty is not; add `pagerduty: {}` to monitoring:receivers" });
    }
    if (receivers.slack !== undefined && m.slackWebhookUrl === undefined) {
        out.push({ path: "monitoring:slackWebhookUrl", message: "is required for the Slack receiver: pulumi config set --secret monitoring:slackWebhookUrl <webhook URL>" });
    }
    if (receivers.slack === undefined && m.slackWebhookUrl !== undefined) {
        out.push({ path: "monitoring:slackWebhookUrl", message: "is set but monitoring:receivers.slack is not; add `slack: {channel: \"#alerts\"}` to monitoring:receivers" });
    }

    const grafana = isObj(m.grafana) ? m.grafana : {};
    const service = isObj(grafana.service) ? grafana.service : {};
    const lb = (str(service.type) ?? "LoadBalancer") === "LoadBalancer";
    const pool = str(service.pool);
    const address = str(service.address);
    if (install) {
        out.push(...checkPoolRef("monitoring:grafana.service.pool", pool, s.pools));
        out.push(...checkPoolAddress("monitoring:grafana.service.address", address, s.pools, pool));
    }
    if (install && delivery === "grafana-api" && grafana.url === undefined && !(lb && address !== undefined)) {
        out.push({
            path: "monitoring:grafana",
            message: "the dashboard is pushed through Grafana's API, so `pulumi up` must reach Grafana: set service.address (a fixed LoadBalancer address from a MetalLB pool) or url (an ingress or port-forward), or set dashboard:delivery to configmap",
        });
    }
    if (!install && delivery === "grafana-api") {
        const existing = isObj(m.existing) ? m.existing : {};
        if (existing.grafanaUrl === undefined) {
            out.push({ path: "monitoring:existing.grafanaUrl", message: "is required to push the dashboard through Grafana's API (or set dashboard:delivery to configmap)" });
        }
        if (m.grafanaAuth === undefined) {
            out.push({ path: "monitoring:grafanaAuth", message: "is required to push the dashboard to an existing Grafana: pulumi config set --secret monitoring:grafanaAuth <user:password or token>" });
        }
    }

    const warn = s.alerts.poolUsageWarningPercent;
    const crit = s.alerts.poolUsageCriticalPercent;
    const w = typeof warn === "number" ? warn : 80;
    const c = typeof crit === "number" ? crit : 95;
    if (w >= c) {
        out.push({ path: "alerts:poolUsageWarningPercent", message: `(${w}) must be below alerts:poolUsageCriticalPercent (${c})` });
    }
    arr(s.alerts.excludePools).forEach((p, i) => {
        if (typeof p === "string" && !pools.includes(p)) {
            out.push({ path: `alerts:excludePools[${i}]`, message: notDefined("pool", p, "metallb:pools", pools) });
        }
    });
    return out;
}
