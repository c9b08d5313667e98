import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, from its own module (see components/metallb.ts).
import type { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { notifiesNobody, RECEIVERS_SECRET, SECRET_KEYS } from "../lib/monitoring/alertmanager";
import { grafanaPublicUrl } from "../lib/monitoring/grafana";
import {
    adminPasswordResetProblems,
    buildKpsValues,
    GRAFANA_ADMIN_SECRET,
    GRAFANA_ADMIN_USER,
    kpsEndpoints,
    MONITORING_NAMESPACE_LABELS,
    NODE_EXPORTER_NAMESPACE_LABELS,
    REMOTE_WRITE_SECRET,
    remoteWriteSecretKeys,
    RemoteWriteTarget,
} from "../lib/monitoring/kps";
import { GrafanaServiceType, RemoteWriteAuth } from "../lib/monitoring/enums";
import { MONITORING_DEFAULTS } from "../lib/monitoring/schema";
import type { MonitoringStackArgs, RemoteWriteArgs, ServiceAccountRef } from "./argTypes";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { monitoringStackArgs } from "./schemas/monitoringStack";
import type { Problem } from "../lib/util/problems";
import { remoteWriteRules } from "../lib/rules/remoteWrite";

/**
 * The release values with the remote-write headers resolved: header values may be secrets and
 * RemoteWriteSpec `headers` takes only inline strings (Prometheus Operator v0.93), so the values
 * are a Pulumi secret as soon as one endpoint has headers.
 */
function remoteWriteValues(
    targets: readonly (Omit<RemoteWriteArgs, "auth"> & { auth: RemoteWriteAuth })[],
    revision: pulumi.Output<string>,
    clusterLabel: pulumi.Input<string | undefined>,
    build: (revision: string, targets: RemoteWriteTarget[], clusterLabel: string | undefined) => Record<string, unknown>,
): pulumi.Output<Record<string, unknown>> {
    const headers = targets.map((t) => pulumi.output(t.headers ?? {}) as pulumi.Output<Record<string, string>>);
    const values = pulumi.all([revision, pulumi.all(headers), clusterLabel]).apply(([rev, resolved, label]) =>
        build(
            rev,
            targets.map(({ name, url, auth, username, tls, queueConfig }, i) => ({ name, url, auth, username, headers: resolved[i], tls, queueConfig })),
            label,
        ),
    );
    return targets.some((t) => t.headers !== undefined && Object.keys(t.headers).length > 0)
        ? (pulumi.secret(values) as unknown as pulumi.Output<Record<string, unknown>>)
        : values;
}

/**
 * The PrometheusRule with the remote-write recording rules, next to the release (its CRDs) in the
 * monitoring namespace, selected by the release's rule selector.
 */
function remoteWriteRuleResource(
    name: string,
    parent: pulumi.Resource,
    release: k8s.helm.v3.Release,
    endpoints: pulumi.Output<ReturnType<typeof kpsEndpoints>>,
    selectorLabels: pulumi.Output<{ [key: string]: string }>,
): k8s.apiextensions.CustomResource {
    const namespace = endpoints.prometheusServiceAccount.namespace;
    return new k8s.apiextensions.CustomResource(
        `${name}-remote-write-rules`,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: "prometheus-remote-write", namespace, labels: selectorLabels },
            spec: pulumi.all([endpoints.prometheusJob, namespace]).apply(([job, ns]) => remoteWriteRules({ job, namespace: ns })),
        },
        { parent, dependsOn: [release] },
    );
}

/** Rotation of Grafana's admin password needs Grafana's own SQLite database (lib/monitoring/grafana.ts). */
function grafanaRotationProblems(a: z.output<typeof monitoringStackArgs>): Problem[] {
    const message = adminPasswordResetProblems(a.values);
    return message !== undefined ? [{ path: "args.values.grafana", message }] : [];
}

const TYPE = componentType("MonitoringStack", "metallb-observability:monitoring:MonitoringStack");

/**
 * kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana,
 * kube-state-metrics) as a `helm.v3.Release`: the chart's admission-webhook certificates come from
 * Helm hook Jobs, which `helm.v4.Chart` does not run. Its outputs are what the MetalLB monitoring
 * and the dashboard plug into, so nothing downstream hard-codes a release name. Pass
 * `dependsOn: [addressPools]` when Grafana's LoadBalancer takes its address from those pools.
 */
export class MonitoringStack extends pulumi.ComponentResource {
    /** Namespace the stack runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Actual Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** Labels a ServiceMonitor, PodMonitor or PrometheusRule needs to be selected: `release: <release>`. */
    public readonly selectorLabels: pulumi.Output<{ [key: string]: string }>;
    /** Prometheus' service account (MetalLB authorises scrapes against it). */
    public readonly prometheusServiceAccount: pulumi.Output<ServiceAccountRef>;
    /** In-cluster URL of Prometheus. */
    public readonly prometheusUrl: pulumi.Output<string>;
    /** In-cluster URL of Alertmanager. */
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** Grafana's URL for its users (https://<ingress host> or http://<LoadBalancer address>); unset when only a port-forward reaches it. */
    public readonly grafanaUrl?: pulumi.Output<string>;
    /** Grafana admin user name. */
    public readonly grafanaAdminUser: pulumi.Output<string>;
    /** Grafana admin password (secret). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;
    /** Whether alerts reach anyone. */
    public readonly notificationsConfigured: boolean;
    /** The kube-prometheus-stack Helm release. */
    public readonly release: Release;

    constructor(name: string, args: MonitoringStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const a = parseArgs("MonitoringStack", name, monitoringStackArgs, args, grafanaRotationProblems);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const d = MONITORING_DEFAULTS;
        const namespace = a.namespace ?? d.namespace;
        const releaseName = a.releaseName ?? d.releaseName;
        const g = a.grafana ?? {};

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: namespace, labels: { ...MONITORING_NAMESPACE_LABELS } } },
            { parent: this, dependsOn: forwardDependsOn(opts) },
        );
        const nodeExporterNamespace = a.nodeExporterNamespace ?? d.nodeExporterNamespace;
        if (nodeExporterNamespace === namespace) {
            throw new Error(
                `MonitoringStack "${name}": args.nodeExporterNamespace must differ from args.namespace ("${namespace}"): node-exporter needs a privileged namespace of its own`,
            );
        }
        const nodeExporterNs = new k8s.core.v1.Namespace(
            `${name}-node-exporter-namespace`,
            { metadata: { name: nodeExporterNamespace, labels: { ...NODE_EXPORTER_NAMESPACE_LABELS } } },
            { parent: this, dependsOn: forwardDependsOn(opts) },
        );

        const password =
            g.adminPassword !== undefined
                ? pulumi.secret(g.adminPassword)
                : new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this }).result;
        const adminSecret = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: { name: GRAFANA_ADMIN_SECRET, namespace },
                stringData: { "admin-user": GRAFANA_ADMIN_USER, "admin-password": password },
            },
            { parent: this, dependsOn: [ns] },
        );

        // Changes whenever the password does (its keeper), without being derived from it: Grafana's pod
        // annotation, so the pod restarts and applies the new password (lib/monitoring/grafana.ts).
        // The keeper is a digest, kept secret: CrossGuard hands policies secret values unwrapped
        // (@pulumi/policy deserialize.js), and a password there fails no-plaintext-secrets.
        const passwordRevision = new random.RandomId(
            `${name}-grafana-admin-revision`,
            { byteLength: 8, keepers: { revision: pulumi.secret(pulumi.output(password).apply((p) => createHash("sha256").update(p).digest("hex"))) } },
            { parent: this },
        );

        const { pagerduty, slack, heartbeat } = a.receivers ?? {};
        const receiverData: Record<string, pulumi.Input<string>> = {};
        if (pagerduty) {
            receiverData[SECRET_KEYS.pagerdutyRoutingKey] = pulumi.secret(pagerduty.routingKey);
        }
        if (slack) {
            receiverData[SECRET_KEYS.slackWebhookUrl] = pulumi.secret(slack.webhookUrl);
        }
        if (heartbeat) {
            receiverData[SECRET_KEYS.heartbeatUrl] = pulumi.secret(heartbeat.url);
        }
        // Always present: Alertmanager mounts it (alertmanagerSpec.secrets) whether or not it is used.
        const receiverSecret = new k8s.core.v1.Secret(
            `${name}-alertmanager-receivers`,
            { metadata: { name: RECEIVERS_SECRET, namespace }, stringData: receiverData },
            { parent: this, dependsOn: [ns] },
        );
        const receivers = {
            pagerduty: pagerduty !== undefined,
            slackChannel: slack?.channel,
            pageAllCritical: a.receivers?.pageAllCritical ?? false,
            heartbeat: heartbeat !== undefined,
        };

        // Remote-write credentials as a Secret the values only reference (user names too: the
        // operator reads basicAuth.username from a Secret key).
        const remoteWrite = (a.remoteWrite ?? []).map((t) => ({ ...t, auth: t.auth ?? RemoteWriteAuth.None }));
        const remoteWriteData: Record<string, pulumi.Input<string>> = {};
        for (const t of remoteWrite) {
            const keys = remoteWriteSecretKeys(t.name);
            if (t.auth === RemoteWriteAuth.Basic && t.credential !== undefined) {
                remoteWriteData[keys.username] = t.username ?? "";
                remoteWriteData[keys.password] = pulumi.secret(t.credential);
            } else if (t.auth === RemoteWriteAuth.Bearer && t.credential !== undefined) {
                remoteWriteData[keys.token] = pulumi.secret(t.credential);
            }
        }
        const remoteWriteSecret =
            Object.keys(remoteWriteData).length > 0
                ? [
                      new k8s.core.v1.Secret(
                          `${name}-remote-write`,
                          { metadata: { name: REMOTE_WRITE_SECRET, namespace }, stringData: remoteWriteData },
                          { parent: this, dependsOn: [ns] },
                      ),
                  ]
                : [];
        this.notificationsConfigured = !notifiesNobody(receivers);
        if (!this.notificationsConfigured) {
            pulumi.log.warn(
                "No alert receivers are configured (monitoring:receivers): alerts are only visible in Alertmanager's UI. Configure PagerDuty and/or Slack to be notified.",
                this,
            );
        }

        const serviceType = g.serviceType ?? GrafanaServiceType.ClusterIP;
        const grafanaUrl = grafanaPublicUrl({ serviceType, address: g.address, ingressHost: g.ingress?.host });
        const p = { ...d.prometheus, ...a.prometheus };
        const am = { ...d.alertmanager, ...a.alertmanager };
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: releaseName,
                chart: "kube-prometheus-stack",
                version: a.chartVersion ?? d.chartVersion,
                repositoryOpts: { repo: a.chartRepository ?? d.chartRepository },
                namespace,
                createNamespace: false,
                values: remoteWriteValues(remoteWrite, pulumi.unsecret(passwordRevision.hex), a.clusterLabel, (revision, remoteWriteTargets, clusterLabel) =>
                    buildKpsValues({
                        prometheus: p,
                        alertmanager: am,
                        grafana: {
                            resources: g.resources,
                            persistence: g.persistence,
                            serviceType,
                            pool: g.pool,
                            address: g.address,
                            loadBalancerSourceRanges: g.loadBalancerSourceRanges,
                            ingress: g.ingress,
                            url: grafanaUrl,
                            adminPasswordRevision: revision,
                        },
                        // Alertmanager groups by the rules' cluster label (a value another component may feed).
                        receivers: { ...receivers, alerts: { clusterLabel } },
                        controlPlane: { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: false, kubeProxy: false, ...a.controlPlane },
                        remoteWrite: remoteWriteTargets,
                        externalLabels: a.externalLabels,
                        networkPolicies: (a.networkPolicies ?? d.networkPolicies) ? { namespace } : undefined,
                        nodeExporterNamespace,
                        overrides: a.values,
                    }),
                ),
                // A failed install is purged and a failed upgrade rolled back, so a retry starts
                // clean; new objects of a failed upgrade are removed. 15 minutes covers image
                // pulls and volume provisioning on a fresh cluster; Helm waits for the hook Jobs.
                atomic: true,
                cleanupOnFail: true,
                timeout: 900,
                maxHistory: 10,
            },
            { parent: this, dependsOn: forwardDependsOn(opts, ns, nodeExporterNs, adminSecret, receiverSecret, ...remoteWriteSecret) },
        );

        const status = this.release.status;
        const endpoints = pulumi.all([status.name, status.namespace]).apply(([rel, n]) => kpsEndpoints(rel ?? releaseName, n ?? namespace));
        this.namespace = ns.metadata.name;
        this.releaseName = status.name.apply((n) => n ?? releaseName);
        this.selectorLabels = this.releaseName.apply((release): { [key: string]: string } => ({ release }));
        this.prometheusServiceAccount = endpoints.prometheusServiceAccount;
        this.prometheusUrl = endpoints.prometheusUrl;
        this.alertmanagerUrl = endpoints.alertmanagerUrl;
        if (grafanaUrl !== undefined) {
            this.grafanaUrl = pulumi.output(grafanaUrl);
        }
        this.grafanaAdminUser = pulumi.output(GRAFANA_ADMIN_USER);
        // Recording rules on remote-write health (lib/rules/remoteWrite.ts), only with remote write.
        if (remoteWrite.length > 0) {
            remoteWriteRuleResource(name, this, this.release, endpoints, this.selectorLabels);
        }
        this.grafanaAdminPassword = pulumi.secret(password);

        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            selectorLabels: this.selectorLabels,
            prometheusServiceAccount: this.prometheusServiceAccount,
            prometheusUrl: this.prometheusUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaUrl: this.grafanaUrl,
            grafanaAdminUser: this.grafanaAdminUser,
            grafanaAdminPassword: this.grafanaAdminPassword,
        });
    }
}
