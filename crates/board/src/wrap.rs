//! Line breaking for the board. SVG text does not wrap, so the layout measures text itself: a CJK
//! character (and full-width punctuation) is one em wide in Noto Sans CJK, Latin letters, digits
//! and half-width punctuation a little over half. The estimate errs wide so a line never overruns.

/// The width of `text` in ems.
pub fn width_em(text: &str) -> f64 {
    text.chars().map(char_em).sum()
}

fn char_em(c: char) -> f64 {
    if c.is_ascii() { if c == ' ' { 0.3 } else { 0.6 } } else { 1.0 }
}

/// Closing punctuation that must not start a line (禁则): it stays on the line before, even if that
/// line runs a little long.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』”’,.;:?!)%".contains(c)
}

/// Breaks `text` into lines of at most `max_em` ems (explicit newlines kept), at most `max_lines`
/// lines; a text cut short ends with "…".
pub fn lines(text: &str, max_em: f64, max_lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        let mut w = 0.0;
        for c in para.trim().chars() {
            let cw = char_em(c);
            if w + cw > max_em && !line.is_empty() && !no_line_start(c) {
                out.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += cw;
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    if out.len() > max_lines {
        out.truncate(max_lines.max(1));
        if let Some(last) = out.last_mut() {
            while !last.is_empty() && width_em(last) + 1.0 > max_em {
                last.pop();
            }
            last.push('…');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_chinese_by_width() {
        assert_eq!(lines("青阳街道老旧小区改造", 4.0, 5), vec!["青阳街道", "老旧小区", "改造"]);
    }

    #[test]
    fn keeps_closing_punctuation_on_the_line_before() {
        assert_eq!(lines("新建公厕，改造", 4.0, 5), vec!["新建公厕，", "改造"]);
    }

    #[test]
    fn latin_and_digits_count_about_half() {
        // 8 digits at 0.6 em = 4.8 em: one line of 5 ems.
        assert_eq!(lines("20231231", 5.0, 2), vec!["20231231"]);
        assert!((width_em("ab中") - 2.2).abs() < 1e-9);
    }

    #[test]
    fn cut_text_ends_with_an_ellipsis() {
        let l = lines("一二三四五六七八九十", 4.0, 2);
        assert_eq!(l, vec!["一二三四", "五六七…"]);
    }

    #[test]
    fn keeps_explicit_newlines_and_empty_text() {
        assert_eq!(lines("甲\n乙", 10.0, 5), vec!["甲", "乙"]);
        assert_eq!(lines("", 10.0, 5), vec![""]);
    }
}
