import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { grafanaUrlFor } from "../../../lib/monitoring/grafana";
import { adminPasswordResetProblems, buildKpsValues } from "../../../lib/monitoring/kps";
import { deepMerge } from "../../../lib/util/merge";
import { renderTplDeep } from "../../support/helmTpl";
import { readReference } from "../../support/reference";

describe("grafanaUrlFor", () => {
    const table: [string, string][] = [
        ["192.168.1.250", "http://192.168.1.250"],
        ["fd00::10", "http://[fd00::10]"],
        ["[fd00::10]", "http://[fd00::10]"],
        ["2001:db8::1:0:0:1", "http://[2001:db8::1:0:0:1]"],
        ["grafana.example.org", "http://grafana.example.org"],
    ];
    for (const [address, url] of table) {
        it(`${address} -> ${url}`, () => {
            assert.strictEqual(grafanaUrlFor(address), url);
            assert.doesNotThrow(() => new URL(grafanaUrlFor(address)), "a valid URL");
        });
    }
});

/** Grafana chart 12.11.1 appVersion (kube-prometheus-stack 88.5.3 pins that chart; tests/support/reference.ts). */
const GRAFANA_APP_VERSION = "13.2.0";
const parsedReferences = new Map<string, any>();
/** An upstream chart values file (tests/support/reference.ts), parsed once per process: deepMerge copies, never modifies it. */
const refYaml = (f: string) => {
    const file = `kube-prometheus-stack/${f}`;
    if (!parsedReferences.has(file)) {
        parsedReferences.set(file, parse(readReference(file)));
    }
    return parsedReferences.get(file);
};

/**
 * The Grafana subchart's `.Values` for our kube-prometheus-stack values: the Grafana chart's
 * defaults, then kube-prometheus-stack's `grafana:` section, then ours; `global` from both charts.
 */
function grafanaChartValues(kpsValues: any): any {
    const grafanaDefaults = refYaml("grafana-values.yaml");
    const kpsDefaults = refYaml("values.yaml");
    const merged = deepMerge(deepMerge(grafanaDefaults, kpsDefaults.grafana ?? {}), kpsValues.grafana ?? {});
    merged.global = deepMerge(deepMerge(grafanaDefaults.global ?? {}, kpsDefaults.global ?? {}), kpsValues.global ?? {});
    return merged;
}

/**
 * The `grafana` container's fields the reset depends on, as grafana chart 12.11.1 renders them
 * (charts/grafana/templates/_pod.tpl): image L1246-1251 (registry `global.imageRegistry | default
 * image.registry`, tag `image.tag | default .Chart.AppVersion`, `@sha256:` when image.sha),
 * grafana.ini L1270-1272, storage L1284-1288 (subPath from persistence.subPath), extraSecretMounts
 * L1382, extraVolumeMounts L1388, env GF_PATHS_DATA L1472 (grafana.ini paths.data), envValueFrom,
 * env L1494, envFrom L1498-1520.
 */
function chartGrafanaContainer(v: any) {
    const registry = v.global?.imageRegistry || v.image.registry;
    const image = `${registry}/${v.image.repository}:${v.image.tag || GRAFANA_APP_VERSION}${v.image.sha ? `@sha256:${v.image.sha}` : ""}`;
    const mounts = [
        { name: "config", mountPath: "/etc/grafana/grafana.ini", subPath: "grafana.ini" },
        { name: "storage", mountPath: "/var/lib/grafana", ...(v.persistence?.subPath ? { subPath: v.persistence.subPath } : {}) },
        ...[...(v.extraSecretMounts ?? []), ...(v.extraVolumeMounts ?? [])].map((m: any) => ({ name: m.name, mountPath: m.mountPath })),
    ];
    const env = [
        { name: "GF_PATHS_DATA", value: String(v["grafana.ini"].paths.data) },
        ...Object.entries(v.envValueFrom ?? {}).map(([name, valueFrom]) => ({ name, valueFrom })),
        ...Object.entries(v.env ?? {}).map(([name, value]) => ({ name, value: String(value) })),
    ];
    const envFrom = [
        ...(v.envFromSecret ? [{ secretRef: { name: v.envFromSecret } }] : []),
        ...(v.envFromSecrets ?? []).map((s: any) => ({
            secretRef: { name: s.name, optional: s.optional ?? false },
            ...(s.prefix ? { prefix: s.prefix } : {}),
        })),
        ...(v.envFromConfigMaps ?? []).map((c: any) => ({
            configMapRef: { name: c.name, optional: c.optional ?? false },
            ...(c.prefix ? { prefix: c.prefix } : {}),
        })),
    ];
    return { image, mounts, env, envFrom };
}

const base = {
    prometheus: { retention: "10d", scrapeInterval: "30s", evaluationInterval: "30s" },
    alertmanager: { retention: "120h" },
    grafana: { serviceType: "ClusterIP" as const, adminPasswordRevision: "r1" },
    receivers: { pagerduty: false, pageAllCritical: false, heartbeat: false },
};

/** The init container as the Grafana chart renders it (`tpl` over extraInitContainers), with the chart's own container. */
function renderedPod(overrides?: Record<string, unknown>, persistence?: { size: string }) {
    const kps = buildKpsValues({ ...base, grafana: { ...base.grafana, persistence }, overrides }) as any;
    const values = grafanaChartValues(kps);
    const inits = renderTplDeep(values.extraInitContainers, { Values: values, Chart: { AppVersion: GRAFANA_APP_VERSION } }) as any[];
    const init = inits.find((c) => c.name === "reset-admin-password");
    return { init, main: chartGrafanaContainer(values), values };
}

/** Runs the init container's command with its rendered env and a fake `grafana` that records argv and stdin. */
function runInit(init: any, files: Record<string, string>, dir: string) {
    for (const [f, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, content);
    }
    fs.writeFileSync(path.join(dir, "grafana"), `#!/bin/sh\necho "$@" > ${dir}/args\ncat > ${dir}/stdin\n`, { mode: 0o755 });
    const env: Record<string, string> = { PATH: `${dir}:/usr/bin:/bin`, GRAFANA_ADMIN_PASSWORD: "n3w p@ss'word" };
    for (const e of init.env) {
        if (e.value !== undefined) env[e.name] = e.value;
    }
    const [sh, flag, script] = init.command;
    const r = spawnSync(sh, [flag, script], { env, encoding: "utf8" });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
    return { status: r.status, stdout: r.stdout, args: read("args")?.trim(), stdin: read("stdin") };
}

describe("Grafana admin password reset, on the pod the Grafana chart renders", () => {
    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "grafana-reset-"));
    const CLI = "cli --homepath /usr/share/grafana --config /etc/grafana/grafana.ini admin reset-admin-password --password-from-stdin";

    it("runs the Grafana container's image, also from a registry mirror (global.imageRegistry, image.registry, sha)", () => {
        for (const overrides of [
            undefined,
            { global: { imageRegistry: "registry.internal:5000" } },
            { grafana: { image: { registry: "mirror.example", tag: "13.2.1", sha: "abc123" } } },
            { global: { imageRegistry: "registry.internal:5000" }, grafana: { image: { registry: "mirror.example" } } },
        ]) {
            const { init, main } = renderedPod(overrides);
            assert.strictEqual(init.image, main.image, JSON.stringify(overrides));
        }
        assert.strictEqual(renderedPod().init.image, `docker.io/grafana/grafana:${GRAFANA_APP_VERSION}`);
        assert.strictEqual(
            renderedPod({ global: { imageRegistry: "registry.internal:5000" } }).init.image,
            `registry.internal:5000/grafana/grafana:${GRAFANA_APP_VERSION}`,
        );
    });

    it("mounts grafana.ini and the data volume where the Grafana container has them (with and without subPath)", () => {
        for (const [overrides, persistence] of [
            [undefined, undefined],
            [undefined, { size: "5Gi" }],
            [{ grafana: { persistence: { subPath: "grafana-data" } } }, { size: "5Gi" }],
            [{ grafana: { extraVolumeMounts: [{ name: "data", mountPath: "/data", readOnly: false }] } }, undefined],
        ] as const) {
            const { init, main } = renderedPod(overrides as any, persistence);
            for (const m of main.mounts) {
                assert.ok(
                    init.volumeMounts.some((i: any) => i.name === m.name && i.mountPath === m.mountPath && i.subPath === (m as any).subPath),
                    `${JSON.stringify(m)} in ${JSON.stringify(init.volumeMounts)}`,
                );
            }
        }
        const { init } = renderedPod({ grafana: { persistence: { subPath: "grafana-data" } } }, { size: "5Gi" });
        assert.deepStrictEqual(
            init.volumeMounts.find((m: any) => m.name === "storage"),
            { name: "storage", mountPath: "/var/lib/grafana", subPath: "grafana-data" },
        );
    });

    it("has the Grafana container's environment (GF_PATHS_DATA, env, envValueFrom, envFrom)", () => {
        const { init, main } = renderedPod({
            grafana: {
                env: { GF_DATABASE_WAL: "true" },
                envValueFrom: { GF_SECURITY_SECRET_KEY: { secretKeyRef: { name: "grafana-secret-key", key: "key" } } },
                envFromSecret: "grafana-env",
                envFromSecrets: [{ name: "more", prefix: "GF_" }],
                envFromConfigMaps: [{ name: "cm", optional: true }],
            },
        });
        for (const e of main.env) {
            assert.deepStrictEqual(
                init.env.find((i: any) => i.name === e.name),
                e,
                e.name,
            );
        }
        assert.deepStrictEqual(init.envFrom, main.envFrom);
        assert.deepStrictEqual(
            renderedPod().init.env.find((e: any) => e.name === "GF_PATHS_DATA"),
            { name: "GF_PATHS_DATA", value: "/var/lib/grafana/" },
        );
    });

    it("SQLite on the volume: resets through the mounted grafana.ini, the password on stdin", () => {
        const dir = tmp();
        const data = path.join(dir, "var-lib-grafana");
        const { init } = renderedPod({ grafana: { "grafana.ini": { paths: { data } } } }, { size: "5Gi" });
        const r = runInit(init, { [path.join(data, "grafana.db")]: "SQLite format 3" }, dir);
        assert.strictEqual(r.status, 0, r.stdout);
        assert.strictEqual(r.args, CLI);
        assert.strictEqual(r.stdin, "n3w p@ss'word", "exactly the password, through stdin, not argv");
        assert.ok(!JSON.stringify(init).includes("n3w p@ss"), "no password in the pod spec");
    });

    it("custom paths.data and [database] path: looks for the database where Grafana keeps it", () => {
        const dir = tmp();
        const data = path.join(dir, "custom-data");
        const { init } = renderedPod({ grafana: { "grafana.ini": { paths: { data }, database: { path: "db/main.db" } } } });
        // A database under the default location must not count: Grafana uses <paths.data>/db/main.db.
        assert.strictEqual(runInit(init, { [path.join(data, "grafana.db")]: "SQLite format 3" }, dir).args, undefined);
        const r = runInit(init, { [path.join(data, "db", "main.db")]: "SQLite format 3" }, dir);
        assert.strictEqual(r.args, CLI);
    });

    it("ephemeral storage or first start: no database yet, so Grafana applies the Secret's password itself", () => {
        const dir = tmp();
        const { init } = renderedPod({ grafana: { "grafana.ini": { paths: { data: path.join(dir, "empty") } } } });
        const r = runInit(init, {}, dir);
        assert.strictEqual(r.status, 0);
        assert.strictEqual(r.args, undefined, "grafana cli not called");
    });

    it("external database: refuses with what to do, unless the init container is replaced", () => {
        for (const grafana of [
            { "grafana.ini": { database: { type: "postgres", host: "pg:5432" } } },
            { "grafana.ini": { database: { type: "mysql" } } },
            { env: { GF_DATABASE_TYPE: "postgres" } },
            { env: { GF_DATABASE_URL: "postgres://grafana@pg:5432/grafana" } },
        ]) {
            const message = adminPasswordResetProblems({ grafana });
            assert.ok(message, JSON.stringify(grafana));
            assert.match(message!, /external (postgres|mysql) database/);
            assert.match(message!, /extraInitContainers to \[\]/);
            assert.strictEqual(adminPasswordResetProblems({ grafana: { ...grafana, extraInitContainers: [] } }), undefined);
        }
        assert.strictEqual(adminPasswordResetProblems({ grafana: { "grafana.ini": { database: { type: "sqlite3" } } } }), undefined);
        assert.strictEqual(adminPasswordResetProblems(undefined), undefined);
        // The opt-out really removes the init container.
        assert.deepStrictEqual(renderedPod({ grafana: { extraInitContainers: [] } }).values.extraInitContainers, []);
    });
});
