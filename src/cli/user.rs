//! `noted user`: add and list user accounts; disable and enable them, set passwords; create,
//! list and revoke API tokens.

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
        /// Days the token is accepted.
        #[arg(long, env = "NOTED_TOKEN_DAYS", default_value_t = auth::DEFAULT_TOKEN_DAYS)]
        days: i64,
    },
    /// Disable an account: its sign-in sessions end and its API tokens are revoked at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again (revoked tokens stay revoked).
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Set a user's password (prompts unless --password-stdin); their sessions end.
    Password {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List a user's API tokens: created, last used, expiry, revocation.
    Tokens {
        #[arg(long)]
        email: String,
    },
    /// Revoke an API token by id (see `noted user tokens`).
    RevokeToken {
        #[arg(long)]
        id: i64,
    },
}

async fn user_by_email(store: &Store, email: &str) -> anyhow::Result<crate::store::User> {
    store
        .user_by_email(email)
        .await?
        .with_context(|| format!("no user with email {email}"))
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
    let store = super::open_store(g).await?;
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
                "{:<5} {:<36} {:<11} {:<10} {:<9} created",
                "id", "email", "role", "supervisor", "access"
            );
            for u in users {
                let sup = u
                    .supervisor_id
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into());
                let access = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<5} {:<36} {:<11} {:<10} {:<9} {}",
                    u.id, u.email, u.role, sup, access, u.created_at
                );
            }
        }
        UserCommand::Token { email, label, days } => {
            let u = user_by_email(&store, &email).await?;
            let token =
                auth::create_api_token_for_days(&store, &Actor::cli(), u.id, &label, days).await?;
            eprintln!(
                "API token for {} valid for {} days (shown once; store it safely):",
                u.email,
                days.max(1)
            );
            println!("{token}");
        }
        UserCommand::Disable { email } => {
            let u = user_by_email(&store, &email).await?;
            let c = store.set_user_disabled(&Actor::cli(), u.id, true).await?;
            println!(
                "disabled {}: {} session(s) ended, {} token(s) revoked",
                u.email, c.sessions_ended, c.tokens_revoked
            );
        }
        UserCommand::Enable { email } => {
            let u = user_by_email(&store, &email).await?;
            store.set_user_disabled(&Actor::cli(), u.id, false).await?;
            println!("enabled {} (create new API tokens if needed)", u.email);
        }
        UserCommand::Password {
            email,
            password_stdin,
        } => {
            let u = user_by_email(&store, &email).await?;
            let pw = read_password(password_stdin)?;
            password::check_policy(&pw)?;
            let hash = password::hash(PasswordParams::default(), pw).await?;
            let ended = store
                .set_password_hash(&Actor::cli(), u.id, &hash, None)
                .await?;
            println!("password of {} set; {ended} session(s) ended", u.email);
        }
        UserCommand::Tokens { email } => {
            let u = user_by_email(&store, &email).await?;
            let now = crate::store::now();
            println!(
                "{:<5} {:<16} {:<21} {:<21} {:<21} state",
                "id", "label", "created", "last used", "expires"
            );
            for t in store.list_api_tokens(u.id).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else if t.is_active(&now) {
                    "active"
                } else {
                    "expired"
                };
                println!(
                    "{:<5} {:<16} {:<21} {:<21} {:<21} {state}",
                    t.id,
                    t.label,
                    t.created_at,
                    t.last_used_at.as_deref().unwrap_or("never"),
                    t.expires_at.as_deref().unwrap_or("-"),
                );
            }
        }
        UserCommand::RevokeToken { id } => {
            let t = store.revoke_api_token(&Actor::cli(), id).await?;
            println!(
                "token {} (user id {}) revoked at {}",
                t.id,
                t.user_id,
                t.revoked_at.as_deref().unwrap_or("")
            );
        }
    }
    store.close().await;
    Ok(())
}
