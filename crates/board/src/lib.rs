//! 公示牌: the printable public board of a project. One SVG layout (A3 portrait, millimetres) is
//! drawn from plain facts, then turned into a PNG (resvg) or a PDF of one or many pages (svg2pdf)
//! with a Chinese font loaded at run time. The board knows nothing of the database: the web layer
//! fills a [`Board`] and asks for bytes.

mod layout;
mod qr;
mod render;
mod wrap;

/// Text for an SVG text node or attribute value (the board's, and the web's wall chart and map).
/// A character XML does not allow (a C0 control other than tab and newlines, U+FFFE, U+FFFF) is
/// drawn as U+FFFD: input refuses them, but a record stored before that must not break a board.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            c if (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push('\u{fffd}')
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub use layout::{Board, Fact, Milestone, skipped_page, svg};
pub use render::{DEFAULT_FONT_PATHS, Fonts, fonts_for_tests, pdf, png};

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_in_names() {
        assert_eq!(super::esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(super::esc("公园\u{ffff}\u{0}\u{fffe}\t"), "公园\u{fffd}\u{fffd}\u{fffd}\t");
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// No Chinese font could be loaded: the board would print empty boxes instead of characters.
    #[error("no CJK font found (tried {0}); install Debian's fonts-noto-cjk or name a font file")]
    FontMissing(String),
    /// The QR payload does not fit a QR code (an absurdly long public address).
    #[error("QR code: {0}")]
    Qr(String),
    #[error("drawing the board: {0}")]
    Draw(String),
}
