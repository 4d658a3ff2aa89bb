//! The QR code of the board as one SVG path (the qrcode crate encodes; we only draw its modules).

use crate::BoardError;
use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// A `<path>` of the dark modules of `payload`, `size` wide (quiet zone of four modules included),
/// its top-left corner at (`x`, `y`), on a white square.
pub fn path(payload: &str, x: f64, y: f64, size: f64) -> Result<String, BoardError> {
    // Level M survives a scuffed or partly shaded board better than L, and a project URL still fits
    // a small version.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| BoardError::Qr(e.to_string()))?;
    let n = code.width();
    let quiet = 4;
    let m = size / (n + 2 * quiet) as f64;
    let mut d = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (cx, cy) = (i % n + quiet, i / n + quiet);
            let _ = write!(d, "M{:.3} {:.3}h{m:.3}v{m:.3}h-{m:.3}z", x + cx as f64 * m, y + cy as f64 * m);
        }
    }
    Ok(format!(
        r##"<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#fff"/><path d="{d}" fill="#000" shape-rendering="crispEdges"/>"##
    ))
}
