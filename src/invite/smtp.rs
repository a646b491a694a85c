//! Sending through SMTP (lettre's connection, driven step by step): the server as
//! `HOST:PORT` ([`HostPort`]), STARTTLS and login, and one message per
//! connection whose outcome is told apart by the step that failed. A failure before the
//! message content is sent (connection, `MAIL`, `RCPT`, `DATA`) or a refusal by the server
//! after it is *failed*: nothing was delivered. Anything else after the content went out
//! (a timeout, a dropped connection) is *uncertain*: the server may have accepted it.

use std::net::IpAddr;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;

pub use crate::domain::host_port::HostPort;
use crate::error::Error;

/// The environment variable holding the SMTP password.
pub const PASSWORD_VAR: &str = "ZIELBERICHT_SMTP_PASSWORD";

/// The outcome of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered the content with 250.
    Sent,
    /// Nothing was delivered (why).
    Failed(String),
    /// The content went out, but no answer came (why): the server may have accepted it.
    Uncertain(String),
}

/// A validated SMTP configuration.
pub struct Settings {
    server: HostPort,
    starttls: bool,
    credentials: Option<Credentials>,
    timeout: Duration,
}

impl Settings {
    /// Checks the combination of server, STARTTLS and login; the password comes from
    /// [`PASSWORD_VAR`]. A login without STARTTLS to another host is refused.
    pub fn new(
        server: HostPort,
        starttls: bool,
        user: Option<&str>,
        timeout: Duration,
    ) -> Result<Self, Error> {
        let credentials = match user {
            Some(user) => {
                let password = std::env::var(PASSWORD_VAR).map_err(|_| {
                    Error::Usage(format!(
                        "--user {user}: das Kennwort wird aus {PASSWORD_VAR} gelesen, die nicht gesetzt ist"
                    ))
                })?;
                Some(Credentials::new(user.to_string(), password))
            }
            None => None,
        };
        let settings = Self {
            server,
            starttls,
            credentials,
            timeout,
        };
        if !settings.starttls && !settings.is_loopback() {
            if settings.credentials.is_some() {
                return Err(Error::Usage(format!(
                    "--user ohne --starttls schickte das Kennwort unverschlüsselt an {}; bitte --starttls ergänzen",
                    settings.server
                )));
            }
            crate::messages::console::warning(format!(
                "Versand an {} ohne Verschlüsselung (--starttls verschlüsselt mit STARTTLS)",
                settings.server
            ));
        }
        Ok(settings)
    }

    fn is_loopback(&self) -> bool {
        self.server.host.eq_ignore_ascii_case("localhost")
            || self
                .server
                .host
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// `HOST:PORT` as shown in messages.
    pub fn address(&self) -> String {
        self.server.to_string()
    }

    /// A connection after greeting, `EHLO`, STARTTLS and login.
    fn open(&self) -> Result<SmtpConnection, lettre::transport::smtp::Error> {
        let hello = ClientId::default();
        let mut conn = SmtpConnection::connect(
            (self.server.host.as_str(), self.server.port),
            Some(self.timeout),
            &hello,
            None,
            None,
        )?;
        if self.starttls {
            let params = TlsParameters::new(self.server.host.clone())?;
            conn.starttls(&params, &hello)?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)?;
        }
        Ok(conn)
    }

    /// Tries a connection once (greeting, STARTTLS, login), so that an unreachable server
    /// or a wrong password is named once rather than for every message.
    pub fn check(&self) -> Result<(), String> {
        let mut conn = self
            .open()
            .map_err(|e| format!("SMTP server {}: {e}", self.server))?;
        let _ = conn.quit();
        Ok(())
    }

    /// Sends one message on a connection of its own. `before_content` runs after the
    /// server has accepted `DATA` and before the content goes out (the send log records
    /// the attempt there); when it fails, nothing is sent and its error is returned.
    pub fn send(
        &self,
        envelope: &Envelope,
        bytes: &[u8],
        before_content: impl FnOnce() -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        let failed =
            |e: lettre::transport::smtp::Error| Outcome::Failed(format!("{}: {e}", self.server));
        let mut conn = match self.open() {
            Ok(conn) => conn,
            Err(e) => return Ok(failed(e)),
        };
        let mut commands = || -> Result<(), lettre::transport::smtp::Error> {
            conn.command(Mail::new(envelope.from().cloned(), Vec::new()))?;
            for to in envelope.to() {
                conn.command(Rcpt::new(to.clone(), Vec::new()))?;
            }
            conn.command(Data)?;
            Ok(())
        };
        if let Err(e) = commands() {
            conn.abort();
            return Ok(failed(e));
        }
        if let Err(e) = before_content() {
            conn.abort();
            return Err(e);
        }
        let outcome = match conn.message(bytes) {
            Ok(_) => Outcome::Sent,
            Err(e) if e.is_permanent() || e.is_transient() => failed(e),
            Err(e) => Outcome::Uncertain(format!("{}: {e}", self.server)),
        };
        if outcome == Outcome::Sent {
            let _ = conn.quit();
        } else {
            conn.abort();
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_as_written_on_the_command_line() {
        let hp = |host: &str, port| HostPort {
            host: host.into(),
            port,
        };
        assert_eq!("mail.example:587".parse(), Ok(hp("mail.example", 587)));
        assert_eq!(" 127.0.0.1:25 ".parse(), Ok(hp("127.0.0.1", 25)));
        assert_eq!("[::1]:2525".parse(), Ok(hp("::1", 2525)));
        assert_eq!(hp("::1", 2525).to_string(), "[::1]:2525");
        assert_eq!(hp("mail.example", 25).to_string(), "mail.example:25");
        for bad in [
            "",
            "mail.example",
            "mail.example:",
            ":25",
            "mail.example:0",
            "mail.example:65536",
            "mail example:25",
            "::1:25",
            "[::1]25",
            "a\u{7}b:25",
        ] {
            assert_eq!(
                bad.parse::<HostPort>(),
                Err(format!(
                    "erwartet wird HOST:PORT, gefunden wurde \"{}\"",
                    bad.trim()
                )),
                "{bad:?}"
            );
        }
    }
}
