// Region: the province and prefecture-level city where the matter of a post happens, from a
// gazetteer of Chinese provinces, prefecture-level divisions, their short names, districts and
// nicknames, plus what is *not* a place though it is written with one: media brands and source
// lines (北京青年报, 四川在线), teams and products (北京国安, 青岛啤酒), person names (小沈阳,
// 张北京), @handles, and foreign places (models/gazetteer.tsv, written by the team; format in its
// header). Immutable after Load; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/phrase_matcher.h"
#include "core/status.h"

namespace yuqing::analysis {

struct Region {
  std::string province;  // short name: 浙江, 北京, 内蒙古 ... ("" when unknown)
  std::string city;      // short name: 宁波, 恩施州 ... ("" when unknown)
  std::string source;    // "text": the province is named by the text; "author": only the author's
                         // location gave it; "" when there is no province
};

class Gazetteer {
 public:
  // Parses a gazetteer file. Fails with kNotFound / kInvalid (line number in the message).
  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& path);
  static Result<std::unique_ptr<Gazetteer>> Parse(std::string_view content);

  // Resolves the region of a post from its normalised text (Normalizer output).
  //  - Places named in norm_text win: the province with the most evidence (a province name counts
  //    more than one of its cities; ties go to the first named), then its most named city.
  //  - Not counted: names inside a longer name or a non-place (海南 in 上海南站, 北京 in
  //    北京青年报), names followed by a brand/team/product word (湖南卫视, 辽宁队, 兰州拉面), names
  //    that are a given name after a surname (王金华), names inside an @handle; an ambiguous name
  //    (通州, 朝阳区) counts only when another name settles its province; an origin (河南籍,
  //    河南人) counts less than a place, a destination (驰援武汉) more; a Weibo check-in
  //    (" 2揭阳") and a "via 名" source do not count; names inside #topics# count only when the
  //    post's own words also name a place or are few (a trending topic stuck onto another post).
  //  - Three or more provinces with no leader (a list of places) give no region.
  //  - When the text names no Chinese place but a foreign one, the result is empty: the matter
  //    happens abroad, whatever the author's location.
  //  - When the text names no place at all, `location` (the author's location, e.g. "浙江 宁波")
  //    gives the province with source "author"; it also fills in the city of a text province when
  //    consistent.
  // Cost: one PhraseMatcher scan of the text plus work per place name found (~1 µs per post).
  Region Resolve(std::string_view norm_text, std::string_view location) const;

  size_t provinces() const { return provinces_.size(); }
  size_t cities() const { return cities_.size(); }

 private:
  Gazetteer() = default;
  enum class Kind : uint8_t { kPlace, kForeign, kNotPlace };
  struct Entry {
    Kind kind = Kind::kPlace;
    int province = -1;
    int city = -1;           // -1: the name is a province's, no city
    int province_score = 0;  // 2 for a province-level name, 1 for a city or district
    bool weak = false;       // the name exists in several provinces, or is marked "?" in the file
    bool given_name = false;  // two characters: may be a given name after a surname (王金华)
  };
  struct City {
    std::string name;
    int province;
  };
  struct Votes {
    std::vector<std::pair<int, int>> province;  // (index, score), in first-mention order
    std::vector<std::pair<int, int>> city;
    bool foreign = false;  // a foreign place is named
  };
  // A word after a place name that makes it a non-place (卫视) or an origin (籍), unless the
  // text continues with one of `unless` (话 but not 话剧).
  struct Follower {
    std::string word;
    std::vector<std::string> unless;
    bool origin = false;
  };

  uint32_t AddEntry(std::string_view phrase, const Entry& e);
  void Collect(std::string_view text, Votes& v) const;
  // 0: not followed by a listed word; 1: a non-place; 2: an origin.
  int FollowedBy(std::string_view text, size_t pos) const;

  std::vector<std::string> provinces_;
  std::vector<City> cities_;
  std::vector<Entry> entries_;
  std::unordered_map<uint32_t, std::vector<Follower>> followers_;  // key: first code point
  std::vector<uint32_t> surnames_;                                 // sorted code points
  std::vector<std::string> toward_;  // words before a destination: 驰援, 奔赴
  PhraseMatcher matcher_;                                          // value: index into entries_
};

}  // namespace yuqing::analysis
