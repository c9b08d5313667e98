import * as assert from "assert";
import { registered } from "../../support/pulumi";
import { DashboardDelivery, MetalLbDashboard } from "../../../components/dashboard";
import { BgpBackend } from "../../../lib/metallb/schema";
import { DEFAULT_DASHBOARD_SETTINGS, dashboardSettingsSchema } from "../../../lib/dashboard/settings";

const FEATURES = { l2: true, bgp: false, bgpBackend: BgpBackend.Native, bfd: false };

describe("dashboard settings (dashboard: namespace)", () => {
    it("defaults every field: ConfigMap delivery, folder MetalLB, uids metallb-overview and metallb", () => {
        assert.deepStrictEqual(DEFAULT_DASHBOARD_SETTINGS, { delivery: "configmap", folder: "MetalLB", uid: "metallb-overview", folderUid: "metallb" });
        assert.deepStrictEqual(dashboardSettingsSchema.parse({ uid: "metallb-prod-eu", folderUid: "prod-eu" }), {
            delivery: "configmap",
            folder: "MetalLB",
            uid: "metallb-prod-eu",
            folderUid: "prod-eu",
        });
    });

    it("refuses uids Grafana or Kubernetes-style names would not take, and unknown keys", () => {
        for (const uid of ["Metallb", "metallb_prod", "-metallb", "metallb-", "a".repeat(41), ""]) {
            assert.ok(!dashboardSettingsSchema.safeParse({ uid }).success, uid);
            assert.ok(!dashboardSettingsSchema.safeParse({ folderUid: uid }).success, uid);
        }
        assert.ok(dashboardSettingsSchema.safeParse({ uid: "a".repeat(40) }).success);
        assert.ok(!dashboardSettingsSchema.safeParse({ uids: "x" }).success);
    });
});

describe("MetalLbDashboard uids per instance", () => {
    it("two clusters push to one Grafana without overwriting each other: their own dashboard and folder uids", async () => {
        for (const [name, uid, folderUid] of [
            ["dash-eu", "metallb-eu", "metallb-eu"],
            ["dash-us", "metallb-us", "metallb-us"],
        ]) {
            new MetalLbDashboard(name, {
                metallbNamespace: "metallb-system",
                features: FEATURES,
                uid,
                folderUid,
                delivery: DashboardDelivery.GrafanaApi,
                grafana: { url: "https://grafana.example", auth: "glsa_pw" },
            });
        }
        const seen = [];
        for (const name of ["dash-eu", "dash-us"]) {
            const regs = await registered(name);
            const folder = regs.find((r) => r.type === "grafana:oss/folder:Folder")!;
            const dash = regs.find((r) => r.type === "grafana:oss/dashboard:Dashboard")!;
            assert.strictEqual(dash.inputs.folder, folder.inputs.uid);
            seen.push([JSON.parse(dash.inputs.configJson).uid, folder.inputs.uid]);
        }
        assert.deepStrictEqual(seen, [
            ["metallb-eu", "metallb-eu"],
            ["metallb-us", "metallb-us"],
        ]);
    });

    it("names the sidecar ConfigMap's file after the uid", async () => {
        new MetalLbDashboard("dash-cm", { metallbNamespace: "metallb-system", features: FEATURES, uid: "metallb-lab", delivery: DashboardDelivery.ConfigMap });
        const cm = (await registered("dash-cm")).find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
        assert.strictEqual(JSON.parse(cm.inputs.data["metallb-lab.json"]).uid, "metallb-lab");
        assert.strictEqual(cm.inputs.metadata.name, "metallb-lab-dashboard");
    });

    it("refuses an invalid uid before registering anything", async () => {
        assert.throws(
            () =>
                new MetalLbDashboard("dash-bad", {
                    metallbNamespace: "metallb-system",
                    features: FEATURES,
                    uid: "MetalLB_Prod",
                    folderUid: "ok",
                    delivery: DashboardDelivery.ConfigMap,
                }),
            /Invalid arguments of MetalLbDashboard "dash-bad" \(1 problem\):\n {2}- args\.uid: .*lower-case/,
        );
        assert.deepStrictEqual(await registered("dash-bad"), []);
    });
});
