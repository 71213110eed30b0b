// libFuzzer target: the four-principle statement checker (sentences, rules, dated promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "incident/statement_checker.h"
#include "text/normalizer.h"

namespace {
std::unique_ptr<yuqing::incident::StatementChecker> g_checker;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto n = yuqing::text::Normalizer::Create();
  if (!n.ok()) std::abort();
  auto c = yuqing::incident::StatementChecker::Create(*n);
  if (!c.ok()) std::abort();  // the rule file is part of the build, not of the input
  g_checker = std::move(*c);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = g_checker->Check(text, 1780000000000LL);
  if (r.ok()) (void)yuqing::incident::CheckResultToJson(*r, text).dump();
  (void)g_checker->Check(text, 1780000000000LL, /*english=*/true);
  return 0;
}
