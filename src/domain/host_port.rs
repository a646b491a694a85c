//! An SMTP server as `--smtp` takes it, beside the other values the command line parses
//! ([`super::berichtsmonat`], [`super::decimal`]).

/// An SMTP server as given to `--smtp`: `HOST:PORT`, or `[IPv6]:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

impl std::str::FromStr for HostPort {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let usage = || format!("erwartet wird HOST:PORT, gefunden wurde \"{text}\"");
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            rest.split_once("]:").ok_or_else(usage)?
        } else {
            text.rsplit_once(':').ok_or_else(usage)?
        };
        let port: u16 = port.parse().ok().filter(|p| *p != 0).ok_or_else(usage)?;
        if host.is_empty()
            || host.contains(|c: char| c.is_whitespace() || c.is_control() || c == '/')
            || (host.contains(':') && !text.starts_with('['))
        {
            return Err(usage());
        }
        Ok(Self {
            host: host.to_string(),
            port,
        })
    }
}

impl std::fmt::Display for HostPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The clap value parser of `--smtp`.
pub fn parse_host_port(text: &str) -> Result<HostPort, String> {
    text.parse()
}
