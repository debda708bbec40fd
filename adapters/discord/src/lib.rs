//! The Discord channel.
pub mod inbound;
pub mod outbound;
mod rest;
