// libFuzzer target: a whole CSV document through the reader (header mapping, quoting, encodings).
// Every row must come out as a post or a quarantined item with a reason.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace yuqing::ingest;
  ReadOptions o;
  o.format = Format::kCsv;
  o.defaults = ParseDefaults{"fuzz", 1000};
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  (void)ReadBuffer(doc, "fuzz.csv", o, [](Item&) { return yuqing::Status::Ok(); });
  return 0;
}
