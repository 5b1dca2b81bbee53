//! Worker entry point: routes requests to handlers.
use worker::{Context, Env, Request, Response, Result, Router, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    console_error_panic_hook::set_once();
    Router::new()
        .get("/v1/health", |_, ctx| {
            let ttl = ctx
                .var("SHARE_TTL_SECONDS")
                .map(|v| v.to_string())
                .unwrap_or_else(|_| "3600".into());
            Response::from_json(&serde_json::json!({
                "service": "gfms-relay",
                "version": env!("CARGO_PKG_VERSION"),
                "ttl_seconds": ttl.parse::<u64>().unwrap_or(3600),
            }))
        })
        .run(req, env)
        .await
}
