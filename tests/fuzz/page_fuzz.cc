// libFuzzer target: the page parser (sources --kind page). The first line holds the four
// selectors separated by tabs (item, title, link, time); the rest is the page's HTML, parsed
// into records relative to a fixed page URL, whose links are resolved again as a check.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/page.h"

namespace {

std::vector<std::string> Fields(std::string_view line) {
  std::vector<std::string> out;
  while (out.size() < 3) {
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) break;
    out.emplace_back(line.substr(0, tab));
    line.remove_prefix(tab + 1);
  }
  out.emplace_back(line);
  while (out.size() < 4) out.emplace_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  auto f = Fields(in.substr(0, nl));
  std::string_view html = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto sel = yuqing::ingest::ParsePageSelectors(f[0].empty() ? "li" : f[0], f[1].empty() ? "a" : f[1],
                                                f[2].empty() ? "a" : f[2], f[3]);
  if (!sel.ok()) return 0;
  const std::string base = "https://liuyan.example.gov.cn/board/list.html?page=2";
  auto items = yuqing::ingest::ExtractPageItems(html, *sel, base);
  if (!items.ok()) return 0;
  for (const auto& item : *items) {
    if (item.contains("url") && item["url"].is_string()) (void)yuqing::ingest::ResolveUrl(base, item["url"].get<std::string>());
  }
  return 0;
}
