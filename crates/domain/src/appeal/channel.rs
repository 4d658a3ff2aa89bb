//! Where an appeal came in.

coded_enum!(
    /// The channel of an appeal.
    Channel {
        Phone = "phone" / "12345 电话",
        Online = "online" / "12345 网络",
        Open311 = "open311" / "Open311",
        Web = "web" / "网页",
        Meeting = "meeting" / "吐槽大会",
    }
);

impl Channel {
    /// The channel a 12345 export's 来源 cell names: 电话/热线 are calls, 网络/网站/微信/APP and the
    /// like are the hotline's online channels; a blank cell is a call (the export's default).
    pub fn from_export(text: &str) -> Option<Channel> {
        let t = text.trim();
        if t.is_empty() || ["电话", "热线", "来电", "12345"].iter().any(|w| t.contains(w)) && !t.contains("网") {
            return Some(Channel::Phone);
        }
        if ["网络", "网站", "网上", "微信", "小程序", "APP", "app", "App", "短信", "邮件", "政务服务网"]
            .iter()
            .any(|w| t.contains(w))
        {
            return Some(Channel::Online);
        }
        Channel::parse(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_sources_read_as_channels() {
        assert_eq!(Channel::from_export("12345热线电话"), Some(Channel::Phone));
        assert_eq!(Channel::from_export(""), Some(Channel::Phone));
        assert_eq!(Channel::from_export("微信公众号"), Some(Channel::Online));
        assert_eq!(Channel::from_export("12345网络"), Some(Channel::Online));
        assert_eq!(Channel::from_export("吐槽大会"), Some(Channel::Meeting));
        assert_eq!(Channel::from_export("信访"), None);
    }
}
