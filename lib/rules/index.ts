import { alertingRules } from "./alerts";
import { ruleContext } from "./context";
import { recordingRules } from "./recording";
import { AlertingRule, AlertSettings, RecordingRule, RuleFile, RuleTarget } from "./types";

export { ALERT_NAMES, AlertName } from "./alerts";
export { alertSettingsSchema, AlertSettingsInput, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "./settings";
export { AlertSettings, RuleFile, RuleTarget } from "./types";

/** The alerts and every record they read, evaluated at the Prometheus' evaluation interval. */
export const RULE_GROUP = "metallb";
/** The records no alert reads: the dashboard's rates and pool figures. */
export const DASHBOARD_RULE_GROUP = "metallb-dashboard";
/**
 * How often the dashboard's records are evaluated. They are 5-minute rates and pool figures a panel
 * draws; once a minute is five points per rate window, and a quarter of the cost of every 15 s.
 * Nothing that pages waits for them. (kubernetes-mixin's rules/kube_apiserver-availability.libsonnet
 * evaluates its group, dashboard rates `code_resource:apiserver_request_total:rate5m` included, every 3m.)
 */
export const DASHBOARD_RULE_INTERVAL = "1m";

/** Where `name` occurs in `expr` as a whole metric name (not part of a longer one such as `name:ratio`). */
function occurrences(expr: string, name: string): number[] {
    const out: number[] = [];
    for (let at = expr.indexOf(name); at >= 0; at = expr.indexOf(name, at + 1)) {
        if (!/[\w:]/.test(expr[at - 1] ?? " ") && !/[\w:]/.test(expr[at + name.length] ?? " ")) {
            out.push(at);
        }
    }
    return out;
}

/** Whether `expr` reads `name` at an earlier time (`name{...}[...] offset ...`): the previous evaluation's result. */
function readsEarlier(expr: string, name: string): boolean {
    return occurrences(expr, name).some((at) => /^(\{[^}]*\})?(\[[^\]]*\])?\s+offset\b/.test(expr.slice(at + name.length)));
}

/**
 * The records the alerts read, directly or through other records, and those that read one of them as
 * the previous evaluation left it (`offset`): that needs the same group, evaluated at the same moments.
 * The others, in their order, are the dashboard's.
 */
function byReader(records: readonly RecordingRule[], alerts: readonly AlertingRule[]): { alerting: RecordingRule[]; dashboard: RecordingRule[] } {
    const needed = new Set<string>();
    const pending = alerts.map((a) => a.expr);
    const need = (r: RecordingRule) => {
        needed.add(r.record);
        pending.push(r.expr);
    };
    do {
        for (let expr = pending.pop(); expr !== undefined; expr = pending.pop()) {
            const reader = expr;
            records.filter((r) => !needed.has(r.record) && occurrences(reader, r.record).length > 0).forEach(need);
        }
        records.filter((r) => !needed.has(r.record) && [...needed].some((n) => readsEarlier(r.expr, n))).forEach(need);
    } while (pending.length > 0);
    return { alerting: records.filter((r) => needed.has(r.record)), dashboard: records.filter((r) => !needed.has(r.record)) };
}

/**
 * The PrometheusRule `spec` (equally a Prometheus rule file) for one MetalLB installation.
 *
 * The alerts and the records they read are one group: Prometheus evaluates a group's rules in order,
 * so each alert reads the records of the same evaluation. Separate groups run independently, and an
 * alert reading another group's record would read a result up to one interval old (fire later;
 * promtool even orders groups at random). The records no alert reads are a second group, evaluated
 * every {@link DASHBOARD_RULE_INTERVAL}.
 */
export function metallbRules(settings: AlertSettings, target: RuleTarget): RuleFile {
    const alerts = alertingRules(settings, target);
    const { alerting, dashboard } = byReader(recordingRules(ruleContext(settings, target)), alerts);
    return {
        groups: [
            { name: RULE_GROUP, rules: [...alerting, ...alerts] },
            ...(dashboard.length > 0 ? [{ name: DASHBOARD_RULE_GROUP, interval: DASHBOARD_RULE_INTERVAL, rules: dashboard }] : []),
        ],
    };
}
export { REMOTE_WRITE_CHART_ALERTS, REMOTE_WRITE_RECORDED, REMOTE_WRITE_RULE_GROUP, remoteWriteRules, RemoteWriteRuleTarget } from "./remoteWrite";
