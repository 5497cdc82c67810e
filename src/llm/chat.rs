//! Chat templates: renders a model's Jinja chat template with minijinja (with the handful of
//! Python string methods HF templates use), falling back to ChatML.

use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};

use super::{ChatMessage, LlmError};

/// ChatML, used when the model has no template of its own.
pub const CHATML: &str = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

fn raise_exception(msg: String) -> Result<String, Error> {
    Err(Error::new(ErrorKind::InvalidOperation, msg))
}

/// Python-style methods on strings/maps that HF chat templates call (`.strip()`, `.startswith()`, ...).
fn py_method(_state: &State, value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    let arg_str =
        |i: usize| -> Option<String> { args.get(i).and_then(|a| a.as_str().map(str::to_string)) };
    if let Some(s) = value.as_str() {
        let r: Value = match method {
            "strip" => match arg_str(0) {
                Some(c) => s.trim_matches(|x| c.contains(x)).into(),
                None => s.trim().into(),
            },
            "lstrip" => match arg_str(0) {
                Some(c) => s.trim_start_matches(|x| c.contains(x)).into(),
                None => s.trim_start().into(),
            },
            "rstrip" => match arg_str(0) {
                Some(c) => s.trim_end_matches(|x| c.contains(x)).into(),
                None => s.trim_end().into(),
            },
            "startswith" => s
                .starts_with(arg_str(0).unwrap_or_default().as_str())
                .into(),
            "endswith" => s.ends_with(arg_str(0).unwrap_or_default().as_str()).into(),
            "upper" => s.to_uppercase().into(),
            "lower" => s.to_lowercase().into(),
            "title" => s
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => {
                            f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()
                        }
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
            "replace" => s
                .replace(
                    arg_str(0).unwrap_or_default().as_str(),
                    arg_str(1).unwrap_or_default().as_str(),
                )
                .into(),
            "split" => match arg_str(0) {
                Some(sep) => Value::from(
                    s.split(sep.as_str())
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                ),
                None => Value::from(s.split_whitespace().map(str::to_string).collect::<Vec<_>>()),
            },
            _ => {
                return Err(Error::new(
                    ErrorKind::UnknownMethod,
                    format!("string has no method {method}"),
                ))
            }
        };
        return Ok(r);
    }
    if value.kind() == ValueKind::Map {
        match method {
            "items" => {
                let mut out = Vec::new();
                for k in value.try_iter()? {
                    let v = value.get_item(&k)?;
                    out.push(Value::from(vec![k, v]));
                }
                return Ok(Value::from(out));
            }
            "keys" => return Ok(Value::from(value.try_iter()?.collect::<Vec<_>>())),
            "values" => {
                let mut out = Vec::new();
                for k in value.try_iter()? {
                    out.push(value.get_item(&k)?);
                }
                return Ok(Value::from(out));
            }
            "get" => {
                let key = args.first().cloned().unwrap_or(Value::UNDEFINED);
                let v = value.get_item(&key)?;
                return Ok(if v.is_undefined() {
                    args.get(1).cloned().unwrap_or(Value::from(()))
                } else {
                    v
                });
            }
            _ => {}
        }
    }
    Err(Error::new(
        ErrorKind::UnknownMethod,
        format!("no method {method} on {}", value.kind()),
    ))
}

/// Renders `template` for `messages` with `add_generation_prompt=true`.
pub fn render(
    template: &str,
    messages: &[ChatMessage],
    bos_token: &str,
    eos_token: &str,
) -> Result<String, LlmError> {
    let mut env = Environment::new();
    env.add_function("raise_exception", raise_exception);
    env.add_function(
        "strftime_now",
        |_fmt: String, _k: Kwargs| -> Result<String, Error> {
            // Dates in prompts come from the caller, never from the template.
            Ok(String::new())
        },
    );
    env.set_unknown_method_callback(py_method);
    env.add_template("chat", template)
        .map_err(|e| LlmError::Template(format!("chat template does not parse: {e}")))?;
    let tmpl = env
        .get_template("chat")
        .map_err(|e| LlmError::Template(e.to_string()))?;
    tmpl.render(minijinja::context! {
        messages => messages,
        add_generation_prompt => true,
        bos_token => bos_token,
        eos_token => eos_token,
    })
    .map_err(|e| LlmError::Template(format!("chat template failed to render: {e}")))
}
