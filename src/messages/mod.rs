//! What the program says to the person running it, in one place: the German wording of
//! every message in [`de`] (a catalogue of keyed messages; another language would be a
//! second file of the same keys), and where the messages go in [`console`] (standard error,
//! quieter under `--quiet`). Code, comments and the developer README stay English.

pub mod console;
pub mod de;

pub use de::Msg;

/// The German message for what the TOML reader found wrong (`message`, English): an
/// unknown key with the keys allowed, a value of the wrong kind, else a syntax error.
pub fn toml_message(message: &str) -> String {
    let message = message.trim_end();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, allowed) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed
            .split_once("expected one of ")
            .map_or_else(String::new, |(_, list)| list.replace('`', "\""));
        return Msg::SettingsUnknownKey {
            key: key.to_string(),
            allowed,
        }
        .to_string();
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return Msg::SettingsWrongKind {
            detail: rest.to_string(),
        }
        .to_string();
    }
    Msg::SettingsSyntax {
        detail: message.replace('\n', " "),
    }
    .to_string()
}
