/**
 * PromQL checks with Prometheus' own grammar (@prometheus-io/lezer-promql, an ES module loaded
 * with a dynamic import): syntax errors and the metric names an expression selects.
 */
/** The part of lezer's parser API used here (its ESM and CJS typings do not mix). */
interface SyntaxNodeRef {
    readonly name: string;
    readonly from: number;
    readonly to: number;
    readonly type: { readonly isError: boolean };
    readonly node: { getChild(name: string): { from: number; to: number } | null };
}
interface PromqlParser {
    parse(text: string): { iterate(spec: { enter(node: SyntaxNodeRef): void }): void };
}

let parserPromise: Promise<PromqlParser> | undefined;
function promqlParser(): Promise<PromqlParser> {
    parserPromise ??= import("@prometheus-io/lezer-promql").then((m) => m.parser as unknown as PromqlParser);
    return parserPromise;
}

/** Grafana macros replaced by durations, as Grafana (and dashboard-linter) would before querying. */
export function substituteGrafanaMacros(expr: string): string {
    return expr
        .replace(/\$__rate_interval|\$\{__rate_interval\}/g, "2m")
        .replace(/\$__interval|\$\{__interval\}/g, "30s")
        .replace(/\$__range|\$\{__range\}/g, "1h");
}

export interface PromqlAnalysis {
    /** Offsets of syntax errors; empty when the expression parses. */
    readonly errors: number[];
    /** Metric names in vector selectors. */
    readonly metrics: string[];
}

export async function analyzePromql(expr: string): Promise<PromqlAnalysis> {
    const parser = await promqlParser();
    const tree = parser.parse(expr);
    const errors: number[] = [];
    const metrics: string[] = [];
    tree.iterate({
        enter(node) {
            if (node.type.isError) {
                errors.push(node.from);
            }
            if (node.name === "VectorSelector") {
                const id = node.node.getChild("Identifier");
                if (id) {
                    metrics.push(expr.slice(id.from, id.to));
                }
            }
        },
    });
    return { errors, metrics };
}
