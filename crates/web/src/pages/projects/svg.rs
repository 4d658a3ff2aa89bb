//! Small pieces shared by the server-drawn SVG (wall chart, map, public board): text escaping and
//! the light colours. Colours are presentation attributes, not CSS, so a downloaded SVG prints the
//! same as the page and the strict Content Security Policy has nothing inline to block.

pub use bangdu_board::esc;

/// The fill of a light (the same colours as the stylesheet's `--light-*`).
pub fn light_fill(code: &str) -> &'static str {
    match code {
        "green" => "#2e9e4f",
        "yellow" => "#e0a100",
        "red" => "#d93030",
        "blue" => "#2f6fd6",
        _ => "#9aa0a6",
    }
}

/// A name cut to `max` characters with an ellipsis, for fixed-width columns.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_long_names() {
        assert_eq!(clip("晋江市青阳街道", 4), "晋江市…");
        assert_eq!(clip("青阳", 4), "青阳");
    }
}
