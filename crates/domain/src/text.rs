//! Text that every part of the system can keep: the database (PostgreSQL refuses NUL in text),
//! XML and SVG (which forbid C0 controls other than tab and newlines, U+FFFE and U+FFFF), PDF and
//! image fonts, CSV and the terminal. Requests, uploaded files and imports are checked against
//! this once, where they are decoded, so nothing further in needs to worry about it.
//! (Lone surrogates cannot occur in a Rust `str`; decoders refuse or replace them before here.)

/// Whether a character may not be stored: C0 controls other than tab, line feed and carriage
/// return, and the Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every
/// plane, U+FFFE/U+FFFF among them).
pub fn is_unstorable(c: char) -> bool {
    let code = u32::from(c);
    (code < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// The first character of `text` that may not be stored.
pub fn first_unstorable(text: &str) -> Option<char> {
    text.chars().find(|c| is_unstorable(*c))
}

/// The column and character of the first cell of a row holding an unstorable character (imports).
pub fn first_unstorable_cell<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<(usize, char)> {
    cells.into_iter().enumerate().find_map(|(i, cell)| first_unstorable(cell).map(|c| (i, c)))
}

/// A character as people can look it up: `U+0000`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The sentence that refuses it: 含有不允许的字符 U+0000.
pub fn refusal(c: char) -> String {
    format!("含有不允许的字符 {}（控制字符或 Unicode 非字符）", code_point(c))
}

/// A reversible, storable spelling of any text: a backslash is doubled and an unstorable
/// character written `\u{FFFF}`; text with neither comes back unchanged. For what must be kept
/// even when it cannot be stored as sent, such as the name typed into a refused sign-in.
pub fn escape_unstorable(text: &str) -> String {
    if !text.chars().any(|c| c == '\\' || is_unstorable(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if is_unstorable(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_unstorable`]; `None` when the text is not such a spelling.
pub fn unescape_unstorable(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The 1-based line and the character of the first unstorable character of a file's text.
pub fn first_unstorable_line(text: &str) -> Option<(usize, char)> {
    text.lines().enumerate().find_map(|(i, line)| first_unstorable(line).map(|c| (i + 1, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_refused() {
        for bad in [
            '\u{0}',
            '\u{1}',
            '\u{8}',
            '\u{b}',
            '\u{c}',
            '\u{1b}',
            '\u{1f}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_unstorable(bad), "{}", code_point(bad));
        }
        // Tab and newlines, DEL, the replacement character, private use, CJK in both scripts and emoji are text.
        for good in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{7f}',
            '\u{fffd}',
            '\u{fdcf}',
            '\u{fdf0}',
            '\u{e000}',
            '晋',
            '鄉',
            '😀',
            '\u{1fffd}',
        ] {
            assert!(!is_unstorable(good), "{}", code_point(good));
        }
    }

    #[test]
    fn names_the_character_and_the_line() {
        assert_eq!(first_unstorable("JJ-\u{0}027"), Some('\u{0}'));
        assert_eq!(code_point('\u{0}'), "U+0000");
        assert_eq!(code_point('\u{ffff}'), "U+FFFF");
        assert_eq!(first_unstorable_line("a,b\r\nc,d\nx\u{ffff},y\n"), Some((3, '\u{ffff}')));
        assert_eq!(first_unstorable_line("甲\t乙\r\n丙\n"), None);
        assert_eq!(first_unstorable_cell(["a", "b", "c\u{1}"]), Some((2, '\u{1}')));
        assert_eq!(first_unstorable_cell(["a", "b"]), None);
    }

    #[test]
    fn escaping_is_storable_and_reversible() {
        for text in ["admin", "a\u{0}b", "a\\b", "\\u{0}", "\u{ffff}\\\u{1b}[31m", "晋江", ""] {
            let escaped = escape_unstorable(text);
            assert_eq!(first_unstorable(&escaped), None, "{escaped}");
            assert_eq!(unescape_unstorable(&escaped).as_deref(), Some(text), "{escaped}");
        }
        assert_eq!(escape_unstorable("a\u{0}b"), "a\\u{0}b");
        assert_eq!(escape_unstorable("admin"), "admin");
        // A typed backslash-u is not mistaken for an escaped character.
        assert_ne!(escape_unstorable("a\\u{0}b"), escape_unstorable("a\u{0}b"));
    }
}

/// Whether public text carries markup: a tag (`<script>`, `</b>`, `<!--`, `<?xml`) or a
/// `javascript:` link. What citizens post through public doors is refused with it, since nothing a
/// complaint needs looks like that (and escaping, done wherever text is shown, stays the second line).
pub fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    let tag =
        bytes.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?')));
    tag || text.to_ascii_lowercase().contains("javascript:")
}

#[cfg(test)]
mod markup_tests {
    use super::looks_like_markup;

    #[test]
    fn tags_and_script_links_are_markup_and_comparisons_are_not() {
        assert!(looks_like_markup("<script>alert(1)</script>"));
        assert!(looks_like_markup("路灯坏了<img src=x onerror=alert(1)>"));
        assert!(looks_like_markup("见 JavaScript:alert(1)"));
        assert!(looks_like_markup("</b>"));
        assert!(!looks_like_markup("水温 < 40 度，距离 <5 米"));
        assert!(!looks_like_markup("路灯坏了三天"));
    }
}
