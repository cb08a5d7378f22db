//! The library functions that do more than compare values.

use super::value::Value;

/// `parseURL`: splits an `http` or `https` URL into a record of `scheme`,
/// `authority`, `path`, `normalizedPath` (the path with a leading and trailing
/// slash) and `isIp`. Unset for anything else, and for URLs with a query string.
pub(crate) fn parse_url(url: &str) -> Option<Value> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    // A fragment is dropped; a query string makes the URL unusable as an endpoint.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    if rest.contains('?') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let is_ip = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        if !valid_port_suffix(after) || !is_ipv6(address) {
            return None;
        }
        true
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() || host.contains([':', '[', ']']) {
            return None;
        }
        if let Some(port) = port
            && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        is_ipv4(host)
    };
    let normalized_path = if path.is_empty() {
        "/".to_owned()
    } else if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Value::record([
        ("scheme", Value::String(scheme.to_owned())),
        ("authority", Value::String(authority.to_owned())),
        ("path", Value::String(path.to_owned())),
        ("normalizedPath", Value::String(normalized_path)),
        ("isIp", Value::Bool(is_ip)),
    ]))
}

/// `""` or `:` followed by digits.
fn valid_port_suffix(text: &str) -> bool {
    match text.strip_prefix(':') {
        Some(port) => !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()),
        None => text.is_empty(),
    }
}

/// A dotted-quad IPv4 address.
fn is_ipv4(host: &str) -> bool {
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            !octet.is_empty()
                && octet.len() <= 3
                && octet.bytes().all(|b| b.is_ascii_digit())
                && octet.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// The inside of a bracketed IPv6 address (hex groups, `::`, an optional IPv4 tail
/// or zone id); a plausibility check rather than a full parse.
fn is_ipv6(address: &str) -> bool {
    let address = address.split_once('%').map_or(address, |(before, _)| before);
    address.contains(':')
        && address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        && address.split(':').all(|group| group.len() <= 4 || is_ipv4(group))
}

/// `substring`: the characters `start..stop` of an ASCII string, counted from the
/// end when `reverse`; unset when the range does not fit or the input is not ASCII.
pub(crate) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Some(input[from..to].to_owned())
}

/// `uriEncode`: percent-encodes every byte except the unreserved characters
/// `A-Z a-z 0-9 - _ . ~`, with upper-case hex digits.
pub(crate) fn uri_encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// One DNS label: 1 to 63 letters, digits and hyphens, starting with a letter or digit.
fn is_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `isValidHostLabel`: whether `value` is one DNS label or, with
/// `allow_sub_domains`, dot-separated labels.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

/// `aws.isVirtualHostableS3Bucket`: whether `value` can be an S3 bucket name in a
/// host name: 3 to 63 lower-case letters, digits and hyphens (and, with
/// `allow_sub_domains`, dots, though not next to a dot or hyphen nor in the shape of
/// an IPv4 address), starting and ending with a letter or digit.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.len() < 3 || bytes.len() > 63 || !edge(bytes[0]) || !edge(bytes[bytes.len() - 1]) {
        return false;
    }
    if !bytes
        .iter()
        .all(|&b| edge(b) || b == b'-' || (allow_sub_domains && b == b'.'))
    {
        return false;
    }
    !allow_sub_domains || (!value.contains("..") && !value.contains(".-") && !value.contains("-.") && !is_ipv4(value))
}

/// `aws.parseArn`: splits `arn:partition:service:region:account-id:resource` into a
/// record of `partition`, `service`, `region`, `accountId` and `resourceId` (the
/// resource split on `:` and `/`). Unset when it is not such an ARN.
pub(crate) fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|piece| Value::String(piece.to_owned()))
        .collect();
    Some(Value::record([
        ("partition", Value::String(partition.to_owned())),
        ("service", Value::String(service.to_owned())),
        ("region", Value::String(region.to_owned())),
        ("accountId", Value::String(account_id.to_owned())),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Option<(String, String, String, String, bool)> {
        let Value::Record(fields) = parse_url(text)? else {
            panic!("parseURL returned a non-record")
        };
        let s = |k: &str| match &fields[k] {
            Value::String(s) => s.clone(),
            other => panic!("{k} is {other:?}"),
        };
        Some((
            s("scheme"),
            s("authority"),
            s("path"),
            s("normalizedPath"),
            fields["isIp"] == Value::Bool(true),
        ))
    }

    fn t(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized: &str,
        ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((scheme.into(), authority.into(), path.into(), normalized.into(), ip))
    }

    #[test]
    fn parse_url_splits_endpoints() {
        assert_eq!(url("https://example.com"), t("https", "example.com", "", "/", false));
        assert_eq!(
            url("http://example.com:8443/"),
            t("http", "example.com:8443", "/", "/", false)
        );
        assert_eq!(
            url("https://example.com/foo/bar"),
            t("https", "example.com", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            url("https://example.com/a/"),
            t("https", "example.com", "/a/", "/a/", false)
        );
        assert_eq!(
            url("http://127.0.0.1:8000/x"),
            t("http", "127.0.0.1:8000", "/x", "/x/", true)
        );
        assert_eq!(url("https://[::1]:443"), t("https", "[::1]:443", "", "/", true));
        assert_eq!(
            url("https://[fe80::1%25en0]"),
            t("https", "[fe80::1%25en0]", "", "/", true)
        );
        assert_eq!(
            url("http://localhost:8000"),
            t("http", "localhost:8000", "", "/", false)
        );
        assert_eq!(
            url("https://example.com/x#frag"),
            t("https", "example.com", "/x", "/x/", false)
        );
        assert_eq!(url("https://999.1.1.1"), t("https", "999.1.1.1", "", "/", false));
    }

    #[test]
    fn parse_url_rejects_non_endpoints() {
        for bad in [
            "https://example.com?x=1",
            "https://example.com/path?x",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://host:port",
            "https://host:",
            "https://[::1",
            "https://[zz::1]",
            "https://exa mple.com",
            "https://user@example.com",
            "",
        ] {
            assert_eq!(url(bad), None, "{bad} should not parse");
        }
    }

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
        assert_eq!(substring("abcdefg", 0, 7, false).as_deref(), Some("abcdefg"));
        assert_eq!(substring("abcdefg", 0, 8, false), None);
        assert_eq!(substring("abcdefg", 3, 3, false), None);
        assert_eq!(substring("abcdefg", 4, 2, false), None);
        assert_eq!(substring("abc\u{e9}fg", 0, 2, false), None);
        assert_eq!(substring("", 0, 1, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
        assert_eq!(uri_encode("a b/c:d?e=f&g"), "a%20b%2Fc%3Ad%3Fe%3Df%26g");
        assert_eq!(uri_encode("%+*"), "%25%2B%2A");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("0abc", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b-c.d", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label(".a", true));
        assert!(!is_valid_host_label("a.-b", true));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("my..bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("my-.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("my.-bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream:x").unwrap();
        assert_eq!(
            arn,
            Value::record([
                ("partition", Value::String("aws".into())),
                ("service", Value::String("dynamodb".into())),
                ("region", Value::String("us-east-1".into())),
                ("accountId", Value::String("123456789012".into())),
                (
                    "resourceId",
                    Value::Array(["table", "t", "stream", "x"].map(|s| Value::String(s.into())).to_vec())
                ),
            ])
        );
        let global = parse_arn("arn:aws:s3:::bucket").unwrap();
        let Value::Record(fields) = global else { panic!() };
        assert_eq!(fields["region"], Value::String(String::new()));
        assert_eq!(fields["accountId"], Value::String(String::new()));
        assert_eq!(fields["resourceId"], Value::Array(vec![Value::String("bucket".into())]));
        for bad in [
            "",
            "arn",
            "arn:aws:s3:us-east-1:123",
            "arn:aws:s3:us-east-1:123:",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "nra:aws:s3:r:a:res",
            "not an arn",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad} should not parse");
        }
    }
}
