//! What the program says to the person running it, in one place: the German wording of
//! every message in [`de`] (a catalogue of keyed messages; another language would be a
//! second file of the same keys), and where the messages go in [`console`] (standard error,
//! quieter under `--quiet`). Code, comments and the developer README stay English.

pub mod console;
pub mod de;

pub use de::Msg;
