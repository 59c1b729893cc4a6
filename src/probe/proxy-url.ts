/**
 * Proxy URLs as people write them, parsed without the WHATWG URL rules for the user info. Those rules
 * read `\` as `/` and end the authority at the first `/`, `?` or `#`, so `http://CONTOSO\jdoe:S3cret@proxy:3128`
 * (a Windows domain account) or a password such as `1234/pw` or `12#pw` would become a host (`contoso`,
 * looked up in DNS) and a path holding the password, which is then neither sent nor treated as a secret.
 * Here the user info is everything before the last `@`, and only `host:port` goes to the URL parser.
 * No message of this module ever quotes the value: it may hold a password.
 */

/** A proxy URL taken apart: where to connect, and the credentials (decoded). */
export interface ParsedProxyUrl {
  host: string;
  port: number;
  /** Empty when none was given. */
  user: string;
  password: string;
  /** The password as written in the URL (percent-encoded, if it was). */
  rawPassword: string;
  hasCredentials: boolean;
  /** `http://***@proxy:3128` or `http://proxy:3128`. */
  redacted: string;
}

/** Why a proxy URL is not usable; the text never quotes the URL. */
export class ProxyUrlError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = "ProxyUrlError";
  }
}

const EXPECTED = "expected http://[user:password@]host:port";

/** Percent-decodes user info strictly: a `%` that does not start a `%XX` escape of UTF-8 is an error. */
function decodeUserInfo(text: string, part: "user name" | "password"): string {
  if (/%(?![0-9a-f]{2})/i.test(text)) {
    throw new ProxyUrlError(`the ${part} holds a "%" that does not start a %XX escape (write a literal "%" as %25)`);
  }
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ProxyUrlError(`the ${part} holds a %XX escape that is not UTF-8 (write a literal "%" as %25)`);
  }
}

/**
 * Parses `http://[user[:password]@]host[:port][/]` (the scheme may be left out). The user info is
 * everything before the last `@`, so a user or password may hold `\`, `/`, `#`, `?` or `@` unencoded.
 */
export function parseProxyUrl(text: string): ParsedProxyUrl {
  const value = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const protocol = scheme ? scheme[1]!.toLowerCase() : "http";
  if (protocol !== "http") throw new ProxyUrlError(`only http:// proxies are supported (got ${protocol}://); the proxy is asked with CONNECT`);
  let rest = scheme ? value.slice(scheme[0].length) : value;
  const at = rest.lastIndexOf("@");
  const userInfo = at >= 0 ? rest.slice(0, at) : undefined;
  rest = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/$/, "");
  if (rest === "" || /[/?#\\\s]/.test(rest)) throw new ProxyUrlError(EXPECTED);
  let parsed: URL;
  try {
    parsed = new URL(`http://${rest}`);
  } catch {
    throw new ProxyUrlError(EXPECTED);
  }
  if (!parsed.hostname) throw new ProxyUrlError(EXPECTED);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const port = parsed.port ? Number(parsed.port) : 80;
  let user = "";
  let password = "";
  let rawPassword = "";
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(":");
    const rawUser = colon >= 0 ? userInfo.slice(0, colon) : userInfo;
    rawPassword = colon >= 0 ? userInfo.slice(colon + 1) : "";
    user = decodeUserInfo(rawUser, "user name");
    password = decodeUserInfo(rawPassword, "password");
  }
  const hasCredentials = user !== "" || password !== "";
  return { host, port, user, password, rawPassword, hasCredentials, redacted: `http://${hasCredentials ? "***@" : ""}${parsed.host}` };
}

/**
 * Every form in which a proxy could echo a password back, for a scrub of whatever it says: as typed, as
 * its UTF-8 bytes read as Latin-1 (how an answer's head is decoded), percent-encoded (either case),
 * inside the Basic token (`user:password`, base64), and as JSON or XML would escape each of these.
 */
export function secretForms(user: string, password: string, rawPassword: string): string[] {
  if (password === "" && user === "") return [];
  const token = Buffer.from(`${user}:${password}`, "utf8").toString("base64");
  const bases = [password, rawPassword, `Basic ${token}`, token, Buffer.from(password, "utf8").toString("base64")];
  const forms = new Set<string>();
  for (const base of bases) {
    if (base.length < 3) continue;
    const latin1 = Buffer.from(base, "utf8").toString("latin1");
    const encoded = encodeURIComponent(base);
    for (const form of [base, latin1, encoded, encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())]) {
      forms.add(form);
      forms.add(JSON.stringify(form).slice(1, -1));
      forms.add(form.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"));
    }
  }
  // Longest first, so that a scrub replaces a whole form before a part of it.
  return [...forms].filter((f) => f.length >= 3).sort((a, b) => b.length - a.length);
}
