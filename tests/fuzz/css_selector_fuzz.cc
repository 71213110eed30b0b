// libFuzzer target: the page adapter's CSS-selector subset. The first line is a selector for
// ParseSelector; the rest is HTML (gumbo) it is matched against with SelectAll/SelectFirst, with
// each match's text and href read as the page adapter does.
#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/html_select.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view selector = in.substr(0, nl);
  std::string html(nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1));
  auto sel = yuqing::ingest::ParseSelector(selector);
  if (!sel.ok()) return 0;
  GumboOutput* doc = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  for (const GumboNode* n : yuqing::ingest::SelectAll(doc->root, *sel)) {
    (void)yuqing::ingest::NodeText(n);
    (void)yuqing::ingest::NodeAttr(n, "href");
  }
  (void)yuqing::ingest::SelectFirst(doc->root, *sel);
  gumbo_destroy_output(&kGumboDefaultOptions, doc);
  return 0;
}
