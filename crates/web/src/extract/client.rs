//! Where a request comes from: the peer address (or, behind a trusted reverse proxy, the first
//! `X-Forwarded-For` address) and the user agent, for sessions and the audit log.

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::net::SocketAddr;

#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn from_parts(parts: &Parts, trust_proxy: bool) -> ClientInfo {
        Self::from(&parts.headers, parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0), trust_proxy)
    }

    pub fn from(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> ClientInfo {
        let forwarded = trust_proxy
            .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
        ClientInfo {
            ip: forwarded.or_else(|| peer.map(|p| p.ip().to_string())),
            user_agent: headers.get("user-agent").and_then(|v| v.to_str().ok()).map(|v| v.chars().take(200).collect()),
        }
    }
}
