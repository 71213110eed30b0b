#include "ingest/html_text.h"

#include <gumbo.h>

#include <algorithm>

#include "ingest/feed.h"

namespace yuqing::ingest {
namespace {

bool IsBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TR: case GUMBO_TAG_TABLE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_PRE: case GUMBO_TAG_HR: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

bool Skipped(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE ||
         t == GUMBO_TAG_HEAD;
}

bool WebUrl(std::string_view u) {
  return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0 || u.rfind("//", 0) == 0;
}

void AddUrl(std::vector<std::string>& out, const char* value) {
  if (!value) return;
  std::string_view u(value);
  while (!u.empty() && (u.front() == ' ' || u.front() == '\n' || u.front() == '\t')) u.remove_prefix(1);
  while (!u.empty() && (u.back() == ' ' || u.back() == '\n' || u.back() == '\t')) u.remove_suffix(1);
  if (u.empty() || u.size() > kMaxHtmlUrlBytes || !WebUrl(u) || out.size() >= kMaxHtmlUrls) return;
  std::string s = u.rfind("//", 0) == 0 ? "https:" + std::string(u) : std::string(u);
  if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
}

// Appends text with whitespace runs collapsed (&nbsp;, U+00A0, counts as a space: RSSHub and
// CMS pages use it between words); '\n' in `out` marks a line end.
void AppendText(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
      ws = true;
      ++i;
    }
    if (ws) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

void EndLine(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

// Iterative, so that deeply nested markup cannot exhaust the stack.
void Walk(const GumboNode* root, HtmlContent& c) {
  struct Frame {
    const GumboNode* node;
    bool closing;
  };
  std::vector<Frame> stack{{root, false}};
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
      AppendText(c.text, n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE && n->type != GUMBO_NODE_DOCUMENT) continue;
    if (n->type == GUMBO_NODE_DOCUMENT) {
      const GumboVector& kids = n->v.document.children;
      for (unsigned i = kids.length; i-- > 0;) stack.push_back({static_cast<const GumboNode*>(kids.data[i]), false});
      continue;
    }
    const GumboElement& e = n->v.element;
    if (Skipped(e.tag)) continue;
    if (f.closing) {
      if (IsBlock(e.tag)) EndLine(c.text);
      continue;
    }
    if (e.tag == GUMBO_TAG_IMG) {
      const GumboAttribute* src = gumbo_get_attribute(&e.attributes, "src");
      const GumboAttribute* lazy = gumbo_get_attribute(&e.attributes, "data-src");
      AddUrl(c.images, lazy ? lazy->value : src ? src->value : nullptr);
    } else if (e.tag == GUMBO_TAG_A) {
      const GumboAttribute* href = gumbo_get_attribute(&e.attributes, "href");
      if (href) AddUrl(c.links, href->value);
    }
    if (IsBlock(e.tag)) EndLine(c.text);
    stack.push_back({n, true});
    for (unsigned i = e.children.length; i-- > 0;) stack.push_back({static_cast<const GumboNode*>(e.children.data[i]), false});
  }
}

}  // namespace

HtmlContent HtmlToContent(std::string_view html) {
  HtmlContent c;
  // gumbo frees its tree recursively: a fragment of absurdly many tags (hostile nesting) is read
  // by the plain tag stripper instead, so it cannot exhaust the stack.
  if (std::count(html.begin(), html.end(), '<') > static_cast<std::ptrdiff_t>(kMaxHtmlTags)) {
    c.text = StripHtml(html);
    return c;
  }
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;  // we never read the error list
  GumboOutput* out = gumbo_parse_with_options(&opts, html.data(), html.size());
  if (!out) {
    c.text = std::string(html);
    return c;
  }
  Walk(out->document, c);
  gumbo_destroy_output(&opts, out);
  // Drop spaces at line starts and ends, and the final line break.
  std::string text;
  text.reserve(c.text.size());
  size_t start = 0;
  while (start <= c.text.size()) {
    size_t end = c.text.find('\n', start);
    if (end == std::string::npos) end = c.text.size();
    std::string_view line(c.text.data() + start, end - start);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (!line.empty()) {
      if (!text.empty()) text.push_back('\n');
      text.append(line);
    }
    start = end + 1;
  }
  c.text = std::move(text);
  return c;
}

}  // namespace yuqing::ingest
