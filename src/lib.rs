//! The switchboard service as a library: the command line, the configuration and the commands
//! the binary runs (`serve`, `migrate`, `backup`, `agent`, `kb`, `tx`), so that the binary stays a
//! thin shell and the fuzz targets can reach the configuration and the HTTP edges.

pub mod adapters;
pub mod agents;
pub mod cli;
pub mod config;
pub mod http;
pub mod input;
pub mod kb;
pub mod listen;
pub mod serve;
pub mod tx;
