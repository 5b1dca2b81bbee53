//! GFMS sync engine (sans-IO): outbox, pull, completeness, resend and cleanup planning.
