const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a Go duration ("90s", "1m30s", "500ms", "0"), or undefined when it is not one. */
export function goDurationMs(text: string): number | undefined {
    if (text === "0") {
        return 0;
    }
    let total = 0;
    let consumed = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
        if (m.index !== consumed) {
            return undefined;
        }
        total += Number(m[1]) * GO_UNITS[m[2]];
        consumed += m[0].length;
    }
    return consumed === text.length && consumed > 0 ? total : undefined;
}
