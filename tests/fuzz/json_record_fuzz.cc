// libFuzzer target: one JSON Lines record through the ingest parser (simdjson fast path, then
// nlohmann with the depth guard). Any input must give a post or a quarantine reason, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/post_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  yuqing::ingest::ParseDefaults d{"fuzz", 1000};
  auto r = yuqing::ingest::PostFromJsonText(line, d);
  if (!r.ok && r.error.code.empty()) __builtin_trap();  // a refusal always names its reason
  return 0;
}
