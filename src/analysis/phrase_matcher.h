// Finds every occurrence of a set of phrases (UTF-8, already normalised) in a text: a filter on
// the first code point, then candidates compared longest first. Built once, then immutable and
// safe to share between threads. Cost is about one table probe per code point of text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace yuqing::analysis {

class PhraseMatcher {
 public:
  // Adds a phrase with a caller-defined value (an index into the caller's table). Empty phrases
  // are ignored. Call Build() after the last Add().
  void Add(std::string_view phrase, uint32_t value);
  void Build();
  size_t size() const { return count_; }

  struct Match {
    uint32_t begin = 0;  // byte offsets into the scanned text
    uint32_t end = 0;
    uint32_t value = 0;
  };
  // Appends every occurrence (overlapping ones too) in text order to out.
  void Scan(std::string_view text, std::vector<Match>& out) const;

 private:
  struct Entry {
    std::string phrase;
    uint32_t value;
  };
  std::vector<uint64_t> first_bits_ = std::vector<uint64_t>(1024, 0);  // first byte-pair filter
  std::unordered_map<uint32_t, std::vector<Entry>> by_first_;           // key: first code point
  size_t count_ = 0;
};

// Decodes the code point at text[i] (advancing i); invalid bytes decode as themselves.
uint32_t DecodeUtf8(std::string_view text, size_t& i);

}  // namespace yuqing::analysis
