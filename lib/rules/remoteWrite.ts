import type { RecordingRule, RuleFile } from "./types";

/**
 * Remote-write health of the stack's own Prometheus, as recording rules the docs and dashboards
 * point at. Paging stays with kube-prometheus-stack's default rules, which already alert on the
 * same two facts (chart 88.5.3 templates/prometheus/rules-1.14/prometheus.yaml,
 * `PrometheusRemoteStorageFailures` > 1 % failed for 15m and `PrometheusRemoteWriteBehind` > 120 s
 * for 15m, both critical, on for `defaultRules.rules.prometheus: true`): a second alert here would
 * page twice for one fault. These rules use the same metrics and selectors, per queue
 * (`remote_name`, `url`), so "how far behind, how much fails" is one query away.
 */
export const REMOTE_WRITE_RULE_GROUP = "prometheus-remote-write";

/** kube-prometheus-stack's alerts on the same facts, which this project relies on and has runbooks for. */
export const REMOTE_WRITE_CHART_ALERTS = ["PrometheusRemoteWriteBehind", "PrometheusRemoteStorageFailures"] as const;

/** Recorded series. */
export const REMOTE_WRITE_RECORDED = {
    /** Seconds between the newest sample appended and the newest one sent, per queue. */
    behindSeconds: "prometheus:remote_write_behind_seconds:max5m",
    /** Share (0..1) of samples that failed to send over 5 minutes, per queue. */
    failedRatio: "prometheus:remote_write_failed_samples:ratio_rate5m",
} as const;

/** The Prometheus whose queues are watched: the stack's (ServiceMonitor job `<fullname>-prometheus`). */
export interface RemoteWriteRuleTarget {
    readonly job: string;
    readonly namespace: string;
}

const BY = "namespace, pod, remote_name, url";

export function remoteWriteRecordingRules(t: RemoteWriteRuleTarget): RecordingRule[] {
    const sel = `{job="${t.job}",namespace="${t.namespace}"}`;
    // The chart's alert reads the sample counters under both names: Prometheus 2.x
    // `prometheus_remote_storage_{failed,succeeded}_samples_total`, 3.x
    // `prometheus_remote_storage_samples_{failed_,}total` (storage/remote/queue_manager.go).
    const failed = `(rate(prometheus_remote_storage_samples_failed_total${sel}[5m]) or rate(prometheus_remote_storage_failed_samples_total${sel}[5m]))`;
    const sent = `(rate(prometheus_remote_storage_samples_total${sel}[5m]) or rate(prometheus_remote_storage_succeeded_samples_total${sel}[5m]))`;
    return [
        {
            // max_over_time: a failed scrape must not hide the lag (as the chart's alert does).
            record: REMOTE_WRITE_RECORDED.behindSeconds,
            expr: `max by (${BY}) (max_over_time(prometheus_remote_storage_queue_highest_timestamp_seconds${sel}[5m]) - max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds${sel}[5m]))`,
        },
        {
            record: REMOTE_WRITE_RECORDED.failedRatio,
            expr: `sum by (${BY}) (${failed}) / (sum by (${BY}) (${failed}) + sum by (${BY}) (${sent}))`,
        },
    ];
}

/** The rule file (PrometheusRule spec) for the stack's Prometheus. */
export function remoteWriteRules(t: RemoteWriteRuleTarget): RuleFile {
    return { groups: [{ name: REMOTE_WRITE_RULE_GROUP, rules: remoteWriteRecordingRules(t) }] };
}
