// Private-use characters that wrap highlighted search words; the page turns them into <mark>.
export const MARK_START = "\u{E000}";
export const MARK_END = "\u{E001}";
