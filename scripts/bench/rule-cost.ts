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
}

/** One evaluation cycle: when it ran (the latest group evaluation), its seconds (all groups) and each rule's. */
export interface Cycle {
    readonly at: string;
    readonly seconds: number;
    readonly rules: ReadonlyMap<string, number>;
    /** Rules whose last evaluation failed, with the error. */
    readonly errors: readonly string[];
}

export function rulesOf(body: RulesResponse): RuleRef[] {
    return (body.data?.groups ?? []).flatMap((g) => g.rules.map((r, i) => ({ key: `${g.file};${g.name};${i}`, name: r.name, type: r.type, query: r.query })));
}

export function cycleOf(body: RulesResponse): Cycle {
    if (body.status !== "success" || !body.data) {
        throw new Error(`/api/v1/rules answered ${body.status}`);
    }
    const groups = body.data.groups;
    const rules = new Map<string, number>();
    const errors: string[] = [];
    for (const g of groups) {
        g.rules.forEach((r, i) => {
            rules.set(`${g.file};${g.name};${i}`, r.evaluationTime);
            if (r.health === "err") {
                errors.push(`${r.name}: ${r.lastError ?? "error"}`);
            }
        });
    }
    return {
        at:
            groups
                .map((g) => g.lastEvaluation)
                .sort()
                .at(-1) ?? "",
        seconds: groups.reduce((a, g) => a + g.evaluationTime, 0),
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
    /** Median evaluation seconds over the measured cycles. */
    readonly seconds: number;
    /** Samples the rule's query reads in one evaluation (`stats=all` totalQueryableSamples). */
    readonly samples: number;
}

export interface FileCost {
    readonly rules: number;
    readonly recording: number;
    readonly alerting: number;
    /** Median over the cycles of the whole file's evaluation seconds. */
    readonly seconds: number;
    readonly samples: number;
    readonly cycles: number;
    readonly errors: readonly string[];
    /** Every rule, most expensive (seconds) first. */
    readonly byRule: readonly RuleCost[];
}

/** A rule file's cost from its measured cycles and each rule's samples per evaluation. */
export function fileCost(rules: readonly RuleRef[], cycles: readonly Cycle[], samples: ReadonlyMap<string, number>): FileCost {
    const byRule = rules
        .map((r) => ({
            name: r.name,
            type: r.type,
            seconds: median(cycles.map((c) => c.rules.get(r.key) ?? 0)),
            samples: samples.get(r.key) ?? 0,
        }))
        .sort((a, b) => b.seconds - a.seconds || b.samples - a.samples);
    return {
        rules: rules.length,
        recording: rules.filter((r) => r.type === "recording").length,
        alerting: rules.filter((r) => r.type === "alerting").length,
        seconds: median(cycles.map((c) => c.seconds)),
        samples: byRule.reduce((a, r) => a + r.samples, 0),
        cycles: cycles.length,
        errors: [...new Set(cycles.flatMap((c) => c.errors))],
        byRule,
    };
}

const secs = (s: number) => (s >= 0.1 ? s.toFixed(2) : s.toFixed(3));
const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

/** The report as Markdown: per node count the files side by side, then each file's five most expensive rules, then the growth. */
export function markdownReport(runs: readonly { nodes: number; series: number; files: Readonly<Record<string, FileCost>> }[]): string {
    const lines: string[] = [];
    for (const run of runs) {
        lines.push(
            `### ${run.nodes} nodes (${run.series} raw series)`,
            "",
            "| rules | rules (rec/alert) | seconds per cycle | samples per cycle |",
            "|---|---|---|---|",
        );
        for (const [name, f] of Object.entries(run.files)) {
            lines.push(`| ${name} | ${f.rules} (${f.recording}/${f.alerting}) | ${secs(f.seconds)} | ${count(f.samples)} |`);
        }
        lines.push("");
        for (const [name, f] of Object.entries(run.files)) {
            lines.push(`Five most expensive rules of ${name}:`, "", "| rule | seconds | samples |", "|---|---|---|");
            for (const r of f.byRule.slice(0, 5)) {
                lines.push(`| ${r.name} | ${secs(r.seconds)} | ${count(r.samples)} |`);
            }
            lines.push("");
        }
    }
    if (runs.length > 1) {
        const names = Object.keys(runs[0].files);
        lines.push("### Growth", "", `| rules | ${runs.map((r) => `${r.nodes} nodes`).join(" | ")} |`, `|---|${runs.map(() => "---|").join("")}`);
        for (const name of names) {
            lines.push(
                `| ${name} | ${runs.map((r) => (r.files[name] ? `${secs(r.files[name].seconds)} s, ${count(r.files[name].samples)}` : "")).join(" | ")} |`,
            );
        }
        lines.push("");
    }
    return lines.join("\n");
}
