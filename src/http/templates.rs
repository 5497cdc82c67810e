//! HTML templates (minijinja), embedded in the binary so it runs from a fresh clone or an
//! installed copy alike. To add a page: put the file in `templates/` and add it to `TEMPLATES`.

use std::sync::OnceLock;

use axum::response::Html;
use minijinja::Environment;
use serde::Serialize;

use super::error::Error;

/// Every template, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("clients.html", include_str!("../../templates/clients.html")),
    (
        "client_form.html",
        include_str!("../../templates/client_form.html"),
    ),
    ("chart.html", include_str!("../../templates/chart.html")),
    (
        "plan_form.html",
        include_str!("../../templates/plan_form.html"),
    ),
    (
        "plan_version.html",
        include_str!("../../templates/plan_version.html"),
    ),
    (
        "measure_form.html",
        include_str!("../../templates/measure_form.html"),
    ),
    (
        "session_form.html",
        include_str!("../../templates/session_form.html"),
    ),
    ("users.html", include_str!("../../templates/users.html")),
    ("user.html", include_str!("../../templates/user.html")),
    (
        "account_password.html",
        include_str!("../../templates/account_password.html"),
    ),
    ("audit.html", include_str!("../../templates/audit.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("note.html", include_str!("../../templates/note.html")),
    ("print.html", include_str!("../../templates/print.html")),
];

/// The shared environment.
pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
        }
        env.add_filter("label", |s: String| s.replace('_', " "));
        env
    })
}

/// Renders a template to a string.
pub fn render_raw<S: Serialize>(name: &str, ctx: S) -> Result<String, minijinja::Error> {
    env().get_template(name)?.render(ctx)
}

/// Renders a template as an HTML response body.
pub fn render<S: Serialize>(name: &str, ctx: S) -> Result<Html<String>, Error> {
    Ok(Html(render_raw(name, ctx)?))
}

/// Field errors as the form templates read them: the reason by field name.
pub fn errors_by_field(
    errors: &[crate::chart::FieldError],
) -> std::collections::BTreeMap<String, String> {
    errors
        .iter()
        .map(|e| (e.field.clone(), e.reason.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        let env = super::env();
        for (name, _) in super::TEMPLATES {
            env.get_template(name).unwrap();
        }
    }
}
