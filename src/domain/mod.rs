//! The domain vocabulary, without any I/O: the Berichtsmonat, the table of Kennzahlen and
//! the monthly columns they are computed from, the exact decimal used for targets and
//! tolerances, and the attainment status. Every other module builds on these; nothing
//! here depends on another module of the crate.

pub mod berichtsmonat;
pub mod decimal;
pub mod document_time;
pub mod host_port;
pub mod kennzahl;
pub mod status;

pub use berichtsmonat::Berichtsmonat;
pub use decimal::Decimal;
pub use kennzahl::{Col, Def, Formula, Kennzahl, Kind, MONEY_SCALE, Section};
pub use status::Status;
