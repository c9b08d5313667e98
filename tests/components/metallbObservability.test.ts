import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { isSecret, promiseOf, registered, settle } from "../support/pulumi";
import { MetalLbObservability } from "../../components";
import { recheckValidatedArgs } from "../../components/args";
import { observeTransforms } from "../../components/engine";
import { ARG_SCHEMAS } from "../../components/schemas";
import { alertSettingsSchema } from "../../lib/rules/settings";
import { argsTypeOf } from "../../lib/util/schema";
import { DEPLOYMENT_TYPE, WAIT_FOR_ANNOTATION, WEBHOOK_CONFIGURATION_TYPE } from "../../lib/metallb/webhookGate";

/**
 * The whole-stack component under Pulumi's mocks: what reaches each part, checked on what the parts
 * register (the PrometheusRule's expressions, the dashboard's queries, the chart's transforms and
 * the outputs the engine records), never on the component's own wiring code.
 */

/** Outputs each component registers (RegisterResourceOutputs), by URN, as the engine records them. */
const recordedOutputs = new Map<string, Record<string, unknown>>();
before(() => {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResourceOutputs: (req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } }, cb: unknown) => void;
    };
    const original = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        recordedOutputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        original(req, cb);
    };
});

const POOLS = [
    { name: "services", addresses: ["192.168.10.0/26"] },
    // Grafana's one address: reserved by design, never "exhausted".
    { name: "grafana-vip", addresses: ["192.168.10.64/32"], autoAssign: false },
];

function args(overrides: { metallb?: Record<string, unknown>; monitoring?: Record<string, unknown>; alerts?: Record<string, unknown> } = {}) {
    return {
        metallb: { pools: POOLS, l2Advertisements: [{ name: "l2" }], ...overrides.metallb },
        monitoring: { grafanaAdminPassword: "correct-horse-battery", ...overrides.monitoring },
        alerts: overrides.alerts,
    };
}

/** Every `expr` of the PrometheusRule a whole-stack component registered. */
async function ruleExpressions(name: string): Promise<Map<string, string>> {
    const rule = (await registered(name)).find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.ok(rule, "a PrometheusRule");
    const out = new Map<string, string>();
    for (const g of rule.inputs.spec.groups) {
        for (const r of g.rules) {
            out.set(r.alert ?? r.record, r.expr);
        }
    }
    return out;
}

/** Every query of the dashboard the ConfigMap carries. */
async function dashboardQueries(name: string): Promise<string[]> {
    const cm = (await registered(name)).find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.includes("dashboard"));
    assert.ok(cm, "the dashboard ConfigMap");
    const json = JSON.parse(Object.values(cm.inputs.data as Record<string, string>)[0]);
    const queries: string[] = [];
    const walk = (v: unknown) => {
        if (Array.isArray(v)) {
            v.forEach(walk);
        } else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v)) {
                if (k === "expr" && typeof x === "string") {
                    queries.push(x);
                } else {
                    walk(x);
                }
            }
        }
    };
    walk(json.panels);
    return queries;
}

/** An object as the engine hands it through each transform in turn (a transform may leave it as it is). */
async function applyTransforms(
    transforms: readonly pulumi.ResourceTransform[],
    type: string,
    name: string,
    object: Record<string, any>,
): Promise<Record<string, any>> {
    let props = object;
    for (const t of transforms) {
        const r = await t({ type, name, custom: true, props, opts: {} });
        props = (r?.props as Record<string, any>) ?? props;
    }
    return props;
}

describe("MetalLbObservability (the whole stack)", () => {
    it("leaves a reserved pool (autoAssign false) out of the pool alerts and the pool panels", async () => {
        new MetalLbObservability("whole-reserved", args());
        const exprs = await ruleExpressions("whole-reserved");
        for (const alert of ["MetalLBAddressPoolExhausted", "MetalLBAddressPoolUsageHigh"]) {
            const expr = [...exprs.entries()].find(([k]) => k.startsWith(alert))?.[1];
            assert.ok(expr, `${alert} exists`);
            assert.match(expr, /pool!~"[^"]*grafana-vip[^"]*"/, `${alert} leaves the reserved pool out: ${expr}`);
        }
        const poolQueries = (await dashboardQueries("whole-reserved")).filter((q) => q.includes("metallb_allocator_addresses"));
        assert.ok(poolQueries.length > 0, "the dashboard has pool panels");
        for (const q of poolQueries) {
            assert.match(q, /pool!~"[^"]*grafana-vip[^"]*"/, `pool panel leaves the reserved pool out: ${q}`);
        }
    });

    it("attaches the webhook gate to the MetalLB chart: the webhook configuration waits for its CA bundle", async () => {
        const seen: { resource: string; transforms: readonly pulumi.ResourceTransform[] }[] = [];
        observeTransforms((resource, transforms) => seen.push({ resource, transforms }));
        try {
            new MetalLbObservability("whole-gate", args());
        } finally {
            observeTransforms(undefined);
        }
        const chart = seen.find((s) => s.resource === "whole-gate-metallb-chart");
        assert.ok(chart, `the MetalLB chart's transforms are attached (seen: ${seen.map((s) => s.resource).join(", ")})`);
        // The chart's webhook configuration (metallb 0.16.1 templates/webhooks.yaml), as the transform gets it.
        const webhookConfiguration = {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingWebhookConfiguration",
            metadata: { name: "metallb-webhook-configuration" },
            webhooks: [
                {
                    name: "ipaddresspoolvalidationwebhook.metallb.io",
                    clientConfig: { service: { name: "metallb-webhook-service", namespace: "metallb-system" } },
                },
            ],
        };
        const props = await applyTransforms(
            chart.transforms,
            WEBHOOK_CONFIGURATION_TYPE,
            "whole-gate-metallb-chart:metallb-webhook-configuration",
            webhookConfiguration,
        );
        assert.ok(props.metadata?.annotations?.[WAIT_FOR_ANNOTATION], "the webhook configuration waits for its CA bundle");
        const controller = parse(fs.readFileSync(path.join(__dirname, "../lib/metallb/fixtures/controller-deployment.yaml"), "utf8"));
        const deployment = await applyTransforms(chart.transforms, DEPLOYMENT_TYPE, "whole-gate-metallb-chart:metallb-system/metallb-controller", controller);
        assert.notDeepStrictEqual(deployment, controller, "the controller is only ready when its webhook answers");
    });

    it("registers every output, and keeps the Grafana password secret", async () => {
        const stack = new MetalLbObservability(
            "whole-outputs",
            args({ metallb: { smokeTest: { enabled: true, pool: "services", loadBalancerSourceRanges: ["192.168.1.0/24"] } } }),
        );
        await settle();
        const urn = await promiseOf(stack.urn);
        await settle();
        const outputs = recordedOutputs.get(urn);
        assert.ok(outputs, "outputs registered");
        const expected = [
            "metallbNamespace",
            "metallbRelease",
            "bgpBackend",
            "addressPoolNames",
            "reservedPools",
            "alertNames",
            "monitoringSelectorLabels",
            "prometheusUrl",
            "alertmanagerUrl",
            "grafanaAdminPassword",
            "dashboardUid",
            "smokeTestAddress",
        ];
        // Unset here (a ClusterIP Grafana has no URL from outside), so not serialized: grafanaUrl, dashboardUrl.
        for (const key of expected) {
            assert.ok(key in outputs, `output ${key} registered (got ${Object.keys(outputs).join(", ")})`);
        }
        assert.deepStrictEqual(await promiseOf(stack.reservedPools), ["grafana-vip"]);
        assert.deepStrictEqual(await promiseOf(stack.addressPoolNames), ["services", "grafana-vip"]);
        assert.strictEqual(await promiseOf(stack.metallbNamespace), "metallb-system");
        assert.strictEqual(await isSecret(stack.grafanaAdminPassword), true);
        assert.strictEqual(await promiseOf(stack.grafanaUrl), undefined);
    });

    it("validates its settings once: no part parses what it gets again, at construction or when it resolves", async () => {
        const calls: string[] = [];
        const count = (schema: unknown, label: string) => {
            const s = schema as { safeParse: (...a: unknown[]) => unknown };
            const original = s.safeParse;
            s.safeParse = (...a: unknown[]) => {
                calls.push(label);
                return original(...a);
            };
            return () => {
                s.safeParse = original;
            };
        };
        const restore = ARG_SCHEMAS.map((schema) => count(schema, String(argsTypeOf(schema)?.name)));
        recheckValidatedArgs(false);
        try {
            new MetalLbObservability(
                "whole-once",
                args({
                    metallb: { smokeTest: { enabled: true, pool: "services", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
                    alerts: { clusterLabel: "cluster" },
                }),
            );
            // The alert settings are a section of the stack's settings, parsed in the constructor; a part would parse them again when they resolve.
            restore.push(count(alertSettingsSchema, "alert settings"));
            await settle();
        } finally {
            for (const r of restore) {
                r();
            }
            recheckValidatedArgs(true);
        }
        assert.deepStrictEqual(calls, []);
        assert.ok((await ruleExpressions("whole-once")).size > 0, "the stack was built");
    });

    it("puts every part under the component, and aliases each to the name it had at the stack's root", async () => {
        new MetalLbObservability("whole-parts", args());
        const parts = (await registered("whole-parts")).filter((r) => r.custom === false && r.name !== "whole-parts").map((r) => r.name);
        for (const p of [
            "whole-parts-metallb",
            "whole-parts-address-pools",
            "whole-parts-monitoring",
            "whole-parts-metallb-monitoring",
            "whole-parts-metallb-dashboard",
        ]) {
            assert.ok(parts.includes(p), `${p} (got ${parts.join(", ")})`);
        }
    });

    it("refuses invalid arguments before creating anything, every problem at once, named args.<section>.<key>", async () => {
        assert.throws(
            () =>
                new MetalLbObservability("whole-bad", {
                    metallb: { pools: [{ name: "Bad_Name", addresses: ["10.0.0.0/33"] }] },
                    alerts: { poolUsageWarningPercent: 120 },
                    dashbord: {},
                } as never),
            (err: Error) => {
                assert.match(err.message, /arguments of MetalLbObservability "whole-bad"/);
                assert.match(err.message, /args\.metallb\.pools\[0\]\.name/);
                assert.match(err.message, /args\.metallb\.pools\[0\]\.addresses\[0\]/);
                assert.match(err.message, /args\.alerts\.poolUsageWarningPercent/);
                assert.match(err.message, /args\.dashbord: .*did you mean dashboard/);
                assert.doesNotMatch(err.message, /\n\s+at /, "no stack trace");
                return true;
            },
        );
        assert.deepStrictEqual(await registered("whole-bad"), []);
    });

    it("takes a credential from another resource's output, as a secret", async () => {
        const generated = pulumi.output("generated-password-123");
        const stack = new MetalLbObservability("whole-output-secret", args({ monitoring: { grafanaAdminPassword: generated } }));
        assert.strictEqual(await promiseOf(stack.grafanaAdminPassword), "generated-password-123");
        assert.strictEqual(await isSecret(stack.grafanaAdminPassword), true);
    });
});
