import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { captureOptions, FakeInstall, isSecretInput, registered } from "../support/pulumi";
import { MetalLbDashboard } from "../../components/dashboard";
import { BgpBackend } from "../../lib/metallb/schema";
import { DashboardDelivery } from "../../components/dashboard";

const FEATURES = { l2: true, bgp: false, bgpBackend: BgpBackend.Native as const, bfd: false };

describe("MetalLbDashboard component", () => {
    it("pushes a Folder and the Dashboard through an explicit Grafana provider, all waiting for the install", async () => {
        const install = new FakeInstall("dash-install");
        const { opts, seen } = captureOptions();
        new MetalLbDashboard(
            "dash-a",
            {
                metallbNamespace: "metallb-system",
                features: FEATURES,
                delivery: DashboardDelivery.GrafanaApi,
                grafana: { url: "https://grafana.example.org", auth: "glsa_token-abc" },
            },
            { ...opts, dependsOn: [install] },
        );
        const regs = await registered("dash-a");
        const provider = regs.find((r) => r.type === "pulumi:providers:grafana")!;
        const folder = regs.find((r) => r.type === "grafana:oss/folder:Folder")!;
        const dash = regs.find((r) => r.type === "grafana:oss/dashboard:Dashboard")!;
        assert.strictEqual(provider.inputs.url, "https://grafana.example.org");
        assert.ok(isSecretInput(provider.inputs.auth), "credentials reach the provider as a secret");
        assert.ok(Number(provider.inputs.retries) > 0 && Number(provider.inputs.retryWait) > 0, "retries for a Grafana still starting");
        for (const r of [folder, dash]) {
            assert.match(r.provider ?? "", /pulumi:providers:grafana::dash-a-grafana::/, `${r.type} uses the explicit provider`);
        }
        assert.strictEqual(folder.inputs.title, "MetalLB");
        assert.strictEqual(dash.inputs.folder, folder.inputs.uid, "the dashboard goes into the folder");
        assert.strictEqual(dash.inputs.overwrite, true);
        assert.strictEqual(JSON.parse(dash.inputs.configJson).uid, "metallb-overview");
        for (const type of ["pulumi:providers:grafana", "grafana:oss/folder:Folder", "grafana:oss/dashboard:Dashboard"]) {
            const s = seen.find((x) => x.type === type)!;
            assert.ok((s.opts.dependsOn as pulumi.Resource[]).includes(install), `${type} depends on the Grafana install`);
        }
    });

    it('delivers a ConfigMap for Grafana\'s sidecar instead, labelled grafana_dashboard: "1"', async () => {
        new MetalLbDashboard("dash-b", {
            metallbNamespace: "metallb-system",
            features: FEATURES,
            delivery: DashboardDelivery.ConfigMap,
            configMapNamespace: "monitoring",
        });
        const regs = await registered("dash-b");
        assert.ok(!regs.some((r) => r.type.startsWith("grafana:") || r.type === "pulumi:providers:grafana"), "no Grafana API use");
        const cm = regs.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
        assert.deepStrictEqual(cm.inputs.metadata.labels, { grafana_dashboard: "1" });
        assert.strictEqual(cm.inputs.metadata.namespace, "monitoring");
        assert.strictEqual(JSON.parse(cm.inputs.data["metallb-overview.json"]).uid, "metallb-overview");
    });

    it("delivers a ConfigMap by default: no Grafana API, no credentials", async () => {
        new MetalLbDashboard("dash-default", { metallbNamespace: "metallb-system", features: FEATURES });
        const regs = await registered("dash-default");
        assert.ok(!regs.some((r) => r.type.startsWith("grafana:") || r.type === "pulumi:providers:grafana"), "no Grafana API use");
        assert.ok(regs.some((r) => r.type === "kubernetes:core/v1:ConfigMap"));
    });

    it("refuses the API delivery without a Grafana URL and credentials, before registering anything", async () => {
        assert.throws(
            () => new MetalLbDashboard("dash-c", { metallbNamespace: "metallb-system", features: FEATURES, delivery: DashboardDelivery.GrafanaApi }),
            /Invalid arguments of MetalLbDashboard "dash-c" \(1 problem\):\n {2}- args\.grafana: .*needs grafana\.url and grafana\.auth/,
        );
        assert.deepStrictEqual(await registered("dash-c"), []);
    });

    it("pushes only with a service-account token over https (or http to a loopback port-forward), never echoing the credential", async () => {
        const api = (url: string, auth: pulumi.Input<string>) => ({
            metallbNamespace: "metallb-system",
            features: FEATURES,
            delivery: DashboardDelivery.GrafanaApi,
            grafana: { url, auth },
        });
        assert.throws(
            () => new MetalLbDashboard("dash-login", api("https://g.example", "admin:pw-secret")),
            (e: Error) => /args\.grafana\.auth: must be a Grafana service-account token/.test(e.message) && !e.message.includes("pw-secret"),
        );
        assert.throws(() => new MetalLbDashboard("dash-plain", api("http://192.168.1.250", "glsa_x")), /args\.grafana\.url: must be https/);
        assert.doesNotThrow(() => new MetalLbDashboard("dash-pf", api("http://localhost:3000", "glsa_x")));
        assert.deepStrictEqual([...(await registered("dash-login")), ...(await registered("dash-plain"))], []);
    });

    it("takes the fleet's cluster label and the runbook base URL: a cluster variable, every query filtered by it, runbook links from the base", async () => {
        new MetalLbDashboard("dash-d", {
            metallbNamespace: "metallb-system",
            features: FEATURES,
            delivery: DashboardDelivery.ConfigMap,
            clusterLabel: "k8s_cluster",
            runbookBaseUrl: "https://runbooks.example/metallb",
        });
        const cm = (await registered("dash-d")).find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
        const json = JSON.parse(cm.inputs.data["metallb-overview.json"]);
        const variables: { name: string; query: unknown }[] = json.templating.list;
        assert.ok(
            variables.some((v) => v.name === "cluster" && JSON.stringify(v.query).includes("k8s_cluster")),
            "a cluster variable over the label",
        );
        const text = cm.inputs.data["metallb-overview.json"];
        assert.ok(text.includes('k8s_cluster=\\"$cluster\\"') || text.includes('k8s_cluster=~\\"$cluster\\"'), "queries filter by the cluster variable");
        assert.ok(text.includes("https://runbooks.example/metallb/"), "runbook links use the given base");

        new MetalLbDashboard("dash-e", { metallbNamespace: "metallb-system", features: FEATURES, delivery: DashboardDelivery.ConfigMap });
        const single = (await registered("dash-e")).find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
        const singleJson = JSON.parse(single.inputs.data["metallb-overview.json"]);
        assert.ok(!singleJson.templating.list.some((v: { name: string }) => v.name === "cluster"), "no cluster variable for a single cluster");
    });

    it("refuses a cluster label that is not a Prometheus label name", async () => {
        assert.throws(
            () =>
                new MetalLbDashboard("dash-f", {
                    metallbNamespace: "metallb-system",
                    features: FEATURES,
                    delivery: DashboardDelivery.ConfigMap,
                    clusterLabel: "k8s-cluster",
                }),
            /args\.clusterLabel: must be a Prometheus label name/,
        );
        assert.deepStrictEqual(await registered("dash-f"), []);
    });
});
