// libFuzzer target for the query parser (built with -DYUQING_FUZZ=ON and clang):
//   build-fuzz/tests/unit/rules/rules_parser_fuzz tests/unit/rules/fuzz_corpus -max_total_time=60
// Every input must either parse or fail with a column inside the query; accepted queries must
// round-trip their invariants (positive term required, limits respected).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/query.h"
#include "rules/reference.h"

namespace {
const yuqing::text::Normalizer& Norm() {
  static auto norm = yuqing::text::Normalizer::Create();
  if (!norm.ok()) std::abort();
  return **norm;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view q(reinterpret_cast<const char*>(data), size);
  yuqing::rules::ParseOptions opts;
  yuqing::rules::ParseError err;
  auto r = yuqing::rules::ParseQuery(q, Norm(), opts, &err);
  if (!r.ok()) {
    if (err.column < 0 || static_cast<size_t>(err.column) > size + 1) std::abort();
    return 0;
  }
  if (!yuqing::rules::RequiresPositiveTerm(r->root) || r->term_count > opts.max_terms) std::abort();
  yuqing::rules::FieldTexts post;
  post.field[1] = std::string(q);
  (void)yuqing::rules::ReferenceEval(r->root, post);
  return 0;
}
