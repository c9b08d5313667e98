/**
 * Rule files for the benchmark: recording rules split into stages (a rule that reads another
 * recorded series runs in a later stage, since `promtool tsdb create-blocks-from rules` only sees
 * what the Prometheus it queries already holds), and alerting rules turned into the ALERTS series
 * Prometheus would have recorded (`for` honoured at the evaluation interval).
 */
import * as fs from "fs";
import { parse } from "yaml";
import { Labels, Series } from "../../tests/support/cluster";
import { escapeRegex } from "./grafana";

export interface RecordingRule {
    readonly record: string;
    readonly expr: string;
    readonly labels?: Labels;
}
export interface AlertingRule {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels?: Labels;
}

interface RuleFileYaml {
    groups?: { name?: string; interval?: string; rules?: Record<string, unknown>[] }[];
    spec?: RuleFileYaml;
}

/** Rules from Prometheus rule files or PrometheusRule manifests (YAML or JSON, several documents allowed). */
export function readRules(paths: readonly string[]): { recording: RecordingRule[]; alerting: AlertingRule[] } {
    const recording: RecordingRule[] = [];
    const alerting: AlertingRule[] = [];
    for (const p of paths) {
        const text = fs.readFileSync(p, "utf8");
        const docs: RuleFileYaml[] = text
            .split(/^---\s*$/m)
            .map((d) => parse(d) as RuleFileYaml)
            .filter(Boolean);
        for (const doc of docs) {
            for (const g of (doc.spec ?? doc).groups ?? []) {
                for (const r of g.rules ?? []) {
                    if (typeof r.record === "string") {
                        recording.push({ record: r.record, expr: String(r.expr), labels: r.labels as Labels | undefined });
                    } else if (typeof r.alert === "string") {
                        alerting.push({ alert: r.alert, expr: String(r.expr), for: r.for as string | undefined, labels: r.labels as Labels | undefined });
                    }
                }
            }
        }
    }
    return { recording, alerting };
}

/** Recording rules in stages: stage n reads only raw series and series recorded in stages < n. */
export function stages(rules: readonly RecordingRule[]): RecordingRule[][] {
    const names = new Set(rules.map((r) => r.record));
    const reads = (r: RecordingRule) =>
        [...names].filter((n) => n !== r.record && new RegExp(`(^|[^A-Za-z0-9_:])${escapeRegex(n)}($|[^A-Za-z0-9_:])`).test(r.expr));
    const depth = new Map<string, number>();
    for (let pass = 0; pass < rules.length + 1 && depth.size < rules.length; pass++) {
        for (const r of rules) {
            const deps = reads(r);
            if (deps.every((d) => depth.has(d))) {
                depth.set(r.record, Math.max(depth.get(r.record) ?? 0, 1 + Math.max(0, ...deps.map((d) => depth.get(d)!))));
            }
        }
    }
    const out: RecordingRule[][] = [];
    for (const r of rules) {
        const d = depth.get(r.record);
        if (d === undefined) {
            throw new Error(`recording rule ${r.record} depends on itself`);
        }
        (out[d - 1] ??= []).push(r);
    }
    return out.filter(Boolean);
}

export interface Matrix {
    readonly metric: Labels;
    readonly values: [number, string][];
}

/**
 * ALERTS series of one alerting rule from its expression's range result: firing once a series has
 * been present for `for` at consecutive evaluations (pending before, not recorded here).
 */
export function alertSeries(rule: AlertingRule, result: readonly Matrix[], stepSeconds: number, startSeconds: number, forSeconds: number): Series[] {
    const out: Series[] = [];
    for (const s of result.slice(0, 10_000)) {
        const labels: Labels = { ...s.metric, ...(rule.labels ?? {}), alertname: rule.alert, alertstate: "firing" };
        delete labels.__name__;
        const firing = new Set<number>();
        let since: number | undefined;
        let previous: number | undefined;
        for (const [t] of s.values) {
            if (previous === undefined || t - previous > stepSeconds) {
                since = t;
            }
            previous = t;
            if (t - since! >= forSeconds) {
                firing.add(Math.round((t - startSeconds) / 60 / (stepSeconds / 60)));
            }
        }
        if (firing.size > 0) {
            const minutes = [...firing].map((i) => (i * stepSeconds) / 60);
            out.push({ name: "ALERTS", labels, value: () => 1, from: Math.min(...minutes), until: Math.max(...minutes) + stepSeconds / 60 });
        }
    }
    return out;
}
