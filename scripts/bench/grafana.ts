/**
 * How Grafana turns a dashboard's Prometheus targets into API calls, for any dashboard JSON:
 * which panels and targets run, instant or range, the step for a panel of a given width, and the
 * macro and variable values. Sources (grafana/grafana, Grafana 10-12):
 * - step: pkg/promlib/models/query.go `calculatePrometheusInterval` (min interval = target/panel
 *   interval, else the data source's scrape interval; range / maxDataPoints rounded with
 *   pkg/tsdb/intervalv2 `roundInterval`, never below the min interval nor range / 11000), and
 *   `AlignTimeRange` (start and end floored to the step);
 * - `$__rate_interval` = max(`$__interval` + scrape interval, 4 × scrape interval) (`calculateRateInterval`);
 * - instant vs range: a target runs as a range query unless `instant` is set and `range` is not
 *   (both set: both run); hidden targets do not run;
 * - multi-value variables are formatted as a regex alternation `(a|b)`, "All" as the variable's
 *   `allValue` or the alternation of all its values (public/app/plugins/datasource/prometheus `interpolateQueryExpr`).
 */

export interface GrafanaTarget {
    readonly refId: string;
    readonly expr: string;
    readonly instant: boolean;
    readonly range: boolean;
    /** Min step from the target or panel (`interval`), if any. */
    readonly minInterval?: string;
    readonly intervalFactor: number;
    readonly maxDataPoints?: number;
}

export interface GrafanaPanel {
    readonly title: string;
    readonly type: string;
    readonly targets: readonly GrafanaTarget[];
}

interface RawPanel {
    type?: string;
    title?: string;
    interval?: string;
    maxDataPoints?: number;
    datasource?: { type?: string; uid?: string } | string | null;
    targets?: Record<string, unknown>[];
    panels?: RawPanel[];
}

const NON_PROMETHEUS = new Set(["grafana", "__expr__", "-- Grafana --", "-- Dashboard --", "datasource", "loki", "tempo"]);

function isPrometheus(ds: RawPanel["datasource"] | unknown): boolean {
    if (ds === undefined || ds === null) {
        return true;
    }
    if (typeof ds === "string") {
        return !NON_PROMETHEUS.has(ds);
    }
    const d = ds as { type?: string; uid?: string };
    return !NON_PROMETHEUS.has(d.type ?? "") && !NON_PROMETHEUS.has(d.uid ?? "");
}

/** Every panel with Prometheus targets, rows' nested (collapsed) panels included, in dashboard order. */
export function dashboardPanels(dashboard: { panels?: RawPanel[] }): GrafanaPanel[] {
    const out: GrafanaPanel[] = [];
    const visit = (panels: RawPanel[] | undefined, depth: number) => {
        for (const p of (panels ?? []).slice(0, 10_000)) {
            if (p.type === "row") {
                if (depth < 3) {
                    visit(p.panels, depth + 1);
                }
                continue;
            }
            const targets: GrafanaTarget[] = [];
            for (const t of (p.targets ?? []).slice(0, 100)) {
                const expr = typeof t.expr === "string" ? t.expr : "";
                if (!expr.trim() || t.hide === true || !isPrometheus(t.datasource ?? p.datasource)) {
                    continue;
                }
                const instant = t.instant === true;
                targets.push({
                    refId: String(t.refId ?? String.fromCharCode(65 + targets.length)),
                    expr,
                    instant,
                    range: t.range === true || !instant,
                    minInterval: typeof t.interval === "string" && t.interval ? t.interval : p.interval || undefined,
                    intervalFactor: typeof t.intervalFactor === "number" && t.intervalFactor > 0 ? t.intervalFactor : 1,
                    maxDataPoints: p.maxDataPoints,
                });
            }
            out.push({ title: p.title ?? "", type: p.type ?? "", targets });
            if (p.panels && depth < 3) {
                visit(p.panels, depth + 1);
            }
        }
    };
    visit(dashboard.panels, 0);
    return out;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** "30s", "1m30s", "5m" → milliseconds. */
export function durationMs(text: string): number {
    const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
    if (parts.length === 0) {
        throw new Error(`not a duration: ${text}`);
    }
    return parts.reduce((sum, m) => sum + Number(m[1]) * UNITS[m[2]], 0);
}

/** Grafana's `roundInterval` (pkg/tsdb/intervalv2/intervalv2.go). */
export function roundInterval(ms: number): number {
    const table: [number, number][] = [
        [10, 1],
        [15, 10],
        [35, 20],
        [75, 50],
        [150, 100],
        [350, 200],
        [750, 500],
        [1500, 1000],
        [3500, 2000],
        [7500, 5000],
        [12500, 10000],
        [17500, 15000],
        [25000, 20000],
        [45000, 30000],
        [90000, 60000],
        [210000, 120000],
        [450000, 300000],
        [750000, 600000],
        [1200000, 900000],
        [2000000, 1800000],
        [5400000, 3600000],
        [9000000, 7200000],
        [16200000, 10800000],
        [32400000, 21600000],
        [86400000, 43200000],
        [604800000, 86400000],
        [1814400000, 604800000],
        [3628800000, 2592000000],
    ];
    for (const [below, value] of table) {
        if (ms < below) {
            return value;
        }
    }
    return 31536000000;
}

export interface QueryTiming {
    /** Step of a range query, ms. */
    readonly stepMs: number;
    readonly intervalMs: number;
    readonly rateIntervalMs: number;
}

/** Step and macro values of one target over a range, for a panel `widthPx` wide. */
export function queryTiming(target: GrafanaTarget, rangeMs: number, scrapeIntervalMs: number, widthPx: number): QueryTiming {
    const minInterval = target.minInterval && !target.minInterval.startsWith("$") ? durationMs(target.minInterval) : scrapeIntervalMs;
    const resolution = target.maxDataPoints ?? widthPx;
    const raw = Math.floor(rangeMs / resolution);
    const calculated = raw < minInterval ? minInterval : roundInterval(raw);
    const safe = roundInterval(Math.floor(rangeMs / 11000));
    const interval = Math.max(calculated, safe);
    return {
        stepMs: interval * target.intervalFactor,
        intervalMs: interval,
        rateIntervalMs: Math.max(interval + scrapeIntervalMs, 4 * scrapeIntervalMs),
    };
}

/** Grafana's duration text for a macro value (whole seconds as "Ns", else "Nms"). */
function durationText(ms: number): string {
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Replaces `$__interval`, `$__rate_interval`, `$__range` (and their `${}` forms) as Grafana does before sending. */
export function substituteMacros(expr: string, t: QueryTiming, rangeMs: number): string {
    const values: Record<string, string> = {
        __rate_interval: durationText(t.rateIntervalMs),
        __interval_ms: String(t.intervalMs),
        __interval: durationText(t.intervalMs),
        __range_ms: String(rangeMs),
        __range_s: String(Math.round(rangeMs / 1000)),
        __range: durationText(rangeMs),
    };
    return expr.replace(/\$\{(__[a-z_]+)\}|\$(__[a-z_]+)/g, (whole, a: string | undefined, b: string | undefined) => {
        const name = a ?? b!;
        // `$__interval_ms` must not be read as `$__interval` followed by "_ms": the longest name wins.
        return values[name] ?? whole;
    });
}

/** "now-1h" → 1 hour in ms (the dashboard's default range; `to` is taken as now). */
export function defaultRangeMs(dashboard: { time?: { from?: string; to?: string } }): number {
    const from = dashboard.time?.from ?? "now-6h";
    const m = /^now-(.+)$/.exec(from);
    return m ? durationMs(m[1]) : 6 * 3_600_000;
}

interface RawVariable {
    name?: string;
    type?: string;
    query?: unknown;
    current?: { value?: string | string[]; text?: string | string[] };
    includeAll?: boolean;
    allValue?: string | null;
    multi?: boolean;
    options?: { value?: string; selected?: boolean }[];
}

/** `s` as a literal inside a JavaScript regular expression. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Each variable's default value as PromQL text: `current` if set, else "All" (the `allValue`, or
 * the alternation of the values `lookup` finds for a `label_values(...)` query), else the first option.
 */
export async function variableValues(
    dashboard: { templating?: { list?: RawVariable[] } },
    lookup: (query: string) => Promise<string[]>,
): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const v of (dashboard.templating?.list ?? []).slice(0, 100)) {
        if (!v.name || v.type === "datasource") {
            continue;
        }
        const current = v.current?.value;
        const isAll = current === undefined || current === "$__all" || (Array.isArray(current) && (current.length === 0 || current.includes("$__all")));
        if (!isAll) {
            const values = Array.isArray(current) ? current : [current!];
            out.set(v.name, values.length === 1 ? values[0] : `(${values.map(escapeRegex).join("|")})`);
            continue;
        }
        if (v.includeAll && v.allValue) {
            out.set(v.name, v.allValue);
            continue;
        }
        let values: string[] = (v.options ?? []).map((o) => o.value ?? "").filter((x) => x && x !== "$__all");
        const query = typeof v.query === "string" ? v.query : ((v.query as { query?: string } | undefined)?.query ?? "");
        if (values.length === 0 && v.type === "query" && query) {
            // Chained variables: the earlier variables' values are in the query (e.g. `{cluster=~"$cluster"}`).
            values = await lookup(substituteVariables(query, out));
        }
        if (values.length === 0 && v.type === "custom" && query) {
            values = query.split(",").map((x) => x.trim());
        }
        if (values.length === 0 && (v.type === "constant" || v.type === "textbox") && query) {
            values = [query];
        }
        out.set(v.name, v.includeAll || v.multi ? `(${values.map(escapeRegex).join("|")})` : (values[0] ?? ""));
    }
    return out;
}

/** `$var`, `${var}`, `${var:format}` and `[[var]]` replaced by their values; macros are left alone. */
export function substituteVariables(expr: string, values: ReadonlyMap<string, string>): string {
    return expr.replace(/\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\[\[([A-Za-z0-9_]+)\]\]|\$([A-Za-z0-9_]+)/g, (whole, a?: string, b?: string, c?: string) => {
        const name = (a ?? b ?? c)!;
        return values.has(name) ? values.get(name)! : whole;
    });
}
