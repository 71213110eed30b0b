// Text normalisation shared by search, monitoring schemes and analysis, so that the same words
// find each other however they were typed:
//   traditional → simplified (OpenCC t2s, applied per character), full-width → half-width,
//   ideographic space → space, ASCII lower-case.
// Each code point maps to exactly one code point, so offsets in the normalised text map back to
// the original (for highlighting) through NormalizeWithOffsets.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::text {

class Normalizer {
 public:
  // Builds the character table from OpenCC's t2s configuration (found in the standard OpenCC data
  // directory unless opencc_config is an absolute path). Thread-safe after construction.
  static Result<std::shared_ptr<const Normalizer>> Create(const std::string& opencc_config = "t2s.json");

  // Appends the normalised form of `in` to `out`.
  void Normalize(std::string_view in, std::string& out) const;
  std::string Normalize(std::string_view in) const {
    std::string out;
    Normalize(in, out);
    return out;
  }

  // As Normalize, and for every byte of `out` (plus one past the end) records the byte offset in
  // `in` where the code point producing it starts. offsets.size() == out.size() + 1.
  void NormalizeWithOffsets(std::string_view in, std::string& out, std::vector<uint32_t>& offsets) const;

  // The normalised code point for one code point.
  uint32_t Fold(uint32_t cp) const { return cp < table_.size() ? table_[cp] : cp; }

 private:
  Normalizer() = default;
  std::vector<uint32_t> table_;  // BMP code point -> normalised code point
};

}  // namespace yuqing::text
