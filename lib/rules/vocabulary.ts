import { groupBy } from "./inhibitions";
import { metallbRules } from "./index";
import { AlertSettings, DEFAULT_ALERT_SETTINGS } from "./settings";
import { AlertingRule, RuleTarget } from "./types";

/**
 * What the rules themselves use, read off the rules as built (never a hand-kept list): the label
 * names they group, join and match on, and which `for` settings time a critical alert. The alert
 * settings' checks refuse a cluster label that collides with one of these labels and a `for` that
 * would hold a critical alert back for hours.
 */

const TARGETS: RuleTarget[] = (["native", "frr-k8s"] as const).map((bgpBackend) => ({
    namespace: "metallb-system",
    releaseName: "metallb",
    bgpBackend,
    bgpPools: ["bgp"],
    reservedPools: ["reserved"],
}));

function rulesOf(settings: AlertSettings) {
    return TARGETS.flatMap((t) => metallbRules(settings, t).groups.flatMap((g) => g.rules));
}

/**
 * Labels every series scraped through a ServiceMonitor carries besides its own (Prometheus Operator
 * promcfg.go generateServiceMonitorConfig: namespace, service, pod, container, endpoint; Prometheus
 * sets job and instance): a cluster label of one of these names would be overwritten on scrape.
 */
const TARGET_LABELS = ["job", "instance", "namespace", "service", "pod", "container", "endpoint"];

let labelCache: ReadonlySet<string> | undefined;

/** Every label name the rules (both backends) and the Alertmanager grouping use, and the scrape target labels. */
export function ruleLabelNames(): ReadonlySet<string> {
    if (labelCache) {
        return labelCache;
    }
    const out = new Set<string>(["alertname", ...TARGET_LABELS, ...groupBy({})]);
    for (const rule of rulesOf(DEFAULT_ALERT_SETTINGS)) {
        const expr = rule.expr;
        for (const m of expr.matchAll(/\b(?:by|on|ignoring|without|group_left|group_right)\s*\(([^)]*)\)/g)) {
            for (const l of m[1].split(",")) {
                if (l.trim()) {
                    out.add(l.trim());
                }
            }
        }
        for (const m of expr.matchAll(/[{,]\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g)) {
            out.add(m[1]);
        }
        for (const m of expr.matchAll(/\blabel_(?:replace|join)\s*\([^"]*"([a-zA-Z_][a-zA-Z0-9_]*)"/g)) {
            out.add(m[1]);
        }
        for (const l of Object.keys(rule.labels ?? {})) {
            out.add(l);
        }
        for (const text of Object.values((rule as AlertingRule).annotations ?? {})) {
            for (const m of String(text).matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
                out.add(m[1]);
            }
        }
    }
    labelCache = out;
    return out;
}

let criticalCache: ReadonlySet<string> | undefined;

/**
 * The `for` settings that time a critical alert: each setting gets a distinct duration, and the
 * critical alerts built with them show which one they took.
 */
export function criticalForKeys(): ReadonlySet<string> {
    if (criticalCache) {
        return criticalCache;
    }
    const keys = Object.keys(DEFAULT_ALERT_SETTINGS.for);
    const marked = Object.fromEntries(keys.map((k, i) => [k, `${1000 + i}s`])) as unknown as AlertSettings["for"];
    const out = new Set<string>();
    for (const rule of rulesOf({ ...DEFAULT_ALERT_SETTINGS, for: marked })) {
        const alert = rule as AlertingRule;
        if (alert.alert && alert.labels?.severity === "critical" && alert.for !== undefined) {
            const i = Number(alert.for.replace(/s$/, "")) - 1000;
            if (keys[i] !== undefined) {
                out.add(keys[i]);
            }
        }
    }
    criticalCache = out;
    return out;
}
