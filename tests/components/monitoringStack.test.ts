import * as assert from "assert";
import { isSecret, isSecretInput, promiseOf, registered } from "../support/pulumi";
import { MonitoringStack } from "../../components/monitoringStack";
import { GrafanaServiceType } from "../../lib/monitoring/schema";

describe("MonitoringStack component", () => {
    it("installs the pinned chart as a helm.v3.Release (hooks run) with deliberate failure handling", async () => {
        new MonitoringStack("kps-a", {
            releaseName: "mon",
            grafana: { serviceType: GrafanaServiceType.LoadBalancer, loadBalancerSourceRanges: ["10.0.0.0/8"], address: "10.0.0.5", pool: "default" },
        });
        const release = (await registered("kps-a")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.strictEqual(release.inputs.chart, "kube-prometheus-stack");
        assert.strictEqual(release.inputs.version, "88.5.3");
        assert.strictEqual(release.inputs.repositoryOpts.repo, "https://prometheus-community.github.io/helm-charts");
        assert.strictEqual(release.inputs.name, "mon");
        assert.strictEqual(release.inputs.namespace, "monitoring");
        assert.strictEqual(release.inputs.atomic, true);
        assert.strictEqual(release.inputs.cleanupOnFail, true);
        assert.strictEqual(release.inputs.timeout, 900);
        assert.notStrictEqual(release.inputs.disableWebhooks, true, "the admission-webhook hook Jobs must run");
    });

    it("derives the selector labels and the Prometheus service account from the actual release name", async () => {
        const s = new MonitoringStack("kps-b", { releaseName: "monitoring" });
        assert.deepStrictEqual(await promiseOf(s.selectorLabels), { release: "monitoring" });
        assert.deepStrictEqual(await promiseOf(s.prometheusServiceAccount), { namespace: "monitoring", name: "monitoring-kube-prometheus-prometheus" });
        assert.strictEqual(await promiseOf(s.prometheusUrl), "http://monitoring-kube-prometheus-prometheus.monitoring.svc:9090");
        assert.strictEqual(await promiseOf(s.alertmanagerUrl), "http://monitoring-kube-prometheus-alertmanager.monitoring.svc:9093");
    });

    it("keeps the Grafana password and receiver credentials secret, and out of the chart values", async () => {
        const s = new MonitoringStack("kps-c", {
            grafana: {
                adminPassword: "grafana-pw-123",
                serviceType: GrafanaServiceType.LoadBalancer,
                loadBalancerSourceRanges: ["10.0.0.0/8"],
                address: "10.0.0.5",
            },
            receivers: { pagerduty: { routingKey: "pd-key-456" }, slack: { channel: "#lb", webhookUrl: "https://hooks.example/slack-789" } },
        });
        const regs = await registered("kps-c");
        const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        const valuesText = JSON.stringify(release.inputs.values);
        for (const plain of ["grafana-pw-123", "pd-key-456", "slack-789"]) {
            assert.ok(!valuesText.includes(plain), `${plain} is not in the Helm values`);
        }
        assert.ok(!isSecretInput(release.inputs.values), "values are plain (and readable in a preview) because they hold no secret");
        const secrets = regs.filter((r) => r.type === "kubernetes:core/v1:Secret");
        assert.strictEqual(secrets.length, 2);
        assert.ok(
            secrets.every((x) => isSecretInput(x.inputs.stringData)),
            "Secret data reaches the provider as secrets",
        );
        assert.ok(await isSecret(s.grafanaAdminPassword));
        assert.strictEqual(await promiseOf(s.grafanaAdminPassword), "grafana-pw-123");
        assert.strictEqual(await promiseOf(s.grafanaUrl!), "http://10.0.0.5");
        assert.strictEqual(release.inputs.values.grafana.admin.existingSecret, "grafana-admin");
        assert.ok(s.notificationsConfigured);
    });

    it("generates a Grafana password when none is given, as a secret", async () => {
        const s = new MonitoringStack("kps-d", {});
        const regs = await registered("kps-d");
        assert.ok(regs.some((r) => r.type === "random:index/randomPassword:RandomPassword"));
        assert.ok(await isSecret(s.grafanaAdminPassword));
        assert.strictEqual(s.notificationsConfigured, false);
    });

    it("sizes Prometheus, Alertmanager and Grafana from its arguments", async () => {
        new MonitoringStack("kps-e", {
            prometheus: {
                retention: "15d",
                retentionSize: "45GB",
                resources: { requests: { memory: "2Gi" }, limits: { memory: "4Gi" } },
                storage: { storageClassName: "fast", size: "50Gi" },
            },
            alertmanager: { storage: { size: "2Gi" } },
            grafana: { persistence: { size: "10Gi" }, ingress: { className: "nginx", host: "grafana.example.org", tlsSecretName: "grafana-tls" } },
        });
        const v = (await registered("kps-e")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        const ps = v.prometheus.prometheusSpec;
        assert.strictEqual(ps.retention, "15d");
        assert.strictEqual(ps.retentionSize, "45GB");
        assert.deepStrictEqual(ps.resources, { requests: { memory: "2Gi" }, limits: { memory: "4Gi" } });
        assert.deepStrictEqual(ps.storageSpec.volumeClaimTemplate.spec, {
            storageClassName: "fast",
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "50Gi" } },
        });
        assert.strictEqual(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage, "2Gi");
        assert.deepStrictEqual(v.grafana.persistence, { enabled: true, size: "10Gi" });
        assert.strictEqual(v.grafana["grafana.ini"].server.root_url, "https://grafana.example.org");
    });

    it("keeps Grafana inside the cluster by default: a ClusterIP Service, no Ingress, no public URL", async () => {
        const s = new MonitoringStack("kps-private", {});
        const v = (await registered("kps-private")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        assert.strictEqual(v.grafana.service.type, "ClusterIP");
        assert.strictEqual(v.grafana.ingress, undefined);
        assert.strictEqual(s.grafanaUrl, undefined, "reached with kubectl port-forward");
    });

    it("exposes Grafana through an Ingress with TLS: https root_url and secure cookies", async () => {
        const s = new MonitoringStack("kps-ingress", {
            grafana: { ingress: { className: "nginx", host: "grafana.example.org", tlsSecretName: "grafana-tls" } },
        });
        const v = (await registered("kps-ingress")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        assert.strictEqual(v.grafana.service.type, "ClusterIP");
        assert.deepStrictEqual(v.grafana.ingress.tls, [{ secretName: "grafana-tls", hosts: ["grafana.example.org"] }]);
        assert.strictEqual(v.grafana.ingress.ingressClassName, "nginx");
        assert.strictEqual(v.grafana["grafana.ini"].security.cookie_secure, true);
        assert.strictEqual(await promiseOf(s.grafanaUrl!), "https://grafana.example.org");
    });

    it("refuses a LoadBalancer Grafana open to everyone: loadBalancerSourceRanges are required and rendered", async () => {
        assert.throws(
            () => new MonitoringStack("kps-open", { grafana: { serviceType: GrafanaServiceType.LoadBalancer } }),
            /args\.grafana\.loadBalancerSourceRanges: is required with a LoadBalancer Service/,
        );
        new MonitoringStack("kps-lb", { grafana: { serviceType: GrafanaServiceType.LoadBalancer, loadBalancerSourceRanges: ["192.168.10.0/24"] } });
        const v = (await registered("kps-lb")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        assert.deepStrictEqual(v.grafana.service.loadBalancerSourceRanges, ["192.168.10.0/24"]);
    });

    it("runs node-exporter in a privileged namespace of its own; monitoring enforces baseline and warns at restricted", async () => {
        new MonitoringStack("kps-psa", {});
        const regs = await registered("kps-psa");
        const namespaces = new Map(
            regs.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => [r.inputs.metadata.name, r.inputs.metadata.labels]),
        );
        assert.strictEqual(namespaces.get("monitoring")["pod-security.kubernetes.io/enforce"], "baseline");
        assert.strictEqual(namespaces.get("monitoring")["pod-security.kubernetes.io/warn"], "restricted");
        assert.strictEqual(namespaces.get("node-exporter")["pod-security.kubernetes.io/enforce"], "privileged");
        const v = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        assert.strictEqual(v["prometheus-node-exporter"].namespaceOverride, "node-exporter");
    });

    it("turns the NetworkPolicies on by default, and off when asked", async () => {
        new MonitoringStack("kps-np-default", {});
        new MonitoringStack("kps-np-off", { networkPolicies: false, namespace: "mon-off", nodeExporterNamespace: "ne-off" });
        const values = async (n: string) => (await registered(n)).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.values;
        const on = await values("kps-np-default");
        const off = await values("kps-np-off");
        for (const key of ["prometheus", "alertmanager", "prometheusOperator", "grafana"]) {
            assert.strictEqual(on[key].networkPolicy.enabled, true, key);
            assert.strictEqual(off[key].networkPolicy.enabled, false, key);
        }
    });

    it("groups notifications and matches inhibitions by the fleet's cluster label", async () => {
        new MonitoringStack("kps-fleet", { clusterLabel: "cluster", receivers: { slack: { channel: "#lb", webhookUrl: "https://hooks.example/x" } } });
        const release = (await registered("kps-fleet")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        const config = release.inputs.values.alertmanager.config;
        assert.ok(config.route.group_by.includes("cluster"), "group_by keeps the cluster");
        for (const rule of config.inhibit_rules as { equal: string[] }[]) {
            assert.ok(rule.equal.includes("cluster"), `inhibition ${JSON.stringify(rule)} matches within one cluster only`);
        }
        new MonitoringStack("kps-single", { receivers: { slack: { channel: "#lb", webhookUrl: "https://hooks.example/x" } } });
        const single = (await registered("kps-single")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.ok(!single.inputs.values.alertmanager.config.route.group_by.includes("cluster"));
    });

    it("restarts Grafana on a password change through a keeper that holds no password (CrossGuard sees secrets unwrapped)", async () => {
        const revisionOf = async (name: string, adminPassword: string) => {
            new MonitoringStack(name, {
                grafana: { adminPassword, serviceType: GrafanaServiceType.LoadBalancer, loadBalancerSourceRanges: ["10.0.0.0/8"], address: "10.0.0.5" },
            });
            const id = (await registered(name)).find((r) => r.type === "random:index/randomId:RandomId")!;
            assert.ok(isSecretInput(id.inputs.keepers), "the keeper is a secret");
            assert.ok(!JSON.stringify(id.inputs).includes(adminPassword), "the password itself is not a keeper");
            return JSON.stringify(id.inputs.keepers);
        };
        const first = await revisionOf("kps-rot-a", "first-password-123");
        assert.strictEqual(await revisionOf("kps-rot-b", "first-password-123"), first, "same password, same keeper");
        assert.notStrictEqual(await revisionOf("kps-rot-c", "second-password-456"), first, "a new password changes the keeper");
    });

    it("refuses an external Grafana database before creating anything, saying what to do", async () => {
        const values = { grafana: { "grafana.ini": { database: { type: "postgres", host: "pg.db:5432" } } } };
        assert.throws(
            () => new MonitoringStack("kps-extdb", { values }),
            (err: Error) =>
                /args\.values\.grafana: Grafana uses an external postgres database/.test(err.message) && /extraInitContainers to \[\]/.test(err.message),
        );
        assert.deepStrictEqual(await registered("kps-extdb"), [], "nothing registered");
        new MonitoringStack("kps-extdb-optout", { values: { grafana: { ...values.grafana, extraInitContainers: [] } } });
        const release = (await registered("kps-extdb-optout")).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.deepStrictEqual(release.inputs.values.grafana.extraInitContainers, []);
    });
});
