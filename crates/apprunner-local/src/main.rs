//! The `apprunner-local` command: an App Runner endpoint on this machine.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use apprunner_local::{DEFAULT_PORT, LocalEndpoint, Options};

const USAGE: &str = "\
apprunner-local: an AWS App Runner endpoint on this machine

USAGE:
    apprunner-local [OPTIONS]

OPTIONS:
    --port N                 API port (default 8787; 0 = any free port)
    --host ADDR              address to listen on (default 127.0.0.1)
    --data-dir DIR           state, checkouts and logs (default ./.apprunner-local)
    --simulate               run nothing: operations succeed after --simulate-delay
    --simulate-delay SECS    length of a simulated operation (default 2)
    --no-auth                accept requests without checking their SigV4 signature
    --credentials-file FILE  more key pairs: `ACCESS_KEY_ID SECRET` lines or the
                             ~/.aws/credentials format (repeatable; the AWS example
                             pair AKIDEXAMPLE is always accepted)
    --account-id ID          account id in ARNs (default 123456789012)
    --region REGION          Region of unsigned requests under --no-auth (default us-east-1)
    --max-services N         service quota per Region (default 30)
    --clone-timeout SECS     time allowed to clone a repository (default 300)
    --build-timeout SECS     time allowed for a build (default 1200)
    --log-level LEVEL        error, warn, info, debug or trace (default info)
    -h, --help               this text
    -V, --version            the version

Clients take the printed URL as their endpoint, e.g.
    AWS_ENDPOINT_URL_APPRUNNER=http://127.0.0.1:8787 AWS_ACCESS_KEY_ID=AKIDEXAMPLE \\
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY aws apprunner list-services
";

struct Cli {
    options: Options,
    log_level: tracing::Level,
}

fn parse_args(args: Vec<String>) -> Result<Option<Cli>, String> {
    let mut options = Options::new(".apprunner-local");
    options.port = DEFAULT_PORT;
    let mut log_level = tracing::Level::INFO;
    fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
        text.parse()
            .map_err(|_| format!("{flag}: {text:?} is not a valid value"))
    }
    fn seconds(text: &str, flag: &str) -> Result<Duration, String> {
        let secs: f64 = number(text, flag)?;
        Duration::try_from_secs_f64(secs).map_err(|_| format!("{flag}: {text:?} is not a duration in seconds"))
    }
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, inline)) if flag.starts_with("--") => (flag.to_owned(), Some(inline.to_owned())),
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "-V" | "--version" => {
                println!("apprunner-local {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            "--port" => options.port = number(&value()?, &flag)?,
            "--host" => options.host = number(&value()?, &flag)?,
            "--data-dir" => options.data_dir = PathBuf::from(value()?),
            "--simulate" => options.simulate = true,
            "--simulate-delay" => options.simulate_delay = seconds(&value()?, &flag)?,
            "--no-auth" => options.require_auth = false,
            "--credentials-file" => {
                options.keys.add_file(&PathBuf::from(value()?))?;
            }
            "--account-id" => {
                let id = value()?;
                if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("--account-id: {id:?} is not a 12-digit account id"));
                }
                options.account_id = id;
            }
            "--region" => options.default_region = value()?,
            "--max-services" => options.max_services = number(&value()?, &flag)?,
            "--clone-timeout" => options.clone_timeout = seconds(&value()?, &flag)?,
            "--build-timeout" => options.build_timeout = seconds(&value()?, &flag)?,
            "--log-level" => log_level = number(&value()?, &flag)?,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Some(Cli { options, log_level }))
}

fn main() -> ExitCode {
    let cli = match parse_args(std::env::args().skip(1).collect()) {
        Ok(Some(cli)) => cli,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("apprunner-local: {message}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_max_level(cli.log_level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("apprunner-local: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli.options))
}

async fn run(options: Options) -> ExitCode {
    let description = format!(
        "data in {}, {}, {}",
        options.data_dir.display(),
        if options.require_auth {
            format!("SigV4 required ({} key pairs)", options.keys.len())
        } else {
            "no authentication".to_owned()
        },
        if options.simulate {
            format!("simulated deployments ({:?})", options.simulate_delay)
        } else {
            "real deployments".to_owned()
        }
    );
    let endpoint = match LocalEndpoint::start(options).await {
        Ok(endpoint) => endpoint,
        Err(error) => {
            eprintln!("apprunner-local: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("apprunner-local listening on {} ({description})", endpoint.url());
    wait_for_signal().await;
    eprintln!("apprunner-local: stopping");
    endpoint.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
