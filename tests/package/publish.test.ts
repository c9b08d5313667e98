import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { packedFiles } from "../support/packConsumer";

const ROOT = path.resolve(__dirname, "../..");
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");
const PKG = JSON.parse(read("package.json"));

/** Relative module specifiers of a .js (require) or .ts / .d.ts (import/export ... from, import type `import("...")`) file. */
function relativeImports(source: string): string[] {
    const specs = [...source.matchAll(/(?:require|import)\("(\.{1,2}\/[^"]*)"\)|from "(\.{1,2}\/[^"]*)"/g)].map((m) => m[1] ?? m[2]);
    return [...new Set(specs)];
}

describe("publishable package", () => {
    let files: string[];
    // The files `npm pack` / `npm publish` ship (needs the build: npm test builds first, and packs beside mocha).
    before(async function () {
        this.timeout(120_000);
        files = await packedFiles();
    });

    it("is licensed as package.json declares: the full Apache-2.0 text", () => {
        assert.strictEqual(PKG.license, "Apache-2.0");
        const license = read("LICENSE");
        assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004/);
        assert.match(license, /END OF TERMS AND CONDITIONS/);
        assert.ok(license.split("\n").length > 190, "the whole license text, not a notice");
    });

    it("has a Keep a Changelog CHANGELOG whose latest release is package.json's version", () => {
        const changelog = read("CHANGELOG.md");
        assert.match(changelog, /keepachangelog\.com/);
        assert.match(changelog, /^## \[Unreleased\]$/m);
        const releases = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((m) => m[1]);
        assert.strictEqual(releases[0], PKG.version);
        for (const v of ["Unreleased", ...releases]) {
            assert.match(changelog, new RegExp(`^\\[${v}\\]: https://`, "m"), `link for [${v}]`);
        }
    });

    it("ships what TypeScript consumers and the plugin need, and nothing of the repository's own", () => {
        const required = [
            "package.json",
            "README.md",
            "LICENSE",
            "CHANGELOG.md",
            "PulumiPlugin.yaml",
            PKG.main,
            PKG.types,
            PKG.exports["."].default.replace(/^\.\//, ""),
            PKG.exports["."].types.replace(/^\.\//, ""),
        ];
        assert.deepStrictEqual(
            required.filter((f) => !files.includes(f)),
            [],
        );
        const unwanted = files.filter((f) =>
            // lib/config (stack config reading and mapping) belongs to this repository's program, not the library.
            /^(tests|scripts|policy|examples|runbooks|\.github|\.ci|node_modules)\/|^(bin\/)?lib\/config\/|^Pulumi(\.[^.]+)?\.yaml$|^index\.ts$|^render\//.test(
                f,
            ),
        );
        assert.deepStrictEqual(unwanted, []);
    });

    it("every module the shipped code and declarations import is shipped (the provider and the components run from the package, the schema analysis reads the declarations)", () => {
        const missing: string[] = [];
        for (const f of files.filter((p) => p.endsWith(".js") || p.endsWith(".ts"))) {
            for (const spec of relativeImports(read(f))) {
                const base = path.posix.join(path.posix.dirname(f), spec);
                const ext = f.endsWith(".js") ? ".js" : f.endsWith(".d.ts") ? ".d.ts" : ".ts";
                if (![base, `${base}${ext}`, `${base}/index${ext}`].some((c) => files.includes(c))) {
                    missing.push(`${f} -> ${spec}`);
                }
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    it("ships what Pulumi's component analyzer reads: its tsconfig chain, manifest and the declarations it starts from", () => {
        const dir = "provider";
        const tsconfig = JSON.parse(read(`${dir}/tsconfig.json`));
        const manifest = parse(read(`${dir}/package.yaml`));
        const needed = [
            `${dir}/tsconfig.json`,
            `${dir}/package.yaml`,
            path.posix.join(dir, tsconfig.extends),
            path.posix.join(dir, manifest.main),
            ...tsconfig.files.map((f: string) => path.posix.join(dir, f)),
        ];
        assert.deepStrictEqual(
            needed.filter((f) => !files.includes(f)),
            [],
        );
        assert.strictEqual(manifest.description, PKG.description, "the schema's description is package.json's");
    });

    it("ships source maps only when their sources ship too", () => {
        const maps = files.filter((f) => f.endsWith(".js.map"));
        assert.ok(maps.length > 0);
        const dangling: string[] = [];
        for (const m of maps) {
            const map = JSON.parse(read(m)) as { sources: string[]; sourceRoot?: string };
            for (const s of map.sources) {
                const target = path.posix.join(path.posix.dirname(m), map.sourceRoot ?? "", s);
                if (!files.includes(target)) {
                    dangling.push(`${m} -> ${target}`);
                }
            }
        }
        assert.deepStrictEqual(dangling, []);
    });
});
