import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { METALLB_DEFAULTS } from "../../lib/metallb/schema";
import { MONITORING_DEFAULTS } from "../../lib/monitoring/schema";
import { buildKpsValues } from "../../lib/monitoring/kps";
import { REFERENCE_VERSIONS } from "../support/reference";

/**
 * Pins kept current: the chart versions in code, docs, README and stack files agree with each other
 * and with the chart data the tests validate against, and Renovate's regexes find every pin.
 */
const ROOT = path.resolve(__dirname, "../..");
/** Upstream chart data (../shared/reference, described by its SOURCES.md files). */
const REFERENCE = path.resolve(ROOT, "../shared/reference");
const FIXTURES = path.join(ROOT, "tests/fixtures/upstream");
const read = (...p: string[]) => fs.readFileSync(path.join(...p), "utf8");
const KPS = MONITORING_DEFAULTS.chartVersion;
const METALLB = METALLB_DEFAULTS.chartVersion;
const VERSION = String.raw`(\d+\.\d+\.\d+)`;

function all(text: string, re: RegExp): string[] {
    return [...text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`))].map((m) => m[1]);
}

const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => path.join("docs", f))].filter((f) => f.endsWith(".md"));
const STACKS = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

describe("pinned chart versions", () => {
    it("the chart data the tests validate against is of the pinned kube-prometheus-stack", () => {
        assert.strictEqual(parse(read(REFERENCE, "kube-prometheus-stack/Chart.yaml")).version, KPS, "reference Chart.yaml");
        assert.deepStrictEqual(
            all(read(REFERENCE, "kube-prometheus-stack/SOURCES.md"), new RegExp(String.raw`kube-prometheus-stack chart \*\*${VERSION}\*\*`)),
            [KPS],
        );
        // The files the tests read (tests/support/reference.ts) are pinned to the same chart version.
        assert.strictEqual(REFERENCE_VERSIONS.kubePrometheusStack.version, KPS, "tests/support/reference.ts");
        // Its Grafana subchart's values (the Grafana reset tests render its pod) are of the version that chart pins.
        const grafana = (parse(read(REFERENCE, "kube-prometheus-stack/Chart.yaml")).dependencies as { name: string; version: string }[]).find(
            (d) => d.name === "grafana",
        );
        assert.strictEqual(REFERENCE_VERSIONS.grafana.version, grafana?.version, "tests/support/reference.ts: the Grafana subchart kube-prometheus-stack pins");
        const fixtureRows = read(FIXTURES, "SOURCES.md")
            .split("\n")
            .filter((l) => l.startsWith("| `kube-prometheus-stack/"));
        for (const row of fixtureRows) {
            assert.deepStrictEqual(all(row, new RegExp(`chart ${VERSION}`)), [KPS], row);
        }
    });

    it("the chart data the tests validate against is of the pinned MetalLB chart", () => {
        assert.deepStrictEqual(all(read(REFERENCE, "metallb/SOURCES.md"), new RegExp(String.raw`## MetalLB v\S+: chart version ${VERSION}`)), [METALLB]);
        // The files the tests read (tests/support/reference.ts: CRDs, values, schema) are of the pinned chart.
        assert.deepStrictEqual([REFERENCE_VERSIONS.metallb.version, REFERENCE_VERSIONS.metallb.tag], [METALLB, `v${METALLB}`]);
    });

    it("README, docs and stack files name the pinned versions", () => {
        const found = { kps: [] as string[], metallb: [] as string[] };
        for (const f of DOCS) {
            const text = read(ROOT, f);
            found.kps.push(...all(text, new RegExp(String.raw`kube-prometheus-stack (?:\(\x60helm\.v3\.Release\x60, pinned )?${VERSION}`)));
            found.kps.push(...all(text, new RegExp(String.raw`\x60monitoring:chartVersion\x60 \| exact version \| \x60${VERSION}\x60`)));
            found.kps.push(
                ...all(
                    text,
                    new RegExp(String.raw`\x60chartVersion\x60, \x60chartRepository\x60 \| Input<string> \| \x60${VERSION}\x60, prometheus-community`),
                ),
            );
            found.metallb.push(...all(text, new RegExp(`MetalLB chart ${VERSION}`)));
            found.metallb.push(...all(text, new RegExp(String.raw`\x60metallb:chartVersion\x60 \| exact version \| \x60${VERSION}\x60`)));
            found.metallb.push(...all(text, new RegExp(String.raw`\x60chartVersion\x60 \| Input<string> \| \x60${VERSION}\x60`)));
        }
        for (const f of STACKS) {
            const config = parse(read(ROOT, f))?.config ?? {};
            if (config["monitoring:chartVersion"] !== undefined) found.kps.push(String(config["monitoring:chartVersion"]));
            if (config["metallb:chartVersion"] !== undefined) found.metallb.push(String(config["metallb:chartVersion"]));
        }
        assert.ok(found.kps.length >= 3 && found.metallb.length >= 3, JSON.stringify(found));
        assert.deepStrictEqual([...new Set(found.kps)], [KPS], "kube-prometheus-stack versions named");
        assert.deepStrictEqual([...new Set(found.metallb)], [METALLB], "MetalLB chart versions named");
    });

    it("the Prometheus Operator the release runs matches the CRDs the tests validate against, and the CRDs follow chart bumps", () => {
        const values = buildKpsValues({
            prometheus: { retention: "10d", scrapeInterval: "30s", evaluationInterval: "30s" },
            alertmanager: { retention: "120h" },
            grafana: { serviceType: "ClusterIP" },
            receivers: { pagerduty: false, pageAllCritical: false, heartbeat: false },
        }) as any;
        // The operator image tag: ours, else the chart's value, else the chart's appVersion (templates/prometheus-operator/deployment.yaml).
        const chartValues = parse(read(REFERENCE, "kube-prometheus-stack/values.yaml"));
        const tag = String(
            values.prometheusOperator?.image?.tag ||
                chartValues.prometheusOperator.image.tag ||
                parse(read(REFERENCE, "kube-prometheus-stack/Chart.yaml")).appVersion,
        ).replace(/^v/, "");
        const crdVersions = new Map<string, string>();
        for (const dir of [path.join(REFERENCE, "kube-prometheus-stack")]) {
            for (const f of fs.readdirSync(dir).filter((x) => /^monitoring\.coreos\.com_.*\.yaml$/.test(x))) {
                for (const doc of parseAllDocuments(read(dir, f))) {
                    const crd = doc.toJS();
                    if (crd?.kind === "CustomResourceDefinition") crdVersions.set(`${dir}/${f}`, crd.metadata.annotations["operator.prometheus.io/version"]);
                }
            }
        }
        crdVersions.set(
            "prometheus-remotewrite.schema.json",
            JSON.parse(read(FIXTURES, "kube-prometheus-stack/prometheus-remotewrite.schema.json"))["x-operator-version"],
        );
        assert.ok(crdVersions.size >= 4);
        for (const [file, version] of crdVersions) {
            assert.strictEqual(version, tag, `${file}: CRDs of operator ${version}, operator image ${tag}`);
        }
        assert.strictEqual(values.crds.enabled, true);
        assert.strictEqual(values.crds.upgradeJob.enabled, true, "crds.upgradeJob applies the new chart's CRDs before an upgrade");
    });
});

describe("Renovate configuration", () => {
    const config = JSON.parse(read(ROOT, ".github/renovate.json"));
    const files = (pattern: string) => {
        const re = new RegExp(pattern.replace(/^\/(.*)\/$/, "$1"));
        const out: string[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
                const rel = dir ? `${dir}/${e.name}` : e.name;
                if (e.isDirectory()) {
                    if (!["node_modules", ".git", "bin"].includes(e.name)) walk(rel);
                } else if (re.test(rel)) out.push(rel);
            }
        };
        walk("");
        return out;
    };
    const PINS: Record<string, string> = { "kube-prometheus-stack": KPS, metallb: METALLB };

    it("finds every chart pin in code (its regexes run on the files)", () => {
        const seen: Record<string, string[]> = {};
        for (const m of config.customManagers) {
            for (const pattern of m.managerFilePatterns) {
                for (const f of files(pattern)) {
                    for (const s of m.matchStrings) {
                        for (const v of all(read(ROOT, f), new RegExp(s.replace("(?<currentValue>", "(")))) {
                            (seen[`${m.depNameTemplate}@${f}`] ??= []).push(v);
                        }
                    }
                }
            }
        }
        assert.deepStrictEqual(seen["kube-prometheus-stack@lib/monitoring/schema.ts"], [KPS]);
        assert.deepStrictEqual(seen["metallb@lib/metallb/schema.ts"], [METALLB]);
        for (const [key, values] of Object.entries(seen)) {
            assert.deepStrictEqual(
                values,
                values.map(() => PINS[key.split("@")[0]]),
                key,
            );
        }
        // Every chartVersion line in a stack file is one a manager reads.
        for (const f of STACKS) {
            const lines = read(ROOT, f).match(/^\s*(monitoring|metallb):chartVersion:.*$/gm) ?? [];
            assert.strictEqual((seen[`kube-prometheus-stack@${f}`]?.length ?? 0) + (seen[`metallb@${f}`]?.length ?? 0), lines.length, f);
        }
    });

    it("groups the pinned CLI and the Pulumi packages, which stay exact pins", () => {
        const pkg = JSON.parse(read(ROOT, "package.json"));
        assert.match(pkg.devDependencies.pulumi, /^\d+\.\d+\.\d+$/, "the CLI is an exact pin");
        const rule = config.packageRules.find((r: any) => r.groupName === "pulumi");
        assert.ok(rule.matchPackageNames.includes("pulumi") && rule.matchPackageNames.includes("@pulumi/**"));
        assert.strictEqual(rule.rangeStrategy, "pin");
    });
});
