// The fields of a post that a query can address, and the post as the matcher sees it.
#pragma once

#include <cstdint>
#include <string_view>

namespace yuqing::rules {

// One bit per searchable text field. A term without a scope searches title and text.
enum FieldBit : uint8_t {
  kFieldTitle = 1 << 0,
  kFieldText = 1 << 1,
  kFieldAuthor = 1 << 2,
  kFieldSource = 1 << 3,
  kFieldChannel = 1 << 4,
  kFieldRegion = 1 << 5,
  kFieldLang = 1 << 6,
};
using FieldMask = uint8_t;
constexpr FieldMask kDefaultFields = kFieldTitle | kFieldText;
constexpr int kNumFields = 7;

// "title", "text", ... for bit index 0..kNumFields-1.
const char* FieldName(int index);

// A post as the matcher reads it. title and text MUST already be normalised with the same
// text::Normalizer the matcher was compiled with (the pipeline normalises them once for all
// stages); author, source, channel, region and lang are raw and are normalised by Match itself.
// The views must stay valid during the call.
struct MatchInput {
  std::string_view title;
  std::string_view text;
  std::string_view author;
  std::string_view source;
  std::string_view channel;
  std::string_view region;
  std::string_view lang;
  bool verified = false;
  int64_t followers = 0;
};

}  // namespace yuqing::rules
