/**
 * Alertmanager configuration for kube-prometheus-stack. The chart's default sends everything to a
 * `null` receiver; this routes by severity instead: critical to the pager (PagerDuty), warning to
 * chat (Slack), with MetalLB faults grouped by the labels that locate them. Receiver secrets are
 * never in the config: it names files Alertmanager reads from a mounted Secret.
 */
import { GROUP_BY, groupBy, inhibitions } from "../rules/inhibitions";
import { AlertSettings } from "../rules/settings";

export { GROUP_BY };

/** Secret (in the monitoring namespace) with the receivers' credentials, mounted into Alertmanager. */
export const RECEIVERS_SECRET = "alertmanager-receivers";
export const SECRET_KEYS = { pagerdutyRoutingKey: "pagerduty-routing-key", slackWebhookUrl: "slack-webhook-url" } as const;
/** Where the operator mounts `alertmanagerSpec.secrets` (prometheus-operator: /etc/alertmanager/secrets/<name>). */
export const SECRETS_DIR = `/etc/alertmanager/secrets/${RECEIVERS_SECRET}`;

export const RECEIVER = { none: "null", pager: "pager", chat: "chat" } as const;

export interface ReceiverOptions {
    /** A PagerDuty Events v2 integration exists (its routing key is in the Secret). */
    readonly pagerduty: boolean;
    /** A Slack channel to post to (its webhook URL is in the Secret). */
    readonly slackChannel?: string;
    /** The alert settings' cluster label (fleet): grouping and inhibitions keep it. Unset: single cluster. */
    readonly alerts?: Pick<AlertSettings, "clusterLabel">;
}

type Obj = Record<string, unknown>;

/** The Alertmanager config (`alertmanager.config` of the chart). */
export function buildAlertmanagerConfig(opts: ReceiverOptions): Obj {
    const receivers: Obj[] = [{ name: RECEIVER.none }];
    const routes: Obj[] = [
        // The chart's own heartbeat and inhibitor helpers notify nobody.
        { receiver: RECEIVER.none, matchers: ['alertname = "Watchdog"'] },
        { receiver: RECEIVER.none, matchers: ['alertname = "InfoInhibitor"'] },
    ];
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
                    title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
                    text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
                },
            ],
        });
    }
    const critical = opts.pagerduty ? RECEIVER.pager : opts.slackChannel ? RECEIVER.chat : undefined;
    if (critical) {
        routes.push({ receiver: critical, matchers: ['severity = "critical"'] });
    }
    if (opts.slackChannel) {
        routes.push({ receiver: RECEIVER.chat, matchers: ['severity = "warning"'] });
    }
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
