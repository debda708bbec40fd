//! The desk: teams, routing, auto-assignment, SLA clocks and automation rules — decisions
//! about who takes a conversation and by when, made by the instance that holds the timers'
//! role and written through the writer like any agent's change.

pub mod sla;
