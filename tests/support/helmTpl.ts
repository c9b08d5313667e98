/**
 * A small subset of Helm's `tpl` (Go text/template + sprig), enough to render the expressions the
 * Grafana chart uses for its own container and that the component puts into `extraInitContainers`:
 * `{{ PIPE }}` with PIPE = TERM ( "|" "default" TERM )*, TERM = `.Values.a.b`, `.Chart.AppVersion`,
 * `(get .Values "key").a.b`, `.`, a quoted string; and `{{ with PIPE }}…{{ . }}…{{ end }}`.
 * Go template whitespace trimming (`{{-`, `-}}`) is honoured. Anything else throws, so a template
 * the helper does not understand fails the test instead of rendering wrongly.
 */
type Any = any;

export interface TplContext {
    readonly Values: Record<string, unknown>;
    readonly Chart: { readonly AppVersion: string };
}

const empty = (v: unknown) => v === undefined || v === null || v === "" || v === false || (Array.isArray(v) && v.length === 0);

function walk(base: Any, path: string): Any {
    return path
        .split(".")
        .filter((s) => s !== "")
        .reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), base);
}

function term(t: string, ctx: TplContext, dot: Any): Any {
    t = t.trim();
    let m: RegExpExecArray | null;
    if (t === ".") return dot;
    if ((m = /^"([^"]*)"$/.exec(t))) return m[1];
    if ((m = /^\.Values((?:\.[A-Za-z0-9_]+)*)$/.exec(t))) return walk(ctx.Values, m[1]);
    if (t === ".Chart.AppVersion") return ctx.Chart.AppVersion;
    if ((m = /^\(get \.Values "([^"]+)"\)((?:\.[A-Za-z0-9_]+)*)$/.exec(t))) return walk((ctx.Values as Any)[m[1]], m[2]);
    throw new Error(`helmTpl: unsupported term ${t}`);
}

function pipe(p: string, ctx: TplContext, dot: Any): Any {
    const [first, ...rest] = p.split("|");
    let v = term(first, ctx, dot);
    for (const f of rest) {
        const m = /^\s*default\s+(.+)$/.exec(f);
        if (!m) throw new Error(`helmTpl: unsupported function ${f}`);
        // sprig `default D X`: X when X is non-empty, else D. In a pipe, X is the piped value.
        const d = term(m[1], ctx, dot);
        v = empty(v) ? d : v;
    }
    return v;
}

export function renderTpl(template: string, ctx: TplContext, dot: Any = undefined): string {
    // Trim markers first (Go: `{{-` eats preceding whitespace, `-}}` following whitespace).
    const src = template.replace(/\s*\{\{-\s*/g, "{{ ").replace(/\s*-\}\}\s*/g, " }}");
    let out = "";
    let i = 0;
    while (i < src.length) {
        const open = src.indexOf("{{", i);
        if (open < 0) {
            out += src.slice(i);
            break;
        }
        out += src.slice(i, open);
        const close = src.indexOf("}}", open);
        const action = src.slice(open + 2, close).trim();
        const w = /^with\s+(.+)$/.exec(action);
        if (w) {
            const endAt = src.indexOf("{{ end }}", close);
            if (endAt < 0) throw new Error("helmTpl: with without end");
            const body = src.slice(close + 2, endAt);
            const v = pipe(w[1], ctx, dot);
            if (!empty(v)) out += renderTpl(body, ctx, v);
            i = endAt + "{{ end }}".length;
            continue;
        }
        const v = pipe(action, ctx, dot);
        out += v === undefined || v === null ? "<no value>" : String(v);
        i = close + 2;
    }
    return out;
}

/** Renders every string inside an object (what `tpl (toYaml .) $root` does to `extraInitContainers`). */
export function renderTplDeep<T>(obj: T, ctx: TplContext): T {
    if (typeof obj === "string") return renderTpl(obj, ctx) as T;
    if (Array.isArray(obj)) return obj.map((x) => renderTplDeep(x, ctx)) as T;
    if (obj && typeof obj === "object") return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, renderTplDeep(v, ctx)])) as T;
    return obj;
}
