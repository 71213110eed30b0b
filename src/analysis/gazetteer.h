// Region: province and prefecture-level city mentioned by a post, from a gazetteer of Chinese
// provinces, prefecture-level divisions and their common short names (models/gazetteer.tsv,
// written by the team; format in its header). Immutable after Load; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/phrase_matcher.h"
#include "core/status.h"

namespace yuqing::analysis {

struct Region {
  std::string province;  // short name: 浙江, 北京, 内蒙古 ... ("" when unknown)
  std::string city;      // short name: 宁波, 恩施州 ... ("" when unknown)
};

class Gazetteer {
 public:
  // Parses a gazetteer file. Fails with kNotFound / kInvalid (line number in the message).
  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& path);
  static Result<std::unique_ptr<Gazetteer>> Parse(std::string_view content);

  // Resolves the region of a post: places named in norm_text win (a city whose province is also
  // named wins over other cities; otherwise the most named, then the first); what the text leaves
  // open is filled from `location` (the author's location, e.g. "浙江 宁波") when consistent.
  Region Resolve(std::string_view norm_text, std::string_view location) const;

  size_t provinces() const { return provinces_.size(); }
  size_t cities() const { return cities_.size(); }

 private:
  Gazetteer() = default;
  struct City {
    std::string name;
    int province;
  };
  struct Votes {
    std::vector<std::pair<int, int>> province;  // (index, score)
    std::vector<std::pair<int, int>> city;
  };
  void Collect(std::string_view text, Votes& v) const;
  std::vector<std::string> provinces_;
  std::vector<City> cities_;
  PhraseMatcher matcher_;  // value: province index, or kCityBit | city index
};

}  // namespace yuqing::analysis
