/** What the promtool harness (tests/lib/rules/promtool.test.ts) adds to every rule-test suite. */
import { parse, stringify } from "yaml";

/**
 * Series of targets that are not ours, fed into every test of every suite: a node-exporter target
 * down, and a second MetalLB (same release name, so the same job names) in another namespace whose
 * controller and speakers are down, whose speaker DaemonSet is not ready and whose pool is full. They
 * are labelled exactly as Prometheus Operator labels them (job, namespace, service, endpoint, pod,
 * container, instance; node from our ServiceMonitors' relabelling): an alert that forgets its job or
 * namespace selector fires on them, and {@link withWholeAlertSet} then fails the test.
 * node-exporter: kube-prometheus-stack 88.5.3 values `prometheus-node-exporter` (jobLabel node-exporter,
 * port http-metrics 9100, host network); the second MetalLB as our own ServiceMonitors label MetalLB.
 */
export const NEIGHBOUR_SERIES: readonly { series: string; values: string }[] = (() => {
    const nodeExporter =
        'job="node-exporter",namespace="monitoring",service="kube-prometheus-stack-prometheus-node-exporter",endpoint="http-metrics",pod="kube-prometheus-stack-prometheus-node-exporter-x7k2p",container="node-exporter",instance="192.168.1.11:9100"';
    const ns = 'namespace="metallb-tenant"';
    const controller = `job="metallb-controller",${ns},service="metallb-controller-metrics",endpoint="metricshttps",pod="metallb-controller-5f6g7h8j9-vwxyz",container="controller",instance="10.244.3.10:9120"`;
    const speaker = (pod: string, ip: string, node: string) =>
        `job="metallb-speaker",${ns},service="metallb-speaker-metrics",endpoint="metricshttps",pod="metallb-speaker-${pod}",container="speaker",instance="${ip}:9120",node="${node}"`;
    const ksm = `job="kube-state-metrics",namespace="monitoring",service="kube-prometheus-stack-kube-state-metrics",endpoint="http",pod="kube-prometheus-stack-kube-state-metrics-6b8f9c7d4-q2w3e",container="kube-state-metrics",instance="10.244.2.5:8080"`;
    const long = (v: number) => `${v}x180`;
    return [
        { series: `up{${nodeExporter}}`, values: long(0) },
        { series: `up{${controller}}`, values: long(0) },
        { series: `up{${speaker("xxxxx", "192.168.2.21", "tenant-node-x")}}`, values: long(0) },
        { series: `up{${speaker("yyyyy", "192.168.2.22", "tenant-node-y")}}`, values: long(0) },
        {
            series: `kube_daemonset_status_desired_number_scheduled{${ksm},${ns},daemonset="metallb-speaker"}`.replace('namespace="monitoring",', ""),
            values: long(2),
        },
        { series: `kube_daemonset_status_number_ready{${ksm},${ns},daemonset="metallb-speaker"}`.replace('namespace="monitoring",', ""), values: long(0) },
        {
            series: `kube_daemonset_status_updated_number_scheduled{${ksm},${ns},daemonset="metallb-speaker"}`.replace('namespace="monitoring",', ""),
            values: long(2),
        },
        { series: `metallb_allocator_addresses_total{pool="services-l2",${controller}}`, values: long(8) },
        { series: `metallb_allocator_addresses_in_use_total{pool="services-l2",${controller}}`, values: long(8) },
    ];
})();

interface PromtoolTest {
    name?: string;
    input_series?: { series: string; values: string }[];
    alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[];
}

/**
 * The suite as promtool runs it: every test also gets {@link NEIGHBOUR_SERIES}, and, at each
 * eval_time its alert_rule_test names, asserts the whole set of firing alerts (ALERTS, which the rules
 * themselves write): the alerts it lists for that time fire exactly as many times as it lists them
 * (none for an empty exp_alerts), and no alert the test never names fires at all. An alert the test
 * names only at other times is left to those times (a fault's alert may keep firing while the test
 * looks at another). The suites' own expectations are unchanged.
 */
export function withWholeAlertSet(suiteYaml: string): string {
    const suite = parse(suiteYaml) as { tests: PromtoolTest[] };
    for (const test of suite.tests) {
        test.input_series = [...(test.input_series ?? []), ...NEIGHBOUR_SERIES];
        const named = new Set((test.alert_rule_test ?? []).map((a) => a.alertname));
        const byTime = new Map<string, Map<string, number>>();
        for (const a of test.alert_rule_test ?? []) {
            const listed = byTime.get(a.eval_time) ?? new Map<string, number>();
            byTime.set(a.eval_time, listed);
            listed.set(a.alertname, (listed.get(a.alertname) ?? 0) + (a.exp_alerts?.length ?? 0));
        }
        for (const [evalTime, listed] of byTime) {
            const elsewhere = [...named].filter((n) => !listed.has(n));
            const unless = elsewhere.length ? `,alertname!~"${elsewhere.join("|")}"` : "";
            (test.promql_expr_test ??= []).push({
                expr: `count by (alertname) (ALERTS{alertstate="firing"${unless}})`,
                eval_time: evalTime,
                exp_samples: [...listed].filter(([, n]) => n > 0).map(([alertname, n]) => ({ labels: `{alertname="${alertname}"}`, value: n })),
            });
        }
    }
    return stringify(suite, { lineWidth: 0 });
}
