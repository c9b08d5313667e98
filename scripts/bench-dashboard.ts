/**
 * Query-cost benchmark for any Grafana dashboard on a synthetic 500-node MetalLB cluster.
 *
 *   npm run bench:dashboard -- --dashboard <file|ours> [--rules <rule files>|ours] --out <report.json>
 *     [--nodes 500] [--services 200] [--backend frr-k8s|native] [--width 1000] [--scrape-interval 30s]
 *
 * Builds the cluster (tests/support/cluster.ts labelling: our ServiceMonitors, kube-state-metrics,
 * the API server; a few faults, as any large cluster has), loads it into a real `prometheus` on
 * 127.0.0.1 with `promtool tsdb create-blocks-from openmetrics`, backfills the given recording rules
 * over the whole window stage by stage (`create-blocks-from rules`; a rule that reads another
 * recorded series runs after it) and the ALERTS of the alerting rules, then runs every panel query
 * as Grafana would for the dashboard's default time range (scripts/bench/grafana.ts) and writes
 * per panel: series returned, samples touched (`stats=all`), response bytes and time.
 * `ours` stands for this repository's dashboard (frr-k8s, L2, BGP, BFD) and rules.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { dashboardJson } from "../lib/dashboard/build";
import { ClusterSpec, clusterSeries, nodeName, NS, writeOpenMetricsFiles } from "../tests/support/cluster";
import { launchPrometheus, ourRules, PrometheusProcess } from "../tests/support/prometheus";
import { dashboardPanels, defaultRangeMs, durationMs, queryTiming, substituteMacros, substituteVariables, variableValues } from "./bench/grafana";
import { flags } from "./bench/flags";
import { alertSeries, Matrix, readRules, stages } from "./bench/rules";
import { moveBlocks, runTool } from "./bench/tsdb";

interface Options {
    dashboard: string;
    rules: string[];
    out: string;
    nodes: number;
    services: number;
    backend: "native" | "frr-k8s";
    width: number;
    scrapeIntervalMs: number;
}

function parseArgs(argv: string[]): Options {
    const o: Options = { dashboard: "", rules: [], out: "", nodes: 500, services: 200, backend: "frr-k8s", width: 1000, scrapeIntervalMs: 30_000 };
    for (const { flag, values, one } of flags(argv)) {
        switch (flag) {
            case "--dashboard":
                o.dashboard = one();
                break;
            case "--rules":
                o.rules.push(...values);
                break;
            case "--out":
                o.out = one();
                break;
            case "--nodes":
                o.nodes = Number(one());
                break;
            case "--services":
                o.services = Number(one());
                break;
            case "--backend":
                o.backend = one() === "native" ? "native" : "frr-k8s";
                break;
            case "--width":
                o.width = Number(one());
                break;
            case "--scrape-interval":
                o.scrapeIntervalMs = durationMs(one());
                break;
            default:
                throw new Error(`unknown argument ${flag}`);
        }
    }
    if (!o.dashboard || !o.out) {
        throw new Error("usage: bench-dashboard --dashboard <file|ours> [--rules <files>|ours] --out <report.json>");
    }
    if (!(o.nodes >= 2 && o.nodes <= 2000 && o.services >= 4 && o.services <= 2000 && o.width >= 100)) {
        throw new Error("--nodes 2..2000, --services 4..2000, --width >= 100");
    }
    return o;
}

/** The benchmark cluster: half the Services on an L2 pool (plus a dual-stack one), half on BGP, two routers. */
export function benchCluster(o: Pick<Options, "nodes" | "services" | "backend">): ClusterSpec {
    const l2 = Math.floor(o.services / 2) - 2;
    const bgp = o.services - l2 - 2;
    return {
        nodes: o.nodes,
        backend: o.backend,
        pools: [
            { name: "services-l2", protocol: "layer2", v4Prefix: "192.168.10", v4Size: 240 },
            { name: "services-bgp", protocol: "bgp", v4Prefix: "198.51.100", v4Size: 240 },
            { name: "services-dual", protocol: "layer2", v4Prefix: "192.168.20", v4Size: 2, ipv6: true },
        ],
        servicesPerPool: [l2, bgp, 2],
        peers: ["10.0.255.1", "10.0.255.2"],
        vrf: "default",
        bfd: o.backend === "frr-k8s",
        endpointsPerService: 3,
        faults: {
            pendingServices: 2,
            unannouncedIps: 1,
            duplicateAnnouncers: 1,
            ownerChanges: 3,
            sessionsDown: 2,
            bfdFlaps: 1,
            speakersNotReady: 1,
            staleConfigs: 1,
            restarts: 2,
            webhookRejections: 3,
        },
    };
}

interface ApiResult {
    bytes: number;
    ms: number;
    body: { status: string; error?: string; data?: { resultType: string; result: unknown; stats?: { samples?: { totalQueryableSamples?: number } } } };
}

async function api(url: string, params: Record<string, string>): Promise<ApiResult> {
    const started = performance.now();
    const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "accept-encoding": "identity" },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(120_000),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    const ms = performance.now() - started;
    const body = JSON.parse(buf.toString("utf8")) as ApiResult["body"];
    if (body.status !== "success") {
        throw new Error(`${params.query}: ${body.error ?? res.status}`);
    }
    return { bytes: buf.length, ms, body };
}

const resultLength = (r: ApiResult) => (Array.isArray(r.body.data?.result) ? (r.body.data!.result as unknown[]).length : r.body.data?.result ? 1 : 0);

export interface PanelReport {
    title: string;
    type: string;
    queries: number;
    series: number;
    samples: number;
    bytes: number;
    ms: number;
    errors?: string[];
}

async function main(): Promise<void> {
    const started = Date.now();
    const o = parseArgs(process.argv.slice(2));
    const log = (m: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${m}\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-dashboard-"));
    let prom: PrometheusProcess | undefined;
    // Interrupted: stop our Prometheus and remove the temporary data before exiting.
    const interrupted = (signal: NodeJS.Signals) => {
        void (prom?.stop() ?? Promise.resolve()).finally(() => {
            fs.rmSync(dir, { recursive: true, force: true });
            process.exit(signal === "SIGINT" ? 130 : 143);
        });
    };
    process.once("SIGINT", interrupted);
    process.once("SIGTERM", interrupted);
    try {
        const dashboardText =
            o.dashboard === "ours"
                ? dashboardJson({
                      namespace: NS,
                      features: { l2: true, bgp: true, bgpBackend: o.backend, bfd: o.backend === "frr-k8s" },
                      warningPercent: 80,
                      criticalPercent: 95,
                  })
                : fs.readFileSync(o.dashboard, "utf8");
        const parsed = JSON.parse(dashboardText);
        const dashboard = parsed.dashboard?.panels ? parsed.dashboard : parsed;
        const rulePaths = o.rules.map((r) => {
            if (r !== "ours") {
                return r;
            }
            const p = path.join(dir, "ours-rules.yaml");
            fs.writeFileSync(p, stringify(ourRules(NS, o.backend, ["services-bgp"]), { lineWidth: 0 }));
            return p;
        });
        const rangeMs = defaultRangeMs(dashboard);
        if (rangeMs > 24 * 3_600_000) {
            throw new Error("default time ranges over 24h are not supported (the synthetic history would be too large)");
        }
        const step = o.scrapeIntervalMs / 1000;
        const end = Math.floor(Date.now() / 1000 / step) * step - step;
        const leadMinutes = 20;
        const minutes = rangeMs / 60_000 + leadMinutes;
        const start = end - minutes * 60;

        const spec = benchCluster(o);
        const series = clusterSeries(spec, minutes);
        log(`cluster: ${o.nodes} nodes, ${o.services} services, ${series.length} series, ${minutes} minutes`);
        const parts = writeOpenMetricsFiles(
            series,
            start,
            end,
            step,
            [0, 1, 2, 3].map((i) => path.join(dir, `cluster-${i}.om`)),
        );
        log("OpenMetrics written");
        const data = path.join(dir, "data");
        fs.mkdirSync(data);
        // Two promtools at a time (two cores); each writes its own blocks, Prometheus merges overlapping ones.
        for (let i = 0; i < parts.length; i += 2) {
            await Promise.all(
                parts.slice(i, i + 2).map(async (p, j) => {
                    const out = path.join(dir, `blocks-${i + j}`);
                    await runTool("promtool", ["tsdb", "create-blocks-from", "openmetrics", p, out], 600_000);
                    moveBlocks(out, data);
                    fs.rmSync(p);
                }),
            );
        }
        log("blocks created");
        prom = await launchPrometheus("prometheus", dir, data);

        const rules = readRules(rulePaths);
        const ruleStart = start + 10 * 60;
        const ruleStages = stages(rules.recording);
        for (const [i, stage] of ruleStages.entries()) {
            const file = path.join(dir, `stage-${i}.yaml`);
            fs.writeFileSync(file, stringify({ groups: [{ name: `stage-${i}`, rules: stage }] }, { lineWidth: 0 }));
            const out = path.join(dir, `rules-${i}`);
            await runTool(
                "promtool",
                [
                    "tsdb",
                    "create-blocks-from",
                    "rules",
                    `--start=${ruleStart}`,
                    `--end=${end}`,
                    `--url=${prom.url}`,
                    `--eval-interval=${step}s`,
                    `--output-dir=${out}`,
                    "--quiet",
                    file,
                ],
                600_000,
            );
            moveBlocks(out, data);
            await prom.stop();
            prom = await launchPrometheus("prometheus", dir, data);
            log(`recording rules stage ${i + 1}/${ruleStages.length}: ${stage.length} rules`);
        }
        if (rules.alerting.length > 0) {
            const alerts = [];
            for (const rule of rules.alerting.slice(0, 500)) {
                const r = await api(`${prom.url}/api/v1/query_range`, { query: rule.expr, start: String(ruleStart), end: String(end), step: String(step) });
                alerts.push(...alertSeries(rule, r.body.data!.result as Matrix[], step, start, rule.for ? durationMs(rule.for) / 1000 : 0));
            }
            if (alerts.length > 0) {
                const [file] = writeOpenMetricsFiles(alerts, start, end, step, [path.join(dir, "alerts.om")]);
                await runTool("promtool", ["tsdb", "create-blocks-from", "openmetrics", file, path.join(dir, "alerts")], 600_000);
                moveBlocks(path.join(dir, "alerts"), data);
                await prom.stop();
                prom = await launchPrometheus("prometheus", dir, data);
            }
            log(`alerting rules: ${rules.alerting.length} rules, ${alerts.length} firing series`);
        }

        const url = prom.url;
        const variables = await variableValues(dashboard, async (query) => {
            const m = /^label_values\((?:(.*),\s*)?([A-Za-z_][A-Za-z0-9_]*)\)\s*$/.exec(query.trim());
            if (!m) {
                return [];
            }
            const params: Record<string, string> = { "match[]": m[1] ?? '{__name__=~".+"}', start: String(end - rangeMs / 1000), end: String(end) };
            const res = await fetch(`${url}/api/v1/label/${m[2]}/values?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(60_000) });
            return ((await res.json()) as { data?: string[] }).data ?? [];
        });
        const panels = dashboardPanels(dashboard);
        const reports: PanelReport[] = [];
        for (const panel of panels) {
            const rep: PanelReport = { title: panel.title, type: panel.type, queries: 0, series: 0, samples: 0, bytes: 0, ms: 0 };
            for (const target of panel.targets) {
                const timing = queryTiming(target, rangeMs, o.scrapeIntervalMs, o.width);
                const expr = substituteMacros(substituteVariables(target.expr, variables), timing, rangeMs);
                const calls: [string, Record<string, string>][] = [];
                if (target.instant) {
                    calls.push(["query", { query: expr, time: String(end) }]);
                }
                if (target.range) {
                    const s = timing.stepMs / 1000;
                    calls.push([
                        "query_range",
                        { query: expr, start: String(Math.floor((end - rangeMs / 1000) / s) * s), end: String(Math.floor(end / s) * s), step: String(s) },
                    ]);
                }
                for (const [endpoint, params] of calls) {
                    rep.queries++;
                    try {
                        const plain = await api(`${url}/api/v1/${endpoint}`, params);
                        const stats = await api(`${url}/api/v1/${endpoint}`, { ...params, stats: "all" });
                        rep.series += resultLength(plain);
                        rep.bytes += plain.bytes;
                        rep.ms += plain.ms;
                        rep.samples += stats.body.data?.stats?.samples?.totalQueryableSamples ?? 0;
                    } catch (e) {
                        (rep.errors ??= []).push(`${target.refId}: ${(e as Error).message.slice(0, 300)}`);
                    }
                }
            }
            rep.ms = Math.round(rep.ms * 10) / 10;
            reports.push(rep);
        }
        const sum = (k: "series" | "samples" | "bytes" | "ms" | "queries") => reports.reduce((a, r) => a + r[k], 0);
        const worst = reports.reduce((a, r) => (r.series > a.series ? r : a), reports[0] ?? { title: "", series: 0 });
        const report = {
            dashboard: o.dashboard === "ours" ? "ours (lib/dashboard)" : o.dashboard,
            title: dashboard.title,
            rules: o.rules,
            cluster: {
                nodes: o.nodes,
                services: o.services,
                backend: o.backend,
                series: series.length,
                bgpRouters: spec.peers.length,
                exampleNode: nodeName(0),
            },
            timeRange: { from: `now-${rangeMs / 60_000}m`, to: "now", panelWidthPx: o.width, scrapeInterval: `${o.scrapeIntervalMs / 1000}s` },
            panels: reports,
            total: {
                panels: reports.length,
                queries: sum("queries"),
                series: sum("series"),
                samples: sum("samples"),
                bytes: sum("bytes"),
                ms: Math.round(sum("ms")),
                maxSeries: worst.series,
                maxSeriesPanel: worst.title,
                emptyPanels: reports.filter((r) => r.series === 0).map((r) => r.title),
                errors: reports.reduce((a, r) => a + (r.errors?.length ?? 0), 0),
                runSeconds: Math.round((Date.now() - started) / 1000),
            },
        };
        fs.writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
        log(
            `${reports.length} panels, ${report.total.queries} queries: ${report.total.series} series, ${report.total.samples} samples, ${report.total.bytes} bytes, max ${worst.series} series (${worst.title}); report in ${o.out}`,
        );
    } finally {
        await prom?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`${(e as Error).stack ?? e}\n`);
        process.exit(1);
    });
}
