/**
 * Credentials in URLs and other strings, and what a URL setting may point at. Shared by the stack
 * config checks (lib/config, lib/monitoring, lib/rules) and the CrossGuard pack (policy/): the pack
 * ships a byte-identical copy in policy/shared/ (`npm run policy:sync`, checked by
 * tests/policy/policies.test.ts), because `pulumi policy publish` uploads policy/ alone. So this
 * file imports nothing, and no function here ever returns the value it looked at.
 */

/**
 * Query parameters that carry a credential: `token=`, `access_token=`, `private_token=` (GitLab),
 * `api_key=`/`apikey=`, `key=`, `sig=`/`signature=` (Azure SAS, Teams workflows),
 * `X-Amz-Signature=`/`X-Amz-Credential=`/`X-Amz-Security-Token=` (S3 presigned URLs),
 * `X-Goog-Signature=`/`X-Goog-Credential=` (GCS signed URLs), `secret=`, `password=`, `auth=`.
 */
const CREDENTIAL_PARAM =
    /^(?:[a-z0-9]+[_-])*(?:token|api[_-]?key|apikey|key|sig|signature|secret|client[_-]?secret|password|passwd|pwd|auth|credential|security[_-]token)$/i;

/**
 * Webhook URLs whose path is the credential: Slack incoming webhooks, Discord webhooks, Microsoft
 * Teams (Office 365 connectors) and PagerDuty's integration-key URLs.
 */
const TOKEN_PATHS: readonly (readonly [RegExp, string])[] = [
    [/\bhooks\.slack\.com\/(services|workflows|triggers)\/\S+/i, "a Slack webhook URL"],
    [/\bdiscord(app)?\.com\/api\/webhooks\/\d+\/[^\s/]+/i, "a Discord webhook URL"],
    [/\.webhook\.office\.com\/webhookb2\/\S+/i, "a Microsoft Teams webhook URL"],
    [/\bevents\.(eu\.)?pagerduty\.com\/integration\/[0-9a-z]{20,}/i, "a PagerDuty integration URL"],
];

/** Every `scheme://...` in a text (a setting may hold a URL inside a longer string). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** `scheme://user:password@host` or `scheme://token@host`: userinfo, without needing a parser. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]+@/i;

/** Why one URL carries a credential ("a user name or password in the URL"), or undefined. Never the value. */
export function urlCredential(url: string): string | undefined {
    const text = url.trim();
    if (USERINFO.test(text)) {
        return "a user name or password in the URL (user:password@)";
    }
    const found = TOKEN_PATHS.find(([re]) => re.test(text));
    if (found) {
        return found[1];
    }
    const query = text.replace(/#.*$/, "").split("?").slice(1).join("?");
    for (const pair of query.split(/[&;]/)) {
        const name = pair.split("=")[0];
        let decoded = name;
        try {
            decoded = decodeURIComponent(name);
        } catch {
            // a malformed escape: judge the name as written
        }
        if (pair.includes("=") && pair.slice(pair.indexOf("=") + 1) !== "" && CREDENTIAL_PARAM.test(decoded)) {
            return `a credential parameter (${decoded}=) in the URL`;
        }
    }
    return undefined;
}

/** Why a string holds a credential-bearing URL somewhere inside it, or undefined. Never the value. */
export function credentialInText(text: string): string | undefined {
    for (const m of text.matchAll(URL_IN_TEXT)) {
        const what = urlCredential(m[0]);
        if (what) {
            return what;
        }
    }
    return undefined;
}

/** The URL's scheme in lower case without the colon ("https", "oci"), or undefined when it has none. */
export function urlScheme(url: string): string | undefined {
    return /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1].toLowerCase();
}

/** The host of a `scheme://host...` URL, brackets of an IPv6 literal removed, lower case. */
export function urlHostname(url: string): string | undefined {
    const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url.trim());
    return m ? m[1].replace(/^\[|\]$/g, "").toLowerCase() : undefined;
}

/** True for hosts that never leave the machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, "");
    return h === "localhost" || h.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(h);
}

/** Why a URL that carries credentials (in it or beside it) must not be used: plain http to another machine. */
export function plainHttpProblem(url: string): string | undefined {
    const host = urlHostname(url);
    if (urlScheme(url) === "http" && host !== undefined && !isLoopbackHost(host)) {
        return `sends credentials over plain http to ${host}; use https (plain http is accepted for localhost only, e.g. a port-forward)`;
    }
    return undefined;
}

/** Why a Helm chart repository URL is refused: only https:// and oci:// (TLS to the registry). */
export function chartRepositoryProblem(url: string): string | undefined {
    const scheme = urlScheme(url);
    return scheme === "https" || scheme === "oci"
        ? undefined
        : `must be an https:// or oci:// chart repository${scheme ? ` (${scheme}:// is not: charts fetched without TLS can be swapped on the way)` : ""}`;
}

/** Why a link shown to people (a runbook URL) is refused: only http:// and https://. */
export function linkProblem(url: string): string | undefined {
    const scheme = urlScheme(url);
    return scheme === "https" || scheme === "http" ? undefined : `must be an http:// or https:// URL${scheme ? ` (not ${scheme}:)` : ""}`;
}
