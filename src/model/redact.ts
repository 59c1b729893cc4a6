/**
 * URL user info (`scheme://user:password@`) replaced by `***@` wherever it appears in a text: a proxy URL
 * a message may quote, or a key of a broken YAML flow mapping that swallowed one.
 */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi;

export function redactUserInfo(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
