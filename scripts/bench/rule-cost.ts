/**
 * The rule benchmark's bookkeeping (scripts/bench-rules.ts): what Prometheus' `/api/v1/rules` says
 * about each evaluation cycle, the samples each rule reads (query stats), and the report tables.
 */

/** `/api/v1/rules` as Prometheus 2.42 answers it (the fields the benchmark reads). */
export interface RulesResponse {
    readonly status: string;
    readonly data?: {
        readonly groups: readonly {
            readonly name: string;
            readonly file: string;
            /** Seconds between the group's evaluations (the global evaluation interval unless the group sets its own). */
            readonly interval: number;
            readonly evaluationTime: number;
            readonly lastEvaluation: string;
            readonly rules: readonly {
                readonly name: string;
                readonly query: string;
                readonly type: "recording" | "alerting";
                readonly evaluationTime: number;
                readonly health: string;
                readonly lastError?: string;
            }[];
        }[];
    };
}

/** One rule of the file, keyed by group and position (an alert name can occur twice, once per severity). */
export interface RuleRef {
    readonly key: string;
    readonly name: string;
    readonly type: "recording" | "alerting";
    readonly query: string;
    /** Evaluations per cycle: 1 in a group evaluated every cycle, 1/4 in a group evaluated every minute with 15 s cycles. */
    readonly perCycle: number;
}

/**
 * One evaluation cycle (the evaluation interval of the groups evaluated most often): when it ran,
 * its seconds (every group's, each weighted by its evaluations per cycle) and each rule's.
 */
export interface Cycle {
    readonly at: string;
    readonly seconds: number;
    readonly rules: ReadonlyMap<string, number>;
    /** Rules whose last evaluation failed, with the error. */
    readonly errors: readonly string[];
}

/** A group evaluated every `interval` seconds runs `cycleSeconds / interval` times per cycle. */
const perCycle = (interval: number, cycleSeconds: number) => (interval > 0 ? cycleSeconds / interval : 1);

export function rulesOf(body: RulesResponse, cycleSeconds: number): RuleRef[] {
    return (body.data?.groups ?? []).flatMap((g) =>
        g.rules.map((r, i) => ({ key: `${g.file};${g.name};${i}`, name: r.name, type: r.type, query: r.query, perCycle: perCycle(g.interval, cycleSeconds) })),
    );
}

/**
 * The cycle `/api/v1/rules` describes, of `cycleSeconds` (the servers' evaluation interval): a group
 * evaluated less often (a rule group's own `interval`) counts the share of its cost one cycle
 * carries, its last evaluation's seconds times `cycleSeconds / interval`.
 */
export function cycleOf(body: RulesResponse, cycleSeconds: number): Cycle {
    if (body.status !== "success" || !body.data) {
        throw new Error(`/api/v1/rules answered ${body.status}`);
    }
    const groups = body.data.groups;
    const rules = new Map<string, number>();
    const errors: string[] = [];
    for (const g of groups) {
        g.rules.forEach((r, i) => {
            rules.set(`${g.file};${g.name};${i}`, r.evaluationTime * perCycle(g.interval, cycleSeconds));
            if (r.health === "err") {
                errors.push(`${r.name}: ${r.lastError ?? "error"}`);
            }
        });
    }
    // A new cycle when a group evaluated every cycle evaluated again.
    const shortest = Math.min(...groups.map((g) => g.interval));
    return {
        at:
            groups
                .filter((g) => g.interval === shortest)
                .map((g) => g.lastEvaluation)
                .sort()
                .at(-1) ?? "",
        seconds: groups.reduce((a, g) => a + g.evaluationTime * perCycle(g.interval, cycleSeconds), 0),
        rules,
        errors,
    };
}

export function median(xs: readonly number[]): number {
    if (xs.length === 0) {
        return 0;
    }
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface RuleCost {
    readonly name: string;
    readonly type: "recording" | "alerting";
    /** Median evaluation seconds per cycle over the measured cycles. */
    readonly seconds: number;
    /** Median engine seconds of the rule's query re-run at its evaluation time (`stats=all` evalTotalTime), per cycle. */
    readonly querySeconds: number;
    /** Samples the rule's query reads per cycle (`stats=all` totalQueryableSamples of one evaluation, times its evaluations per cycle). */
    readonly samples: number;
}

/** A rule's query re-run at its last evaluation time: the samples it read, the engine seconds of each run. */
export interface Replay {
    readonly samples: number;
    readonly seconds: readonly number[];
}

export interface FileCost {
    readonly rules: number;
    readonly recording: number;
    readonly alerting: number;
    /** Median over the cycles of the whole file's evaluation seconds. */
    readonly seconds: number;
    /** Sum over the rules of the median engine seconds of their queries, re-run one after another. */
    readonly querySeconds: number;
    /** How many times each query was re-run. */
    readonly repeats: number;
    readonly samples: number;
    readonly cycles: number;
    readonly errors: readonly string[];
    /** Every rule, most expensive (seconds) first. */
    readonly byRule: readonly RuleCost[];
}

/**
 * A rule file's cost from its measured cycles and each rule's query re-runs. The rules are sorted by
 * the re-run seconds: a rule's evaluation seconds depend on what else the machine does at that moment
 * (a scrape of the whole cluster, another Prometheus' evaluation), its re-runs less so.
 */
export function fileCost(rules: readonly RuleRef[], cycles: readonly Cycle[], replays: ReadonlyMap<string, Replay>): FileCost {
    const byRule = rules
        .map((r) => ({
            name: r.name,
            type: r.type,
            seconds: median(cycles.map((c) => c.rules.get(r.key) ?? 0)),
            querySeconds: median(replays.get(r.key)?.seconds ?? []) * r.perCycle,
            samples: (replays.get(r.key)?.samples ?? 0) * r.perCycle,
        }))
        .sort((a, b) => b.querySeconds - a.querySeconds || b.seconds - a.seconds || b.samples - a.samples);
    return {
        rules: rules.length,
        recording: rules.filter((r) => r.type === "recording").length,
        alerting: rules.filter((r) => r.type === "alerting").length,
        seconds: median(cycles.map((c) => c.seconds)),
        querySeconds: byRule.reduce((a, r) => a + r.querySeconds, 0),
        repeats: Math.max(0, ...[...replays.values()].map((r) => r.seconds.length)),
        samples: byRule.reduce((a, r) => a + r.samples, 0),
        cycles: cycles.length,
        errors: [...new Set(cycles.flatMap((c) => c.errors))],
        byRule,
    };
}

const secs = (s: number) => (s >= 0.1 ? s.toFixed(2) : s.toFixed(3));
const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(Math.round(n)));

/** The report as Markdown: per node count the files side by side, then each file's five most expensive rules, then the growth. */
export function markdownReport(runs: readonly { nodes: number; series: number; files: Readonly<Record<string, FileCost>> }[]): string {
    const lines: string[] = [];
    for (const run of runs) {
        lines.push(
            `### ${run.nodes} nodes (${run.series} raw series)`,
            "",
            "| rules | rules (rec/alert) | seconds per cycle (evaluation) | seconds per cycle (queries re-run) | samples per cycle |",
            "|---|---|---|---|---|",
        );
        for (const [name, f] of Object.entries(run.files)) {
            lines.push(`| ${name} | ${f.rules} (${f.recording}/${f.alerting}) | ${secs(f.seconds)} | ${secs(f.querySeconds)} | ${count(f.samples)} |`);
        }
        lines.push("");
        for (const [name, f] of Object.entries(run.files)) {
            lines.push(`Five most expensive rules of ${name}:`, "", "| rule | seconds (evaluation) | seconds (query re-run) | samples |", "|---|---|---|---|");
            for (const r of f.byRule.slice(0, 5)) {
                lines.push(`| ${r.name} | ${secs(r.seconds)} | ${secs(r.querySeconds)} | ${count(r.samples)} |`);
            }
            lines.push("");
        }
    }
    if (runs.length > 1) {
        const names = Object.keys(runs[0].files);
        lines.push(
            "### Growth (seconds per cycle: evaluation / queries re-run; samples per cycle)",
            "",
            `| rules | ${runs.map((r) => `${r.nodes} nodes`).join(" | ")} |`,
            `|---|${runs.map(() => "---|").join("")}`,
        );
        for (const name of names) {
            lines.push(
                `| ${name} | ${runs
                    .map((r) => {
                        const f = r.files[name];
                        return f ? `${secs(f.seconds)} s / ${secs(f.querySeconds)} s, ${count(f.samples)}` : "";
                    })
                    .join(" | ")} |`,
            );
        }
        lines.push("");
    }
    return lines.join("\n");
}
