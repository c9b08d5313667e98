/**
 * `npm run gen:args`: writes components/argTypes.ts, the components' argument interfaces, from
 * their schemas (scripts/argTypes.ts). `--check` only says whether the file is current (exit 1 if not).
 */
import * as fs from "fs";
import * as path from "path";
import { ARG_TYPES_FILE, expectedArgTypes } from "./argTypes";

const file = path.join(__dirname, "..", ARG_TYPES_FILE);
const expected = expectedArgTypes();
const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
if (process.argv.includes("--check")) {
    if (current !== expected) {
        console.error(`${ARG_TYPES_FILE} is stale: run npm run gen:args`);
        process.exit(1);
    }
} else if (current !== expected) {
    fs.writeFileSync(file, expected);
    console.log(`wrote ${ARG_TYPES_FILE}`);
}
