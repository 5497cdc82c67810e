//! The caller's address behind a reverse proxy: `X-Forwarded-For` and `Forwarded` are read only
//! when the connection comes from a trusted proxy (`--trusted-proxies CIDR,...`), so that rate
//! limits and audit rows name the client rather than the proxy, and nobody else can choose the
//! address they are recorded under.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::{header, HeaderMap};

/// An IP network such as `10.0.0.0/8`, `::1/128`, or a bare address (a single host).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` lies in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Why a proxy setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("`{0}` is not an IP address or network (e.g. 10.0.0.0/8, ::1)")]
    Address(String),
    #[error("`{0}`: the prefix length is too long for the address")]
    Prefix(String),
}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr =
            canonical(IpAddr::from_str(addr).map_err(|_| CidrError::Address(s.to_string()))?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .map_err(|_| CidrError::Address(s.to_string()))?,
            None => max,
        };
        if prefix > max {
            return Err(CidrError::Prefix(s.to_string()));
        }
        Ok(Cidr { addr, prefix })
    }
}

/// The proxies whose forwarding headers are believed. Empty (the default): none, and the
/// connection's peer address is the caller's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<Cidr>);

impl FromStr for TrustedProxies {
    type Err = CidrError;
    /// A comma-separated list; the empty string is no proxy.
    fn from_str(s: &str) -> Result<TrustedProxies, CidrError> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(Cidr::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address for a request that arrived from `peer`. Forwarding headers count
    /// only when `peer` is trusted; then the chain (`Forwarded` if present, else
    /// `X-Forwarded-For`) is read from the nearest hop back, and the first address that is not
    /// itself a trusted proxy is the client. A missing or malformed chain leaves `peer`.
    pub fn client_addr(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_chain(headers).or_else(|| x_forwarded_for_chain(headers));
        let Some(chain) = chain else {
            return peer;
        };
        let mut client = peer;
        for hop in chain.into_iter().rev() {
            client = canonical(hop);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// The `for=` addresses of every `Forwarded` header, in order; `None` when there is no such
/// header or any element is not an address (an obfuscated or `unknown` hop).
fn forwarded_chain(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut out = Vec::new();
    let mut seen = false;
    for v in headers.get_all(header::FORWARDED) {
        seen = true;
        let v = v.to_str().ok()?;
        for element in v.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
            })?;
            out.push(parse_node(node)?);
        }
    }
    (seen && !out.is_empty()).then_some(out)
}

/// `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`, `[2001:db8::1]`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

fn x_forwarded_for_chain(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut out = Vec::new();
    for v in headers.get_all("x-forwarded-for") {
        for hop in v.to_str().ok()?.split(',') {
            out.push(parse_node(hop)?);
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn networks_parse_and_match() {
        let c: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(c.contains(ip("10.1.200.3")));
        assert!(!c.contains(ip("10.2.0.1")));
        assert!(c.contains(ip("::ffff:10.1.0.9")));
        let one: Cidr = "::1".parse().unwrap();
        assert!(one.contains(ip("::1")) && !one.contains(ip("::2")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.org".parse::<Cidr>().is_err());
        assert_eq!(
            "".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::default()
        );
        assert_eq!(
            "127.0.0.1, 10.0.0.0/8"
                .parse::<TrustedProxies>()
                .unwrap()
                .0
                .len(),
            2
        );
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_peers() {
        let t: TrustedProxies = "127.0.0.1,10.0.0.0/8".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        // From the proxy: the header names the client.
        assert_eq!(t.client_addr(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // From anyone else: the header is ignored.
        assert_eq!(t.client_addr(ip("198.51.100.2"), &h), ip("198.51.100.2"));
        // Nothing trusted: the peer, whatever the headers say.
        assert_eq!(
            TrustedProxies::default().client_addr(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
        // A client cannot choose its address by prepending to the chain: the nearest untrusted
        // hop counts.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.0.0.5")]);
        assert_eq!(t.client_addr(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // Forwarded wins over X-Forwarded-For; ports and brackets are understood.
        let h = headers(&[
            ("forwarded", "for=\"[2001:db8::7]:4711\";proto=https"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(t.client_addr(ip("10.9.9.9"), &h), ip("2001:db8::7"));
        // A malformed chain leaves the peer.
        let h = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(t.client_addr(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }
}
