//! HTML by hand: escaping and the page layout. Every value that reaches a page goes through
//! [`esc`]; scripts and styles are the console's own files under `/assets/`.

use std::fmt::Write as _;

use crate::store::WebSession;

/// Escapes text for HTML content and quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Unix milliseconds as `2026-12-07 10:11:12Z`.
pub fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A timestamp as `2026-12-07 10:11:12Z`.
pub fn ts(t: jiff::Timestamp) -> String {
    time(t.as_millisecond())
}

const NAV: &[(&str, &str)] = &[
    ("/logs", "KYC Logs"),
    ("/reports", "KYC Reports"),
    ("/editor", "KYC Editor"),
    ("/links", "KYC Links"),
    ("/sessions/new", "Add session"),
    ("/face-lists", "Face lists"),
    ("/callbacks", "Callbacks"),
    ("/retention", "Retention"),
    ("/audit", "Audit"),
];

/// Context every operator page needs.
#[derive(Debug)]
pub struct Chrome<'a> {
    /// The signed-in operator.
    pub op: &'a WebSession,
    /// The models' absence, if they are absent.
    pub banner: Option<&'a str>,
    /// The storage's label.
    pub storage: &'a str,
}

/// A whole operator page.
pub fn page(
    chrome: &Chrome<'_>,
    active: &str,
    title: &str,
    body: &str,
    scripts: &[&str],
) -> String {
    let mut nav = String::new();
    for (href, name) in NAV {
        let class = if *href == active {
            " class=\"active\""
        } else {
            ""
        };
        let _ = write!(nav, "<a href=\"{href}\"{class}>{name}</a>");
    }
    let banner = chrome
        .banner
        .map(|b| format!("<div class=\"banner\" id=\"model-banner\">{}</div>", esc(b)))
        .unwrap_or_default();
    let mut js = String::new();
    for s in scripts {
        let _ = write!(js, "<script src=\"/assets/{s}\" defer></script>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{title} · kyc console</title><link rel=\"stylesheet\" href=\"/assets/console.css\">\
<meta name=\"csrf-token\" content=\"{csrf}\">{js}</head><body>\
<header><span class=\"brand\">kyc console</span><nav>{nav}</nav>\
<form method=\"post\" action=\"/logout\" class=\"who\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
<span>{user}</span> <button type=\"submit\">Sign out</button></form></header>{banner}\
<main><h1>{title}</h1>{body}</main><footer>{storage}</footer></body></html>",
        title = esc(title),
        csrf = esc(&chrome.op.csrf),
        user = esc(&chrome.op.operator.username),
        storage = esc(chrome.storage),
    )
}

/// A page outside the operator's console (sign-in, capture).
pub fn bare(title: &str, body: &str, scripts: &[&str]) -> String {
    let mut js = String::new();
    for s in scripts {
        let _ = write!(js, "<script type=\"module\" src=\"/assets/{s}\"></script>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{title}</title><link rel=\"stylesheet\" href=\"/assets/console.css\">{js}</head>\
<body class=\"bare\"><main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
    )
}

/// The hidden CSRF field of a form.
pub fn csrf_field(op: &WebSession) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&op.csrf)
    )
}

/// `<option>`s, with `selected` marked.
pub fn options<'a>(values: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    let mut out = String::new();
    for (value, label) in values {
        let sel = if value == selected { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(value),
            esc(label)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
