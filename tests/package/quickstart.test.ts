import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const CONFIGURATION = fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
const section = (title: string, text = README) => {
    const start = text.indexOf(`## ${title}\n`);
    assert.ok(start >= 0, `no "## ${title}" section`);
    const end = text.indexOf("\n## ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
};

describe("two commands on a fresh machine (README quick start)", () => {
    const pin: string = PKG.devDependencies.pulumi;

    it("npm ci brings the Pulumi CLI installer, pinned exactly, that fetches exactly that CLI version", () => {
        assert.match(pin, /^\d+\.\d+\.\d+$/);
        const installer = JSON.parse(fs.readFileSync(require.resolve("pulumi/package.json"), "utf8"));
        // The official lazy installer (pulumi/pulumi, directory npm) downloads the CLI version equal
        // to its own package version unless PULUMI_VERSION overrides it (lib/resolve.js).
        assert.deepStrictEqual([installer.version, installer.repository.directory, installer.bin.pulumi], [pin, "npm", "run.js"]);
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
        assert.strictEqual(lock.packages["node_modules/pulumi"].version, pin);
    });

    it("states the CLI version the project is tested with", () => {
        assert.match(section("Prerequisites"), new RegExp(`pinned to \\*\\*${pin.replace(/\./g, "\\.")}\\*\\*`));
    });

    it("deploys with npx pulumi (the pinned CLI) and a local state backend", () => {
        const commands = [...section("Quick start").matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
        assert.deepStrictEqual(commands.length, 2, "two commands: deploy, test");
        const [deploy, test] = commands;
        assert.match(deploy, /^npm ci && /);
        assert.match(deploy, /PULUMI_BACKEND_URL="file:\/\//);
        const pulumiCalls = deploy.match(/(?:npx )?pulumi (?=\w)/g) ?? [];
        assert.ok(pulumiCalls.length >= 2 && pulumiCalls.every((c) => c === "npx pulumi "), deploy);
        assert.match(deploy, /npx pulumi up\s*$/);
        assert.strictEqual(test, "npm test\n");
    });

    it("docs/configuration.md's add-a-stack steps name every place a new stack touches", () => {
        const stacks = section("Stacks", CONFIGURATION);
        for (const place of [
            "Pulumi.<name>.yaml",
            "npm run policy -- --stack <name>",
            "preview-<name>",
            "KUBECONFIG_READONLY",
            ".github/workflows/deploy.yaml",
        ]) {
            assert.ok(stacks.includes(place), place);
        }
    });
});
