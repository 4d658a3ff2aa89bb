//! From the board's SVG to bytes: PNG through resvg, PDF (one page per board) through svg2pdf with
//! the text embedded as a font subset, so the PDF's Chinese is real, searchable text.

use crate::BoardError;
use crate::layout::{HEIGHT_MM, WIDTH_MM};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use resvg::usvg::{self, fontdb};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where Debian's, Fedora's and Arch's Noto Sans CJK packages put the font (Regular and Bold).
pub const DEFAULT_FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
];

/// Families preferred for the board, in order; any other loaded family is the last resort.
const PREFERRED: &[&str] = &["Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN"];

/// The fonts the board is drawn with, loaded once and shared.
#[derive(Clone, Debug)]
pub struct Fonts {
    db: Arc<fontdb::Database>,
    family: String,
}

impl Fonts {
    /// Loads the font files that exist among `paths` (TrueType/OpenType, collections included) and
    /// picks the family: Noto Sans CJK SC when there, else the first family loaded.
    pub fn load(paths: &[PathBuf]) -> Result<Fonts, BoardError> {
        let mut db = fontdb::Database::new();
        for p in paths.iter().filter(|p| Path::new(p).is_file()) {
            // A file that is not a font is skipped like a missing one; the check below decides.
            let _ = db.load_font_file(p);
        }
        let families: Vec<String> = db.faces().flat_map(|f| f.families.iter().map(|(n, _)| n.clone())).collect();
        let family = PREFERRED
            .iter()
            .find(|p| families.iter().any(|f| f == *p))
            .map(|p| p.to_string())
            .or_else(|| families.first().cloned())
            .ok_or_else(|| {
                BoardError::FontMissing(paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))
            })?;
        db.set_sans_serif_family(family.clone());
        Ok(Fonts { db: Arc::new(db), family })
    }

    /// The family the board's text is set in.
    pub fn family(&self) -> &str {
        &self.family
    }

    fn tree(&self, svg: &str) -> Result<usvg::Tree, BoardError> {
        let options =
            usvg::Options { fontdb: self.db.clone(), font_family: self.family.clone(), ..usvg::Options::default() };
        usvg::Tree::from_str(svg, &options).map_err(|e| BoardError::Draw(e.to_string()))
    }
}

/// The board as a PNG at `dpi` dots per inch (150 gives 1754 × 2480 for A3).
pub fn png(svg: &str, fonts: &Fonts, dpi: f32) -> Result<Vec<u8>, BoardError> {
    let tree = fonts.tree(svg)?;
    // usvg measures the document in CSS pixels (96 per inch).
    let scale = dpi / 96.0;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| BoardError::Draw("empty board".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| BoardError::Draw("board too large to draw".into()))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| BoardError::Draw(e.to_string()))
}

/// Points per millimetre (72 per inch).
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A PDF of boards, and the positions of the boards that could not be drawn and were left out.
pub struct Pages {
    pub bytes: Vec<u8>,
    pub skipped: Vec<usize>,
}

/// One PDF with a page per board, each page A3 (`title` goes into the document information). A
/// board that cannot be drawn is left out and its position reported, so one bad record never
/// fails a batch; when none can be drawn, the first failure is the error. `last_page` is told the
/// positions left out and may add a page at the end (the batch print names them there), so the
/// document is drawn once.
pub fn pdf(
    svgs: &[String],
    fonts: &Fonts,
    title: &str,
    last_page: impl FnOnce(&[usize]) -> Option<String>,
) -> Result<Pages, BoardError> {
    let mut doc = Document { pdf: Pdf::new(), alloc: Ref::new(1), pages: Vec::with_capacity(svgs.len() + 1) };
    let catalog = doc.alloc.bump();
    let page_tree = doc.alloc.bump();
    let (mut skipped, mut first_error) = (Vec::new(), None);
    for (index, svg) in svgs.iter().enumerate() {
        if let Err(e) = doc.add(svg, fonts, page_tree) {
            skipped.push(index);
            first_error.get_or_insert(e);
        }
    }
    if let (true, Some(e)) = (doc.pages.is_empty(), first_error) {
        return Err(e);
    }
    if let Some(svg) = last_page(&skipped) {
        doc.add(&svg, fonts, page_tree)?;
    }
    let Document { mut pdf, mut alloc, pages } = doc;
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree).count(pages.len() as i32).kids(pages);
    pdf.document_info(alloc.bump()).title(TextStr(title)).producer(TextStr("Bangdu 帮督"));
    Ok(Pages { bytes: pdf.finish(), skipped })
}

/// A PDF being written: its objects, the next free object number and its pages so far.
struct Document {
    pdf: Pdf,
    alloc: Ref,
    pages: Vec<Ref>,
}

impl Document {
    /// Adds one A3 page drawn from `svg`; on error nothing is added.
    fn add(&mut self, svg: &str, fonts: &Fonts, page_tree: Ref) -> Result<(), BoardError> {
        let (w, h) = (WIDTH_MM as f32 * PT_PER_MM, HEIGHT_MM as f32 * PT_PER_MM);
        // The board becomes a form XObject of 1 × 1 pt, scaled onto its page; its objects are
        // renumbered into this document's numbering.
        let tree = fonts.tree(svg)?;
        let (chunk, board) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| BoardError::Draw(e.to_string()))?;
        let mut map = HashMap::new();
        let alloc = &mut self.alloc;
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let board = map.get(&board).copied().ok_or_else(|| BoardError::Draw("board object lost".into()))?;
        let page_id = self.alloc.bump();
        let content_id = self.alloc.bump();
        let mut page = self.pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(page_tree);
        page.contents(content_id);
        page.resources().x_objects().pair(Name(b"Board"), board);
        page.finish();
        let mut content = Content::new();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(Name(b"Board"));
        self.pdf.stream(content_id, &content.finish());
        self.pdf.extend(&chunk);
        self.pages.push(page_id);
        Ok(())
    }
}

/// The fonts for tests: the default paths. Without them a test says so and passes, unless
/// `BANGDU_REQUIRE_FONTS` is set (CI sets it, having installed fonts-noto-cjk), where it fails.
pub fn fonts_for_tests() -> Option<Fonts> {
    let paths: Vec<PathBuf> = DEFAULT_FONT_PATHS.iter().map(PathBuf::from).collect();
    match Fonts::load(&paths) {
        Ok(f) => Some(f),
        Err(e) if std::env::var_os("BANGDU_REQUIRE_FONTS").is_some() => panic!("{e}"),
        Err(e) => {
            eprintln!("skipped, {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests::sample;

    /// Reads the QR code back from the drawn board, as a phone camera would.
    fn scan(pixmap: &resvg::tiny_skia::Pixmap) -> Vec<String> {
        let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
        let data = pixmap.data();
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            let i = (y * w + x) * 4;
            ((data[i] as u32 + data[i + 1] as u32 + data[i + 2] as u32) / 3) as u8
        });
        img.detect_grids().iter().filter_map(|g| g.decode().ok()).map(|(_, text)| text).collect()
    }

    #[test]
    fn the_png_is_a3_at_the_asked_resolution_and_its_qr_code_opens_the_public_page() {
        let Some(fonts) = fonts_for_tests() else { return };
        let board = sample();
        let bytes = png(&crate::svg(&board).unwrap_or_default(), &fonts, 150.0).unwrap_or_default();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap_or_else(|e| panic!("{e}"));
        // A3 is 297 × 420 mm; at 150 dpi that is 1754 × 2480 pixels (±1 for rounding).
        assert!((pixmap.width() as i32 - 1754).abs() <= 1, "{}", pixmap.width());
        assert!((pixmap.height() as i32 - 2480).abs() <= 1, "{}", pixmap.height());
        assert_eq!(scan(&pixmap), vec![board.url.clone()]);
    }

    #[test]
    fn the_text_is_drawn_in_the_chinese_font() {
        let Some(fonts) = fonts_for_tests() else { return };
        assert_eq!(fonts.family(), "Noto Sans CJK SC");
        // With the font the name's glyphs are outlines: the band's white title covers a good part
        // of the red band. Without a CJK font usvg drops the text and the band stays all red.
        let pixmap = {
            let bytes = png(&crate::svg(&sample()).unwrap_or_default(), &fonts, 50.0).unwrap_or_default();
            resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap_or_else(|e| panic!("{e}"))
        };
        let w = pixmap.width() as usize;
        let band_rows = (54.0 / 420.0 * pixmap.height() as f64) as usize;
        let white = (0..band_rows * w).filter(|i| pixmap.data()[i * 4] > 200 && pixmap.data()[i * 4 + 1] > 200).count();
        assert!(white > band_rows * w / 50, "white pixels in the band: {white}");
    }

    #[test]
    fn one_pdf_page_per_board_each_a3_with_the_font_embedded() {
        let Some(fonts) = fonts_for_tests() else { return };
        let svg = crate::svg(&sample()).unwrap_or_default();
        let bytes = pdf(&[svg.clone(), svg], &fonts, "公示牌", |_| None).map(|p| p.bytes).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-"));
        assert!(text.contains("/Count 2"), "page count");
        // A3 in points: 297 mm = 841.89 pt, 420 mm = 1190.55 pt.
        let boxes: Vec<Vec<f64>> = text
            .split("/MediaBox [")
            .skip(1)
            .map(|rest| {
                rest.split(']').next().unwrap_or("").split_whitespace().filter_map(|n| n.parse().ok()).collect()
            })
            .collect();
        assert_eq!(boxes.len(), 2, "two pages");
        for b in boxes {
            assert!(b.len() == 4 && (b[2] - 841.89).abs() < 0.01 && (b[3] - 1190.55).abs() < 0.01, "{b:?}");
        }
        assert!(text.contains("/FontFile"), "font embedded");
    }

    #[test]
    fn no_font_is_a_clear_error() {
        let err = Fonts::load(&[PathBuf::from("/nonexistent/font.ttc")]).err();
        assert!(matches!(err, Some(BoardError::FontMissing(ref p)) if p.contains("/nonexistent/font.ttc")));
    }

    #[test]
    fn a_board_that_cannot_be_drawn_is_left_out_and_named_by_position() {
        let Some(fonts) = fonts_for_tests() else { return };
        let good = crate::svg(&sample()).unwrap_or_default();
        let broken = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>\u{1}</text>".to_string();
        let pages =
            pdf(&[good.clone(), broken.clone(), good], &fonts, "公示牌", |_| None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pages.skipped, [1]);
        assert!(String::from_utf8_lossy(&pages.bytes).contains("/Count 2"), "the two good boards are printed");
        // With nothing drawable the batch is an error, not an empty file.
        assert!(pdf(std::slice::from_ref(&broken), &fonts, "公示牌", |_| None).is_err());
        // The page that names what was skipped draws, as a last page after the good boards.
        let note = crate::skipped_page(&["口袋公园\u{ffff}".to_string()]);
        assert!(pdf(&[note], &fonts, "公示牌", |_| None).is_ok_and(|p| p.skipped.is_empty()));
        let mut told = Vec::new();
        let pages = pdf(&[crate::svg(&sample()).unwrap_or_default(), broken], &fonts, "公示牌", |left_out| {
            told = left_out.to_vec();
            Some(crate::skipped_page(&["第二块".to_string()]))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((told, pages.skipped), (vec![1], vec![1]));
        assert!(String::from_utf8_lossy(&pages.bytes).contains("/Count 2"), "one board and the last page");
    }
}
