//! `noted user`: add and list user accounts, create API tokens.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};

use crate::audit::Actor;
use crate::auth::{self, password, PasswordParams};
use crate::config::GlobalOpts;
use crate::store::users::NewUser;
use crate::store::{Role, Store};

/// `noted user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create a user (prompts for the password unless --password-stdin).
    Add {
        #[arg(long)]
        email: String,
        /// clinician, supervisor or admin.
        #[arg(long, default_value = "clinician")]
        role: Role,
        /// Email of this clinician's supervisor (their notes then need co-signature).
        #[arg(long)]
        supervisor: Option<String>,
        /// Name shown in the UI.
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Create an API token for a user (printed once; use as `Authorization: Bearer TOKEN`).
    Token {
        #[arg(long)]
        email: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

impl clap::ValueEnum for Role {
    fn value_variants<'a>() -> &'a [Self] {
        &[Role::Clinician, Role::Supervisor, Role::Admin]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let p1 = rpassword::prompt_password("Password (at least 12 characters): ")?;
    password::check_policy(&p1)?;
    let p2 = rpassword::prompt_password("Repeat password: ")?;
    if p1 != p2 {
        bail!("the passwords do not match");
    }
    Ok(p1)
}

/// Creates a user: the function `noted demo` and tests use too.
pub async fn add_user(
    store: &Store,
    params: PasswordParams,
    email: &str,
    name: &str,
    role: Role,
    supervisor: Option<&str>,
    password_text: String,
) -> anyhow::Result<crate::store::User> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        bail!("`{email}` is not an email address");
    }
    let supervisor_id = match supervisor {
        Some(s) => {
            let u = store
                .user_by_email(s)
                .await?
                .with_context(|| format!("no user with email {s}"))?;
            if u.role != Role::Supervisor {
                bail!("{s} is a {}, not a supervisor", u.role);
            }
            Some(u.id)
        }
        None => None,
    };
    let hash = password::hash(params, password_text).await?;
    let user = store
        .create_user(
            &Actor::cli(),
            &NewUser {
                email: email.to_string(),
                display_name: name.to_string(),
                role,
                supervisor_id,
                password_hash: hash,
            },
        )
        .await?;
    Ok(user)
}

pub async fn run(g: &GlobalOpts, cmd: UserCommand) -> anyhow::Result<()> {
    let store = Store::open_in_dir(&g.data_dir()).await?;
    match cmd {
        UserCommand::Add {
            email,
            role,
            supervisor,
            name,
            password_stdin,
        } => {
            let pw = read_password(password_stdin)?;
            password::check_policy(&pw)?;
            let u = add_user(
                &store,
                PasswordParams::default(),
                &email,
                &name,
                role,
                supervisor.as_deref(),
                pw,
            )
            .await?;
            println!("created {} {} (id {})", u.role, u.email, u.id);
        }
        UserCommand::List => {
            let users = store.list_users().await?;
            println!(
                "{:<5} {:<36} {:<11} {:<10} created",
                "id", "email", "role", "supervisor"
            );
            for u in users {
                let sup = u
                    .supervisor_id
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into());
                println!(
                    "{:<5} {:<36} {:<11} {:<10} {}",
                    u.id, u.email, u.role, sup, u.created_at
                );
            }
        }
        UserCommand::Token { email, label } => {
            let u = store
                .user_by_email(&email)
                .await?
                .with_context(|| format!("no user with email {email}"))?;
            let token = auth::create_api_token(&store, &Actor::cli(), u.id, &label).await?;
            eprintln!("API token for {} (shown once; store it safely):", u.email);
            println!("{token}");
        }
    }
    store.close().await;
    Ok(())
}
