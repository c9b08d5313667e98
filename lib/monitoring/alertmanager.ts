/**
 * Alertmanager configuration for kube-prometheus-stack. The chart's default sends everything to a
 * `null` receiver; this routes instead:
 * - MetalLB alerts (`alertname =~ "MetalLB.*"`) by severity: critical to the pager (PagerDuty, or
 *   chat without one), warning to chat (Slack), grouped by the labels that locate them;
 * - every other alert (kube-prometheus-stack's own rules): critical to the pager only when the stack
 *   says so (`pageAllCritical`), else to chat, warning to chat. kube-prometheus-stack's defaults
 *   include control-plane alerts that fire from the first minute on kubeadm-style clusters
 *   (real-cluster.md section 5), so nothing but MetalLB pages on day one;
 * - `Watchdog` (always firing) to a dead man's switch when one is configured, else `null`;
 *   `InfoInhibitor` to `null`.
 * Receiver secrets are never in the config: it names files Alertmanager reads from a mounted Secret
 * (`routing_key_file`, `api_url_file`, `url_file`: Alertmanager v0.34 of kube-prometheus-stack
 * 88.5.3 has all three).
 */
import { groupBy, inhibitions } from "../rules/inhibitions";
import { AlertSettings } from "../rules/settings";

/** Secret (in the monitoring namespace) with the receivers' credentials, mounted into Alertmanager. */
export const RECEIVERS_SECRET = "alertmanager-receivers";
export const SECRET_KEYS = { pagerdutyRoutingKey: "pagerduty-routing-key", slackWebhookUrl: "slack-webhook-url", heartbeatUrl: "heartbeat-url" } as const;
/** Where the operator mounts `alertmanagerSpec.secrets` (prometheus-operator: /etc/alertmanager/secrets/<name>). */
export const SECRETS_DIR = `/etc/alertmanager/secrets/${RECEIVERS_SECRET}`;

export const RECEIVER = { none: "null", pager: "pager", chat: "chat", heartbeat: "heartbeat" } as const;

/** Alerts of this project's rules (lib/rules): every name starts with MetalLB. */
export const METALLB_ALERTS_MATCHER = 'alertname =~ "MetalLB.*"';

export interface ReceiverOptions {
    /** A PagerDuty Events v2 integration exists (its routing key is in the Secret). */
    readonly pagerduty: boolean;
    /** A Slack channel to post to (its webhook URL is in the Secret). */
    readonly slackChannel?: string;
    /** Page for every critical alert, not only MetalLB's (default false). */
    readonly pageAllCritical?: boolean;
    /** A dead man's switch receives the always-firing Watchdog (its URL is in the Secret). */
    readonly heartbeat?: boolean;
    /** The alert settings' cluster label (fleet): grouping and inhibitions keep it. Unset: single cluster. */
    readonly alerts?: Pick<AlertSettings, "clusterLabel">;
}

type Obj = Record<string, unknown>;

/** The Alertmanager config (`alertmanager.config` of the chart). */
export function buildAlertmanagerConfig(opts: ReceiverOptions): Obj {
    const receivers: Obj[] = [{ name: RECEIVER.none }];
    const routes: Obj[] = [
        // The chart's always-firing heartbeat: a dead man's switch pages when it stops arriving.
        opts.heartbeat
            ? { receiver: RECEIVER.heartbeat, matchers: ['alertname = "Watchdog"'], group_wait: "0s", group_interval: "1m", repeat_interval: "5m" }
            : { receiver: RECEIVER.none, matchers: ['alertname = "Watchdog"'] },
        { receiver: RECEIVER.none, matchers: ['alertname = "InfoInhibitor"'] },
    ];
    if (opts.heartbeat) {
        receivers.push({ name: RECEIVER.heartbeat, webhook_configs: [{ url_file: `${SECRETS_DIR}/${SECRET_KEYS.heartbeatUrl}`, send_resolved: false }] });
    }
    if (opts.pagerduty) {
        receivers.push({
            name: RECEIVER.pager,
            pagerduty_configs: [{ routing_key_file: `${SECRETS_DIR}/${SECRET_KEYS.pagerdutyRoutingKey}`, send_resolved: true, severity: "critical" }],
        });
    }
    if (opts.slackChannel) {
        receivers.push({
            name: RECEIVER.chat,
            slack_configs: [
                {
                    api_url_file: `${SECRETS_DIR}/${SECRET_KEYS.slackWebhookUrl}`,
                    channel: opts.slackChannel,
                    send_resolved: true,
                    title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
                    text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
                },
            ],
        });
    }
    const chat = opts.slackChannel ? RECEIVER.chat : undefined;
    const pager = opts.pagerduty ? RECEIVER.pager : chat;
    const bySeverity = (critical: string | undefined): Obj[] => [
        ...(critical ? [{ receiver: critical, matchers: ['severity = "critical"'] }] : []),
        ...(chat ? [{ receiver: chat, matchers: ['severity = "warning"'] }] : []),
    ];
    const metallb = bySeverity(pager);
    if (metallb.length > 0) {
        routes.push({ receiver: RECEIVER.none, matchers: [METALLB_ALERTS_MATCHER], routes: metallb });
    }
    routes.push(...bySeverity(opts.pageAllCritical ? pager : chat));
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: RECEIVER.none,
            group_by: groupBy(opts.alerts),
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes,
        },
        inhibit_rules: inhibitions(opts.alerts),
        receivers,
        templates: ["/etc/alertmanager/config/*.tmpl"],
    };
}

/** True when no receiver is configured: alerts then reach nobody (only the Alertmanager UI). */
export function notifiesNobody(opts: ReceiverOptions): boolean {
    return !opts.pagerduty && !opts.slackChannel;
}
