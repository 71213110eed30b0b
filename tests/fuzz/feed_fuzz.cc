// libFuzzer target: an RSS/Atom document through the feed parser (pugixml underneath).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  (void)yuqing::ingest::ParseFeed(xml, [](yuqing::ingest::FeedItem&) {});
  (void)yuqing::ingest::ParseRfc822(xml.substr(0, 64));
  return 0;
}
