//! Client profiles: the fields the intake and treatment plan need, and their validation.

use serde::Deserialize;

use super::{Checker, Invalid};

pub use crate::store::clients::ClientInput;

/// A partial update: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    pub full_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub insurance_provider: Option<String>,
    pub insurance_member_id: Option<String>,
    pub emergency_contact_name: Option<String>,
    pub emergency_contact_relationship: Option<String>,
    pub emergency_contact_phone: Option<String>,
    pub medical_history: Option<String>,
    pub clinician_id: Option<i64>,
}

impl ClientPatch {
    /// Applies the patch to a full profile.
    pub fn apply(self, mut c: ClientInput) -> ClientInput {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { c.$f = v; } )* };
        }
        set!(
            full_name,
            date_of_birth,
            phone,
            email,
            address,
            insurance_provider,
            insurance_member_id,
            emergency_contact_name,
            emergency_contact_relationship,
            emergency_contact_phone,
            medical_history
        );
        if self.clinician_id.is_some() {
            c.clinician_id = self.clinician_id;
        }
        c
    }
}

impl ClientInput {
    /// Trims the one-line fields.
    pub fn normalized(mut self) -> ClientInput {
        for f in [
            &mut self.full_name,
            &mut self.date_of_birth,
            &mut self.phone,
            &mut self.email,
            &mut self.insurance_provider,
            &mut self.insurance_member_id,
            &mut self.emergency_contact_name,
            &mut self.emergency_contact_relationship,
            &mut self.emergency_contact_phone,
        ] {
            *f = f.trim().to_string();
        }
        self
    }

    /// Checks every field; returns all problems at once.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.required("full_name", &self.full_name, 200);
        if self.date_of_birth.trim().is_empty() {
            c.add("date_of_birth", "is required");
        } else if let Some(d) = c.date("date_of_birth", &self.date_of_birth) {
            if d > time::OffsetDateTime::now_utc().date() {
                c.add("date_of_birth", "cannot be in the future");
            }
        }
        c.max_len("phone", &self.phone, 50);
        c.max_len("email", &self.email, 200);
        if !self.email.is_empty() && !self.email.contains('@') {
            c.add("email", "must be an email address");
        }
        c.max_len("address", &self.address, 500);
        c.max_len("insurance_provider", &self.insurance_provider, 200);
        c.max_len("insurance_member_id", &self.insurance_member_id, 100);
        c.max_len("emergency_contact_name", &self.emergency_contact_name, 200);
        c.max_len(
            "emergency_contact_relationship",
            &self.emergency_contact_relationship,
            100,
        );
        c.max_len("emergency_contact_phone", &self.emergency_contact_phone, 50);
        c.max_len("medical_history", &self.medical_history, 20_000);
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_each_field() {
        let c = ClientInput {
            full_name: " ".into(),
            date_of_birth: "31/12/1990".into(),
            email: "nope".into(),
            ..Default::default()
        };
        let err = c.validate().unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "date_of_birth", "email"]);
    }

    #[test]
    fn patch_changes_only_given_fields() {
        let base = ClientInput {
            full_name: "A".into(),
            date_of_birth: "1990-01-01".into(),
            phone: "1".into(),
            ..Default::default()
        };
        let p: ClientPatch = serde_json::from_str(r#"{"phone":"2"}"#).unwrap();
        let c = p.apply(base);
        assert_eq!((c.full_name.as_str(), c.phone.as_str()), ("A", "2"));
        assert!(serde_json::from_str::<ClientPatch>(r#"{"nme":"x"}"#).is_err());
    }
}
