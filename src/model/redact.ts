/**
 * URL user info (`scheme://user:password@`) replaced by `***@` wherever it appears in a text: a proxy URL
 * a message may quote, or a key of a broken YAML flow mapping that swallowed one.
 */
// Everything from `scheme://` to the last `@` before a space, quote, `<`, `>` or bracket is taken as user
// info: people write passwords with "/", "#", "\" or "@" unencoded (`http://CONTOSO\jdoe:12/pw@proxy`),
// and a URL with an "@" in its path loses a little more than it must, never a password. A quote ends it so
// that a JSON or YAML string around the URL keeps its shape. `http://[user:password@]host`, the syntax a
// message may show, is not user info.
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s"'`<>[\]]*@/gi;

export function redactUserInfo(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
