//! Exports of signed notes: plain text ([`text`]), a print view (HTML, `templates/print.html`,
//! context from [`print_context`]), a PDF made on the server ([`pdf`]) and a FHIR R4 document
//! Bundle ([`fhir`]). Everything is built from a [`NoteBundle`]: the note's signed content,
//! its signatures and addenda, and the chart facts FHIR needs. Process notes are not part of
//! a bundle, so no export can contain them.

use serde::Serialize;
use serde_json::Value;

pub mod fhir;
pub mod pdf;

use crate::store::{
    AddendumRow, Client, Measure, NoteRow, PlanVersion, SignatureRow, TherapySession, User,
};

/// Everything an export needs about one signed note.
#[derive(Debug, Clone)]
pub struct NoteBundle {
    pub note: NoteRow,
    /// The signed content (canonical JSON parsed).
    pub content: Value,
    pub client: Client,
    pub author: User,
    pub signatures: Vec<SignatureRow>,
    pub addenda: Vec<AddendumRow>,
    /// The client's treatment plan as it is now.
    pub plan: Option<PlanVersion>,
    /// PHQ-9 / GAD-7 results to include (the latest of each, on or before the session).
    pub measures: Vec<Measure>,
    pub session: Option<TherapySession>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Text,
    Html,
    Pdf,
    Fhir,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(ExportFormat::Text),
            "html" | "print" => Some(ExportFormat::Html),
            "pdf" => Some(ExportFormat::Pdf),
            "fhir" | "json" => Some(ExportFormat::Fhir),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Text => "text",
            ExportFormat::Html => "html",
            ExportFormat::Pdf => "pdf",
            ExportFormat::Fhir => "fhir",
        }
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Human label of a risk state.
pub fn risk_label(s: &str) -> &'static str {
    match s {
        "endorsed" => "endorsed",
        "denied" => "denied",
        _ => "not assessed",
    }
}

/// The sections of the signed content in order: `(key, title, text)`.
pub fn sections(content: &Value) -> Vec<(String, String, String)> {
    let order: Vec<String> = content
        .get("section_order")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let secs = content.get("sections").cloned().unwrap_or_default();
    order
        .into_iter()
        .filter_map(|k| {
            let sec = secs.get(&k)?;
            Some((
                k.clone(),
                s(sec, "title").to_string(),
                s(sec, "text").to_string(),
            ))
        })
        .collect()
}

/// Risk items of the signed content: `(label, status)`.
pub fn risk_rows(content: &Value) -> Vec<(String, String)> {
    crate::notes::review::RISK_ITEMS
        .iter()
        .map(|n| {
            let st = content
                .get("risk")
                .and_then(|r| r.get(*n))
                .map(|i| s(i, "status"))
                .unwrap_or("not_assessed");
            (n.replace('_', " "), risk_label(st).to_string())
        })
        .collect()
}

/// Accepted plan updates and proposals as lines.
pub fn plan_lines(content: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for u in content
        .get("plan_updates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if s(u, "decision") == "accepted" {
            let ev = s(u, "evidence");
            let goal = s(u, "goal");
            out.push(format!(
                "Goal {}{}: {}{}",
                s(u, "goal_id"),
                if goal.is_empty() {
                    String::new()
                } else {
                    format!(" ({goal})")
                },
                s(u, "status").replace('_', " "),
                if ev.is_empty() {
                    String::new()
                } else {
                    format!(" ({ev})")
                }
            ));
        }
    }
    for p in content
        .get("proposals")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if s(p, "decision") == "accepted" {
            out.push(format!(
                "{}: {}",
                s(p, "kind").replace('_', " "),
                s(p, "text")
            ));
        }
    }
    out
}

/// The AI provenance statement.
pub fn ai_line(content: &Value) -> String {
    let ai = content.get("ai").cloned().unwrap_or_default();
    format!(
        "Drafted with the local language model {} (prompt version {}); reviewed, edited and signed by the clinician.",
        if s(&ai, "model").is_empty() { "(unknown)" } else { s(&ai, "model") },
        if s(&ai, "prompt_version").is_empty() { "?" } else { s(&ai, "prompt_version") }
    )
}

/// The note as plain text.
pub fn text(b: &NoteBundle) -> String {
    let c = &b.content;
    let mut o = String::new();
    o.push_str(&format!("PROGRESS NOTE ({})\n", s(c, "format_name")));
    o.push_str(&format!(
        "Client: {} (date of birth {})\n",
        b.client.full_name, b.client.date_of_birth
    ));
    let date = c
        .get("session_date")
        .and_then(Value::as_str)
        .unwrap_or(&b.note.created_at[..10]);
    o.push_str(&format!("Session date: {date}\n"));
    o.push_str(&format!("Clinician: {}\n", b.author.label()));
    o.push_str(&format!(
        "Note {} · status: {}\n\n",
        b.note.id,
        b.note.state.label()
    ));
    for (_, title, body) in sections(c) {
        o.push_str(&format!(
            "{title}\n{}\n",
            "-".repeat(title.chars().count().max(3))
        ));
        o.push_str(if body.trim().is_empty() {
            "(none)"
        } else {
            body.trim()
        });
        o.push_str("\n\n");
    }
    o.push_str("Risk assessment\n---------------\n");
    for (label, st) in risk_rows(c) {
        let mut ch = label.chars();
        let label = ch
            .next()
            .map(|f| f.to_uppercase().collect::<String>() + ch.as_str())
            .unwrap_or_default();
        o.push_str(&format!("{label}: {st}\n"));
    }
    let pl = plan_lines(c);
    if !pl.is_empty() {
        o.push_str("\nTreatment plan updates\n----------------------\n");
        for l in pl {
            o.push_str(&format!("- {l}\n"));
        }
    }
    o.push_str("\nSignatures\n----------\n");
    for sig in &b.signatures {
        o.push_str(&format!(
            "{} by {} at {}: \"{}\"\n  SHA-256 {}\n",
            if sig.kind == "cosign" {
                "Co-signed"
            } else {
                "Signed"
            },
            sig.signer,
            sig.signed_at,
            sig.attestation,
            sig.content_sha256
        ));
    }
    if !b.addenda.is_empty() {
        o.push_str("\nAddenda\n-------\n");
        for a in &b.addenda {
            o.push_str(&format!(
                "[{}] {} (signed, SHA-256 {}):\n{}\n\n",
                a.signed_at,
                a.author,
                a.content_sha256,
                a.text.trim()
            ));
        }
    }
    o.push('\n');
    o.push_str(&ai_line(c));
    o.push('\n');
    o
}

/// Template context of the print view (`templates/print.html`).
pub fn print_context(b: &NoteBundle) -> Value {
    let c = &b.content;
    serde_json::json!({
        "note": &b.note,
        "state_label": b.note.state.label(),
        "format_name": s(c, "format_name"),
        "client": {"full_name": &b.client.full_name, "date_of_birth": &b.client.date_of_birth},
        "author": b.author.label(),
        "session_date": c.get("session_date").and_then(Value::as_str).unwrap_or(&b.note.created_at[..10]),
        "sections": sections(c).into_iter().map(|(k, t, x)| serde_json::json!({"key": k, "title": t, "text": x})).collect::<Vec<_>>(),
        "risk": risk_rows(c).into_iter().map(|(l, st)| serde_json::json!({"label": l, "status": st})).collect::<Vec<_>>(),
        "plan_lines": plan_lines(c),
        "signatures": &b.signatures,
        "addenda": &b.addenda,
        "ai_line": ai_line(c),
    })
}

/// Print stylesheet served at `/static/print.css`.
pub const PRINT_CSS: &str = r#"
body { font: 11pt/1.45 Helvetica, Arial, sans-serif; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 12pt; border-bottom: 1px solid #999; margin: 1.2em 0 .4em; page-break-after: avoid; }
.meta { color: #333; margin: 0 0 1em; }
.pre { white-space: pre-wrap; }
section { page-break-inside: avoid; }
table { border-collapse: collapse; }
td, th { text-align: left; padding: .15em .8em .15em 0; }
.sig { font-size: 9.5pt; color: #333; }
.hash { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
.toolbar { margin-bottom: 1em; }
.addendum { border-left: 3px solid #999; padding-left: .8em; }
@media print {
  .toolbar { display: none; }
  body { margin: 0; max-width: none; }
  @page { size: A4; margin: 2cm 2cm 2.2cm; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_the_signed_order() {
        let c = serde_json::json!({"section_order": ["b", "a"], "sections": {"a": {"title": "A", "text": "x"}, "b": {"title": "B", "text": "y"}},
            "risk": {"suicidal_ideation": {"status": "denied"}},
            "plan_updates": [{"goal_id": "g-1", "status": "met", "decision": "accepted", "evidence": "e"}, {"goal_id": "g-2", "status": "met", "decision": "rejected"}]});
        let s = sections(&c);
        assert_eq!(s[0].1, "B");
        assert_eq!(risk_rows(&c)[0].1, "denied");
        assert_eq!(risk_rows(&c)[1].1, "not assessed");
        assert_eq!(plan_lines(&c), vec!["Goal g-1: met (e)".to_string()]);
        // Drafts made since goal texts are carried show the goal itself.
        let c = serde_json::json!({"plan_updates": [{"goal_id": "g-1", "goal": "Sleep 7 hours",
            "status": "not_met", "decision": "accepted", "evidence": "5 hours"}]});
        assert_eq!(
            plan_lines(&c),
            vec!["Goal g-1 (Sleep 7 hours): not met (5 hours)".to_string()]
        );
        assert_eq!(ExportFormat::parse("PDF"), Some(ExportFormat::Pdf));
    }
}
