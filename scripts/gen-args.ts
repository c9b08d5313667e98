/**
 * `npm run gen:args`: writes components/argTypes.ts, the components' argument interfaces, and the
 * argument tables of docs/components.md, from the schemas (scripts/argTypes.ts). `--check` only
 * says whether both are current (exit 1 if not).
 */
import * as fs from "fs";
import * as path from "path";
import { ARG_DOCS_FILE, ARG_TYPES_FILE, expectedArgTypes, withArgTables } from "./argTypes";

const root = path.join(__dirname, "..");
const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : "");
const docs = read(ARG_DOCS_FILE);
const files: [string, string, string][] = [
    [ARG_TYPES_FILE, read(ARG_TYPES_FILE), expectedArgTypes()],
    [ARG_DOCS_FILE, docs, withArgTables(docs)],
];
let stale = false;
for (const [file, current, expected] of files) {
    if (current === expected) {
        continue;
    }
    if (process.argv.includes("--check")) {
        console.error(`${file} is stale: run npm run gen:args`);
        stale = true;
    } else {
        fs.writeFileSync(path.join(root, file), expected);
        console.log(`wrote ${file}`);
    }
}
process.exit(stale ? 1 : 0);
