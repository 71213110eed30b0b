// libFuzzer target: the monitoring-scheme query language parser. It promises to reject what it
// cannot run (with a column) and to stay linear in the input: never crash, never hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "rules/query.h"
#include "text/normalizer.h"

namespace {
std::shared_ptr<const yuqing::text::Normalizer> g_norm;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto n = yuqing::text::Normalizer::Create();
  if (!n.ok()) std::abort();  // OpenCC's t2s.json missing: the environment, not the input
  g_norm = *n;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view q(reinterpret_cast<const char*>(data), size);
  yuqing::rules::ParseError err;
  auto r = yuqing::rules::ParseQuery(q, *g_norm, {}, &err);
  if (!r.ok() && r.status().message().empty()) __builtin_trap();  // an error always says why
  return 0;
}
