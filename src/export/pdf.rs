//! A signed note as a PDF, made on the server with `pdf-writer`: the built-in Helvetica fonts
//! (WinAnsi encoding, nothing embedded), our own line wrapping by the font's glyph widths, and
//! A4 pagination with a footer on every page.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::NoteBundle;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 14.5;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126.
const HELV: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

/// Width of one character in points (bold is approximated 5% wider).
fn char_width(c: char, size: f32, bold: bool) -> f32 {
    let w = match c as u32 {
        32..=126 => HELV[(c as u32 - 32) as usize] as f32,
        _ => 556.0,
    };
    w * size / 1000.0 * if bold { 1.05 } else { 1.0 }
}

fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| char_width(c, size, bold)).sum()
}

/// Encodes text in WinAnsi (Latin-1 plus the usual punctuation); other characters become `?`.
fn winansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '→' => b'>',
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

/// Wraps a paragraph into lines of at most `width` points (long words are broken).
pub fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: break it by characters.
            let mut piece = String::new();
            for ch in word.chars() {
                if text_width(&format!("{piece}{ch}"), size, bold) > width && !piece.is_empty() {
                    lines.push(std::mem::take(&mut piece));
                }
                piece.push(ch);
            }
            line = piece;
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

struct Layout {
    lines: Vec<Line>,
}

impl Layout {
    fn para(&mut self, text: &str, size: f32, bold: bool, gap: f32) {
        let width = PAGE_W - 2.0 * MARGIN;
        for (i, l) in wrap(text, size, bold, width).into_iter().enumerate() {
            self.lines.push(Line {
                text: l,
                size,
                bold,
                gap: if i == 0 { gap } else { 0.0 },
            });
        }
    }
}

/// The note as PDF bytes.
pub fn render(b: &NoteBundle) -> Vec<u8> {
    let c = &b.content;
    let mut lay = Layout { lines: Vec::new() };
    lay.para(
        &format!(
            "Progress note ({})",
            c.get("format_name").and_then(|v| v.as_str()).unwrap_or("")
        ),
        16.0,
        true,
        0.0,
    );
    let date = c
        .get("session_date")
        .and_then(|v| v.as_str())
        .unwrap_or(&b.note.created_at[..10])
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
    let mut pages: Vec<Vec<(f32, &Line)>> = vec![Vec::new()];
    let mut y = top;
    for l in &lay.lines {
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
        pages.last_mut().expect("one page at least").push((y, l));
    }

    let n = pages.len();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let page_ids: Vec<Ref> = (0..n).map(|i| Ref::new(10 + 2 * i as i32)).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(n as i32);
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&format!("Progress note {}", b.note.id)))
        .producer(TextStr("Noted"));
    for (i, lines) in pages.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(11 + 2 * i as i32);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        {
            let mut res = page.resources();
            let mut fonts = res.fonts();
            fonts.pair(Name(b"F1"), font);
            fonts.pair(Name(b"F2"), bold);
        }
        page.finish();
        let mut content = Content::new();
        for (y, l) in lines {
            content.begin_text();
            content.set_font(Name(if l.bold { b"F2" } else { b"F1" }), l.size);
            content.next_line(MARGIN, *y);
            content.show(Str(&winansi(&l.text)));
            content.end_text();
        }
        let footer = format!(
            "Note {} · {} · page {} of {}",
            b.note.id,
            b.client.full_name,
            i + 1,
            n
        );
        content.begin_text();
        content.set_font(Name(b"F1"), 8.0);
        content.next_line(MARGIN, MARGIN - 10.0);
        content.show(Str(&winansi(&footer)));
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
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

    #[test]
    fn wrapping_respects_the_width_and_keeps_words() {
        let text = "Client reports poor sleep for three weeks and rising stress at work; practiced breathing.";
        let lines = wrap(text, 10.0, false, 150.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(text_width(l, 10.0, false) <= 150.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        let long = wrap(&"x".repeat(200), 10.0, false, 100.0);
        assert!(long.len() > 1 && long.iter().all(|l| text_width(l, 10.0, false) <= 100.0));
        assert_eq!(
            winansi("é – “x”"),
            vec![0xe9, b' ', 0x96, b' ', 0x93, b'x', 0x94]
        );
    }
}
