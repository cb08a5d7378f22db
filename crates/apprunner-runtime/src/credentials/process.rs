//! Credentials from an external command (`credential_process`).

use super::http::excerpt;
use super::profile_file::{check_supported, selected_profile};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProfileSource, ProvideCredentials, credentials_from_json,
    parse_json_document,
};
use crate::env::Env;
use std::fmt;
use std::process::Stdio;
use std::time::SystemTime;

/// Runs the `credential_process` command of the selected profile (or a command
/// given directly) and reads credentials from the JSON it prints:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
///  "SessionToken": "...", "Expiration": "2030-01-01T00:00:00Z"}
/// ```
///
/// `SessionToken` and `Expiration` (RFC 3339) are optional; with an
/// `Expiration` the cache runs the command again before that time. The command
/// runs through the shell (`sh -c` on Unix, `cmd.exe /C` on Windows) without
/// standard input. A failing command, or output that is not such a document, is
/// an error quoting (a short piece of) its standard error, never its output.
/// `Debug` shows only the program name, as the arguments may hold secrets.
#[derive(Clone)]
pub struct ProcessProvider {
    source: CommandSource,
}

#[derive(Clone)]
enum CommandSource {
    Profile(ProfileSource),
    Command { command: String, env: Env },
}

impl ProcessProvider {
    /// A provider running the `credential_process` of the profile named by
    /// `AWS_PROFILE` (default `default`) in the shared files named by `env`.
    pub fn new(env: Env) -> ProcessProvider {
        ProcessProvider::from_source(ProfileSource::lazy(env))
    }

    /// A provider running `command`, whatever the profiles say.
    pub fn from_command(command: impl Into<String>) -> ProcessProvider {
        ProcessProvider {
            source: CommandSource::Command {
                command: command.into(),
                env: Env::real(),
            },
        }
    }

    /// This provider, using profile `name` instead of `AWS_PROFILE` (no effect
    /// on a provider made by [`ProcessProvider::from_command`]).
    pub fn profile_name(self, name: impl Into<String>) -> ProcessProvider {
        match self.source {
            CommandSource::Profile(source) => ProcessProvider::from_source(source.with_name(name.into())),
            other => ProcessProvider { source: other },
        }
    }

    pub(crate) fn from_source(source: ProfileSource) -> ProcessProvider {
        ProcessProvider {
            source: CommandSource::Profile(source),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (command, env, provider) = match &self.source {
            CommandSource::Command { command, env } => (
                command.clone(),
                env.clone(),
                format!("credential_process `{}`", program(command)),
            ),
            CommandSource::Profile(source) => {
                let (profiles, name) = source.resolve("credential_process")?;
                let not_set =
                    || CredentialsError::not_found(format!("credential_process in profile `{name}` (not set)"));
                let Some(profile) = selected_profile(&profiles, &name, "credential_process")? else {
                    return Err(not_set());
                };
                check_supported(profile)?;
                let Some(command) = profile.get("credential_process").filter(|c| !c.trim().is_empty()) else {
                    return Err(not_set());
                };
                let env = source.env().clone();
                let where_set = profile.location("credential_process").unwrap_or_default();
                let provider = format!("credential_process in profile `{name}` ({where_set})");
                (command.replace('\n', " "), env, provider)
            }
        };
        run(&command, &env, provider).await
    }
}

/// The first word of a command line, for messages that must not show arguments.
fn program(command: &str) -> &str {
    let command = command.trim_start();
    let word = if let Some(rest) = command.strip_prefix('"') {
        rest.split('"').next().unwrap_or(rest)
    } else {
        command.split_whitespace().next().unwrap_or(command)
    };
    word.rsplit(['/', '\\']).next().unwrap_or(word)
}

async fn run(command: &str, env: &Env, provider: String) -> Result<Credentials, CredentialsError> {
    let mut child = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd.exe");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    child
        .envs(env.child_overlay())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let help = "Run the command yourself to see what is wrong, or fix `credential_process` in the profile";
    let output = run_to_end(child).await.map_err(|error| {
        CredentialsError::failed(
            provider.clone(),
            format!("could not start the shell to run `{}`: {error}", program(command)),
            help,
        )
    })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(CredentialsError::failed(
            provider,
            format!(
                "`{}` failed ({}); its standard error: {}",
                program(command),
                output.status,
                excerpt(&stderr)
            ),
            help,
        ));
    }
    let invalid = |problem: String| {
        let stderr_note = if stderr.trim().is_empty() {
            String::new()
        } else {
            format!("; its standard error: {}", excerpt(&stderr))
        };
        CredentialsError::failed(
            provider.clone(),
            format!(
                "`{}` printed output that is not a credentials document: {problem}{stderr_note}",
                program(command)
            ),
            "The command must print {\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ..., \
             \"SessionToken\": ..., \"Expiration\": ...} as JSON on standard output",
        )
    };
    let document = parse_json_document(&output.stdout).map_err(invalid)?;
    match document.get("Version") {
        Some(version) if version.as_i64() == Some(1) => {}
        Some(apprunner_smithy::Document::Number(version)) => {
            return Err(invalid(format!(
                "unsupported `Version` {}; expected 1",
                version.as_str()
            )));
        }
        Some(_) => return Err(invalid("`Version` must be the number 1".to_owned())),
        None => return Err(invalid("`Version` is missing; expected 1".to_owned())),
    }
    let credentials = credentials_from_json(&document, "SessionToken", "credential_process").map_err(invalid)?;
    if let Some(expiry) = credentials.expiry()
        && expiry <= SystemTime::now()
    {
        return Err(CredentialsError::failed(
            provider,
            format!(
                "`{}` returned credentials that expired at {}",
                program(command),
                apprunner_smithy::DateTime::from(expiry)
            ),
            help,
        ));
    }
    Ok(credentials)
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            CommandSource::Profile(source) => f.debug_struct("ProcessProvider").field("profile", source).finish(),
            CommandSource::Command { command, .. } => f
                .debug_struct("ProcessProvider")
                .field("program", &program(command))
                .finish_non_exhaustive(),
        }
    }
}

/// Runs `command` to its end and collects its output, without tokio's process
/// support (which would give every runtime of the program a signal driver): the
/// child is waited for on a blocking thread. If the returned future is dropped
/// (a timeout), the child is killed.
async fn run_to_end(mut command: std::process::Command) -> std::io::Result<std::process::Output> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Tells the waiting thread to kill the child when the call is abandoned.
    struct KillOnDrop(Arc<AtomicBool>);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }

    let mut child = command.spawn()?;
    let abandoned = Arc::new(AtomicBool::new(false));
    let _guard = KillOnDrop(Arc::clone(&abandoned));
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let waiter = tokio::task::spawn_blocking(move || {
        // Both pipes are drained at once, so a command that fills one cannot stall.
        let read_stderr = std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(pipe) = stderr.as_mut() {
                let _ = std::io::Read::read_to_end(pipe, &mut text);
            }
            text
        });
        let read_stdout = std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(pipe) = stdout.as_mut() {
                let _ = std::io::Read::read_to_end(pipe, &mut text);
            }
            text
        });
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if abandoned.load(Ordering::Relaxed) {
                let _ = child.kill();
                break child.wait()?;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        let stdout = read_stdout.join().unwrap_or_default();
        let stderr = read_stderr.join().unwrap_or_default();
        Ok(std::process::Output { status, stdout, stderr })
    });
    match waiter.await {
        Ok(result) => result,
        Err(error) => Err(std::io::Error::other(format!(
            "the thread waiting for the command failed: {error}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::program;

    #[test]
    fn program_names() {
        assert_eq!(program("/usr/bin/vault-creds --token abc"), "vault-creds");
        assert_eq!(program("  \"C:\\Program Files\\x.exe\" --a"), "x.exe");
        assert_eq!(program("aws configure export-credentials"), "aws");
    }
}
