//! Where a webhook may call: a public http(s) address, or one the administrator named. Loopback,
//! private networks, link-local (the cloud metadata service at 169.254.169.254 among them) and the
//! other special ranges are refused, so an office user cannot make the server reach into its own
//! network (SSRF). Checked when the hook is saved (the address as written) and again at every
//! delivery (each address the name resolves to then), since a name can be re-pointed later.

use crate::FieldError;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// Destinations the administrator allows although they are not public: host names (exact,
/// case-insensitive), addresses and networks (`10.1.0.0/16`), from the setting, comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allowed {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl Allowed {
    /// Reads the setting's text; an entry that is neither a name, an address nor a network is the error.
    pub fn parse(text: &str) -> Result<Allowed, String> {
        let mut allowed = Allowed::default();
        for entry in text.split([',', '，', '\n', ' ']).map(str::trim).filter(|e| !e.is_empty()) {
            if let Ok(net) = entry.parse::<IpNet>() {
                allowed.nets.push(net);
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                allowed.nets.push(IpNet::from(ip));
            } else if entry.len() <= 253
                && entry
                    .split('.')
                    .all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            {
                allowed.hosts.push(entry.to_ascii_lowercase());
            } else {
                return Err(format!("“{entry}”不是主机名、IP 地址或网段（如 10.1.0.0/16）"));
            }
        }
        Ok(allowed)
    }

    fn has_host(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host.trim_end_matches('.')))
    }

    fn has_ip(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(&ip))
    }
}

/// Why an address is not public, or `None` when it is.
pub fn special(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => special_v4(v4),
            None => special_v6(v6),
        },
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(if ip.is_loopback() {
        "本机回环地址"
    } else if ip.is_private() || (a == 100 && (64..128).contains(&b)) {
        "内网地址"
    } else if ip.is_link_local() {
        "链路本地地址（含云主机元数据服务）"
    } else if ip.is_unspecified() || a == 0 {
        "未指定地址"
    } else if ip.is_broadcast() || ip.is_multicast() || a >= 240 {
        "广播、组播或保留地址"
    } else if ip.is_documentation() || (a == 198 && (b == 18 || b == 19)) || (a == 192 && b == 0) {
        "文档、测试或协议保留地址"
    } else {
        return None;
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    Some(if ip.is_loopback() {
        "本机回环地址"
    } else if ip.is_unspecified() {
        "未指定地址"
    } else if first & 0xfe00 == 0xfc00 {
        "内网地址"
    } else if first & 0xffc0 == 0xfe80 {
        "链路本地地址"
    } else if ip.is_multicast() {
        "组播地址"
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        "文档保留地址"
    } else if first == 0x64 && ip.segments()[1] == 0xff9b {
        // NAT64: the embedded IPv4 address decides.
        let [.., c, d] = ip.segments();
        return special_v4(Ipv4Addr::from((u32::from(c) << 16) | u32::from(d)));
    } else {
        return None;
    })
}

/// A webhook address as saved: http or https, a host, no user name or password in it, at most
/// 500 characters, and — when the host is written as an address or is `localhost` — a public one
/// unless allowed. Returns the address as the URL parser normalises it.
pub fn check_url(field: &str, text: &str, allowed: &Allowed) -> Result<Url, FieldError> {
    let bad = |why: &str| FieldError::new(field, why.to_string());
    let text = text.trim();
    if text.len() > 500 {
        return Err(bad("回调地址不能超过 500 个字符"));
    }
    let url = Url::parse(text).map_err(|_| bad("回调地址应为 http:// 或 https:// 开头的完整地址"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("回调地址应为 http:// 或 https:// 开头的完整地址"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("回调地址中不能含用户名或密码；接收方请用签名（X-Bangdu-Signature）验证来源"));
    }
    match url.host() {
        None => Err(bad("回调地址缺少主机名")),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            let local = name.eq_ignore_ascii_case("localhost") || name.to_ascii_lowercase().ends_with(".localhost");
            if local && !allowed.has_host(name) {
                return Err(bad("回调地址不能指向本机；如确需调用内网系统，请管理员在系统设置中允许该地址"));
            }
            Ok(url)
        }
        Some(Host::Ipv4(ip)) => check_ip(field, IpAddr::V4(ip), allowed).map(|_| url),
        Some(Host::Ipv6(ip)) => check_ip(field, IpAddr::V6(ip), allowed).map(|_| url),
    }
}

/// An address a delivery is about to call (the host named in the hook, `host`, resolved to `ip`).
pub fn check_ip_of(field: &str, host: &str, ip: IpAddr, allowed: &Allowed) -> Result<(), FieldError> {
    if allowed.has_host(host) {
        return Ok(());
    }
    check_ip(field, ip, allowed)
}

fn check_ip(field: &str, ip: IpAddr, allowed: &Allowed) -> Result<(), FieldError> {
    match special(ip) {
        Some(why) if !allowed.has_ip(ip) => Err(FieldError::new(
            field,
            format!("回调地址 {ip} 是{why}，不能调用；如确需调用内网系统，请管理员在系统设置中允许该地址"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> bool {
        check_url("url", url, &Allowed::default()).is_err()
    }

    #[test]
    fn public_addresses_pass_and_the_others_are_refused() {
        for good in [
            "https://oa.example.gov.cn/hook",
            "http://203.0.114.9:8080/x",
            "https://[2400:3200::1]/h",
            "https://1.1.1.1/",
        ] {
            assert!(!refused(good), "{good}");
        }
        for bad in [
            "http://[::1",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "http://localhost:8080/",
            "http://api.localhost/",
            "http://127.0.0.1/",
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0.0.0.0/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://100.64.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "",
        ] {
            assert!(refused(bad), "{bad}");
        }
    }

    #[test]
    fn the_administrator_may_allow_a_destination() {
        let allowed = Allowed::parse("10.1.0.0/16, oa.intranet, 127.0.0.1，localhost").unwrap();
        for good in ["http://10.1.2.3/hook", "http://127.0.0.1:9000/", "http://localhost/"] {
            assert!(check_url("url", good, &allowed).is_ok(), "{good}");
        }
        assert!(check_url("url", "http://10.2.0.1/", &allowed).is_err(), "only the network named");
        // At delivery: a name the administrator allowed may resolve to an internal address…
        assert!(check_ip_of("url", "oa.intranet", "10.9.9.9".parse().unwrap(), &allowed).is_ok());
        // …another name may not, however it was written.
        let e = check_ip_of("url", "evil.example", "169.254.169.254".parse().unwrap(), &allowed).unwrap_err();
        assert!(e.message.contains("链路本地"), "{}", e.message);
        assert!(Allowed::parse("10.0.0.0/33").is_err());
        assert!(Allowed::parse("http://x/").is_err());
        assert_eq!(Allowed::parse(" ").unwrap(), Allowed::default());
    }
}
