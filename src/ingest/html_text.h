// HTML fragments (RSSHub descriptions, feed content, page items) as text, parsed with gumbo (a
// real HTML5 parser: broken markup, entities and CDATA are read as a browser reads them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace yuqing::ingest {

struct HtmlContent {
  std::string text;                 // visible text; block elements and <br> end a line
  std::vector<std::string> images;  // <img src> (or data-src), http(s) and protocol-relative only
  std::vector<std::string> links;   // <a href>, http(s) only, in document order, without repeats
};

constexpr size_t kMaxHtmlUrls = 50;      // images and links kept per fragment, each
constexpr size_t kMaxHtmlUrlBytes = 2048;
constexpr size_t kMaxHtmlTags = 20000;   // beyond this a fragment is read by StripHtml (no images, links)

// Parses `html` as a fragment of a page body. Scripts, styles and templates are left out; runs of
// whitespace collapse to one space; empty lines are dropped. Never fails: text that is not HTML
// comes back as itself (entities decoded). More than kMaxHtmlTags tags: StripHtml's text only.
HtmlContent HtmlToContent(std::string_view html);

}  // namespace yuqing::ingest
