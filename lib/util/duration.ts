const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PROM_UNITS: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
};

function sum(text: string, re: RegExp, units: Record<string, number>): number | undefined {
    if (text === "0") {
        return 0;
    }
    let total = 0;
    let consumed = 0;
    for (const m of text.matchAll(re)) {
        if (m.index !== consumed) {
            return undefined;
        }
        total += Number(m[1]) * units[m[2]];
        consumed += m[0].length;
    }
    return consumed === text.length && consumed > 0 ? total : undefined;
}

/** Milliseconds in a Go duration ("1m30s"), or undefined when it is not one. */
export function goDurationMs(text: string): number | undefined {
    return sum(text, /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g, GO_UNITS);
}

/** Milliseconds in a Prometheus duration ("1h30m", "15d"), or undefined when it is not one. */
export function promDurationMs(text: string): number | undefined {
    return sum(text, /(\d+)(ms|s|m|h|d|w|y)/g, PROM_UNITS);
}
