import * as assert from "assert";
import { captureOptions, promiseOf, registered, urnOf } from "../support/pulumi";
import { MetalLb } from "../../components/metallb";
import { BgpBackend } from "../../lib/metallb/schema";

describe("MetalLb component", () => {
    it("registers a component with a namespace and the pinned chart as children", async () => {
        const { opts, seen } = captureOptions();
        const lb = new MetalLb("lb-a", { releaseName: "metallb", bgpBackend: BgpBackend.Native }, opts);
        const regs = await registered("lb-a");
        assert.deepStrictEqual(regs.map((r) => r.type).sort(), [
            "kubernetes:core/v1:Namespace",
            "kubernetes:helm.sh/v4:Chart",
            "metallb-observability:index:MetalLb",
        ]);
        // Children are parented to the component (their URN type is qualified by its type).
        const urn = await urnOf(lb.chart);
        assert.match(urn, /metallb-observability:index:MetalLb\$kubernetes:helm\.sh\/v4:Chart::lb-a-chart$/);
        const chartOpts = seen.find((s) => s.type === "kubernetes:helm.sh/v4:Chart")!;
        assert.strictEqual(chartOpts.opts.parent, lb);
        const ns = seen.find((s) => s.type === "kubernetes:core/v1:Namespace")!;
        assert.deepStrictEqual(chartOpts.opts.dependsOn, [ns.resource], "the chart waits for its namespace");
    });

    it("labels the namespace for the privileged Pod Security level", async () => {
        new MetalLb("lb-b", {});
        const ns = (await registered("lb-b")).find((r) => r.type === "kubernetes:core/v1:Namespace")!;
        assert.strictEqual(ns.inputs.metadata.name, "metallb-system");
        for (const mode of ["enforce", "audit", "warn"]) {
            assert.strictEqual(ns.inputs.metadata.labels[`pod-security.kubernetes.io/${mode}`], "privileged");
        }
    });

    it("pins the chart version and repository and installs into the namespace under the release name", async () => {
        new MetalLb("lb-c", { namespace: "lb", releaseName: "edge", chartVersion: "0.16.1" });
        const chart = (await registered("lb-c")).find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
        assert.strictEqual(chart.inputs.chart, "metallb");
        assert.strictEqual(chart.inputs.version, "0.16.1");
        assert.strictEqual(chart.inputs.repositoryOpts.repo, "https://metallb.github.io/metallb");
        assert.strictEqual(chart.inputs.namespace, "lb");
        assert.strictEqual(chart.inputs.name, "edge");
        assert.strictEqual(chart.inputs.values.frrk8s.enabled, false);
    });

    it("renders MetalLB's CRDs as Pulumi resources, so a chart bump updates them", async () => {
        // metallb chart 0.16.1 ships its CRDs as templates of the `crds` subchart
        // (charts/metallb/charts/crds/templates/crds.yaml, condition crds.enabled), not in a `crds/`
        // directory; helm.v4.Chart renders templates as Pulumi resources and sets
        // `IncludeCRDs = !skipCrds` for `crds/` directories (pulumi-kubernetes v4
        // provider/pkg/provider/helm/v4/chart.go). So the CRDs are ordinary objects Pulumi diffs and
        // updates on a chart bump, unless the subchart is switched off.
        new MetalLb("lb-crd", {});
        const chart = (await registered("lb-crd")).find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
        assert.strictEqual(chart.inputs.values.crds.enabled, true, "the crds subchart renders the CRDs");
        assert.notStrictEqual(chart.inputs.skipCrds, true, "CRDs are not skipped");
    });

    it("outputs the pod selectors the Helm chart really puts on controller and speaker", async () => {
        const lb = new MetalLb("lb-d", { releaseName: "edge", bgpBackend: BgpBackend.Native });
        assert.deepStrictEqual(await promiseOf(lb.controllerSelector), {
            "app.kubernetes.io/name": "metallb",
            "app.kubernetes.io/instance": "edge",
            "app.kubernetes.io/component": "controller",
        });
        assert.strictEqual((await promiseOf(lb.speakerSelector))["app.kubernetes.io/component"], "speaker");
        assert.strictEqual(lb.frrK8sSelector, undefined);
        assert.strictEqual(await promiseOf(lb.namespace), "metallb-system");
        assert.strictEqual(await promiseOf(lb.releaseName), "edge");
    });

    it("with frr-k8s, enables the backend and outputs the frr-k8s pod selector", async () => {
        const lb = new MetalLb("lb-e", { bgpBackend: BgpBackend.FrrK8s });
        const chart = (await registered("lb-e")).find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
        assert.strictEqual(chart.inputs.values.frrk8s.enabled, true);
        assert.deepStrictEqual(await promiseOf(lb.frrK8sSelector!), {
            "app.kubernetes.io/name": "frr-k8s",
            "app.kubernetes.io/instance": "metallb",
            "app.kubernetes.io/component": "frr-k8s",
        });
    });

    it("can use a namespace managed elsewhere", async () => {
        const lb = new MetalLb("lb-f", { namespace: "infra", createNamespace: false });
        const regs = await registered("lb-f");
        assert.ok(!regs.some((r) => r.type === "kubernetes:core/v1:Namespace"));
        assert.strictEqual(await promiseOf(lb.namespace), "infra");
    });

    it("registers no transform under the mock runtime, which cannot run them (the gate is tested in lib/metallb)", async () => {
        const { opts, seen } = captureOptions();
        new MetalLb("lb-g", {}, opts);
        await registered("lb-g");
        const chart = seen.find((s) => s.type === "kubernetes:helm.sh/v4:Chart")!;
        assert.deepStrictEqual(chart.opts.transforms, []);
    });
});
