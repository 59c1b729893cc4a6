/**
 * Case-insensitive comparison of Azure's keywords (protocols, service tags, actions), which every rule
 * compares against every flow. `a.toLowerCase() === b.toLowerCase()` allocates two strings per call; this
 * gives the same answer and allocates only for non-ASCII text, where it defers to `toLowerCase`.
 */
export function equalsIgnoreCase(a: string, b: string): boolean {
  if (a === b) return true;
  // Lower-casing can change the length of non-ASCII text ("İ" becomes "i̇"), never of ASCII.
  if (a.length !== b.length) return isAscii(a) && isAscii(b) ? false : a.toLowerCase() === b.toLowerCase();
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 128 || y >= 128) return a.toLowerCase() === b.toLowerCase();
    const lower = x | 32;
    // Only letters differ by the 0x20 bit alone ("@" and "`" do too, and are not the same character).
    if (lower !== (y | 32) || lower < 97 || lower > 122) return false;
  }
  return true;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}
