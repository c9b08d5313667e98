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
            { metallbNamespace: "metallb-system", features: FEATURES, grafana: { url: "http://192.168.1.250", auth: "admin:pw-abc" } },
            { ...opts, dependsOn: [install] },
        );
        const regs = await registered("dash-a");
        const provider = regs.find((r) => r.type === "pulumi:providers:grafana")!;
        const folder = regs.find((r) => r.type === "grafana:oss/folder:Folder")!;
        const dash = regs.find((r) => r.type === "grafana:oss/dashboard:Dashboard")!;
        assert.strictEqual(provider.inputs.url, "http://192.168.1.250");
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

    it("delivers a ConfigMap for Grafana's sidecar instead, labelled grafana_dashboard: \"1\"", async () => {
        new MetalLbDashboard("dash-b", { metallbNamespace: "metallb-system", features: FEATURES, delivery: DashboardDelivery.ConfigMap, configMapNamespace: "monitoring" });
        const regs = await registered("dash-b");
        assert.ok(!regs.some((r) => r.type.startsWith("grafana:") || r.type === "pulumi:providers:grafana"), "no Grafana API use");
        const cm = regs.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
        assert.deepStrictEqual(cm.inputs.metadata.labels, { grafana_dashboard: "1" });
        assert.strictEqual(cm.inputs.metadata.namespace, "monitoring");
        assert.strictEqual(JSON.parse(cm.inputs.data["metallb-overview.json"]).uid, "metallb-overview");
    });

    it("refuses the API delivery without a Grafana URL and credentials, before registering anything", async () => {
        assert.throws(() => new MetalLbDashboard("dash-c", { metallbNamespace: "metallb-system", features: FEATURES }), /Invalid arguments of MetalLbDashboard "dash-c" \(1 problem\):\n  - args\.grafana: .*needs grafana\.url and grafana\.auth/);
        assert.deepStrictEqual(await registered("dash-c"), []);
    });
});
