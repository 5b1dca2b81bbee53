//! GFMS group ledger: events, last-writer-wins state, balances, settle-up, statistics, export.
