/**
 * Secrets never leave the process: a proxy URL is shown with its user info replaced, and any text that
 * could echo one (an error message, a header) goes through `redactText` before it is kept.
 */
import { redactUserInfo } from "../model/redact";

/** `http://user:secret@proxy:3128/` -> `http://***@proxy:3128`; a URL without user info is unchanged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hadUserInfo = parsed.username !== "" || parsed.password !== "";
    parsed.username = "";
    parsed.password = "";
    const shown = parsed.href.replace(/\/$/, "");
    return hadUserInfo ? shown.replace("://", "://***@") : shown;
  } catch {
    // Not a URL we can parse: strip anything that looks like user info, and keep no more.
    return redactUserInfo(url);
  }
}

/**
 * `text` with every URL's user info redacted and every listed secret (and its percent-encoded form)
 * replaced by `***`. Empty and very short secrets are not searched for: they would mangle the text
 * without protecting anything.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = redactUserInfo(text);
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("***");
  }
  return out;
}
