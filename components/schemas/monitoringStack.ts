import { z } from "zod";
import { isIpAddress } from "../../lib/metallb/addresses";
import { sourceRanges } from "../../lib/metallb/schema";
import { GrafanaServiceType, RemoteWriteAuth } from "../../lib/monitoring/enums";
import {
    alertmanagerFields,
    controlPlaneSettings,
    grafanaExposureProblems,
    grafanaIngressSettings,
    monitoringStackFields,
    remoteWriteHeaders,
    remoteWriteFields,
    prometheusFields,
} from "../../lib/monitoring/schema";
import { labelName } from "../../lib/rules/settings";
import { argsType, assertType, credentialInput, enumOf, Equals, input, k8sName, quantityString } from "../../lib/util/schema";
import type { MonitoringStackArgs } from "../argTypes";

const resourceList = argsType(
    "ResourceListArgs",
    "CPU and memory of one kind (requests or limits), as Kubernetes quantities.",
    z.strictObject({
        cpu: quantityString.optional().describe("CPU, e.g. `500m`."),
        memory: quantityString.optional().describe("Memory, e.g. `2Gi`."),
    }),
);
const resources = argsType(
    "ResourcesArgs",
    "Container resources.",
    z.strictObject({
        requests: resourceList.optional().describe("Resources the scheduler reserves."),
        limits: resourceList.optional().describe("Upper bounds the container may use."),
    }),
);
const storage = argsType(
    "StorageArgs",
    "A persistent volume (ReadWriteOnce).",
    z.strictObject({
        storageClassName: z.string().min(1).optional().describe("StorageClass; unset uses the cluster default."),
        size: quantityString.describe("Size, e.g. 50Gi."),
    }),
);

const prometheus = argsType(
    "PrometheusArgs",
    undefined,
    z.strictObject({
        retention: prometheusFields.retention.optional(),
        retentionSize: prometheusFields.retentionSize.optional(),
        scrapeInterval: prometheusFields.scrapeInterval.optional(),
        evaluationInterval: prometheusFields.evaluationInterval.optional(),
        resources: resources.optional().describe("Prometheus' container resources."),
        storage: storage.optional().describe("Persistent volume; unset keeps data on an emptyDir (lost when the pod moves)."),
    }),
);

const alertmanager = argsType(
    "AlertmanagerArgs",
    undefined,
    z.strictObject({
        retention: alertmanagerFields.retention.optional(),
        resources: resources.optional().describe("Alertmanager's container resources."),
        storage: storage.optional().describe("Persistent volume for silences and notification state; unset keeps them on an emptyDir."),
    }),
);

const grafana = argsType(
    "GrafanaArgs",
    undefined,
    z
        .strictObject({
            resources: resources.optional().describe("Grafana's container resources."),
            persistence: storage.optional().describe("Persistent volume for Grafana's database; unset keeps it on an emptyDir."),
            adminPassword: credentialInput.optional().describe("Admin password; generated (and exported as a secret) when unset."),
            serviceType: enumOf<GrafanaServiceType>(GrafanaServiceType)
                .optional()
                .describe(
                    "Service type: `ClusterIP` (default; reach Grafana with `kubectl port-forward`) or\n`LoadBalancer` (an address from MetalLB, open to `loadBalancerSourceRanges` only).",
                ),
            pool: k8sName.optional().describe("MetalLB pool of the LoadBalancer Service."),
            address: z
                .string()
                .refine(isIpAddress, { error: "is not an IP address" })
                .optional()
                .describe("Fixed address of the LoadBalancer Service (from that pool)."),
            loadBalancerSourceRanges: sourceRanges.optional().describe("Client networks (CIDRs) allowed to reach the LoadBalancer Service; required with it."),
            ingress: grafanaIngressSettings.optional().describe("Expose Grafana through an Ingress with TLS (root_url https://<host>, secure cookies)."),
        })
        .superRefine((g, ctx) => {
            for (const p of grafanaExposureProblems({ ...g, type: g.serviceType }, "serviceType")) {
                ctx.addIssue({ code: "custom", path: [p.key], message: p.message, input: undefined });
            }
        }),
);

const receivers = argsType(
    "ReceiversArgs",
    undefined,
    z.strictObject({
        pagerduty: argsType(
            "PagerDutyReceiverArgs",
            "Critical alerts page through PagerDuty.",
            z.strictObject({ routingKey: credentialInput.describe("Events v2 routing key; always handled as a secret.") }),
        )
            .optional()
            .describe("PagerDuty for critical alerts."),
        slack: argsType(
            "SlackReceiverArgs",
            "Warnings (and critical alerts without a pager) go to Slack.",
            z.strictObject({
                channel: z.string().min(1).describe("Channel the messages go to, e.g. `#alerts`."),
                webhookUrl: credentialInput.describe("Incoming-webhook URL; always handled as a secret."),
            }),
        )
            .optional()
            .describe("Slack for warnings (and critical alerts when there is no PagerDuty)."),
        heartbeat: argsType(
            "HeartbeatReceiverArgs",
            "A dead man's switch that receives the always-firing Watchdog.",
            z.strictObject({ url: input(z.url()).describe("Its URL; always handled as a secret.") }),
        )
            .optional()
            .describe("A dead man's switch fed by the always-firing Watchdog alert."),
        pageAllCritical: z.boolean().optional().describe("Page for every critical alert, not only MetalLB's (default false: the others go to chat)."),
    }),
);

const remoteWrite = argsType(
    "RemoteWriteArgs",
    "A Prometheus remote-write endpoint together with its credential.",
    z
        .strictObject({
            name: remoteWriteFields.name,
            url: remoteWriteFields.url,
            auth: remoteWriteFields.auth.optional(),
            username: remoteWriteFields.username.optional(),
            credential: credentialInput
                .optional()
                .describe(
                    "Password (`Basic`) or token (`Bearer`), required with either; always handled as a secret (kept in the Secret `prometheus-remote-write`).",
                ),
            headers: remoteWriteHeaders(input(z.string())).optional().describe(remoteWriteFields.headersDoc),
            tls: remoteWriteFields.tls.optional(),
            queueConfig: remoteWriteFields.queueConfig.optional(),
        })
        .superRefine((t, ctx) => {
            const auth = t.auth ?? RemoteWriteAuth.None;
            const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message, input: undefined });
            if (auth !== RemoteWriteAuth.None && t.credential === undefined) {
                problem("credential", `is required with auth ${auth}`);
            }
            if (auth === RemoteWriteAuth.None && t.credential !== undefined) {
                problem("credential", "has no effect with auth none");
            }
            if (auth === RemoteWriteAuth.Basic && t.username === undefined) {
                problem("username", "is required with auth basic");
            }
        }),
);

/** MonitoringStack's arguments: the one definition of each; components/argTypes.ts is printed from it. */
export const monitoringStackArgs = argsType(
    "MonitoringStackArgs",
    undefined,
    z.strictObject({
        namespace: monitoringStackFields.namespace.optional(),
        nodeExporterNamespace: monitoringStackFields.nodeExporterNamespace.optional(),
        networkPolicies: monitoringStackFields.networkPolicies.optional(),
        releaseName: monitoringStackFields.releaseName.optional(),
        chartVersion: input(monitoringStackFields.chartVersion).optional(),
        chartRepository: input(monitoringStackFields.chartRepository).optional(),
        prometheus: prometheus.optional().describe("Prometheus: retention, scrape and evaluation intervals, resources, storage."),
        alertmanager: alertmanager.optional().describe("Alertmanager: retention, resources, storage."),
        grafana: grafana.optional().describe("Grafana: admin password, Service (address from a MetalLB pool), resources, persistence."),
        receivers: receivers.optional().describe("Where alerts go: critical to PagerDuty, warning to Slack, the Watchdog to a dead man's switch."),
        controlPlane: controlPlaneSettings.optional().describe("Control-plane components to scrape (default: none)."),
        remoteWrite: z.array(remoteWrite).optional().describe("Prometheus remote-write endpoints."),
        externalLabels: monitoringStackFields.externalLabels.optional(),
        clusterLabel: input(labelName)
            .optional()
            .describe(
                "The rules' cluster label (`alerts:clusterLabel`, `MetalLbMonitoring`'s `alerts.clusterLabel`) in a\nmulti-cluster store: Alertmanager groups notifications and matches inhibitions by it too.",
            ),
        values: z.record(z.string(), z.any()).optional().describe("Extra chart values, deep-merged last."),
    }),
);
assertType<Equals<z.input<typeof monitoringStackArgs>, MonitoringStackArgs>>();
