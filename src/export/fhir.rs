//! A signed note as a FHIR R4 document Bundle: Composition (first; status final/amended,
//! sections, attester in legal mode), Patient, Practitioner(s), Encounter, DocumentReference
//! (LOINC 11506-3, progress note), CarePlan with its Goals, Observations for PHQ-9 and GAD-7
//! totals (LOINC 44261-6, 70274-6), a Device for the drafting model and a Provenance saying the
//! model drafted and the clinician verified and signed. Every reference is a `urn:uuid:` of an
//! entry of the same bundle; ids are derived from the note, so the same note exports the same.

use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::NoteBundle;

pub const LOINC: &str = "http://loinc.org";
pub const LOINC_PROGRESS_NOTE: &str = "11506-3";
pub const LOINC_PHQ9_TOTAL: &str = "44261-6";
pub const LOINC_GAD7_TOTAL: &str = "70274-6";

/// A stable UUID (RFC 4122 layout, version 5-style bits) from a name.
pub fn uuid_for(name: &str) -> String {
    let h = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Narrative XHTML for a text (paragraphs per line).
fn div(text: &str) -> String {
    let body: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>{}</p>", esc(l.trim())))
        .collect();
    let body = if body.is_empty() {
        "<p>(none)</p>".to_string()
    } else {
        body
    };
    format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{body}</div>")
}

fn instant(ts: &str) -> String {
    // Stored as `YYYY-MM-DDTHH:MM:SSZ`: already a FHIR instant.
    ts.to_string()
}

/// Builds the Bundle.
pub fn bundle(b: &NoteBundle) -> Value {
    let c = &b.content;
    let nid = b.note.id;
    let key = |kind: &str| format!("urn:uuid:{}", uuid_for(&format!("noted/note/{nid}/{kind}")));
    let patient = key("patient");
    let practitioner = key("practitioner");
    let encounter = key("encounter");
    let composition = key("composition");
    let docref = key("documentreference");
    let careplan = key("careplan");
    let device = key("device");
    let provenance = key("provenance");
    let amended = b.note.state == crate::notes::NoteState::Amended;
    let signed_at = b
        .note
        .signed_at
        .clone()
        .unwrap_or_else(|| b.note.updated_at.clone());
    let date = c
        .get("session_date")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| b.note.created_at[..10].to_string());
    let mut entries: Vec<Value> = Vec::new();
    let id_of = |u: &str| u.trim_start_matches("urn:uuid:").to_string();

    // Practitioners: the author, plus co-signers.
    let mut attesters = vec![
        json!({"mode": "legal", "time": instant(&signed_at), "party": {"reference": practitioner}}),
    ];
    let mut extra_practitioners = Vec::new();
    for s in b.signatures.iter().filter(|s| s.kind == "cosign") {
        let r = key(&format!("practitioner/{}", s.signer_id));
        attesters.push(json!({"mode": "professional", "time": instant(&s.signed_at), "party": {"reference": r, "display": s.signer}}));
        extra_practitioners.push(json!({"fullUrl": r, "resource": {
            "resourceType": "Practitioner", "id": id_of(&r), "active": true,
            "identifier": [{"system": "urn:noted:user", "value": s.signer_id.to_string()}],
            "name": [{"text": s.signer}]
        }}));
    }

    // Composition sections.
    let mut sections: Vec<Value> = super::sections(c)
        .into_iter()
        .map(|(k, title, text)| json!({"title": title, "code": {"text": k}, "text": {"status": "generated", "div": div(&text)}}))
        .collect();
    let risk_text: String = super::risk_rows(c)
        .into_iter()
        .map(|(l, s)| format!("{l}: {s}\n"))
        .collect();
    sections.push(json!({"title": "Risk assessment", "code": {"text": "risk"}, "text": {"status": "generated", "div": div(&risk_text)}}));
    let plan_lines = super::plan_lines(c);
    if !plan_lines.is_empty() {
        sections.push(json!({"title": "Treatment plan updates", "code": {"text": "plan_updates"},
            "text": {"status": "generated", "div": div(&plan_lines.join("\n"))}, "entry": [{"reference": careplan}]}));
    }
    if !b.addenda.is_empty() {
        let t: String = b
            .addenda
            .iter()
            .map(|a| {
                format!(
                    "{} ({}): {}\n",
                    a.signed_at,
                    a.author,
                    a.text.replace('\n', " ")
                )
            })
            .collect();
        sections.push(json!({"title": "Addenda", "code": {"text": "addenda"}, "text": {"status": "generated", "div": div(&t)}}));
    }

    let progress_note = json!({"coding": [{"system": LOINC, "code": LOINC_PROGRESS_NOTE, "display": "Progress note"}], "text": "Progress note"});
    entries.push(json!({"fullUrl": composition, "resource": {
        "resourceType": "Composition", "id": id_of(&composition),
        "identifier": {"system": "urn:noted:note", "value": nid.to_string()},
        "status": if amended { "amended" } else { "final" },
        "type": progress_note,
        "subject": {"reference": patient},
        "encounter": {"reference": encounter},
        "date": instant(&signed_at),
        "author": [{"reference": practitioner}],
        "title": format!("Progress note ({})", c.get("format_name").and_then(Value::as_str).unwrap_or("")),
        "confidentiality": "R",
        "attester": attesters,
        "section": sections,
    }}));
    entries.push(json!({"fullUrl": patient, "resource": {
        "resourceType": "Patient", "id": id_of(&patient),
        "identifier": [{"system": "urn:noted:client", "value": b.client.id.to_string()}],
        "name": [{"text": b.client.full_name}],
        "birthDate": b.client.date_of_birth,
    }}));
    entries.push(json!({"fullUrl": practitioner, "resource": {
        "resourceType": "Practitioner", "id": id_of(&practitioner), "active": true,
        "identifier": [{"system": "urn:noted:user", "value": b.author.id.to_string()}],
        "name": [{"text": b.author.label()}],
        "telecom": [{"system": "email", "value": b.author.email}],
    }}));
    entries.extend(extra_practitioners);
    let mut enc = json!({
        "resourceType": "Encounter", "id": id_of(&encounter), "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
        "subject": {"reference": patient},
        "participant": [{"individual": {"reference": practitioner}}],
        "period": {"start": date},
    });
    if let Some(s) = &b.session {
        enc["identifier"] = json!([{"system": "urn:noted:session", "value": s.id.to_string()}]);
        enc["length"] = json!({"value": s.duration_minutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"});
        if s.modality == "video" || s.modality == "phone" {
            enc["class"] = json!({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR", "display": "virtual"});
        }
    }
    entries.push(json!({"fullUrl": encounter, "resource": enc}));

    let text = super::text(b);
    let sha = b.note.content_sha256.clone().unwrap_or_default();
    entries.push(json!({"fullUrl": docref, "resource": {
        "resourceType": "DocumentReference", "id": id_of(&docref),
        "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", uuid_for(&format!("noted/note/{nid}/{sha}")))},
        "identifier": [{"system": "urn:noted:content-sha256", "value": sha}],
        "status": "current",
        "docStatus": if amended { "amended" } else { "final" },
        "type": progress_note,
        "subject": {"reference": patient},
        "date": instant(&signed_at),
        "author": [{"reference": practitioner}],
        "authenticator": {"reference": practitioner},
        "relatesTo": [],
        "content": [{"attachment": {
            "contentType": "text/plain; charset=utf-8", "language": "en",
            "data": base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
            "title": format!("Progress note {nid}"), "creation": instant(&signed_at),
        }}],
        "context": {"encounter": [{"reference": encounter}], "period": {"start": date}, "related": [{"reference": composition}]},
    }}));
    if let Some(o) = entries
        .last_mut()
        .and_then(|e| e["resource"].as_object_mut())
    {
        o.remove("relatesTo");
    }

    // Care plan and goals.
    let mut goal_refs = Vec::new();
    if let Some(p) = &b.plan {
        for g in &p.plan.goals {
            let r = key(&format!("goal/{}", g.id));
            let (lifecycle, achievement) = match g.status.as_str() {
                "met" => ("completed", "achieved"),
                "discontinued" => ("cancelled", "not-achieved"),
                _ => ("active", "in-progress"),
            };
            goal_refs.push(r.clone());
            let mut goal = json!({
                "resourceType": "Goal", "id": id_of(&r),
                "identifier": [{"system": "urn:noted:goal", "value": g.id}],
                "lifecycleStatus": lifecycle,
                "achievementStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": achievement}]},
                "description": {"text": g.description},
                "subject": {"reference": patient},
            });
            if let Some(d) = &g.target_date {
                goal["target"] = json!([{"measure": {"text": g.measure}, "dueDate": d}]);
            }
            entries.push(json!({"fullUrl": r, "resource": goal}));
        }
        entries.push(json!({"fullUrl": careplan, "resource": {
            "resourceType": "CarePlan", "id": id_of(&careplan),
            "identifier": [{"system": "urn:noted:plan-version", "value": format!("{}/{}", b.client.id, p.version)}],
            "status": "active", "intent": "plan",
            "title": "Treatment plan",
            "description": p.plan.presenting_problems.join("; "),
            "subject": {"reference": patient},
            "author": {"reference": practitioner},
            "goal": goal_refs.iter().map(|r| json!({"reference": r})).collect::<Vec<_>>(),
            "activity": p.plan.interventions.iter().map(|i| json!({"detail": {"status": "in-progress", "description": i.name}})).collect::<Vec<_>>(),
        }}));
    } else {
        entries.push(json!({"fullUrl": careplan, "resource": {
            "resourceType": "CarePlan", "id": id_of(&careplan), "status": "draft", "intent": "plan",
            "subject": {"reference": patient}, "author": {"reference": practitioner},
        }}));
    }

    // Measures.
    for m in &b.measures {
        let (code, display) = match m.instrument.as_str() {
            "phq9" => (
                LOINC_PHQ9_TOTAL,
                "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
            ),
            "gad7" => (
                LOINC_GAD7_TOTAL,
                "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
            ),
            _ => continue,
        };
        let Some(total) = m.total else { continue };
        let r = key(&format!("observation/{}", m.id));
        let mut obs = json!({
            "resourceType": "Observation", "id": id_of(&r), "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey", "display": "Survey"}]}],
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
            "subject": {"reference": patient},
            "effectiveDateTime": m.measured_on,
            "performer": [{"reference": practitioner}],
            "valueInteger": total.round() as i64,
        });
        if let Some(band) = &m.band {
            obs["interpretation"] = json!([{"text": band}]);
        }
        entries.push(json!({"fullUrl": r, "resource": obs}));
    }

    // The model that drafted, and the provenance of the note.
    let ai = c.get("ai").cloned().unwrap_or_default();
    let model = ai
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string();
    let prompt_version = ai
        .get("prompt_version")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    entries.push(json!({"fullUrl": device, "resource": {
        "resourceType": "Device", "id": id_of(&device),
        "deviceName": [{"name": model, "type": "model-name"}],
        "type": {"text": "Local language model (note drafting)"},
        "version": [
            {"type": {"text": "model-sha256"}, "value": ai.get("model_sha256").and_then(Value::as_str).unwrap_or("")},
            {"type": {"text": "prompt-version"}, "value": prompt_version},
        ],
    }}));
    let ptype = |code: &str, display: &str| json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "code": code, "display": display}]});
    entries.push(json!({"fullUrl": provenance, "resource": {
        "resourceType": "Provenance", "id": id_of(&provenance),
        "target": [{"reference": composition}, {"reference": docref}],
        "recorded": instant(&signed_at),
        "activity": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "code": "CREATE"}],
                     "text": format!("Drafted by the AI model {model} (prompt version {prompt_version}); verified, edited and signed by the clinician")},
        "agent": [
            {"type": ptype("assembler", "Assembler"), "who": {"reference": device, "display": format!("AI model {model}, prompt version {prompt_version}")}},
            {"type": ptype("verifier", "Verifier"), "who": {"reference": practitioner}},
            {"type": ptype("legal", "Legal Authenticator"), "who": {"reference": practitioner}},
        ],
        "signature": [{
            "type": [{"system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.1", "display": "Author's Signature"}],
            "when": instant(&signed_at),
            "who": {"reference": practitioner},
            "data": base64::engine::general_purpose::STANDARD.encode(sha.as_bytes()),
        }],
    }}));

    json!({
        "resourceType": "Bundle",
        "id": uuid_for(&format!("noted/note/{nid}/bundle/{}", b.addenda.len())),
        "identifier": {"system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", uuid_for(&format!("noted/note/{nid}/bundle-id/{}", b.addenda.len())))},
        "type": "document",
        "timestamp": instant(&b.addenda.last().map(|a| a.signed_at.clone()).unwrap_or(signed_at)),
        "entry": entries,
    })
}

/// Every `reference` string anywhere in `v`.
pub fn references(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "reference" {
                        if let Some(s) = x.as_str() {
                            out.push(s.to_string());
                        }
                    } else {
                        walk(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

/// Structural problems of a bundle: required fields missing, references that do not resolve
/// inside it, duplicate fullUrls. Empty when valid.
pub fn validate(bundle: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if bundle["resourceType"] != "Bundle" {
        problems.push("not a Bundle".into());
    }
    if !matches!(bundle["type"].as_str(), Some("document" | "collection")) {
        problems.push("Bundle.type must be document or collection".into());
    }
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    let mut urls = std::collections::HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(u) = e["fullUrl"].as_str() else {
            problems.push(format!("entry {i} has no fullUrl"));
            continue;
        };
        if !u.starts_with("urn:uuid:") {
            problems.push(format!("entry {i} fullUrl is not a urn:uuid"));
        }
        if !urls.insert(u.to_string()) {
            problems.push(format!("duplicate fullUrl {u}"));
        }
        let r = &e["resource"];
        let rt = r["resourceType"].as_str().unwrap_or("");
        let need: &[&str] = match rt {
            "Composition" => &["status", "type", "date", "author", "title"],
            "DocumentReference" => &["status", "content"],
            "Observation" => &["status", "code"],
            "CarePlan" => &["status", "intent", "subject"],
            "Goal" => &["lifecycleStatus", "description", "subject"],
            "Provenance" => &["target", "recorded", "agent"],
            "Encounter" => &["status", "class"],
            "Patient" | "Practitioner" | "Device" => &[],
            "" => {
                problems.push(format!("entry {i} has no resourceType"));
                &[]
            }
            _ => &[],
        };
        for f in need {
            if r.get(*f).is_none_or(|v| v.is_null()) {
                problems.push(format!("{rt} is missing {f}"));
            }
        }
    }
    if bundle["type"] == "document"
        && entries
            .first()
            .and_then(|e| e["resource"]["resourceType"].as_str())
            != Some("Composition")
    {
        problems.push("a document Bundle starts with its Composition".into());
    }
    for r in references(bundle) {
        if !urls.contains(&r) {
            problems.push(format!("reference {r} does not resolve inside the bundle"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid_for("x");
        assert_eq!(a, uuid_for("x"));
        assert_ne!(a, uuid_for("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        let bad = json!({"resourceType": "Bundle", "type": "document", "entry": [{"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Composition", "subject": {"reference": "urn:uuid:2"}}}]});
        let p = validate(&bad);
        assert!(p.iter().any(|x| x.contains("does not resolve")));
        assert!(p.iter().any(|x| x.contains("missing status")));
    }
}
