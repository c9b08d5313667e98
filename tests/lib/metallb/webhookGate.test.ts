import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    addWebhookWaitFor,
    CRD_TYPE,
    DEPLOYMENT_TYPE,
    WAIT_FOR_ANNOTATION,
    WEBHOOK_CONFIGURATION_TYPE,
    webhookGateTransform,
    webhookGateTransforms,
    withWebhookReadiness,
} from "../../../lib/metallb/webhookGate";
import { buildMetallbValues } from "../../../lib/metallb/values";

/** The chart's controller Deployment (metallb 0.16.1 templates/controller.yaml, default values). */
const controllerDeployment = () => parse(fs.readFileSync(path.join(__dirname, "fixtures/controller-deployment.yaml"), "utf8"));

/** The chart's webhook entries in order (templates/webhooks.yaml L16, L36, L56, L76, L96, L116). */
const WEBHOOK_NAMES = [
    "bgppeervalidationwebhook.metallb.io",
    "ipaddresspoolvalidationwebhook.metallb.io",
    "bgpadvertisementvalidationwebhook.metallb.io",
    "communityvalidationwebhook.metallb.io",
    "bfdprofilevalidationwebhook.metallb.io",
    "l2advertisementvalidationwebhook.metallb.io",
];
const webhookConfiguration = () => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "metallb-webhook-configuration", annotations: { keep: "me" } },
    webhooks: WEBHOOK_NAMES.map((name) => ({ name, clientConfig: { service: { name: "metallb-webhook-service", namespace: "metallb-system" } } })),
});

/**
 * pulumi-kubernetes' semantics of the annotation, re-implemented for the test: a JSON array means
 * every condition must hold, and a JSONPath condition reads only the first match
 * (pkg/metadata/overrides.go ReadyCondition, pkg/jsonpath/jsonpath.go Matches). Only the
 * `{.webhooks[i].clientConfig.caBundle}` and `{.webhooks[*].clientConfig.caBundle}` forms are handled.
 */
function pulumiWouldWait(annotation: string, live: any): boolean {
    let conditions: string[];
    try {
        conditions = JSON.parse(annotation);
    } catch {
        conditions = [annotation];
    }
    const holds = (c: string) => {
        const m = /^jsonpath=\{\.webhooks\[(\*|\d+)\]\.clientConfig\.caBundle\}$/.exec(c);
        assert.ok(m, `unexpected condition ${c}`);
        const selected = (m[1] === "*" ? live.webhooks : [live.webhooks[Number(m[1])]])
            .map((w: any) => w?.clientConfig?.caBundle)
            .filter((v: unknown) => v !== undefined);
        return selected.length > 0; // results[0] exists
    };
    return !conditions.every(holds);
}

describe("addWebhookWaitFor", () => {
    it("waits until every webhook entry has its CA bundle, not only the first", () => {
        const props = webhookConfiguration();
        const out = addWebhookWaitFor(WEBHOOK_CONFIGURATION_TYPE, props)!;
        const annotation = out.metadata.annotations[WAIT_FOR_ANNOTATION];
        assert.strictEqual(out.metadata.annotations.keep, "me");
        assert.deepStrictEqual(props.metadata.annotations, { keep: "me" }, "input left untouched");

        const live = webhookConfiguration() as any;
        live.webhooks[0].clientConfig.caBundle = "LS0t";
        // The previous single condition was satisfied here already: the first match has a CA.
        assert.strictEqual(pulumiWouldWait("jsonpath={.webhooks[*].clientConfig.caBundle}", live), false);
        assert.strictEqual(pulumiWouldWait(annotation, live), true, "five entries still lack a CA");
        for (const w of live.webhooks.slice(0, -1)) {
            w.clientConfig.caBundle = "LS0t";
        }
        assert.strictEqual(pulumiWouldWait(annotation, live), true, "the last entry still lacks a CA");
        live.webhooks[5].clientConfig.caBundle = "LS0t";
        assert.strictEqual(pulumiWouldWait(annotation, live), false);
        assert.strictEqual(JSON.parse(annotation).length, WEBHOOK_NAMES.length);
    });

    it("waits for the conversion webhook CA on the bgppeers CRD only", () => {
        const out = addWebhookWaitFor(CRD_TYPE, { metadata: { name: "bgppeers.metallb.io" } });
        assert.strictEqual(out?.metadata.annotations[WAIT_FOR_ANNOTATION], "jsonpath={.spec.conversion.webhook.clientConfig.caBundle}");
        assert.strictEqual(addWebhookWaitFor(CRD_TYPE, { metadata: { name: "ipaddresspools.metallb.io" } }), undefined);
    });

    it("leaves every other chart object alone", () => {
        assert.strictEqual(addWebhookWaitFor(DEPLOYMENT_TYPE, controllerDeployment()), undefined);
    });
});

describe("withWebhookReadiness", () => {
    it("makes the chart's controller Ready only when its webhook port accepts connections", () => {
        const chart = controllerDeployment();
        const before = JSON.stringify(chart);
        const out = withWebhookReadiness(DEPLOYMENT_TYPE, chart)!;
        const controller = out.spec.template.spec.containers.find((c: any) => c.name === "controller");
        assert.deepStrictEqual(controller.readinessProbe, {
            tcpSocket: { port: "webhook-server" },
            initialDelaySeconds: 10,
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
        });
        // The named port is the one the chart declares for 9443 (templates/controller.yaml L110-112).
        assert.deepStrictEqual(
            controller.ports.find((p: any) => p.name === controller.readinessProbe.tcpSocket.port),
            { containerPort: 9443, name: "webhook-server", protocol: "TCP" },
        );
        assert.deepStrictEqual(controller.livenessProbe, chart.spec.template.spec.containers[0].livenessProbe, "liveness untouched");
        assert.strictEqual(JSON.stringify(chart), before, "input left untouched");
        const { containers: _a, ...restOut } = out.spec.template.spec;
        const { containers: _b, ...restIn } = chart.spec.template.spec;
        assert.deepStrictEqual(restOut, restIn, "the rest of the pod spec is kept");
    });

    it("adds the probe when the chart's own readiness probe is disabled", () => {
        const chart = controllerDeployment();
        delete chart.spec.template.spec.containers[0].readinessProbe;
        const out = withWebhookReadiness(DEPLOYMENT_TYPE, chart)!;
        assert.deepStrictEqual(out.spec.template.spec.containers[0].readinessProbe, { tcpSocket: { port: "webhook-server" }, periodSeconds: 5 });
    });

    it("leaves a controller without webhook (webhookMode: disabled) and other Deployments alone", () => {
        const noWebhook = controllerDeployment();
        noWebhook.spec.template.spec.containers[0].ports = [{ name: "metricshttps", containerPort: 9120 }];
        assert.strictEqual(withWebhookReadiness(DEPLOYMENT_TYPE, noWebhook), undefined);
        const other = controllerDeployment();
        other.spec.template.spec.containers[0].name = "frr-k8s-webhook-server";
        assert.strictEqual(withWebhookReadiness(DEPLOYMENT_TYPE, other), undefined);
        assert.strictEqual(withWebhookReadiness("kubernetes:apps/v1:DaemonSet", controllerDeployment()), undefined);
    });
});

describe("webhookGateTransform", () => {
    it("applies both gates and keeps the resource options", () => {
        const opts = { parent: "chart" };
        const vwc = webhookGateTransform({ type: WEBHOOK_CONFIGURATION_TYPE, props: webhookConfiguration(), opts });
        assert.strictEqual(vwc?.opts, opts);
        assert.ok(vwc?.props.metadata.annotations[WAIT_FOR_ANNOTATION]);
        const deployment = webhookGateTransform({ type: DEPLOYMENT_TYPE, props: controllerDeployment(), opts });
        assert.deepStrictEqual(deployment?.props.spec.template.spec.containers[0].readinessProbe.tcpSocket, { port: "webhook-server" });
        assert.strictEqual(webhookGateTransform({ type: "kubernetes:core/v1:Service", props: { metadata: {} }, opts }), undefined);
    });
});

describe("webhookGateTransforms (which chart values get the gate)", () => {
    // The webhook configuration and the bgppeers CRD as the chart renders them in every mode
    // (templates/webhooks.yaml and charts/crds/templates/crds.yaml have no webhookMode condition).
    const gated = (overrides?: Record<string, unknown>) => {
        const transforms = webhookGateTransforms(buildMetallbValues({ bgpBackend: "native", overrides }));
        const apply = (type: string, props: any) => transforms.reduce((p, t) => t({ type, props: p, opts: {} })?.props ?? p, props);
        const vwc = apply(WEBHOOK_CONFIGURATION_TYPE, webhookConfiguration());
        const crd = apply(CRD_TYPE, { metadata: { name: "bgppeers.metallb.io" }, spec: {} });
        return { vwc: vwc.metadata.annotations?.[WAIT_FOR_ANNOTATION], crd: crd.metadata.annotations?.[WAIT_FOR_ANNOTATION] };
    };

    it("waits for the CA bundles with the chart's default webhookMode (enabled) and with onlywebhook", () => {
        for (const overrides of [undefined, { controller: { webhookMode: "enabled" } }, { controller: { webhookMode: "onlywebhook" } }]) {
            const { vwc, crd } = gated(overrides);
            assert.ok(vwc, `webhook configuration gated for ${JSON.stringify(overrides)}`);
            assert.ok(crd, `bgppeers CRD gated for ${JSON.stringify(overrides)}`);
        }
    });

    it("adds no wait when nobody writes the CA bundles (webhookMode disabled, controller off)", () => {
        for (const overrides of [{ controller: { webhookMode: "disabled" } }, { controller: { enabled: false } }]) {
            assert.deepStrictEqual(gated(overrides), { vwc: undefined, crd: undefined }, JSON.stringify(overrides));
        }
    });
});
