/**
 * A real Prometheus (Debian's `prometheus`) on 127.0.0.1, loaded with fixture series through
 * `promtool tsdb create-blocks-from openmetrics` and evaluating our rule file, so queries run
 * against both raw and recorded series.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { metallbRules, RuleFile, withAlertDefaults } from "../../lib/rules";
import { openMetrics, Series } from "./cluster";
import { run } from "./tools";

export interface RunningPrometheus {
    readonly url: string;
    /** Evaluation time of the fixture ("now" for queries). */
    query(expr: string): Promise<unknown[]>;
    queryRange(expr: string, minutes: number): Promise<unknown[]>;
    stop(): Promise<void>;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

async function api(url: string): Promise<unknown[]> {
    const res = await fetch(url);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    if (body.status !== "success") {
        throw new Error(`${url}: ${body.error ?? res.status}`);
    }
    return body.data!.result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Prometheus process on 127.0.0.1 (random free port) over an existing data directory. */
export interface PrometheusProcess {
    readonly url: string;
    /** Replaces the whole prometheus.yml and reloads it (SIGHUP); resolves once Prometheus applied it. */
    reload(configuration: object): Promise<void>;
    stop(): Promise<void>;
}

/**
 * Starts `prometheus` on 127.0.0.1 with a random free port over `dataDir` (blocks already there are
 * served; overlapping blocks are merged, Prometheus >= 2.39), with `ruleFile` evaluated live if
 * given, and waits until it is ready. `configuration` replaces the whole prometheus.yml (scrape jobs,
 * intervals) when given.
 */
export async function launchPrometheus(
    prometheus: string,
    workDir: string,
    dataDir: string,
    ruleFile?: string,
    evaluationInterval = "1s",
    configuration: object = { global: { evaluation_interval: evaluationInterval }, rule_files: ruleFile ? [ruleFile] : [] },
): Promise<PrometheusProcess> {
    const config = path.join(workDir, "prometheus.yml");
    fs.writeFileSync(config, stringify(configuration));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc: ChildProcess = spawn(
        prometheus,
        [
            `--config.file=${config}`,
            `--storage.tsdb.path=${dataDir}`,
            `--web.listen-address=127.0.0.1:${port}`,
            "--storage.tsdb.retention.time=3650d",
            "--log.level=warn",
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    proc.stderr?.on("data", (b) => (log = (log + String(b)).slice(-4000)));
    const stop = async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
            const exited = new Promise((r) => proc.once("exit", r));
            proc.kill("SIGTERM");
            const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
            await exited;
            clearTimeout(timer);
        }
    };
    const deadline = Date.now() + 60_000;
    for (;;) {
        if (proc.exitCode !== null) {
            throw new Error(`prometheus exited ${proc.exitCode}:\n${log.slice(-2000)}`);
        }
        try {
            if ((await fetch(`${url}/-/ready`)).ok) {
                break;
            }
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`prometheus did not become ready:\n${log.slice(-2000)}`);
        }
        await sleep(200);
    }
    // prometheus_config_last_reload_success_timestamp_seconds moves when a reload applied the file.
    const lastReload = async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return Number(/^prometheus_config_last_reload_success_timestamp_seconds (\S+)$/m.exec(text)?.[1] ?? 0);
    };
    const reload = async (next: object) => {
        const before = await lastReload();
        fs.writeFileSync(config, stringify(next));
        // Should the timestamp be rounded to the second, a reload one second later still moves it.
        await sleep(1100);
        proc.kill("SIGHUP");
        const until = Date.now() + 30_000;
        while ((await lastReload()) <= before) {
            if (Date.now() > until) {
                throw new Error(`prometheus did not apply the new configuration:\n${log.slice(-2000)}`);
            }
            await sleep(200);
        }
    };
    return { url, reload, stop };
}

/**
 * A Prometheus holding `minutes` of the fixture's history, ending just now, evaluating `rules` live,
 * every group every second (a group's own interval, such as the dashboard records' 1m, is dropped:
 * the tests wait seconds for a record, not minutes).
 */
export async function startPrometheus(
    tools: { promtool: string; prometheus: string },
    series: readonly Series[],
    rules: RuleFile,
    minutes = 70,
): Promise<RunningPrometheus> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prometheus-"));
    const data = path.join(dir, "data");
    // History ending just now: the rules' 5m rates and the panels' ranges have data, and the rule
    // evaluations that start now append after the last fixture sample.
    const end = Math.floor(Date.now() / 1000) - 5;
    fs.writeFileSync(path.join(dir, "fixture.om"), openMetrics(series, end - minutes * 60, end, 30));
    run(tools.promtool, ["tsdb", "create-blocks-from", "openmetrics", path.join(dir, "fixture.om"), data]);
    const everySecond = { groups: rules.groups.map(({ name, rules: r }) => ({ name, rules: r })) };
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify(everySecond, { lineWidth: 0 }));
    let proc: PrometheusProcess;
    try {
        proc = await launchPrometheus(tools.prometheus, dir, data, path.join(dir, "rules.yaml"));
    } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    }
    const url = proc.url;
    const query = (expr: string) => api(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const queryRange = (expr: string, minutes: number) => {
        const now = Date.now() / 1000;
        return api(`${url}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${now - minutes * 60}&end=${now}&step=15`);
    };
    return {
        url,
        query,
        queryRange,
        stop: async () => {
            await proc.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Polls until the expression returns data (e.g. a recording rule has been evaluated). */
export async function waitForData(p: RunningPrometheus, expr: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await p.query(expr)).length === 0) {
        if (Date.now() > deadline) {
            throw new Error(`no data for ${expr} after ${timeoutMs} ms`);
        }
        await sleep(250);
    }
}

/** Our rule file (lib/rules) for one installation, as the dashboard tests and the benchmark load it. */
export function ourRules(namespace: string, bgpBackend: "native" | "frr-k8s", bgpPools: readonly string[], clusterLabel?: string): RuleFile {
    return metallbRules(withAlertDefaults(clusterLabel ? { clusterLabel } : {}), { namespace, releaseName: "metallb", bgpBackend, bgpPools });
}
