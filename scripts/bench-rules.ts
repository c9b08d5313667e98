/**
 * Rule-evaluation cost benchmark: rule files evaluated live by real Prometheus servers on a synthetic
 * MetalLB cluster, side by side in one run.
 *
 *   npm run bench:rules -- [--rules ours|<name>=<file> ...] [--nodes 100,500,1000] [--services 200]
 *     [--backend frr-k8s|native] [--cycles 4] [--rounds 2] [--repeat 5] [--warmup 16] [--timeout <minutes>]
 *     [--prometheus <binary>] [--out report.json] [--markdown report.md]
 *
 * For each node count: the cluster of the dashboard benchmark (scripts/bench-dashboard.ts
 * benchCluster, series labelled as tests/support/cluster.ts labels them) is served live on
 * 127.0.0.1 (text exposition, the values it has now), one scrape target per job and instance as in a
 * real cluster (each speaker, each frr-k8s endpoint, kube-state-metrics...), and scraped every 30 s by
 * one `prometheus` per rule file (honor_labels, so the series keep their job/namespace/node labels,
 * and Prometheus spreads the targets' scrapes over the interval), each evaluating its
 * rule file every 15 s; 75 minutes of history (the longest window is 1 h) are backfilled with
 * `promtool tsdb create-blocks-from openmetrics` and handed to each Prometheus, which loads them at
 * its next block reload. Once the history is loaded and the rules ran for `--warmup` minutes
 * (default 16: rules that read 15 minutes of recorded series read a full window), the benchmark reads
 * `/api/v1/rules` after each of `--cycles` cycles (each group's and rule's `evaluationTime`) of each
 * server in turn, the others' rule files unloaded meanwhile (they keep scraping); the turns
 * alternate over `--rounds` rounds, each measuring its share of every server's cycles. Then
 * the servers stop scraping and evaluating, and each rule's query is re-run `--repeat` times with
 * `stats=all` at its evaluation time, round the servers one query at a time (Prometheus 2.42 has no
 * samples counter; and a query alone on the machine waits for no scrape or other evaluation, which
 * a live cycle's may). It reports, per rule file, the median evaluation seconds per cycle, the
 * sum of the rules' median re-run seconds, the samples per cycle and the five most expensive rules,
 * then the growth with the node count. A group with an interval of its own (ours: the dashboard's
 * records, every minute) counts its share of a 15 s cycle (a quarter of one evaluation). Loopback
 * only; every process it starts is stopped at the end, on error or on Ctrl-C, and the whole run is
 * bounded by `--timeout` (default: the warm-up plus 8 minutes and 2 + `--rounds` per rule file for
 * each node count, 96 minutes for the default three with two files; a node count takes about 22).
 * `ours` is this checkout's rule file (lib/rules, frr-k8s or native, one BGP pool). `--prometheus`
 * runs another Prometheus binary than the one on the PATH (every server of the run is that one; its
 * `--version` goes into the report): the cost of a rule depends on the version (2.42 sorts the
 * series of every selector by their labels, 2.50 and later do not; docs/benchmarks.md).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments, stringify } from "yaml";
import { clusterSeries, Labels, NS, Series, writeOpenMetricsFiles } from "../tests/support/cluster";
import { freePort, launchPrometheus, ourRules } from "../tests/support/prometheus";
import { benchCluster } from "./bench-dashboard";
import { Cycle, cycleOf, FileCost, fileCost, markdownReport, Replay, RulesResponse, rulesOf } from "./bench/rule-cost";
import { moveBlocks, runTool } from "./bench/tsdb";
import { flags } from "./bench/flags";

const SCRAPE_SECONDS = 30;
const EVAL_SECONDS = 15;
const HISTORY_MINUTES = 75;

interface Options {
    rules: { name: string; file: string }[];
    nodes: number[];
    services: number;
    backend: "native" | "frr-k8s";
    cycles: number;
    /** Turns each server's live cycles are split into, the servers alternating (see {@link turnCycles}). */
    rounds: number;
    repeat: number;
    out?: string;
    markdown?: string;
    timeoutMs: number;
    warmupMs: number;
    /** The Prometheus binary every server of the run is (default: `prometheus` on the PATH). */
    prometheus: string;
}

/**
 * How many cycles each of a server's `rounds` turns measures: `cycles` split as evenly as possible,
 * the larger turns first (6 in 3: 2, 2, 2; 5 in 2: 3, 2).
 */
export function turnCycles(cycles: number, rounds: number): number[] {
    return Array.from({ length: rounds }, (_, i) => Math.floor(cycles / rounds) + (i < cycles % rounds ? 1 : 0));
}

export function parseArgs(argv: readonly string[]): Options {
    const o: Options = {
        rules: [],
        nodes: [100, 500, 1000],
        services: 200,
        backend: "frr-k8s",
        cycles: 4,
        rounds: 2,
        repeat: 5,
        // Set once every flag is read: by default it follows the node counts and the warm-up.
        timeoutMs: Number.NaN,
        warmupMs: 16 * 60_000,
        prometheus: "prometheus",
    };
    for (const { flag, values, one } of flags(argv)) {
        switch (flag) {
            case "--rules":
                for (const v of values) {
                    const eq = v.indexOf("=");
                    if (v === "ours") {
                        o.rules.push({ name: "ours", file: "ours" });
                    } else if (eq > 0) {
                        o.rules.push({ name: v.slice(0, eq), file: v.slice(eq + 1) });
                    } else {
                        o.rules.push({ name: path.basename(v), file: v });
                    }
                }
                break;
            case "--nodes":
                o.nodes = one().split(",").map(Number);
                break;
            case "--services":
                o.services = Number(one());
                break;
            case "--backend":
                o.backend = one() === "native" ? "native" : "frr-k8s";
                break;
            case "--cycles":
                o.cycles = Number(one());
                break;
            case "--rounds":
                o.rounds = Number(one());
                break;
            case "--repeat":
                o.repeat = Number(one());
                break;
            case "--out":
                o.out = one();
                break;
            case "--markdown":
                o.markdown = one();
                break;
            case "--warmup":
                o.warmupMs = Number(one()) * 60_000;
                break;
            case "--timeout":
                o.timeoutMs = Number(one()) * 60_000;
                break;
            case "--prometheus":
                o.prometheus = one();
                break;
            default:
                throw new Error(`unknown argument ${flag}`);
        }
    }
    if (o.rules.length === 0) {
        o.rules.push({ name: "ours", file: "ours" });
    }
    if (!Number.isInteger(o.cycles) || o.cycles < 1) {
        throw new Error(`--cycles must be a whole number of at least 1; got ${o.cycles}`);
    }
    if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > o.cycles) {
        throw new Error(
            `--rounds must be a whole number from 1 to --cycles (${o.cycles}): each round measures at least one cycle of each file; got ${o.rounds}`,
        );
    }
    if (Number.isNaN(o.timeoutMs)) {
        // Each node count warms up, then backfills (up to 4 minutes at 1,000 nodes), measures each file
        // in turn (about 2.5 minutes each, and about 1 more for each further round: the turn's settling
        // cycles) and re-runs every query (about 2 minutes at 1,000 nodes).
        o.timeoutMs = o.nodes.length * (o.warmupMs + (8 + (2 + o.rounds) * o.rules.length) * 60_000);
    }
    const names = o.rules.map((r) => r.name);
    if (new Set(names).size !== names.length) {
        throw new Error(`rule file names must differ: ${names.join(", ")}`);
    }
    if (
        !o.nodes.every((n) => Number.isInteger(n) && n >= 2 && n <= 2000) ||
        !(o.services >= 4 && o.services <= 2000) ||
        !(o.cycles >= 1 && o.cycles <= 20) ||
        !(o.repeat >= 1 && o.repeat <= 20)
    ) {
        throw new Error("--nodes 2..2000 (comma-separated), --services 4..2000, --cycles 1..20, --repeat 1..20");
    }
    return o;
}

/**
 * A file Prometheus loads as a rule file: a rule file as it is, PrometheusRule manifests (one or
 * several YAML documents) as their `spec.groups` written to `out`.
 */
export function asRuleFile(file: string, out: string): string {
    const docs = parseAllDocuments(fs.readFileSync(file, "utf8"))
        .map((d) => d.toJS() as { spec?: { groups?: unknown[] }; groups?: unknown[] } | null)
        .filter((d) => d !== null && typeof d === "object");
    if (!docs.some((d) => d!.spec?.groups)) {
        return path.resolve(file);
    }
    fs.writeFileSync(out, stringify({ groups: docs.flatMap((d) => d!.spec?.groups ?? d!.groups ?? []) }, { lineWidth: 0 }));
    return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const labelText = (labels: Labels) =>
    Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
        .join(",");

/** A scrape target of the synthetic cluster: its path on the exposition server and its series. */
interface Target {
    readonly path: string;
    /** Prometheus' own series of the target (`up`, `scrape_*`) take this `instance`; unique per target. */
    readonly instance: string;
    readonly series: readonly Series[];
}

/**
 * The cluster's series split into scrape targets as Prometheus scrapes a real cluster: one target per
 * job and instance (a speaker's, an frr-k8s pod's, kube-state-metrics', the API server's), each
 * scraped at its own offset within the interval (Prometheus spreads targets by their hash). One
 * target holding every series would load each server with one scrape of the whole cluster at one
 * moment of the interval, and a rule file whose evaluation happens to fall on it would look slower.
 */
export function scrapeTargets(series: readonly Series[]): Target[] {
    const byTarget = new Map<string, Series[]>();
    for (const s of series) {
        const key = `${s.labels.job ?? ""}/${s.labels.instance ?? ""}`;
        const list = byTarget.get(key);
        if (list) {
            list.push(s);
        } else {
            byTarget.set(key, [s]);
        }
    }
    return [...byTarget.entries()].map(([instance, list], i) => ({ path: `/targets/${i}`, instance, series: list }));
}

/**
 * Serves each target's series as they are `minute` minutes into the scenario (text exposition), one
 * body per target and 15 s.
 */
async function exposition(targets: readonly Target[], minuteAt: (ms: number) => number): Promise<{ address: string; close: () => Promise<void> }> {
    const cached = new Map<string, { slot: number; body: Buffer }>();
    const body = (t: Target) => {
        const slot = Math.floor(Date.now() / 15_000);
        const hit = cached.get(t.path);
        if (hit?.slot === slot) {
            return hit.body;
        }
        const m = minuteAt(Date.now());
        const lines: string[] = [];
        for (const s of t.series) {
            if ((s.from === undefined || m >= s.from) && (s.until === undefined || m < s.until)) {
                lines.push(`${s.name}{${labelText(s.labels)}} ${s.value(m)}`);
            }
        }
        const b = Buffer.from(`${lines.join("\n")}\n`);
        cached.set(t.path, { slot, body: b });
        return b;
    };
    const byPath = new Map(targets.map((t) => [t.path, t]));
    const server = http.createServer((req, res) => {
        const t = byPath.get(req.url ?? "");
        if (!t) {
            res.writeHead(404).end();
            return;
        }
        const b = body(t);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4", "content-length": b.length });
        res.end(b);
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    return { address: `127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

interface Prom {
    readonly name: string;
    readonly url: string;
    readonly data: string;
    /** Unloads (false) or loads again (true) the rule file; the scraping goes on either way. */
    evaluate(on: boolean): Promise<void>;
    /** Stops scraping and evaluating (the data stays queryable). */
    quiet(): Promise<void>;
    stop(): Promise<void>;
}

/** One Prometheus on 127.0.0.1 scraping every target every 30 s and evaluating `ruleFile` every 15 s. */
async function startPrometheus(binary: string, name: string, dir: string, address: string, targets: readonly Target[], ruleFile: string): Promise<Prom> {
    const data = path.join(dir, "data");
    fs.mkdirSync(data, { recursive: true });
    const global = { scrape_interval: `${SCRAPE_SECONDS}s`, scrape_timeout: "25s", evaluation_interval: `${EVAL_SECONDS}s` };
    const scrape_configs = [
        {
            job_name: "synthetic-cluster",
            honor_labels: true,
            static_configs: targets.map((t) => ({ targets: [address], labels: { __metrics_path__: t.path, instance: t.instance } })),
        },
    ];
    const { url, reload, stop } = await launchPrometheus(binary, dir, data, ruleFile, `${EVAL_SECONDS}s`, { global, rule_files: [ruleFile], scrape_configs });
    const evaluate = async (on: boolean) => {
        await reload({ global, rule_files: on ? [ruleFile] : [], scrape_configs });
        const groups = (await getJson<RulesResponse>(`${url}/api/v1/rules`)).data?.groups ?? [];
        if (on !== groups.length > 0) {
            throw new Error(`${name}: ${on ? "no rule groups" : "still evaluating"} after the reload`);
        }
    };
    // Without scrape jobs and rule files: Prometheus keeps its data and answers queries, and does nothing else.
    const quiet = async () => {
        await reload({ global });
        const [rules, scraping] = await Promise.all([
            getJson<RulesResponse>(`${url}/api/v1/rules`),
            getJson<{ data?: { activeTargets?: unknown[] } }>(`${url}/api/v1/targets`),
        ]);
        if ((rules.data?.groups ?? []).length > 0 || (scraping.data?.activeTargets ?? []).length > 0) {
            throw new Error(`${name}: still evaluating or scraping after the reload`);
        }
    };
    return { name, url, data, evaluate, quiet, stop };
}

async function getJson<T>(url: string, params?: Record<string, string>): Promise<T> {
    const res = await fetch(url, {
        method: params ? "POST" : "GET",
        ...(params ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(params).toString() } : {}),
        signal: AbortSignal.timeout(120_000),
    });
    return (await res.json()) as T;
}

/** Copies the history blocks into a running Prometheus' data directory (renamed into place: it loads them at its next reload). */
function handBlocks(blocks: string, data: string): void {
    for (const b of fs.readdirSync(blocks)) {
        const tmp = path.join(data, `.copy-${b}`);
        fs.cpSync(path.join(blocks, b), tmp, { recursive: true });
        fs.renameSync(tmp, path.join(data, b));
    }
}

/** Waits for `n` new evaluation cycles of every group; returns them. */
async function cycles(p: Prom, n: number, deadline: number): Promise<{ cycles: Cycle[]; last: RulesResponse }> {
    const out: Cycle[] = [];
    let last = await getJson<RulesResponse>(`${p.url}/api/v1/rules`);
    let seen = cycleOf(last, EVAL_SECONDS).at;
    while (out.length < n) {
        if (Date.now() > deadline) {
            throw new Error(`${p.name}: timed out waiting for evaluation cycles`);
        }
        await sleep(500);
        const body = await getJson<RulesResponse>(`${p.url}/api/v1/rules`);
        const c = cycleOf(body, EVAL_SECONDS);
        // A cycle is complete when the groups evaluated every cycle evaluated again (their latest lastEvaluation moved).
        if (c.at !== seen) {
            seen = c.at;
            out.push(c);
            last = body;
        }
    }
    return { cycles: out, last };
}

interface QueryStats {
    data?: { stats?: { timings?: { evalTotalTime?: number }; samples?: { totalQueryableSamples?: number } } };
}

/**
 * Each rule's query re-run `repeat` times at its last evaluation time (query stats): the samples it
 * reads and the engine seconds of each run. The servers are quiet by then (no scrapes, no
 * evaluations) and the passes go round them one query at a time, so each query has the machine to
 * itself: the live evaluation seconds also count waiting for what else runs at that moment (the
 * scrapes of both servers and the exposition, the other server's evaluations).
 */
async function replayRules(proms: readonly { p: Prom; body: RulesResponse }[], repeat: number): Promise<Map<string, Replay>[]> {
    const out = proms.map(() => new Map<string, { samples: number; seconds: number[] }>());
    for (let pass = 0; pass < repeat; pass++) {
        for (const [i, { p, body }] of proms.entries()) {
            for (const g of body.data?.groups ?? []) {
                const time = String(Date.parse(g.lastEvaluation) / 1000);
                for (const [j, r] of g.rules.entries()) {
                    const res = await getJson<QueryStats>(`${p.url}/api/v1/query`, { query: r.query, time, stats: "all" });
                    const key = `${g.file};${g.name};${j}`;
                    const entry = out[i].get(key) ?? { samples: res.data?.stats?.samples?.totalQueryableSamples ?? 0, seconds: [] };
                    entry.seconds.push(res.data?.stats?.timings?.evalTotalTime ?? 0);
                    out[i].set(key, entry);
                }
            }
        }
    }
    return out;
}

async function main(): Promise<void> {
    const started = Date.now();
    const o = parseArgs(process.argv.slice(2));
    const deadline = started + o.timeoutMs;
    const log = (m: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rules-"));
    const running: { stop(): Promise<void> }[] = [];
    const cleanup = async () => {
        await Promise.all(running.splice(0).map((r) => r.stop().catch(() => undefined)));
        fs.rmSync(dir, { recursive: true, force: true });
    };
    const interrupted = (signal: NodeJS.Signals) => void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    process.once("SIGINT", interrupted);
    process.once("SIGTERM", interrupted);
    const timer = setTimeout(() => {
        log("timed out");
        interrupted("SIGTERM");
    }, o.timeoutMs + 60_000);
    try {
        // "prometheus, version 2.42.0+ds (branch: ...)": the version, for the report.
        let version: string;
        try {
            version = /version (\S+)/.exec(execFileSync(o.prometheus, ["--version"], { encoding: "utf8" }))?.[1] ?? "unknown";
        } catch (e) {
            throw new Error(`--prometheus ${o.prometheus}: cannot run it (${(e as Error).message.split("\n")[0]})`);
        }
        log(`${o.prometheus}: Prometheus ${version}`);
        const files = o.rules.map((r) => {
            if (r.file !== "ours") {
                return { name: r.name, file: asRuleFile(r.file, path.join(dir, `${r.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.yaml`)) };
            }
            const file = path.join(dir, "ours.yaml");
            fs.writeFileSync(file, stringify(ourRules(NS, o.backend, ["services-bgp"]), { lineWidth: 0 }));
            return { name: r.name, file };
        });
        const runs: { nodes: number; series: number; files: Record<string, FileCost> }[] = [];
        for (const nodes of o.nodes) {
            const runDir = path.join(dir, `n${nodes}`);
            fs.mkdirSync(runDir);
            const spec = benchCluster({ nodes, services: o.services, backend: o.backend });
            const series = clusterSeries(spec, HISTORY_MINUTES);
            // Scenario minute HISTORY_MINUTES is t0; the history ends one scrape before it, the live scrapes start at it.
            const t0 = Math.floor(Date.now() / 1000 / SCRAPE_SECONDS) * SCRAPE_SECONDS;
            const targets = scrapeTargets(series);
            const server = await exposition(targets, (ms) => HISTORY_MINUTES + (ms / 1000 - t0) / 60);
            running.push({ stop: server.close });
            const proms: Prom[] = [];
            const promStarted = Date.now();
            for (const f of files) {
                const p = await startPrometheus(
                    o.prometheus,
                    f.name,
                    path.join(runDir, f.name.replace(/[^A-Za-z0-9_.-]/g, "_")),
                    server.address,
                    targets,
                    f.file,
                );
                running.push(p);
                proms.push(p);
            }
            log(
                `${nodes} nodes: ${series.length} series served by ${targets.length} targets, ${proms.length} Prometheus scraping; backfilling ${HISTORY_MINUTES} minutes`,
            );
            const parts = writeOpenMetricsFiles(
                series,
                t0 - HISTORY_MINUTES * 60,
                t0 - SCRAPE_SECONDS,
                SCRAPE_SECONDS,
                [0, 1].map((i) => path.join(runDir, `history-${i}.om`)),
            );
            const blocks = path.join(runDir, "blocks");
            fs.mkdirSync(blocks);
            await Promise.all(
                parts.map(async (p, i) => {
                    const out = path.join(runDir, `blocks-${i}`);
                    await runTool("promtool", ["tsdb", "create-blocks-from", "openmetrics", p, out], 900_000);
                    moveBlocks(out, blocks);
                    fs.rmSync(p);
                }),
            );
            for (const p of proms) {
                handBlocks(blocks, p.data);
            }
            fs.rmSync(blocks, { recursive: true, force: true });
            // Loaded when the oldest history answers (Prometheus reloads blocks every minute).
            for (const p of proms) {
                for (;;) {
                    const r = await getJson<{ data?: { result?: unknown[] } }>(`${p.url}/api/v1/query`, {
                        query: `count(up offset ${HISTORY_MINUTES - 5}m)`,
                    });
                    if ((r.data?.result ?? []).length > 0) {
                        break;
                    }
                    if (Date.now() > deadline) {
                        throw new Error(`${p.name}: history not loaded`);
                    }
                    await sleep(2000);
                }
            }
            const warm = promStarted + o.warmupMs - Date.now();
            log(`${nodes} nodes: history loaded; measuring ${o.cycles} cycles in ${Math.max(0, Math.round(warm / 1000))} s`);
            await sleep(Math.max(0, warm));
            // Each server's cycles in turn, while the others scrape but evaluate nothing (their rule
            // files unloaded for the turn): evaluated side by side, a server's evaluation also waits
            // for the CPU whenever another's runs, so each file's figure would depend on the other
            // files' cost. Every file's turn has the same background: both servers scraping the
            // cluster and the exposition rendering it. A server that unloads its rules marks its
            // records stale; loaded back, it has its previous evaluation's records to read (`offset
            // 1s`) again from its second evaluation, and its own turn starts three or more later.
            // The turns alternate over `--rounds` rounds, each measuring its share of the cycles, so
            // that the machine's speed drifting during the run (it does, by a fifth and more over a
            // few minutes) weighs on every file alike rather than on whichever came last.
            const measured = proms.map(() => ({ cycles: [] as Cycle[], last: undefined as RulesResponse | undefined }));
            for (const [round, count] of turnCycles(o.cycles, o.rounds).entries()) {
                for (const [i, p] of proms.entries()) {
                    const others = proms.filter((q) => q !== p);
                    const what = `${p.name}${o.rounds > 1 ? `, round ${round + 1} of ${o.rounds}` : ""}`;
                    log(`${nodes} nodes: measuring ${what}${others.length > 0 ? ` (${others.map((q) => q.name).join(", ")} not evaluating)` : ""}`);
                    await Promise.all(others.map((q) => q.evaluate(false)));
                    // Let evaluations under way when the configuration changed finish.
                    await sleep(EVAL_SECONDS * 1000);
                    await cycles(p, 2, deadline);
                    const turn = await cycles(p, count, deadline);
                    measured[i].cycles.push(...turn.cycles);
                    measured[i].last = turn.last;
                    await Promise.all(others.map((q) => q.evaluate(true)));
                }
            }
            await Promise.all(proms.map((p) => p.quiet()));
            // Let evaluations and scrapes under way when the configuration changed finish.
            await sleep(EVAL_SECONDS * 1000);
            const replays = await replayRules(
                proms.map((p, i) => ({ p, body: measured[i].last! })),
                o.repeat,
            );
            const costs: Record<string, FileCost> = {};
            for (const [i, p] of proms.entries()) {
                const { cycles: cs, last } = measured[i];
                costs[p.name] = fileCost(rulesOf(last!, EVAL_SECONDS), cs, replays[i]);
                const c = costs[p.name];
                log(
                    `${nodes} nodes, ${p.name}: ${c.seconds.toFixed(3)} s evaluation, ${c.querySeconds.toFixed(3)} s queries re-run, ${c.samples} samples per cycle`,
                );
            }
            runs.push({ nodes, series: series.length, files: costs });
            await Promise.all(running.splice(0).map((r) => r.stop()));
            fs.rmSync(runDir, { recursive: true, force: true });
        }
        const report = {
            prometheus: version,
            cluster: { services: o.services, backend: o.backend, bgpRouters: 2, scrapeInterval: `${SCRAPE_SECONDS}s`, evaluationInterval: `${EVAL_SECONDS}s` },
            rules: Object.fromEntries(o.rules.map((r) => [r.name, r.file])),
            runs,
            runSeconds: Math.round((Date.now() - started) / 1000),
        };
        const md = `Prometheus ${version}\n\n${markdownReport(runs)}`;
        if (o.out) {
            fs.writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
        }
        if (o.markdown) {
            fs.writeFileSync(o.markdown, `${md}\n`);
        }
        process.stdout.write(`${md}\n`);
    } finally {
        clearTimeout(timer);
        await cleanup();
    }
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`${(e as Error).stack ?? e}\n`);
        process.exit(1);
    });
}
