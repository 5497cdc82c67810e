//! A signed note as a PDF, made on the server with `pdf-writer`: embedded Unicode fonts, our own
//! line wrapping by the fonts' glyph advances, and A4 pagination with a footer on every page.
//!
//! Fonts, per character the first that has a glyph:
//! 1. DejaVu Sans (bold for headings), compiled into the binary from the `dejavu` crate: Latin
//!    with its extensions (Polish, Vietnamese, …), Greek, Cyrillic and much more.
//! 2. A fallback read once from disk for what DejaVu lacks, CJK above all: the file named by
//!    `NOTED_PDF_FALLBACK_FONT`, else the first of [`FALLBACK_PATHS`] that exists (Debian's
//!    `fonts-droid-fallback` first). Without one a warning is logged once (no note content in
//!    it), and such characters are drawn as the font's blank box.
//!
//! A character no font has is drawn with the `.notdef` glyph (of the fallback where there is
//! one) and still extracts as itself: every character gets its own CID, and the ToUnicode map
//! names it. Fonts are embedded as Type0 fonts with a CIDFontType2 descendant (CIDFontType0
//! for a CFF-outlined fallback), Identity-H encoding, a `W` array of the glyphs' advances and
//! the font program subset (`subsetter`) to the glyphs used, so a Latin-only note stays small.
//! There is no shaping: no ligatures, kerning or right-to-left reordering.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use ttf_parser::{Face, GlyphId};

use super::NoteBundle;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 14.5;
const FOOTER: f32 = 8.0;

/// The environment variable naming a TTF/OTF (or the first face of a TTC) to use as the
/// fallback font.
pub const FALLBACK_ENV: &str = "NOTED_PDF_FALLBACK_FONT";

/// Where the fallback font is looked for, in order, when [`FALLBACK_ENV`] names none: Debian's
/// `fonts-droid-fallback`, `fonts-wqy-microhei` and `fonts-noto-cjk`.
pub const FALLBACK_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// One parsed font program.
pub struct Font {
    data: &'static [u8],
    index: u32,
    face: Face<'static>,
    /// PostScript name (ASCII letters, digits and `-` only).
    name: String,
    upem: f32,
    /// CFF outlines (embedded as CIDFontType0 / FontFile3) rather than TrueType ones.
    cff: bool,
}

impl Font {
    /// Parses face `index` of `data`; `None` when it is no usable font.
    pub fn parse(data: &'static [u8], index: u32, default_name: &str) -> Option<Font> {
        let face = Face::parse(data, index).ok().filter(usable)?;
        let cff = face.tables().cff.is_some();
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(60)
            .collect::<String>();
        Some(Font {
            data,
            index,
            upem: face.units_per_em() as f32,
            cff,
            name: if name.is_empty() {
                default_name.to_string()
            } else {
                name
            },
            face,
        })
    }

    /// The glyph for `c`, if the font has one (never `.notdef`).
    fn glyph(&self, c: char) -> Option<u16> {
        self.face.glyph_index(c).map(|g| g.0).filter(|g| *g != 0)
    }

    /// The advance of a glyph in em.
    fn advance(&self, gid: u16) -> f32 {
        self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0) as f32 / self.upem
    }

    /// A font-unit value in PDF glyph space (1/1000 em).
    fn to_pdf(&self, v: impl Into<f32>) -> f32 {
        (v.into() * 1000.0 / self.upem).round()
    }
}

/// Whether we can draw with a face: it has glyphs, and TrueType or CFF outlines (not CFF2 or
/// bitmaps only).
fn usable(face: &Face) -> bool {
    face.units_per_em() > 0
        && face.number_of_glyphs() > 0
        && (face.tables().cff.is_some() || face.tables().glyf.is_some())
}

/// The fonts a PDF is drawn with: DejaVu Sans regular and bold, and the fallback if any.
pub struct Fonts {
    fonts: Vec<Font>,
}

const REGULAR: usize = 0;
const BOLD: usize = 1;
const FALLBACK: usize = 2;

impl Fonts {
    /// DejaVu Sans (from the binary) with `fallback`.
    pub fn new(fallback: Option<Font>) -> Fonts {
        let regular = Font::parse(dejavu::sans::regular(), 0, "DejaVuSans")
            .expect("the DejaVu Sans compiled into the binary parses");
        let bold = Font::parse(dejavu::sans::bold(), 0, "DejaVuSans-Bold")
            .expect("the DejaVu Sans Bold compiled into the binary parses");
        let mut fonts = vec![regular, bold];
        fonts.extend(fallback);
        Fonts { fonts }
    }

    /// The process's fonts, loaded on first use (the fallback is read from disk once).
    pub fn global() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::new(load_fallback()))
    }

    /// Whether a fallback font is loaded.
    pub fn has_fallback(&self) -> bool {
        self.fonts.len() > FALLBACK
    }

    /// Which font draws `c`, and with which glyph (`0`: `.notdef`, no font has it). `None` for
    /// an invisible format character (a variation selector, a zero-width joiner, …) that no
    /// font has: it is left out rather than drawn as a box.
    fn resolve(&self, c: char, bold: bool) -> Option<(usize, u16)> {
        let primary = if bold { BOLD } else { REGULAR };
        if let Some(g) = self.fonts[primary].glyph(c) {
            return Some((primary, g));
        }
        if let Some(g) = self.fonts.get(FALLBACK).and_then(|f| f.glyph(c)) {
            return Some((FALLBACK, g));
        }
        if c.is_control() || is_default_ignorable(c) {
            return None;
        }
        // .notdef, of the fallback where there is one.
        Some((
            if self.has_fallback() {
                FALLBACK
            } else {
                primary
            },
            0,
        ))
    }

    /// Width of one character in points.
    fn char_width(&self, c: char, size: f32, bold: bool) -> f32 {
        match self.resolve(c, bold) {
            Some((f, g)) => self.fonts[f].advance(g) * size,
            None => 0.0,
        }
    }

    /// Width of a text in points.
    pub fn text_width(&self, s: &str, size: f32, bold: bool) -> f32 {
        s.chars().map(|c| self.char_width(c, size, bold)).sum()
    }
}

/// Characters that are invisible by nature (Unicode's Default_Ignorable_Code_Point, the parts
/// that occur in typed text).
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Reads the fallback font: [`FALLBACK_ENV`], else [`FALLBACK_PATHS`]. Logs which one, or a
/// warning when there is none (paths only, never note content).
fn load_fallback() -> Option<Font> {
    let chosen = std::env::var_os(FALLBACK_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let candidates = chosen
        .iter()
        .cloned()
        .chain(FALLBACK_PATHS.iter().map(PathBuf::from));
    for path in candidates {
        let explicit = chosen.as_ref() == Some(&path);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                if explicit {
                    tracing::warn!(path = %path.display(), error = %e,
                        "{FALLBACK_ENV}: cannot read the PDF fallback font");
                }
                continue;
            }
        };
        if !Face::parse(&bytes, 0).is_ok_and(|f| usable(&f)) {
            tracing::warn!(path = %path.display(), "not a usable TrueType/OpenType font for PDF exports");
            continue;
        }
        // Read once per process and kept for its life.
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let font = Font::parse(data, 0, "Fallback")?;
        tracing::info!(path = %path.display(), font = %font.name, "PDF fallback font");
        return Some(font);
    }
    tracing::warn!(
        "no fallback font for PDF exports (install fonts-droid-fallback or set {FALLBACK_ENV}): \
         characters DejaVu Sans lacks, such as Chinese, Japanese and Korean, print as blank boxes \
         (the PDF's text layer still has them)"
    );
    None
}

/// Wraps a paragraph into lines of at most `width` points (long words are broken). Control
/// characters count as spaces; `\n` starts a new line.
pub fn wrap(fonts: &Fonts, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let space = fonts.char_width(' ', size, bold);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        let words = para
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty());
        for word in words {
            let word_w = fonts.text_width(word, size, bold);
            let extra = if line.is_empty() {
                word_w
            } else {
                space + word_w
            };
            if line_w + extra <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += extra;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_w = 0.0;
            // A word wider than the line: break it by characters.
            for ch in word.chars() {
                let w = fonts.char_width(ch, size, bold);
                if line_w + w > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(ch);
                line_w += w;
            }
        }
        lines.push(line);
    }
    lines
}

struct Line {
    text: String,
    size: f32,
    bold: bool,
    /// Space before this line, in points.
    gap: f32,
}

struct Layout<'f> {
    fonts: &'f Fonts,
    lines: Vec<Line>,
}

impl Layout<'_> {
    fn para(&mut self, text: &str, size: f32, bold: bool, gap: f32) {
        let width = PAGE_W - 2.0 * MARGIN;
        for (i, l) in wrap(self.fonts, text, size, bold, width)
            .into_iter()
            .enumerate()
        {
            self.lines.push(Line {
                text: l,
                size,
                bold,
                gap: if i == 0 { gap } else { 0.0 },
            });
        }
    }
}

/// One piece of text placed on a page.
pub struct Placed {
    pub text: String,
    pub x: f32,
    /// Baseline, from the bottom of the page.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
}

/// The note as PDF bytes.
pub fn render(b: &NoteBundle) -> Vec<u8> {
    let fonts = Fonts::global();
    let c = &b.content;
    let mut lay = Layout {
        fonts,
        lines: Vec::new(),
    };
    lay.para(
        &format!(
            "Progress note ({})",
            c.get("format_name").and_then(|v| v.as_str()).unwrap_or("")
        ),
        16.0,
        true,
        0.0,
    );
    let created = b.note.created_at.get(..10).unwrap_or(&b.note.created_at);
    let date = c
        .get("session_date")
        .and_then(|v| v.as_str())
        .unwrap_or(created)
        .to_string();
    lay.para(
        &format!(
            "Client: {} (DOB {}) · Session {} · Clinician: {} · Note {} · {}",
            b.client.full_name,
            b.client.date_of_birth,
            date,
            b.author.label(),
            b.note.id,
            b.note.state.label()
        ),
        9.5,
        false,
        4.0,
    );
    for (_, title, text) in super::sections(c) {
        lay.para(&title, 12.5, true, 12.0);
        lay.para(
            if text.trim().is_empty() {
                "(none)"
            } else {
                text.trim()
            },
            BODY,
            false,
            2.0,
        );
    }
    lay.para("Risk assessment", 12.5, true, 12.0);
    for (label, st) in super::risk_rows(c) {
        lay.para(&format!("{}: {st}", capitalize(&label)), BODY, false, 0.0);
    }
    let pl = super::plan_lines(c);
    if !pl.is_empty() {
        lay.para("Treatment plan updates", 12.5, true, 12.0);
        for l in pl {
            lay.para(&format!("• {l}"), BODY, false, 0.0);
        }
    }
    lay.para("Signatures", 12.5, true, 12.0);
    for s in &b.signatures {
        lay.para(
            &format!(
                "{} by {} at {}: \"{}\"",
                if s.kind == "cosign" {
                    "Co-signed"
                } else {
                    "Signed"
                },
                s.signer,
                s.signed_at,
                s.attestation
            ),
            BODY,
            false,
            2.0,
        );
        lay.para(&format!("SHA-256 {}", s.content_sha256), 8.0, false, 0.0);
    }
    if !b.addenda.is_empty() {
        lay.para("Addenda", 12.5, true, 12.0);
        for a in &b.addenda {
            lay.para(
                &format!("{} · {} (signed)", a.signed_at, a.author),
                BODY,
                true,
                4.0,
            );
            lay.para(a.text.trim(), BODY, false, 0.0);
            lay.para(&format!("SHA-256 {}", a.content_sha256), 8.0, false, 0.0);
        }
    }
    lay.para(&super::ai_line(c), 8.5, false, 14.0);

    // Paginate.
    let top = PAGE_H - MARGIN;
    let bottom = MARGIN + 20.0;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = top;
    for l in lay.lines {
        let step = l.gap + l.size.max(BODY) * LEADING / BODY;
        if y - step < bottom && !pages.last().is_some_and(|p| p.is_empty()) {
            pages.push(Vec::new());
            y = top;
        }
        y -= if pages.last().is_some_and(|p| p.is_empty()) {
            l.size
        } else {
            step
        };
        pages.last_mut().expect("one page at least").push(Placed {
            text: l.text,
            x: MARGIN,
            y,
            size: l.size,
            bold: l.bold,
        });
    }
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        // The footer is one line: a very long client name is cut rather than wrapped.
        let footer = format!(
            "Note {} · {} · page {} of {}",
            b.note.id,
            b.client.full_name,
            i + 1,
            n
        );
        let text = wrap(fonts, &footer, FOOTER, false, f32::INFINITY).join(" ");
        page.push(Placed {
            text,
            x: MARGIN,
            y: MARGIN - 10.0,
            size: FOOTER,
            bold: false,
        });
    }
    document(fonts, &format!("Progress note {}", b.note.id), &pages)
}

/// The glyphs one font draws in a document, and their character IDs: the subset's glyph ID for
/// the first character drawn with a glyph, and an extra ID past the subset's glyphs for each
/// further character drawn with the same glyph (two characters sharing a glyph, or any number
/// drawn as `.notdef`), so that every character has a CID of its own in the ToUnicode map.
#[derive(Default)]
struct FontUse {
    remapper: subsetter::GlyphRemapper,
    /// Character → CID, once [`FontUse::assign`] has run; primaries only before.
    cids: HashMap<char, u16>,
    /// Characters that need an extra CID, with the original glyph ID they show.
    extras: Vec<(char, u16)>,
}

impl FontUse {
    fn add(&mut self, font: &Font, c: char, gid: u16) {
        if self.cids.contains_key(&c) || self.extras.iter().any(|(x, _)| *x == c) {
            return;
        }
        if gid != 0 && self.remapper.get(gid).is_none() {
            let cid = self.remapper.remap(gid);
            self.cids.insert(c, cid);
        } else if gid != 0 && font.cff {
            // A CFF CID font has no CIDToGIDMap: the glyph's CID is shared.
            let cid = self.remapper.get(gid).unwrap_or(0);
            self.cids.insert(c, cid);
        } else {
            self.extras.push((c, gid));
        }
    }

    /// Gives the extra characters their CIDs (past the subset's glyphs; `.notdef`'s CID 0 if the
    /// CID space runs out).
    fn assign(&mut self) {
        let first = u32::from(self.remapper.num_gids());
        for (i, (c, _)) in self.extras.iter().enumerate() {
            let cid = u16::try_from(first + i as u32).unwrap_or(0);
            self.cids.insert(*c, cid);
        }
    }

    /// The original glyph ID each CID shows, in CID order.
    fn original_gids(&self) -> Vec<u16> {
        let mut v: Vec<u16> = self.remapper.remapped_gids().collect();
        v.extend(self.extras.iter().map(|(_, g)| *g));
        v.truncate(usize::from(u16::MAX) + 1);
        v
    }
}

/// Draws `pages` of placed text into a PDF.
pub fn document(fonts: &Fonts, title: &str, pages: &[Vec<Placed>]) -> Vec<u8> {
    // The glyphs used, font by font.
    let mut uses: Vec<FontUse> = fonts.fonts.iter().map(|_| FontUse::default()).collect();
    for p in pages.iter().flatten() {
        for c in p.text.chars() {
            if let Some((f, g)) = fonts.resolve(c, p.bold) {
                uses[f].add(&fonts.fonts[f], c, g);
            }
        }
    }
    uses.iter_mut().for_each(FontUse::assign);

    let n = pages.len().max(1);
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let mut next = 4;
    let mut alloc = || {
        next += 1;
        Ref::new(next - 1)
    };
    let page_ids: Vec<(Ref, Ref)> = (0..n).map(|_| (alloc(), alloc())).collect();
    let font_ids: Vec<Option<Ref>> = uses
        .iter()
        .map(|u| (!u.cids.is_empty()).then(&mut alloc))
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(n as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Noted"));
    let empty = Vec::new();
    for (i, &(page_id, content_id)) in page_ids.iter().enumerate() {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        {
            let mut res = page.resources();
            let mut fres = res.fonts();
            for (f, id) in font_ids.iter().enumerate() {
                if let Some(id) = id {
                    fres.pair(Name(font_key(f).as_bytes()), *id);
                }
            }
        }
        page.finish();
        let mut content = Content::new();
        for p in pages.get(i).unwrap_or(&empty) {
            show(&mut content, fonts, &uses, p);
        }
        let data = deflate(&content.finish());
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);
    }
    for (f, id) in font_ids.iter().enumerate() {
        if let Some(id) = id {
            let mut refs = || {
                next += 1;
                Ref::new(next - 1)
            };
            write_font(&mut pdf, &fonts.fonts[f], &uses[f], *id, &mut refs);
        }
    }
    pdf.finish()
}

fn font_key(f: usize) -> String {
    format!("F{}", f + 1)
}

/// One placed text as runs of CIDs, one run per font.
fn show(content: &mut Content, fonts: &Fonts, uses: &[FontUse], p: &Placed) {
    let mut runs: Vec<(usize, Vec<u8>)> = Vec::new();
    for c in p.text.chars() {
        let Some((f, _)) = fonts.resolve(c, p.bold) else {
            continue;
        };
        let cid = uses[f].cids.get(&c).copied().unwrap_or(0);
        match runs.last_mut() {
            Some((last, bytes)) if *last == f => bytes.extend(cid.to_be_bytes()),
            _ => runs.push((f, cid.to_be_bytes().to_vec())),
        }
    }
    if runs.is_empty() {
        return;
    }
    content.begin_text();
    content.next_line(p.x, p.y);
    for (f, bytes) in &runs {
        content.set_font(Name(font_key(*f).as_bytes()), p.size);
        content.show(Str(bytes));
    }
    content.end_text();
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory")
}

/// A subset tag (six capital letters) from the glyphs used.
fn subset_tag(font: &Font, gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in font
        .name
        .bytes()
        .chain(gids.iter().flat_map(|g| g.to_be_bytes()))
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char)
        .collect()
}

/// Writes a Type0 font (descendant CID font, descriptor, subset font program, ToUnicode map).
fn write_font(
    pdf: &mut Pdf,
    font: &Font,
    used: &FontUse,
    type0: Ref,
    alloc: &mut impl FnMut() -> Ref,
) {
    let (cid_ref, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc());
    let originals = used.original_gids();

    // The font program: the subset, where CID i is glyph i for the subset's glyphs; the whole
    // font (CID → original glyph) if subsetting fails.
    let (program, embedded_gids): (Option<Vec<u8>>, Vec<u16>) = match subsetter::subset(
        font.data,
        font.index,
        &used.remapper,
    ) {
        Ok(sub) => {
            let gids = originals
                .iter()
                .map(|g| used.remapper.get(*g).unwrap_or(0))
                .collect();
            (Some(sub), gids)
        }
        Err(e) => {
            tracing::warn!(font = %font.name, error = %e, "font subsetting failed; embedding the whole font");
            // A CFF font's CIDs cannot be remapped: leave it unembedded then.
            let program = (!font.cff).then(|| font.data.to_vec());
            (program, originals.clone())
        }
    };
    let identity = embedded_gids
        .iter()
        .enumerate()
        .all(|(i, g)| usize::from(*g) == i);
    let base = format!("{}+{}", subset_tag(font, &originals), font.name);

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap);

    let widths: Vec<f32> = originals
        .iter()
        .map(|g| font.advance(*g) * 1000.0)
        .collect();
    let map_ref = (!identity && !font.cff).then(&mut *alloc);
    {
        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(if font.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(Name(base.as_bytes()))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor)
        .default_width(widths.first().copied().unwrap_or(0.0));
        cid.widths().consecutive(0, widths.iter().copied());
        if !font.cff {
            match map_ref {
                Some(r) => cid.cid_to_gid_map_stream(r),
                None => cid.cid_to_gid_map_predefined(Name(b"Identity")),
            };
        }
    }
    if let Some(r) = map_ref {
        let map: Vec<u8> = embedded_gids.iter().flat_map(|g| g.to_be_bytes()).collect();
        pdf.stream(r, &deflate(&map)).filter(Filter::FlateDecode);
    }

    let face = &font.face;
    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::SYMBOLIC;
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    if face.is_monospaced() {
        flags |= FontFlags::FIXED_PITCH;
    }
    let weight = f32::from(face.weight().to_number());
    {
        let mut d = pdf.font_descriptor(descriptor);
        d.name(Name(base.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                font.to_pdf(bbox.x_min),
                font.to_pdf(bbox.y_min),
                font.to_pdf(bbox.x_max),
                font.to_pdf(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(font.to_pdf(face.ascender()))
            .descent(font.to_pdf(face.descender()))
            .cap_height(font.to_pdf(cap_height(face)))
            .stem_v((10.0 + 0.244 * (weight - 50.0)).round());
        if program.is_some() {
            if font.cff {
                d.font_file3(file);
            } else {
                d.font_file2(file);
            }
        }
    }
    if let Some(program) = program {
        let packed = deflate(&program);
        let mut s = pdf.stream(file, &packed);
        s.filter(Filter::FlateDecode);
        if font.cff {
            s.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            s.pair(Name(b"Length1"), program.len() as i32);
        }
    }

    let mut pairs: Vec<(u16, char)> = used.cids.iter().map(|(c, cid)| (*cid, *c)).collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|(cid, _)| *cid);
    let mut map = UnicodeCmap::new(
        Name(b"Noted-UCS"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for (cid, c) in pairs {
        map.pair(cid, c);
    }
    pdf.cmap(cmap, &deflate(&map.finish()))
        .filter(Filter::FlateDecode);
}

/// The height of capitals in font units: from OS/2, else the "H", else the ascender.
fn cap_height(face: &Face) -> i16 {
    face.capital_height()
        .filter(|h| *h > 0)
        .or_else(|| {
            let h = face.glyph_index('H')?;
            Some(face.glyph_bounding_box(h)?.y_max)
        })
        .unwrap_or(face.ascender())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dejavu_only() -> Fonts {
        Fonts::new(None)
    }

    #[test]
    fn wrapping_respects_the_width_and_keeps_words() {
        let fonts = dejavu_only();
        let text = "Client reports poor sleep for three weeks and rising stress at work; practiced breathing.";
        let lines = wrap(&fonts, text, 10.0, false, 150.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(fonts.text_width(l, 10.0, false) <= 150.001, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        let long = wrap(&fonts, &"x".repeat(200), 10.0, false, 100.0);
        assert!(long.len() > 1);
        assert!(long
            .iter()
            .all(|l| fonts.text_width(l, 10.0, false) <= 100.001));
        assert_eq!(long.concat(), "x".repeat(200));
        // Real advances: DejaVu Sans's "i" is narrower than its "m", bold wider than regular.
        assert!(fonts.text_width("iiii", 10.0, false) < fonts.text_width("mmmm", 10.0, false));
        assert!(fonts.text_width("Łukasz", 10.0, true) > fonts.text_width("Łukasz", 10.0, false));
        // "W" in DejaVu Sans is 2025 of 2048 units wide.
        assert!((fonts.text_width("W", 1000.0, false) - 2025.0 / 2048.0 * 1000.0).abs() < 0.01);
        // Control characters are spaces, newlines break lines.
        assert_eq!(
            wrap(&fonts, "a\u{7}b\tc\r\nd", 10.0, false, 500.0),
            ["a b c", "d"]
        );
        assert_eq!(wrap(&fonts, "", 10.0, false, 500.0), [""]);
    }

    #[test]
    fn each_character_has_its_own_cid_and_unicode() {
        let fonts = dejavu_only();
        let regular = &fonts.fonts[REGULAR];
        let mut u = FontUse::default();
        // "\u{E000}" and "王" have no glyph (no fallback here): both show `.notdef`. DejaVu
        // Sans gives no two characters one glyph, so "b" is made to share the glyph of "a".
        let ga = regular.glyph('a').unwrap();
        let drawn = ['a', 'Ω', '\u{E000}', '王', 'a', 'Ω'];
        for c in drawn {
            let (f, g) = fonts.resolve(c, false).unwrap();
            assert_eq!(f, REGULAR);
            u.add(regular, c, g);
        }
        u.add(regular, 'b', ga);
        u.assign();
        let cids: Vec<u16> = ['a', 'Ω', '\u{E000}', '王', 'b']
            .iter()
            .map(|c| u.cids[c])
            .collect();
        // .notdef is CID 0, then a and Ω as subset glyphs 1 and 2, then the extras.
        assert_eq!(cids, [1, 2, 3, 4, 5]);
        let gomega = regular.glyph('Ω').unwrap();
        assert_eq!(u.original_gids(), [0, ga, gomega, 0, 0, ga]);
        // Invisible format characters no font has are left out; emoji fall to .notdef.
        assert_eq!(fonts.resolve('\u{E0001}', false), None);
        assert_eq!(fonts.resolve('\u{1F9E0}', false), Some((REGULAR, 0)));
        assert_eq!(fonts.resolve('Ż', true).map(|r| r.0), Some(BOLD));
    }

    /// The text layer of a PDF by `pdftotext`, or `None` where it is not installed.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output();
        match out {
            Ok(o) => {
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                Some(String::from_utf8(o.stdout).unwrap())
            }
            Err(_) if std::env::var("NOTED_REQUIRE_PDFTOTEXT").as_deref() == Ok("1") => {
                panic!("pdftotext (poppler-utils) is required")
            }
            Err(_) => {
                eprintln!("pdftotext not installed (poppler-utils): text layer not checked");
                None
            }
        }
    }

    fn placed(text: &str, y: f32, bold: bool) -> Placed {
        Placed {
            text: text.into(),
            x: MARGIN,
            y,
            size: BODY,
            bold,
        }
    }

    #[test]
    fn bad_input_renders_and_every_character_extracts() {
        // No fallback font: CJK, private use and emoji are .notdef boxes with their own CIDs.
        let fonts = dejavu_only();
        let width = PAGE_W - 2.0 * MARGIN;
        let long = "Łż".repeat(5000);
        let mut lines = wrap(&fonts, &long, BODY, false, width);
        assert!(lines.len() > 10);
        lines.truncate(2);
        lines.extend(wrap(&fonts, "a\u{0}b\u{1b}[0m c\u{7f}", BODY, false, width));
        let tricky = "王小明 🧠 👩‍👧 ❤\u{FE0F} \u{E000}";
        let mut page: Vec<Placed> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| placed(l, 700.0 - 20.0 * i as f32, i == 0))
            .collect();
        page.push(placed("", 400.0, false));
        page.push(placed(tricky, 380.0, false));
        page.push(placed("Żółć Ωmega Жук", 360.0, true));
        let pdf = document(&fonts, "t", &[page, Vec::new()]);
        assert!(pdf.starts_with(b"%PDF-"));
        let empty = document(&fonts, "t", &[]);
        assert!(
            empty.starts_with(b"%PDF-") && empty.len() < 4000,
            "{}",
            String::from_utf8_lossy(&empty)
        );
        let Some(text) = pdftotext(&pdf) else {
            return;
        };
        assert!(text.contains(&lines[0]), "{text}");
        assert!(text.contains("a b [0m c"), "{text}");
        // A zero-width joiner is drawn only if the font has it (DejaVu has).
        assert!(
            text.replace('\u{200D}', "").contains("王小明 🧠 👩👧"),
            "{text}"
        );
        assert!(text.contains('\u{E000}'), "{text}");
        assert!(text.contains("Żółć Ωmega Жук"), "{text}");
    }
}
