//! What agents and the knowledge base write (Markdown: CommonMark, parsed by pulldown-cmark) as
//! each channel shows it: Telegram's HTML, Discord's markdown, sanitized HTML for e-mail and
//! the web chat (ammonia), and plain text. Lists become bullets, never raw `- `; a line break
//! stays a line break, as in any chat; raw HTML is shown as the text it is. A link is kept
//! only when it is http or https, and shown with its host, so a customer sees where it leads
//! whatever its text says.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// A channel's way of showing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Telegram `parse_mode=HTML`: `<b>`, `<i>`, `<s>`, `<code>`, `<pre>`, `<a>`,
    /// `<blockquote>`; lists as bullet lines.
    Telegram,
    /// Discord's markdown.
    Discord,
    /// HTML, sanitized (e-mail, the web chat).
    Html,
    /// Plain text (e-mail's text part, previews).
    Plain,
}

/// `markdown` rendered for `format`.
pub fn render(markdown: &str, format: Format) -> String {
    let mut writer = Writer { format, out: vec![String::new()], lists: Vec::new(), links: Vec::new(), at_item: false };
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        writer.event(event);
    }
    let text = writer.out.concat();
    match format {
        Format::Html => sanitize(&text),
        _ => text.trim_end().to_owned(),
    }
}

/// The host a link leads to, when it is one a customer may be sent to (http or https).
pub fn safe_host(href: &str) -> Option<String> {
    let url = url::Url::parse(href).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.host_str().map(str::to_owned)).flatten()
}

/// What the HTML may hold: the tags the writer makes, links only to http and https.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .tags(
            ["p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "hr"]
                .into(),
        )
        .url_schemes(["http", "https"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Text as Discord shows it literally: every character that could format, quote, link or
/// mention escaped, and at a line's start what would make a quote, heading or list.
fn escape_discord(text: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start_matches(' ');
        out.push_str(&line[..line.len() - trimmed.len()]);
        let numbered = || {
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && trimmed[digits..].starts_with(". ")
        };
        if (i > 0 || at_line_start) && (trimmed.starts_with(['>', '#', '-', '+']) || numbered()) {
            out.push('\\');
        }
        for c in trimmed.chars() {
            if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '(' | ')' | '<' | '@') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A link being written: where it leads and its text so far.
struct Link {
    href: String,
}

struct Writer {
    format: Format,
    /// Output buffers: a link's text is written into one of its own, then wrapped.
    out: Vec<String>,
    /// Open lists: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    links: Vec<Link>,
    /// Just after a list item's bullet: its first paragraph follows on the same line.
    at_item: bool,
}

impl Writer {
    fn push(&mut self, text: &str) {
        if !text.is_empty() {
            self.at_item = false;
        }
        self.out.last_mut().expect("a buffer").push_str(text);
    }

    fn text(&mut self, text: &str) {
        let escaped = escape_for(self.format, text, self.at_line_start());
        self.push(&escaped);
    }

    /// Whether what comes next starts a line (no bullet or text before it on the line).
    fn at_line_start(&self) -> bool {
        let out = self.out.last().expect("a buffer");
        self.links.is_empty() && !self.at_item && (out.is_empty() || out.ends_with('\n'))
    }

    /// Ends what came before with a blank line (a new block), or a line break in a list.
    fn block(&mut self) {
        if self.format == Format::Html || self.at_item {
            return;
        }
        let out = self.out.last_mut().expect("a buffer");
        let trimmed = out.trim_end_matches([' ', '\n']).len();
        if trimmed == 0 {
            out.clear();
            return;
        }
        out.truncate(trimmed);
        out.push_str(if self.lists.is_empty() { "\n\n" } else { "\n" });
    }

    /// The markup of `tag` for this format: (start, end).
    fn marks(&self, tag: &Tag<'_>) -> (&'static str, &'static str) {
        use Format::*;
        match (tag, self.format) {
            (Tag::Strong, Telegram) => ("<b>", "</b>"),
            (Tag::Strong, Discord) => ("**", "**"),
            (Tag::Strong, Html) => ("<strong>", "</strong>"),
            (Tag::Emphasis, Telegram) => ("<i>", "</i>"),
            (Tag::Emphasis, Discord) => ("*", "*"),
            (Tag::Emphasis, Html) => ("<em>", "</em>"),
            (Tag::Strikethrough, Telegram) => ("<s>", "</s>"),
            (Tag::Strikethrough, Discord) => ("~~", "~~"),
            (Tag::Strikethrough, Html) => ("<del>", "</del>"),
            (Tag::Heading { .. }, Telegram) => ("<b>", "</b>"),
            (Tag::Heading { level: HeadingLevel::H1, .. }, Discord) => ("# ", ""),
            (Tag::Heading { level: HeadingLevel::H2, .. }, Discord) => ("## ", ""),
            (Tag::Heading { .. }, Discord) => ("### ", ""),
            (Tag::Heading { .. }, Html) => ("<h3>", "</h3>"),
            (Tag::Paragraph, Html) => ("<p>", "</p>"),
            (Tag::BlockQuote(_), Telegram) => ("<blockquote>", "</blockquote>"),
            (Tag::BlockQuote(_), Html) => ("<blockquote>", "</blockquote>"),
            (Tag::CodeBlock(_), Telegram) => ("<pre>", "</pre>"),
            (Tag::CodeBlock(_), Discord) => ("```\n", "```"),
            (Tag::CodeBlock(_), Html) => ("<pre><code>", "</code></pre>"),
            _ => ("", ""),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                let (open, close) = match self.format {
                    Format::Telegram | Format::Html => ("<code>", "</code>"),
                    Format::Discord => ("`", "`"),
                    Format::Plain => ("", ""),
                };
                let code = if self.format == Format::Discord { code.replace('`', "'") } else { code.to_string() };
                self.push(open);
                match self.format {
                    Format::Discord | Format::Plain => self.push(&code),
                    _ => self.text(&code),
                }
                self.push(close);
            }
            // Raw HTML is not markup here: it is shown as the text it is.
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::SoftBreak | Event::HardBreak => self.push(if self.format == Format::Html { "<br>\n" } else { "\n" }),
            Event::Rule => {
                self.block();
                self.push(match self.format {
                    Format::Html => "<hr>",
                    Format::Discord => "───",
                    _ => "———",
                });
            }
            Event::FootnoteReference(label) => self.text(&format!("[{label}]")),
            Event::TaskListMarker(done) => self.push(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match &tag {
            Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) => self.block(),
            Tag::BlockQuote(_) => {
                self.block();
                // Discord and plain text quote line by line: the quote is written apart, then
                // marked.
                if matches!(self.format, Format::Discord | Format::Plain) {
                    self.out.push(String::new());
                }
            }
            Tag::List(first) => {
                if self.lists.is_empty() {
                    self.block();
                } else if self.format != Format::Html {
                    self.push("\n");
                }
                self.push(match (self.format, first) {
                    (Format::Html, Some(_)) => "<ol>",
                    (Format::Html, None) => "<ul>",
                    _ => "",
                });
                self.lists.push(*first);
            }
            Tag::Item => self.item(),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.links.push(Link { href: dest_url.to_string() });
                self.out.push(String::new());
            }
            _ => {}
        }
        let (open, _) = self.marks(&tag);
        self.push(open);
    }

    /// A list item's start: its bullet or number, indented by the lists it is in.
    fn item(&mut self) {
        if self.format == Format::Html {
            self.push("<li>");
            return;
        }
        let out = self.out.last_mut().expect("a buffer");
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        let depth = self.lists.len().saturating_sub(1);
        let marker = match self.lists.last_mut() {
            Some(Some(next)) => {
                let marker = format!("{next}. ");
                *next += 1;
                marker
            }
            _ if self.format == Format::Discord => "- ".to_owned(),
            _ => "• ".to_owned(),
        };
        self.push(&format!("{}{marker}", "  ".repeat(depth)));
        self.at_item = true;
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Link | TagEnd::Image => self.link_end(),
            TagEnd::List(ordered) => {
                self.lists.pop();
                if self.format == Format::Html {
                    self.push(if ordered { "</ol>" } else { "</ul>" });
                }
            }
            TagEnd::Item => self.push(if self.format == Format::Html { "</li>" } else { "" }),
            TagEnd::Paragraph => self.push(if self.format == Format::Html { "</p>" } else { "" }),
            TagEnd::Heading(level) => self.push(self.marks(&heading(level)).1),
            TagEnd::BlockQuote(_) if matches!(self.format, Format::Discord | Format::Plain) => {
                let quote = self.out.pop().unwrap_or_default();
                let lines: Vec<String> = quote.trim_end().lines().map(|line| format!("> {line}")).collect();
                self.push(&lines.join("\n"));
            }
            TagEnd::BlockQuote(kind) => {
                let close = self.marks(&Tag::BlockQuote(kind)).1;
                self.push(close);
            }
            TagEnd::CodeBlock => {
                let close = self.marks(&Tag::CodeBlock(CodeBlockKind::Indented)).1;
                self.push(close);
            }
            TagEnd::Strong => self.push(self.marks(&Tag::Strong).1),
            TagEnd::Emphasis => self.push(self.marks(&Tag::Emphasis).1),
            TagEnd::Strikethrough => self.push(self.marks(&Tag::Strikethrough).1),
            _ => {}
        }
    }

    /// A link's end: kept as a link with its host shown when it leads to http or https, else
    /// only its text.
    fn link_end(&mut self) {
        let text = self.out.pop().unwrap_or_default();
        let Some(link) = self.links.pop() else { return self.push(&text) };
        let Some(host) = safe_host(&link.href) else { return self.push(&text) };
        let bare = text.trim().is_empty() || text == link.href || text == escape_html(&link.href);
        let label = if bare { escape_for(self.format, &link.href, false) } else { text };
        let shown_host = if bare { String::new() } else { format!(" ({host})") };
        let linked = match self.format {
            Format::Telegram | Format::Html => format!("<a href=\"{}\">{label}</a>", escape_html(&link.href)),
            Format::Discord if bare => link.href.clone(),
            Format::Discord => format!("[{label}](<{}>)", link.href),
            Format::Plain if bare => link.href.clone(),
            Format::Plain => format!("{label} <{}>", link.href),
        };
        let host_note = if self.format == Format::Plain { String::new() } else { shown_host };
        self.push(&format!("{linked}{host_note}"));
    }
}

fn escape_for(format: Format, text: &str, at_line_start: bool) -> String {
    match format {
        Format::Telegram | Format::Html => escape_html(text),
        Format::Discord => escape_discord(text, at_line_start),
        Format::Plain => text.to_owned(),
    }
}

fn heading(level: HeadingLevel) -> Tag<'static> {
    Tag::Heading { level, id: None, classes: Vec::new(), attrs: Vec::new() }
}

#[cfg(test)]
mod tests;
