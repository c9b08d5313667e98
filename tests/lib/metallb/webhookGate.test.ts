import * as assert from "assert";
import { addWebhookWaitFor, CRD_TYPE, WAIT_FOR_ANNOTATION, WEBHOOK_CONFIGURATION_TYPE, webhookGateTransform } from "../../../lib/metallb/webhookGate";

describe("addWebhookWaitFor", () => {
    it("makes Pulumi wait for the CA bundle on the validating webhook configuration", () => {
        const props = { metadata: { name: "metallb-webhook-configuration", annotations: { keep: "me" } }, webhooks: [] };
        const out = addWebhookWaitFor(WEBHOOK_CONFIGURATION_TYPE, props);
        assert.strictEqual(out?.metadata.annotations[WAIT_FOR_ANNOTATION], "jsonpath={.webhooks[*].clientConfig.caBundle}");
        assert.strictEqual(out?.metadata.annotations.keep, "me");
        assert.deepStrictEqual(props.metadata.annotations, { keep: "me" }, "input left untouched");
    });

    it("waits for the conversion webhook CA on the bgppeers CRD only", () => {
        const out = addWebhookWaitFor(CRD_TYPE, { metadata: { name: "bgppeers.metallb.io" } });
        assert.strictEqual(out?.metadata.annotations[WAIT_FOR_ANNOTATION], "jsonpath={.spec.conversion.webhook.clientConfig.caBundle}");
        assert.strictEqual(addWebhookWaitFor(CRD_TYPE, { metadata: { name: "ipaddresspools.metallb.io" } }), undefined);
    });

    it("leaves every other chart object alone", () => {
        assert.strictEqual(addWebhookWaitFor("kubernetes:apps/v1:Deployment", { metadata: { name: "metallb-controller" } }), undefined);
    });

    it("as a transform, annotates the webhook configuration and keeps the resource options", () => {
        const opts = { parent: "chart" };
        const out = webhookGateTransform({ type: WEBHOOK_CONFIGURATION_TYPE, props: { metadata: { name: "metallb-webhook-configuration" } }, opts });
        assert.strictEqual(out?.opts, opts);
        assert.ok(out?.props.metadata.annotations[WAIT_FOR_ANNOTATION]);
        assert.strictEqual(webhookGateTransform({ type: "kubernetes:core/v1:Service", props: { metadata: {} }, opts }), undefined);
    });
});
