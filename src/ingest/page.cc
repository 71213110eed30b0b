#include "ingest/page.h"

#include <algorithm>
#include <regex>

#include "core/time.h"
#include "ingest/html_text.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

Result<Selector> Named(const char* option, const std::string& text) {
  auto s = ParseSelector(text);
  if (!s.ok()) return Status::Invalid(std::string(option) + ": " + s.status().message());
  return s;
}

// "2026年6月1日 9:05" → "2026-06-01 09:05"; "2026/6/1" → "2026-06-01"; other text unchanged.
std::string NormalizeDate(std::string s) {
  if (ParseTime(s).ok()) return s;  // ISO 8601 (a datetime attribute) as it is
  // Multi-byte characters as alternatives, not in brackets: std::regex matches bytes.
  static const std::regex kDate(
      "(\\d{4})\\s*(?:年|/|\\.|-)\\s*(\\d{1,2})\\s*(?:月|/|\\.|-)\\s*(\\d{1,2})\\s*(?:日)?"
      "(?:\\s*(\\d{1,2})\\s*(?::|：|时)\\s*(\\d{1,2})(?:\\s*(?::|：|分)\\s*(\\d{1,2}))?)?");
  std::smatch m;
  if (!std::regex_search(s, m, kDate)) return s;
  auto two = [](const std::string& v) { return v.size() == 1 ? "0" + v : v; };
  std::string out = m[1].str() + "-" + two(m[2].str()) + "-" + two(m[3].str());
  if (m[4].matched) out += " " + two(m[4].str()) + ":" + two(m[5].str()) + (m[6].matched ? ":" + two(m[6].str()) : "");
  return out;
}

std::string LinkOf(const GumboNode* item, const PageSelectors& sel) {
  const GumboNode* l = SelectFirst(item, sel.link);
  if (!l) return {};
  std::string href = NodeAttr(l, "href");
  if (href.empty()) {
    static const Selector kA = ParseSelector("a[href]").value();
    if (const GumboNode* a = SelectFirst(l, kA)) href = NodeAttr(a, "href");
  }
  return href;
}

std::string PageTitle(const GumboNode* root) {
  static const Selector kTitle = ParseSelector("title").value();
  const GumboNode* t = SelectFirst(root, kTitle);
  return t ? NodeText(t) : "";
}

}  // namespace

Result<PageSelectors> ParsePageSelectors(const std::string& item, const std::string& title, const std::string& link,
                                         const std::string& time) {
  PageSelectors p;
  YQ_ASSIGN_OR_RETURN(p.item, Named("item", item));
  YQ_ASSIGN_OR_RETURN(p.title, Named("title", title));
  YQ_ASSIGN_OR_RETURN(p.link, Named("link", link));
  if (!time.empty()) {
    YQ_ASSIGN_OR_RETURN(p.time, Named("time", time));
    p.has_time = true;
  }
  return p;
}

std::string ResolveUrl(const std::string& base, const std::string& ref_in) {
  std::string ref = ref_in;
  ref.erase(0, ref.find_first_not_of(" \t\r\n"));
  ref.erase(ref.find_last_not_of(" \t\r\n") + 1);
  if (auto hash = ref.find('#'); hash != std::string::npos) ref.erase(hash);
  auto lower = ref.substr(0, 8);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0) return ref;
  size_t scheme_end = base.find("://");
  if (scheme_end == std::string::npos) return {};
  if (ref.rfind("//", 0) == 0) return base.substr(0, scheme_end + 1) + ref;
  if (ref.find(':') != std::string::npos && ref.find(':') < ref.find_first_of("/?")) return {};  // javascript:, mailto:
  size_t path_start = base.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? base : base.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : base.substr(path_start);
  if (auto q = path.find_first_of("?#"); q != std::string::npos) path.erase(q);
  if (ref.empty()) return origin + path;
  if (ref[0] == '/') return origin + ref;
  if (ref[0] == '?') return origin + path + ref;
  std::string dir = path.substr(0, path.rfind('/') + 1);
  std::string joined = dir + ref;
  // Remove "." and ".." segments.
  std::vector<std::string> segs;
  size_t q = joined.find('?');
  std::string query = q == std::string::npos ? "" : joined.substr(q);
  std::string p = q == std::string::npos ? joined : joined.substr(0, q);
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string seg = p.substr(i, j - i);
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (seg != ".") {
      segs.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& s : segs) out += "/" + s;
  if (p.size() > 1 && p.back() == '/' && (segs.empty() || !segs.back().empty())) out += "/";
  return origin + (out.empty() ? "/" : out) + query;
}

Result<std::vector<json>> ExtractPageItems(std::string_view html, const PageSelectors& sel, const std::string& page_url) {
  const auto tags = std::count(html.begin(), html.end(), '<');
  if (tags > static_cast<std::ptrdiff_t>(kMaxHtmlTags))
    return Status::Invalid("the page has " + std::to_string(tags) + " tags; the limit is " + std::to_string(kMaxHtmlTags));
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&opts, html.data(), html.size());
  if (!out) return Status::Invalid("the page could not be parsed");
  std::vector<json> records;
  const std::string channel = PageTitle(out->document);
  for (const GumboNode* item : SelectAll(out->document, sel.item)) {
    json r = json::object();
    r["source"] = "web";
    if (!channel.empty()) r["channel"] = channel;
    const GumboNode* t = SelectFirst(item, sel.title);
    std::string title = t ? NodeText(t) : "";
    std::string link = ResolveUrl(page_url, LinkOf(item, sel));
    if (!link.empty()) {
      r["id"] = "page-" + link;
      r["url"] = link;
    }
    r["title"] = title;
    std::string text = NodeText(item);
    r["text"] = text.empty() ? title : text;
    if (sel.has_time) {
      if (const GumboNode* tm = SelectFirst(item, sel.time)) {
        std::string when = NodeAttr(tm, "datetime");
        if (when.empty()) when = NodeText(tm);
        if (!when.empty()) r["published_at"] = NormalizeDate(when);
      }
    }
    records.push_back(std::move(r));
  }
  gumbo_destroy_output(&opts, out);
  return records;
}

}  // namespace yuqing::ingest
