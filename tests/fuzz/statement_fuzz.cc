// libFuzzer target: the four-principle statement checker (sentences, rules, dated promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

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
  if (r.ok()) {
    const auto j = yuqing::incident::CheckResultToJson(*r, text);
    // As the server and the CLI write it (invalid UTF-8 replaced) ...
    (void)j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // ... and for valid UTF-8 input, strictly: findings must never cut a character in two (a
    // throw here aborts the run and reports the input).
    bool valid = true;
    try {
      (void)nlohmann::json(std::string(text)).dump();
    } catch (const nlohmann::json::exception&) {
      valid = false;
    }
    if (valid) (void)j.dump();
  }
  (void)g_checker->Check(text, 1780000000000LL, /*english=*/true);
  return 0;
}
