//! The few server-rendered pages customers open from links (the pay page, the product
//! page): text escaped for HTML and a plain, mobile-friendly page around a body.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// `text` safe inside HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A whole page: `title` (escaped here) and `body` (HTML already), answered with `status`.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let title = escape(title);
    let document = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#222}}\
         table{{width:100%;border-collapse:collapse}}td,th{{padding:.3rem;border-bottom:1px solid #ddd;text-align:left}}\
         td.amount,th.amount{{text-align:right}}img{{max-width:100%}}.notice{{padding:.75rem;border-radius:.3rem;background:#fdecea}}\
         .done{{background:#e6f4ea}}label{{display:block;margin:.5rem 0}}</style>\
         </head><body><h1>{title}</h1>\n{body}\n</body></html>\n"
    );
    (status, Html(document)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m9_text_is_escaped_for_html() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;",
            "markup in names never reaches the page as markup"
        );
    }
}
