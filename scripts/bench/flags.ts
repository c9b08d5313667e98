/** One command-line flag of a benchmark with the values that follow it (up to the next `--flag`). */
export interface Flag {
    readonly flag: string;
    readonly values: readonly string[];
    /** The flag's single value; throws when it has none or several. */
    one(): string;
}

/** Splits a benchmark's arguments into flags and their values. */
export function flags(argv: readonly string[]): Flag[] {
    const out: Flag[] = [];
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const values: string[] = [];
        while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
            values.push(argv[++i]);
        }
        out.push({
            flag,
            values,
            one: () => {
                if (values.length !== 1) {
                    throw new Error(`${flag} takes one value`);
                }
                return values[0];
            },
        });
    }
    return out;
}
