/** A Pulumi `--path` for a key and the property path below it: `metallb:bgpPasswords.tor-a`, `x["a.b"]`, `x[0]`. */
export function configPath(key: string, path: readonly (string | number)[]): string {
    let out = key;
    for (const seg of path) {
        if (typeof seg === "number") {
            out += `[${seg}]`;
        } else if (/^[^.[\]"]+$/.test(seg)) {
            out += `.${seg}`;
        } else {
            out += `[${JSON.stringify(seg)}]`;
        }
    }
    return out;
}
