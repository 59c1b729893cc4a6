/**
 * URL user info (`scheme://user:password@`) replaced by `***@` wherever it appears in a text: a proxy URL
 * a message may quote, or a key of a broken YAML flow mapping that swallowed one.
 */
// RFC 3986 user info holds no "/", "?", "#", "[", "]" or "@" unencoded: `http://[user:password@]host`, the
// syntax a message may show, is not user info.
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s@[\]]*@/gi;

export function redactUserInfo(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
