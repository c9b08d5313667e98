/**
 * Copies the checks the CrossGuard pack shares with the program (lib/util/credentials.ts,
 * lib/metallb/addresses.ts: one implementation) into policy/shared/, because `pulumi policy
 * publish` uploads policy/ alone. tests/policy/policies.test.ts fails when a copy differs.
 *
 *   npm run policy:sync
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** Shared source file -> its copy in the pack. */
export const SHARED: Readonly<Record<string, string>> = {
    "lib/util/credentials.ts": "policy/shared/credentials.ts",
    "lib/metallb/addresses.ts": "policy/shared/addresses.ts",
};

if (require.main === module) {
    for (const [from, to] of Object.entries(SHARED)) {
        fs.mkdirSync(path.dirname(path.join(ROOT, to)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, from), path.join(ROOT, to));
        process.stdout.write(`${from} -> ${to}\n`);
    }
}
