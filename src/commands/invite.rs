//! `invite`: invitations to the Steuerungsdialoge (see [`crate::invite`]).

pub use crate::invite::invite;
