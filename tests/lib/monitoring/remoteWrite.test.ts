import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { deepMerge } from "../../../lib/util/merge";
import { REMOTE_WRITE_CHART_ALERTS } from "../../../lib/rules";
import Ajv from "ajv";
import * as pulumi from "@pulumi/pulumi";
import { isSecretInput, registered } from "../../support/pulumi";
import { crdErrors as crdRuleErrors } from "../../support/schemas";
import { readReference } from "../../support/reference";
import { MonitoringStack } from "../../../components/monitoringStack";
import { buildKpsValues, RemoteWriteTarget } from "../../../lib/monitoring/kps";
import { RemoteWriteAuth, remoteWriteTargetSettings } from "../../../lib/monitoring/schema";

/** Prometheus Operator's RemoteWriteSpec schema as the chart's prometheuses CRD ships it (fixture SOURCES.md). */
const crdRemoteWrite = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, "../../fixtures/upstream/kube-prometheus-stack/prometheus-remotewrite.schema.json"), "utf8"),
) as { "x-operator-version": string; items: object };
const validateEntry = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(crdRemoteWrite.items);
const crdErrors = (entry: unknown) => (validateEntry(entry) ? [] : (validateEntry.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const base = {
    prometheus: { retention: "10d", scrapeInterval: "30s", evaluationInterval: "30s" },
    alertmanager: { retention: "120h" },
    grafana: { serviceType: "ClusterIP" as const },
    receivers: { pagerduty: false, pageAllCritical: false, heartbeat: false },
};
const rendered = (targets: RemoteWriteTarget[]) => (buildKpsValues({ ...base, remoteWrite: targets }) as any).prometheus.prometheusSpec.remoteWrite;

describe("remote write to multi-tenant stores (RemoteWriteSpec, Prometheus Operator v0.93 CRD)", () => {
    it("Mimir tenant: basic auth from the Secret, X-Scope-OrgID header, queue tuning", () => {
        const [mimir] = rendered([
            {
                name: "mimir",
                url: "https://mimir.example/api/v1/push",
                auth: RemoteWriteAuth.Basic,
                username: "team-a",
                headers: { "X-Scope-OrgID": "team-a" },
                queueConfig: { capacity: 10000, maxShards: 50, minShards: 2, maxSamplesPerSend: 2000, batchSendDeadline: "5s", retryOnRateLimit: true },
            },
        ]);
        assert.deepStrictEqual(crdErrors(mimir), []);
        assert.deepStrictEqual(mimir.headers, { "X-Scope-OrgID": "team-a" });
        assert.deepStrictEqual(mimir.queueConfig, {
            capacity: 10000,
            maxShards: 50,
            minShards: 2,
            maxSamplesPerSend: 2000,
            batchSendDeadline: "5s",
            retryOnRateLimit: true,
        });
        assert.strictEqual(mimir.tlsConfig, undefined);
    });

    it("Thanos Receive: THANOS-TENANT header and mutual TLS from Secrets, verification on", () => {
        const [thanos] = rendered([
            {
                name: "thanos",
                url: "https://thanos-receive.example:19291/api/v1/receive",
                auth: RemoteWriteAuth.None,
                headers: { "THANOS-TENANT": "cluster-a" },
                tls: {
                    caSecret: { name: "thanos-ca", key: "ca.crt" },
                    certSecret: { name: "thanos-client", key: "tls.crt" },
                    keySecret: { name: "thanos-client", key: "tls.key" },
                    serverName: "thanos-receive.example",
                },
            },
        ]);
        assert.deepStrictEqual(crdErrors(thanos), []);
        assert.deepStrictEqual(thanos.tlsConfig, {
            ca: { secret: { name: "thanos-ca", key: "ca.crt" } },
            cert: { secret: { name: "thanos-client", key: "tls.crt" } },
            keySecret: { name: "thanos-client", key: "tls.key" },
            serverName: "thanos-receive.example",
        });
        assert.ok(!("insecureSkipVerify" in thanos.tlsConfig), "never skips verification unless told");
    });

    it("basic-auth gateway with a private CA; insecureSkipVerify only when written", () => {
        const [gw, insecure] = rendered([
            { name: "gw", url: "https://gw.example/push", auth: RemoteWriteAuth.Basic, username: "u", tls: { caSecret: { name: "gw-ca", key: "ca.crt" } } },
            { name: "lab", url: "https://lab.example/push", auth: RemoteWriteAuth.Bearer, tls: { insecureSkipVerify: true } },
        ]);
        assert.deepStrictEqual(crdErrors(gw), []);
        assert.deepStrictEqual(crdErrors(insecure), []);
        assert.deepStrictEqual(gw.basicAuth, {
            username: { name: "prometheus-remote-write", key: "gw-username" },
            password: { name: "prometheus-remote-write", key: "gw-password" },
        });
        assert.deepStrictEqual(gw.tlsConfig, { ca: { secret: { name: "gw-ca", key: "ca.crt" } } });
        assert.strictEqual(insecure.tlsConfig.insecureSkipVerify, true);
    });

    it("refuses settings Prometheus would reject or ignore", () => {
        const problems = (t: unknown) => remoteWriteTargetSettings.safeParse(t).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
        const url = "https://x.example/push";
        assert.deepStrictEqual(problems({ name: "a", url, headers: { "X-Scope-OrgID": "t" } }), []);
        assert.ok(problems({ name: "a", url, headers: { Authorization: "Bearer x" } }).some((p) => /^headers.Authorization: is set by auth/.test(p)));
        assert.ok(problems({ name: "a", url, headers: { "bad header": "x" } }).length > 0);
        assert.ok(
            problems({ name: "a", url, tls: { certSecret: { name: "c", key: "tls.crt" } } }).some((p) =>
                /keySecret: client certificate and key go together/.test(p),
            ),
        );
        assert.ok(problems({ name: "a", url, queueConfig: { minShards: 10, maxShards: 2 } }).some((p) => /minShards: must not exceed maxShards/.test(p)));
        assert.ok(problems({ name: "a", url, queueConfig: { batchSendDeadline: "soon" } }).length > 0);
        assert.ok(problems({ name: "a", url, queueConfig: { capacity: 0 } }).length > 0);
    });

    it("keeps header values secret: the release values become a Pulumi secret", async () => {
        new MonitoringStack("kps-rwh", {
            remoteWrite: [{ name: "mimir", url: "https://mimir.example/api/v1/push", headers: { "X-Scope-OrgID": pulumi.secret("tenant-secret-42") } }],
        });
        const release = (await registered("kps-rwh")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.ok(isSecretInput(release.inputs.values), "values are a secret");
        const entry = release.inputs.values.value.prometheus.prometheusSpec.remoteWrite[0];
        assert.deepStrictEqual(entry.headers, { "X-Scope-OrgID": "tenant-secret-42" });
        assert.deepStrictEqual(crdErrors(entry), []);

        new MonitoringStack("kps-rwnh", { remoteWrite: [{ name: "open", url: "http://cortex.example/push" }] });
        const plain = (await registered("kps-rwnh")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.ok(!isSecretInput(plain.inputs.values), "without headers the values stay readable in previews");
    });
});

describe("remote-write rules deployed with the monitoring stack", () => {
    it("only when remote write is configured, selected by the release and scoped to its Prometheus", async () => {
        new MonitoringStack("kps-rwr", { releaseName: "kps", namespace: "obs", remoteWrite: [{ name: "mimir", url: "https://mimir.example/api/v1/push" }] });
        const rule = (await registered("kps-rwr")).find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")!;
        assert.ok(rule, "a PrometheusRule");
        assert.strictEqual(rule.inputs.metadata.namespace, "obs");
        assert.deepStrictEqual(rule.inputs.metadata.labels, { release: "kps" });
        const exprs = rule.inputs.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr)).join("\n");
        // kube-prometheus-stack's Prometheus for release "kps" is scraped as job kps-kube-prometheus-stack-prometheus.
        assert.match(exprs, /job="kps-kube-prometheus-stack-prometheus",namespace="obs"/);
        assert.deepStrictEqual(crdRuleErrors(rule.inputs as { apiVersion: string; kind: string }), []);

        new MonitoringStack("kps-norw", {});
        assert.ok(!(await registered("kps-norw")).some((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule"));
    });
});

describe("paging on remote-write faults", () => {
    it("keeps kube-prometheus-stack's PrometheusRemoteWriteBehind / PrometheusRemoteStorageFailures on (the runbooks are ours)", () => {
        // They come from the chart's `prometheus` default rule group (templates/prometheus/rules-1.14/prometheus.yaml),
        // rendered when defaultRules.create and defaultRules.rules.prometheus hold (both true in the chart's values).
        const chart = parse(readReference("kube-prometheus-stack/values.yaml"));
        const ours = buildKpsValues({ ...base, remoteWrite: [{ name: "m", url: "https://m.example/push", auth: RemoteWriteAuth.None }] }) as any;
        const effective = deepMerge(chart.defaultRules, ours.defaultRules ?? {}) as any;
        assert.strictEqual(effective.create, true);
        assert.strictEqual(effective.rules.prometheus, true);
        for (const alert of REMOTE_WRITE_CHART_ALERTS) {
            assert.notStrictEqual(effective.disabled?.[alert], true, alert);
            assert.ok(fs.existsSync(path.resolve(__dirname, `../../../runbooks/${alert}.md`)), `runbook ${alert}`);
        }
    });
});
